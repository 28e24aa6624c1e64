//! Converts an AWS Price List bulk offer file (`AmazonDynamoDB` or `AmazonDAX`, the public JSON
//! format) into our catalog, so prices can be refreshed offline from a downloaded file.
//!
//! Products are matched on `attributes.usagetype` with its region prefix (`USE2-`, `EUW1-`)
//! removed; the names are AWS's billing usage types (DynamoDB developer guide, "Understanding
//! your bill"). A usage type we do not price is reported, not guessed.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Capacity, Catalog, Confidence, Price, PriceKey, ReservedCharge, Term};
use crate::capacity::TableClass;

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
    terms: Terms,
}

#[derive(Debug, Deserialize)]
struct Product {
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct Terms {
    #[serde(rename = "OnDemand", default)]
    on_demand: BTreeMap<String, BTreeMap<String, TermOffer>>,
    #[serde(rename = "Reserved", default)]
    reserved: BTreeMap<String, BTreeMap<String, TermOffer>>,
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

/// What an import produced: the prices, and the usage types it left out.
#[derive(Debug)]
pub struct Imported {
    pub catalog: Catalog,
    pub skipped: Vec<String>,
}

/// Why an offer file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: not an AWS Price List offer file: {error}")]
pub struct ImportError {
    source_name: String,
    error: serde_json::Error,
}

/// Removes a region prefix such as `USE2-` or `APN1-` (letters then one digit).
fn strip_region(usagetype: &str) -> &str {
    match usagetype.split_once('-') {
        Some((prefix, rest))
            if prefix.len() >= 3
                && prefix.ends_with(|c: char| c.is_ascii_digit())
                && prefix[..prefix.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_uppercase()) =>
        {
            rest
        }
        _ => usagetype,
    }
}

/// The on-demand-term price name for a usage type, if we price it.
fn on_demand_key(usagetype: &str) -> Option<PriceKey> {
    use PriceKey::*;
    let usage = strip_region(usagetype);
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

/// Reserved prices: the Price List gives them per unit ([TOOLSPRICING], API dump:
/// WCU $1.80 + $0.000081/h for 3 years), our names are per 100-unit block.
fn reserved_prices(usage: &str, offer: &TermOffer) -> Vec<(PriceKey, Decimal)> {
    let capacity = match strip_region(usage) {
        "HeavyUsage:dynamodb.read" => Capacity::Rcu,
        "HeavyUsage:dynamodb.write" => Capacity::Wcu,
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

/// Reads an offer file (`source_name` names it in errors) into catalog prices.
pub fn import_offer(json: &str, source_name: &str) -> Result<Imported, ImportError> {
    let offer: Offer = serde_json::from_str(json).map_err(|error| ImportError {
        source_name: source_name.to_string(),
        error,
    })?;
    let as_of: String = offer.publication_date.chars().take(10).collect();
    let price = |key: &PriceKey, amount: Decimal| Price {
        unit: key.unit(),
        amount,
        as_of: as_of.clone(),
        source: format!("AWS Price List {} {}", offer.offer_code, offer.version)
            .trim()
            .to_string(),
        confidence: Confidence::Confirmed,
    };
    let mut catalog = Catalog::default();
    let mut skipped = Vec::new();
    for (sku, product) in &offer.products {
        let (Some(region), Some(usage)) = (
            product.attributes.get("regionCode"),
            product.attributes.get("usagetype"),
        ) else {
            continue;
        };
        let mut found = Vec::new();
        if let Some(key) = on_demand_key(usage) {
            let terms = offer
                .terms
                .on_demand
                .get(sku)
                .into_iter()
                .flat_map(|t| t.values());
            found.extend(
                terms
                    .filter_map(|t| paid_price(&t.price_dimensions))
                    .map(|amount| (key.clone(), amount)),
            );
        }
        for terms in offer
            .terms
            .reserved
            .get(sku)
            .into_iter()
            .flat_map(|t| t.values())
        {
            found.extend(reserved_prices(usage, terms));
        }
        if found.is_empty() {
            skipped.push(usage.clone());
        }
        for (key, amount) in found {
            let entry = price(&key, amount);
            catalog.set(region, key, entry);
        }
    }
    skipped.sort();
    skipped.dedup();
    Ok(Imported { catalog, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_prefixes_are_removed_but_not_the_ia_marker() {
        assert_eq!(strip_region("USE2-WriteRequestUnits"), "WriteRequestUnits");
        assert_eq!(
            strip_region("APN1-IA-ReadRequestUnits"),
            "IA-ReadRequestUnits"
        );
        assert_eq!(strip_region("IA-ReadRequestUnits"), "IA-ReadRequestUnits");
        assert_eq!(strip_region("TimedStorage-ByteHrs"), "TimedStorage-ByteHrs");
    }

    #[test]
    fn replicated_and_ia_usage_types_are_not_confused_with_plain_ones() {
        use PriceKey::*;
        let key = |u| on_demand_key(u).unwrap();
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
        assert_eq!(on_demand_key("USE1-EUW1-AWS-Out-Bytes"), None);
    }
}
