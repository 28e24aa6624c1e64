//! Index entry sizes (docs/sources.md §2.4, §3.1): an entry holds the table's primary key,
//! the index key and the projected attributes; ALL projects the whole item.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::capacity::item_size::STORAGE_OVERHEAD_BYTES;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::quantity::count;
use crate::workload::model::{Index, IndexKind, Projection, Table};
use crate::workload::TableFacts;

/// Value size assumed for an attribute the spec gives no size for.
const ASSUMED_VALUE_BYTES: u64 = 32;

/// Entry size of every index of one table, by index name.
#[derive(Debug, Clone, Default)]
pub struct EntrySizes {
    bytes: BTreeMap<String, u64>,
    items: u64,
}

impl EntrySizes {
    pub fn new(
        table: &Table,
        sizes: &TableFacts,
        path: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut assumed = Vec::new();
        // Known sizes already count the name (TableFacts); an unknown one is its name plus
        // an assumed value.
        let mut attribute = |name: &str| match sizes.attribute_sizes.get(name) {
            Some(size) => size.bytes(),
            None => {
                if !assumed.iter().any(|a| a == name) {
                    assumed.push(name.to_string());
                }
                name.len() as u64 + ASSUMED_VALUE_BYTES
            }
        };
        let mut bytes = BTreeMap::new();
        for index in table.indexes.iter().map(|i| &i.value) {
            let entry = match (&index.entry_size, &index.projection) {
                (Some(size), _) => size.bytes(),
                (None, Projection::All) => sizes.item_size.bytes(),
                (None, projection) => {
                    let mut names = vec![table.keys.partition.as_str()];
                    names.extend(table.keys.sort.as_deref());
                    names.extend(index_keys(index));
                    if let Projection::Include(list) = projection {
                        names.extend(list.iter().map(String::as_str));
                    }
                    names.sort_unstable();
                    names.dedup();
                    names.into_iter().map(&mut attribute).sum()
                }
            };
            bytes.insert(index.name.clone(), entry);
        }
        if !assumed.is_empty() {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                code: Code::AssumedAttributeSize,
                message: format!(
                    "no size given for {} ({}); index entries assume {ASSUMED_VALUE_BYTES} B per value",
                    count(assumed.len(), "attribute", "attributes"),
                    assumed.join(", ")
                ),
                fix: "list them under the table's `attributes:` (e.g. `status: 12B`), give sample items, or set the index's `entry_size`".into(),
                path: format!("{path}.attributes"),
                position: None,
            });
        }
        EntrySizes {
            bytes,
            items: table.items.count.0,
        }
    }

    /// Bytes of one entry, as read and write units measure it.
    pub fn entry_bytes(&self, index: &str) -> u64 {
        self.bytes.get(index).copied().unwrap_or(0)
    }

    /// Bytes one entry occupies in storage: the entry plus 100 bytes of overhead (§2.4).
    pub fn storage_bytes(&self, index: &str) -> u64 {
        self.entry_bytes(index) + STORAGE_OVERHEAD_BYTES
    }

    /// Items that carry the index key: all of them, or the index's coverage (sparse index).
    pub fn items_in(&self, index: &Index) -> u64 {
        let coverage = index.coverage.map_or(Decimal::ONE, |c| c.0);
        (Decimal::from(self.items) * coverage)
            .round()
            .to_u64()
            .unwrap_or(self.items)
    }
}

/// The index's own key attribute names: a GSI's partition and sort key, an LSI's sort key.
fn index_keys(index: &Index) -> Vec<&str> {
    let keys = index.keys.as_ref();
    let mut names: Vec<&str> = Vec::new();
    if index.kind == IndexKind::Global {
        names.extend(keys.and_then(|k| k.partition.as_deref()));
    }
    names.extend(
        keys.and_then(|k| k.sort.as_deref())
            .or(index.sort.as_deref()),
    );
    names
}
