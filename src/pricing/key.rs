//! Stable price names (`ondemand_write_standard`, `reserved_1y_wcu_upfront_per_100`, …) as a
//! typed key, so the cost engine cannot ask for a price that no file could contain.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::capacity::TableClass;

/// Reserved-capacity term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Term {
    #[serde(rename = "1y")]
    OneYear,
    #[serde(rename = "3y")]
    ThreeYears,
}

impl Term {
    /// Hours the upfront fee is spread over: 365 or 3 × 365 days.
    pub fn hours(self) -> u32 {
        match self {
            Term::OneYear => 8760,
            Term::ThreeYears => 26_280,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Term::OneYear => "1y",
            Term::ThreeYears => "3y",
        }
    }
}

/// Read or write capacity, for reserved blocks and free-tier units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Capacity {
    Rcu,
    Wcu,
}

impl Capacity {
    pub fn name(self) -> &'static str {
        match self {
            Capacity::Rcu => "rcu",
            Capacity::Wcu => "wcu",
        }
    }
}

/// The two charges of a reserved block: once upfront, then every hour of the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReservedCharge {
    Upfront,
    Hourly,
}

/// What an amount is per. Free-tier allowances are quantities, not money, and say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceUnit {
    /// One request unit (RRU, WRU, rWRU, streams read request, Kinesis CDC unit).
    Request,
    /// One capacity unit held for one hour (RCU-, WCU-, rWCU-hour).
    UnitHour,
    GbMonth,
    Gb,
    NodeHour,
    /// One reserved block of 100 units, paid once.
    Block,
    /// One reserved block of 100 units, for one hour.
    BlockHour,
    FreeGbMonth,
    FreeUnits,
    FreeRequests,
}

impl PriceUnit {
    pub fn name(self) -> &'static str {
        match self {
            PriceUnit::Request => "request",
            PriceUnit::UnitHour => "unit_hour",
            PriceUnit::GbMonth => "gb_month",
            PriceUnit::Gb => "gb",
            PriceUnit::NodeHour => "node_hour",
            PriceUnit::Block => "block",
            PriceUnit::BlockHour => "block_hour",
            PriceUnit::FreeGbMonth => "free_gb_month",
            PriceUnit::FreeUnits => "free_units",
            PriceUnit::FreeRequests => "free_requests",
        }
    }
}

/// A price name. `Display` writes the stable name, `FromStr` reads it back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PriceKey {
    OnDemandRead(TableClass),
    OnDemandWrite(TableClass),
    ReplicatedWriteRequest(TableClass),
    ProvisionedRcuHour(TableClass),
    ProvisionedWcuHour(TableClass),
    ReplicatedWcuHour(TableClass),
    Storage(TableClass),
    PitrGbMonth,
    BackupGbMonth,
    RestoreGb,
    ExportGb,
    ImportGb,
    StreamsReadRequest,
    KinesisCdu,
    DataTransferOutGb,
    CrossRegionTransferGb,
    Reserved(Term, Capacity, ReservedCharge),
    /// Per node-hour of a DAX node type such as `dax.r5.large`.
    DaxNodeHour(String),
    FreeStorageGbMonth,
    FreeUnits(Capacity),
    FreeStreamsReadRequests,
}

const DAX_PREFIX: &str = "dax_node_hour.";

impl PriceKey {
    /// Every name except the open-ended DAX node types; parsing and error hints use it.
    pub fn fixed() -> Vec<PriceKey> {
        use PriceKey::*;
        let mut keys = Vec::new();
        for class in [TableClass::Standard, TableClass::StandardIa] {
            keys.extend([
                OnDemandRead(class),
                OnDemandWrite(class),
                ReplicatedWriteRequest(class),
                ProvisionedRcuHour(class),
                ProvisionedWcuHour(class),
                ReplicatedWcuHour(class),
                Storage(class),
            ]);
        }
        keys.extend([
            PitrGbMonth,
            BackupGbMonth,
            RestoreGb,
            ExportGb,
            ImportGb,
            StreamsReadRequest,
            KinesisCdu,
            DataTransferOutGb,
            CrossRegionTransferGb,
        ]);
        for term in [Term::OneYear, Term::ThreeYears] {
            for capacity in [Capacity::Wcu, Capacity::Rcu] {
                for charge in [ReservedCharge::Upfront, ReservedCharge::Hourly] {
                    keys.push(Reserved(term, capacity, charge));
                }
            }
        }
        keys.extend([
            FreeStorageGbMonth,
            FreeUnits(Capacity::Rcu),
            FreeUnits(Capacity::Wcu),
            FreeStreamsReadRequests,
        ]);
        keys
    }

    /// The unit every amount under this name must be given in.
    pub fn unit(&self) -> PriceUnit {
        use PriceKey::*;
        match self {
            OnDemandRead(_)
            | OnDemandWrite(_)
            | ReplicatedWriteRequest(_)
            | StreamsReadRequest
            | KinesisCdu => PriceUnit::Request,
            ProvisionedRcuHour(_) | ProvisionedWcuHour(_) | ReplicatedWcuHour(_) => {
                PriceUnit::UnitHour
            }
            Storage(_) | PitrGbMonth | BackupGbMonth => PriceUnit::GbMonth,
            RestoreGb | ExportGb | ImportGb | DataTransferOutGb | CrossRegionTransferGb => {
                PriceUnit::Gb
            }
            Reserved(_, _, ReservedCharge::Upfront) => PriceUnit::Block,
            Reserved(_, _, ReservedCharge::Hourly) => PriceUnit::BlockHour,
            DaxNodeHour(_) => PriceUnit::NodeHour,
            FreeStorageGbMonth => PriceUnit::FreeGbMonth,
            FreeUnits(_) => PriceUnit::FreeUnits,
            FreeStreamsReadRequests => PriceUnit::FreeRequests,
        }
    }
}

impl fmt::Display for PriceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PriceKey::*;
        match self {
            OnDemandRead(c) => write!(f, "ondemand_read_{}", c.name()),
            OnDemandWrite(c) => write!(f, "ondemand_write_{}", c.name()),
            ReplicatedWriteRequest(c) => write!(f, "replicated_write_request_{}", c.name()),
            ProvisionedRcuHour(c) => write!(f, "provisioned_rcu_hour_{}", c.name()),
            ProvisionedWcuHour(c) => write!(f, "provisioned_wcu_hour_{}", c.name()),
            ReplicatedWcuHour(c) => write!(f, "replicated_wcu_hour_{}", c.name()),
            Storage(c) => write!(f, "storage_gb_month_{}", c.name()),
            PitrGbMonth => f.write_str("pitr_gb_month"),
            BackupGbMonth => f.write_str("backup_gb_month"),
            RestoreGb => f.write_str("restore_gb"),
            ExportGb => f.write_str("export_gb"),
            ImportGb => f.write_str("import_gb"),
            StreamsReadRequest => f.write_str("streams_read_request"),
            KinesisCdu => f.write_str("kinesis_cdu"),
            DataTransferOutGb => f.write_str("data_transfer_out_gb"),
            CrossRegionTransferGb => f.write_str("cross_region_transfer_gb"),
            Reserved(term, capacity, charge) => write!(
                f,
                "reserved_{}_{}_{}_per_100",
                term.name(),
                capacity.name(),
                match charge {
                    ReservedCharge::Upfront => "upfront",
                    ReservedCharge::Hourly => "hour",
                }
            ),
            DaxNodeHour(node) => write!(f, "{DAX_PREFIX}{node}"),
            FreeStorageGbMonth => f.write_str("free_tier_storage_gb_month"),
            FreeUnits(capacity) => write!(f, "free_tier_{}", capacity.name()),
            FreeStreamsReadRequests => f.write_str("free_tier_streams_read_requests"),
        }
    }
}

/// A name that is not a price we know, with the names we do know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown price name `{0}`; known names: {names}, dax_node_hour.<node type>", names = PriceKey::fixed().iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
pub struct UnknownPrice(pub String);

impl FromStr for PriceKey {
    type Err = UnknownPrice;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Some(node) = text
            .strip_prefix(DAX_PREFIX)
            .filter(|n| n.starts_with("dax."))
        {
            return Ok(PriceKey::DaxNodeHour(node.to_string()));
        }
        fixed_names()
            .iter()
            .find(|(name, _)| name == text)
            .map(|(_, key)| key.clone())
            .ok_or_else(|| UnknownPrice(text.to_string()))
    }
}

/// Every fixed name with its key, written once: the built-in catalog parses about 400 names on
/// every run, and writing all 36 names for each was most of its load time.
fn fixed_names() -> &'static [(String, PriceKey)] {
    static NAMES: OnceLock<Vec<(String, PriceKey)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        PriceKey::fixed()
            .into_iter()
            .map(|key| (key.to_string(), key))
            .collect()
    })
}

impl Serialize for PriceKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PriceKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_name_reads_back() {
        for key in PriceKey::fixed() {
            assert_eq!(key.to_string().parse::<PriceKey>().unwrap(), key);
        }
        assert_eq!(
            PriceKey::Reserved(Term::OneYear, Capacity::Wcu, ReservedCharge::Upfront).to_string(),
            "reserved_1y_wcu_upfront_per_100"
        );
        assert_eq!(
            "dax_node_hour.dax.r5.large".parse::<PriceKey>().unwrap(),
            PriceKey::DaxNodeHour("dax.r5.large".into())
        );
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = "ondemand_write"
            .parse::<PriceKey>()
            .unwrap_err()
            .to_string();
        assert!(err.contains("ondemand_write_standard"), "{err}");
        assert!("dax_node_hour.r5".parse::<PriceKey>().is_err());
    }
}
