//! The price catalog: prices as data (`data/prices.json`, embedded in the binary), each with its
//! unit, date, source and confidence, looked up by region and typed name. A user file given with
//! `--prices` is merged over it, and `import` turns an AWS Price List offer file into that format.

pub mod import;
mod key;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

pub use key::{Capacity, PriceKey, PriceUnit, ReservedCharge, Term, UnknownPrice};

/// The built-in catalog, compiled in so that pricing never needs the network.
/// JSON rather than YAML: the catalog is read on every run, and serde_json reads it in a
/// fraction of the time (user price files are still YAML, of which JSON is a subset).
const BUILTIN: &str = include_str!("../../data/prices.json");

/// How far a figure can be trusted; any but a confirmed one is flagged in every cost line it
/// prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Read from a source that publishes it.
    Confirmed,
    /// From a source that may be stale or second-hand.
    Uncertain,
    /// Computed from a sourced figure by a cited pricing rule; its `source` names both.
    Derived,
}

impl Confidence {
    /// The name the price file uses.
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Uncertain => "uncertain",
            Confidence::Derived => "derived",
        }
    }
}

/// One price with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub unit: PriceUnit,
    /// USD per one `unit`; read from the file's text, never through a float.
    #[serde(deserialize_with = "exact_amount")]
    pub amount: Decimal,
    pub as_of: String,
    pub source: String,
    pub confidence: Confidence,
}

/// One price with its Region and name, as `prices show` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct PriceRow<'a> {
    pub region: &'a str,
    pub name: String,
    #[serde(flatten)]
    pub price: &'a Price,
}

/// Reads an amount from a quoted string or an integer. An unquoted decimal is refused: YAML
/// parsers hand it over as an `f64`, which cannot hold every price exactly.
fn exact_amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    struct Exact;
    impl Visitor<'_> for Exact {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a non-negative amount as a quoted string, e.g. \"0.00013\"")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
            crate::quantity::parse_price(text).map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
            crate::quantity::check_price(Decimal::from(value)).map_err(E::custom)
        }
        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
            Err(E::custom(format!(
                "amount {value} must be quoted, e.g. \"{value}\", so that it is read exactly"
            )))
        }
    }
    deserializer.deserialize_any(Exact)
}

/// One region's prices, checked as they are read so that a wrong unit is reported at its line.
#[derive(Debug, Clone, Default, PartialEq)]
struct RegionPrices(BTreeMap<PriceKey, Price>);

impl<'de> Deserialize<'de> for RegionPrices {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Prices;
        impl<'de> Visitor<'de> for Prices {
            type Value = RegionPrices;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of price name to {unit, amount, as_of, source, confidence}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RegionPrices, A::Error> {
                let mut prices = BTreeMap::new();
                while let Some(key) = map.next_key::<PriceKey>()? {
                    let price: Price = map.next_value()?;
                    if price.unit != key.unit() {
                        return Err(de::Error::custom(format!(
                            "`{key}` is priced per `{}`, not per `{}`",
                            key.unit().name(),
                            price.unit.name()
                        )));
                    }
                    prices.insert(key, price);
                }
                Ok(RegionPrices(prices))
            }
        }
        deserializer.deserialize_map(Prices)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceFile {
    regions: BTreeMap<String, RegionPrices>,
}

/// Why a price could not be found or a price file not read.
#[derive(Debug, thiserror::Error)]
pub enum PriceError {
    #[error(transparent)]
    File(#[from] crate::yaml::YamlError),
    #[error("the built-in price data is damaged: {0}")]
    Builtin(String),
    #[error("unknown region `{region}`; prices are known for: {known}. Add it with --prices FILE")]
    UnknownRegion { region: String, known: String },
}

/// Prices by region and name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    regions: BTreeMap<String, BTreeMap<PriceKey, Price>>,
}

impl Catalog {
    /// The prices shipped with the crate.
    /// Parsed once a process and copied: the command line's version names its dates too.
    pub fn builtin() -> Result<Self, PriceError> {
        static PARSED: OnceLock<Result<Catalog, String>> = OnceLock::new();
        PARSED
            .get_or_init(|| {
                serde_json::from_str::<PriceFile>(BUILTIN)
                    .map(Self::from_file)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(PriceError::Builtin)
    }

    /// Reads a price file; `source` names it in error messages.
    pub fn from_yaml(text: &str, source: &str) -> Result<Self, PriceError> {
        let file: PriceFile = crate::yaml::from_str(text, source)?;
        Ok(Self::from_file(file))
    }

    fn from_file(file: PriceFile) -> Self {
        Catalog {
            regions: file
                .regions
                .into_iter()
                .map(|(region, prices)| (region, prices.0))
                .collect(),
        }
    }

    /// Lays `over` on top: its prices replace ours name by name, its new regions are added.
    pub fn merge(&mut self, over: Catalog) {
        for (region, prices) in over.regions {
            self.regions.entry(region).or_default().extend(prices);
        }
    }

    /// Sets one price, e.g. from `--price NAME=VALUE`.
    pub fn set(&mut self, region: &str, key: PriceKey, price: Price) {
        self.regions
            .entry(region.to_string())
            .or_default()
            .insert(key, price);
    }

    /// Fails for a region with no prices at all, naming the ones we have.
    pub fn check_region(&self, region: &str) -> Result<(), PriceError> {
        if self.regions.contains_key(region) {
            return Ok(());
        }
        Err(PriceError::UnknownRegion {
            region: region.to_string(),
            known: self.regions.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }

    /// The price of `key` in `region`, if the data has one.
    pub fn get(&self, region: &str, key: &PriceKey) -> Option<&Price> {
        self.regions.get(region)?.get(key)
    }

    /// Every region with its prices, in name order.
    pub fn regions(&self) -> impl Iterator<Item = (&str, &BTreeMap<PriceKey, Price>)> {
        self.regions.iter().map(|(r, p)| (r.as_str(), p))
    }

    /// The prices in `region` (every Region when `None`) whose name contains `name`, by Region
    /// and name.
    pub fn select<'a>(
        &'a self,
        region: Option<&'a str>,
        name: Option<&'a str>,
    ) -> impl Iterator<Item = PriceRow<'a>> {
        self.regions()
            .filter(move |(r, _)| region.is_none_or(|want| want == *r))
            .flat_map(|(region, prices)| {
                prices.iter().map(move |(key, price)| PriceRow {
                    region,
                    name: key.to_string(),
                    price,
                })
            })
            .filter(move |row| name.is_none_or(|part| row.name.contains(part)))
    }

    /// The oldest and newest `as_of` of its figures (ISO dates sort as text); `None` when empty.
    pub fn dated(&self) -> Option<(&str, &str)> {
        let dates = self
            .regions
            .values()
            .flat_map(|p| p.values())
            .map(|p| p.as_of.as_str());
        Some((dates.clone().min()?, dates.max()?))
    }

    /// The catalog in the price-file format, one price per line; strings are JSON-quoted,
    /// which YAML reads as double-quoted scalars.
    pub fn to_yaml(&self) -> String {
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        if self.regions.is_empty() {
            return "regions: {}\n".into();
        }
        let mut out = String::from("regions:\n");
        for (region, prices) in &self.regions {
            out.push_str(&format!("  {}:\n", quote(region)));
            for (key, p) in prices {
                out.push_str(&format!(
                    "    {key}: {{unit: {}, amount: \"{}\", as_of: {}, source: {}, confidence: {}}}\n",
                    p.unit.name(),
                    p.amount.normalize(),
                    quote(&p.as_of),
                    quote(&p.source),
                    p.confidence.name()
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::TableClass;
    use rust_decimal::dec;

    #[test]
    fn builtin_has_the_required_regions_and_rule_figures() {
        let catalog = Catalog::builtin().unwrap();
        for region in [
            "us-east-1",
            "us-east-2",
            "us-west-2",
            "eu-west-1",
            "eu-central-1",
            "ap-southeast-2",
            "ap-northeast-1",
        ] {
            catalog.check_region(region).unwrap();
            assert!(catalog
                .get(region, &PriceKey::ProvisionedWcuHour(TableClass::Standard))
                .is_some());
        }
        // §7.2: current (post-November-2024) on-demand price, not $1.25 per million.
        let wru = catalog
            .get("us-east-1", &PriceKey::OnDemandWrite(TableClass::Standard))
            .unwrap();
        assert_eq!(wru.amount, dec!(0.000000625));
        // §7.3: no on-demand figure for Sydney, so none is invented.
        assert!(catalog
            .get(
                "ap-southeast-2",
                &PriceKey::OnDemandWrite(TableClass::Standard)
            )
            .is_none());
        // §7.3: Ireland's figure is a third-party price halved for the cut, flagged uncertain.
        let ireland = catalog
            .get("eu-west-1", &PriceKey::OnDemandWrite(TableClass::Standard))
            .unwrap();
        assert_eq!(ireland.amount, dec!(0.00000070675));
        assert_eq!(ireland.confidence, Confidence::Uncertain);
        // §7.3: us-east-2 has no 3-year reserved entry.
        assert!(catalog
            .get(
                "us-east-2",
                &PriceKey::Reserved(Term::ThreeYears, Capacity::Wcu, ReservedCharge::Upfront)
            )
            .is_none());
        // [RECO] prices Cape Town and GovCloud too: af-south-1 WCU $0.00087465, us-gov-west-1
        // RCU $0.000156 per hour.
        let wcu = PriceKey::ProvisionedWcuHour(TableClass::Standard);
        let cape_town = catalog.get("af-south-1", &wcu).unwrap();
        assert_eq!(cape_town.amount, dec!(0.00087465));
        let gov = catalog
            .get(
                "us-gov-west-1",
                &PriceKey::ProvisionedRcuHour(TableClass::Standard),
            )
            .unwrap();
        assert_eq!(gov.amount, dec!(0.000156));
        // [RECO] left Hong Kong's rWCU at $0.00105735; since November 2024 rWCU = WCU
        // [GTFAQ], so the catalog derives $0.000814 from its WCU and says so.
        let rwcu = catalog
            .get(
                "ap-east-1",
                &PriceKey::ReplicatedWcuHour(TableClass::Standard),
            )
            .unwrap();
        assert_eq!(rwcu.amount, catalog.get("ap-east-1", &wcu).unwrap().amount);
        assert_eq!(rwcu.confidence, Confidence::Derived);
        assert!(rwcu.source.contains("GTFAQ"), "{}", rwcu.source);
    }

    #[test]
    fn to_yaml_reads_back_identically() {
        let catalog = Catalog::builtin().unwrap();
        assert_eq!(
            Catalog::from_yaml(&catalog.to_yaml(), "round trip").unwrap(),
            catalog
        );
    }

    #[test]
    fn override_replaces_one_price_and_adds_a_region() {
        let mut catalog = Catalog::builtin().unwrap();
        let over = Catalog::from_yaml(
            "regions:\n  us-east-1:\n    ondemand_write_standard: {unit: request, amount: \"0.00000125\", as_of: \"2023-01-01\", source: old, confidence: confirmed}\n  mars-north-1:\n    restore_gb: {unit: gb, amount: \"1\", as_of: x, source: y, confidence: uncertain}\n",
            "over.yaml",
        )
        .unwrap();
        catalog.merge(over);
        let key = PriceKey::OnDemandWrite(TableClass::Standard);
        assert_eq!(
            catalog.get("us-east-1", &key).unwrap().amount,
            dec!(0.00000125)
        );
        assert!(catalog
            .get("us-east-1", &PriceKey::OnDemandRead(TableClass::Standard))
            .is_some());
        catalog.check_region("mars-north-1").unwrap();
    }

    #[test]
    fn bad_files_are_located() {
        let bad = |text: &str| Catalog::from_yaml(text, "p.yaml").unwrap_err().to_string();
        let float = bad("regions:\n  us-east-1:\n    restore_gb: {unit: gb, amount: 0.15, as_of: x, source: y, confidence: confirmed}\n");
        assert!(
            float.contains("must be quoted") && float.contains("p.yaml:3"),
            "{float}"
        );
        let unit = bad("regions:\n  us-east-1:\n    restore_gb: {unit: gb_month, amount: \"0.15\", as_of: x, source: y, confidence: confirmed}\n");
        assert!(
            unit.contains("per `gb`") && unit.contains("p.yaml:3"),
            "{unit}"
        );
        let name = bad("regions:\n  us-east-1:\n    restore: {unit: gb, amount: \"0.15\", as_of: x, source: y, confidence: confirmed}\n");
        assert!(
            name.contains("unknown price name `restore`") && name.contains("p.yaml:3"),
            "{name}"
        );
        let negative = bad("regions:\n  r:\n    restore_gb: {unit: gb, amount: \"-1\", as_of: x, source: y, confidence: confirmed}\n");
        assert!(negative.contains("negative"), "{negative}");
    }

    #[test]
    fn unknown_region_lists_the_known_ones() {
        let err = Catalog::builtin()
            .unwrap()
            .check_region("us-east-9")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("us-east-9") && err.contains("eu-central-1"),
            "{err}"
        );
    }
}
