//! The always-free tier: per account and region, across all tables together, 25 GB-month of
//! storage, 25 provisioned RCU and 25 provisioned WCU, and 2.5 million Streams read requests
//! (§7.2 [FREE][STRCOST]). Only provisioned capacity benefits: on-demand request units never do
//! [VANTAGE]. We apply it to the Standard table class only, as AWS's free-tier wording does,
//! and not to replicated WCU; both readings are documented in docs/pricing.md.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::CostLine;
use crate::capacity::TableClass;
use crate::pricing::{Capacity, Catalog, PriceKey};
use crate::quantity::{group_digits, MonthHours};

/// Credit lines (negative quantities) for the free tier, one per region and allowance, given
/// every line of the account. Each credit is the smaller of the allowance and what was used,
/// priced like the usage it cancels. A region without allowance data gets an unpriced credit.
pub fn free_tier_credits(
    lines: &[CostLine],
    catalog: &Catalog,
    month: MonthHours,
) -> Vec<CostLine> {
    let hours = Decimal::from(month.0);
    let rules = [
        (
            PriceKey::FreeStorageGbMonth,
            PriceKey::Storage(TableClass::Standard),
            Decimal::ONE,
            "GB-month of storage",
        ),
        (
            PriceKey::FreeUnits(Capacity::Rcu),
            PriceKey::ProvisionedRcuHour(TableClass::Standard),
            hours,
            "provisioned RCU-hours",
        ),
        (
            PriceKey::FreeUnits(Capacity::Wcu),
            PriceKey::ProvisionedWcuHour(TableClass::Standard),
            hours,
            "provisioned WCU-hours",
        ),
        (
            PriceKey::FreeStreamsReadRequests,
            PriceKey::StreamsReadRequest,
            Decimal::ONE,
            "Streams read requests",
        ),
    ];
    let regions: BTreeSet<&str> = lines.iter().map(|l| l.region.as_str()).collect();
    let mut credits = Vec::new();
    for region in regions {
        for (allowance_key, used_key, per_month, what) in &rules {
            let used: Decimal = lines
                .iter()
                .filter(|l| l.region == region && &l.price_name == used_key)
                .map(|l| l.quantity)
                .sum();
            if used <= Decimal::ZERO {
                continue;
            }
            let name = format!("free tier: {what}");
            let Some(allowance) = catalog.get(region, allowance_key) else {
                let mut credit = CostLine::priced(
                    catalog,
                    region,
                    used_key.clone(),
                    name,
                    -used,
                    format!("no `{allowance_key}` allowance in the price data for {region}"),
                );
                credit.amount = None;
                credit.unit_price = None;
                credits.push(credit);
                continue;
            };
            let allowed = allowance.amount * per_month;
            let credit = allowed.min(used);
            let working = format!(
                "min(allowance {} {what}, used {}) across all tables in {region}",
                group_digits(allowed),
                group_digits(used)
            );
            credits.push(CostLine::priced(
                catalog,
                region,
                used_key.clone(),
                name,
                -credit,
                working,
            ));
        }
    }
    credits
}
