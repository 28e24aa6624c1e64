//! Target-tracking autoscaling (docs/sources.md §5): decided once a minute from the consumed
//! capacity, applied after a delay, with the daily budget of capacity decreases.

/// One target-tracking policy, in units per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetTracking {
    /// Target utilization as a share (0.7 for 70%), never a percentage number.
    pub target: f64,
    pub min: f64,
    pub max: f64,
    /// Minutes from a decision to the new capacity.
    pub delay_minutes: u64,
}

impl TargetTracking {
    /// §5.1 target tracking: consumed ÷ target, rounded up to a whole unit, within min and max.
    /// The target is a share, so 70 consumed at 70% is 100 units, not 10,000 (Optima's mistake, [OPTIMA]).
    pub fn capacity_for(&self, consumed: f64) -> f64 {
        (consumed / self.target).ceil().clamp(self.min, self.max)
    }
}

/// The decreases a table or GSI may still make today (§5.2 [QUOTA]): 4 at the start of the
/// UTC day, one more each hour (at most 4 banked), at most 27 a day. The table and each GSI
/// have their own budget; reads and writes of one share it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecreaseBudget {
    day: Option<u64>,
    available: u32,
    used_today: u32,
}

impl DecreaseBudget {
    const AT_DAY_START: u32 = 4;
    const MAX_BANKED: u32 = 4;
    const PER_DAY: u32 = 27;

    /// Called at the start of every UTC minute (minutes since the Unix epoch).
    pub fn tick(&mut self, utc_minute: u64) {
        let day = utc_minute / 1_440;
        if self.day != Some(day) {
            *self = DecreaseBudget {
                day: Some(day),
                available: Self::AT_DAY_START,
                used_today: 0,
            };
        } else if utc_minute.is_multiple_of(60) {
            self.available = (self.available + 1).min(Self::MAX_BANKED);
        }
    }

    fn take(&mut self) -> bool {
        let ok = self.available > 0 && self.used_today < Self::PER_DAY;
        if ok {
            self.available -= 1;
            self.used_today += 1;
        }
        ok
    }
}

/// The alarms and pending change of one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaler {
    pub policy: TargetTracking,
    above: u32,
    below: u32,
    /// Minute (of the run) the pending capacity takes effect, and the capacity.
    pending: Option<(u64, f64)>,
    pub scale_outs: u32,
    pub scale_ins: u32,
}

impl Scaler {
    pub fn new(policy: TargetTracking) -> Self {
        Scaler {
            policy,
            above: 0,
            below: 0,
            pending: None,
            scale_outs: 0,
            scale_ins: 0,
        }
    }

    /// At the start of `minute`, the capacity a pending change sets, if it is due; counts it as
    /// a scale-out or scale-in event against `current`.
    pub fn due(&mut self, minute: u64, current: f64) -> Option<f64> {
        match self.pending {
            Some((at, capacity)) if at <= minute => {
                self.pending = None;
                if capacity > current {
                    self.scale_outs += 1;
                } else {
                    self.scale_ins += 1;
                }
                Some(capacity)
            }
            _ => None,
        }
    }

    /// At the end of `minute`: `consumed` units per second on average against `capacity`.
    pub fn decide(
        &mut self,
        minute: u64,
        consumed: f64,
        capacity: f64,
        budget: &mut DecreaseBudget,
    ) {
        let utilization = consumed / capacity;
        self.above = if utilization > self.policy.target {
            self.above + 1
        } else {
            0
        };
        self.below = if utilization < scale_in_threshold(self.policy.target) {
            self.below + 1
        } else {
            0
        };
        // §5.1 [AS]: one change at a time. The table (or GSI) is UPDATING until the pending
        // change lands, and UpdateTable cannot change it meanwhile; a load still above the
        // target then scales out again at the next minute. (Replacing the pending change with
        // a larger one would push its effective time back on every rising minute.) Reads and
        // writes are separate policies: each waits for its own change, not for the other's.
        if self.pending.is_some() {
            return;
        }
        // Worked out only when an alarm is due: most minutes neither alarm fires.
        let (out, scale_in) = (scale_out_due(self.above), scale_in_due(self.below));
        if !(out || scale_in) {
            return;
        }
        let desired = self.policy.capacity_for(consumed);
        let effective_at = minute + 1 + self.policy.delay_minutes;
        if out && desired > capacity {
            self.pending = Some((effective_at, desired));
            self.above = 0;
        } else if scale_in && desired < capacity && budget.take() {
            self.pending = Some((effective_at, desired));
            self.below = 0;
        }
    }
}

/// §5.1 [AS][PROV]: scale out after 2 consecutive 1-minute datapoints above the target.
fn scale_out_due(minutes_above: u32) -> bool {
    minutes_above >= 2
}

/// §5.1 [AS]: scale in after 15 consecutive 1-minute datapoints below the low threshold.
fn scale_in_due(minutes_below: u32) -> bool {
    minutes_below >= 15
}

/// §5.1 [RP-AS][GH-ALARM]: the low threshold is 20 percentage points under the target.
fn scale_in_threshold(target: f64) -> f64 {
    target - 0.2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> TargetTracking {
        TargetTracking {
            target: 0.7,
            min: 1.0,
            max: 1e12,
            delay_minutes: 0,
        }
    }

    /// §5.1: two minutes above target scale out to consumed ÷ target, a share: 140 consumed
    /// at 70% gives 200 units, effective after the delay.
    #[test]
    fn scale_out_after_two_minutes_above_target() {
        let mut s = Scaler::new(TargetTracking {
            delay_minutes: 4,
            ..policy()
        });
        let mut budget = DecreaseBudget::default();
        s.decide(0, 140.0, 150.0, &mut budget);
        assert_eq!(s.pending, None);
        s.decide(1, 140.0, 150.0, &mut budget);
        assert_eq!(s.pending, Some((6, 200.0)));
        assert_eq!(s.due(5, 150.0), None);
        assert_eq!(s.due(6, 150.0), Some(200.0));
        assert_eq!(s.scale_outs, 1);
    }

    /// §5.1 [AS]: one change at a time. Under a load rising 10 units a minute the change
    /// decided at minute 1 (150 ÷ 0.7 → 215 units, due at 6) is not pushed back by later,
    /// larger wishes; once it lands the load, still above target, scales out again at once
    /// (200 ÷ 0.7 → 286, due at 11).
    #[test]
    fn a_rising_load_does_not_postpone_the_pending_scale_out() {
        let mut s = Scaler::new(TargetTracking {
            delay_minutes: 4,
            ..policy()
        });
        let mut budget = DecreaseBudget::default();
        let mut capacity = 150.0;
        for minute in 0..7 {
            if let Some(c) = s.due(minute, capacity) {
                capacity = c;
            }
            s.decide(minute, 140.0 + 10.0 * minute as f64, capacity, &mut budget);
            let expected = match minute {
                0 => None,
                1..=5 => Some((6, 215.0)),
                _ => Some((11, 286.0)),
            };
            assert_eq!(s.pending, expected, "minute {minute}");
        }
        assert_eq!(capacity, 215.0);
    }

    /// §5.2 [QUOTA]: at 10% utilization the table scales in every 15 minutes until the 4
    /// decreases of the day are spent (minutes 14, 29, 44, 59), then once an hour as a new
    /// decrease becomes available.
    #[test]
    fn scale_in_stops_after_four_decreases_then_resumes_hourly() {
        let mut s = Scaler::new(policy());
        let mut budget = DecreaseBudget::default();
        let mut capacity = 1e12;
        let mut decreases = Vec::new();
        for minute in 0..300 {
            budget.tick(minute);
            if let Some(c) = s.due(minute, capacity) {
                // Decided at the end of the previous minute, applied now (no delay).
                decreases.push(minute - 1);
                capacity = c;
            }
            s.decide(minute, capacity * 0.1, capacity, &mut budget);
        }
        assert_eq!(decreases, vec![14, 29, 44, 59, 74, 120, 180, 240]);
    }

    #[test]
    fn at_most_27_decreases_a_day() {
        let mut budget = DecreaseBudget::default();
        let taken = (0..1_440)
            .filter(|&m| {
                budget.tick(m);
                budget.take()
            })
            .count();
        assert_eq!(taken, 27);
    }
}
