//! Allowances credited per account and Region across all tables together (§7.2 [FREE]
//! [STRCOST]). The always-free tier: 25 GB-month of storage, 25 provisioned RCU and 25
//! provisioned WCU. Only provisioned capacity benefits: on-demand request units never do
//! [VANTAGE]. We apply it to the Standard table class only, as AWS's free-tier wording does,
//! and not to replicated WCU; both readings are documented in docs/pricing.md. And, free tier
//! or not, the first 2,500,000 DynamoDB Streams read requests a month by non-Lambda consumers
//! in each Region ([STRCOST]: "Every month, the first 2,500,000 read requests made by
//! non-Lambda consumers are also free of cost").

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::CostLine;
use crate::capacity::TableClass;
use crate::pricing::{Capacity, Catalog, PriceKey};
use crate::quantity::{group_digits, MonthHours};

/// One allowance: its catalog quantity, the usage it cancels, the factor that turns the
/// quantity into a month's worth of that usage, and what the credit line is called.
struct Allowance {
    key: PriceKey,
    used: PriceKey,
    per_month: Decimal,
    what: &'static str,
    name: &'static str,
}

/// Credit lines (negative quantities) for the free tier, one per region and allowance, given
/// every line of the account.
pub fn free_tier_credits(
    lines: &[CostLine],
    catalog: &Catalog,
    month: MonthHours,
) -> Vec<CostLine> {
    let hours = Decimal::from(month.0);
    let rule = |key, used, per_month, what| Allowance {
        key,
        used,
        per_month,
        what,
        name: "free tier",
    };
    credits(
        lines,
        catalog,
        &[
            rule(
                PriceKey::FreeStorageGbMonth,
                PriceKey::Storage(TableClass::Standard),
                Decimal::ONE,
                "GB-month of storage",
            ),
            rule(
                PriceKey::FreeUnits(Capacity::Rcu),
                PriceKey::ProvisionedRcuHour(TableClass::Standard),
                hours,
                "provisioned RCU-hours",
            ),
            rule(
                PriceKey::FreeUnits(Capacity::Wcu),
                PriceKey::ProvisionedWcuHour(TableClass::Standard),
                hours,
                "provisioned WCU-hours",
            ),
        ],
    )
}

/// Credit lines for the Streams reads every Region gives free each month, whether or not the
/// free tier applies ([STRCOST]); the usage lines already leave out Lambda and replication
/// reads, which are never billed.
pub fn streams_allowance_credits(lines: &[CostLine], catalog: &Catalog) -> Vec<CostLine> {
    credits(
        lines,
        catalog,
        &[Allowance {
            key: PriceKey::FreeStreamsReadRequests,
            used: PriceKey::StreamsReadRequest,
            per_month: Decimal::ONE,
            what: "Streams read requests",
            name: "monthly allowance",
        }],
    )
}

/// Each credit is the smaller of the allowance and what was used, priced like the usage it
/// cancels. A region without allowance data gets an unpriced credit.
fn credits(lines: &[CostLine], catalog: &Catalog, rules: &[Allowance]) -> Vec<CostLine> {
    let regions: BTreeSet<&str> = lines.iter().map(|l| l.region.as_str()).collect();
    let mut credits = Vec::new();
    for region in regions {
        for Allowance {
            key: allowance_key,
            used: used_key,
            per_month,
            what,
            name,
        } in rules
        {
            let used: Decimal = lines
                .iter()
                .filter(|l| l.region == region && &l.price_name == used_key)
                .map(|l| l.quantity)
                .sum();
            if used <= Decimal::ZERO {
                continue;
            }
            let name = format!("{name}: {what}");
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
