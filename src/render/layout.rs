//! The report laid out once as titled tables and notes; the terminal and Markdown renderers
//! only differ in how they draw them.

use rust_decimal::Decimal;

use crate::demand::{Kind, TableDemand, Target};
use crate::diagnostic::{Diagnostic, Severity};
use crate::plan::PlanReport;
use crate::plan::{ModeCost, Recommendation, TableCosts};
use crate::quantity::{group_digits, Size};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A heading, an optional table, and lines of notes under it.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub title: String,
    pub columns: Vec<(&'static str, Align)>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

fn units(value: Decimal) -> String {
    group_digits(value.round_dp(2))
}

fn target_name(target: &Target) -> String {
    match target {
        Target::Table => "table".into(),
        Target::Gsi(name) => format!("GSI {name}"),
    }
}

pub fn sections(report: &PlanReport, explain: bool) -> Vec<Section> {
    let mut sections = vec![Section {
        title: format!("Capacity plan: {} ({})", report.spec, report.region),
        notes: vec![format!(
            "Units per second; peaks from each table's traffic shape; month = {} h.",
            report.month_hours
        )],
        ..Section::default()
    }];
    for (table, costs) in report.tables.iter().zip(&report.costs) {
        sections.push(patterns(table, explain));
        sections.push(targets(table));
        sections.push(cost_modes(costs));
        if explain {
            sections.extend(costs.modes.iter().map(|m| cost_lines(&costs.table, m)));
        }
        let extras = extras(table);
        if !extras.is_empty() {
            sections.push(Section {
                title: format!("{}: also", table.name),
                notes: extras,
                ..Section::default()
            });
        }
    }
    sections.push(Section {
        title: "Workload".into(),
        notes: vec![match report.total_monthly {
            Some(total) => format!(
                "{} a month with each table in its recommended mode.",
                crate::cost::dollars(total)
            ),
            None => "No workload total: a table has no recommended mode (a price is missing or every mode throttles).".into(),
        }],
        ..Section::default()
    });
    let findings: Vec<&Diagnostic> = report.findings().collect();
    if !findings.is_empty() {
        sections.push(Section {
            title: "Findings".into(),
            notes: findings
                .iter()
                .map(|d| {
                    let at = d
                        .position
                        .map(|p| format!(" (line {}, column {})", p.line, p.column))
                        .unwrap_or_default();
                    let level = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    format!(
                        "{level}[{}] {}{at}: {} Fix: {}",
                        d.code, d.path, d.message, d.fix
                    )
                })
                .collect(),
            ..Section::default()
        });
    }
    if !report.caveats.is_empty() {
        sections.push(Section {
            title: "Caveats".into(),
            notes: report.caveats.clone(),
            ..Section::default()
        });
    }
    sections
}

fn patterns(table: &TableDemand, explain: bool) -> Section {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for p in &table.patterns {
        let unit = match p.kind {
            Kind::Read => "RCU",
            Kind::Write => "WCU",
        };
        rows.push(vec![
            p.label.clone(),
            p.op.to_string(),
            target_name(&p.target),
            p.rate.clone(),
            format!("{} {unit}", units(p.units_per_request)),
            units(p.units.mean),
            units(p.units.peak),
            format!(
                "{}%",
                group_digits((p.share * Decimal::ONE_HUNDRED).round_dp(1))
            ),
        ]);
        for w in &p.index_writes {
            rows.push(vec![
                format!("  ↳ {} ({})", w.index, w.event.name()),
                "index write".into(),
                match w.kind {
                    crate::workload::model::IndexKind::Global => format!("GSI {}", w.index),
                    crate::workload::model::IndexKind::Local => "table (LSI)".into(),
                },
                String::new(),
                format!("{} WCU", units(w.units_per_request)),
                units(w.units.mean),
                units(w.units.peak),
                String::new(),
            ]);
        }
        if explain {
            notes.extend(p.working.iter().map(|w| format!("{}: {w}", p.label)));
        }
    }
    Section {
        title: format!(
            "{}: access patterns ({} items of {} B)",
            table.name,
            group_digits(table.items.into()),
            group_digits(table.item_bytes.into())
        ),
        columns: vec![
            ("Pattern", Align::Left),
            ("Call", Align::Left),
            ("On", Align::Left),
            ("Rate", Align::Right),
            ("Per request", Align::Right),
            ("Mean units/s", Align::Right),
            ("Peak units/s", Align::Right),
            ("Share", Align::Right),
        ],
        rows,
        notes,
    }
}

fn targets(table: &TableDemand) -> Section {
    Section {
        title: format!("{}: capacity by table and index", table.name),
        columns: vec![
            ("Target", Align::Left),
            ("Reads mean", Align::Right),
            ("Reads peak", Align::Right),
            ("Writes mean", Align::Right),
            ("Writes peak", Align::Right),
            ("Items", Align::Right),
            ("Storage", Align::Right),
            ("Partitions", Align::Right),
        ],
        rows: table
            .targets
            .iter()
            .map(|t| {
                vec![
                    target_name(&t.target),
                    units(t.reads.mean),
                    units(t.reads.peak),
                    units(t.writes.mean),
                    units(t.writes.peak),
                    group_digits(t.items.into()),
                    Size::from_bytes(t.storage_bytes).to_string(),
                    t.partitions.to_string(),
                ]
            })
            .collect(),
        notes: Vec::new(),
    }
}

fn money(amount: Option<Decimal>) -> String {
    amount.map_or_else(|| "unpriced".to_string(), crate::cost::dollars)
}

fn recommendation(r: &Recommendation) -> String {
    match &r.runner_up {
        Some(next) => format!(
            "Capacity mode: {} is cheapest, {} a month less than {}.",
            r.mode,
            crate::cost::dollars(next.saving),
            next.mode
        ),
        None => format!("Capacity mode: {} is the only fully priced mode.", r.mode),
    }
}

fn cost_modes(costs: &TableCosts) -> Section {
    let mut notes: Vec<String> = costs.recommendation.iter().map(recommendation).collect();
    notes.extend(costs.advice.iter().cloned());
    for mode in &costs.modes {
        if let Some(reason) = &mode.throttles {
            notes.push(format!(
                "{}: throttles ({reason}), so it is never recommended.",
                mode.mode
            ));
        }
        let missing = mode.bill.unpriced();
        if !missing.is_empty() {
            notes.push(format!(
                "{}: no price for {}; its total leaves those lines out (add them with --prices).",
                mode.mode,
                missing.join(", ")
            ));
        }
    }
    let uncertain: std::collections::BTreeSet<String> = costs
        .modes
        .iter()
        .flat_map(|m| &m.bill.lines)
        .filter(|l| l.uncertain)
        .map(|l| l.price_name.to_string())
        .collect();
    if !uncertain.is_empty() {
        notes.push(format!(
            "Prices the catalog marks uncertain: {} (docs/pricing.md).",
            uncertain.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let simulated = costs.modes.iter().any(|m| m.simulated_throttled.is_some());
    let mut columns = vec![
        ("Mode", Align::Left),
        ("Capacity", Align::Left),
        ("Monthly", Align::Right),
    ];
    if simulated {
        columns.push(("Throttled (simulated week)", Align::Right));
    }
    Section {
        title: format!("{}: monthly cost by capacity mode", costs.table),
        columns,
        rows: costs
            .modes
            .iter()
            .map(|m| {
                let complete = m.bill.complete();
                let mut row = vec![
                    m.mode.label().to_string(),
                    m.capacity.clone(),
                    format!(
                        "{}{}{}",
                        money(Some(m.bill.total())),
                        if complete { "" } else { " + unpriced" },
                        if m.throttles.is_some() {
                            " (throttles)"
                        } else {
                            ""
                        }
                    ),
                ];
                if simulated {
                    row.push(m.simulated_throttled.map_or_else(String::new, |share| {
                        format!(
                            "{}%",
                            group_digits((share * Decimal::ONE_HUNDRED).round_dp(3))
                        )
                    }));
                }
                row
            })
            .collect(),
        notes,
    }
}

fn cost_lines(table: &str, mode: &ModeCost) -> Section {
    Section {
        title: format!("{table}: {} cost lines", mode.mode.label()),
        columns: vec![
            ("Line", Align::Left),
            ("Quantity", Align::Left),
            ("Unit price", Align::Right),
            ("Amount", Align::Right),
            ("Source", Align::Left),
        ],
        rows: mode
            .bill
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.name.clone(),
                    l.working.clone(),
                    l.unit_price
                        .map_or_else(|| "missing".into(), |p| format!("${}", p.normalize())),
                    money(l.amount),
                    format!(
                        "{}{}",
                        l.source.clone().unwrap_or_default(),
                        if l.uncertain { " (uncertain)" } else { "" }
                    ),
                ]
            })
            .collect(),
        notes: Vec::new(),
    }
}

fn extras(table: &TableDemand) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(r) = &table.replication {
        notes.push(format!(
            "Global table: {} replicated write units/s (peak {}) into each of {}.",
            units(r.units_per_region.mean),
            units(r.units_per_region.peak),
            r.regions.join(", ")
        ));
    }
    if let Some(s) = &table.streams {
        notes.push(format!(
            "Streams: {} records/s; {} billed GetRecords calls/s from {} non-Lambda reader(s){}.",
            units(s.records_per_second),
            units(s.billed_requests_per_second),
            s.billed_readers,
            if s.kinesis_units_per_second.is_zero() {
                String::new()
            } else {
                format!(
                    "; {} Kinesis change-data-capture units/s",
                    units(s.kinesis_units_per_second)
                )
            }
        ));
    }
    if !table.ttl_deletes_per_second.is_zero() {
        notes.push(format!(
            "TTL deletes {} items/s, free on this table.",
            units(table.ttl_deletes_per_second)
        ));
    }
    let dax = table.dax_offload;
    if !dax.is_zero() {
        notes.push(format!(
            "DAX serves {} read units/s from cache.",
            units(dax)
        ));
    }
    if let Some(hot) = &table.hot_key {
        notes.push(format!(
            "Hottest key: {}% of requests, {} read and {} write units/s at peak (limit 3,000 / 1,000 per key).",
            group_digits((hot.share * Decimal::ONE_HUNDRED).round_dp(3)),
            units(hot.read_units),
            units(hot.write_units)
        ));
    }
    if let Some(bytes) = table.lsi_collection_bytes {
        notes.push(format!(
            "Average item collection with LSI entries: {} (limit 10 GB).",
            Size::from_bytes(bytes)
        ));
    }
    notes
}
