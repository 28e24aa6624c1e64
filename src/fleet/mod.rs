//! A fleet: many tables, each planned on its own from its description and measured traffic,
//! summed into one report sorted by what switching saves (docs/fleet.md). Pure over the plan
//! and simulation models; reading the tables and running them in parallel is the command
//! line's. Shard reports merge into the report one run over every table would write.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::capacity::{CapacityMode, TableClass};
use crate::diagnostic::Code;
use crate::plan::{Advice, ModeCost, TableCosts};
use crate::sim::result::TableResult;

/// Bumped when a field changes meaning or disappears; adding fields keeps the version.
pub const SCHEMA_VERSION: u32 = 2;

/// Where a table lives: the key a fleet is sorted, sharded and totalled by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TableKey {
    /// The AWS account ID (`-` when no input names it).
    pub account: String,
    pub region: String,
    pub table: String,
}

impl TableKey {
    /// Whether the table falls in shard `k` of `n` (1-based): a hash of the key that is the
    /// same on every machine and in every release, so shards never overlap or miss a table.
    pub fn in_shard(&self, k: u32, n: u32) -> bool {
        // FNV-1a, 64-bit: stable, unlike the standard library's randomly seeded hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [&self.account, &self.region, &self.table] {
            for byte in part.bytes().chain([0]) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        hash % u64::from(n) == u64::from(k - 1)
    }
}

/// One table's finding: what it costs today, what it should run, and what it risks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    #[serde(flatten)]
    pub key: TableKey,
    /// The table's mode and class today, priced and simulated at its own settings.
    pub current: Choice,
    /// The cheapest mode and class that does not throttle; `None` when every mode throttles
    /// or a price is missing.
    pub recommended: Option<Choice>,
    /// Current less recommended monthly cost: above zero, switching saves that much a month;
    /// below zero, the table needs more capacity than it pays for to stop throttling.
    pub saving: Option<Decimal>,
    /// Every mode in the table's class, at capacity sized to the measured demand.
    pub modes: Vec<ModeRow>,
    pub risks: Vec<Risk>,
    /// Today's plan beside the Cost and Usage Report, when one was given and bills the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed: Option<Billed>,
}

/// Today's planned cost against the bill's, summed over the lines either one has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Billed {
    pub planned: Decimal,
    pub billed: Decimal,
    /// `billed - planned`.
    pub difference: Decimal,
    /// Lines (price name and Region) whose cost differs by a cent or more, or that one side
    /// lacks or the catalog cannot price.
    pub lines_differing: usize,
}

impl Billed {
    pub fn of(reconciled: &crate::check::TableReconciliation) -> Billed {
        Billed {
            planned: reconciled.planned.normalize(),
            billed: reconciled.billed.normalize(),
            difference: reconciled.difference.normalize(),
            lines_differing: reconciled
                .lines
                .iter()
                .filter(|l| {
                    l.side != crate::check::Side::Both
                        || l.cost_difference
                            .is_none_or(|d| !crate::cost::cents(d).is_zero())
                })
                .count(),
        }
    }
}

/// A capacity mode and table class with its monthly cost and simulated throttling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub mode: CapacityMode,
    pub class: TableClass,
    /// `None` when a price is missing: never a partial sum.
    pub monthly: Option<Decimal>,
    /// Share of requests failed throttled in the replay; `None` for a mode the simulator
    /// does not play on its own.
    #[serde(serialize_with = "crate::quantity::json_number_option")]
    pub throttled: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModeRow {
    pub mode: CapacityMode,
    pub monthly: Option<Decimal>,
    #[serde(serialize_with = "crate::quantity::json_number_option")]
    pub throttled: Option<Decimal>,
    /// Short of the peak demand, or over the throttling budget: never recommended.
    pub throttles: bool,
}

/// What puts a table at risk today, at its own settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Requests fail throttled in the replay of its measured traffic.
    Throttling,
    /// A key or partition over 3,000 read or 1,000 write units per second.
    HotKey,
    /// Base-table writes throttled because a GSI could not take its updates.
    GsiBackPressure,
    /// Demand near or over the per-table throughput quota.
    TableQuota,
}

/// A table that could not be planned, with the reason; the others still are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    #[serde(flatten)]
    pub key: TableKey,
    /// The input that describes it.
    pub source: String,
    pub error: String,
}

/// Sums over the tables of one account and Region (or of the whole fleet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Total {
    pub account: String,
    pub region: String,
    pub tables: usize,
    /// Sums over the tables whose figure is known; `unknown` counts the rest.
    pub current: Decimal,
    pub recommended: Decimal,
    pub saving: Decimal,
    /// Tables left out of the sums: a price missing, or no mode that does not throttle.
    pub unknown: usize,
    pub at_risk: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetReport {
    pub schema_version: u32,
    /// Always `fleet`: tells this report from a plan or a simulation when files are mixed.
    pub kind: String,
    pub tool_version: String,
    /// The shard this report covers (`[k, n]`); `None` for the whole fleet or a merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<[u32; 2]>,
    /// Sorted by saving, largest first, then by key.
    pub tables: Vec<TableRow>,
    pub failed: Vec<Failure>,
    /// Per account and Region, in key order.
    pub totals: Vec<Total>,
    /// The whole fleet, with `account` and `region` `*`.
    pub total: Total,
}

/// The row of one table: `current` is the plan of the table at its own settings (the same
/// plan as `compare` when that already prices its mode at them), `simulated` the replay of
/// that plan; `compare` prices every mode at capacity sized to the demand.
pub fn row(
    key: TableKey,
    (mode, class): (CapacityMode, TableClass),
    current: &TableCosts,
    simulated: Option<&TableResult>,
    compare: &TableCosts,
) -> TableRow {
    let today = current.modes.iter().find(|m| m.mode == mode);
    let current_choice = Choice {
        mode,
        class,
        monthly: today.and_then(monthly),
        throttled: today.and_then(|m| m.simulated_throttled),
    };
    let recommended = compare.recommendation.as_ref().map(|r| {
        let own = Choice {
            mode: r.mode,
            class,
            monthly: r.complete_monthly(),
            throttled: own_throttled(compare, r.mode),
        };
        let other = compare.advice.iter().find_map(|a| match a {
            Advice::TableClass(c) if c.saving.is_some_and(|s| s > Decimal::ZERO) => {
                c.other_best.as_ref().map(|b| (c.other, b))
            }
            _ => None,
        });
        match other {
            Some((other, best)) => Choice {
                mode: best.mode,
                class: other,
                monthly: own.monthly.map(|_| best.monthly),
                // The table class changes the price, not the capacity: the same replay.
                throttled: own_throttled(compare, best.mode),
            },
            None => own,
        }
    });
    let saving = match (&current_choice.monthly, recommended.as_ref()) {
        (
            Some(now),
            Some(Choice {
                monthly: Some(best),
                ..
            }),
        ) => Some((now - best).normalize()),
        _ => None,
    };
    TableRow {
        key,
        modes: compare
            .modes
            .iter()
            .map(|m| ModeRow {
                mode: m.mode,
                monthly: monthly(m),
                throttled: m.simulated_throttled,
                throttles: m.throttles(),
            })
            .collect(),
        risks: risks(today, simulated.and_then(|r| model_of(r, mode))),
        current: current_choice,
        recommended,
        saving,
        billed: None,
    }
}

fn own_throttled(costs: &TableCosts, mode: CapacityMode) -> Option<Decimal> {
    costs
        .modes
        .iter()
        .find(|m| m.mode == mode)
        .and_then(|m| m.simulated_throttled)
}

fn monthly(mode: &ModeCost) -> Option<Decimal> {
    mode.bill.complete().then(|| mode.bill.total())
}

fn model_of(result: &TableResult, mode: CapacityMode) -> Option<&crate::sim::result::ModelResult> {
    let model = crate::plan::simulated_model(mode);
    result.models.iter().find(|m| m.model == model)
}

/// The risks of the table at its own settings: what its replay throttled, by cause, and what
/// the plan found in its demand.
fn risks(today: Option<&ModeCost>, replay: Option<&crate::sim::result::ModelResult>) -> Vec<Risk> {
    let mut risks = Vec::new();
    if today.is_some_and(|m| m.throttles() || m.simulated_throttled.is_some_and(|s| !s.is_zero())) {
        risks.push(Risk::Throttling);
    }
    if let Some(replay) = replay {
        for (cause, risk) in [
            ("key_range", Risk::HotKey),
            ("gsi_back_pressure", Risk::GsiBackPressure),
            ("table_quota", Risk::TableQuota),
        ] {
            if replay.causes.contains_key(cause) {
                risks.push(risk);
            }
        }
    }
    risks.sort();
    risks.dedup();
    risks
}

/// Adds the risks the plan's demand findings name (hot keys, the table quota).
pub fn add_findings(row: &mut TableRow, findings: impl IntoIterator<Item = Code>) {
    for code in findings {
        let risk = match code {
            Code::HotKey | Code::HotKeyRisk => Risk::HotKey,
            Code::OverTableQuota => Risk::TableQuota,
            _ => continue,
        };
        row.risks.push(risk);
    }
    row.risks.sort();
    row.risks.dedup();
}

/// The report over `tables` and `failed`, sorted and totalled, for `shard` (or all).
pub fn report(
    mut tables: Vec<TableRow>,
    mut failed: Vec<Failure>,
    shard: Option<[u32; 2]>,
) -> FleetReport {
    tables.sort_by(|a, b| {
        // Largest saving first; tables with no known saving last.
        let saving = |r: &TableRow| r.saving.map(std::cmp::Reverse);
        match (saving(a), saving(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.key.cmp(&b.key))
    });
    failed.sort_by(|a, b| (&a.key, &a.source).cmp(&(&b.key, &b.source)));
    let mut groups: BTreeMap<(&str, &str), Vec<&TableRow>> = BTreeMap::new();
    for row in &tables {
        groups
            .entry((&row.key.account, &row.key.region))
            .or_default()
            .push(row);
    }
    let totals = groups
        .iter()
        .map(|((account, region), rows)| total(account, region, rows))
        .collect();
    let total = total("*", "*", &tables.iter().collect::<Vec<_>>());
    FleetReport {
        schema_version: SCHEMA_VERSION,
        kind: "fleet".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        shard,
        tables,
        failed,
        totals,
        total,
    }
}

fn total(account: &str, region: &str, rows: &[&TableRow]) -> Total {
    let mut sum = Total {
        account: account.into(),
        region: region.into(),
        tables: rows.len(),
        current: Decimal::ZERO,
        recommended: Decimal::ZERO,
        saving: Decimal::ZERO,
        unknown: 0,
        at_risk: rows.iter().filter(|r| !r.risks.is_empty()).count(),
    };
    for row in rows {
        match (
            row.current.monthly,
            row.recommended.as_ref().and_then(|r| r.monthly),
        ) {
            (Some(now), Some(best)) => {
                sum.current += now;
                sum.recommended += best;
                sum.saving += now - best;
            }
            _ => sum.unknown += 1,
        }
    }
    sum.current = sum.current.normalize();
    sum.recommended = sum.recommended.normalize();
    sum.saving = sum.saving.normalize();
    sum
}

/// Why shard reports cannot be merged.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MergeError(pub String);

/// One report from shard reports (`(name, report)`): their tables and failures together,
/// sorted and totalled again, as one run over every table writes it. Refuses reports of
/// another schema or tool version, and a table that two shards both report.
pub fn merge(shards: Vec<(String, FleetReport)>) -> Result<FleetReport, MergeError> {
    let mut tables = Vec::new();
    let mut failed = Vec::new();
    let mut seen: BTreeMap<TableKey, String> = BTreeMap::new();
    for (name, shard) in shards {
        if shard.kind != "fleet" || shard.schema_version != SCHEMA_VERSION {
            return Err(MergeError(format!(
                "{name}: is a `{}` report of schema {}, not a fleet report of schema {SCHEMA_VERSION}; merge the JSON that `capacity-plan fleet --format json` writes",
                shard.kind, shard.schema_version
            )));
        }
        if shard.tool_version != env!("CARGO_PKG_VERSION") {
            return Err(MergeError(format!(
                "{name}: was written by capacity-plan {}, this is {}; run every shard with one version",
                shard.tool_version,
                env!("CARGO_PKG_VERSION")
            )));
        }
        let keys = shard
            .tables
            .iter()
            .map(|t| &t.key)
            .chain(shard.failed.iter().map(|f| &f.key));
        for key in keys {
            if let Some(other) = seen.insert(key.clone(), name.clone()) {
                return Err(MergeError(format!(
                    "{name}: table {}/{}/{} is also in {other}; merge each shard once, from one `--shard K/N` split",
                    key.account, key.region, key.table
                )));
            }
        }
        tables.extend(shard.tables);
        failed.extend(shard.failed);
    }
    Ok(report(tables, failed, None))
}
