//! Demand: what a workload asks of DynamoDB, per table, per index and per access pattern.
//!
//! Pure functions over the validated spec: read and write units per second (mean and peak),
//! index write amplification, replicated writes, stream records, DAX offload, storage,
//! partitions and hot-key risk. Costs and the simulator start from this model.

mod entries;
pub mod skew;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::capacity::item_size::STORAGE_OVERHEAD_BYTES;
use crate::capacity::partitions::{
    partitions_needed, PARTITION_BYTES, PARTITION_READ_UNITS, PARTITION_WRITE_UNITS,
    TABLE_QUOTA_UNITS,
};
use crate::capacity::{
    index_write_units, lsi_fetch_charge, read_charge, write_charge, CapacityError, Consistency,
    IndexEvent, Items, ReadOp, WriteOp,
};
use crate::diagnostic::{Code, Diagnostic, Position, Severity};
use crate::metrics::MetricSeries;
use crate::quantity::{count, from_float, group_digits, MonthHours, Size, FLOAT_SCALE};
use crate::workload::model::{
    Access, Index, IndexKind, Op, Projection, Shape, StreamReader, Table, WriteAction,
};
use crate::workload::TableFacts;
use crate::yaml::Spanned;

pub use entries::EntrySizes;

/// Global tables store 48 more bytes per item (§2.4 [SIZE]).
pub const GLOBAL_TABLE_ITEM_OVERHEAD_BYTES: u64 = 48;

/// Units per second, as a mean over the month and at the traffic peak.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UnitRate {
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub mean: Decimal,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub peak: Decimal,
}

impl UnitRate {
    fn new(mean: Decimal, peak_to_mean: Decimal) -> Self {
        UnitRate {
            mean,
            peak: mean * peak_to_mean,
        }
    }

    fn add(&mut self, other: UnitRate) {
        self.mean += other.mean;
        self.peak += other.peak;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Read,
    Write,
}

/// Where capacity is consumed: the table (which also pays for LSIs) or one GSI.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", content = "name", rename_all = "snake_case")]
pub enum Target {
    Table,
    Gsi(String),
}

/// What one index costs a write pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexWrite {
    pub index: String,
    pub kind: IndexKind,
    pub event: IndexEvent,
    pub entry_bytes: u64,
    /// Expected index write units per base request, coverage included.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub units_per_request: Decimal,
    pub units: UnitRate,
}

/// One access pattern's demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatternDemand {
    pub label: String,
    pub op: &'static str,
    /// The rate as the spec wrote it, e.g. `1/day`.
    pub rate: String,
    pub kind: Kind,
    pub target: Target,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub requests_per_second: Decimal,
    /// Items each request reads or writes.
    pub items_per_request: u64,
    /// Size of the pattern's items (`size`, else the table's): of each item a write writes.
    pub item_bytes: u64,
    pub transactional: bool,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub units_per_request: Decimal,
    /// Units DynamoDB serves, after DAX hits are removed.
    pub units: UnitRate,
    /// Share of its target's read or write units (mean).
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub share: Decimal,
    /// Read units DAX serves from its cache instead.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub dax_offload: Decimal,
    /// Read units a transactional write through DAX costs the table: DAX reads every item of a
    /// TransactWriteItems back with a TransactGetItems (§9 [TX]).
    pub dax_transaction_reads: UnitRate,
    pub index_writes: Vec<IndexWrite>,
    pub working: Vec<String>,
}

/// Totals for the table or one GSI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetDemand {
    pub target: Target,
    pub reads: UnitRate,
    pub writes: UnitRate,
    pub items: u64,
    pub storage_bytes: u64,
    pub partitions: u64,
}

/// Writes replayed into every other replica Region (billed as replicated writes there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replication {
    pub regions: Vec<String>,
    /// Replicated write units per second into each replica Region's table, TTL deletes and
    /// LSI maintenance included.
    pub units_per_region: UnitRate,
    /// Of those, the TTL deletes replicated from the Region where the items expire.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub ttl_delete_units: Decimal,
    /// Write units per second on each GSI of a replica: what the table's writes cause there,
    /// plus one delete of its entry for every replicated TTL delete of an item it holds.
    pub gsi_writes: Vec<(String, UnitRate)>,
    /// Bytes per second sent from the spec's Region to each replica: every item written, TTL
    /// deletes included (a witness is sent nothing, [GTBILL]).
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub transfer_bytes_per_second: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StreamDemand {
    /// Change records per second (every item change, TTL deletes included).
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub records_per_second: Decimal,
    /// Readers whose GetRecords calls are billed (not Lambda, not replication).
    pub billed_readers: u32,
    /// Billed GetRecords calls per second: one per shard per second per billed reader.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub billed_requests_per_second: Decimal,
    /// Kinesis change data capture units per second (1 per KB of changed item).
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub kinesis_units_per_second: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HotKeyLoad {
    /// Share of the table's requests on its hottest partition key.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub share: Decimal,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub read_units: Decimal,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub write_units: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDemand {
    pub name: String,
    pub item_bytes: u64,
    pub items: u64,
    pub patterns: Vec<PatternDemand>,
    pub targets: Vec<TargetDemand>,
    pub replication: Option<Replication>,
    pub streams: Option<StreamDemand>,
    /// Read units per second DAX serves from its cache instead of the table.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub dax_offload: Decimal,
    /// Items TTL deletes per second (free, but replicated and streamed).
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub ttl_deletes_per_second: Decimal,
    pub hot_key: Option<HotKeyLoad>,
    /// Average item collection (items with one partition key plus their LSI entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lsi_collection_bytes: Option<u64>,
    pub diagnostics: Vec<Diagnostic>,
}

impl TableDemand {
    pub fn target(&self, target: &Target) -> Option<&TargetDemand> {
        self.targets.iter().find(|t| &t.target == target)
    }

    /// Write units per second `target` takes in each replica Region; `None` for a table that
    /// is not global.
    pub fn replica_writes(&self, target: &Target) -> Option<UnitRate> {
        let replication = self.replication.as_ref()?;
        match target {
            Target::Table => Some(replication.units_per_region),
            Target::Gsi(name) => replication
                .gsi_writes
                .iter()
                .find(|(gsi, _)| gsi == name)
                .map(|(_, units)| *units),
        }
    }

    /// The writes `target`'s write capacity must carry in every Region: "replica tables and
    /// secondary indexes in your global table have identical write capacity settings" ([GTBP]),
    /// so it is sized for the busiest Region, the home Region or a replica that also takes the
    /// replicated TTL deletes.
    pub fn sized_writes(&self, target: &Target) -> Option<UnitRate> {
        let home = self.target(target)?.writes;
        Some(match self.replica_writes(target) {
            Some(replica) => UnitRate {
                mean: home.mean.max(replica.mean),
                peak: home.peak.max(replica.peak),
            },
            None => home,
        })
    }
}

enum Call {
    Read(ReadOp),
    Write(WriteOp),
}

fn call(op: Op) -> Call {
    match op {
        Op::Get => Call::Read(ReadOp::Get),
        Op::BatchGet => Call::Read(ReadOp::BatchGet),
        Op::Query => Call::Read(ReadOp::Query),
        Op::Scan => Call::Read(ReadOp::Scan),
        Op::TransactGet => Call::Read(ReadOp::TransactGet),
        Op::Put => Call::Write(WriteOp::Put),
        Op::Update => Call::Write(WriteOp::Update),
        Op::Delete => Call::Write(WriteOp::Delete),
        Op::BatchWrite => Call::Write(WriteOp::BatchWrite),
        Op::TransactWrite => Call::Write(WriteOp::TransactWrite),
    }
}

/// Peak ÷ mean from the traffic shape; a shaped traffic without `peak_to_mean` is planned
/// flat and says so.
fn peak_to_mean(table: &Table, path: &str, diagnostics: &mut Vec<Diagnostic>) -> Decimal {
    match (&table.traffic.peak_to_mean, table.traffic.shape) {
        (Some(ratio), _) => ratio.value.max(Decimal::ONE),
        (None, Shape::Constant) => Decimal::ONE,
        (None, shape) => {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: Code::FlatPeak,
                message: format!(
                    "{shape:?} traffic has no peak_to_mean, so peaks are planned at the mean rate"
                ),
                fix: "add traffic.peak_to_mean (peak rate ÷ mean rate, e.g. 3)".into(),
                path: format!("{path}.traffic"),
                position: None,
            });
            Decimal::ONE
        }
    }
}

/// Every finding about a workload: the spec's own (`warnings`, from loading) then each
/// table's demand findings, in spec order. The one list `validate` shows and `plan` reports,
/// so the two commands cannot disagree.
pub fn findings<'a>(
    warnings: &'a [Diagnostic],
    tables: &'a [TableDemand],
) -> impl Iterator<Item = &'a Diagnostic> {
    warnings
        .iter()
        .chain(tables.iter().flat_map(|t| &t.diagnostics))
}

/// [`findings`] for a loaded workload, computing its demand.
pub fn workload_findings(workload: &crate::workload::Workload) -> Vec<Diagnostic> {
    findings(&workload.warnings, &workload_demand(workload))
        .cloned()
        .collect()
}

/// Fails when a finding is an error, i.e. something DynamoDB would reject, naming each by its
/// place (`file:line:column` where known), code, message and fix: a workload with errors never
/// passes for a valid one, in any command.
pub fn refuse_errors<'a>(
    source: &str,
    findings: impl IntoIterator<Item = &'a Diagnostic>,
) -> anyhow::Result<()> {
    let errors: Vec<String> = findings
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let at = d
                .position
                .map_or(String::new(), |p| format!(":{}:{}", p.line, p.column));
            format!(
                "\n  {source}{at}: [{}] {} ({}); {}",
                d.code, d.message, d.path, d.fix
            )
        })
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    anyhow::bail!("{source} would be rejected by DynamoDB:{}", errors.concat())
}

/// Every table's demand, in spec order.
pub fn workload_demand(workload: &crate::workload::Workload) -> Vec<TableDemand> {
    let spec = &workload.spec;
    let month = MonthHours(spec.settings.month_hours);
    spec.tables
        .iter()
        .zip(&workload.tables)
        .enumerate()
        .map(|(i, (table, sizes))| table_demand(table, &format!("tables[{i}]"), sizes, month))
        .collect()
}

/// Everything one table asks of DynamoDB. `path` names the table in the spec
/// (`tables[0]`) for diagnostics.
pub fn table_demand(
    table: &Spanned<Table>,
    path: &str,
    sizes: &TableFacts,
    month: MonthHours,
) -> TableDemand {
    let spec = &table.value;
    let mut diagnostics = Vec::new();
    let peak = peak_to_mean(spec, path, &mut diagnostics);
    let entries = EntrySizes::new(spec, sizes, path, &mut diagnostics);
    let items = spec.items.count.0;
    let hit_ratio = spec.dax.as_ref().map(|d| d.value.hit_ratio.0);

    let mut patterns: Vec<PatternDemand> = spec
        .access
        .iter()
        .enumerate()
        .filter_map(|(i, access)| {
            let at = format!("{path}.access[{i}]");
            pattern_demand(
                access,
                &at,
                spec,
                sizes,
                &entries,
                peak,
                hit_ratio,
                month,
                &mut diagnostics,
            )
        })
        .collect();

    let measured = sizes.metrics.as_deref().map(|m| &m.series);
    let targets = target_totals(spec, sizes, &entries, &mut patterns, measured);
    let ttl_deletes_per_second = ttl_deletes(spec);
    let replication = spec.global.as_ref().map(|global| {
        // A witness holds no table: no replicated writes, storage or reads there [GTOV].
        let replicas: Vec<String> = global
            .value
            .replicas
            .iter()
            .filter(|r| global.value.witness.as_ref() != Some(*r))
            .cloned()
            .collect();
        replication(
            spec,
            &replicas,
            sizes,
            &entries,
            &mut patterns,
            &targets,
            peak,
        )
    });
    let streams = spec.streams.as_ref().map(|streams| {
        stream_demand(
            &streams.value,
            &patterns,
            ttl_deletes_per_second,
            sizes.item_size.bytes(),
            targets[0].partitions,
        )
    });
    let hottest = spec.key_skew.as_ref().map(|skew| {
        let at = format!("{path}.key_skew");
        hot_key(skew, "the table's", &targets[0], &at, &mut diagnostics)
    });
    for (i, index) in spec.indexes.iter().enumerate() {
        let (Some(skew), Some(target)) = (
            &index.value.key_skew,
            targets
                .iter()
                .find(|t| t.target == Target::Gsi(index.value.name.clone())),
        ) else {
            continue;
        };
        let whose = format!("index `{}`'s", index.value.name);
        let at = format!("{path}.indexes[{i}].key_skew");
        hot_key(skew, &whose, target, &at, &mut diagnostics);
    }
    let lsi_collection_bytes = lsi_collection(spec, sizes, &entries, path, &mut diagnostics);
    check_quotas(&targets, path, &mut diagnostics);

    let dax_offload = patterns.iter().map(|p| p.dax_offload).sum();
    let mut demand = TableDemand {
        name: spec.name.clone(),
        item_bytes: sizes.item_size.bytes(),
        items,
        patterns,
        targets,
        replication,
        streams,
        dax_offload,
        ttl_deletes_per_second,
        hot_key: hottest,
        lsi_collection_bytes,
        diagnostics,
    };
    let mut found = Vec::new();
    check_provisioned(spec, &demand, path, &mut found);
    demand.diagnostics.extend(found);
    demand
}

#[allow(clippy::too_many_arguments)]
fn pattern_demand(
    access: &Spanned<Access>,
    path: &str,
    table: &Table,
    sizes: &TableFacts,
    entries: &EntrySizes,
    peak: Decimal,
    hit_ratio: Option<Decimal>,
    month: MonthHours,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PatternDemand> {
    let a = &access.value;
    let index = a
        .index
        .as_ref()
        .and_then(|name| table.indexes.iter().find(|i| i.value.name == name.value))
        .map(|i| &i.value);
    let rate = a.rate.value.to_per_second(month);
    let count = a.items.map(|c| c.0);
    let item = a.size.map(Size::bytes).unwrap_or(sizes.item_size.bytes());
    let (kind, charge, target, working) = match call(a.op) {
        Call::Read(op) => {
            let consistency = if a.op == Op::TransactGet {
                Consistency::Transactional
            } else {
                a.consistency.unwrap_or(Consistency::Eventual)
            };
            // An index query reads index entries; a scan without `items` reads everything.
            let (bytes, population) = match index {
                Some(index) => (entries.entry_bytes(&index.name), entries.items_in(index)),
                None => (item, table.items.count.0),
            };
            let items = match (op, count) {
                (ReadOp::Scan, None) => Items::Total(population.saturating_mul(bytes)),
                (_, count) => Items::Uniform {
                    count: count.unwrap_or(1),
                    size: bytes,
                },
            };
            let mut charge = read_charge(op, consistency, &items);
            // Entries read from an LSI that does not project what the query needs fetch their
            // items from the table, each rounded up to 4 KB on its own ([LSI]).
            let fetched = match (&items, a.fetch) {
                (Items::Uniform { count, .. }, true) => Some(*count),
                (Items::Total(_), true) => index.map(|i| entries.items_in(i)),
                _ => None,
            };
            if let (Ok(read), Some(fetched)) = (&mut charge, fetched) {
                match lsi_fetch_charge(consistency, fetched, item) {
                    Ok(fetch) => read.roundings.extend(fetch.roundings),
                    Err(err) => charge = Err(err),
                }
            }
            let target = match index {
                Some(i) if i.kind == IndexKind::Global => Target::Gsi(i.name.clone()),
                _ => Target::Table,
            };
            let working = vec![format!(
                "{} ({}) of {}{}: {} per request",
                op.api_name(),
                consistency.name(),
                describe(&items),
                fetched.map_or(String::new(), |n| format!(
                    ", plus {} of {} B, each rounded up to 4 KB on its own",
                    crate::quantity::count(n, "fetched table item", "fetched table items"),
                    group_digits(item.into())
                )),
                charge
                    .as_ref()
                    .map(|c| crate::quantity::count(c.units(), "read unit", "read units"))
                    .unwrap_or_default()
            )];
            (Kind::Read, charge, target, working)
        }
        Call::Write(op) => {
            let items = Items::Uniform {
                count: count.unwrap_or(1),
                size: item,
            };
            let charge = write_charge(
                op,
                a.transactional || op == WriteOp::TransactWrite,
                &items,
                a.size_before.map(Size::bytes),
            );
            let working = vec![format!(
                "{}{} of {}: {} per request",
                op.api_name(),
                if a.transactional {
                    " (transactional)"
                } else {
                    ""
                },
                describe(&items),
                charge
                    .as_ref()
                    .map(|c| crate::quantity::count(c.units(), "write unit", "write units"))
                    .unwrap_or_default()
            )];
            (Kind::Write, charge, Target::Table, working)
        }
    };
    let charge = match charge {
        Ok(charge) => charge,
        Err(err) => {
            let (code, fix) = match err {
                CapacityError::RequestTooLarge { .. } => (
                    Code::RequestTooLarge,
                    "fewer or smaller items per call: split it and raise `rate` accordingly",
                ),
                _ => (
                    Code::OperationNotAllowed,
                    "change the access pattern so DynamoDB accepts the call",
                ),
            };
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code,
                message: err.to_string(),
                fix: fix.into(),
                path: path.into(),
                position: Position::of(access),
            });
            return None;
        }
    };
    if let Some(calls) = charge.calls {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: Code::BatchGetOver16Mb,
            message: format!(
                "a BatchGetItem of {} returns at most 16 MB per call, so each request takes {calls} calls (the rest comes back as UnprocessedKeys); units are as planned, latency and request count are not",
                Size::from_bytes(charge.bytes())
            ),
            fix: "ask for fewer keys per call, or plan for the follow-up calls".into(),
            path: path.into(),
            position: Position::of(access),
        });
    }
    let units_per_request = charge.units();
    let requested = rate * units_per_request;
    // DAX serves eventually consistent GetItem/BatchGetItem/Query/Scan hits from its cache;
    // strong and transactional reads pass through (§7.4 [DAX]).
    let dax_offload = match (
        kind,
        hit_ratio,
        a.consistency.unwrap_or(Consistency::Eventual),
    ) {
        (Kind::Read, Some(hit), Consistency::Eventual) if a.op != Op::TransactGet => {
            requested * hit
        }
        _ => Decimal::ZERO,
    };
    let mut working = working;
    let dax_transaction_reads = match (kind, hit_ratio) {
        (Kind::Write, Some(_)) if a.transactional || a.op == Op::TransactWrite => {
            dax_transaction_reads(a, item, rate, &mut working)
        }
        _ => Decimal::ZERO,
    };
    working.push(format!(
        "{} requests/s × {} = {} units/s{}",
        group_digits(rate),
        group_digits(units_per_request),
        group_digits(requested),
        if dax_offload.is_zero() {
            String::new()
        } else {
            format!(
                ", less {} served by DAX = {}",
                group_digits(dax_offload),
                group_digits(requested - dax_offload)
            )
        }
    ));
    let index_writes = if kind == Kind::Write {
        index_writes(
            a,
            table,
            entries,
            rate * Decimal::from(count.unwrap_or(1)),
            peak,
        )
    } else {
        Vec::new()
    };
    Some(PatternDemand {
        label: a.name.clone().unwrap_or_else(|| default_label(a)),
        op: match call(a.op) {
            Call::Read(op) => op.api_name(),
            Call::Write(op) => op.api_name(),
        },
        kind,
        target,
        rate: a.rate.value.to_string(),
        requests_per_second: rate,
        items_per_request: count.unwrap_or(1),
        item_bytes: item,
        transactional: a.transactional || matches!(a.op, Op::TransactWrite | Op::TransactGet),
        units_per_request,
        units: UnitRate::new(requested - dax_offload, peak),
        share: Decimal::ZERO,
        dax_offload,
        dax_transaction_reads: UnitRate::new(dax_transaction_reads, peak),
        index_writes,
        working,
    })
}

/// Read units per second DAX's background TransactGetItems costs a transactional write: every
/// item read back transactionally, 2 units per 4 KB step (§9 [TX]: "you would also use two
/// read capacity units (RCUs) for each item in the TransactWriteItems call").
fn dax_transaction_reads(
    access: &Access,
    item: u64,
    rate: Decimal,
    working: &mut Vec<String>,
) -> Decimal {
    let items = Items::Uniform {
        count: access.items.map_or(1, |c| c.0),
        size: item,
    };
    let per_request = read_charge(ReadOp::TransactGet, Consistency::Transactional, &items)
        .map_or(Decimal::ZERO, |c| c.units());
    let per_second = rate * per_request;
    working.push(format!(
        "through DAX: a TransactGetItems of {} in the background, {} read units per request; {} requests/s × {} = {} read units/s on the table",
        describe(&items),
        group_digits(per_request),
        group_digits(rate),
        group_digits(per_request),
        group_digits(per_second)
    ));
    per_second
}

fn default_label(access: &Access) -> String {
    let op = access.op.name();
    match (&access.index, access.consistency) {
        (Some(index), _) => format!("{op} on {}", index.value),
        (None, Some(c)) => format!("{op} ({})", format!("{c:?}").to_lowercase()),
        (None, None) => op.to_string(),
    }
}

fn describe(items: &Items) -> String {
    match items {
        Items::Uniform { count: 1, size } => {
            format!("1 item of {} B", group_digits((*size).into()))
        }
        Items::Uniform { count, size } => format!(
            "{} items of {} B",
            group_digits((*count).into()),
            group_digits((*size).into())
        ),
        Items::Listed(sizes) => format!("{} items", sizes.len()),
        Items::Total(total) => format!("{} evaluated", Size::from_bytes(*total)),
    }
}

/// Index writes one write pattern causes (§3.2). Each item written puts an entry into every
/// index whose key it carries (the index's `coverage`), a delete removes it, and an update
/// rewrites ALL and INCLUDE entries in place (assumed touched) but leaves KEYS_ONLY entries
/// alone. Indexes the pattern lists in `changes` get a key change (delete + put) and those in
/// `removes` a delete, for every item written: the pattern says its items carry that key, so
/// coverage does not thin them. Batch and transactional writes act as their `action` says.
/// Index writes are standard writes, never doubled by a transaction (docs/rules.md).
fn index_writes(
    access: &Access,
    table: &Table,
    entries: &EntrySizes,
    items_per_second: Decimal,
    peak: Decimal,
) -> Vec<IndexWrite> {
    let action = match access.op {
        Op::Delete => WriteAction::Delete,
        Op::Update => WriteAction::Update,
        Op::BatchWrite | Op::TransactWrite => access.action.unwrap_or(WriteAction::Put),
        _ => WriteAction::Put,
    };
    let listed = |list: &[Spanned<String>], name: &str| list.iter().any(|i| i.value == name);
    table
        .indexes
        .iter()
        .map(|index| &index.value)
        .filter_map(|index| {
            let coverage = index.coverage.map_or(Decimal::ONE, |c| c.0);
            let (event, share) = if listed(&access.changes, &index.name) {
                (IndexEvent::KeyChange, Decimal::ONE)
            } else if listed(&access.removes, &index.name) {
                (IndexEvent::Remove, Decimal::ONE)
            } else {
                let event = match action {
                    WriteAction::Put => IndexEvent::Insert,
                    WriteAction::Delete => IndexEvent::Remove,
                    WriteAction::Update if index.projection == Projection::KeysOnly => {
                        IndexEvent::Untouched
                    }
                    WriteAction::Update => IndexEvent::Update,
                };
                (event, coverage)
            };
            let entry_bytes = entries.entry_bytes(&index.name);
            let per_item = Decimal::from(index_write_units(entry_bytes, event)) * share;
            (event != IndexEvent::Untouched).then(|| IndexWrite {
                index: index.name.clone(),
                kind: index.kind,
                event,
                entry_bytes,
                units_per_request: per_item * Decimal::from(access.items.map_or(1, |c| c.0)),
                units: UnitRate::new(items_per_second * per_item, peak),
            })
        })
        .collect()
}

/// Sums patterns into the table and each GSI (LSI reads and writes land on the table,
/// §3.3), fills in each pattern's share, takes the `measured` traffic's reads and writes where
/// it has them, and sizes storage and partitions.
fn target_totals(
    table: &Table,
    sizes: &TableFacts,
    entries: &EntrySizes,
    patterns: &mut [PatternDemand],
    measured: Option<&MetricSeries>,
) -> Vec<TargetDemand> {
    let global_overhead = if table.global.is_some() {
        GLOBAL_TABLE_ITEM_OVERHEAD_BYTES
    } else {
        0
    };
    let items = table.items.count.0;
    let mut targets = vec![TargetDemand {
        target: Target::Table,
        reads: UnitRate::default(),
        writes: UnitRate::default(),
        items,
        storage_bytes: items
            .saturating_mul(sizes.item_size.bytes() + STORAGE_OVERHEAD_BYTES + global_overhead),
        partitions: 0,
    }];
    for index in table.indexes.iter().map(|i| &i.value) {
        let covered = entries.items_in(index);
        let stored = covered.saturating_mul(entries.storage_bytes(&index.name));
        match index.kind {
            IndexKind::Global => targets.push(TargetDemand {
                target: Target::Gsi(index.name.clone()),
                reads: UnitRate::default(),
                writes: UnitRate::default(),
                items: covered,
                storage_bytes: stored,
                partitions: 0,
            }),
            // LSI entries are stored with the table and count toward its partitions.
            IndexKind::Local => targets[0].storage_bytes += stored,
        }
    }
    let position = |targets: &[TargetDemand], target: &Target| {
        targets
            .iter()
            .position(|t| &t.target == target)
            .unwrap_or(0)
    };
    for pattern in patterns.iter() {
        let at = position(&targets, &pattern.target);
        match pattern.kind {
            Kind::Read => targets[at].reads.add(pattern.units),
            Kind::Write => targets[at].writes.add(pattern.units),
        }
        targets[0].reads.add(pattern.dax_transaction_reads);
        for write in &pattern.index_writes {
            let target = match write.kind {
                IndexKind::Global => Target::Gsi(write.index.clone()),
                IndexKind::Local => Target::Table,
            };
            let at = position(&targets, &target);
            targets[at].writes.add(write.units);
        }
    }
    for pattern in patterns.iter_mut() {
        let total = targets[position(&targets, &pattern.target)].clone();
        let denominator = match pattern.kind {
            Kind::Read => total.reads.mean,
            Kind::Write => total.writes.mean,
        };
        if !denominator.is_zero() {
            pattern.share = (pattern.units.mean / denominator).round_dp(4);
        }
    }
    if let Some(series) = measured {
        take_measured(&mut targets, series);
    }
    for target in &mut targets {
        target.partitions =
            partitions_needed(target.reads.peak, target.writes.peak, target.storage_bytes);
    }
    targets
}

/// Measured consumed units (`traffic.metrics`) replace the modelled reads and writes of the
/// table and of each GSI the series has; a GSI without its own series keeps what the access
/// patterns give it. CloudWatch reports a GSI's consumption apart from its table's, and an
/// LSI's within it (§3.3), as the demand model counts them.
fn take_measured(targets: &mut [TargetDemand], series: &MetricSeries) {
    for target in targets.iter_mut() {
        let (reads, writes) = match &target.target {
            Target::Table => (Some(&series.reads[..]), Some(&series.writes[..])),
            Target::Gsi(name) => match series.indexes.iter().find(|i| &i.name == name) {
                Some(index) => (index.reads.as_deref(), index.writes.as_deref()),
                None => (None, None),
            },
        };
        if let Some(reads) = reads {
            target.reads = measured_rate(reads);
        }
        if let Some(writes) = writes {
            target.writes = measured_rate(writes);
        }
    }
}

/// A per-minute series of units per second as a mean and a peak: the mean is the units it
/// holds over the seconds it covers (gaps count as no traffic), the peak its busiest minute's
/// rate. Rounded to a millionth of a unit, far below any capacity step.
fn measured_rate(per_minute: &[f64]) -> UnitRate {
    let mean = per_minute.iter().sum::<f64>() / per_minute.len().max(1) as f64;
    let peak = per_minute.iter().copied().fold(0.0, f64::max);
    let decimal = |units: f64| {
        from_float(units, FLOAT_SCALE)
            .unwrap_or_default()
            .normalize()
    };
    UnitRate {
        mean: decimal(mean),
        peak: decimal(peak),
    }
}

/// Items TTL expires per second in steady state: the stored items turn over once per
/// retention period (§10). The deletes are free on the table.
fn ttl_deletes(table: &Table) -> Decimal {
    table.ttl.as_ref().map_or(Decimal::ZERO, |ttl| {
        let seconds = Decimal::from(ttl.value.retention.seconds.max(1));
        Decimal::from(table.items.count.0) / seconds
    })
}

/// What each other replica Region receives. Its table takes every table write at standard
/// size (§8 [GTFAQ]) with its LSI maintenance, plus the TTL deletes, which are free where the
/// items expire but reach every other replica as replicated writes that "incur replicated write
/// unit costs" ([GTTHR]). Each delete also removes the item's
/// entry from the replica's LSIs (on the table's capacity, §3.3) and GSIs (billed as ordinary
/// GSI writes there), for the share of items each index holds.
fn replication(
    table: &Table,
    regions: &[String],
    sizes: &TableFacts,
    entries: &EntrySizes,
    patterns: &mut [PatternDemand],
    targets: &[TargetDemand],
    peak: Decimal,
) -> Replication {
    let mut rate = UnitRate::default();
    let mut transfer = Decimal::ZERO;
    for pattern in patterns.iter_mut().filter(|p| p.kind == Kind::Write) {
        // Cross-Region transfer: each item written travels to every replica ([GTBILL]).
        let items = pattern.requests_per_second * Decimal::from(pattern.items_per_request);
        let bytes = items * Decimal::from(pattern.item_bytes);
        transfer += bytes;
        pattern.working.push(format!(
            "replicated to {}: {} items/s × {} B = {} B/s of cross-Region transfer to each",
            count(regions.len(), "Region", "Regions"),
            group_digits(items),
            group_digits(pattern.item_bytes.into()),
            group_digits(bytes)
        ));
        // A transaction replicates as ordinary writes: its 2x stays in the source Region.
        let standard = if pattern.transactional {
            pattern.units.mean / Decimal::TWO
        } else {
            pattern.units.mean
        };
        rate.add(UnitRate::new(standard, peak));
        // Each replica maintains its own LSIs on the table's write capacity (§3.3).
        for lsi in pattern
            .index_writes
            .iter()
            .filter(|w| w.kind == IndexKind::Local)
        {
            rate.add(lsi.units);
        }
    }
    let deletes = ttl_deletes(table);
    let delete_units = write_charge(
        WriteOp::Delete,
        false,
        &Items::one(sizes.item_size.bytes()),
        None,
    )
    .map_or(Decimal::ONE, |c| c.units());
    let ttl_delete_units = deletes * delete_units;
    // Reading: a replicated TTL delete is sent with the item it removes (its stream record
    // carries the old image).
    transfer += deletes * Decimal::from(sizes.item_size.bytes());
    rate.add(UnitRate::new(ttl_delete_units, Decimal::ONE));
    // Index entries a TTL delete removes, per index: one delete of the entry for the share of
    // items the index holds.
    let removed = |index: &Index| {
        let share = if table.items.count.0 == 0 {
            Decimal::ZERO
        } else {
            Decimal::from(entries.items_in(index)) / Decimal::from(table.items.count.0)
        };
        let units = index_write_units(entries.entry_bytes(&index.name), IndexEvent::Remove);
        UnitRate::new(deletes * share * Decimal::from(units), Decimal::ONE)
    };
    let mut gsi_writes = Vec::new();
    for index in table.indexes.iter().map(|i| &i.value) {
        match index.kind {
            IndexKind::Local => rate.add(removed(index)),
            IndexKind::Global => {
                let mut writes = targets
                    .iter()
                    .find(|t| t.target == Target::Gsi(index.name.clone()))
                    .map_or_else(UnitRate::default, |t| t.writes);
                writes.add(removed(index));
                gsi_writes.push((index.name.clone(), writes));
            }
        }
    }
    Replication {
        regions: regions.to_vec(),
        units_per_region: rate,
        ttl_delete_units,
        gsi_writes,
        transfer_bytes_per_second: transfer,
    }
}

/// Stream records and billed GetRecords calls. Lambda triggers and global-table replication
/// read for free (§7.2 [STRCOST]); any other reader is assumed to poll every shard once a
/// second (the KCL default), with shards ≈ table partitions.
fn stream_demand(
    streams: &crate::workload::model::Streams,
    patterns: &[PatternDemand],
    ttl_deletes: Decimal,
    item_bytes: u64,
    partitions: u64,
) -> StreamDemand {
    let records_per_second: Decimal = patterns
        .iter()
        .filter(|p| p.kind == Kind::Write)
        .map(|p| p.requests_per_second * Decimal::from(p.items_per_request))
        .sum::<Decimal>()
        + ttl_deletes;
    let billed_readers = streams
        .readers
        .iter()
        .filter(|r| **r == StreamReader::Application)
        .count() as u32;
    let kinesis_units_per_second = if streams.kinesis {
        records_per_second * Decimal::from(item_bytes.div_ceil(1024).max(1))
    } else {
        Decimal::ZERO
    };
    StreamDemand {
        records_per_second,
        billed_readers,
        billed_requests_per_second: Decimal::from(u64::from(billed_readers) * partitions),
        kinesis_units_per_second,
    }
}

/// The hottest key of the table or a GSI (`whose`), and a warning when it nears or passes
/// the per-key limit at peak.
fn hot_key(
    spanned: &Spanned<crate::workload::model::KeySkew>,
    whose: &str,
    table: &TargetDemand,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> HotKeyLoad {
    let share = skew::hottest_share(&spanned.value);
    let read_units = (table.reads.peak * share).round_dp(2);
    let write_units = (table.writes.peak * share).round_dp(2);
    for (units, limit, what) in [
        (read_units, PARTITION_READ_UNITS, "read"),
        (write_units, PARTITION_WRITE_UNITS, "write"),
    ] {
        let limit = Decimal::from(limit);
        if units > limit {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: Code::HotKey,
                message: format!(
                    "{whose} hottest partition key takes {}% of requests: {} {what} units/s at peak, over the {} per-key limit; about {} units/s will throttle whatever the capacity",
                    group_digits(share * Decimal::ONE_HUNDRED),
                    group_digits(units),
                    group_digits(limit),
                    group_digits(units - limit)
                ),
                fix: "spread the key (write sharding with a suffix) or cache the hot item".into(),
                path: path.to_string(),
                position: Position::of(spanned),
            });
        } else if units * Decimal::TWO > limit {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: Code::HotKeyRisk,
                message: format!(
                    "{whose} hottest partition key reaches {} {what} units/s at peak, over half the {} per-key limit",
                    group_digits(units),
                    group_digits(limit)
                ),
                fix: "watch growth on this key; shard it before it doubles".into(),
                path: path.to_string(),
                position: Position::of(spanned),
            });
        }
    }
    HotKeyLoad {
        share: share.round_dp(6),
        read_units,
        write_units,
    }
}

/// With LSIs, every item of a partition key and its LSI entries must fit 10 GB (§2.3).
fn lsi_collection(
    table: &Table,
    sizes: &TableFacts,
    entries: &EntrySizes,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<u64> {
    let lsis: Vec<&Index> = table
        .indexes
        .iter()
        .map(|i| &i.value)
        .filter(|i| i.kind == IndexKind::Local)
        .collect();
    if lsis.is_empty() {
        return None;
    }
    let keys = table.key_skew.as_ref()?.value.distinct_keys?.0.max(1);
    let items_per_key = table.items.count.0.div_ceil(keys);
    let per_item: u64 = sizes.item_size.bytes()
        + STORAGE_OVERHEAD_BYTES
        + lsis
            .iter()
            .map(|i| entries.storage_bytes(&i.name))
            .sum::<u64>();
    let bytes = items_per_key.saturating_mul(per_item);
    if bytes > PARTITION_BYTES {
        diagnostics.push(Diagnostic {
            severity: Severity::Error,
            code: Code::LsiCollectionTooLarge,
            message: format!(
                "an average partition key holds {} with its LSI entries, over the 10 GB item-collection limit of tables with LSIs; writes to it would fail with ItemCollectionSizeLimitExceededException",
                Size::from_bytes(bytes)
            ),
            fix: "use a GSI instead of the LSI, or a partition key with more distinct values".into(),
            path: format!("{path}.indexes"),
            position: None,
        });
    }
    Some(bytes)
}

/// "the table" or "GSI name", as a sentence names a target.
fn whose(target: &Target) -> String {
    match target {
        Target::Table => "the table".to_string(),
        Target::Gsi(name) => format!("GSI {name}"),
    }
}

/// The default per-table and per-GSI quota of 40,000 units per second (§11.3 [QUOTA]); past
/// 10¹² units/s, an error.
fn check_quotas(targets: &[TargetDemand], path: &str, diagnostics: &mut Vec<Diagnostic>) {
    let quota = Decimal::from(TABLE_QUOTA_UNITS);
    for target in targets {
        for (units, what) in [(target.reads.peak, "read"), (target.writes.peak, "write")] {
            // Past 10¹² units/s, monthly units and reserved blocks leave what the figures hold.
            if units > crate::calc::MAX_PER_SECOND {
                diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    code: Code::ValueOutOfRange,
                    message: format!(
                        "{} needs {} {what} units/s at peak, over the 10¹² units/s capacity-plan computes (25 million times the default quota)",
                        whose(&target.target),
                        group_digits(units.round_dp(0))
                    ),
                    fix: "check the access patterns' rates and items per request, and `traffic.peak_to_mean`".into(),
                    path: path.into(),
                    position: None,
                });
            } else if units > quota {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    code: Code::OverTableQuota,
                    message: format!(
                        "{} needs {} {what} units/s at peak, over the default quota of 40,000 per table or GSI",
                        whose(&target.target),
                        group_digits(units)
                    ),
                    fix: "request a quota increase through Service Quotas before launch".into(),
                    path: path.into(),
                    position: None,
                });
            }
        }
    }
}

/// Provisioned capacity the spec fixes must cover the peak, or requests throttle once burst
/// credit (300 s of unused capacity, §4 [BURST]) runs out. A global table's write capacity is
/// alike in every Region, so it must carry the busiest replica's writes too.
fn check_provisioned(
    table: &Table,
    demand: &TableDemand,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let fixed = std::iter::once((
        Target::Table,
        table.provisioned.as_ref(),
        format!("{path}.provisioned"),
    ))
    .chain(table.indexes.iter().enumerate().map(|(i, index)| {
        (
            Target::Gsi(index.value.name.clone()),
            index.value.provisioned.as_ref(),
            format!("{path}.indexes[{i}].provisioned"),
        )
    }));
    for (target, provisioned, at) in fixed {
        let (Some(provisioned), Some(reads), Some(writes)) = (
            provisioned,
            demand.target(&target).map(|t| t.reads),
            demand.sized_writes(&target),
        ) else {
            continue;
        };
        for (have, need, what) in [
            (provisioned.value.read, reads.peak, "read"),
            (provisioned.value.write, writes.peak, "write"),
        ] {
            if Decimal::from(have) < need {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    code: Code::ProvisionedBelowPeak,
                    message: format!(
                        "{have} provisioned {what} units are below the peak demand of {} units/s; the excess throttles once burst credit is spent",
                        group_digits(need.round_dp(2))
                    ),
                    fix: format!("provision at least {} {what} units, or use autoscaling or on-demand", need.ceil()),
                    path: at.clone(),
                    position: Position::of(provisioned),
                });
            }
        }
    }
}
