//! The same spec planned in every Region the catalog has: each cost line is priced, or it is a
//! gap that docs/pricing.md lists for that Region ("Gaps by Region"), named unpriced with its
//! Region, never priced at $0. The table in the docs must match what the plan finds, so a price
//! added or lost shows up here.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use capacity_plan::pricing::Catalog;
use common::run;
use serde_json::Value;

/// A spec that uses every price the plan has: both table classes, a GSI, PITR, on-demand
/// backups, restore, export and import, a billed stream reader and Kinesis, a global-table
/// replica (replicated writes, cross-Region transfer), DAX, data transfer out, the free tier.
fn spec(region: &str) -> String {
    let replica = if region == "us-east-1" {
        "us-east-2"
    } else {
        "us-east-1"
    };
    format!(
        "region: {region}
settings: {{ free_tier: true }}
tables:
  - name: orders
    keys: {{ partition: id }}
    items: {{ count: 1M, size: 1KB }}
    access:
      - {{ op: get, rate: 100/s, consistency: eventual }}
      - {{ op: put, rate: 20/s }}
      - {{ op: query, index: by_status, rate: 5/s }}
    indexes:
      - {{ name: by_status, type: global, keys: {{ partition: status }}, projection: keys_only }}
    streams: {{ view: new_image, readers: [application], kinesis: true }}
    global: {{ replicas: [{replica}] }}
    backups:
      pitr: true
      on_demand: {{ retained: 2 }}
      restored_per_month: 1GB
      exported_per_month: 1GB
      imported_per_month: 1GB
    data_transfer: {{ out_per_month: 10GB }}
    dax: {{ nodes: 3, node_type: dax.r5.large, hit_ratio: 80% }}
  - name: archive
    table_class: standard_ia
    keys: {{ partition: id }}
    items: {{ count: 1M, size: 1KB }}
    access: [{{ op: get, rate: 1/s }}, {{ op: put, rate: 1/s }}]
"
    )
}

/// Every unpriced `region name` in every mode of every table, by Region.
fn unpriced(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut gaps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for table in report["costs"].as_array().unwrap() {
        for mode in table["modes"].as_array().unwrap() {
            for line in mode["bill"]["lines"].as_array().unwrap() {
                let region = line["region"].as_str().unwrap().to_string();
                match line["amount"].as_str() {
                    // A priced line carries its unit price and provenance.
                    Some(_) => {
                        assert!(line["unit_price"].is_string(), "{line}");
                        assert!(line["source"].is_string() && line["as_of"].is_string());
                    }
                    None => {
                        let name = line["price_name"].as_str().unwrap().to_string();
                        // The bill names it with its Region.
                        assert!(mode["bill"]["unpriced"]
                            .as_array()
                            .unwrap()
                            .contains(&Value::String(format!("{region} {name}"))));
                        gaps.entry(region).or_default().insert(name);
                    }
                }
            }
        }
    }
    gaps
}

/// docs/pricing.md's "Gaps by Region" table: Region → the price names it lacks.
fn documented_gaps() -> BTreeMap<String, BTreeSet<String>> {
    let docs = std::fs::read_to_string("docs/pricing.md").unwrap();
    let section = docs
        .split("### Gaps by Region")
        .nth(1)
        .expect("docs/pricing.md has a \"Gaps by Region\" section");
    section
        .lines()
        .skip_while(|l| !l.starts_with("| `"))
        .take_while(|l| l.starts_with("| `"))
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            let names = cells[1]
                .split(',')
                .map(|n| n.trim().trim_matches('`').to_string())
                .filter(|n| !n.is_empty() && n != "none")
                .collect();
            (cells[0].trim_matches('`').to_string(), names)
        })
        .collect()
}

#[test]
fn every_catalogued_region_prices_every_line_or_documents_the_gap() {
    let catalog = Catalog::builtin().unwrap();
    let regions: Vec<String> = catalog.regions().map(|(r, _)| r.to_string()).collect();
    assert!(regions.len() >= 25, "{regions:?}");
    let documented = documented_gaps();
    let mut found = BTreeMap::new();
    for region in &regions {
        let (code, out, err) = run(&["plan", "--format", "json", "-"], &spec(region));
        assert_eq!(code, 0, "{region}: {err}");
        let report: Value = serde_json::from_str(&out).unwrap();
        // The advice never disappears: a recommendation, full or labelled partial.
        let reason = &report["costs"][0]["recommendation"]["reason"];
        assert!(reason.is_string(), "{region}: no recommendation");
        let mut gaps = unpriced(&report);
        found.insert(region.clone(), gaps.remove(region).unwrap_or_default());
        // The replica Region's own gaps are checked where it is planned as home.
        for (other, names) in gaps {
            for name in names {
                let listed = documented.get(&other).is_some_and(|d| d.contains(&name));
                assert!(
                    listed,
                    "{region}: {other} {name} unpriced but not documented"
                );
            }
        }
    }
    let missing_rows: Vec<_> = regions
        .iter()
        .filter(|r| !documented.contains_key(*r))
        .collect();
    assert!(missing_rows.is_empty(), "no docs row for {missing_rows:?}");
    for (region, names) in &found {
        assert_eq!(
            documented.get(region),
            Some(names),
            "docs/pricing.md \"Gaps by Region\" row for {region} should list: {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
