//! Import: the files users already have about a table, read into one neutral description.
//!
//! Each front end (describe-table and its companions, `terraform show -json`, Terraform HCL,
//! CloudFormation / SAM, NoSQL Workbench) reads its own shape into [`TableDescription`]s, as Infracost reads every IaC format into
//! one resource; `render::import` writes them as a commented workload spec. What a front end
//! cannot know (the access patterns) stays empty for the user to fill.

pub mod cloudformation;
pub mod cur;
pub mod describe;
pub mod hcl;
pub mod json;
pub mod terraform;
pub mod usage;
pub mod workbench;

use crate::capacity::TableClass;
use crate::workload::model::{IndexKind, Projection, StreamView};

/// An input that cannot be imported, with the place (`file: path: message`) and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

/// Read and write units a second, as a table or index is provisioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throughput {
    pub read: u64,
    pub write: u64,
}

/// Target tracking as Application Auto Scaling configures it for one table or GSI.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scaling {
    /// Target utilization in percent (`TargetValue`) of reads and of writes.
    pub read_target: Option<f64>,
    pub write_target: Option<f64>,
    pub min_read: Option<u64>,
    pub max_read: Option<u64>,
    pub min_write: Option<u64>,
    pub max_write: Option<u64>,
}

/// One direction's autoscaling: minimum, maximum and target.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Direction {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub target: Option<f64>,
}

impl Scaling {
    fn is_empty(&self) -> bool {
        *self == Scaling::default()
    }

    /// The read (or write) direction.
    pub fn direction(&self, read: bool) -> Direction {
        if read {
            Direction {
                min: self.min_read,
                max: self.max_read,
                target: self.read_target,
            }
        } else {
            Direction {
                min: self.min_write,
                max: self.max_write,
                target: self.write_target,
            }
        }
    }

    /// Sets the read (or write) direction to what `d` knows.
    pub fn set(&mut self, read: bool, d: Direction) {
        let (min, max, target) = if read {
            (
                &mut self.min_read,
                &mut self.max_read,
                &mut self.read_target,
            )
        } else {
            (
                &mut self.min_write,
                &mut self.max_write,
                &mut self.write_target,
            )
        };
        *min = d.min.or(*min);
        *max = d.max.or(*max);
        *target = d.target.or(*target);
    }
}

/// A table's capacity mode as its definition states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    OnDemand,
    Provisioned(Throughput),
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexDescription {
    pub name: String,
    pub kind: IndexKind,
    pub partition: Option<String>,
    pub sort: Option<String>,
    pub projection: Projection,
    pub provisioned: Option<Throughput>,
    pub scaling: Scaling,
}

/// One table, whatever file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDescription {
    /// The file it was read from, for the spec's comments.
    pub source: String,
    pub name: String,
    /// Where an IaC file defines it: a Terraform address or a CloudFormation logical ID.
    pub address: Option<String>,
    /// The DynamoDB name when several definitions share it and the spec names this one by
    /// its address instead.
    pub renamed_from: Option<String>,
    /// The Region the definition names (a table ARN's Region), if any.
    pub region: Option<String>,
    /// The AWS account a table ARN names, if any.
    pub account: Option<String>,
    pub partition: String,
    pub sort: Option<String>,
    pub billing: Billing,
    pub table_class: TableClass,
    pub indexes: Vec<IndexDescription>,
    pub scaling: Scaling,
    pub item_count: Option<u64>,
    pub size_bytes: Option<u64>,
    /// Average size of sample items (a NoSQL Workbench model's `TableData`) and how many.
    pub sample_item_size: Option<(u64, usize)>,
    pub stream: Option<StreamView>,
    pub ttl_attribute: Option<String>,
    pub pitr: bool,
    /// Regions of every replica, the table's own included when the source lists it.
    pub replicas: Vec<String>,
    /// On-demand warm throughput and maximum (`WarmThroughput`, `OnDemandThroughput`).
    pub warm: Option<Throughput>,
    pub max_read: Option<u64>,
    pub max_write: Option<u64>,
}

impl TableDescription {
    /// A table with its keys and mode and nothing else known yet.
    pub fn new(source: &str, name: String, partition: String, billing: Billing) -> Self {
        TableDescription {
            source: source.to_string(),
            name,
            address: None,
            renamed_from: None,
            region: None,
            account: None,
            partition,
            sort: None,
            billing,
            table_class: TableClass::Standard,
            indexes: Vec::new(),
            scaling: Scaling::default(),
            item_count: None,
            size_bytes: None,
            sample_item_size: None,
            stream: None,
            ttl_attribute: None,
            pitr: false,
            replicas: Vec::new(),
            warm: None,
            max_read: None,
            max_write: None,
        }
    }

    /// Average item size in bytes, rounded up, when the table holds items.
    pub fn average_item_size(&self) -> Option<u64> {
        let (count, bytes) = (self.item_count?, self.size_bytes?);
        (count > 0).then(|| bytes.div_ceil(count))
    }

    /// Whether autoscaling manages the table or any of its GSIs.
    pub fn autoscaled(&self) -> bool {
        !self.scaling.is_empty() || self.indexes.iter().any(|i| !i.scaling.is_empty())
    }

    /// The scaling settings of the table (`None`) or one of its GSIs.
    fn scaling_mut(&mut self, index: Option<&str>) -> Option<&mut Scaling> {
        match index {
            None => Some(&mut self.scaling),
            Some(name) => self
                .indexes
                .iter_mut()
                .find(|i| i.name == name)
                .map(|i| &mut i.scaling),
        }
    }
}

/// One file's contribution: whole tables, or facts about a table described elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Table(Box<TableDescription>),
    /// From describe-continuous-backups, describe-time-to-live, the autoscaling calls or
    /// describe-global-table: applied to the table named (or the only one).
    Extra {
        table: Option<String>,
        extra: Extra,
    },
    /// A DAX cluster (`aws_dax_cluster`): not tied to one table, so the spec names it for the
    /// user to place.
    Dax(DaxCluster),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DaxCluster {
    pub address: String,
    pub nodes: u64,
    pub node_type: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    Pitr(bool),
    Ttl(Option<String>),
    Replicas(Vec<String>),
    /// Scaling of the table (`index: None`) or a GSI, in the Region named (or any).
    Scaling {
        region: Option<String>,
        index: Option<String>,
        scaling: Scaling,
    },
}

/// Reads one file: Terraform HCL (`.tf`), JSON (describe outputs, Terraform plan JSON, a
/// CloudFormation template in JSON) or YAML (a CloudFormation / SAM template), told apart by
/// their top-level keys.
pub fn parse(
    text: &str,
    source: &str,
    context: &cloudformation::Context,
) -> Result<Vec<Part>, ImportError> {
    let trimmed = text.trim_start();
    if source.ends_with(".tf") {
        return hcl::parse(text, source);
    }
    if !trimmed.starts_with('{') {
        return cloudformation::parse_yaml(text, source, context);
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ImportError(format!("{source}:{}:{}: {e}", e.line(), e.column())))?;
    let root = json::Node::root(&value, source);
    if value.get("Resources").is_some() {
        return cloudformation::parse(&value, source, context);
    }
    if value.get("DataModel").is_some() {
        return workbench::parse(root);
    }
    if value.get("format_version").is_some() || value.get("planned_values").is_some() {
        return terraform::parse(root);
    }
    describe::parse(root)
}

/// Joins every file's parts into whole tables: each extra goes to the table it names (by
/// address or name), or to the only table when it names none. Tables that share a DynamoDB
/// name (Terraform workspaces, test fixtures) are named by their address in the spec.
pub fn assemble(parts: Vec<(String, Vec<Part>)>) -> Result<Assembled, ImportError> {
    let tables = parts
        .iter()
        .enumerate()
        .flat_map(|(file, (_, file_parts))| Placed::defined(file, file_parts))
        .collect();
    let mut placer = Placer::new(tables)?;
    for (file, (source, file_parts)) in parts.iter().enumerate() {
        for (part, extra) in file_parts.iter().enumerate() {
            placer.extra(At { file, part }, source, extra)?;
        }
    }
    let placement = placer.finish();
    let mut slots: Vec<(String, Vec<Option<Part>>)> = parts
        .into_iter()
        .map(|(source, file_parts)| (source, file_parts.into_iter().map(Some).collect()))
        .collect();
    let mut take = |at: At| {
        let (source, file_parts) = &mut slots[at.file];
        Ok::<_, ImportError>(
            file_parts[at.part]
                .take()
                .map(|part| (part, source.clone())),
        )
    };
    let tables = placement
        .tables
        .iter()
        .map(|placed| placed.build(&mut take))
        .collect::<Result<_, _>>()?;
    let dax = slots
        .into_iter()
        .flat_map(|(_, file_parts)| file_parts.into_iter().flatten())
        .filter_map(|part| match part {
            Part::Dax(d) => Some(d),
            _ => None,
        })
        .collect();
    Ok(Assembled {
        tables,
        skipped: placement.skipped,
        dax,
    })
}

/// The tables imported, and the settings that named a table none of the files defines.
#[derive(Debug, Clone, PartialEq)]
pub struct Assembled {
    pub tables: Vec<TableDescription>,
    pub skipped: Vec<Skipped>,
    pub dax: Vec<DaxCluster>,
}

/// A setting (an autoscaling target, a replica list) for a table the files do not define,
/// as when a Terraform plan scales a table managed elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub source: String,
    pub table: String,
}

/// Where a part is: its file's and its own position, in the order the files and their parts were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub file: usize,
    pub part: usize,
}

/// What settings are matched against: a table's names, Region and GSIs, a small share of its
/// description. A fleet keeps only these while it reads every file, and reads each table's
/// parts again when it plans the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub name: String,
    pub address: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub indexes: Vec<Box<str>>,
}

/// Every table's parts, found without the parts themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub tables: Vec<Placed>,
    pub skipped: Vec<Skipped>,
}

/// One table: where it is defined, the settings that apply to it in order, and its name in
/// the spec (`outline.name`, its address when it shares its DynamoDB name).
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub outline: Outline,
    pub at: At,
    pub extras: Vec<At>,
    pub renamed_from: Option<String>,
}

impl Placed {
    /// The tables a file's parts define, placed at their positions, with no settings yet.
    pub fn defined(file: usize, parts: &[Part]) -> impl Iterator<Item = Placed> + '_ {
        parts
            .iter()
            .enumerate()
            .filter_map(move |(part, p)| match p {
                Part::Table(t) => Some(Placed {
                    outline: Outline {
                        name: t.name.clone(),
                        address: t.address.clone(),
                        region: t.region.clone(),
                        account: t.account.clone(),
                        indexes: t.indexes.iter().map(|i| i.name.as_str().into()).collect(),
                    },
                    at: At { file, part },
                    extras: Vec::new(),
                    renamed_from: None,
                }),
                _ => None,
            })
    }

    /// The table put together from its parts, which `part` gives with their file's source
    /// (`None` when a part is no longer there).
    pub fn build<E: From<ImportError>>(
        &self,
        part: &mut impl FnMut(At) -> Result<Option<(Part, String)>, E>,
    ) -> Result<TableDescription, E> {
        let changed = || {
            ImportError(format!(
                "the files defining table `{}` changed while they were read; run again",
                self.outline.name
            ))
        };
        let Some((Part::Table(table), _)) = part(self.at)? else {
            return Err(changed().into());
        };
        let mut table = *table;
        for &at in &self.extras {
            let Some((Part::Extra { extra, .. }, source)) = part(at)? else {
                return Err(changed().into());
            };
            apply(&mut table, extra, &source)?;
        }
        if let Some(from) = &self.renamed_from {
            table.renamed_from = Some(from.clone());
            table.name = self.outline.name.clone();
        }
        Ok(table)
    }
}

/// Finds each table's parts: each extra goes to the table it names (by address or name), or
/// to the only table when it names none; a table sharing its DynamoDB name with another is
/// renamed to its address's last label. Settings are placed one at a time once every table
/// is known, so a fleet need not hold them.
pub struct Placer {
    tables: Vec<Placed>,
    lookup: Index,
    skipped: Vec<Skipped>,
}

impl Placer {
    /// Every table the files define, to place settings on.
    pub fn new(tables: Vec<Placed>) -> Result<Self, ImportError> {
        if tables.is_empty() {
            return Err(ImportError(
                "no table definition among the files: give a describe-table output, a Terraform plan JSON or a CloudFormation template".into(),
            ));
        }
        Ok(Placer {
            lookup: Index::of(&tables),
            tables,
            skipped: Vec::new(),
        })
    }

    /// Places the part at `at`, of the file `source`, when it is a setting.
    pub fn extra(&mut self, at: At, source: &str, part: &Part) -> Result<(), ImportError> {
        let Part::Extra { table: name, extra } = part else {
            return Ok(());
        };
        let found = match name {
            Some(n) => match self.lookup.find(n, source)? {
                Some(i) => i,
                None => {
                    self.skipped.push(Skipped {
                        source: source.to_string(),
                        table: n.clone(),
                    });
                    return Ok(());
                }
            },
            None if self.tables.len() == 1 => 0,
            None => {
                return Err(ImportError(format!(
                    "{source}: does not name its table and {} tables are imported; import it with its own table's describe-table output",
                    self.tables.len()
                )))
            }
        };
        let table = &mut self.tables[found];
        if let Extra::Scaling { region, index, .. } = extra {
            let outline = &table.outline;
            // A scaling of another Region's replica is not this table's.
            if region.is_some() && outline.region.is_some() && *region != outline.region {
                return Ok(());
            }
            let known = |i: &&str| outline.indexes.iter().any(|x| **x == **i);
            if let Some(index) = index.as_deref().filter(|i| !known(i)) {
                return Err(missing_index(source, index, &outline.name));
            }
        }
        table.extras.push(at);
        Ok(())
    }

    /// Every table's parts, and the settings skipped.
    pub fn finish(self) -> Placement {
        let Placer {
            mut tables,
            lookup,
            skipped,
        } = self;
        for t in &mut tables {
            let shared = lookup.by_name[&t.outline.name].len() > 1;
            t.outline.indexes = Vec::new();
            t.extras.shrink_to_fit();
            let label = t
                .outline
                .address
                .as_deref()
                .and_then(|a| a.rsplit('.').next());
            if let (true, Some(label)) = (shared, label) {
                let label = label.to_string();
                t.renamed_from = Some(std::mem::replace(&mut t.outline.name, label));
            }
        }
        Placement { tables, skipped }
    }
}

/// The tables by address and by name, so that settings find their table in one lookup
/// however many tables a fleet imports (a scan per setting was quadratic).
struct Index {
    by_address: std::collections::HashMap<String, usize>,
    by_name: std::collections::HashMap<String, Vec<usize>>,
}

impl Index {
    fn of(tables: &[Placed]) -> Self {
        let mut index = Index {
            by_address: Default::default(),
            by_name: Default::default(),
        };
        for (i, t) in tables.iter().enumerate() {
            if let Some(address) = &t.outline.address {
                index.by_address.entry(address.clone()).or_insert(i);
            }
            index
                .by_name
                .entry(t.outline.name.clone())
                .or_default()
                .push(i);
        }
        index
    }

    /// The table `key` names: the one with that address, else the only one with that name;
    /// `None` when no file defines it.
    fn find(&self, key: &str, source: &str) -> Result<Option<usize>, ImportError> {
        if let Some(&i) = self.by_address.get(key) {
            return Ok(Some(i));
        }
        match self.by_name.get(key).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some(&[i]) => Ok(Some(i)),
            Some(named) => Err(ImportError(format!(
                "{source}: describes table `{key}`, and {} definitions have that name; import them separately",
                named.len()
            ))),
        }
    }
}

fn missing_index(source: &str, index: &str, table: &str) -> ImportError {
    ImportError(format!(
        "{source}: scales index `{index}` of `{table}`, which the table does not have"
    ))
}

/// Applies a setting placed on the table.
fn apply(table: &mut TableDescription, extra: Extra, source: &str) -> Result<(), ImportError> {
    match extra {
        Extra::Pitr(on) => table.pitr = on,
        Extra::Ttl(attribute) => table.ttl_attribute = attribute,
        Extra::Replicas(regions) => table.replicas = regions,
        Extra::Scaling { index, scaling, .. } => {
            let name = table.name.clone();
            let into = table.scaling_mut(index.as_deref()).ok_or_else(|| {
                missing_index(source, index.as_deref().unwrap_or_default(), &name)
            })?;
            into.set(true, scaling.direction(true));
            into.set(false, scaling.direction(false));
        }
    }
    Ok(())
}

/// The table and GSI an Application Auto Scaling `ResourceId` names: `table/NAME` or
/// `table/NAME/index/INDEX`.
pub fn scaled_resource(
    resource: &str,
    at: &json::Node,
) -> Result<(String, Option<String>), ImportError> {
    let mut path = resource.split('/');
    let (Some("table"), Some(table)) = (path.next(), path.next()) else {
        return Err(at.error(format!(
            "resource ID `{resource}` is not table/NAME or table/NAME/index/INDEX"
        )));
    };
    let index = match (path.next(), path.next()) {
        (Some("index"), Some(i)) => Some(i.to_string()),
        _ => None,
    };
    Ok((table.to_string(), index))
}

/// The Region of a DynamoDB ARN (`arn:aws:dynamodb:us-east-1:…`), when it is a real one.
pub fn arn_region(arn: &str) -> Option<String> {
    let region = arn.split(':').nth(3)?;
    let real = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    real.then(|| region.to_string())
}

/// The account ID of an ARN (`arn:aws:dynamodb:us-east-1:123456789012:…`): twelve digits.
pub fn arn_account(arn: &str) -> Option<String> {
    let account = arn.split(':').nth(4)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        .then(|| account.to_string())
}

/// A projection from DynamoDB's `ProjectionType` and `NonKeyAttributes`.
pub fn projection(
    kind: &str,
    attributes: Vec<String>,
    at: &json::Node,
) -> Result<Projection, ImportError> {
    match kind {
        "ALL" => Ok(Projection::All),
        "KEYS_ONLY" => Ok(Projection::KeysOnly),
        "INCLUDE" => Ok(Projection::Include(attributes)),
        other => Err(at.error(format!(
            "ProjectionType `{other}` is not ALL, KEYS_ONLY or INCLUDE"
        ))),
    }
}

/// A stream view from DynamoDB's `StreamViewType`.
pub fn stream_view(kind: &str, at: &json::Node) -> Result<StreamView, ImportError> {
    match kind {
        "KEYS_ONLY" => Ok(StreamView::KeysOnly),
        "NEW_IMAGE" => Ok(StreamView::NewImage),
        "OLD_IMAGE" => Ok(StreamView::OldImage),
        "NEW_AND_OLD_IMAGES" => Ok(StreamView::NewAndOldImages),
        other => Err(at.error(format!(
            "StreamViewType `{other}` is not KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES"
        ))),
    }
}

/// A table class from DynamoDB's `TableClass`.
pub fn table_class(kind: &str, at: &json::Node) -> Result<TableClass, ImportError> {
    match kind {
        "STANDARD" => Ok(TableClass::Standard),
        "STANDARD_INFREQUENT_ACCESS" => Ok(TableClass::StandardIa),
        other => Err(at.error(format!(
            "TableClass `{other}` is not STANDARD or STANDARD_INFREQUENT_ACCESS"
        ))),
    }
}
