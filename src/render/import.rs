//! An imported table description written as a commented workload spec (docs/import.md): what
//! the files said, in the spec's vocabulary, and `FILL` comments where they cannot know.

use std::fmt::Write;

use crate::import::usage::TableUsage;
use crate::import::{Billing, DaxCluster, IndexDescription, Scaling, TableDescription, Throughput};
use crate::workload::model::{IndexKind, Projection, StreamView};

/// The spec for `tables` in `region`, each with its usage from the usage file, if any, read
/// from the files named `sources`.
pub fn spec(
    tables: &[TableDescription],
    usages: &[Option<TableUsage>],
    dax: &[DaxCluster],
    region: &str,
    sources: &[String],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by `capacity-plan import` from {}.\n\
         # Keys, indexes, capacity and settings come from the files; how the tables are used does\n\
         # not. Each `FILL` marks what to fill in: above all each table's `access` (its calls and\n\
         # their rates), or its measured traffic: `traffic: {{ metrics: FILE }}`, a CloudWatch export.\n\
         region: {}",
        sources.join(", "),
        scalar(region)
    );
    for d in dax {
        let _ = writeln!(
            out,
            "# {}: a DAX cluster of {} × {}. FILL: to price it, add to the table it caches\n\
             #   dax: {{ nodes: {}, node_type: {}, hit_ratio: FILL }}",
            d.address, d.nodes, d.node_type, d.nodes, d.node_type
        );
    }
    out.push_str("\ntables:\n");
    for (i, table) in tables.iter().enumerate() {
        write_table(
            &mut out,
            table,
            usages.get(i).and_then(Option::as_ref),
            region,
        );
    }
    out
}

fn write_table(out: &mut String, t: &TableDescription, usage: Option<&TableUsage>, region: &str) {
    let field = |name: &str| usage.and_then(|u| u.fields.get(name));
    let _ = writeln!(out, "  - name: {}", scalar(&t.name));
    if let Some(dynamodb) = &t.renamed_from {
        let _ = writeln!(
            out,
            "    # DynamoDB name `{dynamodb}`, shared by several definitions: named by its address"
        );
    }
    let _ = writeln!(out, "    table_class: {}", t.table_class.name());
    let capacity = match t.billing {
        Billing::OnDemand => "on_demand",
        Billing::Provisioned(_) if t.autoscaled() => "autoscaling",
        Billing::Provisioned(_) => "provisioned",
    };
    let _ = writeln!(
        out,
        "    capacity: {capacity}   # the table's mode today; `compare` prices every mode"
    );
    let _ = writeln!(
        out,
        "    keys: {}",
        keys(Some(&t.partition), t.sort.as_deref())
    );
    match field("items") {
        Some(items) => {
            let _ = writeln!(out, "    items: {items}   # from the usage file");
        }
        None => write_items(out, t),
    }
    match field("access") {
        Some(access) => {
            let _ = writeln!(out, "    access: {access}   # from the usage file");
        }
        None => out.push_str(
            "    access: []   # FILL: the calls and their rates, e.g. - { op: get, rate: 100/s }\n",
        ),
    }
    for name in ["traffic", "key_skew", "attributes"] {
        if let Some(value) = field(name) {
            let _ = writeln!(out, "    {name}: {value}");
        }
    }
    if let Billing::Provisioned(p) = t.billing {
        let _ = writeln!(out, "    provisioned: {}", throughput(p));
    }
    if let Some(line) = scaling(&t.scaling) {
        let _ = writeln!(out, "    autoscaling: {line}");
    }
    if t.max_read.is_some() || t.max_write.is_some() {
        let mut fields = Vec::new();
        for (key, value) in [("max_read", t.max_read), ("max_write", t.max_write)] {
            if let Some(v) = value {
                fields.push(format!("{key}: {v}"));
            }
        }
        let _ = writeln!(out, "    on_demand: {{ {} }}", fields.join(", "));
    }
    if let Some(w) = t.warm {
        let _ = writeln!(out, "    warm_throughput: {}", throughput(w));
    }
    if !t.indexes.is_empty() {
        out.push_str("    indexes:\n");
        for index in &t.indexes {
            write_index(out, index);
        }
    }
    if let Some(view) = t.stream {
        let _ = writeln!(
            out,
            "    streams: {{ view: {}, readers: [] }}   # FILL: readers (lambda, application)",
            stream_view(view)
        );
    }
    if let Some(attribute) = &t.ttl_attribute {
        let _ = writeln!(
            out,
            "    # TTL deletes items by `{attribute}`. FILL how long an item lives to bound the count:\n    # ttl: {{ retention: 30d }}"
        );
    }
    let mut backups = field("backups")
        .and_then(|b| b.as_object())
        .cloned()
        .unwrap_or_default();
    if t.pitr {
        backups.insert("pitr".into(), true.into());
    }
    if !backups.is_empty() {
        let _ = writeln!(out, "    backups: {}", serde_json::Value::Object(backups));
    }
    let others: Vec<String> = t
        .replicas
        .iter()
        .filter(|r| r.as_str() != region)
        .map(|r| scalar(r))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "    global: {{ replicas: [{}] }}", others.join(", "));
    }
    out.push('\n');
}

fn write_items(out: &mut String, t: &TableDescription) {
    out.push_str("    items:\n");
    match t.item_count {
        Some(n) => {
            let _ = writeln!(
                out,
                "      count: {n}   # ItemCount (DynamoDB refreshes it about every six hours)"
            );
        }
        None => out.push_str("      count: 0   # FILL: how many items the table holds\n"),
    }
    match (t.average_item_size(), t.sample_item_size) {
        (Some(bytes), _) => {
            let _ = writeln!(out, "      size: {bytes}B   # TableSizeBytes ÷ ItemCount");
        }
        (None, Some((bytes, n))) => {
            let _ = writeln!(
                out,
                "      size: {bytes}B   # the average of the model's {n} sample items"
            );
        }
        (None, None) => {
            out.push_str("      size: 1KB   # FILL: the average item size (unknown here)\n")
        }
    }
}

fn write_index(out: &mut String, i: &IndexDescription) {
    let _ = writeln!(out, "      - name: {}", scalar(&i.name));
    match i.kind {
        IndexKind::Global => {
            out.push_str("        type: global\n");
            let _ = writeln!(
                out,
                "        keys: {}",
                keys(i.partition.as_deref(), i.sort.as_deref())
            );
        }
        IndexKind::Local => {
            out.push_str("        type: local\n");
            if let Some(sort) = &i.sort {
                let _ = writeln!(out, "        sort: {}", scalar(sort));
            }
        }
    }
    let projection = match &i.projection {
        Projection::All => "all".to_string(),
        Projection::KeysOnly => "keys_only".to_string(),
        Projection::Include(names) => format!(
            "{{ include: [{}] }}",
            names
                .iter()
                .map(|n| scalar(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = writeln!(out, "        projection: {projection}");
    if let Some(p) = i.provisioned {
        let _ = writeln!(out, "        provisioned: {}", throughput(p));
    }
    if let Some(line) = scaling(&i.scaling) {
        let _ = writeln!(out, "        autoscaling: {line}");
    }
}

fn keys(partition: Option<&str>, sort: Option<&str>) -> String {
    let mut fields = Vec::new();
    if let Some(p) = partition {
        fields.push(format!("partition: {}", scalar(p)));
    }
    if let Some(s) = sort {
        fields.push(format!("sort: {}", scalar(s)));
    }
    format!("{{ {} }}", fields.join(", "))
}

fn throughput(p: Throughput) -> String {
    format!("{{ read: {}, write: {} }}", p.read, p.write)
}

/// An `autoscaling:` mapping; the spec has one target, so a different write target is named
/// in a comment beside the read target the spec keeps.
fn scaling(s: &Scaling) -> Option<String> {
    if *s == Scaling::default() {
        return None;
    }
    let target = s.read_target.or(s.write_target);
    let mut fields = vec![format!("target: {}%", target.unwrap_or(70.0))];
    for (key, value) in [
        ("min_read", s.min_read),
        ("max_read", s.max_read),
        ("min_write", s.min_write),
        ("max_write", s.max_write),
    ] {
        if let Some(v) = value {
            fields.push(format!("{key}: {v}"));
        }
    }
    let mut line = format!("{{ {} }}", fields.join(", "));
    if target.is_none() {
        line.push_str(
            "   # FILL: no scaling policy was given; 70% is the DynamoDB console's default target",
        );
    } else if let Some(w) = s.write_target.filter(|w| Some(*w) != s.read_target) {
        let _ = write!(
            line,
            "   # the write policy targets {w}%; the spec keeps one target"
        );
    }
    Some(line)
}

fn stream_view(view: StreamView) -> &'static str {
    match view {
        StreamView::KeysOnly => "keys_only",
        StreamView::NewImage => "new_image",
        StreamView::OldImage => "old_image",
        StreamView::NewAndOldImages => "new_and_old_images",
    }
}

/// A YAML scalar: plain when it reads back as the same string, else JSON-quoted (JSON strings
/// are YAML).
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && text.as_bytes()[0].is_ascii_alphabetic()
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}
