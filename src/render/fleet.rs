//! The fleet report as terminal tables, Markdown and CSV: one row per table, largest saving
//! first, then the totals per account and Region and the tables that failed.

use rust_decimal::Decimal;

use super::layout::{Align, Section};
use super::Terminal;
use crate::cost::dollars;
use crate::fleet::{Choice, FleetReport, Risk, TableRow, Total};
use crate::quantity::group_digits;

fn money(amount: Option<Decimal>) -> String {
    amount.map_or_else(|| "unpriced".into(), dollars)
}

fn share(share: Option<Decimal>) -> String {
    share.map_or_else(String::new, |s| {
        format!("{}%", group_digits((s * Decimal::ONE_HUNDRED).round_dp(3)))
    })
}

fn choice(c: &Choice) -> String {
    format!("{} {}", c.mode.label(), c.class.label())
}

fn risk(r: Risk) -> &'static str {
    match r {
        Risk::Throttling => "throttling",
        Risk::HotKey => "hot key",
        Risk::GsiBackPressure => "GSI back-pressure",
        Risk::TableQuota => "table quota",
    }
}

fn risks(row: &TableRow) -> String {
    row.risks
        .iter()
        .map(|&r| risk(r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The recommended choice, or why there is none.
fn recommended(row: &TableRow) -> (String, String, String) {
    match &row.recommended {
        Some(r) => (choice(r), money(r.monthly), share(r.throttled)),
        None => (
            "none: every mode throttles or is unpriced".into(),
            String::new(),
            String::new(),
        ),
    }
}

fn sections(report: &FleetReport) -> Vec<Section> {
    let title = match report.shard {
        Some([k, n]) => format!("Fleet: {} tables (shard {k} of {n})", report.tables.len()),
        None => format!("Fleet: {} tables", report.tables.len()),
    };
    let billed = report.tables.iter().any(|r| r.billed.is_some());
    let rows = report
        .tables
        .iter()
        .map(|row| {
            let (mode, monthly, throttled) = recommended(row);
            let mut cells = vec![
                row.key.account.clone(),
                row.key.region.clone(),
                row.key.table.clone(),
                choice(&row.current),
                money(row.current.monthly),
                share(row.current.throttled),
                mode,
                monthly,
                throttled,
                row.saving.map_or_else(String::new, dollars),
                risks(row),
            ];
            if billed {
                cells.push(
                    row.billed
                        .as_ref()
                        .map_or_else(String::new, |b| dollars(b.billed)),
                );
            }
            cells
        })
        .collect();
    let mut out = vec![Section {
        title,
        columns: vec![
            ("Account", Align::Left),
            ("Region", Align::Left),
            ("Table", Align::Left),
            ("Today", Align::Left),
            ("Monthly", Align::Right),
            ("Throttled", Align::Right),
            ("Recommended", Align::Left),
            ("Monthly", Align::Right),
            ("Throttled", Align::Right),
            ("Saving", Align::Right),
            ("Risks", Align::Left),
        ],
        rows,
        notes: vec![
            "Throttled: share of requests that fail throttled when the table's measured traffic is replayed.".into(),
        ],
    }];
    if billed {
        out[0].columns.push(("Billed", Align::Right));
        out[0].notes.push(
            "Billed: what the Cost and Usage Report charged the table, beside today's monthly plan.".into(),
        );
        for row in report.tables.iter().filter(|r| r.billed.is_some()) {
            let b = row.billed.as_ref().expect("filtered on billed");
            if b.lines_differing > 0 {
                out[0].notes.push(format!(
                    "{}: billed {} against {} planned today ({} lines differ by a cent or more).",
                    row.key.table,
                    dollars(b.billed),
                    dollars(b.planned),
                    b.lines_differing
                ));
            }
        }
    }
    let totals: Vec<&Total> = report.totals.iter().chain([&report.total]).collect();
    out.push(Section {
        title: "Totals by account and Region".into(),
        columns: vec![
            ("Account", Align::Left),
            ("Region", Align::Left),
            ("Tables", Align::Right),
            ("Monthly today", Align::Right),
            ("Recommended", Align::Right),
            ("Saving", Align::Right),
            ("At risk", Align::Right),
            ("Not summed", Align::Right),
        ],
        rows: totals
            .iter()
            .map(|t| {
                vec![
                    t.account.clone(),
                    t.region.clone(),
                    t.tables.to_string(),
                    dollars(t.current),
                    dollars(t.recommended),
                    dollars(t.saving),
                    t.at_risk.to_string(),
                    t.unknown.to_string(),
                ]
            })
            .collect(),
        notes: vec![
            "Not summed: tables with a missing price or no mode that does not throttle, left out of the sums.".into(),
        ],
    });
    if !report.failed.is_empty() {
        out.push(Section {
            title: format!("{} tables could not be planned", report.failed.len()),
            notes: report
                .failed
                .iter()
                .map(|f| format!("{} ({}): {}", f.key.table, f.source, f.error))
                .collect(),
            ..Section::default()
        });
    }
    out
}

pub fn terminal(report: &FleetReport, terminal: Terminal) -> String {
    super::terminal::render(&sections(report), &terminal)
}

pub fn markdown(report: &FleetReport) -> String {
    super::markdown::render(&sections(report))
}

/// One row per table with plain numbers (dollars in cents without `$`, as the terminal rounds
/// them; shares as fractions), then one per table that failed, for spreadsheets. The JSON
/// report keeps the exact amounts.
pub fn csv(report: &FleetReport) -> String {
    let mut out = String::from(
        "account,region,table,current_mode,current_class,current_monthly,current_throttled,recommended_mode,recommended_class,recommended_monthly,recommended_throttled,saving,risks,error\n",
    );
    let number = |n: Option<Decimal>| n.map_or_else(String::new, |n| n.normalize().to_string());
    let cents = |n: Option<Decimal>| {
        n.map_or_else(String::new, |n| format!("{:.2}", crate::cost::cents(n)))
    };
    for row in &report.tables {
        let (mode, class, monthly, throttled) = match &row.recommended {
            Some(r) => (r.mode.name(), r.class.name(), r.monthly, r.throttled),
            None => ("", "", None, None),
        };
        let risks: Vec<&str> = row.risks.iter().map(|&r| risk(r)).collect();
        let cells = [
            row.key.account.clone(),
            row.key.region.clone(),
            row.key.table.clone(),
            row.current.mode.name().into(),
            row.current.class.name().into(),
            cents(row.current.monthly),
            number(row.current.throttled),
            mode.into(),
            class.into(),
            cents(monthly),
            number(throttled),
            cents(row.saving),
            risks.join("; "),
            String::new(),
        ];
        push_row(&mut out, &cells);
    }
    for f in &report.failed {
        let mut cells = vec![String::new(); 14];
        cells[0] = f.key.account.clone();
        cells[1] = f.key.region.clone();
        cells[2] = f.key.table.clone();
        cells[13] = format!("{}: {}", f.source, f.error);
        push_row(&mut out, &cells);
    }
    out
}

/// A CSV row: cells with a comma, quote or line break quoted (RFC 4180).
fn push_row(out: &mut String, cells: &[String]) {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    out.push_str(&quoted.join(","));
    out.push('\n');
}
