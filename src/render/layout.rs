//! The report laid out once as titled tables and notes; the terminal and Markdown renderers
//! only differ in how they draw them.

use rust_decimal::Decimal;

use crate::demand::{Kind, TableDemand, Target};
use crate::diagnostic::{Diagnostic, Severity};
use crate::plan::PlanReport;
use crate::plan::{
    Advice, CapacityUnit, ClassAdvice, DaxAdvice, InheritedMinimums, Limit, ModeCost, Reason,
    Recommendation, Reservation, Shortfall, TableCosts,
};
use crate::pricing::Term;
use crate::quantity::{count, group_digits, Size};

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

/// The title of the report's findings, which the terminal shows with their spec lines.
pub const FINDINGS: &str = "Findings";

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
        sections.push(cost_modes(costs, &report.region));
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
            None => "No workload total: a table has no fully priced recommended mode (a price is missing) or every mode throttles.".into(),
        }],
        ..Section::default()
    });
    let findings: Vec<&Diagnostic> = report.findings().collect();
    if !findings.is_empty() {
        sections.push(Section {
            title: FINDINGS.into(),
            notes: findings
                .iter()
                .map(|d| {
                    let at = d
                        .position
                        .map(|p| format!(" ({}:{}:{})", report.spec, p.line, p.column))
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
                    group_digits(t.partitions.into()),
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
    if r.reason == Reason::PartialComparison {
        let against = match &r.runner_up {
            Some(next) => format!(
                ", {} a month less than {}",
                crate::cost::dollars(next.saving),
                next.mode
            ),
            None => String::new(),
        };
        let not_compared = if r.not_compared.is_empty() {
            String::new()
        } else {
            let modes: Vec<String> = r.not_compared.iter().map(|m| m.to_string()).collect();
            format!(
                " {} could not be compared (a price of its own is missing, named below).",
                modes.join(", ")
            )
        };
        return format!(
            "Capacity mode (partial comparison): {} is cheapest of the modes that can be priced{against}; \
             every total leaves out {}, which no mode has a price for.{not_compared}",
            r.mode,
            r.unpriced.join(", ")
        );
    }
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

fn cost_modes(costs: &TableCosts, region: &str) -> Section {
    let mut notes: Vec<String> = costs.recommendation.iter().map(recommendation).collect();
    if costs.recommendation.is_none() && costs.modes.iter().any(|m| !m.throttles()) {
        notes.push(
            "Capacity mode: none can be recommended; each mode that carries the peak lacks a price of its own (named below), so they cannot be ranked.".into(),
        );
    }
    notes.extend(costs.advice.iter().map(|a| match a {
        Advice::TableClass(class) => class_advice(class),
        Advice::Dax(dax) => dax_advice(dax),
        Advice::InheritedMinimums(m) => inherited_minimums(m),
    }));
    for mode in &costs.modes {
        if let Some(r) = mode
            .reservation
            .as_ref()
            .filter(|r| r.read.total > r.read.owned || r.write.total > r.write.owned)
        {
            notes.push(commitment(r));
        }
        if mode.throttles() {
            notes.push(format!(
                "{}: throttles ({}), so it is never recommended.",
                mode.mode,
                throttling(mode)
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
                    capacity(m, region),
                    format!(
                        "{}{}{}",
                        money(Some(m.bill.total())),
                        if complete { "" } else { " + unpriced" },
                        if m.throttles() { " (throttles)" } else { "" }
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

/// The capacity a mode was priced with, one line per target: the home Region's table and
/// GSIs, then each replica's (billed there too); a reserved mode shows the blocks bought, its
/// capacity being the provisioned mode's.
fn capacity(mode: &ModeCost, region: &str) -> String {
    if let Some(r) = &mode.reservation {
        return format!(
            "{}: {} × 100 RCU ({} owned) + {} × 100 WCU ({} owned)",
            r.term.name(),
            group_digits(r.read.total.into()),
            group_digits(r.read.owned.into()),
            group_digits(r.write.total.into()),
            group_digits(r.write.owned.into())
        );
    }
    mode.capacity
        .iter()
        .map(|c| {
            let replica = if c.region == region {
                String::new()
            } else {
                format!("{} replica ", c.region)
            };
            let target = c
                .index
                .as_ref()
                .map_or(format!("{replica}table"), |i| format!("{replica}GSI {i}"));
            match c.unit {
                CapacityUnit::RequestUnitsPerMonth => format!(
                    "{target} {} RRU + {} WRU a month",
                    group_digits(c.read.round()),
                    group_digits(c.write.round())
                ),
                CapacityUnit::CapacityUnits => format!(
                    "{target} {} RCU / {} WCU{}",
                    group_digits(c.read),
                    group_digits(c.write),
                    if c.read.fract().is_zero() && c.write.fract().is_zero() {
                        ""
                    } else {
                        " (average held)"
                    }
                ),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A GSI held at the table's autoscaling floor, and what that floor costs.
fn inherited_minimums(m: &InheritedMinimums) -> String {
    let floor: Vec<String> = [(m.min_read, "RCU"), (m.min_write, "WCU")]
        .into_iter()
        .filter_map(|(min, unit)| Some(format!("{} {unit}", group_digits(min?.into()))))
        .collect();
    format!(
        "GSI {} inherits the table's autoscaling minimums ({}): {} RCU and {} WCU above what its own demand needs, {} a month in autoscaling mode; give the index an `autoscaling:` of its own to size it to its demand.",
        m.index,
        floor.join(", "),
        group_digits(m.extra_read),
        group_digits(m.extra_write),
        crate::cost::dollars(m.monthly)
    )
}

/// What buying a reservation's new blocks commits to, beyond the one month its bill shows.
fn commitment(r: &Reservation) -> String {
    format!(
        "reserved: buying its blocks is {}.",
        commitment_phrase(r.term, &r.commitment)
    )
}

/// `a 1-year commitment: $… upfront, $… over the term with the hourly fees ($… a month)`: the
/// words a plan and `calc cost` give a reservation's commitment.
pub(super) fn commitment_phrase(term: Term, c: &crate::cost::Commitment) -> String {
    format!(
        "a {} commitment: {} upfront, {} over the term with the hourly fees ({} a month)",
        term_words(term),
        crate::cost::dollars(c.upfront),
        crate::cost::dollars(c.term_total),
        crate::cost::dollars(c.monthly_equivalent)
    )
}

/// `1-year`, `3-year`: a reservation's term as people say it.
pub(super) fn term_words(term: Term) -> &'static str {
    match term {
        Term::OneYear => "1-year",
        Term::ThreeYears => "3-year",
    }
}

/// Why a mode throttles: each shortfall, then a simulated share over its budget.
fn throttling(mode: &ModeCost) -> String {
    let mut reasons: Vec<String> = Vec::new();
    let short: Vec<String> = mode.shortfalls.iter().map(shortfall).collect();
    if !short.is_empty() {
        reasons.push(short.join(", "));
    }
    if let (Some(budget), Some(share)) = (mode.over_throttle_budget, mode.simulated_throttled) {
        reasons.push(format!(
            "{}% of request units throttled in the simulated week, over the {}% budget",
            (share * Decimal::ONE_HUNDRED).round_dp(3).normalize(),
            (budget * Decimal::ONE_HUNDRED).normalize()
        ));
    }
    reasons.join("; ")
}

fn shortfall(s: &Shortfall) -> String {
    let unit = match (s.limit, s.kind) {
        (Limit::Provisioned, Kind::Read) => "RCU",
        (Limit::Provisioned, Kind::Write) => "WCU",
        (Limit::AutoscalingMax, Kind::Read) => "RCU max",
        (Limit::AutoscalingMax, Kind::Write) => "WCU max",
        (Limit::OnDemandMax, Kind::Read) => "RRU/s max",
        (Limit::OnDemandMax, Kind::Write) => "WRU/s max",
    };
    format!(
        "{} {} {unit} < {} at peak",
        target_name(&s.target),
        group_digits(s.have),
        units(s.need)
    )
}

fn class_advice(a: &ClassAdvice) -> String {
    let dollars = crate::cost::dollars;
    match (&a.other_best, a.saving) {
        (Some(then), Some(saving)) if saving > Decimal::ZERO => format!(
            "Table class: {} would save {} a month ({} {} vs {} {}).",
            a.other.label(),
            dollars(saving),
            then.mode,
            dollars(then.monthly),
            a.best.mode,
            dollars(a.best.monthly)
        ),
        (Some(_), Some(saving)) => format!(
            "Table class: {} is right; {} would cost {} more a month.",
            a.class.label(),
            a.other.label(),
            dollars(-saving)
        ),
        _ => format!(
            "Table class: {} cannot be compared; the catalog lacks its prices here (add them with --prices).",
            a.other.label()
        ),
    }
}

fn dax_advice(a: &DaxAdvice) -> String {
    let dollars = crate::cost::dollars;
    let verdict = if a.pays_for_itself {
        "pays for itself"
    } else {
        "costs more than the reads it saves; keep it only for latency"
    };
    let fit = match &a.smallest_node_type {
        Some(smallest) if *smallest == a.node_type => {
            format!("{smallest} is the smallest node type that carries it")
        }
        Some(smallest) => format!(
            "the smallest node type that carries it is {smallest}, not {}",
            a.node_type
        ),
        None => a.sizing_warnings.join("; "),
    };
    format!(
        "DAX: {} cost {} a month and take {} read units/s off the table, worth {} on-demand or {} provisioned: it {verdict}. AWS's sizing method asks {} normalized requests/s at a 70% target; {fit}.",
        count(a.nodes, "node", "nodes"),
        dollars(a.monthly),
        units(a.offload),
        dollars(a.saves_on_demand),
        dollars(a.saves_provisioned),
        group_digits(a.sizing_target_rps.round())
    )
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
            "Global table: {} replicated write units/s (peak {}) into each of {}{}; {} B/s sent to each.",
            units(r.units_per_region.mean),
            units(r.units_per_region.peak),
            r.regions.join(", "),
            if r.ttl_delete_units.is_zero() {
                String::new()
            } else {
                format!(", {} of them replicated TTL deletes", units(r.ttl_delete_units))
            },
            units(r.transfer_bytes_per_second)
        ));
    }
    if let Some(s) = &table.streams {
        notes.push(format!(
            "Streams: {} records/s; {} billed GetRecords calls/s from {}{}.",
            units(s.records_per_second),
            units(s.billed_requests_per_second),
            count(s.billed_readers, "non-Lambda reader", "non-Lambda readers"),
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
