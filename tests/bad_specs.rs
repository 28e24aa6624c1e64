//! Malformed and invalid specs through the binary (`capacity-plan validate`): each must fail
//! with exit 1 and a located message (`spec.yaml:line:column`) naming the problem, never a
//! panic or a hang. Rule cases cite docs/sources.md; codes are documented in docs/spec.md.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;

/// A valid table with a composite key; `body` adds lines at the table's indentation.
fn table(body: &str) -> String {
    format!(
        "region: us-east-1\ntables:\n  - name: orders\n    keys: {{ partition: pk, sort: sk }}\n    items: {{ count: 1M, size: 1KB }}\n{body}"
    )
}

fn case_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("bad_specs")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `validate` on `text` saved as `spec.yaml` and returns (exit code, stderr).
fn validate(name: &str, text: impl AsRef<[u8]>) -> (i32, String) {
    let dir = case_dir(name);
    std::fs::write(dir.join("spec.yaml"), text).unwrap();
    let output = Command::cargo_bin("capacity-plan")
        .unwrap()
        .current_dir(&dir)
        .args(["validate", "spec.yaml"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

/// Whether `stderr` names `spec.yaml:<line>:<column>`.
fn located(stderr: &str) -> bool {
    stderr.match_indices("spec.yaml:").any(|(i, m)| {
        let rest = &stderr[i + m.len()..];
        let mut parts = rest.splitn(3, ':');
        let digits = |s: Option<&str>| {
            s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        };
        digits(parts.next())
            && digits(parts.next().map(|c| {
                c.split(|ch: char| !ch.is_ascii_digit())
                    .next()
                    .unwrap_or("")
            }))
    })
}

fn assert_rejected(name: &str, text: impl AsRef<[u8]>, expected: &[&str]) {
    let (code, stderr) = validate(name, text);
    assert_eq!(code, 1, "{name}: exit code\n{stderr}");
    assert!(
        located(&stderr),
        "{name}: no spec.yaml:line:column in\n{stderr}"
    );
    for needle in expected {
        assert!(
            stderr.contains(needle),
            "{name}: expected `{needle}` in\n{stderr}"
        );
    }
}

#[test]
fn syntax_and_shape_errors() {
    let cases: &[(&str, String, &[&str])] = &[
        (
            "unclosed-flow",
            "region: us-east-1\ntables: [ { name: a\n".into(),
            &["spec.yaml:"],
        ),
        (
            "bad-indentation",
            "region: us-east-1\ntables:\n  - name: a\n   keys: x\n".into(),
            &["spec.yaml:"],
        ),
        (
            "tab-indentation",
            "region: us-east-1\ntables:\n\t- name: a\n".into(),
            &["spec.yaml:"],
        ),
        (
            "duplicate-key",
            "region: us-east-1\nregion: eu-west-1\ntables: []\n".into(),
            &["spec.yaml:2:"],
        ),
        (
            "count-not-a-number",
            table("").replace("count: 1M", "count: many"),
            &["spec.yaml:5:", "count `many`"],
        ),
        (
            "tables-not-a-list",
            "region: us-east-1\ntables: orders\n".into(),
            &["spec.yaml:2:"],
        ),
        (
            "misspelt-field",
            table("    tabel_class: standard\n"),
            &["spec.yaml:6:5", "did you mean `table_class`?"],
        ),
        (
            "misspelt-op",
            table("    access:\n      - { op: gett, rate: 5/s }\n"),
            &["spec.yaml:7:", "did you mean `get`?"],
        ),
        (
            "misspelt-top-level",
            "regoin: us-east-1\ntables: []\n".into(),
            &["spec.yaml:1:1", "did you mean `region`?"],
        ),
        (
            "unknown-field-far-off",
            table("    colour: blue\n"),
            &["unknown field `colour`", "expected one of"],
        ),
        (
            "missing-keys",
            "region: us-east-1\ntables:\n  - name: orders\n    items: { count: 1, size: 1KB }\n"
                .into(),
            &["keys"],
        ),
        (
            "size-without-unit",
            table("").replace("size: 1KB", "size: 1200"),
            &["spec.yaml:5:", "needs a unit"],
        ),
        (
            "size-unknown-unit",
            table("").replace("size: 1KB", "size: 1QB"),
            &["unknown unit `QB`"],
        ),
        (
            "negative-rate",
            table("    access:\n      - { op: get, rate: -5/s }\n"),
            &["spec.yaml:7:", "negative"],
        ),
        (
            "unknown-period",
            table("    access:\n      - { op: get, rate: 5/fortnight }\n"),
            &["unknown period"],
        ),
        (
            "percent-over-100",
            table("    dax: { nodes: 3, node_type: dax.r5.large, hit_ratio: 140% }\n"),
            &["over 100%"],
        ),
        (
            "null-region",
            "region:\ntables: []\n".into(),
            &["spec.yaml:1:"],
        ),
        (
            "empty-file",
            String::new(),
            &["[empty-spec]", "capacity-plan init"],
        ),
        (
            "comments-only",
            "# nothing here yet\n\n".into(),
            &["[empty-spec]"],
        ),
    ];
    for (name, text, expected) in cases {
        assert_rejected(name, text, expected);
    }
}

#[test]
fn hostile_inputs_fail_fast_and_located() {
    // Bytes that are not UTF-8 at all.
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
        .collect();
    assert_rejected("binary-garbage", &garbage, &["not UTF-8"]);
    // Valid UTF-8 full of control characters.
    assert_rejected(
        "control-characters",
        "region: \u{0}\u{1}\u{7}\ntables: [\u{0}]\n",
        &["spec.yaml:"],
    );
    // 10,000 levels of flow and of block nesting.
    let deep = format!(
        "region: us-east-1\ntables: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_rejected(
        "nesting-10000-flow",
        deep,
        &["recursion limit", "32 levels"],
    );
    let mappings = format!(
        "region: us-east-1\ntables:\n  - {}x{}\n",
        "{a: ".repeat(10_000),
        "}".repeat(10_000)
    );
    assert_rejected("nesting-10000-mappings", mappings, &["spec.yaml:"]);
    // A billion laughs: nine levels of nine aliases each.
    let mut bomb = String::from("region: us-east-1\ntables:\n  - name: a\n    keys: { partition: pk }\n    items: { count: 1, size: 1KB }\n    indexes:\n      - name: idx\n        type: global\n        keys: { partition: pk }\n        projection:\n          include: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n    attributes:\n");
    let mut previous = 'a';
    for level in 1..10u8 {
        let name = (b'a' + level) as char;
        let refs = vec![format!("*{previous}"); 9].join(", ");
        bomb.push_str(&format!("      x{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    assert_rejected("alias-bomb", bomb, &["spec.yaml:"]);
}

#[test]
fn a_33_mib_spec_is_refused_by_size() {
    let mut text = String::from("region: us-east-1\ntables: []\n");
    while text.len() < 33 << 20 {
        text.push_str("# padding to make the file 33 MiB long, past the 32 MiB limit\n");
    }
    let (code, stderr) = validate("ten-mb", text);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("spec.yaml") && stderr.contains("limited to 32 MiB"),
        "{stderr}"
    );
}

/// Each DynamoDB rule the validator enforces, one spec each; the comment names the rule.
#[test]
fn rule_violations_name_their_code() {
    let sample = |name: &str, json: &str| {
        let dir = case_dir(name);
        std::fs::create_dir_all(dir.join("items")).unwrap();
        std::fs::write(dir.join("items/item.json"), json).unwrap();
    };
    sample(
        "sample-key-invalid",
        &format!(r#"{{"pk": "a", "sk": "{}"}}"#, "x".repeat(1025)),
    );
    sample("sample-invalid", r#"["not", "an", "item"]"#);
    sample(
        "sample-too-big",
        &format!(
            r#"{{"pk": "a", "sk": "b", "x": "{}"}}"#,
            "x".repeat(5 << 20)
        ),
    );
    sample(
        "lsi-item-too-large",
        &format!(
            r#"{{"pk": "a", "sk": "b", "blob": "{}"}}"#,
            "x".repeat(150 * 1024)
        ),
    );
    let metrics = |name: &str, csv: &str| {
        let dir = case_dir(name);
        std::fs::create_dir_all(dir.join("metrics")).unwrap();
        std::fs::write(dir.join("metrics/m.csv"), csv).unwrap();
    };
    let sum = "Timestamp,ConsumedReadCapacityUnits (Sum)\n2026-11-01T00:00:00Z,60\n";
    metrics(
        "metrics-average",
        "Timestamp,ConsumedReadCapacityUnits (Average)\n2026-11-01T00:00:00Z,1\n",
    );
    metrics("metrics-several-tables", "Timestamp,Table Name,ConsumedReadCapacityUnits (Sum)\n2026-11-01T00:00:00Z,a-table,60\n2026-11-01T00:00:00Z,b-table,60\n");
    metrics("traffic-conflict", sum);
    let gsi = |i: usize| {
        format!("      - {{ name: gsi{i:02}, type: global, keys: {{ partition: a{i} }} }}\n")
    };
    let lsi = |i: usize| format!("      - {{ name: lsi{i:02}, type: local, sort: s{i} }}\n");
    let cases: Vec<(&str, String, &[&str])> = vec![
        // Region codes look like us-east-1 (pricing checks the catalog later).
        ("region-invalid", table("").replace("us-east-1", "Virginia"), &["[region-invalid]", "spec.yaml:1:"]),
        // Monthly conventions: 730 h (AWS calculator, Infracost), 720 or 744.
        ("month-hours-invalid", format!("settings: {{ month_hours: 700 }}\n{}", table("")), &["[month-hours-invalid]", "spec.yaml:1:"]),
        ("no-tables", "region: us-east-1\ntables: []\n".into(), &["[no-tables]"]),
        // §2.3 [CONS]: table names are 3-255 characters of [a-zA-Z0-9_.-].
        ("table-name-invalid", table("").replace("name: orders", "name: or"), &["[table-name-invalid]", "spec.yaml:3:"]),
        ("table-name-duplicate", format!("{}  - name: orders\n    keys: {{ partition: pk }}\n    items: {{ count: 1, size: 1KB }}\n", table("")), &["[table-name-duplicate]", "spec.yaml:6:"]),
        ("item-size-missing", table("").replace(", size: 1KB", ""), &["[item-size-missing]"]),
        // §2.3 [CONS]: items are at most 400 KB.
        ("item-too-large", table("").replace("size: 1KB", "size: 401KB"), &["[item-too-large]", "spec.yaml:5:"]),
        ("pattern-item-too-large", table("    access:\n      - { op: put, rate: 1/s, size: 500KB }\n"), &["[item-too-large]"]),
        ("sample-unreadable", table("").replace("size: 1KB", "sample: [items/missing.json]"), &["[sample-unreadable]", "spec.yaml:5:"]),
        ("sample-too-big", table("").replace("size: 1KB", "sample: [items/item.json]"), &["[sample-unreadable]", "over 4 MiB"]),
        ("sample-invalid", table("").replace("size: 1KB", "sample: [items/item.json]"), &["[sample-invalid]"]),
        // §2.3 [CONS]: sort key values are at most 1024 bytes.
        ("sample-key-invalid", table("").replace("size: 1KB", "sample: [items/item.json]"), &["[sample-key-invalid]", "1024"]),
        // §2.3 [CONS]: an item and all its LSI entries fit in 400 KB.
        ("lsi-item-too-large", table("    indexes:\n      - { name: lsi1, type: local, sort: s1 }\n      - { name: lsi2, type: local, sort: s2 }\n").replace("size: 1KB", "sample: [items/item.json]"), &["[lsi-item-too-large]"]),
        // §3.1 [QUOTA]: at most 5 LSIs per table (hard limit).
        ("too-many-lsis", table(&format!("    indexes:\n{}", (0..6).map(lsi).collect::<String>())), &["[too-many-lsis]"]),
        // §3.1 [LSI]: LSIs need a table with a sort key.
        ("lsi-without-sort-key", table("    indexes:\n      - { name: by_total, type: local, sort: total }\n").replace(", sort: sk", ""), &["[lsi-without-sort-key]", "spec.yaml:7:"]),
        ("lsi-without-own-sort-key", table("    indexes:\n      - { name: by_total, type: local }\n"), &["[lsi-without-sort-key]"]),
        // §3.1 [LSI]: LSIs are defined at table creation only.
        ("lsi-added-later", table("    indexes:\n      - { name: by_total, type: local, sort: total, added_later: true }\n"), &["[lsi-added-later]"]),
        ("lsi-capacity", table("    indexes:\n      - { name: by_total, type: local, sort: total, provisioned: { read: 5, write: 5 } }\n"), &["[lsi-capacity]"]),
        ("lsi-partition-key", table("    indexes:\n      - { name: by_total, type: local, keys: { partition: other, sort: total } }\n"), &["[lsi-partition-key]"]),
        ("lsi-key-skew", table("    indexes:\n      - { name: by_total, type: local, sort: total, key_skew: { distinct_keys: 10 } }\n"), &["[lsi-key-skew]"]),
        // §3.3 [LSI]: an LSI uses the table's throughput; §6 [WARM]: warm throughput is at least 1.
        ("lsi-warm-throughput", table("    indexes:\n      - { name: by_total, type: local, sort: total, warm_throughput: { read: 12000 } }\n"), &["[lsi-warm-throughput]", "spec.yaml:7:"]),
        ("schedule-invalid", table("    access: [{ op: scan, rate: 1/day, schedule: { start: \"25:00\" } }]\n"), &["[schedule-invalid]", "`25:00`"]),
        ("warm-throughput-zero", table("    warm_throughput: { read: 0, write: 4000 }\n"), &["[warm-throughput-zero]", "`read: 0`"]),
        // A GSI's key skew is validated as the table's.
        ("gsi-key-skew-empty", table("    indexes:\n      - { name: by_total, type: global, keys: { partition: total }, key_skew: {} }\n"), &["[key-skew-empty]", "spec.yaml:7:79"]),
        ("gsi-without-partition-key", table("    indexes:\n      - { name: by_total, type: global, sort: total }\n"), &["[gsi-without-partition-key]"]),
        ("index-name-duplicate", table(&format!("    indexes:\n{}{}", gsi(1), gsi(1))), &["[index-name-duplicate]"]),
        ("index-name-invalid", table("    indexes:\n      - { name: ix, type: global, keys: { partition: a } }\n"), &["[index-name-invalid]"]),
        // §3.1 [GSI]: GSI reads are eventually consistent only.
        ("strong-read-on-gsi", table(&format!("    indexes:\n{}    access:\n      - {{ op: query, index: gsi01, rate: 5/s, consistency: strong }}\n", gsi(1))), &["[strong-read-on-gsi]", "spec.yaml:9:"]),
        ("index-on-non-query", table(&format!("    indexes:\n{}    access:\n      - {{ op: get, index: gsi01, rate: 5/s }}\n", gsi(1))), &["[index-on-non-query]"]),
        ("unknown-index", table("    access:\n      - { op: query, index: by_status, rate: 5/s }\n"), &["[unknown-index]", "spec.yaml:7:"]),
        ("unknown-index-in-changes", table("    access:\n      - { op: update, rate: 5/s, changes: [by_status] }\n"), &["[unknown-index]"]),
        ("changes-invalid-op", table(&format!("    indexes:\n{}    access:\n      - {{ op: delete, rate: 5/s, changes: [gsi01] }}\n", gsi(1))), &["[changes-invalid-op]"]),
        // §9 [TX]: transactional reads are TransactGetItems.
        ("transactional-on-read", table("    access:\n      - { op: get, rate: 5/s, transactional: true }\n"), &["[transactional-on-read]"]),
        ("consistency-on-write", table("    access:\n      - { op: put, rate: 5/s, consistency: strong }\n"), &["[consistency-on-write]"]),
        // §11.3 [CONS]: BatchGetItem ≤ 100, BatchWriteItem ≤ 25; §9: transactions ≤ 100 items.
        ("batch-get-101", table("    access:\n      - { op: batch_get, rate: 1/s, items: 101 }\n"), &["[too-many-items]", "100"]),
        ("batch-write-26", table("    access:\n      - { op: batch_write, rate: 1/s, items: 26 }\n"), &["[too-many-items]", "25"]),
        ("transact-write-101", table("    access:\n      - { op: transact_write, rate: 1/s, items: 101 }\n"), &["[too-many-items]"]),
        ("single-item-op", table("    access:\n      - { op: get, rate: 1/s, items: 5 }\n"), &["[single-item-op]"]),
        // §3.1 [QUOTA]: at most 100 INCLUDE attributes over all indexes of a table.
        ("too-many-projected-attributes", table(&format!("    indexes:\n      - {{ name: gsi01, type: global, keys: {{ partition: a }}, projection: {{ include: [{}] }} }}\n      - {{ name: gsi02, type: global, keys: {{ partition: b }}, projection: {{ include: [{}] }} }}\n", (0..60).map(|i| format!("x{i}")).collect::<Vec<_>>().join(", "), (0..41).map(|i| format!("y{i}")).collect::<Vec<_>>().join(", "))), &["[too-many-projected-attributes]", "101"]),
        // §5.1 [AS]: target utilization 20-90%.
        ("autoscaling-target-out-of-range", table("    autoscaling: { target: 95% }\n"), &["[autoscaling-target-out-of-range]", "spec.yaml:6:"]),
        ("autoscaling-min-over-max", table("    autoscaling: { target: 70%, min_read: 500, max_read: 100 }\n"), &["[autoscaling-min-over-max]"]),
        // §8 [GTHOW]: MRSC has exactly 3 Regions and no TTL, LSIs or transactions.
        ("mrsc-regions", table("    global: { replicas: [eu-west-1], consistency: strong }\n"), &["[mrsc-regions]", "lists 1 replica besides `us-east-1`"]),
        ("mrsc-ttl", table("    global: { replicas: [us-east-2, us-west-2], consistency: strong }\n    ttl: { retention: 30d }\n"), &["[mrsc-unsupported]", "TTL"]),
        ("mrsc-lsi", table("    global: { replicas: [us-east-2, us-west-2], consistency: strong }\n    indexes:\n      - { name: by_total, type: local, sort: total }\n"), &["[mrsc-unsupported]", "local secondary"]),
        ("mrsc-transactions", table("    global: { replicas: [us-east-2, us-west-2], consistency: strong }\n    access:\n      - { op: transact_write, rate: 1/s, items: 2 }\n"), &["[mrsc-unsupported]", "transactions"]),
        ("replica-region-duplicate", table("    global: { replicas: [us-east-1, eu-west-1] }\n"), &["[replica-region-duplicate]"]),
        ("replica-region-invalid", table("    global: { replicas: [europe] }\n"), &["[region-invalid]"]),
        // §11.3 [CONS][STREAMS]: ≤ 2 readers per shard, ≤ 1 beside global-table replication.
        ("too-many-stream-readers", table("    streams: { view: new_image, readers: [lambda, lambda, application] }\n"), &["[too-many-stream-readers]", "3 stream readers on table", "at most 2 concurrent readers, more"]),
        ("stream-readers-global", table("    streams: { view: new_image, readers: [lambda, lambda] }\n    global: { replicas: [eu-west-1] }\n"), &["[too-many-stream-readers]", "at most 1 concurrent reader beside global-table replication"]),
        ("removes-invalid-op", table("    indexes: [{ name: by_x, type: global, keys: { partition: x } }]\n    access:\n      - { op: delete, rate: 1/s, removes: [by_x] }\n"), &["[removes-invalid-op]"]),
        ("action-invalid", table("    access:\n      - { op: batch_write, rate: 1/s, items: 5, action: update }\n"), &["[action-invalid]", "puts and deletes only"]),
        ("action-on-put", table("    access:\n      - { op: put, rate: 1/s, action: delete }\n"), &["[action-invalid]"]),
        ("removes-unknown-index", table("    access:\n      - { op: update, rate: 1/s, removes: [nope] }\n"), &["[unknown-index]", "spec.yaml:7:44"]),
        ("ttl-retention-zero", table("    ttl: { retention: 0s }\n"), &["[ttl-retention-zero]", "spec.yaml:6:"]),
        ("table-absurd", "region: us-east-1\ntables:\n  - name: orders\n    keys: { partition: pk }\n    items: { count: 18446744073709551615, size: 400KB }\n".into(), &["[table-absurd]", "spec.yaml:5:"]),
        ("rate-absurd", table("    access:\n      - { op: get, rate: 5000B/s }\n"), &["[rate-absurd]", "5,000,000,000"]),
        // `traffic.metrics` is read as the spec loads; its errors sit at the key (column 25).
        ("metrics-unreadable", table("    traffic: { metrics: metrics/missing.csv }\n"), &["[metrics-unreadable]", "spec.yaml:6:25", "metrics/missing.csv: cannot be read", "relative to the spec file"]),
        ("metrics-average", table("    traffic: { metrics: metrics/m.csv }\n"), &["[metrics-invalid]", "spec.yaml:6:25", "metrics/m.csv:1: `ConsumedReadCapacityUnits (Average)` holds the Average statistic", "export the metric with the Sum statistic"]),
        ("metrics-several-tables", table("    traffic: { metrics: metrics/m.csv }\n"), &["[metrics-invalid]", "has no metrics for table `orders`; it has a-table, b-table"]),
        ("traffic-conflict", table("    traffic: { metrics: metrics/m.csv, shape: diurnal, peak_to_mean: 3 }\n"), &["[traffic-conflict]", "spec.yaml:6:25", "so `shape`, `peak_to_mean` would be ignored", "drop `shape` and `peak_to_mean`"]),
        ("traffic-table-alone", table("    traffic: { table: orders }\n"), &["[traffic-conflict]", "spec.yaml:6:23", "names none"]),
        ("peak-to-mean-below-one", table("    traffic: { shape: diurnal, peak_to_mean: 0.5 }\n"), &["[peak-to-mean-below-one]", "spec.yaml:6:"]),
        ("peak-hour-invalid", table("    traffic: { shape: diurnal, peak_hour_utc: 24 }\n"), &["[peak-hour-invalid]"]),
        // Once caught only by `simulate`; now at load time, on the event's line.
        ("event-start-invalid", table("    traffic:\n      events:\n        - { name: sale, start: \"25:00\", duration: 1h }\n"), &["[event-start-invalid]", "spec.yaml:8:32", "`25:00`", "HH:MM"]),
        ("key-skew-empty", table("    key_skew: { zipf: 1 }\n"), &["[key-skew-empty]"]),
        ("hot-key-shares-over-100", table("    key_skew:\n      hot_keys: [{ share: 70% }, { share: 40% }]\n"), &["[hot-key-shares-over-100]", "110%"]),
        ("zipf-negative", table("    key_skew: { distinct_keys: 1M, zipf: -0.5 }\n"), &["[zipf-negative]"]),
        ("dax-nodes-zero", table("    dax: { nodes: 0, node_type: dax.r5.large, hit_ratio: 80% }\n"), &["[dax-nodes]"]),
        ("dax-nodes-twelve", table("    dax: { nodes: 12, node_type: dax.r5.large, hit_ratio: 80% }\n"), &["[dax-nodes]"]),
        // §7.2 [RECO][TC]: reserved capacity in 100-unit blocks, Standard class only.
        ("reserved-not-multiple-of-100", table("    reserved: { term: 1y, read: 150 }\n"), &["[reserved-not-multiple-of-100]"]),
        ("reserved-on-standard-ia", table("    table_class: standard_ia\n    reserved: { term: 3y, read: 100 }\n"), &["[reserved-on-standard-ia]"]),
        // §11.3 [QUOTA]: at least 1 RCU and 1 WCU.
        ("provisioned-zero", table("    provisioned: { read: 0, write: 5 }\n"), &["[provisioned-zero]", "spec.yaml:6:"]),
        // Several problems are all reported in one run.
        ("many-at-once", table("    provisioned: { read: 0, write: 0 }\n    autoscaling: { target: 10% }\n    access:\n      - { op: get, rate: 1/s, items: 3 }\n"), &["[provisioned-zero]", "[autoscaling-target-out-of-range]", "[single-item-op]", "4 errors"]),
    ];
    assert!(cases.len() >= 50);
    for (name, text, expected) in &cases {
        assert_rejected(name, text, expected);
    }
}

/// Warnings never fail validation: exit 0, "ok", and the warning with its code on stderr.
#[test]
fn warnings_pass_with_their_code() {
    let gsis: String = (0..21)
        .map(|i| {
            format!("      - {{ name: gsi{i:02}, type: global, keys: {{ partition: a{i} }} }}\n")
        })
        .collect();
    let cases: Vec<(&str, String, &str)> = vec![
        // §3.1 [QUOTA]: 20 GSIs is an adjustable quota.
        ("too-many-gsis", table(&format!("    indexes:\n{gsis}")), "[too-many-gsis]"),
        ("rate-zero", table("    access:\n      - { op: get, rate: 0/s }\n"), "[rate-zero]"),
        ("hot-keys-leave-a-share", table("    key_skew: { distinct_keys: 2, hot_keys: [{ share: 30% }, { share: 30% }] }\n"), "[hot-keys-leave-a-share]"),
        ("dax-hit-ratio-100", table("    access:\n      - { op: get, rate: 5/s }\n    dax: { nodes: 3, node_type: dax.r5.large, hit_ratio: 100% }\n"), "[dax-hit-ratio-100]"),
        // §7.4 [DAX]: strong reads pass through DAX uncached.
        ("dax-no-eventual-reads", table("    access:\n      - { op: get, rate: 5/s, consistency: strong }\n    dax: { nodes: 3, node_type: dax.r5.large, hit_ratio: 80% }\n"), "[dax-no-eventual-reads]"),
    ];
    for (name, text, code) in cases {
        let (exit, stderr) = validate(name, &text);
        assert_eq!(exit, 0, "{name}\n{stderr}");
        assert!(
            stderr.contains(code) && located(&stderr),
            "{name}: expected {code} in\n{stderr}"
        );
    }
}

#[test]
fn stdin_specs_are_named_stdin() {
    let output = Command::cargo_bin("capacity-plan")
        .unwrap()
        .args(["validate", "-"])
        .write_stdin(table("    tabel_class: standard\n"))
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("<stdin>:6:5"), "{stderr}");
}
