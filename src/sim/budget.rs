//! What a run may cost, checked before anything is allocated: a run's work grows with its
//! seconds × lanes × runs (each lane-second does a bounded amount of work, since validation
//! bounds the retry settings), and its kept series with minutes × lanes × runs. A request
//! beyond either budget is refused with the flag to change, rather than left to exhaust memory
//! or run for hours. The figures are in docs/simulate.md ("Budgets").

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::quantity::{count, group_digits};

/// Lane-seconds a run may play in all: at the measured 10⁸ lane-seconds per second of a
/// release build (docs/performance.md), about three minutes. A year of a table with 20 GSIs
/// (42 lanes) under three models is 4 × 10⁹.
pub const MAX_LANE_SECONDS: u64 = 20_000_000_000;

/// Per-minute points `--series` and `--chart` may keep (32 bytes each in memory, about 100 in
/// the JSON): 5 million, about 160 MB. A week of a 42-lane table under three models is 1.3
/// million; a year of a two-lane table is 3.2 million.
pub const MAX_SERIES_POINTS: u64 = 5_000_000;

/// One table's share of a run: its lanes (reads and writes of the table and of each GSI) and
/// the runs it takes (one per model, more with a policy search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableWork {
    pub lanes: u64,
    pub runs: u64,
}

/// Refuses a run of `seconds` over `tables` whose work or kept series is over budget.
pub fn check(seconds: u64, series: bool, tables: &[TableWork]) -> anyhow::Result<()> {
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
    let points = u128::from(seconds.div_ceil(60)) * u128::from(per_second);
    if series && points > u128::from(MAX_SERIES_POINTS) {
        let most = MAX_SERIES_POINTS / per_second.max(1) / 1_440;
        anyhow::bail!(
            "--series and --chart keep one point per minute and lane: {} × {} is {} points (about {} \
             MB), over the budget of {} (160 MB); give --days {} or fewer, fewer tables with \
             --table or models with --model, or drop --series and --chart",
            count(days, "day", "days"),
            count(per_second, "lane", "lanes"),
            big(points),
            big(points * 32 / 1_000_000),
            group_digits(MAX_SERIES_POINTS.into()),
            most.max(1)
        );
    }
    Ok(())
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
    fn a_year_of_a_big_table_runs_but_its_series_does_not() {
        // 20 GSIs: 42 lanes; three models; 366 days = 31,622,400 s.
        let big = [TableWork { lanes: 42, runs: 3 }];
        assert!(check(31_622_400, false, &big).is_ok()); // 3.98 × 10⁹ lane-seconds
        let err = check(31_622_400, true, &big).unwrap_err().to_string();
        // 527,040 minutes × 126 = 66,407,040 points.
        assert!(err.contains("66,407,040 points"), "{err}");
        // 5,000,000 / 126 / 1,440 = 27 days.
        assert!(err.contains("--days 27 or fewer"), "{err}");
        // A week of it keeps 10,080 × 126 = 1,270,080 points: within the budget.
        assert!(check(604_800, true, &big).is_ok());
    }

    #[test]
    fn a_search_over_a_year_is_refused_before_it_runs() {
        // 42 lanes × 40 runs × 31,622,400 s = 5.3 × 10¹⁰ lane-seconds.
        let err = check(
            31_622_400,
            false,
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
