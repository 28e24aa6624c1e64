//! DynamoDB's rules checked against a parsed spec, before anything is planned. Pure: it sees
//! the spec and the sample items the loader read, and returns every finding at once (like
//! cargo-deny's config validation), so one run shows all that needs fixing.
//!
//! Each finding has a stable kebab-case code documented in docs/spec.md; its message names the
//! rule with its source tag (docs/sources.md), and its fix says what to change.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::model::{
    Access, Autoscaling, Budget, CapacityChoice, GlobalConsistency, IndexKind, ItemsSpec, KeySkew,
    Op, Projection, ProvisionedCapacity, Schedule, Shape, SimulationSettings, Spec, Table,
    WarmThroughput, WriteAction,
};
use crate::capacity::item_size::Item;
use crate::capacity::{
    Consistency, TableClass, MAX_BATCH_GET_ITEMS, MAX_BATCH_WRITE_ITEMS, MAX_ITEM_BYTES,
    MAX_TRANSACTION_ITEMS,
};
use crate::diagnostic::{Code, Diagnostic, Position, Severity};
use crate::quantity::{count, group_digits, MonthHours, Size};
use crate::yaml::Spanned;

/// Local secondary indexes per table: a hard limit (§3.1 [QUOTA]).
const MAX_LSIS: usize = 5;
/// Global secondary indexes per table: the default, adjustable quota (§3.1 [QUOTA]).
const MAX_GSIS: usize = 20;
/// INCLUDE-projected attributes summed over all indexes of a table (§3.1 [QUOTA][CONS]).
const MAX_PROJECTED_ATTRIBUTES: usize = 100;
/// DAX cluster size: one primary and up to ten read replicas.
const MAX_DAX_NODES: u32 = 11;
/// Stream readers per shard (§11.3 [CONS][STREAMS]).
const MAX_STREAM_READERS: usize = 2;
/// A mean rate above this is a typo, not a workload: it is 25,000 tables at their quota.
const ABSURD_RATE_PER_SECOND: u64 = 1_000_000_000;
/// A table over an exabyte (2⁶⁰ bytes) is a typo; it would also overflow storage sums.
const ABSURD_TABLE_BYTES: u128 = 1 << 60;

// Upper bounds on the numbers a spec feeds into arithmetic (docs/spec.md, "Bounds"). Each is far
// above any real workload, and together they keep every product downstream finite: a rate
// (≤ 10⁹/s) × peak factors (≤ 10³ each) × units per request (≤ 10⁵) stays below 10²¹, and a
// capacity (≤ 10¹²) × 744 h × a price (≤ 10⁶ USD, `quantity::MAX_PRICE`) below 10²¹, where
// `Decimal` holds 7.9 × 10²⁸. The simulation bounds keep a run's memory and per-second work
// small (its length and series have their own budget, `sim::budget`).

/// Capacity units anywhere in a spec (provisioned, autoscaling, on-demand maximums, reserved,
/// `table_quota`): a trillion, 25 million times the default per-table quota.
const MAX_UNITS: u64 = 1_000_000_000_000;
/// Peak ÷ mean, a weekend factor or an event multiplier: a thousandfold swing.
const MAX_TRAFFIC_FACTOR: u64 = 1_000;
/// Items one traffic event writes: a trillion (1,000 times the largest S3 import AWS documents
/// as typical is still far below it).
const MAX_EVENT_WRITES: u64 = 1_000_000_000_000;
/// Attempts per request, the first included: standard mode makes 3; legacy modes retry
/// DynamoDB more (the Java SDK up to 8 retries); 11 leaves room for a client's own setting.
const MAX_RETRY_ATTEMPTS: u32 = 11;
/// Backoff base and cap in milliseconds: a minute, three times the SDKs' 20 s cap.
const MAX_BACKOFF_MS: u64 = 60_000;
/// Scaling delay and split-for-heat time: a day, where AWS speaks of minutes.
const MAX_SIM_DELAY_SECONDS: u64 = 86_400;
/// Burst credit: an hour of unused capacity, twelve times the 300 s AWS documents.
const MAX_BURST_SECONDS: u64 = 3_600;
/// On-demand backups kept at once.
const MAX_BACKUPS_RETAINED: u32 = 100_000;

/// One sample item the loader read for a table: its position in `items.sample`, and the item.
#[derive(Debug, Clone)]
pub struct Sample {
    pub index: usize,
    pub item: Item,
}

/// The table's average item size: `items.size` when given, else the mean exact size of its
/// sample items, rounded up to a whole byte; `None` when neither is there.
pub fn average_item_size(items: &ItemsSpec, samples: &[Sample]) -> Option<Size> {
    if let Some(size) = &items.size {
        return Some(size.value);
    }
    let total: u64 = samples.iter().map(|s| s.item.size().bytes()).sum();
    let count = samples.len() as u64;
    (count > 0).then(|| Size::from_bytes(total.div_ceil(count)))
}

/// Checks `spec` against DynamoDB's rules. `samples[t]` holds the sample items read for
/// `spec.tables[t]` (missing entries mean none). Returns errors and warnings in spec order.
pub fn validate(spec: &Spec, samples: &[Vec<Sample>]) -> Vec<Diagnostic> {
    let mut f = Findings::default();
    check_region(&mut f, &spec.region.value, &At::of("region", &spec.region));
    let month_hours = spec.settings.month_hours;
    if ![720, 730, 744].contains(&month_hours) {
        f.error(
            Code::MonthHoursInvalid,
            &At::key("settings.month_hours"),
            format!("`month_hours: {month_hours}` is not a month length the tool knows"),
            "use 730 (AWS calculator and Infracost), 720 (30 days) or 744 (31 days)",
        );
    }
    simulation_bounds(&mut f, &spec.settings.simulation);
    if let Some(budget) = &spec.budget {
        budget_bounds(&mut f, &At::of("budget", budget), &budget.value);
    }
    if spec.tables.is_empty() {
        f.error(
            Code::NoTables,
            &At::key("tables"),
            "the spec has no tables, so there is nothing to plan".into(),
            "add at least one table under `tables:` (`capacity-plan init` writes an example)",
        );
    }
    let mut seen = HashMap::new();
    for (t, table) in spec.tables.iter().enumerate() {
        let at = At::of(format!("tables[{t}]"), table);
        let first = *seen.entry(table.value.name.as_str()).or_insert(t);
        if first != t {
            f.error(
                Code::TableNameDuplicate,
                &at,
                format!(
                    "table `{}` is declared twice (also tables[{first}]); table names are unique per account and Region [CONS]",
                    table.value.name
                ),
                "rename one of them or merge their access patterns",
            );
        }
        let samples = samples.get(t).map_or(&[][..], Vec::as_slice);
        TableCheck {
            f: &mut f,
            spec,
            table: &table.value,
            at: &at,
            month: MonthHours(month_hours),
        }
        .run(samples);
    }
    f.0
}

/// `settings.simulation` within the bounds that keep a simulated second's work and memory small.
fn simulation_bounds(f: &mut Findings, settings: &SimulationSettings) {
    let at = |key: &str| At::key(&format!("settings.simulation.{key}"));
    let attempts = settings.retry_attempts;
    if !(1..=MAX_RETRY_ATTEMPTS).contains(&attempts) {
        f.out_of_range(
            &at("retry_attempts"),
            format!("`retry_attempts: {attempts}` is outside 1–{MAX_RETRY_ATTEMPTS}; attempts count the first try, and the SDKs default to 3 [RETRY]"),
            "use 3 (AWS SDK standard mode), or the max_attempts your client sets",
        );
    }
    for (key, ms) in [
        ("retry_base_ms", settings.retry_base_ms),
        ("retry_max_backoff_ms", settings.retry_max_backoff_ms),
    ] {
        if ms > MAX_BACKOFF_MS {
            f.out_of_range(
                &at(key),
                format!("`{key}: {ms}` is over {MAX_BACKOFF_MS} ms (a minute); the SDKs cap a backoff at 20 s [RETRY]"),
                "give milliseconds: 1000 base and 20000 cap are the SDKs' standard mode",
            );
        }
    }
    for (key, seconds) in [
        ("scaling_delay", settings.scaling_delay.seconds),
        (
            "split_for_heat_after",
            settings.split_for_heat_after.seconds,
        ),
    ] {
        if seconds > MAX_SIM_DELAY_SECONDS {
            f.out_of_range(
                &at(key),
                format!("`{key}` is {seconds} s, over a day; AWS describes minutes"),
                "give a duration of at most `24h`, e.g. `4min`",
            );
        }
    }
    if settings.burst_seconds > MAX_BURST_SECONDS {
        f.out_of_range(
            &at("burst_seconds"),
            format!("`burst_seconds: {}` is over {MAX_BURST_SECONDS}; DynamoDB banks 300 seconds of unused capacity [BURST]", settings.burst_seconds),
            "use 300, or leave it out",
        );
    }
    if !(1..=MAX_UNITS).contains(&settings.table_quota) {
        f.out_of_range(
            &at("table_quota"),
            format!(
                "`table_quota: {}` is outside 1–{}; the default quota is 40,000 units/s [QUOTA]",
                settings.table_quota,
                group_digits(MAX_UNITS.into())
            ),
            "use your account's quota in units per second, e.g. 40000",
        );
    }
}

/// A budget's cost and headroom limits are zero or more: a negative one would fail every plan,
/// so a spec typo would read as "over budget".
fn budget_bounds(f: &mut Findings, at: &At, budget: &Budget) {
    for (key, value) in [
        ("monthly", budget.monthly),
        ("min_headroom", budget.min_headroom),
    ] {
        if let Some(value) = value.filter(|v| v.is_sign_negative() && !v.is_zero()) {
            f.out_of_range(
                &at.child(key),
                format!("`{key}: {value}` is negative; no plan could meet it"),
                "give a limit of zero or more, e.g. `monthly: 1200` (USD) or `min_headroom: 1.2`",
            );
        }
    }
}

/// Where a finding points: a path for machines, the nearest located value for people.
#[derive(Debug, Clone)]
struct At {
    path: String,
    position: Option<Position>,
}

impl At {
    fn of<T>(path: impl Into<String>, spanned: &Spanned<T>) -> At {
        At {
            path: path.into(),
            position: Position::of(spanned),
        }
    }

    /// A key with no recorded location; the renderer finds it in the text by name.
    fn key(path: &str) -> At {
        At {
            path: path.into(),
            position: None,
        }
    }

    /// A child of this place, still pointing at the nearest located parent.
    fn child(&self, key: impl std::fmt::Display) -> At {
        At {
            path: format!("{}.{key}", self.path),
            position: self.position,
        }
    }

    /// A located child.
    fn spanned<T>(&self, key: impl std::fmt::Display, spanned: &Spanned<T>) -> At {
        At::of(format!("{}.{key}", self.path), spanned)
    }
}

#[derive(Default)]
struct Findings(Vec<Diagnostic>);

impl Findings {
    fn push(&mut self, severity: Severity, code: Code, at: &At, message: String, fix: &str) {
        self.0.push(Diagnostic {
            severity,
            code,
            message,
            fix: fix.into(),
            path: at.path.clone(),
            position: at.position,
        });
    }

    fn error(&mut self, code: Code, at: &At, message: String, fix: &str) {
        self.push(Severity::Error, code, at, message, fix);
    }

    fn warning(&mut self, code: Code, at: &At, message: String, fix: &str) {
        self.push(Severity::Warning, code, at, message, fix);
    }

    /// A number beyond the bounds above: an error, since planning it would overflow or run away.
    fn out_of_range(&mut self, at: &At, message: String, fix: &str) {
        self.error(Code::ValueOutOfRange, at, message, fix);
    }

    /// `what` (a count of units) is at most [`MAX_UNITS`].
    fn units(&mut self, at: &At, what: &str, units: u64) {
        if units > MAX_UNITS {
            self.out_of_range(
                at,
                format!("{what} of {} units is over {} units, beyond any real table (the default quota is 40,000 units/s) [QUOTA]", group_digits(units.into()), group_digits(MAX_UNITS.into())),
                "check the number; capacity is in units per second",
            );
        }
    }

    /// A traffic factor (peak ÷ mean, weekend factor, event multiplier): 0 to [`MAX_TRAFFIC_FACTOR`].
    fn factor(&mut self, at: &At, what: &str, value: Decimal) {
        if value.is_sign_negative() && !value.is_zero() {
            self.out_of_range(
                at,
                format!("`{what}: {value}` is negative, which would make demand negative"),
                "use 0 (no traffic) or more; 1 leaves traffic unchanged",
            );
        } else if value > Decimal::from(MAX_TRAFFIC_FACTOR) {
            self.out_of_range(
                at,
                format!("`{what}: {value}` is over {MAX_TRAFFIC_FACTOR}, a thousandfold swing beyond any real traffic"),
                "give the ratio of the rates, e.g. 4 for a peak four times the mean",
            );
        }
    }
}

/// A plausible AWS Region code (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`); the price
/// catalog decides later whether it is priced.
fn is_region_code(code: &str) -> bool {
    const DIRECTIONS: [&str; 9] = [
        "north",
        "south",
        "east",
        "west",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    let parts: Vec<&str> = code.split('-').collect();
    let [geo, middle @ .., direction, number] = parts.as_slice() else {
        return false;
    };
    geo.len() == 2
        && geo.bytes().all(|b| b.is_ascii_lowercase())
        && middle.iter().all(|p| ["gov", "iso", "isob"].contains(p))
        && middle.len() <= 1
        && DIRECTIONS.contains(direction)
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

fn check_region(f: &mut Findings, region: &str, at: &At) {
    if !is_region_code(region) {
        let fix = match region_code_like(region) {
            Some(code) => format!("did you mean `{code}`?"),
            None => "write the code, not the name: e.g. `us-east-1`, `eu-west-1`, `ap-southeast-2`"
                .into(),
        };
        f.error(
            Code::RegionInvalid,
            at,
            format!("`{region}` is not an AWS Region code"),
            &fix,
        );
    }
}

/// The Region code a near miss stands for: `us-east1`, `US-EAST-1`, `us_east_1`, `us east 1`.
fn region_code_like(region: &str) -> Option<String> {
    let code = region.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    let digits = code.len() - code.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    // The character before the digits, which may be any character (a mistyped `–`).
    let before = code[..code.len() - digits].chars().next_back();
    let code = match before {
        Some(before) if digits > 0 && before != '-' => {
            format!(
                "{}-{}",
                &code[..code.len() - digits],
                &code[code.len() - digits..]
            )
        }
        _ => code,
    };
    is_region_code(&code).then_some(code)
}

/// Table and index names: 3–255 characters of `a-z A-Z 0-9 _ - .` [CONS].
fn is_valid_name(name: &str) -> bool {
    (3..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

fn is_read(op: Op) -> bool {
    matches!(
        op,
        Op::Get | Op::BatchGet | Op::Query | Op::Scan | Op::TransactGet
    )
}

struct TableCheck<'a> {
    f: &'a mut Findings,
    spec: &'a Spec,
    table: &'a Table,
    at: &'a At,
    month: MonthHours,
}

impl TableCheck<'_> {
    fn run(mut self, samples: &[Sample]) {
        let table = self.table;
        if !is_valid_name(&table.name) {
            self.f.error(
                Code::TableNameInvalid,
                self.at,
                format!(
                    "table name `{}` is not valid: names are 3–255 characters of letters, digits, `_`, `-` and `.` [CONS]",
                    table.name
                ),
                "rename the table using only those characters",
            );
        }
        self.items(samples);
        self.indexes(samples);
        self.access();
        self.traffic_and_skew();
        self.capacity();
        self.streams_and_global();
        self.dax_and_reserved();
        if let Some(budget) = &table.budget {
            budget_bounds(self.f, &self.at.spanned("budget", budget), &budget.value);
        }
    }

    fn items(&mut self, samples: &[Sample]) {
        let items = &self.table.items;
        let at = self.at.child("items");
        if items.size.is_none() && items.sample.is_empty() {
            self.f.error(
                Code::ItemSizeMissing,
                &at,
                format!("table `{}` gives no item size", self.table.name),
                "add `size:` (e.g. `size: 1.2KB`) or `sample:` files under `items:`",
            );
        }
        if let Some(size) = &items.size {
            self.item_size(size.value, &at.spanned("size", size), "the average item");
            let stored = u128::from(items.count.0) * u128::from(size.value.bytes());
            if stored > ABSURD_TABLE_BYTES {
                self.f.error(
                    Code::TableAbsurd,
                    &at.spanned("size", size),
                    format!(
                        "{} items of {} exceed an exabyte: beyond any real table",
                        items.count.0, size.value
                    ),
                    "check the count's suffix (K, M, B) and the size's unit",
                );
            }
        }
        for (name, size) in &self.table.attributes {
            let what = format!("attribute `{name}`");
            // Sizes carry no position; the renderer finds the attribute's key in the text.
            let at = At::key(&format!("{}.attributes.{name}", self.at.path));
            self.item_size(*size, &at, &what);
        }
        // (attribute, is a sort key, must be present): table keys always; index keys only
        // when the item carries them, since a sparse index simply skips the item.
        let table_keys = &self.table.keys;
        let mut keys = vec![(&table_keys.partition, false, true)];
        keys.extend(table_keys.sort.iter().map(|k| (k, true, true)));
        for index in &self.table.indexes {
            let index_keys = index.value.keys.as_ref();
            let sort = index_keys.and_then(|k| k.sort.as_ref());
            keys.extend(
                index_keys
                    .and_then(|k| k.partition.as_ref())
                    .map(|k| (k, false, false)),
            );
            keys.extend(sort.or(index.value.sort.as_ref()).map(|k| (k, true, false)));
        }
        keys.sort_by_key(|&(name, sort, required)| (name, !required, !sort));
        keys.dedup_by_key(|&mut (name, ..)| name);
        for sample in samples {
            let Some(file) = items.sample.get(sample.index) else {
                continue;
            };
            let at = at.spanned(format_args!("sample[{}]", sample.index), file);
            let what = format!("sample item `{}`", file.value);
            self.item_size(Size::from_bytes(sample.item.size().bytes()), &at, &what);
            for &(name, sort, required) in &keys {
                if !required && !sample.item.attributes.iter().any(|(a, _)| a == name) {
                    continue;
                }
                if let Err(err) = sample.item.check_key(name, sort) {
                    self.f.error(
                        Code::SampleKeyInvalid,
                        &at,
                        format!("{what}: {err} (key values: partition ≤ 2048 bytes, sort ≤ 1024 bytes, non-empty S/N/B) [CONS]"),
                        "fix the sample item's key attribute, or the key names under `keys:`",
                    );
                }
            }
        }
    }

    /// Items, averages and per-pattern sizes must fit DynamoDB's 400 KB item limit.
    fn item_size(&mut self, size: Size, at: &At, what: &str) {
        if size.bytes() > MAX_ITEM_BYTES {
            self.f.error(
                Code::ItemTooLarge,
                at,
                format!("{what} is {size}; DynamoDB items are at most 400 KB (409,600 bytes, attribute names included) [CONS]"),
                "store large attributes in S3 and keep a pointer, or split the item",
            );
        }
    }

    fn indexes(&mut self, samples: &[Sample]) {
        let table = self.table;
        let mut names = HashMap::new();
        let (mut lsis, mut gsis, mut included) = (0, 0, 0);
        let mut lsi_entries = Some(0u64);
        let item_size = average_item_size(&table.items, samples);
        for (i, index) in table.indexes.iter().enumerate() {
            let at = self.at.spanned(format_args!("indexes[{i}]"), index);
            let index = &index.value;
            if names.insert(index.name.as_str(), i).is_some() {
                self.f.error(
                    Code::IndexNameDuplicate,
                    &at,
                    format!("index `{}` is declared twice on table `{}`; index names are unique per table [CONS]", index.name, table.name),
                    "rename or remove one of them",
                );
            }
            if !is_valid_name(&index.name) {
                self.f.error(
                    Code::IndexNameInvalid,
                    &at,
                    format!("index name `{}` is not valid: names are 3–255 characters of letters, digits, `_`, `-` and `.` [CONS]", index.name),
                    "rename the index using only those characters",
                );
            }
            if let Projection::Include(attributes) = &index.projection {
                included += attributes.len();
            }
            if let Some(p) = &index.provisioned {
                self.provisioned(p, &at.spanned("provisioned", p));
            }
            if let Some(a) = &index.autoscaling {
                self.autoscaling(a, &at.child("autoscaling"));
            }
            if let Some(w) = &index.warm_throughput {
                let at = at.child("warm_throughput");
                if index.kind == IndexKind::Local {
                    self.f.error(
                        Code::LsiWarmThroughput,
                        &at,
                        format!("local index `{}` has a `warm_throughput`, but an LSI uses the table's throughput [LSI]", index.name),
                        "drop the index's `warm_throughput`; give the table's",
                    );
                }
                self.warm_throughput(w, &at);
            }
            if let Some(skew) = &index.key_skew {
                let at = at.spanned("key_skew", skew);
                if index.kind == IndexKind::Local {
                    self.f.error(
                        Code::LsiKeySkew,
                        &at,
                        format!("local index `{}` has a `key_skew`, but an LSI shares the table's partition key and so its skew [LSI]", index.name),
                        "drop the index's `key_skew`; the table's `key_skew` applies to it",
                    );
                }
                self.key_skew(skew, &at);
            }
            match index.kind {
                IndexKind::Global => {
                    gsis += 1;
                    if index
                        .keys
                        .as_ref()
                        .and_then(|k| k.partition.as_ref())
                        .is_none()
                    {
                        self.f.error(
                            Code::GsiWithoutPartitionKey,
                            &at,
                            format!("global index `{}` has no partition key; a GSI needs its own partition key [GSI]", index.name),
                            "add `keys: { partition: <attribute> }` (and a `sort` if you query ranges)",
                        );
                    }
                }
                IndexKind::Local => {
                    lsis += 1;
                    self.local_index(index, &at);
                    let entry = match (&index.entry_size, &index.projection, item_size) {
                        (Some(size), _, _) => Some(size.bytes()),
                        (None, Projection::All, Some(item)) => Some(item.bytes()),
                        _ => None,
                    };
                    lsi_entries = lsi_entries.zip(entry).map(|(sum, e)| sum + e);
                }
            }
        }
        let at = self.at.child("indexes");
        if lsis > MAX_LSIS {
            self.f.error(
                Code::TooManyLsis,
                &at,
                format!("table `{}` has {lsis} local secondary indexes; DynamoDB allows at most {MAX_LSIS} (hard limit) [QUOTA]", table.name),
                "turn some into global secondary indexes",
            );
        }
        if gsis > MAX_GSIS {
            self.f.warning(
                Code::TooManyGsis,
                &at,
                format!("table `{}` has {gsis} global secondary indexes; the default quota is {MAX_GSIS} (adjustable) [QUOTA]", table.name),
                "request a quota increase in Service Quotas before creating them, or merge indexes (index overloading)",
            );
        }
        if included > MAX_PROJECTED_ATTRIBUTES {
            self.f.error(
                Code::TooManyProjectedAttributes,
                &at,
                format!("table `{}` projects {included} INCLUDE attributes over its indexes; DynamoDB allows at most {MAX_PROJECTED_ATTRIBUTES} summed over all indexes of a table [QUOTA][CONS]", table.name),
                "project fewer attributes, or use `projection: all` on the indexes that need many",
            );
        }
        if let (true, Some(item), Some(entries)) = (lsis > 0, item_size, lsi_entries) {
            let combined = item.bytes() + entries;
            if combined > MAX_ITEM_BYTES {
                self.f.error(
                    Code::LsiItemTooLarge,
                    &at,
                    format!("an item with its LSI entries is {}; on a table with LSIs an item and all its LSI entries must fit in 400 KB [CONS]", Size::from_bytes(combined)),
                    "project fewer attributes into the LSIs (`keys_only` or `include`), or use GSIs",
                );
            }
        }
    }

    fn local_index(&mut self, index: &super::model::Index, at: &At) {
        let name = &index.name;
        let table = self.table;
        if table.keys.sort.is_none() {
            self.f.error(
                Code::LsiWithoutSortKey,
                at,
                format!("local index `{name}` is on table `{}`, which has no sort key; LSIs exist only on tables with a composite primary key [LSI]", table.name),
                "add a `sort` key to the table, or make the index `type: global`",
            );
        }
        let keys = index.keys.as_ref();
        if index.sort.is_none() && keys.and_then(|k| k.sort.as_ref()).is_none() {
            self.f.error(
                Code::LsiWithoutSortKey,
                at,
                format!("local index `{name}` names no sort key; an LSI is the table's partition key with another sort key [LSI]"),
                "add `sort: <attribute>` to the index",
            );
        }
        if let Some(partition) = keys.and_then(|k| k.partition.as_ref()) {
            if *partition != table.keys.partition {
                self.f.error(
                    Code::LsiPartitionKey,
                    at,
                    format!("local index `{name}` has partition key `{partition}`, but an LSI always uses the table's (`{}`) [LSI]", table.keys.partition),
                    "drop the index's `partition`, or make it `type: global`",
                );
            }
        }
        if index.added_later {
            self.f.error(
                Code::LsiAddedLater,
                at,
                format!("local index `{name}` is marked `added_later`, but LSIs can be defined only when the table is created [LSI]"),
                "make it a global index, or plan it as part of a new table",
            );
        }
        if index.provisioned.is_some() || index.autoscaling.is_some() {
            self.f.error(
                Code::LsiCapacity,
                at,
                format!("local index `{name}` sets its own capacity, but LSIs consume the table's read and write capacity [LSI]"),
                "remove `provisioned`/`autoscaling` from the LSI and size the table instead",
            );
        }
    }

    fn access(&mut self) {
        let table = self.table;
        let strong_global = table
            .global
            .as_ref()
            .is_some_and(|g| g.value.consistency == GlobalConsistency::Strong);
        for (a, access) in table.access.iter().enumerate() {
            let at = self.at.spanned(format_args!("access[{a}]"), access);
            let access = &access.value;
            let op = access.op;
            let op_name = op.name();
            if let Some(schedule) = &access.schedule {
                self.schedule(schedule, &at);
            }
            let rate_at = at.spanned("rate", &access.rate);
            let per_second = access.rate.value.to_per_second(self.month);
            if per_second.is_zero() {
                self.f.warning(
                    Code::RateZero,
                    &rate_at,
                    format!(
                        "the {op_name} pattern has a rate of zero, so it adds nothing to the plan"
                    ),
                    "give its expected rate, or remove the pattern",
                );
            } else if per_second > Decimal::from(ABSURD_RATE_PER_SECOND) {
                self.f.error(
                    Code::RateAbsurd,
                    &rate_at,
                    format!("the {op_name} rate {} is {} requests per second, beyond any real table (the default quota is 40,000 units/s per table) [QUOTA]", access.rate.value, per_second.round_dp(0)),
                    "check the rate's unit and suffix (K, M, B; /s, /min, /h, /day, /month)",
                );
            }
            if let Some(index) = &access.index {
                self.access_index(op, access.consistency, index, &at);
            }
            if access.fetch {
                self.access_fetch(access, &at);
            }
            let read = is_read(op);
            if read
                && (access.transactional
                    || access.consistency == Some(Consistency::Transactional)
                        && op != Op::TransactGet)
            {
                self.f.error(
                    Code::TransactionalOnRead,
                    &at,
                    format!("a {op_name} is marked transactional; transactional reads are TransactGetItems calls [TX]"),
                    "use `op: transact_get` for transactional reads, and drop `transactional`",
                );
            }
            if !read && access.consistency.is_some() {
                self.f.error(
                    Code::ConsistencyOnWrite,
                    &at,
                    format!("a {op_name} sets `consistency`, which applies to reads only [RW]"),
                    "remove `consistency`; use `transactional: true` for TransactWriteItems",
                );
            }
            self.access_items(op, access.items.map(|c| c.0), &at);
            for (what, size) in [("size", access.size), ("size_before", access.size_before)] {
                if let Some(size) = size {
                    self.item_size(
                        size,
                        &at.child(what),
                        &format!("the {op_name} item `{what}`"),
                    );
                }
            }
            if !access.changes.is_empty() && (read || op == Op::Delete) {
                self.f.error(
                    Code::ChangesInvalidOp,
                    &at,
                    format!("a {op_name} lists `changes`, but only a put or update can change an index key (a delete removes the entries) [GSI][LSI]"),
                    "move `changes` to the write that modifies the key attribute",
                );
            }
            if !access.removes.is_empty() && (read || op == Op::Delete) {
                self.f.error(
                    Code::RemovesInvalidOp,
                    &at,
                    format!("a {op_name} lists `removes`, but only a write that keeps the item can remove its index key (a delete removes every entry) [GSI][LSI]"),
                    "move `removes` to the update that drops the key attribute",
                );
            }
            for (key, list) in [("changes", &access.changes), ("removes", &access.removes)] {
                for (c, index) in list.iter().enumerate() {
                    if self.find_index(&index.value).is_none() {
                        self.unknown_index(
                            &index.value,
                            &at.spanned(format_args!("{key}[{c}]"), index),
                        );
                    }
                }
            }
            match (op, access.action) {
                (_, None) | (Op::TransactWrite, Some(_)) => {}
                (Op::BatchWrite, Some(WriteAction::Update)) => self.f.error(
                    Code::ActionInvalid,
                    &at,
                    "a batch_write cannot update: BatchWriteItem takes puts and deletes only [CONS]"
                        .into(),
                    "use `action: put` or `delete`, or a transact_write for updates",
                ),
                (Op::BatchWrite, Some(_)) => {}
                (_, Some(_)) => self.f.error(
                    Code::ActionInvalid,
                    &at,
                    format!("a {op_name} sets `action`, which only batch_write and transact_write take"),
                    "remove `action`; the op itself says what the write does",
                ),
            }
            if strong_global
                && (access.transactional || matches!(op, Op::TransactGet | Op::TransactWrite))
            {
                self.f.error(
                    Code::MrscUnsupported,
                    &at,
                    format!("table `{}` is a strongly consistent (MRSC) global table, which does not support transactions [GTHOW][TX]", table.name),
                    "use plain writes, or `global.consistency: eventual` (MREC)",
                );
            }
        }
    }

    fn access_index(
        &mut self,
        op: Op,
        consistency: Option<Consistency>,
        index: &Spanned<String>,
        at: &At,
    ) {
        let index_at = at.spanned("index", index);
        if !matches!(op, Op::Query | Op::Scan) {
            self.f.error(
                Code::IndexOnNonQuery,
                &index_at,
                format!(
                    "a {} targets index `{}`, but only Query and Scan can read an index [GSI][LSI]",
                    op.name(),
                    index.value
                ),
                "use `op: query` or `op: scan` for index reads, or drop `index`",
            );
        }
        match self.find_index(&index.value) {
            None => self.unknown_index(&index.value, &index_at),
            Some(IndexKind::Global) if consistency == Some(Consistency::Strong) => self.f.error(
                Code::StrongReadOnGsi,
                at,
                format!("a strongly consistent {} on global index `{}`: GSI reads are eventually consistent only [GSI]", op.name(), index.value),
                "use `consistency: eventual`, or read the table or an LSI when you need strong reads",
            ),
            Some(_) => {}
        }
    }

    /// Only a query or scan of a local secondary index that does not project every attribute
    /// fetches table items; a GSI never does [LSI][GSI].
    fn access_fetch(&mut self, access: &Access, at: &At) {
        let index = access.index.as_ref().and_then(|name| {
            self.table
                .indexes
                .iter()
                .find(|i| i.value.name == name.value)
        });
        let problem = match index.map(|i| &i.value) {
            _ if !matches!(access.op, Op::Query | Op::Scan) => {
                "only a query or scan of an index fetches table items"
            }
            None => "`fetch` needs the `index` the query reads",
            Some(i) if i.kind == IndexKind::Global => {
                "a global secondary index cannot fetch attributes it does not project"
            }
            Some(i) if i.projection == Projection::All => {
                "the index projects every attribute, so nothing is fetched"
            }
            Some(_) => return,
        };
        self.f.error(
            Code::LsiFetchInvalid,
            &at.child("fetch"),
            format!(
                "`fetch: true` on a {}: {problem} [LSI][GSI]",
                access.op.name()
            ),
            "drop `fetch`, or query a local secondary index that leaves the needed attributes out",
        );
    }

    fn access_items(&mut self, op: Op, items: Option<u64>, at: &At) {
        let Some(items) = items else { return };
        let at = at.child("items");
        let name = op.name();
        if matches!(op, Op::Get | Op::Put | Op::Update | Op::Delete) && items != 1 {
            self.f.error(
                Code::SingleItemOp,
                &at,
                format!("a {name} reads or writes exactly one item, not {items} [RW]"),
                "drop `items`, or use batch_get, batch_write, transact_get/transact_write, or a query",
            );
        }
        let limit = match op {
            Op::BatchGet => MAX_BATCH_GET_ITEMS,
            Op::BatchWrite => MAX_BATCH_WRITE_ITEMS,
            Op::TransactGet | Op::TransactWrite => MAX_TRANSACTION_ITEMS,
            _ => return,
        };
        if items > limit {
            self.f.error(
                Code::TooManyItems,
                &at,
                format!("a {name} takes at most {limit} items per call, not {items} [CONS]"),
                "split it into several calls and raise `rate` accordingly",
            );
        }
    }

    fn find_index(&self, name: &str) -> Option<IndexKind> {
        self.table
            .indexes
            .iter()
            .find(|i| i.value.name == name)
            .map(|i| i.value.kind)
    }

    fn unknown_index(&mut self, name: &str, at: &At) {
        let known: Vec<_> = self
            .table
            .indexes
            .iter()
            .map(|i| format!("`{}`", i.value.name))
            .collect();
        self.f.error(
            Code::UnknownIndex,
            at,
            format!("table `{}` has no index `{name}`", self.table.name),
            &if known.is_empty() {
                "declare the index under `indexes:`".to_string()
            } else {
                format!(
                    "use one of {}, or declare `{name}` under `indexes:`",
                    known.join(", ")
                )
            },
        );
    }

    fn traffic_and_skew(&mut self) {
        if let Some(ttl) = &self.table.ttl {
            if ttl.value.retention.seconds == 0 {
                self.f.error(
                    Code::TtlRetentionZero,
                    &self.at.spanned("ttl", ttl),
                    "`ttl.retention` is zero: items would expire as they are written".into(),
                    "give how long items live, e.g. `retention: 90d`, or drop `ttl`",
                );
            }
        }
        let traffic = &self.table.traffic;
        self.metrics_conflicts();
        if let Some(ratio) = &traffic.peak_to_mean {
            if ratio.value < Decimal::ONE {
                self.f.error(
                    Code::PeakToMeanBelowOne,
                    &self.at.spanned("traffic.peak_to_mean", ratio),
                    format!(
                        "`peak_to_mean: {}` is below 1, but a peak is never lower than the mean",
                        ratio.value
                    ),
                    "use 1 for constant traffic, or the peak rate divided by the mean rate",
                );
            }
        }
        if let Some(ratio) = traffic
            .peak_to_mean
            .as_ref()
            .filter(|r| r.value >= Decimal::ONE)
        {
            let at = self.at.spanned("traffic.peak_to_mean", ratio);
            self.f.factor(&at, "peak_to_mean", ratio.value);
        }
        if let Some(factor) = traffic.weekend_factor {
            let at = At::key(&format!("{}.traffic.weekend_factor", self.at.path));
            self.f.factor(&at, "weekend_factor", factor);
        }
        for (e, event) in traffic.events.iter().enumerate() {
            let at = self
                .at
                .spanned(format_args!("traffic.events[{e}]"), &event.start);
            if let Some(multiplier) = event.multiplier {
                self.f
                    .factor(&at.child("multiplier"), "multiplier", multiplier);
            }
            if let Some(writes) = event.writes.filter(|w| w.0 > MAX_EVENT_WRITES) {
                self.f.out_of_range(
                    &at.child("writes"),
                    format!(
                        "event `{}` writes {} items, over a trillion",
                        event.name,
                        group_digits(writes.0.into())
                    ),
                    "check the count's suffix (K, M, B)",
                );
            }
        }
        if let Some(hour) = traffic.peak_hour_utc.filter(|h| *h > 23) {
            self.f.error(
                Code::PeakHourInvalid,
                &self.at.child("traffic.peak_hour_utc"),
                format!("`peak_hour_utc: {hour}` is not an hour of the day"),
                "use an hour from 0 to 23 (UTC)",
            );
        }
        for (e, event) in traffic.events.iter().enumerate() {
            if crate::time::time_of_day(&event.start.value).is_none() {
                self.f.error(
                    Code::EventStartInvalid,
                    &self
                        .at
                        .spanned(format_args!("traffic.events[{e}].start"), &event.start),
                    format!(
                        "event `{}` starts at `{}`, which is not a time of day",
                        event.name, event.start.value
                    ),
                    "write the start as HH:MM in UTC, from \"00:00\" to \"23:59\", e.g. \"02:00\"",
                );
            }
        }
        if let Some(skew) = &self.table.key_skew {
            self.key_skew(skew, &self.at.spanned("key_skew", skew));
        }
    }

    /// Measured traffic (`traffic.metrics`) is the whole traffic: a generated shape beside it
    /// would be ignored, so each one is refused by name. `traffic.table` chooses rows of the
    /// metrics file and means nothing without one.
    fn metrics_conflicts(&mut self) {
        let traffic = &self.table.traffic;
        let Some(metrics) = &traffic.metrics else {
            if let Some(table) = &traffic.table {
                self.f.error(
                    Code::TrafficConflict,
                    &self.at.spanned("traffic.table", table),
                    format!(
                        "`traffic.table: {}` chooses the rows of a metrics file, but `traffic` names none",
                        table.value
                    ),
                    "add `metrics: FILE` (a CloudWatch export) to `traffic`, or drop `table`",
                );
            }
            return;
        };
        let generated = [
            ("shape", traffic.shape != Shape::Constant),
            ("peak_to_mean", traffic.peak_to_mean.is_some()),
            ("peak_hour_utc", traffic.peak_hour_utc.is_some()),
            ("weekend_factor", traffic.weekend_factor.is_some()),
            ("noise", traffic.noise.is_some()),
            ("events", !traffic.events.is_empty()),
        ];
        let named: Vec<String> = generated
            .iter()
            .filter(|(_, set)| *set)
            .map(|(key, _)| format!("`{key}`"))
            .collect();
        if !named.is_empty() {
            self.f.error(
                Code::TrafficConflict,
                &self.at.spanned("traffic.metrics", metrics),
                format!(
                    "`traffic.metrics` replays the measured traffic, so {} would be ignored",
                    named.join(", ")
                ),
                &format!(
                    "drop {} to plan from the metrics, or drop `metrics` to generate the traffic",
                    named.join(" and ")
                ),
            );
        }
    }

    fn key_skew(&mut self, skew: &Spanned<KeySkew>, at: &At) {
        let skew = &skew.value;
        if skew.distinct_keys.is_none() && skew.hot_keys.is_empty() {
            self.f.error(
                Code::KeySkewEmpty,
                at,
                "`key_skew` gives neither `distinct_keys` nor `hot_keys`, so there is no spread to model".into(),
                "add `distinct_keys` (with an optional `zipf`) or a list of `hot_keys` with their shares",
            );
        }
        let total: Decimal = skew.hot_keys.iter().map(|k| k.share.0).sum();
        if total > Decimal::ONE {
            self.f.error(
                Code::HotKeySharesOver100,
                at,
                format!(
                    "the hot keys' shares add up to {}%, over 100% of requests",
                    (total * Decimal::ONE_HUNDRED).normalize()
                ),
                "make each `share` the fraction of all requests that go to that key",
            );
        } else if total < Decimal::ONE
            && skew
                .distinct_keys
                .is_some_and(|k| k.0 <= skew.hot_keys.len() as u64)
        {
            self.f.warning(
                Code::HotKeysLeaveAShare,
                at,
                format!(
                    "all {} distinct keys are named in `hot_keys`, but their shares add up to {}%: the other requests have no key to go to, so they are spread as if over many",
                    skew.hot_keys.len(),
                    (total * Decimal::ONE_HUNDRED).normalize()
                ),
                "make the shares add up to 100%, or raise `distinct_keys` to count the other keys",
            );
        }
        if let Some(zipf) = skew.zipf.filter(|z| z.is_sign_negative() && !z.is_zero()) {
            self.f.error(
                Code::ZipfNegative,
                at,
                format!("`zipf: {zipf}` is negative; the exponent is 0 (uniform) or more (skewed)"),
                "use 0 for uniform keys, about 1 for typical skew",
            );
        }
    }

    /// A scheduled pattern starts at a time of day and, if rate-limited, runs at 1 unit a
    /// second or more.
    fn schedule(&mut self, schedule: &Schedule, at: &At) {
        if crate::time::time_of_day(&schedule.start.value).is_none() {
            self.f.error(
                Code::ScheduleInvalid,
                &at.spanned("schedule.start", &schedule.start),
                format!(
                    "the schedule starts at `{}`, which is not a time of day",
                    schedule.start.value
                ),
                "write the start as HH:MM in UTC, from \"00:00\" to \"23:59\", e.g. \"02:00\"",
            );
        }
        if schedule.units_per_second == Some(0) {
            self.f.error(
                Code::ScheduleInvalid,
                &at.child("schedule.units_per_second"),
                "`units_per_second: 0` would never finish the job".to_string(),
                "give the job's rate limit in capacity units a second, or leave it out to run as fast as capacity allows",
            );
        }
    }

    fn capacity(&mut self) {
        if let Some(limits) = &self.table.on_demand {
            let at = self.at.child("on_demand");
            for (what, units) in [
                ("max_read", limits.max_read),
                ("max_write", limits.max_write),
            ] {
                if let Some(units) = units {
                    self.f.units(&at, &format!("on-demand `{what}`"), units);
                }
            }
        }
        if let Some(retained) = self
            .table
            .backups
            .as_ref()
            .and_then(|b| b.on_demand.as_ref())
            .map(|b| b.retained)
            .filter(|&r| r > MAX_BACKUPS_RETAINED)
        {
            self.f.out_of_range(
                &self.at.child("backups.on_demand.retained"),
                format!("{retained} on-demand backups kept at once is over {MAX_BACKUPS_RETAINED}"),
                "give how many backups exist at a time, e.g. 30 for a month of dailies",
            );
        }
        if let Some(p) = &self.table.provisioned {
            self.provisioned(p, &self.at.spanned("provisioned", p));
        }
        if let Some(w) = &self.table.warm_throughput {
            self.warm_throughput(w, &self.at.child("warm_throughput"));
        }
        if let Some(a) = &self.table.autoscaling {
            self.autoscaling(a, &self.at.child("autoscaling"));
        }
    }

    fn provisioned(&mut self, p: &Spanned<ProvisionedCapacity>, at: &At) {
        for (what, units) in [("read", p.value.read), ("write", p.value.write)] {
            self.f.units(at, &format!("provisioned `{what}`"), units);
            if units == 0 {
                self.f.error(
                    Code::ProvisionedZero,
                    at,
                    format!("provisioned `{what}: 0`; a provisioned table or GSI has at least 1 {what} unit [QUOTA]"),
                    "set it to 1 or more (or use on-demand capacity)",
                );
            }
        }
    }

    /// DynamoDB reports warm throughput of at least 1 unit a second (a new on-demand table
    /// starts at 12,000 reads and 4,000 writes, [WARMSC]).
    fn warm_throughput(&mut self, w: &WarmThroughput, at: &At) {
        for (what, units) in [("read", w.read), ("write", w.write)] {
            if let Some(units) = units {
                self.f
                    .units(at, &format!("warm throughput `{what}`"), units);
            }
            if units == Some(0) {
                self.f.error(
                    Code::WarmThroughputZero,
                    at,
                    format!("warm throughput `{what}: 0`; DynamoDB's warm throughput is at least 1 unit a second [WARM]"),
                    "give the units per second DescribeTable reports as `WarmThroughput`, or leave the key out",
                );
            }
        }
    }

    fn autoscaling(&mut self, a: &Spanned<Autoscaling>, at: &At) {
        let a = &a.value;
        for (what, units) in [
            ("min_read", a.min_read),
            ("max_read", a.max_read),
            ("min_write", a.min_write),
            ("max_write", a.max_write),
        ] {
            if let Some(units) = units {
                self.f.units(at, &format!("autoscaling `{what}`"), units);
            }
        }
        let target = a.target.value.0;
        if target < Decimal::new(20, 2) || target > Decimal::new(90, 2) {
            self.f.error(
                Code::AutoscalingTargetOutOfRange,
                &At::of(format!("{}.target", at.path), &a.target),
                format!("autoscaling target {} is outside DynamoDB's 20%–90% target utilization range [AS]", a.target.value),
                "use a target between 20% and 90% (70% is the console default)",
            );
        }
        for (what, min, max) in [
            ("read", a.min_read, a.max_read),
            ("write", a.min_write, a.max_write),
        ] {
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    self.f.error(
                        Code::AutoscalingMinOverMax,
                        at,
                        format!(
                            "autoscaling `min_{what}: {min}` is above `max_{what}: {max}` [AS]"
                        ),
                        "swap them, or raise the maximum",
                    );
                }
            }
        }
    }

    fn streams_and_global(&mut self) {
        let table = self.table;
        let global = table.global.as_ref();
        let replicating =
            global.is_some_and(|g| g.value.consistency == GlobalConsistency::Eventual);
        if let Some(streams) = &table.streams {
            let readers = streams.value.readers.len();
            let limit = if replicating { 1 } else { MAX_STREAM_READERS };
            if readers > limit {
                let why = if replicating {
                    " beside global-table replication, which reads the stream itself"
                } else {
                    ""
                };
                self.f.error(
                    Code::TooManyStreamReaders,
                    &self.at.spanned("streams", streams),
                    format!("{} on table `{}`; a shard supports at most {}{why}, more are throttled [CONS][STREAMS]", count(readers, "stream reader", "stream readers"), table.name, count(limit, "concurrent reader", "concurrent readers")),
                    "fan out from one reader (e.g. one Lambda to SNS/EventBridge), or use `kinesis: true`",
                );
            }
        }
        let Some(global) = global else { return };
        let at = self.at.spanned("global", global);
        let mut regions = vec![self.spec.region.value.as_str()];
        for (r, replica) in global.value.replicas.iter().enumerate() {
            let replica_at = at.child(format_args!("replicas[{r}]"));
            check_region(self.f, replica, &replica_at);
            if regions.contains(&replica.as_str()) {
                self.f.error(
                    Code::ReplicaRegionDuplicate,
                    &replica_at,
                    format!("Region `{replica}` holds the table already; a global table has one replica per Region [GTHOW]"),
                    "list only the other Regions under `replicas` (the spec's `region` holds one too)",
                );
            }
            regions.push(replica);
        }
        if let Some(witness) = &global.value.witness {
            let problem = if global.value.consistency != GlobalConsistency::Strong {
                Some("a witness belongs to a strongly consistent (MRSC) global table only")
            } else if !global.value.replicas.contains(witness) {
                Some("the witness is one of the Regions listed under `replicas`")
            } else {
                None
            };
            if let Some(problem) = problem {
                self.f.error(
                    Code::WitnessInvalid,
                    &at.child("witness"),
                    format!("witness `{witness}`: {problem} [GTOV]"),
                    "name one of `replicas` with `consistency: strong`, or drop `witness`",
                );
            }
        }
        if table.capacity == CapacityChoice::Provisioned {
            self.f.warning(
                Code::GlobalTableFixedCapacity,
                &at,
                format!("table `{}` is a global table planned in fixed provisioned capacity; AWS asks global tables to use on-demand or provisioned capacity with auto scaling, so replicated writes (TTL deletes included) never outrun a replica [GTBP][GTTHR]", table.name),
                "use `capacity: autoscaling` (with an `autoscaling` policy) or `capacity: on_demand`",
            );
        }
        if global.value.consistency != GlobalConsistency::Strong {
            return;
        }
        let replicas = global.value.replicas.len();
        if replicas != 2 {
            self.f.error(
                Code::MrscRegions,
                &at,
                format!("a strongly consistent (MRSC) global table spans exactly 3 Regions, but this one lists {} besides `{}` [GTHOW]", count(replicas, "replica", "replicas"), self.spec.region.value),
                "list exactly two `replicas` (or use `consistency: eventual`)",
            );
        }
        let unsupported = [
            (table.ttl.is_some(), "TTL"),
            (
                table
                    .indexes
                    .iter()
                    .any(|i| i.value.kind == IndexKind::Local),
                "local secondary indexes",
            ),
        ];
        for (_, what) in unsupported.iter().filter(|(present, _)| *present) {
            self.f.error(
                Code::MrscUnsupported,
                &at,
                format!("table `{}` is a strongly consistent (MRSC) global table, which does not support {what} [GTHOW]", table.name),
                "drop it, or use `consistency: eventual` (MREC)",
            );
        }
    }

    fn dax_and_reserved(&mut self) {
        let table = self.table;
        if let Some(dax) = &table.dax {
            let at = self.at.spanned("dax", dax);
            let nodes = dax.value.nodes;
            if nodes == 0 || nodes > MAX_DAX_NODES {
                self.f.error(
                    Code::DaxNodes,
                    &at,
                    format!("a DAX cluster of {nodes} nodes; a cluster has 1 primary and up to 10 read replicas (1–{MAX_DAX_NODES} nodes) [CONS]"),
                    "use 3 nodes or more for production (one per Availability Zone), at most 11",
                );
            }
            if dax.value.hit_ratio.0 == Decimal::ONE {
                self.f.warning(
                    Code::DaxHitRatio100,
                    &at,
                    "a DAX hit ratio of 100% means no read ever misses: every first read, TTL expiry and replicated write misses the cache [GTHOW]".into(),
                    "use a measured hit ratio, or a cautious estimate such as 80%",
                );
            }
            let eventual_reads = table.access.iter().any(|a| {
                matches!(a.value.op, Op::Get | Op::BatchGet | Op::Query | Op::Scan)
                    && a.value
                        .consistency
                        .is_none_or(|c| c == Consistency::Eventual)
            });
            if !eventual_reads {
                self.f.warning(
                    Code::DaxNoEventualReads,
                    &at,
                    format!("table `{}` has DAX but no eventually consistent reads; DAX passes strong and transactional reads through to DynamoDB, so it would save nothing [DAX]", table.name),
                    "remove `dax`, or make the cacheable reads `consistency: eventual`",
                );
            }
        }
        if let Some(reserved) = &table.reserved {
            let at = self.at.spanned("reserved", reserved);
            for (what, units) in [
                ("read", reserved.value.read),
                ("write", reserved.value.write),
            ] {
                self.f.units(&at, &format!("reserved `{what}`"), units);
                if units % 100 != 0 {
                    self.f.error(
                        Code::ReservedNotMultipleOf100,
                        &at,
                        format!("reserved `{what}: {units}`; reserved capacity is bought in blocks of 100 units [RECO]"),
                        "round it to a multiple of 100",
                    );
                }
            }
            if table.table_class == TableClass::StandardIa {
                self.f.error(
                    Code::ReservedOnStandardIa,
                    &at,
                    format!("table `{}` uses the Standard-IA table class, for which reserved capacity is not offered [RECO][TC]", table.name),
                    "remove `reserved`, or use `table_class: standard`",
                );
            }
            // A global table's own writes are rWCU, which reserved capacity does not cover; only
            // its GSIs' writes can use owned write blocks [GTFAQ].
            let gsis = table
                .indexes
                .iter()
                .any(|i| i.value.kind == IndexKind::Global);
            if table.global.is_some() && reserved.value.write > 0 && !gsis {
                self.f.warning(
                    Code::ReservedOnReplicatedWrites,
                    &at,
                    format!("table `{}` is a global table: its writes are replicated write capacity (rWCU), which reserved capacity does not cover, and it has no GSI whose writes could use the {} owned write units; they are paid for but unused in every mode [GTFAQ]", table.name, reserved.value.write),
                    "drop `reserved.write` (owned blocks still cost their fee) or plan the blocks for another table in this Region",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(yaml: &str, items: &[&str]) -> Vec<&'static str> {
        let spec: Spec = crate::yaml::from_str(yaml, "test.yaml").unwrap();
        let samples: Vec<Sample> = items
            .iter()
            .enumerate()
            .map(|(index, json)| Sample {
                index,
                item: Item::from_json(json).unwrap(),
            })
            .collect();
        validate(&spec, &[samples])
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    const SPEC: &str = "region: us-east-1\ntables:\n  - name: events\n    keys: { partition: pk }\n    items: { count: 1, sample: [a.json] }\n    indexes:\n      - { name: by_user, type: global, keys: { partition: user } }\n";

    #[test]
    fn sample_keys_follow_the_key_length_limits() {
        // §2.3 [CONS]: the table's key must be present; a sparse GSI key may be absent.
        assert!(codes(SPEC, &[r#"{"pk": "a"}"#]).is_empty());
        assert_eq!(codes(SPEC, &[r#"{"user": "u"}"#]), ["sample-key-invalid"]);
        // A GSI partition key value, when present, is limited to 2048 bytes like any other.
        let long = format!(r#"{{"pk": "a", "user": "{}"}}"#, "u".repeat(2049));
        assert_eq!(codes(SPEC, &[&long]), ["sample-key-invalid"]);
        let at_limit = format!(r#"{{"pk": "a", "user": "{}"}}"#, "u".repeat(2048));
        assert!(codes(SPEC, &[&at_limit]).is_empty());
    }

    #[test]
    fn a_near_miss_region_names_its_code() {
        for (got, code) in [
            ("us-east1", "us-east-1"),
            ("US-EAST-1", "us-east-1"),
            ("eu_west_2", "eu-west-2"),
            ("ap southeast 2", "ap-southeast-2"),
        ] {
            assert_eq!(region_code_like(got).as_deref(), Some(code), "{got}");
        }
        assert_eq!(region_code_like("virginia"), None);
        assert_eq!(region_code_like("useast1"), None);
        // A character of several bytes before the digits (found by the spec mutator): no
        // code, and no panic.
        assert_eq!(region_code_like("us-east\u{fffd}1"), None);
        assert_eq!(region_code_like("us-east–1"), None);
        assert_eq!(region_code_like("123"), None);
    }

    #[test]
    fn region_codes() {
        for good in [
            "us-east-1",
            "ap-southeast-2",
            "us-gov-west-1",
            "eu-central-2",
            "cn-north-1",
        ] {
            assert!(is_region_code(good), "{good}");
        }
        for bad in [
            "us-east",
            "US-EAST-1",
            "virginia",
            "us-middle-1",
            "us-east-123",
            "",
        ] {
            assert!(!is_region_code(bad), "{bad}");
        }
    }

    #[test]
    fn average_size_rounds_up_over_samples() {
        let spec: Spec = crate::yaml::from_str(SPEC, "test.yaml").unwrap();
        let sample = |json: &str, index| Sample {
            index,
            item: Item::from_json(json).unwrap(),
        };
        // {"pk": "a"} = 2 + 1 = 3 B; {"pk": "ab"} = 2 + 2 = 4 B; mean 3.5 → 4 B.
        let samples = [sample(r#"{"pk": "a"}"#, 0), sample(r#"{"pk": "ab"}"#, 0)];
        let size = average_item_size(&spec.tables[0].value.items, &samples);
        assert_eq!(size, Some(Size::from_bytes(4)));
    }
}
