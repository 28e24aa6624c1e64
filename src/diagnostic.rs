//! Findings about a spec or a plan: errors that stop it, warnings that ride along in the
//! report. Each has a stable kebab-case code (documented in docs/spec.md), the place in the
//! spec it is about, and the fix.

use serde::{Deserialize, Serialize};

/// Declares [`Code`] with each variant's stable name, so the name, the JSON form and
/// [`Code::ALL`] cannot drift apart.
macro_rules! codes {
    ($($variant:ident = $name:literal,)*) => {
        /// What a finding is about, as a stable kebab-case name (in JSON reports and
        /// `severity[code]` headers), like cargo-deny's diagnostic codes. Each is documented
        /// in docs/spec.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Code {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The stable name, e.g. `item-too-large`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    MonthHoursInvalid = "month-hours-invalid",
    NoTables = "no-tables",
    TableNameDuplicate = "table-name-duplicate",
    RegionInvalid = "region-invalid",
    TableNameInvalid = "table-name-invalid",
    ItemSizeMissing = "item-size-missing",
    TableAbsurd = "table-absurd",
    SampleKeyInvalid = "sample-key-invalid",
    ItemTooLarge = "item-too-large",
    IndexNameDuplicate = "index-name-duplicate",
    IndexNameInvalid = "index-name-invalid",
    LsiKeySkew = "lsi-key-skew",
    LsiWarmThroughput = "lsi-warm-throughput",
    WarmThroughputZero = "warm-throughput-zero",
    GsiWithoutPartitionKey = "gsi-without-partition-key",
    TooManyLsis = "too-many-lsis",
    TooManyGsis = "too-many-gsis",
    TooManyProjectedAttributes = "too-many-projected-attributes",
    LsiItemTooLarge = "lsi-item-too-large",
    LsiWithoutSortKey = "lsi-without-sort-key",
    LsiPartitionKey = "lsi-partition-key",
    LsiAddedLater = "lsi-added-later",
    LsiCapacity = "lsi-capacity",
    RateZero = "rate-zero",
    RateAbsurd = "rate-absurd",
    TransactionalOnRead = "transactional-on-read",
    ConsistencyOnWrite = "consistency-on-write",
    ChangesInvalidOp = "changes-invalid-op",
    RemovesInvalidOp = "removes-invalid-op",
    ActionInvalid = "action-invalid",
    MrscUnsupported = "mrsc-unsupported",
    IndexOnNonQuery = "index-on-non-query",
    StrongReadOnGsi = "strong-read-on-gsi",
    SingleItemOp = "single-item-op",
    TooManyItems = "too-many-items",
    UnknownIndex = "unknown-index",
    TtlRetentionZero = "ttl-retention-zero",
    PeakToMeanBelowOne = "peak-to-mean-below-one",
    PeakHourInvalid = "peak-hour-invalid",
    EventStartInvalid = "event-start-invalid",
    ScheduleInvalid = "schedule-invalid",
    KeySkewEmpty = "key-skew-empty",
    HotKeySharesOver100 = "hot-key-shares-over-100",
    HotKeysLeaveAShare = "hot-keys-leave-a-share",
    ZipfNegative = "zipf-negative",
    ValueOutOfRange = "value-out-of-range",
    ProvisionedZero = "provisioned-zero",
    AutoscalingTargetOutOfRange = "autoscaling-target-out-of-range",
    AutoscalingMinOverMax = "autoscaling-min-over-max",
    TooManyStreamReaders = "too-many-stream-readers",
    ReplicaRegionDuplicate = "replica-region-duplicate",
    MrscRegions = "mrsc-regions",
    DaxNodes = "dax-nodes",
    DaxHitRatio100 = "dax-hit-ratio-100",
    DaxNoEventualReads = "dax-no-eventual-reads",
    ReservedNotMultipleOf100 = "reserved-not-multiple-of-100",
    ReservedOnStandardIa = "reserved-on-standard-ia",
    EmptySpec = "empty-spec",
    SampleUnreadable = "sample-unreadable",
    SampleInvalid = "sample-invalid",
    MetricsUnreadable = "metrics-unreadable",
    MetricsInvalid = "metrics-invalid",
    TrafficConflict = "traffic-conflict",
    FlatPeak = "flat-peak",
    OperationNotAllowed = "operation-not-allowed",
    HotKey = "hot-key",
    HotKeyRisk = "hot-key-risk",
    LsiCollectionTooLarge = "lsi-collection-too-large",
    OverTableQuota = "over-table-quota",
    ProvisionedBelowPeak = "provisioned-below-peak",
    AssumedAttributeSize = "assumed-attribute-size",
    RequestTooLarge = "request-too-large",
    BatchGetOver16Mb = "batch-get-over-16mb",
    ReservedOnReplicatedWrites = "reserved-on-replicated-writes",
    WitnessInvalid = "witness-invalid",
    LsiFetchInvalid = "lsi-fetch-invalid",
    ReservedBlocksIdle = "reserved-blocks-idle",
    GlobalTableFixedCapacity = "global-table-fixed-capacity",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl Position {
    pub fn of<T>(spanned: &crate::yaml::Spanned<T>) -> Option<Position> {
        let at = spanned.referenced;
        (at.line() > 0).then(|| Position {
            line: at.line(),
            column: at.column(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// What to change to make it go away.
    pub fix: String,
    /// Where in the spec, e.g. `tables[0].access[2]`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}
