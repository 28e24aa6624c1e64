//! What a run may cost, checked before anything is allocated: a run's work grows with its
//! seconds × lanes × runs (each lane-second does a bounded amount of work, since validation
//! bounds the retry settings), and its kept series with points × lanes × runs. A series keeps
//! the finest points that fit its budget (a minute, 5 minutes or an hour each); a request
//! beyond either budget even so is refused with the flag to change, rather than left to
//! exhaust memory or run for hours. The figures are in docs/simulate.md ("Budgets").

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::quantity::{count, group_digits};

/// Lane-seconds a run may play in all: at the measured 10⁸ lane-seconds per second of a
/// release build (docs/performance.md), about three minutes. A year of a table with 20 GSIs
/// (42 lanes) under three models is 4 × 10⁹.
pub const MAX_LANE_SECONDS: u64 = 20_000_000_000;

/// Series points `--series` and `--chart` may keep (32 bytes each in memory, about 100 in
/// the JSON): 5 million, about 160 MB. A week of a 42-lane table under three models is 1.3
/// million per-minute points; a year of it, 1.1 million hourly ones.
pub const MAX_SERIES_POINTS: u64 = 5_000_000;

/// Minutes a series point may cover, finest first: CloudWatch's periods. Every run within the
/// budget at one minute keeps per-minute points.
pub const SERIES_MINUTES: [u64; 3] = [1, 5, 60];

/// One table's share of a run: its lanes (reads and writes of the table and of each GSI) and
/// the runs it takes (one per model, more with a policy search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableWork {
    pub lanes: u64,
    pub runs: u64,
}

/// Refuses a run of `seconds` over `tables` whose work is over budget, or whose series is
/// even at an hour a point; `series` is the runs of each table that keep one (one per model:
/// a search's candidates keep none). Gives the minutes each point of the series covers.
pub fn check(
    seconds: u64,
    series: Option<u64>,
    tables: &[TableWork],
) -> anyhow::Result<Option<u64>> {
    let per_second: u64 = tables.iter().map(|t| t.lanes * t.runs).sum();
    let days = seconds.div_ceil(86_400);
    let lane_seconds = u128::from(seconds) * u128::from(per_second);
    if lane_seconds > u128::from(MAX_LANE_SECONDS) {
        let most = MAX_LANE_SECONDS / per_second.max(1) / 86_400;
        anyhow::bail!(
            "simulating {} of {} in all (lanes × models, and search candidates) is {} \
             lane-seconds, over the budget of {} (about three minutes); simulate at most {} with \
             --days, fewer models with --model, fewer tables with --table, or drop --search",
            count(days, "day", "days"),
            count(per_second, "lane", "lanes"),
            big(lane_seconds),
            group_digits(MAX_LANE_SECONDS.into()),
            count(most, "day", "days")
        );
    }
    let Some(runs) = series else {
        return Ok(None);
    };
    let kept: u64 = tables.iter().map(|t| t.lanes * runs).sum();
    let points = |minutes: u64| u128::from(seconds.div_ceil(60 * minutes)) * u128::from(kept);
    if let Some(&minutes) = SERIES_MINUTES
        .iter()
        .find(|&&m| points(m) <= u128::from(MAX_SERIES_POINTS))
    {
        return Ok(Some(minutes));
    }
    let most = MAX_SERIES_POINTS / kept.max(1) / 24;
    anyhow::bail!(
        "--series and --chart keep a point per lane and hour at the coarsest: {} × {} is {} \
         points (about {} MB), over the budget of {} (160 MB); give --days {} or fewer, fewer \
         tables with --table or models with --model, or drop --series and --chart",
        count(days, "day", "days"),
        count(kept, "lane", "lanes"),
        big(points(60)),
        big(points(60) * 32 / 1_000_000),
        group_digits(MAX_SERIES_POINTS.into()),
        most.max(1)
    )
}

/// A product of lanes and seconds with thousands separators; one too large for a decimal (never
/// from a run `--days` allows) keeps its plain digits rather than panic.
fn big(n: u128) -> String {
    Decimal::from_u128(n).map_or_else(|| n.to_string(), group_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_keeps_the_finest_points_within_its_budget() {
        // 20 GSIs: 42 lanes; three models; 366 days = 31,622,400 s.
        let big = [TableWork { lanes: 42, runs: 3 }];
        assert_eq!(check(31_622_400, None, &big).unwrap(), None); // 3.98 × 10⁹ lane-seconds
                                                                  // A week: 10,080 minutes × 126 = 1,270,080 points.
        assert_eq!(check(604_800, Some(3), &big).unwrap(), Some(1));
        // 60 days: 86,400 minutes × 126 = 10.9 million; 17,280 five-minute points × 126 =
        // 2,177,280.
        assert_eq!(check(5_184_000, Some(3), &big).unwrap(), Some(5));
        // A year: 105,408 five-minute points × 126 = 13.3 million; 8,784 hours × 126 =
        // 1,106,784.
        assert_eq!(check(31_622_400, Some(3), &big).unwrap(), Some(60));
    }

    #[test]
    fn a_series_over_its_budget_at_an_hour_a_point_is_refused() {
        // Five such tables: 630 lanes; a year is 8,784 hours × 630 = 5,533,920 points.
        let five = [TableWork { lanes: 42, runs: 3 }; 5];
        let err = check(31_622_400, Some(3), &five).unwrap_err().to_string();
        assert!(err.contains("5,533,920 points"), "{err}");
        // 5,000,000 / 630 / 24 = 330 days.
        assert!(err.contains("--days 330 or fewer"), "{err}");
        assert_eq!(check(330 * 86_400, Some(3), &five).unwrap(), Some(60));
        // A search's 40 runs a table keep no series: only the three models' count.
        let searched = [TableWork {
            lanes: 42,
            runs: 40,
        }];
        assert_eq!(check(86_400, Some(3), &searched).unwrap(), Some(1));
    }

    #[test]
    fn a_search_over_a_year_is_refused_before_it_runs() {
        // 42 lanes × 40 runs × 31,622,400 s = 5.3 × 10¹⁰ lane-seconds.
        let err = check(
            31_622_400,
            None,
            &[TableWork {
                lanes: 42,
                runs: 40,
            }],
        )
        .unwrap_err()
        .to_string();
        // 2 × 10¹⁰ / 1,680 / 86,400 = 137 days.
        assert!(err.contains("at most 137 days"), "{err}");
    }
}
