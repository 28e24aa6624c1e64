//! `capacity-plan import` over real describe-table outputs, a Terraform plan and CloudFormation
//! templates (tests/fixtures/import/README.md gives their sources): each imports into a spec
//! that loads, validates and plans, with the keys, indexes, modes and capacities the file states.

mod common;

use capacity_plan::workload::model::{CapacityChoice, IndexKind, Projection};
use capacity_plan::{load, plan_with, CapacityMode, Catalog, PlanOptions, PlanReport, Workload};
use common::run;
use rust_decimal::Decimal;

const DIR: &str = "tests/fixtures/import";

/// Imports `files` with `args` through the binary, then loads and plans the spec it wrote.
fn import(files: &[&str], args: &[&str]) -> (String, Workload, PlanReport) {
    let paths: Vec<String> = files.iter().map(|f| format!("{DIR}/{f}")).collect();
    let mut argv = vec!["import"];
    argv.extend(paths.iter().map(String::as_str));
    argv.extend(args);
    let (code, spec, err) = run(&argv, "");
    assert_eq!(code, 0, "{argv:?}: {err}");
    let workload = load(&spec, "imported.yaml", None).unwrap_or_else(|e| panic!("{e}\n{spec}"));
    let report = plan_with(
        &workload,
        &Catalog::builtin().unwrap(),
        &PlanOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}\n{spec}"));
    (spec, workload, report)
}

/// The provisioned capacity the plan prices for a table (`None`) or GSI, as (read, write).
fn provisioned(report: &PlanReport, index: Option<&str>) -> (Decimal, Decimal) {
    let mode = report.costs[0]
        .modes
        .iter()
        .find(|m| m.mode == CapacityMode::Provisioned)
        .expect("provisioned is priced");
    let c = mode
        .capacity
        .iter()
        .find(|c| c.index.as_deref() == index)
        .expect("capacity for the target");
    (c.read, c.write)
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// aws-cli's documented describe-table (MusicCollection: Artist/SongTitle, 5 RCU / 5 WCU) with
/// its companions: PITR DISABLED (continuous backups ENABLED is a different setting), TTL on
/// `ttl`, replica autoscaling min 5 / max 40,000 / 70% for reads and writes, and the global
/// table's replication group us-east-2 + us-east-1.
#[test]
fn describe_table_with_its_companions() {
    let (spec, workload, report) = import(
        &[
            "aws-cli-describe-table.json",
            "aws-cli-describe-continuous-backups.json",
            "aws-cli-describe-time-to-live.json",
            "aws-cli-describe-table-replica-auto-scaling.json",
            "aws-cli-describe-global-table.json",
        ],
        &["--region", "us-east-1"],
    );
    let t = &workload.spec.tables[0].value;
    assert_eq!(t.name, "MusicCollection");
    assert_eq!(t.keys.partition, "Artist");
    assert_eq!(t.keys.sort.as_deref(), Some("SongTitle"));
    assert_eq!(t.capacity, CapacityChoice::Autoscaling);
    let p = t.provisioned.as_ref().unwrap().value;
    assert_eq!((p.read, p.write), (5, 5));
    let a = &t.autoscaling.as_ref().unwrap().value;
    assert_eq!(a.target.value.0, dec(70) / dec(100));
    assert_eq!(
        (a.min_read, a.max_read, a.min_write, a.max_write),
        (Some(5), Some(40_000), Some(5), Some(40_000))
    );
    assert!(t.backups.as_ref().is_none_or(|b| !b.pitr));
    assert_eq!(t.global.as_ref().unwrap().value.replicas, ["us-east-2"]);
    assert!(spec.contains("# TTL deletes items by `ttl`"), "{spec}");
    assert_eq!(provisioned(&report, None), (dec(5), dec(5)));
}

/// LocalStack's describe-table recorded against AWS, provisioned: table 5/5, GSI
/// `TransactionRecordID` on TRID (ALL) at 1/1. The provisioned mode's monthly bill is
/// (6 RCU × $0.00013 + 6 WCU × $0.00065) × 730 h = $3.4164 at us-east-1's published hourly
/// prices (Amazon DynamoDB pricing, provisioned capacity); with no items, nothing else is billed.
#[test]
fn provisioned_describe_table_keeps_the_gsi_capacity() {
    let (_, workload, report) = import(
        &["localstack-describe-table-gsi-provisioned.json"],
        &["--region", "us-east-1", "--name", "transactions"],
    );
    let t = &workload.spec.tables[0].value;
    assert_eq!(t.capacity, CapacityChoice::Provisioned);
    assert_eq!(t.keys.partition, "TID");
    let gsi = &t.indexes[0].value;
    assert_eq!(gsi.name, "TransactionRecordID");
    assert_eq!(gsi.kind, IndexKind::Global);
    assert_eq!(
        gsi.keys.as_ref().unwrap().partition.as_deref(),
        Some("TRID")
    );
    assert_eq!(gsi.projection, Projection::All);
    assert_eq!(provisioned(&report, None), (dec(5), dec(5)));
    assert_eq!(
        provisioned(&report, Some("TransactionRecordID")),
        (dec(1), dec(1))
    );
    let bill = report.costs[0]
        .modes
        .iter()
        .find(|m| m.mode == CapacityMode::Provisioned)
        .unwrap()
        .bill
        .total();
    assert_eq!(bill.round_dp(4), Decimal::new(34164, 4));
}

/// The on-demand twin: PAY_PER_REQUEST, warm throughput 12,000 reads / 4,000 writes a second.
#[test]
fn on_demand_describe_table_keeps_warm_throughput() {
    let (_, workload, _) = import(
        &["localstack-describe-table-gsi-pay-per-request.json"],
        &["--region", "us-east-1", "--name", "transactions"],
    );
    let t = &workload.spec.tables[0].value;
    assert_eq!(t.capacity, CapacityChoice::OnDemand);
    assert!(t.provisioned.is_none());
    let warm = t.warm_throughput.as_ref().unwrap();
    assert_eq!((warm.read, warm.write), (Some(12_000), Some(4_000)));
    assert_eq!(t.indexes.len(), 1);
    assert!(t.indexes[0].value.provisioned.is_none());
}

/// The deployed table of the SSE global-table template: pk/sk, GSI1 on gsi1pk/gsi1sk,
/// on-demand, STANDARD class.
#[test]
fn global_table_describe_output() {
    let (_, workload, _) = import(
        &["localstack-describe-table-globaltable-gsi-sse-tableclass.json"],
        &["--region", "us-east-1", "--name", "my-table"],
    );
    let t = &workload.spec.tables[0].value;
    assert_eq!(t.capacity, CapacityChoice::OnDemand);
    assert_eq!(
        (t.keys.partition.as_str(), t.keys.sort.as_deref()),
        ("pk", Some("sk"))
    );
    let gsi = t.indexes[0].value.keys.as_ref().unwrap();
    assert_eq!(
        (gsi.partition.as_deref(), gsi.sort.as_deref()),
        (Some("gsi1pk"), Some("gsi1sk"))
    );
}

/// Its template imports to the same table, with the template's TTL (`expire_at`) and the
/// replica's PITR; the minimal GlobalTable template beside it is a second table.
#[test]
fn cloudformation_global_tables() {
    let (spec, workload, _) = import(
        &[
            "localstack-cfn-dynamodb_global_table_sse_enabled.yml",
            "localstack-cfn-dynamodb_global_table.yml",
        ],
        &["--region", "us-east-1"],
    );
    let tables = &workload.spec.tables;
    let t = &tables[0].value;
    assert_eq!(t.name, "MyTable");
    assert_eq!(t.capacity, CapacityChoice::OnDemand);
    assert_eq!(t.indexes[0].value.name, "GSI1");
    assert!(t.backups.as_ref().unwrap().pitr);
    assert!(
        spec.contains("# TTL deletes items by `expire_at`"),
        "{spec}"
    );
    // No TableName: CloudFormation names it after the logical ID.
    assert_eq!(tables[1].value.name, "Table");
    assert_eq!(tables[1].value.keys.partition, "keyName");
}

/// `BillingMode: Fn::If [ShouldUsePayPerRequestBilling, PAY_PER_REQUEST, AWS::NoValue]` with
/// the condition `!Equals [!Ref BillingModeParameter, PAY_PER_REQUEST]`: the parameter decides
/// between on-demand and 5/5 provisioned; without it the error names the parameter.
#[test]
fn cloudformation_conditions_follow_the_parameter() {
    let file = ["localstack-cfn-dynamodb_billing_conditional.yml"];
    let on_demand = &[
        "--region",
        "us-east-1",
        "--parameter",
        "BillingModeParameter=PAY_PER_REQUEST",
    ];
    let (_, w, _) = import(&file, on_demand);
    assert_eq!(w.spec.tables[0].value.capacity, CapacityChoice::OnDemand);
    assert!(w.spec.tables[0].value.streams.is_some());
    let provisioned_args = &[
        "--region",
        "us-east-1",
        "--parameter",
        "BillingModeParameter=PROVISIONED",
    ];
    let (_, w, report) = import(&file, provisioned_args);
    assert_eq!(w.spec.tables[0].value.capacity, CapacityChoice::Provisioned);
    assert_eq!(provisioned(&report, None), (dec(5), dec(5)));
    let (code, _, err) = run(
        &[
            "import",
            &format!("{DIR}/{}", file[0]),
            "--region",
            "us-east-1",
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("parameter `BillingModeParameter` has no Default; pass --parameter BillingModeParameter=VALUE"),
        "{err}"
    );
}

/// infracost's `terraform show -json` plan: `aws_dynamodb_table.autoscale_dynamodb_table`
/// (GameScores, UserId/GameTitle, 30 RCU / 20 WCU) with the write target min 6 / max 99 that
/// refers to it; the read target names `table/LiteralTableRef`, which the plan does not define,
/// and is skipped with a warning. The provider's Region is us-east-1.
#[test]
fn terraform_plan_json() {
    let (spec, workload, report) = import(
        &["infracost-breakdown_with_policy_data_upload-plan.json"],
        &[],
    );
    assert_eq!(workload.spec.region.value, "us-east-1");
    let t = &workload.spec.tables[0].value;
    assert_eq!(t.name, "GameScores");
    assert_eq!(t.capacity, CapacityChoice::Autoscaling);
    let a = &t.autoscaling.as_ref().unwrap().value;
    assert_eq!(
        (a.min_read, a.min_write, a.max_write),
        (None, Some(6), Some(99))
    );
    assert!(spec.contains("no scaling policy was given"), "{spec}");
    assert_eq!(provisioned(&report, None), (dec(30), dec(20)));
    let path = format!("{DIR}/infracost-breakdown_with_policy_data_upload-plan.json");
    let (_, _, err) = run(&["import", &path], "");
    assert!(
        err.contains("skipped settings for table `LiteralTableRef`"),
        "{err}"
    );
}

/// Files that describe no table, or a name DynamoDB refuses, fail with the fix.
#[test]
fn unimportable_inputs_name_the_fix() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["aws-cli-describe-scaling-policies-ecs.json"],
            "holds no DynamoDB scaling policy or target",
        ),
        (
            &["aws-cli-describe-time-to-live.json"],
            "no table definition among the files",
        ),
        (
            &[
                "localstack-describe-table-gsi-provisioned.json",
                "--region",
                "us-east-1",
            ],
            "table name `<table-name:1>` is not valid",
        ),
        (&["aws-cli-describe-table.json"], "pass --region"),
    ];
    for (args, expected) in cases {
        let mut argv = vec!["import".to_string(), format!("{DIR}/{}", args[0])];
        argv.extend(args[1..].iter().map(|s| s.to_string()));
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let (code, out, err) = run(&argv, "");
        assert_ne!(code, 0, "{argv:?}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains(expected), "{argv:?}: {err}");
    }
}

/// The provider docs' HCL: GameScores (UserId/GameTitle, 20/20) with GSI GameTitleIndex on
/// GameTitle/TopScore, INCLUDE [UserId], 10/10, TTL on TimeToExist; and `example`, on-demand,
/// streams NEW_AND_OLD_IMAGES, replicas in us-east-2 and us-west-2.
#[test]
fn terraform_hcl_literals() {
    let (spec, workload, report) = import(
        &["terraform-provider-aws-docs-basic-example.tf"],
        &["--region", "us-east-1"],
    );
    let [scores, example] = &workload.spec.tables[..] else {
        panic!("two tables: {spec}")
    };
    let gsi = &scores.value.indexes[0].value;
    assert_eq!(gsi.name, "GameTitleIndex");
    assert_eq!(gsi.projection, Projection::Include(vec!["UserId".into()]));
    let p = gsi.provisioned.as_ref().unwrap().value;
    assert_eq!((p.read, p.write), (10, 10));
    assert_eq!(provisioned(&report, None), (dec(20), dec(20)));
    assert!(
        spec.contains("# TTL deletes items by `TimeToExist`"),
        "{spec}"
    );
    assert_eq!(example.value.capacity, CapacityChoice::OnDemand);
    assert!(example.value.streams.is_some());
    assert_eq!(
        example.value.global.as_ref().unwrap().value.replicas,
        ["us-east-2", "us-west-2"]
    );
}

/// infracost's HCL test file: six tables, five sharing the DynamoDB name GameScores (so named by
/// their addresses), the provider's Region us-east-2 with replicas us-east-2 + us-west-1, and
/// autoscaling targets matched through `table/${aws_dynamodb_table.X.name}`: min 5 / max 100
/// reads and 6 / 99 writes for autoscale_dynamodb_table, 56 / 72 reads for LiteralTableRef.
#[test]
fn terraform_hcl_with_autoscaling_targets() {
    let (_, workload, _) = import(&["infracost-dynamodb_table_test.tf"], &[]);
    assert_eq!(workload.spec.region.value, "us-east-2");
    let tables = &workload.spec.tables;
    let names: Vec<&str> = tables.iter().map(|t| t.value.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "my_dynamodb_table_usage",
            "my_dynamodb_table",
            "my_dynamodb_table_with_no_billing_mode",
            "autoscale_dynamodb_table",
            "autoscale_dynamodb_table_usage",
            "LiteralTableRef"
        ]
    );
    assert_eq!(tables[0].value.capacity, CapacityChoice::OnDemand);
    assert_eq!(
        tables[0].value.global.as_ref().unwrap().value.replicas,
        ["us-west-1"]
    );
    assert!(tables[0].value.backups.as_ref().unwrap().pitr);
    // No billing_mode is PROVISIONED, the provider's default.
    assert_eq!(tables[2].value.capacity, CapacityChoice::Provisioned);
    let scaling = |i: usize| {
        let a = &tables[i].value.autoscaling.as_ref().unwrap().value;
        (a.min_read, a.max_read, a.min_write, a.max_write)
    };
    assert_eq!(scaling(3), (Some(5), Some(100), Some(6), Some(99)));
    assert_eq!(scaling(4), (Some(8), Some(97), Some(7), Some(98)));
    assert_eq!(scaling(5), (Some(56), Some(72), None, None));
}

/// An HCL value that is an expression is named, with its line, where import needs it.
#[test]
fn hcl_expressions_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let tf = dir.path().join("main.tf");
    std::fs::write(
        &tf,
        "resource \"aws_dynamodb_table\" \"t\" {\n  name = \"orders\"\n  billing_mode = \"PROVISIONED\"\n  read_capacity = var.rcu\n  write_capacity = 5\n  hash_key = \"id\"\n}\n",
    )
    .unwrap();
    let (code, _, err) = run(
        &["import", tf.to_str().unwrap(), "--region", "us-east-1"],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("read_capacity: `var.rcu` (line 4) is an expression"),
        "{err}"
    );
}

/// The cost lines of `table`'s `mode` as (name, quantity, amount); `None` is unpriced.
fn lines(report: &PlanReport, table: &str, mode: &str) -> Vec<(String, Decimal, Option<Decimal>)> {
    let json = serde_json::to_value(report).unwrap();
    let costs = json["costs"].as_array().unwrap();
    let t = costs.iter().find(|c| c["table"] == table).unwrap();
    let m = t["modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["mode"] == mode)
        .unwrap();
    // Money is a decimal string, a quantity a JSON number; an unpriced amount is `null`.
    let dec = |v: &serde_json::Value| serde_json::from_value::<Option<Decimal>>(v.clone()).unwrap();
    m["bill"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().to_string(),
                dec(&l["quantity"]).unwrap(),
                dec(&l["amount"]),
            )
        })
        .collect()
}

/// Infracost's Terraform test file with its usage file, planned. Hand-computed at the
/// catalog's prices (Amazon DynamoDB pricing, provisioned capacity; us-east-2 $0.00013 per
/// RCU-hour and $0.00065 per replicated WCU-hour, us-west-1 $0.000145 and $0.000725; 730 h):
/// `my_dynamodb_table`, 30 RCU / 20 WCU replicated to us-west-1, costs
/// 30 × 0.00013 × 730 = 2.847, 20 × 0.00065 × 730 = 9.49, 30 × 0.000145 × 730 = 3.1755 and
/// 20 × 0.000725 × 730 = 10.585: $26.0975 a month.
/// `my_dynamodb_table_usage` (on-demand) takes Infracost's usage: 8,000,000 read and
/// 3,000,000 write request units a month, 230 GB stored, 460 GB of backups, 230 GB restored.
/// Those are priced at us-east-2's on-demand prices (below); the us-west-1 replica's lines and
/// the replication transfer have no catalog price, so they stay unpriced (never $0) and the
/// bill says it is incomplete; docs/import.md names the lines Infracost prices that this plan
/// does not.
#[test]
fn terraform_with_an_infracost_usage_file() {
    let (_, workload, report) = import(
        &["infracost-dynamodb_table_test.tf"],
        &[
            "--usage",
            "tests/fixtures/import/infracost-dynamodb_table_test.usage.yml",
        ],
    );
    let provisioned = lines(&report, "my_dynamodb_table", "provisioned");
    let amounts: Vec<Option<Decimal>> = provisioned.iter().map(|l| l.2).collect();
    assert_eq!(
        amounts,
        [
            Some(Decimal::new(2847, 3)),
            Some(Decimal::new(949, 2)),
            Some(Decimal::new(31755, 4)),
            Some(Decimal::new(10585, 3))
        ]
    );
    let usage_table = &workload.spec.tables[0].value;
    assert_eq!(usage_table.items.count.0, 230 << 20);
    let on_demand = lines(&report, "my_dynamodb_table_usage", "on_demand");
    let quantity = |name: &str| {
        on_demand
            .iter()
            .find(|l| l.0 == format!("my_dynamodb_table_usage: {name}"))
            .unwrap_or_else(|| panic!("{name}: {on_demand:?}"))
            .clone()
    };
    assert_eq!(quantity("on-demand reads (table)").1, dec(8_000_000));
    assert_eq!(
        quantity("replicated writes (table)").1.round_dp(6),
        dec(3_000_000)
    );
    assert_eq!(quantity("storage").1, dec(230));
    // us-east-2 list prices (Amazon DynamoDB pricing, on-demand): $0.125 per million RRU,
    // $0.625 per million rWRU, $0.25 per GB-month stored, $0.20 PITR, $0.10 backup, $0.15
    // per GB restored: 8 × 0.125 = $1, 3 × 0.625 = $1.875, 230 × 0.25 = $57.50,
    // 230 × 0.20 = $46, 460 × 0.10 = $46, 230 × 0.15 = $34.50.
    let amount = |name: &str| quantity(name).2.map(|a| a.round_dp(6));
    assert_eq!(amount("on-demand reads (table)"), Some(dec(1)));
    assert_eq!(
        amount("replicated writes (table)"),
        Some(Decimal::new(1875, 3))
    );
    assert_eq!(amount("storage"), Some(Decimal::new(575, 1)));
    assert_eq!(amount("point-in-time recovery"), Some(dec(46)));
    assert_eq!(amount("on-demand backups"), Some(dec(46)));
    assert_eq!(amount("restores"), Some(Decimal::new(345, 1)));
    // The catalog has no us-west-1 on-demand or storage price, nor a us-east-2 transfer
    // price: those lines stay unpriced, never $0.
    let unpriced: Vec<&str> = on_demand
        .iter()
        .filter(|l| l.2.is_none())
        .map(|l| l.0.as_str())
        .collect();
    assert_eq!(
        unpriced,
        [
            "my_dynamodb_table_usage: cross-Region transfer",
            "my_dynamodb_table_usage (us-west-1 replica): replicated writes (table)",
            "my_dynamodb_table_usage (us-west-1 replica): storage"
        ]
    );
    let (code, _, err) = run(
        &[
            "import",
            "tests/fixtures/import/infracost-dynamodb_table_test.tf",
            "--usage",
            "tests/fixtures/import/infracost-dynamodb_table_test.usage.yml",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(
        err.contains("monthly_streams_read_request_units, pitr_backup_storage_gb not read"),
        "{err}"
    );
}

/// The example beside the specs: a Terraform table and its usage file become a spec that plans
/// with the usage file's patterns: 400 gets/s, 80 queries/s on by_order_id, 120 puts/s.
#[test]
fn the_terraform_example_plans_with_its_usage_file() {
    let paths = [
        "specs/terraform/main.tf",
        "--usage",
        "specs/terraform/usage.yml",
    ];
    let (code, spec, err) = run(&[&["import"][..], &paths].concat(), "");
    assert_eq!(code, 0, "{err}");
    let workload = load(&spec, "orders.yaml", None).unwrap();
    let t = &workload.spec.tables[0].value;
    assert_eq!(t.name, "orders");
    let rates: Vec<String> = t
        .access
        .iter()
        .map(|a| a.value.rate.value.to_string())
        .collect();
    assert_eq!(rates, ["400/s", "80/s", "120/s"]);
    assert!(t.backups.as_ref().unwrap().pitr);
    let (code, _, err) = run(&["validate", "-"], &spec);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
}

/// `plan`, `check` and `diff` take the Terraform file itself with `--usage`: the plan is the
/// imported spec's, a budget below its cost fails the check (exit 3), and the diff between the
/// example and the provider docs' file with the same usage names the tables that change.
#[test]
fn plan_check_and_diff_take_terraform_with_a_usage_file() {
    let usage = ["--usage", "specs/terraform/usage.yml"];
    let (code, imported, _) = run(
        &[&["import", "specs/terraform/main.tf"][..], &usage].concat(),
        "",
    );
    assert_eq!(code, 0);
    let (code, direct, err) = run(
        &[
            &["plan", "specs/terraform/main.tf", "--format", "json"][..],
            &usage,
        ]
        .concat(),
        "",
    );
    assert_eq!(code, 0, "{err}");
    let (_, via_stdin, _) = run(&["plan", "-", "--format", "json"], &imported);
    let total = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json).unwrap()["total_monthly"].clone()
    };
    assert_eq!(total(&direct), total(&via_stdin));
    let (code, _, err) = run(
        &[
            &["check", "specs/terraform/main.tf", "--max-monthly", "1"][..],
            &usage,
        ]
        .concat(),
        "",
    );
    assert_eq!(code, 3, "{err}");
    let (code, out, err) = run(
        &[
            &[
                "diff",
                "specs/terraform/main.tf",
                "tests/fixtures/import/terraform-provider-aws-docs-basic-example.tf",
            ][..],
            &usage,
        ]
        .concat(),
        "",
    );
    // The docs' file has no Region: the usage file here does not give one either.
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("set `region:` in the usage file"), "{err}");
    // The pull request projects every attribute into the GSI: each put now writes the whole
    // item (2 KB, 2 units) to the index instead of its keys (1 unit) [GSI].
    let dir = tempfile::tempdir().unwrap();
    let tf = std::fs::read_to_string("specs/terraform/main.tf").unwrap();
    let changed = tf.replace("\"KEYS_ONLY\"", "\"ALL\"");
    assert_ne!(changed, tf);
    let new = dir.path().join("main.tf");
    std::fs::write(&new, changed).unwrap();
    let (code, out, err) = run(
        &[
            &[
                "diff",
                "specs/terraform/main.tf",
                new.to_str().unwrap(),
                "--format",
                "json",
            ][..],
            &usage,
        ]
        .concat(),
        "",
    );
    assert_eq!(code, 0, "{err}");
    // 120 puts/s × 2,628,000 s (730 h) = 315,360,000 index writes a month; at us-east-1's
    // $0.625 per million WRU, 1 unit each is $197.10 and 2 units $394.20.
    let diff: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lines = diff["diff"]["tables"][0]["lines"].as_array().unwrap();
    let gsi = lines
        .iter()
        .find(|l| l["name"] == "orders: on-demand writes (GSI by_order_id)")
        .unwrap();
    assert_eq!(
        (gsi["before"].as_str(), gsi["after"].as_str()),
        (Some("197.1"), Some("394.2"))
    );
}

/// A NoSQL Workbench model, in the shape its Data Modeler exports: table `OnlineShop` on PK/SK,
/// provisioned 5/5 with autoscaling 1–10 at 70%, GSI1 on GSI1_PK/GSI1_SK (ALL), and two sample
/// items whose sizes are the attribute names plus the values' UTF-8 bytes [SIZE]:
/// PK (2) + "a1" (2) + data (4) + 10 = 18 B and 2 + 2 + 4 + 20 = 28 B, so 23 B on average.
#[test]
fn nosql_workbench_model() {
    let model = r#"{"ModelName": "OnlineShop", "DataModel": [{
        "TableName": "OnlineShop",
        "KeyAttributes": {"PartitionKey": {"AttributeName": "PK", "AttributeType": "S"},
                          "SortKey": {"AttributeName": "SK", "AttributeType": "S"}},
        "GlobalSecondaryIndexes": [{"IndexName": "GSI1",
            "KeyAttributes": {"PartitionKey": {"AttributeName": "GSI1_PK", "AttributeType": "S"},
                              "SortKey": {"AttributeName": "GSI1_SK", "AttributeType": "S"}},
            "Projection": {"ProjectionType": "ALL"}}],
        "TableData": [{"PK": {"S": "a1"}, "data": {"S": "xxxxxxxxxx"}},
                      {"PK": {"S": "b2"}, "data": {"S": "xxxxxxxxxxxxxxxxxxxx"}}],
        "DataAccess": {"MySql": {}},
        "BillingMode": "PROVISIONED",
        "ProvisionedCapacitySettings": {
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            "AutoScalingRead": {"ScalableTargetRequest": {"MinCapacity": 1, "MaxCapacity": 10},
                                "ScalingPolicyConfiguration": {"TargetValue": 70}},
            "AutoScalingWrite": {"ScalableTargetRequest": {"MinCapacity": 1, "MaxCapacity": 10},
                                 "ScalingPolicyConfiguration": {"TargetValue": 70}}}}]}"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.json");
    std::fs::write(&path, model).unwrap();
    let (code, spec, err) = run(
        &["import", path.to_str().unwrap(), "--region", "us-east-1"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let workload = load(&spec, "model.yaml", None).unwrap();
    let t = &workload.spec.tables[0].value;
    assert_eq!(
        (t.keys.partition.as_str(), t.keys.sort.as_deref()),
        ("PK", Some("SK"))
    );
    assert_eq!(t.capacity, CapacityChoice::Autoscaling);
    let a = &t.autoscaling.as_ref().unwrap().value;
    assert_eq!(
        (a.min_read, a.max_read, a.min_write, a.max_write),
        (Some(1), Some(10), Some(1), Some(10))
    );
    assert_eq!(t.indexes[0].value.name, "GSI1");
    assert_eq!(t.items.size.as_ref().unwrap().value.bytes(), 23);
    assert!(
        spec.contains("the average of the model's 2 sample items"),
        "{spec}"
    );
}

/// A plan's `aws_dax_cluster` (3 × dax.r5.large) is named in the spec for the user to place:
/// DAX is not tied to one table, and its hit ratio is the user's to give.
#[test]
fn terraform_dax_clusters_are_named_for_the_user_to_place() {
    let plan = r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": [
        {"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table",
         "values": {"name": "orders", "hash_key": "id", "billing_mode": "PAY_PER_REQUEST"}},
        {"address": "aws_dax_cluster.cache", "type": "aws_dax_cluster",
         "values": {"cluster_name": "cache", "node_type": "dax.r5.large", "replication_factor": 3}}]}}}"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, plan).unwrap();
    let (code, spec, err) = run(
        &["import", path.to_str().unwrap(), "--region", "us-east-1"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        spec.contains("# aws_dax_cluster.cache: a DAX cluster of 3 × dax.r5.large.")
            && spec.contains("#   dax: { nodes: 3, node_type: dax.r5.large, hit_ratio: FILL }"),
        "{spec}"
    );
    assert!(load(&spec, "orders.yaml", None).unwrap().spec.tables[0]
        .value
        .dax
        .is_none());
}
