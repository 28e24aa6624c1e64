//! `prices import` on AWS Price List data in the shapes AWS documents (fixtures and their
//! sources in tests/fixtures/pricelist/README.md): a per-Region offer file with `EU-` usage
//! types, get-products pages, reserved terms on the capacity-unit products, a product without
//! `regionCode`, two SKUs for one price, and input with no DynamoDB price.

mod common;

use capacity_plan::pricing::Catalog;
use common::run;
use rust_decimal::{dec, Decimal};

const DIR: &str = "tests/fixtures/pricelist";

/// The catalog `prices import` prints for `files`, which must succeed.
fn import(files: &[&str]) -> (Catalog, String) {
    let paths: Vec<String> = files.iter().map(|f| format!("{DIR}/{f}")).collect();
    let mut args = vec!["prices", "import"];
    args.extend(paths.iter().map(String::as_str));
    let (code, out, err) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    (Catalog::from_yaml(&out, "imported").unwrap(), out)
}

fn price(catalog: &Catalog, region: &str, name: &str) -> Option<Decimal> {
    catalog
        .get(region, &name.parse().unwrap())
        .map(|p| p.amount)
}

/// `EU-` is eu-west-1's billing code ([BILLUSAGE]), which the old importer dropped because it
/// has no digit. The $0 free first tier of storage and capacity is skipped for the paid rate.
#[test]
fn an_eu_offer_file_imports_under_eu_west_1() {
    let (catalog, out) = import(&["offer-eu-west-1.json"]);
    assert_eq!(
        price(&catalog, "eu-west-1", "ondemand_read_standard"),
        Some(dec!(0.0000001415))
    );
    assert_eq!(
        price(&catalog, "eu-west-1", "ondemand_write_standard"),
        Some(dec!(0.00000070675))
    );
    assert_eq!(
        price(&catalog, "eu-west-1", "storage_gb_month_standard"),
        Some(dec!(0.283))
    );
    assert_eq!(
        price(&catalog, "eu-west-1", "provisioned_rcu_hour_standard"),
        Some(dec!(0.000147))
    );
    // Dated by the offer's publicationDate, sourced by its code and version.
    let rcu = catalog
        .get(
            "eu-west-1",
            &"provisioned_rcu_hour_standard".parse().unwrap(),
        )
        .unwrap();
    assert_eq!(rcu.as_of, "2024-11-15");
    assert_eq!(rcu.source, "AWS Price List AmazonDynamoDB 20241115000000");
    // A usage type it does not price is listed, not guessed.
    assert!(
        out.contains("not priced by capacity-plan: EU-IncrementalExportDataSize-Bytes"),
        "{out}"
    );
    assert_eq!(catalog.regions().count(), 1);
}

/// The PITR product has no `regionCode`: its `EU-` prefix places it in eu-west-1.
#[test]
fn a_product_without_region_code_is_placed_by_its_prefix() {
    let (catalog, _) = import(&["offer-eu-west-1.json"]);
    assert_eq!(
        price(&catalog, "eu-west-1", "pitr_gb_month"),
        Some(dec!(0.226))
    );
}

/// Reserved terms attached to `EU-ReadCapacityUnit-Hrs` / `EU-WriteCapacityUnit-Hrs` (not to a
/// `HeavyUsage` product), per unit in the Price List, become per-100-unit blocks: 1-year RCU
/// $0.339 upfront + $0.000029/h → $33.90 + $0.0029/h per 100, as [RECO] lists for eu-west-1;
/// 3-year WCU $2.034 + $0.000092/h → $203.40 + $0.0092/h.
#[test]
fn reserved_terms_on_capacity_unit_products_are_imported() {
    let (catalog, _) = import(&["offer-eu-west-1.json"]);
    let get = |name| price(&catalog, "eu-west-1", name);
    assert_eq!(get("reserved_1y_rcu_upfront_per_100"), Some(dec!(33.9)));
    assert_eq!(get("reserved_1y_rcu_hour_per_100"), Some(dec!(0.0029)));
    assert_eq!(get("reserved_3y_wcu_upfront_per_100"), Some(dec!(203.4)));
    assert_eq!(get("reserved_3y_wcu_hour_per_100"), Some(dec!(0.0092)));
    // The on-demand term of the same product is the provisioned hourly rate.
    assert_eq!(get("provisioned_wcu_hour_standard"), Some(dec!(0.000735)));
}

/// Two get-products pages in one file, and the same pages given with an offer file: each
/// page's products are read from the JSON strings of its `PriceList`.
#[test]
fn get_products_pages_import_and_combine_with_an_offer_file() {
    let (catalog, _) = import(&["get-products-ap-northeast-1.json"]);
    let get = |name| price(&catalog, "ap-northeast-1", name);
    assert_eq!(get("ondemand_read_standard"), Some(dec!(0.0000001425)));
    // From the second page.
    assert_eq!(get("storage_gb_month_standard"), Some(dec!(0.285)));
    assert_eq!(get("reserved_1y_wcu_upfront_per_100"), Some(dec!(171.4)));
    let wcu = catalog
        .get(
            "ap-northeast-1",
            &"provisioned_wcu_hour_standard".parse().unwrap(),
        )
        .unwrap();
    assert_eq!(
        wcu.source,
        "AWS Price List Query AmazonDynamoDB 20241115000000"
    );

    let (both, out) = import(&["offer-eu-west-1.json", "get-products-ap-northeast-1.json"]);
    assert_eq!(both.regions().count(), 2);
    assert!(
        out.contains("offer-eu-west-1.json, tests/fixtures/pricelist/get-products"),
        "{out}"
    );
    // The same page twice gives each price once, not an error.
    import(&[
        "get-products-ap-northeast-1.json",
        "get-products-ap-northeast-1.json",
    ]);
}

/// Two SKUs giving one Region's price different amounts is an error naming both, never a
/// silent choice of one.
#[test]
fn two_skus_for_one_price_is_an_error_naming_both() {
    let (code, out, err) = run(
        &["prices", "import", &format!("{DIR}/duplicate-sku.json")],
        "",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("EUREAD1 and EUREAD2")
            && err.contains("eu-west-1 ondemand_read_standard")
            && err.contains("0.000000283"),
        "{err}"
    );
}

/// Input with no DynamoDB price (an S3 page, whose storage usage type is spelled like
/// DynamoDB's) is an error, not an empty catalog with exit 0; so is input that is not JSON.
#[test]
fn an_import_without_a_price_is_an_error() {
    let (code, out, err) = run(
        &["prices", "import", &format!("{DIR}/no-dynamodb.json")],
        "",
    );
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("no DynamoDB or DAX price found"), "{err}");
    let (code, _, err) = run(&["prices", "import", "-"], "{\"products\": {}}");
    assert_eq!(code, 1);
    assert!(err.contains("-: no DynamoDB or DAX price found"), "{err}");
    let (code, _, err) = run(&["prices", "import", "-"], "regions: {}");
    assert_eq!(code, 1);
    assert!(err.contains("not JSON"), "{err}");
}
