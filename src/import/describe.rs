//! `aws dynamodb describe-table` and its companions: `describe-continuous-backups`,
//! `describe-time-to-live`, `describe-table-replica-auto-scaling`, `describe-global-table`,
//! and Application Auto Scaling's `describe-scaling-policies` / `describe-scalable-targets`.
//! Field names are the DynamoDB API's (Amazon DynamoDB API Reference, `TableDescription`);
//! CloudFormation uses the same names for keys, indexes and throughput, so it reads them here.

use super::json::Node;
use super::{
    arn_region, projection, scaled_resource, stream_view, table_class, Billing, Direction, Extra,
    ImportError, IndexDescription, Part, Scaling, TableDescription, Throughput,
};
use crate::workload::model::IndexKind;

/// Reads one describe output into its parts.
pub fn parse(root: Node) -> Result<Vec<Part>, ImportError> {
    if let Some(table) = root.get("Table").or_else(|| root.get("TableDescription")) {
        return Ok(vec![Part::Table(Box::new(table_description(&table)?))]);
    }
    if let Some(backups) = root.get("ContinuousBackupsDescription") {
        let status = backups
            .required("PointInTimeRecoveryDescription")?
            .required("PointInTimeRecoveryStatus")?;
        let on = status.str()? == "ENABLED";
        return Ok(vec![extra(None, Extra::Pitr(on))]);
    }
    if let Some(ttl) = root.get("TimeToLiveDescription") {
        let on = matches!(
            ttl.get("TimeToLiveStatus").map(|s| s.str()).transpose()?,
            Some("ENABLED" | "ENABLING")
        );
        let attribute = ttl.get("AttributeName").map(|a| a.str()).transpose()?;
        return Ok(vec![extra(
            None,
            Extra::Ttl(attribute.filter(|_| on).map(str::to_string)),
        )]);
    }
    if let Some(scaling) = root.get("TableAutoScalingDescription") {
        return replica_scaling(&scaling);
    }
    if let Some(global) = root.get("GlobalTableDescription") {
        let name = global.required("GlobalTableName")?.str()?.to_string();
        let regions = global
            .list("ReplicationGroup")?
            .iter()
            .map(|r| r.required("RegionName")?.str().map(str::to_string))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(vec![extra(Some(name), Extra::Replicas(regions))]);
    }
    if root.get("ScalingPolicies").is_some() || root.get("ScalableTargets").is_some() {
        return application_autoscaling(&root);
    }
    Err(root.error(
        "is not a file capacity-plan imports: expected the JSON of `aws dynamodb describe-table` (a `Table`), \
         describe-continuous-backups, describe-time-to-live, describe-table-replica-auto-scaling, describe-global-table, \
         `aws application-autoscaling describe-scaling-policies` or describe-scalable-targets, \
         a `terraform show -json` plan, or a CloudFormation template",
    ))
}

fn extra(table: Option<String>, extra: Extra) -> Part {
    Part::Extra { table, extra }
}

/// A `TableDescription` (describe-table's `Table`).
fn table_description(t: &Node) -> Result<TableDescription, ImportError> {
    let name = t.required("TableName")?.str()?.to_string();
    let mode = t
        .get("BillingModeSummary")
        .and_then(|b| b.get("BillingMode"))
        .map(|m| m.str())
        .transpose()?;
    let provisioned = t
        .get("ProvisionedThroughput")
        .map(|p| throughput(&p))
        .transpose()?;
    let billing = billing(mode, provisioned, t)?;
    let (partition, sort) = key_schema(&t.required("KeySchema")?)?;
    let mut table = TableDescription::new(t.source(), name, partition, billing);
    table.sort = sort;
    let arn = t.get("TableArn").map(|a| a.str()).transpose()?;
    table.region = arn.and_then(arn_region);
    table.account = arn.and_then(super::arn_account);
    table.indexes = indexes(t, billing)?;
    if let Some(class) = t.get("TableClassSummary").and_then(|c| c.get("TableClass")) {
        table.table_class = table_class(class.str()?, &class)?;
    }
    table.item_count = t.get("ItemCount").map(|c| c.count()).transpose()?;
    table.size_bytes = t.get("TableSizeBytes").map(|c| c.count()).transpose()?;
    table.stream = stream(t)?;
    for replica in t.list("Replicas")? {
        table
            .replicas
            .push(replica.required("RegionName")?.str()?.to_string());
    }
    if billing == Billing::OnDemand {
        table.warm = t
            .get("WarmThroughput")
            .map(|w| {
                Ok::<_, ImportError>(Throughput {
                    read: w.required("ReadUnitsPerSecond")?.count()?,
                    write: w.required("WriteUnitsPerSecond")?.count()?,
                })
            })
            .transpose()?;
        if let Some(max) = t.get("OnDemandThroughput") {
            table.max_read = on_demand_max(&max, "MaxReadRequestUnits")?;
            table.max_write = on_demand_max(&max, "MaxWriteRequestUnits")?;
        }
    }
    Ok(table)
}

/// A maximum of `OnDemandThroughput`; `-1` means no maximum.
fn on_demand_max(max: &Node, key: &str) -> Result<Option<u64>, ImportError> {
    match max.get(key) {
        Some(n) if n.value.as_i64() == Some(-1) => Ok(None),
        Some(n) => n.count().map(Some),
        None => Ok(None),
    }
}

/// The mode from `BillingMode` (absent: PROVISIONED, the API's default) and the throughput.
pub fn billing(
    mode: Option<&str>,
    provisioned: Option<Throughput>,
    at: &Node,
) -> Result<Billing, ImportError> {
    match mode {
        Some("PAY_PER_REQUEST") => Ok(Billing::OnDemand),
        Some("PROVISIONED") | None => provisioned.map(Billing::Provisioned).ok_or_else(|| {
            at.error(
                "is provisioned but gives no read and write capacity; give them \
                 (ProvisionedThroughput, or Terraform's read_capacity and write_capacity)",
            )
        }),
        Some(other) => Err(at.error(format!(
            "BillingMode `{other}` is not PROVISIONED or PAY_PER_REQUEST"
        ))),
    }
}

pub fn throughput(p: &Node) -> Result<Throughput, ImportError> {
    Ok(Throughput {
        read: p.required("ReadCapacityUnits")?.count()?,
        write: p.required("WriteCapacityUnits")?.count()?,
    })
}

/// `(HASH attribute, RANGE attribute)` of a `KeySchema`.
pub fn key_schema(keys: &Node) -> Result<(String, Option<String>), ImportError> {
    let (mut hash, mut range) = (None, None);
    for key in keys.items()? {
        let name = key.required("AttributeName")?.str()?.to_string();
        match key.required("KeyType")?.str()? {
            "HASH" => hash = Some(name),
            "RANGE" => range = Some(name),
            other => return Err(key.error(format!("KeyType `{other}` is not HASH or RANGE"))),
        }
    }
    let hash = hash.ok_or_else(|| keys.error("has no HASH key"))?;
    Ok((hash, range))
}

/// `GlobalSecondaryIndexes` and `LocalSecondaryIndexes`; a GSI of a provisioned table has
/// its own `ProvisionedThroughput`.
pub fn indexes(t: &Node, billing: Billing) -> Result<Vec<IndexDescription>, ImportError> {
    let mut out = Vec::new();
    for (key, kind) in [
        ("GlobalSecondaryIndexes", IndexKind::Global),
        ("LocalSecondaryIndexes", IndexKind::Local),
    ] {
        for index in t.list(key)? {
            let (partition, sort) = key_schema(&index.required("KeySchema")?)?;
            let p = index.required("Projection")?;
            let kind_name = p.get("ProjectionType").map(|k| k.str()).transpose()?;
            let attributes = p
                .list("NonKeyAttributes")?
                .iter()
                .map(|a| a.str().map(str::to_string))
                .collect::<Result<Vec<_>, _>>()?;
            let provisioned = match (kind, billing) {
                (IndexKind::Global, Billing::Provisioned(table)) => Some(
                    index
                        .get("ProvisionedThroughput")
                        .map(|p| throughput(&p))
                        .transpose()?
                        .unwrap_or(table),
                ),
                _ => None,
            };
            out.push(IndexDescription {
                name: index.required("IndexName")?.str()?.to_string(),
                kind,
                partition: (kind == IndexKind::Global).then_some(partition),
                sort,
                projection: projection(kind_name.unwrap_or("ALL"), attributes, &p)?,
                provisioned,
                scaling: Scaling::default(),
            });
        }
    }
    Ok(out)
}

/// `StreamSpecification` (CloudFormation, create-table) or `StreamSpecification` /
/// `LatestStreamArn` in describe-table: the view when streams are on.
pub fn stream(t: &Node) -> Result<Option<crate::workload::model::StreamView>, ImportError> {
    let Some(spec) = t.get("StreamSpecification") else {
        return Ok(None);
    };
    if let Some(enabled) = spec.get("StreamEnabled") {
        if !enabled.bool()? {
            return Ok(None);
        }
    }
    spec.get("StreamViewType")
        .map(|v| stream_view(v.str()?, &v))
        .transpose()
}

/// describe-table-replica-auto-scaling: per replica, the table's and each GSI's settings.
fn replica_scaling(d: &Node) -> Result<Vec<Part>, ImportError> {
    let table = d.required("TableName")?.str()?.to_string();
    let mut parts = Vec::new();
    for replica in d.list("Replicas")? {
        let region = Some(replica.required("RegionName")?.str()?.to_string());
        parts.push(extra(
            Some(table.clone()),
            Extra::Scaling {
                region: region.clone(),
                index: None,
                scaling: scaling_pair(
                    replica.get("ReplicaProvisionedReadCapacityAutoScalingSettings"),
                    replica.get("ReplicaProvisionedWriteCapacityAutoScalingSettings"),
                )?,
            },
        ));
        for gsi in replica.list("GlobalSecondaryIndexes")? {
            parts.push(extra(
                Some(table.clone()),
                Extra::Scaling {
                    region: region.clone(),
                    index: Some(gsi.required("IndexName")?.str()?.to_string()),
                    scaling: scaling_pair(
                        gsi.get("ProvisionedReadCapacityAutoScalingSettings"),
                        gsi.get("ProvisionedWriteCapacityAutoScalingSettings"),
                    )?,
                },
            ));
        }
    }
    Ok(parts)
}

/// `AutoScalingSettingsDescription` of reads and writes: minimum, maximum and the target
/// of its target-tracking policy.
fn scaling_pair(read: Option<Node>, write: Option<Node>) -> Result<Scaling, ImportError> {
    let mut scaling = Scaling::default();
    for (is_read, settings) in [(true, read), (false, write)] {
        let Some(s) = settings else { continue };
        let mut d = Direction {
            min: s.get("MinimumUnits").map(|n| n.count()).transpose()?,
            max: s.get("MaximumUnits").map(|n| n.count()).transpose()?,
            target: None,
        };
        for policy in s.list("ScalingPolicies")? {
            if let Some(config) = policy.get("TargetTrackingScalingPolicyConfiguration") {
                d.target = Some(config.required("TargetValue")?.number()?);
            }
        }
        scaling.set(is_read, d);
    }
    Ok(scaling)
}

/// Application Auto Scaling: `ResourceId` `table/NAME` or `table/NAME/index/INDEX`,
/// `ScalableDimension` `dynamodb:table:ReadCapacityUnits` (or `index`, `Write…`). Policies and
/// targets of other services are skipped; a file with no DynamoDB entry is an error.
fn application_autoscaling(root: &Node) -> Result<Vec<Part>, ImportError> {
    let mut parts = Vec::new();
    for key in ["ScalingPolicies", "ScalableTargets"] {
        for entry in root.list(key)? {
            if entry.get("ServiceNamespace").map(|s| s.str()).transpose()? != Some("dynamodb") {
                continue;
            }
            let resource = entry.required("ResourceId")?.str()?;
            let (table, index) = scaled_resource(resource, &entry)?;
            let dimension = entry.required("ScalableDimension")?.str()?;
            let mut s = Scaling::default();
            s.set(
                dimension.ends_with("ReadCapacityUnits"),
                Direction {
                    min: entry.get("MinCapacity").map(|n| n.count()).transpose()?,
                    max: entry.get("MaxCapacity").map(|n| n.count()).transpose()?,
                    target: entry
                        .get("TargetTrackingScalingPolicyConfiguration")
                        .map(|c| c.required("TargetValue")?.number())
                        .transpose()?,
                },
            );
            parts.push(extra(
                Some(table),
                Extra::Scaling {
                    region: None,
                    index,
                    scaling: s,
                },
            ));
        }
    }
    if parts.is_empty() {
        return Err(root.error(
            "holds no DynamoDB scaling policy or target (ServiceNamespace `dynamodb`); list them with \
             `aws application-autoscaling describe-scaling-policies --service-namespace dynamodb`",
        ));
    }
    Ok(parts)
}
