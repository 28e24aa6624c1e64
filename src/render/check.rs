//! The check and diff report laid out as sections: totals first, then budgets, then the changed
//! cost lines, with every message in folded details. Formatting only; the figures come from
//! the model.

use rust_decimal::Decimal;

use super::layout::{Align, Section};
use crate::capacity::CapacityMode;
use crate::check::{
    show, signed_dollars, signed_share, Change, CheckReport, Comparison, Measure, Presence, Status,
    TableCost, Verdict, Warning,
};
use crate::cost::dollars;
use crate::workload::model::CapacityChoice;

fn money(amount: Option<Decimal>) -> String {
    amount.map_or_else(|| "unpriced".into(), dollars)
}

/// Before, after, change and % cells when there is a baseline; the monthly cost alone if not.
fn cost_cells(change: &Change, baseline: bool) -> Vec<String> {
    if !baseline {
        return vec![money(change.after)];
    }
    vec![
        money(change.before),
        money(change.after),
        change.change.map_or_else(String::new, signed_dollars),
        change.change_share.map_or_else(String::new, signed_share),
    ]
}

fn cost_columns(baseline: bool) -> Vec<(&'static str, Align)> {
    if baseline {
        vec![
            ("Before", Align::Right),
            ("After", Align::Right),
            ("Change", Align::Right),
            ("%", Align::Right),
        ]
    } else {
        vec![("Monthly", Align::Right)]
    }
}

/// A table's row of the monthly cost table: with a baseline the mode reads `old → new` when it
/// changed, and the side that does not hold the table reads `new` or `removed`.
fn cost_row(c: &TableCost) -> Vec<String> {
    let label = |mode: Option<CapacityMode>| {
        let mode = mode.map_or("none", CapacityMode::label);
        match c.capacity {
            CapacityChoice::Compare => format!("{mode} (cheapest)"),
            _ => mode.to_string(),
        }
    };
    let mode = match c.presence {
        None => label(c.mode),
        Some(Presence::Added) => format!("new → {}", label(c.mode)),
        Some(Presence::Removed) => format!("{} → removed", label(c.mode_before)),
        Some(Presence::Both) if c.mode_before == c.mode => label(c.mode),
        Some(Presence::Both) => format!(
            "{} → {}",
            c.mode_before.map_or("none", CapacityMode::label),
            label(c.mode)
        ),
    };
    let mut row = vec![c.table.clone(), mode];
    row.extend(cost_cells(&c.monthly, c.presence.is_some()));
    match c.presence {
        Some(Presence::Added) => row[2] = "new".into(),
        Some(Presence::Removed) => row[3] = "removed".into(),
        _ => {}
    }
    row
}

/// `warning[hot-key] tables[0].access[1] (line 12)`.
fn warning_place(w: &Warning) -> String {
    let at = w
        .position
        .map(|p| format!(" (line {})", p.line))
        .unwrap_or_default();
    format!("{}[{}] {}{at}", w.severity, w.code, w.path)
}

fn verdict_row(v: &Verdict) -> Vec<String> {
    vec![
        v.budget.name().to_string(),
        v.table.clone().unwrap_or_else(|| "total".into()),
        show(v.unit, v.limit),
        v.value
            .map_or_else(|| "—".into(), |value| show(v.unit, value)),
        match v.status {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::NotEvaluated => "not evaluated",
        }
        .to_string(),
    ]
}

/// The sections shown open, and those folded under "Details".
pub fn sections(report: &CheckReport) -> (Vec<Section>, Vec<Section>) {
    let baseline = report.baseline.is_some();
    let title = match (&report.kind, &report.baseline) {
        (Comparison::Diff, Some(before)) => {
            format!("capacity-plan diff: {before} → {}", report.spec)
        }
        (_, Some(before)) => format!("capacity-plan check: {} (against {before})", report.spec),
        (_, None) => format!("capacity-plan check: {}", report.spec),
    };
    let mut notes = vec![report.headline.clone()];
    if let (Comparison::Check, Some(diff)) = (report.kind, &report.diff) {
        notes.push(format!("Change: {}", diff.summary));
    }
    let mut open = vec![Section {
        title,
        notes,
        ..Section::default()
    }];
    let mut columns = vec![("Table", Align::Left), ("Mode", Align::Left)];
    columns.extend(cost_columns(baseline));
    let mut rows: Vec<Vec<String>> = report.costs.iter().map(cost_row).collect();
    let mut total = vec!["total".to_string(), String::new()];
    total.extend(cost_cells(&report.total, baseline));
    rows.push(total);
    open.push(Section {
        title: "Monthly cost".into(),
        columns,
        rows,
        notes: std::iter::once("Budgets apply to the mode the table's `capacity:` names; for `compare`, the mode the plan recommends (the cheapest fully priced one that does not throttle).".to_string())
            .chain(report.costs.iter().filter(|c| !c.complete).map(|c| {
                format!("{}: some lines have no price; its cost counts the priced lines only.", c.table)
            }))
            .chain(report.costs.iter().filter_map(|c| {
                let term = super::layout::term_words(c.commitment?);
                Some(format!("{}: budgeted at reserved, its cheapest mode, which assumes a {term} commitment: reserved blocks are paid for every hour of their term (set `capacity:` to budget another mode).", c.table))
            }))
            .collect(),
    });
    if report.kind == Comparison::Check {
        open.push(Section {
            title: "Budgets".into(),
            columns: vec![
                ("Budget", Align::Left),
                ("Scope", Align::Left),
                ("Limit", Align::Right),
                ("Value", Align::Right),
                ("Verdict", Align::Left),
            ],
            rows: report.verdicts.iter().map(verdict_row).collect(),
            notes: report
                .verdicts
                .iter()
                .filter(|v| v.status != Status::Pass)
                .map(|v| v.message.clone())
                .collect(),
        });
    }
    let mut details = Vec::new();
    if let Some(diff) = &report.diff {
        let mut columns = vec![
            ("Table", Align::Left),
            ("Line", Align::Left),
            ("Region", Align::Left),
        ];
        columns.extend(cost_columns(true));
        let mut notes = Vec::new();
        let mut rows = Vec::new();
        for table in &diff.tables {
            for line in &table.lines {
                let mut row = vec![table.table.clone(), line.name.clone(), line.region.clone()];
                row.extend(cost_cells(&line.cost, true));
                rows.push(row);
            }
            if let Some(t) = &table.throttled {
                notes.push(format!(
                    "{}: throttled {} → {}",
                    table.table,
                    t.before
                        .map_or("not simulated".into(), |s| show(Measure::Share, s)),
                    t.after
                        .map_or("not simulated".into(), |s| show(Measure::Share, s))
                ));
            }
        }
        if rows.is_empty() {
            notes.insert(0, "No cost line changed.".into());
            columns.clear();
        }
        open.push(Section {
            title: "Changed cost lines".into(),
            columns,
            rows,
            notes,
        });
        let warnings: Vec<String> = diff
            .new_warnings
            .iter()
            .chain(diff.tables.iter().flat_map(|t| &t.new_warnings))
            .map(|w| format!("{}: {}", warning_place(w), w.message))
            .collect();
        if !warnings.is_empty() {
            details.push(Section {
                title: "New warnings".into(),
                notes: warnings,
                ..Section::default()
            });
        }
        let changed: Vec<String> = diff
            .changed_warnings
            .iter()
            .chain(diff.tables.iter().flat_map(|t| &t.changed_warnings))
            .map(|c| {
                format!(
                    "{}: {} (was: {})",
                    warning_place(&c.after),
                    c.after.message,
                    c.before.message
                )
            })
            .collect();
        if !changed.is_empty() {
            details.push(Section {
                title: "Changed warnings".into(),
                notes: changed,
                ..Section::default()
            });
        }
    }
    if !report.verdicts.is_empty() {
        details.push(Section {
            title: "Every budget".into(),
            notes: report
                .verdicts
                .iter()
                .map(|v| {
                    let at = v
                        .position
                        .map(|p| format!(" (line {})", p.line))
                        .unwrap_or_default();
                    format!("{}{at}: {}", verdict_row(v)[4], v.message)
                })
                .collect(),
            ..Section::default()
        });
    }
    (open, details)
}
