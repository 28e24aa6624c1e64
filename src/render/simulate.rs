//! The simulation as terminal tables with sparklines, and its recommendation in words.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use super::layout::{Align, Section};
use crate::cost;
use crate::quantity::{count, duration_words, group_digits};
use crate::sim::result::{Policy, Recommendation, RecommendationReason};
use crate::sim::{Cause, SimReport};

/// The table view: one section per table with a row per model and sparklines.
pub fn render(report: &SimReport, terminal: &super::Terminal) -> String {
    let units = |v: f64| group_digits(Decimal::from_f64(v.round()).unwrap_or_default());
    let pct = |v: f64| format!("{:.3}%", v * 100.0);
    let mut sections = Vec::new();
    for table in &report.tables {
        let mut notes = Vec::new();
        if let Some(first) = table.models.first() {
            notes.push(format!(
                "demand      {}",
                sparkline(first.spark.iter().map(|s| s[0]))
            ));
        }
        for m in &table.models {
            notes.push(format!(
                "{:<11} {}",
                m.model.name(),
                sparkline(m.spark.iter().map(|s| s[1]))
            ));
        }
        let causes: Vec<Cause> = table
            .recommendation
            .as_ref()
            .and_then(|r| table.models.iter().find(|m| m.model == r.model))
            .map_or(Vec::new(), |m| {
                Cause::ALL
                    .into_iter()
                    .filter(|c| m.causes.contains_key(c.name()))
                    .collect()
            });
        notes.push(format!(
            "Recommendation: {}",
            recommendation(table.recommendation.as_ref(), &causes)
        ));
        sections.push(Section {
            title: format!(
                "{}: {} from {} UTC, traffic {}, seed {}",
                table.table,
                duration_words(report.seconds),
                report.start,
                report.traffic,
                report.seed
            ),
            columns: vec![
                ("model", Align::Left),
                ("throttled units", Align::Right),
                ("attempts throttled", Align::Right),
                ("requests failed", Align::Right),
                ("throttled s", Align::Right),
                ("worst minute", Align::Left),
                ("causes", Align::Left),
                ("peak util", Align::Right),
                ("scale out/in", Align::Right),
                ("cost/month", Align::Right),
            ],
            rows: table
                .models
                .iter()
                .map(|m| {
                    vec![
                        m.model.name().to_string(),
                        units(m.throttled_units),
                        pct(m.throttled_share),
                        pct(m.failed_share),
                        group_digits(Decimal::from(m.throttled_seconds)),
                        m.worst_minute.as_ref().map_or("-".into(), |w| {
                            format!("{} ({})", w.at, units(w.throttled_units))
                        }),
                        m.causes.keys().copied().collect::<Vec<_>>().join(", "),
                        pct(m.peak_utilization),
                        format!(
                            "{}/{}",
                            group_digits(m.scale_outs.into()),
                            group_digits(m.scale_ins.into())
                        ),
                        m.monthly_cost.map_or("not priced".into(), cost::dollars),
                    ]
                })
                .collect(),
            notes,
        });
    }
    let mut out = super::terminal::render(&sections, terminal);
    out.push_str(&super::terminal::wrap(
        "Units are request units (reads 4 KB, writes 1 KB), read as requests: attempts throttled counts every try, retries included; requests failed are those still throttled after their last retry, the share `max_throttled` bounds.\n\
         Costs price the replayed capacity (or the on-demand requests served) for a month at the simulated average; storage and other lines are in the plan.",
        terminal.width,
        0,
    ));
    if let Some(m) = &report.replay {
        out.push_str(&super::terminal::wrap(
            &format!(
                "Replayed {}; {} without datapoints were replayed as no traffic; the metrics recorded {}.",
                count(m.minutes, "minute", "minutes"),
                count(m.gap_minutes, "minute", "minutes"),
                count(
                    Decimal::from_f64(m.observed_throttled.round()).unwrap_or_default(),
                    "throttled request",
                    "throttled requests"
                )
            ),
            terminal.width,
            0,
        ));
        let gappy: Vec<String> = m
            .gaps
            .iter()
            .filter(|g| g.minutes > 0)
            .map(|g| format!("{} {}", g.series, group_digits(g.minutes.into())))
            .collect();
        if m.gaps.len() > 1 && !gappy.is_empty() {
            out.push_str(&format!(
                "Minutes without datapoints per series: {}.\n",
                gappy.join(", ")
            ));
        }
        if m.period_minutes > 1 {
            let inside = if m.period_peak_to_mean > 1.0 {
                format!(
                    "each period's first minute was given {}× its mean (--period-peak-to-mean)",
                    m.period_peak_to_mean
                )
            } else {
                "each was spread evenly over its minutes (set --period-peak-to-mean to assume a peak)"
                    .to_string()
            };
            out.push_str(&format!(
                "The datapoints are {}-minute sums: peaks inside a period are unknown, and {inside}; export 1-minute datapoints to see them.\n",
                m.period_minutes
            ));
        }
        if m.truncated {
            out.push_str(
                "The metrics file ends with a NextToken: CloudWatch had more datapoints than it holds; fetch every page and replay them together.\n",
            );
        }
        if !m.index_writes_ignored.is_empty() {
            out.push_str(&format!(
                "Write series of GSI {} were not replayed: a GSI's writes follow the table's writes.\n",
                m.index_writes_ignored.join(", ")
            ));
        }
    }
    out
}

/// How a searched policy reads in the recommendation: the keys to set in the table's (and each
/// GSI's) `autoscaling`.
fn describe(policy: &Policy) -> String {
    let mut text = format!(
        "autoscaling at target {}%, min_read {}, min_write {}",
        (policy.target * 100.0).round(),
        policy.min_read,
        policy.min_write
    );
    if !policy.indexes.is_empty() {
        let indexes: Vec<String> = policy
            .indexes
            .iter()
            .map(|i| {
                format!(
                    "{}: min_read {}, min_write {}",
                    i.index, i.min_read, i.min_write
                )
            })
            .collect();
        text += &format!(" ({})", indexes.join("; "));
    }
    text
}

/// The recommendation as a sentence: what to run, and why; when nothing is within the budget,
/// what would help given the causes of the option's throttles.
fn recommendation(r: Option<&Recommendation>, causes: &[Cause]) -> String {
    let Some(r) = r else {
        return "nothing was simulated".into();
    };
    let pct = |s: f64| format!("{:.4}%", s * 100.0);
    let name = r
        .policy
        .as_ref()
        .map_or_else(|| r.model.name().to_string(), describe);
    match (r.reason, r.monthly_cost) {
        (RecommendationReason::CheapestWithinBudget, Some(cost)) => format!(
            "{name}: the cheapest within the throttling budget ({} of requests may fail, {} simulated), {} a month",
            pct(r.max_throttled),
            pct(r.failed_share),
            cost::dollars(cost)
        ),
        _ => {
            let advice: Vec<&str> = causes.iter().map(|&c| remedy(c)).collect();
            format!(
                "no model stays within the throttling budget ({} of requests may fail); {name} fails fewest ({}){}{}",
                pct(r.max_throttled),
                pct(r.failed_share),
                if advice.is_empty() { "" } else { "; " },
                advice.join("; ")
            )
        }
    }
}

/// What relieves throttles of `cause` (§11.1 [THR][THRDIAG]).
fn remedy(cause: Cause) -> &'static str {
    match cause {
        Cause::KeyRange => {
            "spread the hot key's traffic over more keys (no capacity lifts a key past 3,000 reads / 1,000 writes a second)"
        }
        Cause::ProvisionedThroughput => "raise the provisioned capacity or its minimum",
        Cause::OnDemandRamp => {
            "pre-warm the table (warm throughput) or let traffic grow over 30 minutes"
        }
        Cause::MaxOnDemand => "raise the on-demand maximum throughput",
        Cause::TableQuota => "request a higher per-table throughput quota",
        Cause::GsiBackPressure => "give the GSI as much write capacity as the table",
    }
}

/// `▁▂▃▄▅▆▇█` bars of `values` scaled to their maximum; `·` marks zero.
pub fn sparkline(values: impl Iterator<Item = f64> + Clone) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.clone().fold(0.0, f64::max);
    values
        .map(|v| {
            if v <= 0.0 || max <= 0.0 {
                '·'
            } else {
                BARS[((v / max * 7.0).round() as usize).min(7)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::result::IndexMinimums;
    use crate::sim::Model;

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline([0.0, 1.0, 7.0].into_iter()), "·▂█");
    }

    #[test]
    fn a_searched_policy_reads_as_the_keys_to_set() {
        let policy = Policy {
            target: 0.9,
            min_read: 5,
            min_write: 7,
            indexes: vec![IndexMinimums {
                index: "gsi".into(),
                min_read: 1,
                min_write: 2,
            }],
        };
        let over = Recommendation {
            reason: RecommendationReason::LeastThrottled,
            model: Model::Autoscaling,
            policy: Some(policy),
            throttled_share: 0.05,
            failed_share: 0.02,
            max_throttled: 0.01,
            monthly_cost: Some(Decimal::from(10)),
        };
        assert_eq!(
            recommendation(Some(&over), &[Cause::OnDemandRamp]),
            "no model stays within the throttling budget (1.0000% of requests may fail); \
             autoscaling at target 90%, min_read 5, min_write 7 (gsi: min_read 1, min_write 2) \
             fails fewest (2.0000%); pre-warm the table (warm throughput) or let traffic grow \
             over 30 minutes"
        );
        assert_eq!(recommendation(None, &[]), "nothing was simulated");
    }
}
