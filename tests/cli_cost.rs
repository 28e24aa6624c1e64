//! `calc cost` and `prices` through the binary: the cent-exact figures, and bad input ending
//! in a located error with exit 1 (or 2 for a wrong command line), never a panic or a $0.

use assert_cmd::Command;
use capacity_plan::capacity::TableClass;
use capacity_plan::pricing::{Catalog, PriceKey};
use predicates::prelude::*;
use predicates::str::contains;
use rust_decimal::dec;

/// Runs the binary with a command line written as one string (no argument has spaces).
fn cli(command_line: &str) -> assert_cmd::assert::Assert {
    Command::cargo_bin("capacity-plan")
        .unwrap()
        .args(command_line.split_whitespace())
        .assert()
}

/// The exact JSON total of `calc cost <args> --format json`.
fn json_total(args: &str) -> String {
    let out = cli(&format!("calc cost --format json {args}"))
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(json["lines"].is_array());
    json["total"].as_str().unwrap().to_string()
}

#[test]
fn console_example_to_the_cent() {
    // The DynamoDB console's capacity calculator: 40 RCU + 240 WCU, us-east-1: $117.68 at 730 h, $119.93 at 744 h.
    cli("calc cost --mode provisioned --rcu 40 --wcu 240")
        .success()
        .stdout(contains("Total: $117.68 (exact 117.676)"));
    let total = json_total("--mode provisioned --rcu 40 --wcu 240 --hours 744");
    assert_eq!(total, "119.9328");
}

/// Any period: us-east-1 provisioned RCU $0.00013 and WCU $0.00065 per unit-hour ([RECO]), so
/// 200 RCU + 10 WCU for one hour cost 200 × 0.00013 + 10 × 0.00065 = $0.026 + $0.0065 =
/// $0.0325, and for a day (`1d`, 24 h) 24 × $0.0325 = $0.78.
#[test]
fn any_period_is_priced_hour_by_hour() {
    assert_eq!(
        json_total("--mode provisioned --rcu 200 --wcu 10 --hours 1"),
        "0.0325"
    );
    cli("calc cost --mode provisioned --rcu 200 --wcu 10 --hours 1")
        .success()
        .stdout(contains("1-hour period").and(contains("exact 0.0325")));
    assert_eq!(
        json_total("--mode provisioned --rcu 200 --wcu 10 --hours 1d"),
        "0.78"
    );
    assert_eq!(
        json_total("--mode provisioned --rcu 200 --wcu 10 --hours 24h"),
        "0.78"
    );
    // A rate per month over a period that is not a month counts a 730-hour month: 7.3M RRU a
    // month is 10,000 RRU an hour, 240,000 in a day, × $0.000000125 = $0.03.
    assert_eq!(
        json_total("--mode on-demand --reads 7.3M/month --hours 1d"),
        "0.03"
    );
    // 30 days is the 720-hour month: the month's rate counts whole.
    assert_eq!(
        json_total("--mode on-demand --reads 8M/month --hours 30d"),
        "1"
    );
    // Storage is billed per GB-month, so it is refused over a period that is not a month.
    cli("calc cost --mode provisioned --rcu 1 --storage 10GB --hours 1")
        .code(2)
        .stderr(contains("GB-month"));
}

#[test]
fn textbook_figures() {
    // Issue 4: 100 RCU + 100 WCU × 720 h = $56.16. Infracost goldens: 3M WRU → $1.875
    // ($1.88), 8M RRU → $1.00.
    let total = json_total("--mode provisioned --rcu 100 --wcu 100 --hours 720");
    assert_eq!(total, "56.16");
    assert_eq!(json_total("--mode on-demand --writes 3M/month"), "1.875");
    assert_eq!(json_total("--mode on-demand --reads 8M/month"), "1");
    cli("calc cost --mode on-demand --writes 3M/month")
        .success()
        .stdout(contains("$1.88"));
}

#[test]
fn free_tier_and_old_prices() {
    let total = json_total("--mode provisioned --rcu 25 --wcu 25 --free-tier");
    assert_eq!(total, "0");
    let total = json_total("--mode on-demand --storage 30GB --free-tier");
    assert_eq!(total, "1.25");
    // §7.1: the pre-November-2024 price replayed with --price.
    let old = "--price ondemand_write_standard=0.00000125";
    let total = json_total(&format!("--mode on-demand --writes 3M/month {old}"));
    assert_eq!(total, "3.75");
}

#[test]
fn reserved_mode_uses_the_optimizer() {
    // §7.2: 1y 100 WCU = $150 × 730 / 8760 + $0.0128 × 730 = $21.844 a month.
    assert_eq!(json_total("--mode reserved --wcu 100"), "21.844");
    cli("calc cost --mode reserved --rcu 100 --class standard-ia")
        .code(2)
        .stderr(contains("not sold for the Standard-IA"));
}

#[test]
fn reserved_mode_shows_the_commitment_as_a_plan_does() {
    // §7.2 [RECO], the catalog's 3-year 100 WCU block: $180 upfront + $0.0081/h. Over its
    // 26,280 h term one block costs $180 + $0.0081 × 26,280 = $392.868, a 744-hour month of
    // which is $392.868 × 744 / 26,280 = $11.12229; the month's upfront share is 1 block ×
    // 744 / 26,280 = 0.0283105… of the block's published $180 = $5.09589.
    let args = "calc cost --format json --mode reserved --wcu 100 --term 3y --hours 744";
    let out = cli(args).success().get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["reservation"]["term"], "3y");
    let commitment = &json["reservation"]["commitment"];
    assert_eq!(commitment["upfront"], "180");
    assert_eq!(commitment["term_total"], "392.868");
    assert_eq!(commitment["monthly_equivalent"], "11.12229");
    let upfront = &json["lines"][0];
    assert_eq!(upfront["working"], "1 block × 744 h / 26,280 h in the term");
    assert_eq!(upfront["quantity"], 0.0283105);
    assert_eq!(upfront["unit_price"], "180");
    assert_eq!(upfront["amount"], "5.09589");
    // The terminal says it in the words of a plan's note.
    cli("calc cost --mode reserved --wcu 100 --term 3y --hours 744")
        .success()
        .stdout(contains("Buying the new reserved blocks is a 3-year commitment: $180.00 upfront, $392.87 over the term with the hourly fees ($11.12 a month).\n"));
    // Other modes buy nothing.
    let out = cli("calc cost --format json --mode provisioned --wcu 100")
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(json.get("reservation").is_none());
}

#[test]
fn missing_price_is_an_error_not_zero() {
    // §7.3 has no on-demand price for ap-southeast-2.
    cli("calc cost --mode on-demand --reads 1M/month --region ap-southeast-2")
        .code(1)
        .stdout(contains("NOT PRICED"))
        .stderr(contains(
            "no price for ap-southeast-2 ondemand_read_standard",
        ));
}

#[test]
fn unknown_region_lists_known_regions() {
    cli("calc cost --mode provisioned --rcu 1 --region us-east-9")
        .code(1)
        .stderr(contains("unknown region `us-east-9`").and(contains("ap-northeast-1")));
    cli("prices show --region nowhere-1").code(1);
}

#[test]
fn bad_price_file_is_located() {
    cli("calc cost --mode on-demand --writes 1M/month --prices tests/fixtures/bad-prices.yaml")
        .code(1)
        .stderr(contains("bad-prices.yaml:3").and(contains("must be quoted")));
    cli("calc cost --mode provisioned --hours 0")
        .code(2)
        .stderr(contains("--hours"));
    cli("calc cost --mode provisioned --hours 1.5").code(2);
    cli("calc cost --mode provisioned --hours 87601").code(2);
    cli("calc cost --mode provisioned --price wru=1")
        .code(2)
        .stderr(contains("unknown price name `wru`"));
}

#[test]
fn prices_show_lists_provenance() {
    cli("prices show --region eu-west-1").success().stdout(
        contains("provisioned_wcu_hour_standard")
            .and(contains("0.000735"))
            .and(contains("awslabs reco config")),
    );
}

/// `prices show` filters by Region and by part of the name, says how old the figures are, and
/// prints JSON too: us-east-2's on-demand prices are the Infracost golden's ($0.625 and
/// $0.125 per million request units, docs/pricing.md).
#[test]
fn prices_show_filters_and_prints_json_with_the_catalog_dates() {
    cli("prices show --region us-east-2 --name ondemand")
        .success()
        .stdout(
            contains("Price catalog: built into capacity-plan")
                .and(contains("figures dated 2024-"))
                .and(contains("2 prices listed"))
                .and(contains("ondemand_write_standard"))
                .and(contains("provisioned").not()),
        );
    let out = cli("prices show --region us-east-2 --name ondemand --format json")
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let prices = json["prices"].as_array().unwrap();
    assert_eq!(prices.len(), 2);
    assert_eq!(prices[0]["region"], "us-east-2");
    assert_eq!(prices[0]["name"], "ondemand_read_standard");
    assert_eq!(prices[0]["amount"], "0.000000125");
    assert_eq!(prices[1]["amount"], "0.000000625");
    assert_eq!(prices[1]["confidence"], "confirmed");
    let (oldest, newest) = (
        json["oldest_as_of"].as_str().unwrap(),
        json["newest_as_of"].as_str().unwrap(),
    );
    assert!(
        oldest <= "2024-11-15" && newest >= "2024-11-15",
        "{oldest} {newest}"
    );
    // A name that matches nothing is a wrong command line, not an empty list.
    cli("prices show --name nothing_like_this")
        .code(2)
        .stderr(contains("ondemand_read_standard"));
}

#[test]
fn import_converts_a_price_list_offer() {
    let out = cli("prices import tests/fixtures/dynamodb-offer.json")
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
    let price = |region, key: &str| catalog.get(region, &key.parse().unwrap()).unwrap().amount;
    assert_eq!(
        price("us-east-1", "ondemand_write_standard"),
        dec!(0.000000625)
    );
    assert_eq!(
        price("us-east-2", "ondemand_read_standard_ia"),
        dec!(0.000000155)
    );
    // The $0 free first tier is skipped for the paid rate.
    assert_eq!(price("us-east-2", "storage_gb_month_standard"), dec!(0.25));
    assert_eq!(
        price("us-east-2", "replicated_wcu_hour_standard"),
        dec!(0.00065)
    );
    // Reserved prices come per unit; × 100 = per block (§7.2: 1y WCU $150 + $0.0128/h).
    assert_eq!(
        price("us-east-2", "reserved_1y_wcu_upfront_per_100"),
        dec!(150)
    );
    assert_eq!(
        price("us-east-2", "reserved_1y_wcu_hour_per_100"),
        dec!(0.0128)
    );
    assert_eq!(
        price("eu-west-1", "dax_node_hour.dax.r5.large"),
        dec!(0.269)
    );
    assert!(catalog
        .get("us-east-2", &PriceKey::OnDemandRead(TableClass::Standard))
        .is_none());
    cli("prices import tests/fixtures/bad-prices.yaml")
        .code(1)
        .stderr(contains("not an AWS Price List offer file"));
}

/// Asserts that `calc cost <args>` is refused as a wrong command line (exit 2, nothing on
/// stdout) with a message containing each of `says`.
fn refused(args: &str, says: &[&str]) {
    let out = cli(&format!("calc cost {args}")).code(2).stdout("");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    for text in says {
        assert!(stderr.contains(text), "`{args}`: {stderr}");
    }
}

#[test]
fn negative_or_absurd_capacities_are_refused() {
    // Review: `--rcu=-5 --wcu 1` printed a negative line and "Total: $0.00" with exit 0.
    refused(
        "--mode provisioned --rcu=-5 --wcu 1",
        &["--rcu", "negative"],
    );
    refused("--mode reserved --wcu=-1", &["negative"]);
    // Beyond 10^12 units or requests per second (docs/rules.md, "Beyond DynamoDB's limits").
    let bound = "at most 1,000,000,000,000";
    refused("--mode provisioned --rcu 1000000000001", &[bound]);
    refused("--mode on-demand --writes 2000000000000/s", &[bound]);
    refused("--mode reserved --owned-wcu-blocks 10000000001", &[bound]);
    assert_eq!(
        json_total("--mode provisioned --rcu 1000000000000"),
        "94900000000"
    );
}

#[test]
fn flags_the_mode_does_not_use_are_refused() {
    // Review: each of these was silently ignored, so the total left out what was asked.
    let on_demand = "--mode on-demand";
    refused(
        "--mode provisioned --rcu 10 --reads 10M/month",
        &["--reads", on_demand],
    );
    refused(
        "--mode reserved --wcu 100 --writes 1M/month",
        &["--writes", on_demand],
    );
    let capacity = "--mode provisioned or reserved";
    refused("--mode on-demand --rcu 10", &["--rcu", capacity]);
    refused("--mode on-demand --wcu 0", &["--wcu", capacity]);
    let reserved = "--mode reserved";
    refused(
        "--mode provisioned --rcu 10 --term 3y",
        &["--term", reserved],
    );
    refused(
        "--mode provisioned --owned-rcu-blocks 2",
        &["--owned-rcu-blocks", reserved],
    );
    refused(
        "--mode on-demand --owned-wcu-blocks 2",
        &["--owned-wcu-blocks", reserved],
    );
}

#[test]
fn reserved_mode_answers_huge_capacities_at_once() {
    // Review: this ran for minutes, adding one 100-unit block at a time.
    Command::cargo_bin("capacity-plan")
        .unwrap()
        .args("calc cost --mode reserved --rcu 10000000000".split_whitespace())
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("100,000,000 blocks"));
}
