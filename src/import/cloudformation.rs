//! CloudFormation and SAM templates, YAML or JSON: `AWS::DynamoDB::Table`,
//! `AWS::DynamoDB::GlobalTable` and `AWS::Serverless::SimpleTable` (AWS CloudFormation User
//! Guide, resource type reference). Intrinsics are resolved where a template alone decides them
//! (`Ref` to a parameter's value or `Default`, `AWS::Region`, `AWS::NoValue`, `Fn::If` over
//! `Conditions`, `Fn::Sub` of those, `Fn::Equals` / `Not` / `And` / `Or`); anything else
//! (`Fn::GetAtt`, `Fn::ImportValue`, …) is an error naming its place.

use std::collections::BTreeMap;

use serde_json::Value;

use super::describe::{billing, indexes, key_schema, stream, throughput};
use super::json::Node;
use super::{table_class, Billing, Direction, ImportError, Part, Scaling, TableDescription};

/// What a template's intrinsics may refer to: `--parameter` values and the Region.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub parameters: BTreeMap<String, String>,
    pub region: Option<String>,
}

/// A YAML template, its short tags (`!Ref`, `!If`) read as their long forms.
pub fn parse_yaml(text: &str, source: &str, context: &Context) -> Result<Vec<Part>, ImportError> {
    let value = crate::yaml::tagged_document(text, source).map_err(|e| ImportError(e.rendered))?;
    if value.get("Resources").is_none() {
        return Err(ImportError(format!(
            "{source}: is not a file capacity-plan imports (a YAML or JSON document without `Resources`); \
             it imports describe-table JSON, `terraform show -json` output, Terraform `.tf` files, \
             CloudFormation / SAM templates and NoSQL Workbench models"
        )));
    }
    parse(&value, source, context)
}

/// The tables of a template already read.
pub fn parse(template: &Value, source: &str, context: &Context) -> Result<Vec<Part>, ImportError> {
    let root = Node::root(template, source);
    let resolver = Resolver {
        template,
        context,
        source,
    };
    let mut parts = Vec::new();
    for (logical, resource) in root.required("Resources")?.entries()? {
        let kind = resource.get("Type").map(|t| t.str()).transpose()?;
        let Some(
            kind @ ("AWS::DynamoDB::Table"
            | "AWS::DynamoDB::GlobalTable"
            | "AWS::Serverless::SimpleTable"),
        ) = kind
        else {
            continue;
        };
        let empty = Value::Object(Default::default());
        let properties = resource.get("Properties");
        let raw = properties.as_ref().map_or(&empty, |p| p.value);
        let resolved = resolver.resolve(raw, &format!("Resources.{logical}.Properties"))?;
        let props = Node::root(&resolved, source);
        let table = match kind {
            "AWS::Serverless::SimpleTable" => simple_table(&props, logical)?,
            "AWS::DynamoDB::GlobalTable" => global_table(&props, logical)?,
            _ => dynamodb_table(&props, logical)?,
        };
        parts.push(Part::Table(Box::new(table)));
    }
    Ok(parts)
}

/// The table's name: `TableName`, else the logical ID (CloudFormation then generates a
/// name from the stack and the logical ID).
fn name(p: &Node, logical: &str) -> Result<String, ImportError> {
    Ok(p.get("TableName")
        .map(|n| n.str())
        .transpose()?
        .unwrap_or(logical)
        .to_string())
}

fn dynamodb_table(p: &Node, logical: &str) -> Result<TableDescription, ImportError> {
    let mode = p.get("BillingMode").map(|m| m.str()).transpose()?;
    let provisioned = p
        .get("ProvisionedThroughput")
        .map(|t| throughput(&t))
        .transpose()?;
    let billing = billing(mode, provisioned, p)?;
    let (partition, sort) = key_schema(&p.required("KeySchema")?)?;
    let mut t = TableDescription::new(p.source(), name(p, logical)?, partition, billing);
    t.address = Some(logical.to_string());
    t.sort = sort;
    t.indexes = indexes(p, billing)?;
    t.stream = stream(p)?;
    if let Some(class) = p.get("TableClass") {
        t.table_class = table_class(class.str()?, &class)?;
    }
    t.ttl_attribute = ttl(p)?;
    t.pitr = pitr(p)?;
    Ok(t)
}

fn ttl(p: &Node) -> Result<Option<String>, ImportError> {
    let Some(spec) = p.get("TimeToLiveSpecification") else {
        return Ok(None);
    };
    if !spec.required("Enabled")?.bool()? {
        return Ok(None);
    }
    Ok(spec
        .get("AttributeName")
        .map(|a| a.str())
        .transpose()?
        .map(str::to_string))
}

fn pitr(p: &Node) -> Result<bool, ImportError> {
    p.get("PointInTimeRecoverySpecification")
        .and_then(|s| s.get("PointInTimeRecoveryEnabled"))
        .map_or(Ok(false), |e| e.bool())
}

/// `AWS::DynamoDB::GlobalTable`: writes are set once (`WriteProvisionedThroughputSettings`,
/// autoscaled), reads, table class and PITR per replica; the first replica's are taken.
fn global_table(p: &Node, logical: &str) -> Result<TableDescription, ImportError> {
    let mode = p.get("BillingMode").map(|m| m.str()).transpose()?;
    let replicas = p.list("Replicas")?;
    let first = replicas.first();
    let mut s = Scaling::default();
    let write = p.get("WriteProvisionedThroughputSettings");
    if let Some(a) = write
        .as_ref()
        .and_then(|w| w.get("WriteCapacityAutoScalingSettings"))
    {
        s.set(false, autoscaling(&a)?);
    }
    let read = first.and_then(|r| r.get("ReadProvisionedThroughputSettings"));
    let mut read_units = None;
    if let Some(read) = &read {
        read_units = read
            .get("ReadCapacityUnits")
            .map(|n| n.count())
            .transpose()?;
        if let Some(a) = read.get("ReadCapacityAutoScalingSettings") {
            s.set(true, autoscaling(&a)?);
        }
    }
    let provisioned = match (read_units.or(s.min_read), s.min_write) {
        (Some(read), Some(write)) => Some(super::Throughput { read, write }),
        _ => None,
    };
    let billing = billing(mode, provisioned, p)?;
    let (partition, sort) = key_schema(&p.required("KeySchema")?)?;
    let mut t = TableDescription::new(p.source(), name(p, logical)?, partition, billing);
    t.address = Some(logical.to_string());
    t.sort = sort;
    t.scaling = s;
    t.indexes = indexes(p, billing)?;
    t.stream = stream(p)?;
    t.ttl_attribute = ttl(p)?;
    for replica in &replicas {
        t.replicas
            .push(replica.required("Region")?.str()?.to_string());
    }
    if let Some(first) = first {
        if let Some(class) = first.get("TableClass") {
            t.table_class = table_class(class.str()?, &class)?;
        }
        t.pitr = pitr(first)?;
    }
    Ok(t)
}

/// `CapacityAutoScalingSettings`: minimum, maximum, target.
fn autoscaling(a: &Node) -> Result<Direction, ImportError> {
    Ok(Direction {
        min: a.get("MinCapacity").map(|n| n.count()).transpose()?,
        max: a.get("MaxCapacity").map(|n| n.count()).transpose()?,
        target: a
            .get("TargetTrackingScalingPolicyConfiguration")
            .map(|c| c.required("TargetValue")?.number())
            .transpose()?,
    })
}

/// `AWS::Serverless::SimpleTable`: a `PrimaryKey` (default `id`), on-demand unless it has a
/// `ProvisionedThroughput` (AWS SAM Developer Guide).
fn simple_table(p: &Node, logical: &str) -> Result<TableDescription, ImportError> {
    let partition = match p.get("PrimaryKey") {
        Some(k) => k.required("Name")?.str()?.to_string(),
        None => "id".to_string(),
    };
    let billing = match p.get("ProvisionedThroughput") {
        Some(t) => Billing::Provisioned(throughput(&t)?),
        None => Billing::OnDemand,
    };
    let mut t = TableDescription::new(p.source(), name(p, logical)?, partition, billing);
    t.address = Some(logical.to_string());
    Ok(t)
}

struct Resolver<'a> {
    template: &'a Value,
    context: &'a Context,
    source: &'a str,
}

/// `AWS::NoValue` removes the property that holds it.
const NO_VALUE: &str = "AWS::NoValue";

impl Resolver<'_> {
    fn error(&self, path: &str, message: impl std::fmt::Display) -> ImportError {
        ImportError(format!("{}: {path}: {message}", self.source))
    }

    /// `value` with every intrinsic replaced by what it stands for; `None` for `AWS::NoValue`.
    fn resolve(&self, value: &Value, path: &str) -> Result<Value, ImportError> {
        Ok(self.resolve_opt(value, path)?.unwrap_or(Value::Null))
    }

    fn resolve_opt(&self, value: &Value, path: &str) -> Result<Option<Value>, ImportError> {
        match value {
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.extend(self.resolve_opt(item, &format!("{path}[{i}]"))?);
                }
                Ok(Some(Value::Array(out)))
            }
            Value::Object(map) if map.len() == 1 => {
                let (key, arg) = map.iter().next().expect("one entry");
                if key == "Ref" || key.starts_with("Fn::") {
                    return self.intrinsic(key, arg, path);
                }
                self.object(map, path)
            }
            Value::Object(map) => self.object(map, path),
            other => Ok(Some(other.clone())),
        }
    }

    fn object(
        &self,
        map: &serde_json::Map<String, Value>,
        path: &str,
    ) -> Result<Option<Value>, ImportError> {
        let mut out = serde_json::Map::new();
        for (k, v) in map {
            // Tags and SSE keys often hold ARNs from other resources; nothing here prices them.
            if matches!(
                k.as_str(),
                "Tags"
                    | "SSESpecification"
                    | "KinesisStreamSpecification"
                    | "ContributorInsightsSpecification"
                    | "ResourcePolicy"
                    | "ImportSourceSpecification"
            ) {
                continue;
            }
            if let Some(v) = self.resolve_opt(v, &format!("{path}.{k}"))? {
                out.insert(k.clone(), v);
            }
        }
        Ok(Some(Value::Object(out)))
    }

    fn intrinsic(&self, key: &str, arg: &Value, path: &str) -> Result<Option<Value>, ImportError> {
        match key {
            "Ref" => {
                let name = arg
                    .as_str()
                    .ok_or_else(|| self.error(path, "`Ref` takes a name"))?;
                if name == NO_VALUE {
                    return Ok(None);
                }
                self.reference(name, path).map(|s| Some(Value::String(s)))
            }
            "Fn::If" => {
                let parts = arg.as_array().filter(|a| a.len() == 3).ok_or_else(|| {
                    self.error(
                        path,
                        "`Fn::If` takes [condition, value if true, value if false]",
                    )
                })?;
                let name = parts[0]
                    .as_str()
                    .ok_or_else(|| self.error(path, "`Fn::If` names its condition first"))?;
                let chosen = if self.condition(name, path)? {
                    &parts[1]
                } else {
                    &parts[2]
                };
                self.resolve_opt(chosen, path)
            }
            "Fn::Sub" => {
                let text = arg.as_str().ok_or_else(|| {
                    self.error(
                        path,
                        "`Fn::Sub` with a variable map is not resolved; write the value",
                    )
                })?;
                self.substitute(text, path).map(|s| Some(Value::String(s)))
            }
            other => Err(self.error(
                path,
                format!(
                    "`{other}` is known only when the stack is deployed; write a literal value, \
                     or import the deployed table's `aws dynamodb describe-table` output"
                ),
            )),
        }
    }

    /// A parameter's value (`--parameter NAME=VALUE`, else its `Default`) or a pseudo
    /// parameter the Region decides.
    fn reference(&self, name: &str, path: &str) -> Result<String, ImportError> {
        if name == "AWS::Region" {
            return self.context.region.clone().ok_or_else(|| {
                self.error(
                    path,
                    "`AWS::Region` depends on the stack's Region; pass --region",
                )
            });
        }
        if let Some(value) = self.context.parameters.get(name) {
            return Ok(value.clone());
        }
        let parameter = self
            .template
            .get("Parameters")
            .and_then(|p| p.get(name))
            .ok_or_else(|| {
                self.error(
                    path,
                    format!("`Ref {name}` names no parameter; only parameters and AWS::Region are resolved"),
                )
            })?;
        match parameter.get("Default") {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(v.to_string()),
            _ => Err(self.error(
                path,
                format!("parameter `{name}` has no Default; pass --parameter {name}=VALUE"),
            )),
        }
    }

    fn substitute(&self, text: &str, path: &str) -> Result<String, ImportError> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find('}')
                .ok_or_else(|| self.error(path, format!("`{text}` has an unclosed ${{")))?;
            out.push_str(&self.reference(&after[..end], path)?);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn condition(&self, name: &str, path: &str) -> Result<bool, ImportError> {
        let condition = self
            .template
            .get("Conditions")
            .and_then(|c| c.get(name))
            .ok_or_else(|| self.error(path, format!("condition `{name}` is not in Conditions")))?;
        self.truth(condition, &format!("Conditions.{name}"))
    }

    fn truth(&self, value: &Value, path: &str) -> Result<bool, ImportError> {
        let Some((key, arg)) = value
            .as_object()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.iter().next())
        else {
            return Err(self.error(path, "is not a condition function"));
        };
        let list = || {
            arg.as_array()
                .ok_or_else(|| self.error(path, format!("`{key}` takes a list")))
        };
        match key.as_str() {
            "Fn::Equals" => {
                let args = list()?;
                if args.len() != 2 {
                    return Err(self.error(path, "`Fn::Equals` takes two values"));
                }
                let a = self.resolve(&args[0], path)?;
                let b = self.resolve(&args[1], path)?;
                Ok(a == b)
            }
            "Fn::Not" => Ok(!self.truth(list()?.first().unwrap_or(&Value::Null), path)?),
            "Fn::And" => list()?
                .iter()
                .try_fold(true, |acc, c| Ok(acc && self.truth(c, path)?)),
            "Fn::Or" => list()?
                .iter()
                .try_fold(false, |acc, c| Ok(acc || self.truth(c, path)?)),
            "Condition" => self.condition(arg.as_str().unwrap_or_default(), path),
            other => Err(self.error(path, format!("`{other}` is not a condition function"))),
        }
    }
}
