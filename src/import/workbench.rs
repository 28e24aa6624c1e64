//! NoSQL Workbench data models (the JSON its Data Modeler exports): each `DataModel` table's
//! keys, GSIs, billing mode, provisioned throughput and autoscaling, and the average size of
//! its sample items (`TableData`, sized exactly as DynamoDB counts them). The sample's item
//! count is not the table's, so the count is left to fill.

use super::json::Node;
use super::{
    describe::billing, projection, Billing, Direction, ImportError, IndexDescription, Part,
    Scaling, TableDescription,
};
use crate::capacity::item_size::Item;
use crate::workload::model::IndexKind;

pub fn parse(root: Node) -> Result<Vec<Part>, ImportError> {
    root.list("DataModel")?
        .iter()
        .map(|t| table(t).map(|t| Part::Table(Box::new(t))))
        .collect()
}

/// `KeyAttributes`: (partition, sort).
fn keys(k: &Node) -> Result<(String, Option<String>), ImportError> {
    let name = |key: &str| {
        k.get(key)
            .map(|a| a.required("AttributeName")?.str().map(str::to_string))
            .transpose()
    };
    let partition = name("PartitionKey")?.ok_or_else(|| k.error("has no PartitionKey"))?;
    Ok((partition, name("SortKey")?))
}

/// `AutoScalingRead` / `AutoScalingWrite`: the scalable target's bounds and the policy's target.
fn direction(a: &Node) -> Result<Direction, ImportError> {
    let target = a.get("ScalableTargetRequest");
    let bound = |key: &str| {
        target
            .as_ref()
            .and_then(|t| t.get(key))
            .map(|n| n.count())
            .transpose()
    };
    Ok(Direction {
        min: bound("MinCapacity")?,
        max: bound("MaxCapacity")?,
        target: a
            .get("ScalingPolicyConfiguration")
            .and_then(|p| p.get("TargetValue"))
            .map(|v| v.number())
            .transpose()?,
    })
}

fn table(t: &Node) -> Result<TableDescription, ImportError> {
    let name = t.required("TableName")?.str()?.to_string();
    let settings = t.get("ProvisionedCapacitySettings");
    let throughput = settings
        .as_ref()
        .and_then(|s| s.get("ProvisionedThroughput"))
        .map(|p| super::describe::throughput(&p))
        .transpose()?;
    let mode = t.get("BillingMode").map(|m| m.str()).transpose()?;
    let billing = billing(mode, throughput, t)?;
    let (partition, sort) = keys(&t.required("KeyAttributes")?)?;
    let mut table = TableDescription::new(t.source(), name, partition, billing);
    table.sort = sort;
    if let (Billing::Provisioned(_), Some(s)) = (billing, &settings) {
        for (read, key) in [(true, "AutoScalingRead"), (false, "AutoScalingWrite")] {
            if let Some(a) = s.get(key) {
                table.scaling.set(read, direction(&a)?);
            }
        }
    }
    for index in t.list("GlobalSecondaryIndexes")? {
        let (partition, sort) = keys(&index.required("KeyAttributes")?)?;
        let p = index.required("Projection")?;
        let attributes = p
            .list("NonKeyAttributes")?
            .iter()
            .map(|a| a.str().map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        let kind = p.get("ProjectionType").map(|k| k.str()).transpose()?;
        table.indexes.push(IndexDescription {
            name: index.required("IndexName")?.str()?.to_string(),
            kind: IndexKind::Global,
            partition: Some(partition),
            sort,
            projection: projection(kind.unwrap_or("ALL"), attributes, &p)?,
            // The model gives GSIs no throughput of their own: they take the table's.
            provisioned: match billing {
                Billing::Provisioned(p) => Some(p),
                Billing::OnDemand => None,
            },
            scaling: Scaling::default(),
        });
    }
    let items = t.list("TableData")?;
    let mut total = 0;
    for item in &items {
        let parsed = Item::from_json(&item.value.to_string()).map_err(|e| item.error(e))?;
        total += parsed.size().bytes();
    }
    if !items.is_empty() {
        table.sample_item_size = Some((total.div_ceil(items.len() as u64), items.len()));
    }
    Ok(table)
}
