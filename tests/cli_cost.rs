//! `calc cost` and `prices` through the binary: the cent-exact figures, and bad input ending
//! in a located error with exit 1 (or 2 for a wrong command line), never a panic or a $0.

use assert_cmd::Command;
use capacity_plan::pricing::{Catalog, PriceKey, TableClass};
use predicates::prelude::*;
use rust_decimal::dec;

fn cli(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("capacity-plan")
        .unwrap()
        .args(args)
        .assert()
}

fn json_total(args: &[&str]) -> String {
    let mut all = vec!["calc", "cost", "--format", "json"];
    all.extend(args);
    let out = cli(&all).success().get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(json["lines"].is_array());
    json["total"].as_str().unwrap().to_string()
}

#[test]
fn console_example_to_the_cent() {
    // competitors.md §2: 40 RCU + 240 WCU, us-east-1: $117.68 at 730 h, $119.93 at 744 h.
    cli(&[
        "calc",
        "cost",
        "--mode",
        "provisioned",
        "--rcu",
        "40",
        "--wcu",
        "240",
    ])
    .success()
    .stdout(predicate::str::contains("Total: $117.68 (exact 117.676)"));
    assert_eq!(
        json_total(&[
            "--mode",
            "provisioned",
            "--rcu",
            "40",
            "--wcu",
            "240",
            "--hours",
            "744"
        ]),
        "119.9328"
    );
}

#[test]
fn textbook_figures() {
    // Issue 4: 100 RCU + 100 WCU × 720 h = $56.16. Infracost goldens: 3M WRU → $1.875
    // ($1.88), 8M RRU → $1.00.
    assert_eq!(
        json_total(&[
            "--mode",
            "provisioned",
            "--rcu",
            "100",
            "--wcu",
            "100",
            "--hours",
            "720"
        ]),
        "56.16"
    );
    assert_eq!(
        json_total(&["--mode", "on-demand", "--writes", "3M/month"]),
        "1.875"
    );
    assert_eq!(
        json_total(&["--mode", "on-demand", "--reads", "8M/month"]),
        "1"
    );
    cli(&[
        "calc",
        "cost",
        "--mode",
        "on-demand",
        "--writes",
        "3M/month",
    ])
    .success()
    .stdout(predicate::str::contains("$1.88"));
}

#[test]
fn free_tier_and_old_prices() {
    assert_eq!(
        json_total(&[
            "--mode",
            "provisioned",
            "--rcu",
            "25",
            "--wcu",
            "25",
            "--free-tier"
        ]),
        "0"
    );
    assert_eq!(
        json_total(&["--mode", "on-demand", "--storage", "30GB", "--free-tier"]),
        "1.25"
    );
    // §7.1: the pre-November-2024 price replayed with --price.
    assert_eq!(
        json_total(&[
            "--mode",
            "on-demand",
            "--writes",
            "3M/month",
            "--price",
            "ondemand_write_standard=0.00000125"
        ]),
        "3.75"
    );
}

#[test]
fn reserved_mode_uses_the_optimizer() {
    // §7.2: 1y 100 WCU = $150 × 730 / 8760 + $0.0128 × 730 = $21.844 a month.
    assert_eq!(
        json_total(&["--mode", "reserved", "--wcu", "100"]),
        "21.844"
    );
    cli(&[
        "calc",
        "cost",
        "--mode",
        "reserved",
        "--rcu",
        "100",
        "--class",
        "standard-ia",
    ])
    .code(2)
    .stderr(predicate::str::contains("not sold for the Standard-IA"));
}

#[test]
fn missing_price_is_an_error_not_zero() {
    // §7.3 has no on-demand price for eu-west-1.
    cli(&[
        "calc",
        "cost",
        "--mode",
        "on-demand",
        "--reads",
        "1M/month",
        "--region",
        "eu-west-1",
    ])
    .code(1)
    .stdout(predicate::str::contains("NOT PRICED"))
    .stderr(predicate::str::contains(
        "no price for eu-west-1 ondemand_read_standard",
    ));
}

#[test]
fn unknown_region_lists_known_regions() {
    cli(&[
        "calc",
        "cost",
        "--mode",
        "provisioned",
        "--rcu",
        "1",
        "--region",
        "us-east-9",
    ])
    .code(1)
    .stderr(
        predicate::str::contains("unknown region `us-east-9`")
            .and(predicate::str::contains("ap-northeast-1")),
    );
    cli(&["prices", "show", "--region", "nowhere-1"]).code(1);
}

#[test]
fn bad_price_file_is_located() {
    cli(&[
        "calc",
        "cost",
        "--mode",
        "on-demand",
        "--writes",
        "1M/month",
        "--prices",
        "tests/fixtures/bad-prices.yaml",
    ])
    .code(1)
    .stderr(
        predicate::str::contains("bad-prices.yaml:3")
            .and(predicate::str::contains("must be quoted")),
    );
    cli(&["calc", "cost", "--mode", "provisioned", "--hours", "700"]).code(2);
    cli(&["calc", "cost", "--mode", "provisioned", "--price", "wru=1"])
        .code(2)
        .stderr(predicate::str::contains("unknown price name `wru`"));
}

#[test]
fn prices_show_lists_provenance() {
    cli(&["prices", "show", "--region", "eu-west-1"])
        .success()
        .stdout(
            predicate::str::contains("provisioned_wcu_hour_standard")
                .and(predicate::str::contains("0.000735"))
                .and(predicate::str::contains("awslabs reco config")),
        );
}

#[test]
fn import_converts_a_price_list_offer() {
    let out = cli(&["prices", "import", "tests/fixtures/dynamodb-offer.json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("not priced by capacity-plan: ContributorInsights-Events"),
        "{text}"
    );
    let catalog = Catalog::from_yaml(&text, "imported").unwrap();
    let price = |region, key| catalog.get(region, &key).unwrap().amount;
    assert_eq!(
        price("us-east-1", PriceKey::OnDemandWrite(TableClass::Standard)),
        dec!(0.000000625)
    );
    assert_eq!(
        price("us-east-2", PriceKey::OnDemandRead(TableClass::StandardIa)),
        dec!(0.000000155)
    );
    // The $0 free first tier is skipped for the paid rate.
    assert_eq!(
        price("us-east-2", PriceKey::Storage(TableClass::Standard)),
        dec!(0.25)
    );
    assert_eq!(
        price(
            "us-east-2",
            PriceKey::ReplicatedWcuHour(TableClass::Standard)
        ),
        dec!(0.00065)
    );
    // Reserved prices per unit × 100 = per block (§7.2: 1y WCU $150 + $0.0128/h).
    assert_eq!(
        price(
            "us-east-2",
            "reserved_1y_wcu_upfront_per_100".parse().unwrap()
        ),
        dec!(150)
    );
    assert_eq!(
        price("us-east-2", "reserved_1y_wcu_hour_per_100".parse().unwrap()),
        dec!(0.0128)
    );
    assert_eq!(
        price("eu-west-1", "dax_node_hour.dax.r5.large".parse().unwrap()),
        dec!(0.269)
    );
    cli(&["prices", "import", "tests/fixtures/bad-prices.yaml"])
        .code(1)
        .stderr(predicate::str::contains("not an AWS Price List offer file"));
}
