//! `terraform show -json` output (a saved plan or the state): the `aws_dynamodb_table`,
//! `aws_dynamodb_table_replica`, `aws_appautoscaling_target` / `_policy` and `aws_dax_cluster`
//! resources of
//! `planned_values` (or `values`), in every module. Attribute names are the AWS provider's
//! (Terraform Registry, `aws_dynamodb_table`).

use super::json::Node;
use super::{
    projection, stream_view, table_class, Billing, Direction, Extra, ImportError, IndexDescription,
    Part, Scaling, TableDescription, Throughput,
};
use crate::workload::model::IndexKind;

pub fn parse(root: Node) -> Result<Vec<Part>, ImportError> {
    let values = root
        .get("planned_values")
        .or_else(|| root.get("values"))
        .ok_or_else(|| {
            root.error("has neither `planned_values` nor `values`; write it with `terraform show -json PLANFILE`")
        })?;
    let mut resources = Vec::new();
    collect(&values.required("root_module")?, &mut resources)?;
    let region = root
        .get("configuration")
        .and_then(|c| c.get("provider_config"))
        .and_then(|p| p.get("aws"))
        .and_then(|a| a.get("expressions"))
        .and_then(|e| e.get("region"))
        .and_then(|r| r.get("constant_value"))
        .and_then(|v| v.value.as_str().map(str::to_string));
    let resources = resources
        .into_iter()
        .map(|r| {
            Ok(Resource {
                address: r.required("address")?.str()?.to_string(),
                kind: r.required("type")?.str()?.to_string(),
                table_ref: None,
                values: r.get("values"),
            })
        })
        .collect::<Result<Vec<_>, ImportError>>()?
        .into_iter()
        .map(|mut r| {
            r.table_ref = referenced_table(&root, &r.address);
            r
        })
        .collect();
    from_resources(resources, region)
}

/// One Terraform resource: from a plan's `planned_values` or an HCL file.
pub struct Resource<'a> {
    pub address: String,
    pub kind: String,
    /// Its attributes, nested blocks as lists of objects (the plan JSON's shape).
    pub values: Option<Node<'a>>,
    /// The `aws_dynamodb_table` address its `resource_id` refers to, when known.
    pub table_ref: Option<String>,
}

/// The tables and autoscaling settings among `resources`; the provider's Region is the
/// tables'.
pub fn from_resources(
    resources: Vec<Resource>,
    region: Option<String>,
) -> Result<Vec<Part>, ImportError> {
    let mut parts = Vec::new();
    for r in resources {
        let Some(v) = r.values else { continue };
        match r.kind.as_str() {
            "aws_dynamodb_table" => {
                let mut t = table(&v, &r.address)?;
                t.region = region.clone();
                parts.push(Part::Table(Box::new(t)));
            }
            "aws_dynamodb_table_replica" => {
                return Err(v.error(
                    "aws_dynamodb_table_replica names its table by ARN; import the aws_dynamodb_table with `replica` blocks instead",
                ))
            }
            "aws_dax_cluster" => parts.push(Part::Dax(super::DaxCluster {
                address: r.address.clone(),
                nodes: v.required("replication_factor")?.count()?,
                node_type: v.required("node_type")?.str()?.to_string(),
            })),
            kind @ ("aws_appautoscaling_target" | "aws_appautoscaling_policy") => {
                if let Some(part) = scaling(&v, kind, r.table_ref)? {
                    parts.push(part);
                }
            }
            _ => {}
        }
    }
    Ok(parts)
}

/// The `aws_dynamodb_table` address a root-module resource's `resource_id` refers to, from
/// the plan's `configuration` (several tables may share one DynamoDB name).
fn referenced_table(root: &Node, address: &str) -> Option<String> {
    let config = root.get("configuration")?.get("root_module")?;
    let resources = config.list("resources").ok()?;
    let resource = resources
        .iter()
        .find(|r| r.value.get("address").and_then(|a| a.as_str()) == Some(address))?;
    let references = resource
        .get("expressions")?
        .get("resource_id")?
        .get("references")?;
    references
        .value
        .as_array()?
        .iter()
        .filter_map(|r| r.as_str())
        .find(|r| r.starts_with("aws_dynamodb_table.") && r.matches('.').count() == 1)
        .map(str::to_string)
}

/// Every resource of a module and its child modules.
fn collect<'a>(module: &Node<'a>, into: &mut Vec<Node<'a>>) -> Result<(), ImportError> {
    into.extend(module.list("resources")?);
    for child in module.list("child_modules")? {
        collect(&child, into)?;
    }
    Ok(())
}

fn count(v: &Node, key: &str) -> Result<Option<u64>, ImportError> {
    v.get(key).map(|n| n.count()).transpose()
}

fn text<'a>(v: &Node<'a>, key: &str) -> Result<Option<&'a str>, ImportError> {
    v.get(key).map(|n| n.str()).transpose()
}

/// The first block of a nested block list (`ttl`, `point_in_time_recovery`).
fn block<'a>(v: &Node<'a>, key: &str) -> Result<Option<Node<'a>>, ImportError> {
    Ok(v.list(key)?.into_iter().next())
}

fn table(v: &Node, address: &str) -> Result<TableDescription, ImportError> {
    let name = text(v, "name")?.ok_or_else(|| {
        v.error(format!(
            "{address} has no `name` (known only after apply?); set a literal name"
        ))
    })?;
    let provisioned = match (count(v, "read_capacity")?, count(v, "write_capacity")?) {
        (Some(read), Some(write)) => Some(Throughput { read, write }),
        _ => None,
    };
    let billing = super::describe::billing(text(v, "billing_mode")?, provisioned, v)?;
    let partition = text(v, "hash_key")?
        .ok_or_else(|| v.error("has no `hash_key`"))?
        .to_string();
    let mut t = TableDescription::new(v.source(), name.to_string(), partition, billing);
    t.address = Some(address.to_string());
    t.sort = text(v, "range_key")?.map(str::to_string);
    if let Some(class) = v.get("table_class") {
        t.table_class = table_class(class.str()?, &class)?;
    }
    for (key, kind) in [
        ("global_secondary_index", IndexKind::Global),
        ("local_secondary_index", IndexKind::Local),
    ] {
        for i in v.list(key)? {
            let attributes = i
                .list("non_key_attributes")?
                .iter()
                .map(|a| a.str().map(str::to_string))
                .collect::<Result<Vec<_>, _>>()?;
            let provisioned = match billing {
                Billing::Provisioned(_) if kind == IndexKind::Global => {
                    match (count(&i, "read_capacity")?, count(&i, "write_capacity")?) {
                        (Some(read), Some(write)) => Some(Throughput { read, write }),
                        _ => return Err(i.error(
                            "a GSI of a provisioned table needs read_capacity and write_capacity",
                        )),
                    }
                }
                _ => None,
            };
            t.indexes.push(IndexDescription {
                name: text(&i, "name")?
                    .ok_or_else(|| i.error("has no `name`"))?
                    .to_string(),
                kind,
                partition: text(&i, "hash_key")?.map(str::to_string),
                sort: text(&i, "range_key")?.map(str::to_string),
                projection: projection(
                    text(&i, "projection_type")?.unwrap_or("ALL"),
                    attributes,
                    &i,
                )?,
                provisioned,
                scaling: Scaling::default(),
            });
        }
    }
    if v.get("stream_enabled").map(|s| s.bool()).transpose()? == Some(true) {
        let view = v.required("stream_view_type")?;
        t.stream = Some(stream_view(view.str()?, &view)?);
    }
    if let Some(ttl) = block(v, "ttl")? {
        if ttl.get("enabled").map(|e| e.bool()).transpose()? != Some(false) {
            t.ttl_attribute = text(&ttl, "attribute_name")?.map(str::to_string);
        }
    }
    if let Some(pitr) = block(v, "point_in_time_recovery")? {
        t.pitr = pitr.get("enabled").map(|e| e.bool()).transpose()? == Some(true);
    }
    for replica in v.list("replica")? {
        t.replicas.push(
            text(&replica, "region_name")?
                .ok_or_else(|| replica.error("has no `region_name`"))?
                .to_string(),
        );
    }
    if let Some(max) = block(v, "on_demand_throughput")? {
        t.max_read = count(&max, "max_read_request_units")?;
        t.max_write = count(&max, "max_write_request_units")?;
    }
    Ok(t)
}

/// An autoscaling target's minimum and maximum, or a policy's target, for the table named in
/// its `resource_id`; other services' are skipped.
fn scaling(v: &Node, kind: &str, address: Option<String>) -> Result<Option<Part>, ImportError> {
    if text(v, "service_namespace")? != Some("dynamodb") {
        return Ok(None);
    }
    let resource = text(v, "resource_id")?.ok_or_else(|| v.error("has no `resource_id`"))?;
    let (table, index) = super::scaled_resource(resource, v)?;
    let read = text(v, "scalable_dimension")?
        .ok_or_else(|| v.error("has no `scalable_dimension`"))?
        .ends_with("ReadCapacityUnits");
    let mut d = Direction::default();
    if kind == "aws_appautoscaling_target" {
        (d.min, d.max) = (count(v, "min_capacity")?, count(v, "max_capacity")?);
    } else if let Some(config) = block(v, "target_tracking_scaling_policy_configuration")? {
        d.target = Some(config.required("target_value")?.number()?);
    }
    let mut s = Scaling::default();
    s.set(read, d);
    Ok(Some(Part::Extra {
        table: Some(address.unwrap_or(table)),
        extra: Extra::Scaling {
            region: None,
            index,
            scaling: s,
        },
    }))
}
