//! Demand generated from the spec's traffic: a daily or weekly cycle around the demand model's
//! mean, scheduled events and seeded noise. Generated second by second as it is played, so a
//! month costs no memory.

use std::f64::consts::PI;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rust_decimal::prelude::ToPrimitive;

use super::engine::Source;
use crate::diagnostic::Position;
use crate::workload::model::{Shape, Traffic, TrafficEvent};

const DAY: u64 = 86_400;
/// The cycle cannot be sharper than this peak ÷ mean (a 1-hour spike in a day is 24).
const MAX_PEAK_TO_MEAN: f64 = 24.0;

/// An event as seconds of the run.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    start: u64,
    duration: u64,
    day: Option<u64>,
    multiplier: f64,
    /// Extra base-table write units per second while it runs.
    write_units: f64,
    /// Items a one-off job (one with a `day`) adds to the table per second while it runs.
    /// A daily job is steady-state traffic like the spec's writes: the table's item count
    /// already includes what it writes.
    new_items: f64,
}

impl Event {
    fn active(&self, second: u64) -> bool {
        let since = match self.day {
            Some(day) => second.checked_sub(day * DAY + self.start),
            None => Some((second + DAY - self.start % DAY) % DAY),
        };
        since.is_some_and(|s| s < self.duration)
    }
}

/// The traffic of one table, second by second.
#[derive(Debug, Clone)]
pub struct Generated {
    shape: Shape,
    /// Concentration of the daily cycle: exp(κ cos θ) / I0(κ) has mean 1 and peak ÷ mean as
    /// the spec asks, and never goes negative, whatever the ratio.
    kappa: f64,
    /// The daily cycle at each minute of the day and the next midnight, interpolated in
    /// between: exact at every minute, and far cheaper than exp and cos every second.
    daily: Vec<f64>,
    /// Day factors with a weekly mean of 1 (weekly shape); day 0 of a run is a Monday.
    weekday: f64,
    weekend: f64,
    events: Vec<Event>,
    noise: f64,
    rng: Xoshiro256PlusPlus,
    second: u64,
    /// The current minute's cycle, as `cycle` computes it: its value at the minute's start,
    /// its rise to the next minute's, the day's factor, and the second within the minute.
    /// Kept so that a second costs a multiply-add, not the divisions that locate it.
    minute: (f64, f64, f64),
    second_of_minute: usize,
    /// Items added to the table per second in the last second.
    new_items: f64,
}

/// `j ÷ 60` for each second `j` of a minute, as `cycle` divides.
const WITHIN_MINUTE: [f64; 60] = {
    let mut within = [0.0; 60];
    let mut j = 0;
    while j < 60 {
        within[j] = j as f64 / 60.0;
        j += 1;
    }
    within
};

/// One event in seconds of the run. Validation rejects a start that is no time of day, so
/// the error here only guards input that skipped loading.
fn event(event: &TrafficEvent, write_units_per_item: f64, path: &str) -> anyhow::Result<Event> {
    let start = crate::time::time_of_day(&event.start.value).ok_or_else(|| {
        let at =
            Position::of(&event.start).map_or(String::new(), |p| format!(" (line {})", p.line));
        anyhow::anyhow!(
            "{path}.start{at}: `{}` is not a time of day; write it as HH:MM in UTC, e.g. \"02:00\"",
            event.start.value
        )
    })?;
    let duration = event.duration.seconds.max(1);
    let items = event.writes.map_or(0, |c| c.0) as f64;
    Ok(Event {
        start,
        duration,
        day: event.day.map(u64::from),
        multiplier: event.multiplier.and_then(|m| m.to_f64()).unwrap_or(1.0),
        write_units: items * write_units_per_item / duration as f64,
        new_items: if event.day.is_some() {
            items / duration as f64
        } else {
            0.0
        },
    })
}

/// The modified Bessel function I0(κ) by its power series (converges for every κ).
fn bessel_i0(kappa: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > sum * 1e-17 {
        term *= (kappa / (2.0 * k)).powi(2);
        sum += term;
        k += 1.0;
    }
    sum
}

/// The κ whose cycle has the asked peak ÷ mean, by bisection (the ratio grows with κ).
fn concentration(peak_to_mean: f64) -> f64 {
    let target = peak_to_mean.clamp(1.0, MAX_PEAK_TO_MEAN);
    let (mut lo, mut hi) = (0.0, 200.0);
    for _ in 0..100 {
        let mid: f64 = (lo + hi) / 2.0;
        if mid.exp() / bessel_i0(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

impl Generated {
    /// `path` names the table's traffic in the spec for errors, e.g. `tables[0].traffic`.
    pub fn new(
        traffic: &Traffic,
        write_units_per_item: f64,
        seed: u64,
        path: &str,
    ) -> anyhow::Result<Self> {
        let ratio = traffic
            .peak_to_mean
            .as_ref()
            .and_then(|r| r.value.to_f64())
            .unwrap_or(1.0);
        let kappa = match traffic.shape {
            Shape::Constant => 0.0,
            Shape::Diurnal | Shape::Weekly => concentration(ratio),
        };
        let weekend = match traffic.shape {
            Shape::Weekly => traffic
                .weekend_factor
                .and_then(|w| w.to_f64())
                .unwrap_or(1.0),
            _ => 1.0,
        };
        let weekday = 7.0 / (5.0 + 2.0 * weekend);
        let events = traffic
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| event(e, write_units_per_item, &format!("{path}.events[{i}]")))
            .collect::<anyhow::Result<_>>()?;
        let (i0, peak_hour) = (
            bessel_i0(kappa),
            f64::from(traffic.peak_hour_utc.unwrap_or(12)),
        );
        let daily = (0..=1_440)
            .map(|minute| {
                let angle = 2.0 * PI * (f64::from(minute) / 60.0 - peak_hour) / 24.0;
                (kappa * angle.cos()).exp() / i0
            })
            .collect();
        Ok(Generated {
            shape: traffic.shape,
            kappa,
            daily,
            weekday,
            weekend: weekend * weekday,
            events,
            noise: traffic.noise.map_or(0.0, |n| n.0.to_f64().unwrap_or(0.0)),
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            second: 0,
            minute: (1.0, 0.0, 1.0),
            second_of_minute: 0,
            new_items: 0.0,
        })
    }

    /// The cycle at `second`: 1 on average over a day (and over a week).
    fn cycle(&self, second: u64) -> f64 {
        let (start, rise, day) = self.minute_of(second);
        scale_within(start, rise, day, WITHIN_MINUTE[(second % 60) as usize])
    }

    /// The minute `second` falls in: the daily cycle at its start, its rise over the minute,
    /// and the day's factor (weekly shape).
    fn minute_of(&self, second: u64) -> (f64, f64, f64) {
        let (start, rise) = if self.kappa == 0.0 {
            (1.0, 0.0)
        } else {
            let minute = (second % DAY / 60) as usize;
            (
                self.daily[minute],
                self.daily[minute + 1] - self.daily[minute],
            )
        };
        let weekend = matches!((second / DAY) % 7, 5 | 6);
        let day = match (self.shape, weekend) {
            (Shape::Weekly, true) => self.weekend,
            (Shape::Weekly, false) => self.weekday,
            _ => 1.0,
        };
        (start, rise, day)
    }

    /// The next second's multiplier of every mean, and extra base-table write units.
    pub fn next_second(&mut self) -> (f64, f64) {
        let second = self.second;
        self.second += 1;
        if self.second_of_minute == 0 {
            self.minute = self.minute_of(second);
        }
        let (start, rise, day) = self.minute;
        let mut scale = scale_within(start, rise, day, WITHIN_MINUTE[self.second_of_minute]);
        self.second_of_minute = (self.second_of_minute + 1) % 60;
        let mut writes = 0.0;
        self.new_items = 0.0;
        for e in self.events.iter().filter(|e| e.active(second)) {
            scale *= e.multiplier;
            writes += e.write_units;
            self.new_items += e.new_items;
        }
        if self.noise > 0.0 {
            let z = (self.rng.random::<f64>() * 2.0 - 1.0) * 3f64.sqrt();
            scale *= (1.0 + self.noise * z).max(0.0);
        }
        (scale, writes)
    }
}

/// The cycle `within` (a fraction) of the way through a minute: interpolated, exact at
/// whole minutes, times the day's factor.
#[inline]
fn scale_within(start: f64, rise: f64, day: f64, within: f64) -> f64 {
    (start + rise * within) * day
}

impl Generated {
    /// Days the pattern takes to repeat.
    fn period_days(&self) -> u64 {
        match self.shape {
            Shape::Weekly => 7,
            Shape::Constant | Shape::Diurnal => 1,
        }
    }
}

impl Source for Generated {
    /// The period before the run (the day, or the week, before it), which repeats the
    /// pattern: the cycle and the daily events at each minute's start, without noise or the
    /// one-off events of a given day.
    fn history(&self, means: &[f64]) -> Vec<Vec<f64>> {
        (0..self.period_days() * 1_440)
            .map(|minute| {
                let second = minute * 60;
                let mut scale = self.cycle(second);
                let mut writes = 0.0;
                for e in self
                    .events
                    .iter()
                    .filter(|e| e.day.is_none() && e.active(second))
                {
                    scale *= e.multiplier;
                    writes += e.write_units;
                }
                let mut fresh: Vec<f64> = means.iter().map(|m| m * scale).collect();
                if let Some(w) = fresh.get_mut(super::TABLE_WRITES) {
                    *w += writes;
                }
                fresh
            })
            .collect()
    }

    fn next(&mut self, means: &[f64], fresh: &mut [f64]) -> Option<u32> {
        let (scale, writes) = self.next_second();
        for (f, m) in fresh.iter_mut().zip(means) {
            *f = m * scale;
        }
        // Most seconds run no job: reading back a lane just stored in a vector stalls.
        if writes != 0.0 {
            if let Some(w) = fresh.get_mut(super::TABLE_WRITES) {
                *w += writes;
            }
        }
        Some(1)
    }

    fn new_items(&self) -> f64 {
        self.new_items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::Duration;
    use rust_decimal::Decimal;

    fn spanned<T>(value: T) -> crate::yaml::Spanned<T> {
        let unknown = serde_saphyr::Location::UNKNOWN;
        crate::yaml::Spanned::new(value, unknown, unknown)
    }

    fn traffic(shape: Shape, ratio: f64) -> Traffic {
        Traffic {
            shape,
            peak_to_mean: Some(spanned(Decimal::from_f64_retain(ratio).unwrap())),
            peak_hour_utc: Some(15),
            weekend_factor: Some(Decimal::new(5, 1)),
            ..Traffic::default()
        }
    }

    #[test]
    fn diurnal_cycle_has_mean_one_and_the_asked_peak() {
        for ratio in [1.5, 3.0, 10.0] {
            let g = Generated::new(&traffic(Shape::Diurnal, ratio), 1.0, 1, "t").unwrap();
            let mean = (0..DAY).map(|s| g.cycle(s)).sum::<f64>() / DAY as f64;
            assert!((mean - 1.0).abs() < 1e-6, "{ratio}: mean {mean}");
            assert!((g.cycle(15 * 3_600) - ratio).abs() < 1e-6);
        }
    }

    #[test]
    fn weekly_cycle_keeps_the_weekly_mean() {
        let g = Generated::new(&traffic(Shape::Weekly, 2.0), 1.0, 1, "t").unwrap();
        let week = 7 * DAY;
        let mean = (0..week).map(|s| g.cycle(s)).sum::<f64>() / week as f64;
        assert!((mean - 1.0).abs() < 1e-6);
        assert!((g.cycle(5 * DAY + 15 * 3_600) / g.cycle(15 * 3_600) - 0.5).abs() < 1e-9);
    }

    fn event(start: &str, seconds: u64) -> TrafficEvent {
        TrafficEvent {
            name: "job".into(),
            start: spanned(start.into()),
            duration: Duration { seconds },
            day: None,
            multiplier: None,
            writes: None,
        }
    }

    /// A nightly import of 7.2M 1-KB items over 2 hours adds 1,000 write units/s from 02:00.
    #[test]
    fn batch_job_adds_writes_in_its_window() {
        let mut t = traffic(Shape::Constant, 1.0);
        t.events.push(TrafficEvent {
            writes: Some(crate::quantity::Count(7_200_000)),
            ..event("02:00", 7_200)
        });
        let mut g = Generated::new(&t, 1.0, 1, "t").unwrap();
        let writes: Vec<f64> = (0..DAY + 3 * 3_600).map(|_| g.next_second().1).collect();
        assert_eq!(writes[2 * 3_600 - 1], 0.0);
        assert_eq!(writes[2 * 3_600], 1_000.0);
        assert_eq!(writes[4 * 3_600], 0.0);
        assert_eq!(writes[(DAY + 2 * 3_600) as usize], 1_000.0);
    }

    #[test]
    fn noise_is_seeded() {
        let mut t = traffic(Shape::Constant, 1.0);
        t.noise = Some(crate::quantity::Percent(Decimal::new(1, 1)));
        let draw = |seed| {
            let mut g = Generated::new(&t, 1.0, seed, "t").unwrap();
            (0..100).map(|_| g.next_second().0).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn bad_start_is_located() {
        let mut t = traffic(Shape::Constant, 1.0);
        t.events.push(event("25:00", 60));
        let err = Generated::new(&t, 1.0, 1, "tables[0].traffic").unwrap_err();
        assert!(
            err.to_string()
                .contains("tables[0].traffic.events[0].start"),
            "{err}"
        );
    }
}
