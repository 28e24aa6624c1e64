//! The usage file: what IaC cannot say about a table (its items and traffic), kept beside the
//! infrastructure as Infracost keeps its usage file (docs/import.md). Entries are keyed by
//! table name, Terraform address (`aws_dynamodb_table.orders`) or its last label; each holds
//! spec fields (`items`, `access`, `traffic`, `key_skew`, `attributes`, `backups`) and
//! Infracost's `aws_dynamodb_table` keys, converted to the same fields.

use serde_json::{json, Map, Value};

use super::json::Node;
use super::{ImportError, TableDescription};
use crate::capacity::item_size::STORAGE_OVERHEAD_BYTES;
use crate::demand::GLOBAL_TABLE_ITEM_OVERHEAD_BYTES;

/// Spec fields a usage entry may give, written into the table as they are.
pub const SPEC_FIELDS: [&str; 6] = [
    "items",
    "access",
    "traffic",
    "key_skew",
    "attributes",
    "backups",
];

/// Infracost keys whose figures capacity-plan derives itself, so they are not read.
pub const DERIVED: [&str; 3] = [
    "pitr_backup_storage_gb",
    "monthly_streams_read_request_units",
    "capacity",
];

/// A table's usage, as spec fields (JSON values, written as YAML flow).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableUsage {
    pub fields: Map<String, Value>,
    /// Infracost keys given but not read (capacity-plan derives them), for a warning.
    pub unread: Vec<String>,
}

/// The usage file's entries by key.
pub struct Usage {
    entries: Vec<(String, Value)>,
    source: String,
    /// The spec's Region, for files that do not say it (a CloudFormation template).
    pub region: Option<String>,
}

impl Usage {
    /// Reads a usage file (YAML or JSON): `tables:` or Infracost's `resource_usage:`, and an
    /// optional `region:`.
    pub fn parse(text: &str, source: &str) -> Result<Usage, ImportError> {
        let value =
            crate::yaml::tagged_document(text, source).map_err(|e| ImportError(e.rendered))?;
        let root = Node::root(&value, source);
        let mut entries = Vec::new();
        for key in ["tables", "resource_usage"] {
            if let Some(section) = root.get(key) {
                for (name, entry) in section.entries()? {
                    entries.push((name.to_string(), entry.value.clone()));
                }
            }
        }
        if entries.is_empty() {
            return Err(root.error(
                "has no `tables:` (or Infracost's `resource_usage:`) entries; key each table's usage by its name",
            ));
        }
        let region = root.get("region").map(|r| r.str()).transpose()?;
        Ok(Usage {
            entries,
            source: source.to_string(),
            region: region.map(str::to_string),
        })
    }

    /// The usage of `table`: the entry keyed by its address, its address's last label, or
    /// its name.
    pub fn of(&self, table: &TableDescription) -> Result<Option<TableUsage>, ImportError> {
        let keys = [
            table.address.clone(),
            table
                .address
                .as_deref()
                .and_then(|a| a.rsplit('.').next())
                .map(str::to_string),
            Some(table.name.clone()),
            table.renamed_from.clone(),
        ];
        let Some((key, entry)) = self
            .entries
            .iter()
            .find(|(k, _)| keys.iter().flatten().any(|key| key == k))
        else {
            return Ok(None);
        };
        let node = Node::root(entry, &self.source);
        let mut usage = TableUsage::default();
        let mut patterns = Vec::new();
        for (field, value) in node.entries()? {
            match field {
                f if SPEC_FIELDS.contains(&f) => {
                    usage.fields.insert(f.to_string(), value.value.clone());
                }
                "monthly_read_request_units" => {
                    // A strongly consistent read of up to 4 KB is one read request unit [RW].
                    patterns.push(json!({"name": "reads (usage file)", "op": "get", "consistency": "strong",
                        "size": "1KB", "rate": format!("{}/month", value.count()?)}));
                }
                "monthly_write_request_units" => {
                    // A write of up to 1 KB is one write request unit [RW].
                    patterns.push(json!({"name": "writes (usage file)", "op": "put", "size": "1KB",
                        "rate": format!("{}/month", value.count()?)}));
                }
                "storage_gb" => {
                    // GB of 1 KB items, the per-item storage overhead included.
                    let global = table.replicas.iter().any(|r| Some(r) != table.region.as_ref());
                    let size = 1024
                        - STORAGE_OVERHEAD_BYTES
                        - if global { GLOBAL_TABLE_ITEM_OVERHEAD_BYTES } else { 0 };
                    usage.fields.insert(
                        "items".into(),
                        json!({"count": value.count()? * (1 << 20), "size": format!("{size}B")}),
                    );
                }
                "on_demand_backup_storage_gb" => {
                    backups(&mut usage).insert(
                        "on_demand".into(),
                        json!({"size": format!("{}GB", value.number()?), "retained": 1}),
                    );
                }
                "monthly_data_restored_gb" => {
                    backups(&mut usage)
                        .insert("restored_per_month".into(), json!(format!("{}GB", value.number()?)));
                }
                f if DERIVED.contains(&f) => usage.unread.push(f.to_string()),
                other => {
                    return Err(ImportError(format!(
                        "{}: {key}: `{other}` is not a usage key: give spec fields ({}) or Infracost's \
                         monthly_read_request_units, monthly_write_request_units, storage_gb, \
                         on_demand_backup_storage_gb, monthly_data_restored_gb",
                        self.source,
                        SPEC_FIELDS.join(", ")
                    )))
                }
            }
        }
        if !patterns.is_empty() {
            usage.fields.insert("access".into(), Value::Array(patterns));
        }
        Ok(Some(usage))
    }
}

fn backups(usage: &mut TableUsage) -> &mut Map<String, Value> {
    let entry = usage
        .fields
        .entry("backups")
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("an object")
}
