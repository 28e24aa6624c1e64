//! A plan reconciled with a hand-made Cost and Usage Report (tests/fixtures/cur/README.md):
//! every figure below is worked by hand from the catalog's us-east-1 prices in
//! data/prices.json, which are AWS's published ones ([PRICE-PROV]: $0.00013 per RCU-hour,
//! $0.00065 per WCU-hour, $0.25 per GB-month of Standard storage; [PRICE-OD]: $0.125 per
//! million read request units).

mod common;

use capacity_plan::capacity::{CapacityMode, TableClass};
use capacity_plan::check::{reconcile, running_mode, LineReconciliation, Side};
use capacity_plan::import::cur::{read, BilledLine};
use capacity_plan::pricing::PriceKey;
use capacity_plan::render::{reconcile as render, Terminal};
use capacity_plan::{load, plan_with, Catalog, PlanOptions, PlanReport};
use rust_decimal::{dec, Decimal};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cur");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()
}

fn plan() -> PlanReport {
    let workload = load(&fixture("orders.yaml"), "orders.yaml", None).unwrap();
    plan_with(
        &workload,
        &Catalog::builtin().unwrap(),
        &PlanOptions::default(),
    )
    .unwrap()
}

fn billed() -> Vec<BilledLine> {
    read(&fixture("orders-cur.csv"), "orders-cur.csv").unwrap()
}

const RCU: PriceKey = PriceKey::ProvisionedRcuHour(TableClass::Standard);
const WCU: PriceKey = PriceKey::ProvisionedWcuHour(TableClass::Standard);
const STORAGE: PriceKey = PriceKey::Storage(TableClass::Standard);

/// The two half-month read lines are summed, the S3 line is dropped, the unpriced data
/// transfer line is kept without a price name, and `audit`'s Region is its ARN's.
#[test]
fn the_bill_is_summed_per_table_region_and_price() {
    let lines = billed();
    let got: Vec<(&str, &str, Option<PriceKey>, Decimal, Decimal)> = lines
        .iter()
        .map(|b| {
            (
                &b.table[..],
                &b.region[..],
                b.price.clone(),
                b.quantity,
                b.cost,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("audit", "eu-central-1", Some(STORAGE), dec!(4), dec!(1.224)),
            ("orders", "us-east-1", None, dec!(2), dec!(0.02)),
            // 73,000 + 73,000 RCU-hours, $9.49 + $9.49.
            ("orders", "us-east-1", Some(RCU), dec!(146000), dec!(18.98)),
            ("orders", "us-east-1", Some(WCU), dec!(40150), dec!(26.0975)),
            ("orders", "us-east-1", Some(STORAGE), dec!(10), dec!(2.5)),
        ]
    );
    let transfer = &lines[1];
    assert_eq!(transfer.usage_type, "USE1-DataTransfer-Regional-Bytes");
    assert_eq!(transfer.operation, "PutItem");
}

fn line(
    price: Option<PriceKey>,
    usage_type: &str,
    side: Side,
    planned: Option<(Decimal, Decimal)>,
    billed: (Decimal, Decimal),
    difference: (Decimal, Decimal),
) -> LineReconciliation {
    LineReconciliation {
        region: "us-east-1".into(),
        price,
        usage_type: Some(usage_type.into()),
        side,
        planned_quantity: planned.map(|p| p.0),
        planned_amount: planned.map(|p| p.1),
        billed_quantity: Some(billed.0),
        billed_cost: Some(billed.1),
        quantity_difference: difference.0,
        cost_difference: Some(difference.1),
    }
}

/// Planned, provisioned at 200 RCU and 50 WCU for 730 h with 10 GB stored:
/// 146,000 RCU-h × $0.00013 = $18.98, 36,500 WCU-h × $0.00065 = $23.725,
/// 10 GB-month × $0.25 = $2.50; $45.205 in all. Billed: the same reads and storage, but
/// 55 WCU × 730 h = 40,150 WCU-h × $0.00065 = $26.0975 (3,650 WCU-h, $2.3725 more), and
/// $0.02 of data transfer the plan does not price: $47.5975, $2.3925 over the plan.
#[test]
fn matching_lines_differ_by_nothing_and_the_different_one_is_located() {
    let report = plan();
    let got = reconcile(&report, running_mode, &billed());
    assert_eq!(got.len(), 1, "sessions is not billed and audit not planned");
    let orders = &got[0];
    assert_eq!(orders.table, "orders");
    assert_eq!(orders.mode, Some(CapacityMode::Provisioned));
    let zero = (Decimal::ZERO, Decimal::ZERO);
    assert_eq!(
        orders.lines,
        vec![
            line(
                Some(RCU),
                "USE1-ReadCapacityUnit-Hrs",
                Side::Both,
                Some((dec!(146000), dec!(18.98))),
                (dec!(146000), dec!(18.98)),
                zero,
            ),
            line(
                Some(WCU),
                "USE1-WriteCapacityUnit-Hrs",
                Side::Both,
                Some((dec!(36500), dec!(23.725))),
                (dec!(40150), dec!(26.0975)),
                (dec!(3650), dec!(2.3725)),
            ),
            line(
                Some(STORAGE),
                "USE1-TimedStorage-ByteHrs",
                Side::Both,
                Some((dec!(10), dec!(2.5))),
                (dec!(10), dec!(2.5)),
                zero,
            ),
            line(
                None,
                "USE1-DataTransfer-Regional-Bytes",
                Side::BillOnly,
                None,
                (dec!(2), dec!(0.02)),
                (dec!(2), dec!(0.02)),
            ),
        ]
    );
    assert_eq!(orders.planned, dec!(45.205));
    assert_eq!(orders.billed, dec!(47.5975));
    assert_eq!(orders.difference, dec!(2.3925));
}

/// A mode the bill does not match leaves its planned lines on the plan's side alone: in
/// on-demand mode 100 reads/s of 1 KB items are 0.5 RRU each (eventually consistent) ×
/// 100 × 3,600 × 730 h = 131,400,000 RRU, billed nowhere.
#[test]
fn lines_of_one_side_only_are_listed_as_such() {
    let report = plan();
    let got = reconcile(&report, |_| Some(CapacityMode::OnDemand), &billed());
    let reads = got[0]
        .lines
        .iter()
        .find(|l| l.price == Some(PriceKey::OnDemandRead(TableClass::Standard)))
        .unwrap();
    assert_eq!(reads.side, Side::PlanOnly);
    assert_eq!(reads.planned_quantity, Some(dec!(131400000)));
    // 131,400,000 × $0.000000125 = $16.425, none of it billed.
    assert_eq!(reads.cost_difference, Some(dec!(-16.425)));
    let capacity = got[0].lines.iter().find(|l| l.price == Some(RCU)).unwrap();
    assert_eq!(capacity.side, Side::BillOnly);
}

#[test]
fn the_terminal_table_and_json_show_the_difference() {
    let got = reconcile(&plan(), running_mode, &billed());
    let text = render::table(&got, &Terminal::default());
    assert!(text.contains("orders (provisioned)"), "{text}");
    assert!(text.contains("+$2.37"), "{text}");
    assert!(
        text.contains("Planned $45.21, billed $47.60: +$2.39 against the plan."),
        "{text}"
    );
    let mut out = Vec::new();
    render::json(&got, &mut out).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["kind"], "reconcile");
    let wcu = &json["tables"][0]["lines"][1];
    assert_eq!(wcu["price"], "provisioned_wcu_hour_standard");
    assert_eq!(wcu["side"], "both");
    assert_eq!(wcu["cost_difference"], "2.3725");
}

/// Athena's column names read the same; a missing column and a bad number are located.
#[test]
fn athena_names_and_located_errors() {
    let athena = "line_item_product_code,line_item_usage_type,line_item_operation,\
line_item_resource_id,line_item_usage_amount,line_item_unblended_cost\n\
AmazonDynamoDB,EUC1-ReadRequestUnits,GetItem,arn:aws:dynamodb:eu-central-1:1:table/t,1E+6,0.305\n";
    let got = read(athena, "cur.csv").unwrap();
    assert_eq!(
        got[0].price,
        Some(PriceKey::OnDemandRead(TableClass::Standard))
    );
    assert_eq!((got[0].quantity, got[0].cost), (dec!(1000000), dec!(0.305)));

    let missing = fixture("orders-cur.csv").replace("lineItem/UnblendedCost", "lineItem/Cost");
    assert_eq!(
        read(&missing, "orders-cur.csv").unwrap_err().to_string(),
        "orders-cur.csv:1: no `lineItem/UnblendedCost` (or `line_item_unblended_cost`) column; \
         export the Cost and Usage Report with its line item columns, or add the column to the \
         extract"
    );
    let bad = fixture("orders-cur.csv").replace("40150.0000000000", "40,150");
    assert_eq!(
        read(&bad, "orders-cur.csv").unwrap_err().to_string(),
        "orders-cur.csv:4: 16 cells, the header has 15; quote cells that hold a comma"
    );
    let bad = fixture("orders-cur.csv").replace("26.0975000000", "26.09.75");
    assert_eq!(
        read(&bad, "orders-cur.csv").unwrap_err().to_string(),
        "orders-cur.csv:4: `lineItem/UnblendedCost` is `26.09.75`, not a number up to 1e18; give \
         it as the report writes it (`730`, `0.0949`, `1.2E-7`)"
    );
}

/// `plan SPEC --cur FILE` shows the same lines to a user: the write line 3,650 WCU-hours
/// (40,150 billed less 50 WCU × 730 h planned) and $2.3725 (× $0.00065) over the plan.
#[test]
fn plan_with_cur_prints_the_reconciliation() {
    let args = |format: &'static str| {
        vec![
            "plan",
            "tests/fixtures/cur/orders.yaml",
            "--cur",
            "tests/fixtures/cur/orders-cur.csv",
            "--format",
            format,
        ]
    };
    let (code, out, err) = common::run(&args("table"), "");
    assert_eq!(code, 0, "{err}");
    let writes = out
        .lines()
        .find(|l| l.contains("USE1-WriteCapacityUnit-Hrs"))
        .unwrap();
    assert!(
        writes.contains("3,650") && writes.contains("+$2.37"),
        "{writes}"
    );
    let (code, out, _) = common::run(&args("json"), "");
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["kind"], "reconcile");
    let line = doc["tables"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["usage_type"] == "USE1-WriteCapacityUnit-Hrs")
        .unwrap();
    assert_eq!(line["cost_difference"], "2.3725");
}

/// orders-cur.parquet is orders-cur.csv in CUR's Parquet column names, amounts as doubles,
/// GZIP-compressed: it reads into the same billed lines, and `plan --cur` prints the same.
#[test]
fn a_parquet_report_reads_as_its_csv() {
    let path = std::path::Path::new(DIR).join("orders-cur.parquet");
    let lines = capacity_plan::import::cur::read_parquet(&path, "orders-cur.parquet").unwrap();
    assert_eq!(lines, billed());
    let printed = |file: &str| {
        let (code, out, err) = common::run(
            &[
                "plan",
                "tests/fixtures/cur/orders.yaml",
                "--cur",
                file,
                "--format",
                "json",
            ],
            "",
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    assert_eq!(
        printed("tests/fixtures/cur/orders-cur.parquet"),
        printed("tests/fixtures/cur/orders-cur.csv")
    );
}
