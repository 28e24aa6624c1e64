//! Money: cost lines priced from the catalog with `rust_decimal`, exact end to end.
//!
//! A line's amount is rounded once, where it is priced, to [`MONEY_SCALE`] places (a millionth
//! of a dollar): a quantity in binary GB or an amortized upfront fee would otherwise carry 20+
//! digits no bill has. A total is the exact sum of those amounts, so a saved report's figures
//! add up as printed. Display rounds again, to the cent, half away from zero (`$1.875` shows as
//! `$1.88`), which is how AWS bills and calculators present money. A price missing from the catalog leaves its
//! line unpriced (`amount: None`) and the bill incomplete — never a silent $0.
//!
//! Quantities (units, rates, GB, shares) are rounded for JSON by `crate::quantity::quantity`
//! on the ground floor, so that every document, `calc`'s and the quiz's too, writes them alike.

pub mod dax;
mod free_tier;
mod reserved;
mod table;

use std::collections::BTreeSet;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::pricing::{Catalog, Confidence, PriceKey, PriceUnit};
use crate::quantity::group_digits;

pub use dax::DaxCluster;
pub use free_tier::{free_tier_credits, streams_allowance_credits};
pub use reserved::{
    plan_reservation, pooled_reservation_credits, reservable_units, Commitment, ReservationPlan,
    ReservationQuestion, BLOCK_UNITS,
};
pub use table::{capacity_at_target, on_demand, provisioned, TableUsage, Throughput};

/// One priced quantity: what, how much, at what price, from which source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostLine {
    pub name: String,
    pub region: String,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub quantity: Decimal,
    pub unit: PriceUnit,
    /// How the quantity was reached, e.g. `40 RCU × 730 h`.
    pub working: String,
    pub unit_price: Option<Decimal>,
    pub price_name: PriceKey,
    pub source: Option<String>,
    pub as_of: Option<String>,
    /// Priced from a figure the catalog does not mark confirmed (uncertain or derived).
    pub uncertain: bool,
    /// `quantity × unit_price`, exact; `None` when the catalog has no price.
    pub amount: Option<Decimal>,
}

impl CostLine {
    /// Prices `quantity` of `key` in `region`; without a catalog price the line stays unpriced.
    pub fn priced(
        catalog: &Catalog,
        region: &str,
        key: PriceKey,
        name: impl Into<String>,
        quantity: Decimal,
        working: impl Into<String>,
    ) -> Self {
        let price = catalog.get(region, &key);
        CostLine {
            name: name.into(),
            region: region.to_string(),
            quantity,
            unit: key.unit(),
            working: working.into(),
            unit_price: price.map(|p| p.amount),
            source: price.map(|p| p.source.clone()),
            as_of: price.map(|p| p.as_of.clone()),
            uncertain: price.is_some_and(|p| p.confidence != Confidence::Confirmed),
            amount: price.map(|p| money(quantity * p.amount)),
            price_name: key,
        }
    }
}

/// Cost lines that belong together (a table in one mode, an account's free tier, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(into = "BillJson")]
pub struct Bill {
    pub lines: Vec<CostLine>,
}

impl Bill {
    /// Keeps the lines with a quantity: a feature not used costs nothing and needs no price.
    pub fn new(lines: impl IntoIterator<Item = CostLine>) -> Self {
        Bill {
            lines: lines
                .into_iter()
                .filter(|l| !l.quantity.is_zero())
                .collect(),
        }
    }

    /// The exact sum of the priced lines; see [`Bill::unpriced`] before trusting it.
    pub fn total(&self) -> Decimal {
        let total: Decimal = self.lines.iter().filter_map(|l| l.amount).sum();
        total.normalize()
    }

    /// The price names missing from the catalog, by region: `eu-west-1 ondemand_read_standard`.
    pub fn unpriced(&self) -> Vec<String> {
        let missing: BTreeSet<String> = self
            .lines
            .iter()
            .filter(|l| l.amount.is_none())
            .map(|l| format!("{} {}", l.region, l.price_name))
            .collect();
        missing.into_iter().collect()
    }

    /// Whether every line has a price, so the total is the whole bill.
    pub fn complete(&self) -> bool {
        self.lines.iter().all(|l| l.amount.is_some())
    }

    /// Whether any line is priced from a figure marked uncertain.
    pub fn uncertain(&self) -> bool {
        self.lines.iter().any(|l| l.uncertain)
    }
}

/// The JSON form of a bill: the exact total, whether it is complete, and every line.
#[derive(Serialize)]
struct BillJson {
    total: Decimal,
    complete: bool,
    unpriced: Vec<String>,
    lines: Vec<CostLine>,
}

impl From<Bill> for BillJson {
    fn from(bill: Bill) -> Self {
        let unpriced = bill.unpriced();
        BillJson {
            total: bill.total(),
            complete: unpriced.is_empty(),
            unpriced,
            lines: bill.lines,
        }
    }
}

/// Version of the `bill` document (`calc cost --format json`), which has no model of its own
/// beyond a bill: 2 writes quantities as JSON numbers, where 1 wrote decimal strings.
pub const BILL_SCHEMA_VERSION: u32 = 2;

/// Decimal places of every amount (not unit prices, which keep the catalog's digits); the
/// JSON conventions in docs/report.md state it.
pub const MONEY_SCALE: u32 = 6;

/// `amount` at [`MONEY_SCALE`], half away from zero, without trailing zeros.
pub fn money(amount: Decimal) -> Decimal {
    amount
        .round_dp_with_strategy(MONEY_SCALE, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// An amount rounded to the cent for display, half away from zero.
pub fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `$1,234.57`, `-$6.25`: an amount as people read it, rounded by [`cents`].
pub fn dollars(amount: Decimal) -> String {
    let rounded = cents(amount);
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let grouped = group_digits(int.parse().unwrap_or_default());
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${grouped}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn display_rounds_half_up_to_the_cent() {
        assert_eq!(dollars(dec!(1.875)), "$1.88");
        assert_eq!(dollars(dec!(117.676)), "$117.68");
        assert_eq!(dollars(dec!(0.125)), "$0.13");
        assert_eq!(dollars(dec!(-6.25)), "-$6.25");
        assert_eq!(dollars(dec!(1234567.5)), "$1,234,567.50");
        assert_eq!(dollars(dec!(-0.001)), "$0.00");
    }

    #[test]
    fn missing_price_leaves_the_line_unpriced_not_zero() {
        let catalog = Catalog::builtin().unwrap();
        let key = PriceKey::OnDemandRead(crate::capacity::TableClass::Standard);
        let line = CostLine::priced(&catalog, "ap-southeast-2", key, "reads", dec!(1000), "");
        assert_eq!(line.amount, None);
        let bill = Bill::new([line]);
        assert_eq!(
            bill.unpriced(),
            vec!["ap-southeast-2 ondemand_read_standard"]
        );
        let json = serde_json::to_value(&bill).unwrap();
        assert_eq!(json["complete"], false);
        assert_eq!(json["lines"][0]["amount"], serde_json::Value::Null);
    }
}
