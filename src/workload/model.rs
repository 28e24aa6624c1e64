//! The workload spec as users write it (`workload.yaml`). Field names read like DynamoDB's own
//! vocabulary; every struct rejects unknown keys so a typo fails loudly instead of being ignored.
//!
//! This is the raw, located shape. `validate` checks it against DynamoDB's rules.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::capacity::{Consistency, TableClass};
use crate::quantity::{Count, Duration, Increase, Percent, Rate, Size};
use crate::yaml::Spanned;

/// A whole workload: one region, its tables, and the budget they must fit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// JSON Schema reference for editors; ignored by the tool.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// AWS region the tables live in, e.g. `us-east-1`; prices come from it.
    #[schemars(with = "String")]
    pub region: Spanned<String>,
    #[serde(default)]
    pub settings: Settings,
    #[schemars(with = "Vec<Table>")]
    pub tables: Vec<Spanned<Table>>,
    #[serde(default)]
    #[schemars(with = "Option<Budget>")]
    pub budget: Option<Spanned<Budget>>,
}

impl Spec {
    /// The share of requests failed throttled that `table`'s budget allows: its own
    /// `max_throttled`, else the workload's, else none. `plan`, `plan --simulate`, `simulate`
    /// and `check` all read it here, so they weigh a simulation against the same budget.
    pub fn max_throttled(&self, table: &Table) -> Decimal {
        table
            .budget
            .as_ref()
            .and_then(|b| b.value.max_throttled)
            .or_else(|| self.budget.as_ref().and_then(|b| b.value.max_throttled))
            .map_or(Decimal::ZERO, |p| p.0)
    }
}

/// Conventions that differ between tools; each default is the documented reading.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Hours in a month for rates per month and monthly bills: 730 (AWS calculator,
    /// Infracost), 720 or 744.
    #[serde(default = "default_month_hours")]
    pub month_hours: u32,
    /// Apply the always-free tier (25 GB, 25 RCU, 25 WCU per account and region). The 2.5M
    /// Streams reads a month per region are free whether or not this is set.
    #[serde(default)]
    pub free_tier: bool,
    /// Rules of the traffic simulator that AWS does not publish exactly (`simulate`).
    #[serde(default)]
    pub simulation: SimulationSettings,
}

fn default_month_hours() -> u32 {
    730
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            month_hours: default_month_hours(),
            free_tier: false,
            simulation: SimulationSettings::default(),
        }
    }
}

/// Simulator rules with uncertain or unpublished values; defaults are documented in
/// docs/simulate.md with their sources.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SimulationSettings {
    /// Time from an autoscaling decision to the new capacity (alarm latency plus UpdateTable),
    /// rounded up to whole minutes; AWS says "several minutes", AWS Labs tooling assumes 4.
    pub scaling_delay: Duration,
    /// Attempts per request, the first included (AWS SDK standard mode: 3).
    pub retry_attempts: u32,
    /// Backoff base in milliseconds: retry n waits random(0,1) × min(max, base × 2^(n-1)).
    pub retry_base_ms: u64,
    /// Backoff cap in milliseconds (AWS SDK standard mode: 20 s).
    pub retry_max_backoff_ms: u64,
    /// Per-table and per-GSI throughput quota in units per second (default 40,000; adjustable).
    pub table_quota: u64,
    /// Seconds of unused capacity a partition banks as burst credit (AWS: 300).
    pub burst_seconds: u64,
    /// How long a partition holding a hot key stays over its 3,000 / 1,000 units a second
    /// before DynamoDB splits it for heat, rounded up to whole minutes; AWS says only that
    /// adaptive capacity takes minutes. `0` starts every hot key on a partition of its own.
    pub split_for_heat_after: Duration,
    /// How long traffic must hold a level for on-demand to take it as the previous peak,
    /// rounded up to whole minutes (at least 1); AWS says only that the table must "sustain"
    /// it. A shorter blip is no peak.
    pub on_demand_peak_sustained: Duration,
    /// Simulate new tables (or a switch of capacity mode): no burst credit, autoscaling from
    /// mean ÷ target, on-demand from its warm throughput. By default each table starts warm,
    /// in the state its traffic before the run left it.
    pub cold_start: bool,
}

impl Default for SimulationSettings {
    fn default() -> Self {
        SimulationSettings {
            scaling_delay: Duration { seconds: 240 },
            retry_attempts: 3,
            retry_base_ms: 1_000,
            retry_max_backoff_ms: 20_000,
            table_quota: 40_000,
            burst_seconds: 300,
            split_for_heat_after: Duration { seconds: 300 },
            on_demand_peak_sustained: Duration { seconds: 300 },
            cold_start: false,
        }
    }
}

/// Which capacity modes to plan for; `compare` prices them side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CapacityChoice {
    OnDemand,
    Provisioned,
    Autoscaling,
    #[default]
    Compare,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub name: String,
    #[serde(default)]
    pub table_class: TableClass,
    #[serde(default)]
    pub capacity: CapacityChoice,
    pub keys: TableKeys,
    pub items: ItemsSpec,
    /// Sizes of named attributes (keys, projected attributes), for index entry sizes and key
    /// limits when no sample item gives them: the bytes the attribute adds to an item, name
    /// plus value, as DynamoDB counts them. They override sizes learned from samples.
    #[serde(default)]
    pub attributes: BTreeMap<String, Size>,
    #[serde(default)]
    #[schemars(with = "Vec<Access>")]
    pub access: Vec<Spanned<Access>>,
    #[serde(default)]
    #[schemars(with = "Vec<Index>")]
    pub indexes: Vec<Spanned<Index>>,
    #[serde(default)]
    pub traffic: Traffic,
    #[serde(default)]
    #[schemars(with = "Option<KeySkew>")]
    pub key_skew: Option<Spanned<KeySkew>>,
    #[serde(default)]
    #[schemars(with = "Option<ProvisionedCapacity>")]
    pub provisioned: Option<Spanned<ProvisionedCapacity>>,
    #[serde(default)]
    #[schemars(with = "Option<Autoscaling>")]
    pub autoscaling: Option<Spanned<Autoscaling>>,
    #[serde(default)]
    pub on_demand: Option<OnDemandLimits>,
    /// What the table absorbs at once, as DescribeTable reports it (`WarmThroughput`) or a
    /// pre-warm sets it; the simulator takes its partitions from it.
    #[serde(default)]
    pub warm_throughput: Option<WarmThroughput>,
    #[serde(default)]
    #[schemars(with = "Option<Streams>")]
    pub streams: Option<Spanned<Streams>>,
    #[serde(default)]
    #[schemars(with = "Option<Global>")]
    pub global: Option<Spanned<Global>>,
    #[serde(default)]
    #[schemars(with = "Option<Ttl>")]
    pub ttl: Option<Spanned<Ttl>>,
    #[serde(default)]
    pub backups: Option<Backups>,
    #[serde(default)]
    #[schemars(with = "Option<Dax>")]
    pub dax: Option<Spanned<Dax>>,
    #[serde(default)]
    #[schemars(with = "Option<Reserved>")]
    pub reserved: Option<Spanned<Reserved>>,
    /// Data moved out of the region each month, priced where the spec declares it.
    #[serde(default)]
    pub data_transfer: Option<DataTransfer>,
    /// Limits for this table alone; `check` evaluates them beside the workload's.
    #[serde(default)]
    #[schemars(with = "Option<Budget>")]
    pub budget: Option<Spanned<Budget>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableKeys {
    pub partition: String,
    #[serde(default)]
    pub sort: Option<String>,
}

/// How many items the table holds and how big they are: an average `size`, or `sample` item
/// files (DynamoDB JSON or plain JSON) whose exact sizes are averaged.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemsSpec {
    pub count: Count,
    #[serde(default)]
    #[schemars(with = "Option<Size>")]
    pub size: Option<Spanned<Size>>,
    /// Paths relative to the spec file.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sample: Vec<Spanned<String>>,
}

/// The DynamoDB calls an access pattern makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Get,
    BatchGet,
    Query,
    Scan,
    TransactGet,
    Put,
    Update,
    Delete,
    BatchWrite,
    TransactWrite,
}

impl Op {
    /// The name the spec uses for the op.
    pub fn name(self) -> &'static str {
        match self {
            Op::Get => "get",
            Op::BatchGet => "batch_get",
            Op::Query => "query",
            Op::Scan => "scan",
            Op::TransactGet => "transact_get",
            Op::Put => "put",
            Op::Update => "update",
            Op::Delete => "delete",
            Op::BatchWrite => "batch_write",
            Op::TransactWrite => "transact_write",
        }
    }
}

/// What one item of a batch or transactional write does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WriteAction {
    Put,
    Update,
    Delete,
}

/// One access pattern: a call, how often, on what.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Access {
    pub op: Op,
    #[schemars(with = "Rate")]
    pub rate: Spanned<Rate>,
    /// A label for reports, e.g. `order history`.
    #[serde(default)]
    pub name: Option<String>,
    /// Reads only; default eventual, as DynamoDB's API does.
    #[serde(default)]
    pub consistency: Option<Consistency>,
    /// Query or scan an index instead of the table.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub index: Option<Spanned<String>>,
    /// Items per call: keys in a batch, items in a transaction, items a query returns.
    /// A scan without `items` reads the whole table.
    #[serde(default)]
    pub items: Option<Count>,
    /// Item size for this pattern, when it differs from the table's.
    #[serde(default)]
    pub size: Option<Size>,
    /// A query or scan of a local secondary index that needs attributes the index does not
    /// project: each entry read fetches its item from the table, rounded up to 4 KB on its own.
    #[serde(default)]
    pub fetch: bool,
    /// Puts and updates: the size of the item being replaced (the larger image is charged).
    #[serde(default)]
    pub size_before: Option<Size>,
    /// Writes only: TransactWriteItems instead of a plain write.
    #[serde(default)]
    pub transactional: bool,
    /// Writes only: indexes whose key value this write changes (delete + put on each).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub changes: Vec<Spanned<String>>,
    /// Writes only: indexes whose key this write removes from the item, taking it out of a
    /// sparse index (one delete on each).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub removes: Vec<Spanned<String>>,
    /// Batch and transactional writes: what each item's action is (a batch puts or deletes;
    /// a transaction may also update). Default `put`.
    #[serde(default)]
    pub action: Option<WriteAction>,
    /// Simulator: the pattern's work runs as one job a day (a nightly scan or import) rather
    /// than at a steady rate.
    #[serde(default)]
    pub schedule: Option<Schedule>,
}

/// When a pattern's day of work runs, and how fast.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Start time of day, UTC, as `HH:MM`.
    #[schemars(with = "String")]
    pub start: Spanned<String>,
    /// The job's own rate limit in capacity units a second; without it the job runs as fast as
    /// the table's capacity allows.
    #[serde(default)]
    pub units_per_second: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    Global,
    Local,
}

/// What an index entry carries besides the keys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Projection {
    KeysOnly,
    All,
    Include(Vec<String>),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexKeys {
    #[serde(default)]
    pub partition: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Index {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: IndexKind,
    /// A GSI's keys; an LSI shares the table's partition key and names its `sort` key.
    #[serde(default)]
    pub keys: Option<IndexKeys>,
    /// LSI shorthand for `keys: { sort: … }`.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default = "default_projection")]
    pub projection: Projection,
    /// Share of items that carry the index key (sparse index); 100% by default.
    #[serde(default)]
    pub coverage: Option<Percent>,
    /// Size of one index entry, when the attribute sizes do not give it.
    #[serde(default)]
    pub entry_size: Option<Size>,
    /// A GSI's own provisioned capacity (defaults to sizing from demand).
    #[serde(default)]
    #[schemars(with = "Option<ProvisionedCapacity>")]
    pub provisioned: Option<Spanned<ProvisionedCapacity>>,
    /// A GSI's own autoscaling policy (defaults to the table's).
    #[serde(default)]
    #[schemars(with = "Option<Autoscaling>")]
    pub autoscaling: Option<Spanned<Autoscaling>>,
    /// How a GSI's requests spread over its partition keys (uniform by default); an LSI shares
    /// the table's partition key and its `key_skew`.
    #[serde(default)]
    #[schemars(with = "Option<KeySkew>")]
    pub key_skew: Option<Spanned<KeySkew>>,
    /// A GSI's own warm throughput (DescribeTable's `WarmThroughput` of the index).
    #[serde(default)]
    pub warm_throughput: Option<WarmThroughput>,
    /// Whether the index is added to an existing table (an LSI cannot be).
    #[serde(default)]
    pub added_later: bool,
}

/// Warm throughput of a table or GSI in units per second (`ReadUnitsPerSecond`,
/// `WriteUnitsPerSecond`): what it can absorb instantly, in either capacity mode.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WarmThroughput {
    #[serde(default)]
    pub read: Option<u64>,
    #[serde(default)]
    pub write: Option<u64>,
}

fn default_projection() -> Projection {
    Projection::All
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    #[default]
    Constant,
    Diurnal,
    Weekly,
}

/// How traffic varies over time; the rates in `access` are means. Or, with `metrics`, the
/// traffic the table had, measured by CloudWatch.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// A CloudWatch export of the table's consumed capacity (console or collector CSV,
    /// `get-metric-data` or `get-metric-statistics` JSON, Sum statistic), relative to the spec
    /// file: the plan and the simulator use its measured units instead of a generated shape.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub metrics: Option<Spanned<String>>,
    /// With `metrics` of several tables: whose rows to read (default: this table's name).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub table: Option<Spanned<String>>,
    #[serde(default)]
    pub shape: Shape,
    /// Peak rate ÷ mean rate (1 for constant traffic).
    #[serde(default)]
    #[schemars(with = "Option<Decimal>")]
    pub peak_to_mean: Option<Spanned<Decimal>>,
    /// Hour of the daily peak (diurnal, weekly).
    #[serde(default)]
    pub peak_hour_utc: Option<u8>,
    /// Weekend traffic relative to weekdays (weekly).
    #[serde(default)]
    pub weekend_factor: Option<Decimal>,
    /// Random second-to-second variation (standard deviation as a share of the rate), simulator.
    #[serde(default)]
    pub noise: Option<Percent>,
    /// Scheduled spikes and batch jobs, simulator.
    #[serde(default)]
    pub events: Vec<TrafficEvent>,
}

/// A scheduled spike or batch job, daily unless `day` names one day of the run.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrafficEvent {
    pub name: String,
    /// Start time of day, UTC, as `HH:MM`.
    #[schemars(with = "String")]
    pub start: Spanned<String>,
    pub duration: Duration,
    /// Day of the run it happens on (0 = the first day); every day when absent.
    #[serde(default)]
    pub day: Option<u32>,
    /// All of the table's traffic is multiplied by this while the event runs.
    #[serde(default)]
    pub multiplier: Option<Decimal>,
    /// Items written by the job (e.g. an import of `50M`), spread evenly over `duration`.
    #[serde(default)]
    pub writes: Option<Count>,
}

/// How requests spread over partition keys.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeySkew {
    #[serde(default)]
    pub distinct_keys: Option<Count>,
    /// Zipf exponent over `distinct_keys` (0 = uniform).
    #[serde(default)]
    pub zipf: Option<Decimal>,
    /// Explicit hot keys and their share of all requests.
    #[serde(default)]
    pub hot_keys: Vec<HotKey>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotKey {
    #[serde(default)]
    pub name: Option<String>,
    pub share: Percent,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionedCapacity {
    pub read: u64,
    pub write: u64,
}

/// Target-tracking autoscaling; `target` must be 20%–90%.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Autoscaling {
    #[schemars(with = "Percent")]
    pub target: Spanned<Percent>,
    #[serde(default)]
    pub min_read: Option<u64>,
    #[serde(default)]
    pub max_read: Option<u64>,
    #[serde(default)]
    pub min_write: Option<u64>,
    #[serde(default)]
    pub max_write: Option<u64>,
}

/// On-demand maximum throughput, per second (warm throughput is `warm_throughput`, which
/// applies in both modes).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnDemandLimits {
    #[serde(default)]
    pub max_read: Option<u64>,
    #[serde(default)]
    pub max_write: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamView {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamReader {
    /// An AWS Lambda trigger: its reads are free.
    Lambda,
    /// Any other consumer (KCL application, custom poller): its reads are billed.
    Application,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Streams {
    pub view: StreamView,
    #[serde(default)]
    pub readers: Vec<StreamReader>,
    /// Also send changes to Kinesis Data Streams (change data capture units).
    #[serde(default)]
    pub kinesis: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GlobalConsistency {
    /// Multi-Region eventual consistency (MREC), the default.
    #[default]
    Eventual,
    /// Multi-Region strong consistency (MRSC): exactly three Regions, no TTL, LSI or
    /// transactions.
    Strong,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Global {
    /// The other Regions holding a replica (the spec's region holds one too).
    pub replicas: Vec<String>,
    #[serde(default)]
    pub consistency: GlobalConsistency,
    /// MRSC only: the one of `replicas` that is a witness rather than a full replica. A
    /// witness takes part in the quorum but incurs no replicated writes, storage or transfer
    /// [GTOV][GTBILL].
    #[serde(default)]
    pub witness: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ttl {
    /// How long an item lives before TTL deletes it (free); bounds the stored item count.
    pub retention: Duration,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backups {
    #[serde(default)]
    pub pitr: bool,
    #[serde(default)]
    pub on_demand: Option<OnDemandBackups>,
    /// Data restored per month.
    #[serde(default)]
    pub restored_per_month: Option<Size>,
    /// Data exported to S3 per month.
    #[serde(default)]
    pub exported_per_month: Option<Size>,
    /// Data imported from S3 per month.
    #[serde(default)]
    pub imported_per_month: Option<Size>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnDemandBackups {
    /// Size of one backup; defaults to the table's data with its LSIs (not its GSIs).
    #[serde(default)]
    pub size: Option<Size>,
    /// Backups kept at any time.
    pub retained: u32,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dax {
    pub nodes: u32,
    pub node_type: String,
    /// Share of eventually consistent reads served from the cache.
    pub hit_ratio: Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ReservedTerm {
    #[serde(rename = "1y")]
    OneYear,
    #[serde(rename = "3y")]
    ThreeYears,
}

/// Reserved capacity already owned (or planned), in units (100-unit blocks).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reserved {
    pub term: ReservedTerm,
    #[serde(default)]
    pub read: u64,
    #[serde(default)]
    pub write: u64,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataTransfer {
    /// Data out to the internet per month.
    #[serde(default)]
    pub out_per_month: Option<Size>,
}

/// Limits the plan must stay within; `check` turns them into verdicts (docs/check.md).
/// At the top level, cost limits apply to the workload's total and the others to each table
/// without its own `budget:`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Total monthly cost in USD.
    #[serde(default)]
    pub monthly: Option<Decimal>,
    /// Largest acceptable share of throttled requests.
    #[serde(default)]
    pub max_throttled: Option<Percent>,
    /// Largest increase against the baseline: dollars a month (`250`, `$250`) or a share (`10%`).
    #[serde(default)]
    pub max_increase: Option<Increase>,
    /// Smallest provisioned ÷ peak demand for reads and writes of the table and each GSI.
    #[serde(default)]
    pub min_headroom: Option<Decimal>,
    /// Largest share of the per-key limit (3,000 read / 1,000 write units/s) the hottest key uses.
    #[serde(default)]
    pub max_hot_key: Option<Percent>,
}
