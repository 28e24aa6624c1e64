//! Converts AWS Price List data for `AmazonDynamoDB` or `AmazonDAX` into our catalog, so prices
//! can be refreshed offline: bulk offer files, whole or per Region ("Reading the service price
//! list file" [PLFILE]), and Price List Query API pages as `aws pricing get-products` prints
//! them, `{"FormatVersion", "NextToken", "PriceList": ["<product JSON>", …]}` [PLQUERY]. One
//! input may hold several pages one after another.
//!
//! Products are matched on `attributes.usagetype` with its billing Region prefix removed; the
//! names are AWS's billing usage types [BILLUSAGE]. A usage type we do not price is reported,
//! not guessed.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::{Capacity, Catalog, Confidence, Price, PriceKey, ReservedCharge, Term};
use crate::capacity::TableClass;

/// AWS's billing Region codes, the prefix of a usage type (`EUC1-ReadRequestUnits`), from the
/// DynamoDB developer guide's table [BILLUSAGE]. A usage type without one is us-east-1's.
pub const BILLING_REGIONS: &[(&str, &str)] = &[
    ("AFS1", "af-south-1"),
    ("APE1", "ap-east-1"),
    ("APN1", "ap-northeast-1"),
    ("APN2", "ap-northeast-2"),
    ("APN3", "ap-northeast-3"),
    ("APS1", "ap-southeast-1"),
    ("APS2", "ap-southeast-2"),
    ("APS3", "ap-south-1"),
    ("APS4", "ap-southeast-3"),
    ("APS5", "ap-south-2"),
    ("APS6", "ap-southeast-4"),
    ("CAN1", "ca-central-1"),
    ("EU", "eu-west-1"),
    ("EUC1", "eu-central-1"),
    ("EUC2", "eu-central-2"),
    ("EUN1", "eu-north-1"),
    ("EUS1", "eu-south-1"),
    ("EUS2", "eu-south-2"),
    ("EUW1", "eu-west-1"),
    ("EUW2", "eu-west-2"),
    ("EUW3", "eu-west-3"),
    ("ILC1", "il-central-1"),
    ("MEC1", "me-central-1"),
    ("MES1", "me-south-1"),
    ("SAE1", "sa-east-1"),
    ("USE1", "us-east-1"),
    ("USE2", "us-east-2"),
    ("UGE1", "us-gov-east-1"),
    ("UGW1", "us-gov-west-1"),
    ("USW1", "us-west-1"),
    ("USW2", "us-west-2"),
];

/// The Price List service codes whose products we price.
const SERVICES: [&str; 2] = ["AmazonDynamoDB", "AmazonDAX"];

/// The Region of a usage type without a `regionCode` beside it.
pub(crate) const NO_PREFIX_REGION: &str = "us-east-1";

#[derive(Debug, Deserialize)]
struct Offer {
    #[serde(rename = "offerCode", default)]
    offer_code: String,
    #[serde(default)]
    version: String,
    #[serde(rename = "publicationDate", default)]
    publication_date: String,
    products: BTreeMap<String, Product>,
    #[serde(default)]
    terms: Terms<BTreeMap<String, BTreeMap<String, TermOffer>>>,
}

/// One page of `aws pricing get-products`: each entry is a product with its terms, as a JSON
/// string.
#[derive(Debug, Deserialize)]
struct Page {
    #[serde(rename = "PriceList")]
    price_list: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct PageProduct {
    product: Product,
    #[serde(rename = "serviceCode", default)]
    service_code: String,
    #[serde(default)]
    version: String,
    #[serde(rename = "publicationDate", default)]
    publication_date: String,
    #[serde(default)]
    terms: Terms<BTreeMap<String, TermOffer>>,
}

#[derive(Debug, Deserialize)]
struct Product {
    #[serde(default)]
    sku: String,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Terms<T> {
    #[serde(rename = "OnDemand")]
    on_demand: Option<T>,
    #[serde(rename = "Reserved")]
    reserved: Option<T>,
}

impl<T> Default for Terms<T> {
    fn default() -> Self {
        Terms {
            on_demand: None,
            reserved: None,
        }
    }
}

#[derive(Debug, Deserialize)]
struct TermOffer {
    #[serde(rename = "priceDimensions")]
    price_dimensions: BTreeMap<String, Dimension>,
    #[serde(rename = "termAttributes", default)]
    term_attributes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Dimension {
    #[serde(default)]
    unit: String,
    #[serde(rename = "pricePerUnit")]
    price_per_unit: BTreeMap<String, String>,
    #[serde(rename = "beginRange", default)]
    begin_range: String,
}

impl Dimension {
    fn usd(&self) -> Option<Decimal> {
        self.price_per_unit.get("USD")?.parse().ok()
    }
}

/// One product with its terms, whichever shape it came in.
struct Item<'a> {
    sku: &'a str,
    attributes: &'a BTreeMap<String, String>,
    on_demand: Vec<&'a TermOffer>,
    reserved: Vec<&'a TermOffer>,
    as_of: &'a str,
    source: String,
}

/// What an import produced: the prices, and the usage types it left out.
#[derive(Debug)]
pub struct Imported {
    pub catalog: Catalog,
    pub skipped: Vec<String>,
}

/// Why Price List data could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "{source_name}: not an AWS Price List offer file or `aws pricing get-products` page: \
         not JSON ({error})"
    )]
    NotJson {
        source_name: String,
        error: serde_json::Error,
    },
    #[error(
        "{source_name}: not an AWS Price List offer file (\"products\", \"terms\") or \
         `aws pricing get-products` page (\"PriceList\"): {detail}"
    )]
    NotPriceList { source_name: String, detail: String },
    #[error(
        "SKUs {first_sku} and {second_sku} both price {price} ({amounts} USD); import the \
         offer of one Region or service at a time, or remove one of them"
    )]
    DuplicatePrice {
        /// Region and price name: `eu-west-1 ondemand_read_standard`.
        price: String,
        first_sku: String,
        second_sku: String,
        amounts: String,
    },
    #[error(
        "{sources}: no DynamoDB or DAX price found; give the AmazonDynamoDB (or AmazonDAX) offer \
         file or get-products output{skipped}"
    )]
    Empty { sources: String, skipped: String },
}

/// Splits a usage type into its billing Region and the rest: a prefix from [`BILLING_REGIONS`],
/// or, when AWS names the Region in `regionCode`, any prefix shaped like one (capitals ending
/// in a digit: `CAN2-`), so a Region newer than the table still imports. The Cost and Usage
/// Report names the same usage types, so its reader splits them here too.
pub(crate) fn split_region<'u>(
    usagetype: &'u str,
    region_code: Option<&str>,
) -> (Option<&'static str>, &'u str) {
    let Some((prefix, rest)) = usagetype.split_once('-') else {
        return (None, usagetype);
    };
    if let Some(&(_, region)) = BILLING_REGIONS.iter().find(|(p, _)| *p == prefix) {
        return (Some(region), rest);
    }
    let shaped = prefix.len() >= 3
        && prefix.ends_with(|c: char| c.is_ascii_digit())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if shaped && region_code.is_some() {
        (None, rest)
    } else {
        (None, usagetype)
    }
}

/// The on-demand-term price name for a usage type without its Region prefix, if we price it;
/// the Cost and Usage Report's lines are matched to the plan's with it.
pub(crate) fn on_demand_key(usage: &str) -> Option<PriceKey> {
    use PriceKey::*;
    if let Some(node) = usage.strip_prefix("NodeUsage:") {
        // Billing writes `dax-r5.large` where the node type is named `dax.r5.large`.
        let node = node
            .strip_prefix("dax-")
            .map_or(node.to_string(), |n| format!("dax.{n}"));
        return Some(DaxNodeHour(node));
    }
    let (class, rest) = match usage.strip_prefix("IA-") {
        Some(rest) => (TableClass::StandardIa, rest),
        None => (TableClass::Standard, usage),
    };
    let by_class = match rest {
        "ReadRequestUnits" => Some(OnDemandRead(class)),
        "WriteRequestUnits" => Some(OnDemandWrite(class)),
        "ReplWriteRequestUnits" => Some(ReplicatedWriteRequest(class)),
        "ReadCapacityUnit-Hrs" => Some(ProvisionedRcuHour(class)),
        "WriteCapacityUnit-Hrs" => Some(ProvisionedWcuHour(class)),
        "ReplWriteCapacityUnit-Hrs" => Some(ReplicatedWcuHour(class)),
        "TimedStorage-ByteHrs" => Some(Storage(class)),
        _ => None,
    };
    if by_class.is_some() || class == TableClass::StandardIa {
        return by_class;
    }
    Some(match rest {
        "TimedPITRStorage-ByteHrs" => PitrGbMonth,
        "TimedBackupStorage-ByteHrs" => BackupGbMonth,
        "RestoreDataSize-Bytes" => RestoreGb,
        "ExportDataSize-Bytes" => ExportGb,
        "ImportDataSize-Bytes" => ImportGb,
        "Streams-Requests" => StreamsReadRequest,
        "ChangeDataCaptureUnits-Kinesis" => KinesisCdu,
        "DataTransfer-Out-Bytes" => DataTransferOutGb,
        _ => return None,
    })
}

/// The paid price of a tiered offer: the lowest tier with a non-zero price, because the Price
/// List encodes free allowances as a $0 first tier (the free tier is data of its own here).
fn paid_price(dimensions: &BTreeMap<String, Dimension>) -> Option<Decimal> {
    let mut tiers: Vec<(Decimal, Decimal)> = dimensions
        .values()
        .filter_map(|d| Some((d.begin_range.parse().unwrap_or_default(), d.usd()?)))
        .collect();
    tiers.sort();
    tiers
        .iter()
        .find(|(_, usd)| !usd.is_zero())
        .or(tiers.first())
        .map(|&(_, usd)| usd)
}

/// Reserved prices: the Price List gives them per unit ([TOOLSPRICING], API dump: WCU $1.80 +
/// $0.000081/h for 3 years), our names are per 100-unit block. Offers attach the reserved terms
/// to the `HeavyUsage:dynamodb.*` products or to the Standard `…CapacityUnit-Hrs` products
/// themselves; reserved capacity is not sold for Standard-IA [BILLUSAGE].
fn reserved_prices(usage: &str, offer: &TermOffer) -> Vec<(PriceKey, Decimal)> {
    let capacity = match usage {
        "HeavyUsage:dynamodb.read" | "ReadCapacityUnit-Hrs" => Capacity::Rcu,
        "HeavyUsage:dynamodb.write" | "WriteCapacityUnit-Hrs" => Capacity::Wcu,
        _ => return Vec::new(),
    };
    let term = match offer
        .term_attributes
        .get("LeaseContractLength")
        .map(String::as_str)
    {
        Some("1yr") => Term::OneYear,
        Some("3yr") => Term::ThreeYears,
        _ => return Vec::new(),
    };
    offer
        .price_dimensions
        .values()
        .filter_map(|d| {
            let charge = match d.unit.as_str() {
                "Quantity" => ReservedCharge::Upfront,
                "Hrs" => ReservedCharge::Hourly,
                _ => return None,
            };
            Some((
                PriceKey::Reserved(term, capacity, charge),
                d.usd()? * Decimal::ONE_HUNDRED,
            ))
        })
        .collect()
}

/// One input's JSON values: an offer file, or one or more get-products pages.
enum Document {
    Offer(Offer),
    Pages(Vec<PageProduct>),
}

fn read_documents(json: &str, source_name: &str) -> Result<Vec<Document>, ImportError> {
    let not_price_list = |detail: String| ImportError::NotPriceList {
        source_name: source_name.to_string(),
        detail,
    };
    let mut documents = Vec::new();
    for value in serde_json::Deserializer::from_str(json).into_iter::<Value>() {
        let value = value.map_err(|error| ImportError::NotJson {
            source_name: source_name.to_string(),
            error,
        })?;
        if value.get("products").is_some() {
            let offer = Offer::deserialize(value).map_err(|e| not_price_list(e.to_string()))?;
            documents.push(Document::Offer(offer));
        } else if value.get("PriceList").is_some() {
            let page = Page::deserialize(value).map_err(|e| not_price_list(e.to_string()))?;
            let products = page
                .price_list
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    serde_json::from_str(text)
                        .map_err(|e| not_price_list(format!("PriceList[{i}]: {e}")))
                })
                .collect::<Result<_, _>>()?;
            documents.push(Document::Pages(products));
        } else {
            return Err(not_price_list(
                "it has neither \"products\" nor \"PriceList\"".into(),
            ));
        }
    }
    Ok(documents)
}

/// The terms of one SKU in an offer file's `terms.OnDemand` or `terms.Reserved`.
fn offer_terms<'a>(
    map: &'a Option<BTreeMap<String, BTreeMap<String, TermOffer>>>,
    sku: &str,
) -> Vec<&'a TermOffer> {
    map.as_ref()
        .and_then(|m| m.get(sku))
        .map(|t| t.values().collect())
        .unwrap_or_default()
}

/// The terms of a get-products entry, which holds its own SKU's only.
fn page_terms(map: &Option<BTreeMap<String, TermOffer>>) -> Vec<&TermOffer> {
    map.iter().flat_map(|m| m.values()).collect()
}

fn items(document: &Document) -> Vec<Item<'_>> {
    match document {
        Document::Offer(offer) => offer
            .products
            .iter()
            .map(|(sku, product)| Item {
                sku,
                attributes: &product.attributes,
                on_demand: offer_terms(&offer.terms.on_demand, sku),
                reserved: offer_terms(&offer.terms.reserved, sku),
                as_of: &offer.publication_date,
                source: format!("AWS Price List {} {}", offer.offer_code, offer.version),
            })
            .collect(),
        Document::Pages(products) => products
            .iter()
            .map(|p| Item {
                sku: &p.product.sku,
                attributes: &p.product.attributes,
                on_demand: page_terms(&p.terms.on_demand),
                reserved: page_terms(&p.terms.reserved),
                as_of: &p.publication_date,
                source: format!("AWS Price List Query {} {}", p.service_code, p.version),
            })
            .collect(),
    }
}

/// Reads Price List inputs, each `(text, name)` (the name labels errors), into catalog prices.
/// Two SKUs giving one Region's price name different amounts is an error naming both; equal
/// amounts (the same SKU in two pages, say) are kept once.
pub fn import_price_lists(inputs: &[(String, String)]) -> Result<Imported, ImportError> {
    let documents = inputs
        .iter()
        .map(|(text, name)| read_documents(text, name))
        .collect::<Result<Vec<_>, _>>()?;
    let mut catalog = Catalog::default();
    let mut priced_by: BTreeMap<(String, PriceKey), (String, Decimal)> = BTreeMap::new();
    let mut skipped = Vec::new();
    for item in documents.iter().flatten().flat_map(items) {
        // Another service's usage types can be spelled like ours (S3's `TimedStorage-ByteHrs`).
        let service = item.attributes.get("servicecode").map(String::as_str);
        if service.is_some_and(|s| !SERVICES.contains(&s)) {
            continue;
        }
        let Some(usagetype) = item.attributes.get("usagetype") else {
            continue;
        };
        let region_code = item.attributes.get("regionCode").map(String::as_str);
        let (prefix_region, usage) = split_region(usagetype, region_code);
        let region = match (region_code, prefix_region) {
            (Some(code), _) => code,
            (None, Some(region)) => region,
            (None, None) => NO_PREFIX_REGION,
        };
        let mut found = Vec::new();
        if let Some(key) = on_demand_key(usage) {
            found.extend(
                item.on_demand
                    .iter()
                    .filter_map(|t| paid_price(&t.price_dimensions))
                    .map(|amount| (key.clone(), amount)),
            );
        }
        for term in &item.reserved {
            found.extend(reserved_prices(usage, term));
        }
        if found.is_empty() {
            skipped.push(usagetype.clone());
        }
        for (key, amount) in found {
            match priced_by.get(&(region.to_string(), key.clone())) {
                Some((sku, earlier)) if *earlier != amount => {
                    return Err(ImportError::DuplicatePrice {
                        price: format!("{region} {key}"),
                        first_sku: sku.clone(),
                        second_sku: item.sku.to_string(),
                        amounts: format!("{} and {}", earlier.normalize(), amount.normalize()),
                    });
                }
                Some(_) => continue,
                None => {}
            }
            priced_by.insert(
                (region.to_string(), key.clone()),
                (item.sku.to_string(), amount),
            );
            let price = Price {
                unit: key.unit(),
                amount,
                as_of: item.as_of.chars().take(10).collect(),
                source: item.source.trim().to_string(),
                confidence: Confidence::Confirmed,
            };
            catalog.set(region, key, price);
        }
    }
    skipped.sort();
    skipped.dedup();
    if priced_by.is_empty() {
        let names: Vec<&str> = inputs.iter().map(|(_, name)| name.as_str()).collect();
        return Err(ImportError::Empty {
            sources: names.join(", "),
            skipped: if skipped.is_empty() {
                String::new()
            } else {
                format!(" (usage types seen but not priced: {})", skipped.join(", "))
            },
        });
    }
    Ok(Imported { catalog, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [BILLUSAGE]'s examples: `USW2-ReadRequestUnits` is us-west-2, `EU-WriteCapacityUnit-Hrs`
    /// eu-west-1, `ReadCapacityUnit-Hrs` (no prefix) us-east-1; `IA-` is the table class.
    #[test]
    fn billing_prefixes_name_the_region_and_keep_the_ia_marker() {
        assert_eq!(
            split_region("USW2-ReadRequestUnits", None),
            (Some("us-west-2"), "ReadRequestUnits")
        );
        assert_eq!(
            split_region("EU-WriteCapacityUnit-Hrs", None),
            (Some("eu-west-1"), "WriteCapacityUnit-Hrs")
        );
        assert_eq!(
            split_region("APN1-IA-ReadRequestUnits", None),
            (Some("ap-northeast-1"), "IA-ReadRequestUnits")
        );
        assert_eq!(
            split_region("IA-ReadRequestUnits", None),
            (None, "IA-ReadRequestUnits")
        );
        assert_eq!(
            split_region("ReadCapacityUnit-Hrs", None),
            (None, "ReadCapacityUnit-Hrs")
        );
        // A prefix missing from the table is only removed when AWS names the Region.
        assert_eq!(
            split_region("CAN2-ReadRequestUnits", Some("ca-west-1")),
            (None, "ReadRequestUnits")
        );
        assert_eq!(
            split_region("CAN2-ReadRequestUnits", None),
            (None, "CAN2-ReadRequestUnits")
        );
    }

    /// The table is one prefix per billing code, and every Region it names is a Region code.
    #[test]
    fn billing_table_has_no_duplicate_prefix() {
        let mut prefixes: Vec<&str> = BILLING_REGIONS.iter().map(|(p, _)| *p).collect();
        prefixes.sort();
        let count = prefixes.len();
        prefixes.dedup();
        assert_eq!(prefixes.len(), count);
        assert_eq!(count, 31);
    }

    #[test]
    fn replicated_and_ia_usage_types_are_not_confused_with_plain_ones() {
        use PriceKey::*;
        let key = |u| on_demand_key(split_region(u, None).1).unwrap();
        assert_eq!(
            key("USW2-ReplWriteCapacityUnit-Hrs"),
            ReplicatedWcuHour(TableClass::Standard)
        );
        assert_eq!(
            key("IA-WriteRequestUnits"),
            OnDemandWrite(TableClass::StandardIa)
        );
        assert_eq!(
            key("EUC1-WriteCapacityUnit-Hrs"),
            ProvisionedWcuHour(TableClass::Standard)
        );
        assert_eq!(on_demand_key("IA-TimedPITRStorage-ByteHrs"), None);
        assert_eq!(
            on_demand_key(split_region("USE1-EUW1-AWS-Out-Bytes", None).1),
            None
        );
    }
}
