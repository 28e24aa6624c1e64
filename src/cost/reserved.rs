//! Reserved capacity: blocks of 100 RCU or WCU bought for 1 or 3 years, an upfront fee plus
//! an hourly fee for every hour of the term whether used or not; provisioned capacity above the
//! reservation is billed at the ordinary rate. Only Standard-class, single-region capacity can
//! be reserved: not Standard-IA, not replicated writes, not on-demand (§7.2 [RECO][TC][GTFAQ]).
//! Reservations are pooled per account and region, so the question is about summed usage.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{money, CostLine, TableUsage};
use crate::capacity::TableClass;
use crate::pricing::{Capacity, Catalog, PriceKey, ReservedCharge, Term};
use crate::quantity::{count, group_digits, MonthHours};

/// The ordinary Standard-class price a reservation of `capacity` replaces.
fn ordinary_key(capacity: Capacity) -> PriceKey {
    match capacity {
        Capacity::Rcu => PriceKey::ProvisionedRcuHour(TableClass::Standard),
        Capacity::Wcu => PriceKey::ProvisionedWcuHour(TableClass::Standard),
    }
}

/// Units in one reserved block.
pub const BLOCK_UNITS: u64 = 100;

/// The provisioned (RCU, WCU) of a table that reservations can cover: none for Standard-IA,
/// and for a global table only its GSIs' writes, since the table's own writes are rWCU.
pub fn reservable_units(usage: &TableUsage) -> (Decimal, Decimal) {
    if usage.class == TableClass::StandardIa {
        return (Decimal::ZERO, Decimal::ZERO);
    }
    usage
        .throughput
        .iter()
        .fold((Decimal::ZERO, Decimal::ZERO), |(r, w), t| {
            let wcu = if usage.global_table && t.index.is_none() {
                Decimal::ZERO
            } else {
                t.wcu
            };
            (r + t.rcu, w + wcu)
        })
}

/// What to reserve for: one region's reservable units, hour by hour over one month.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationQuestion {
    pub region: String,
    pub capacity: Capacity,
    pub term: Term,
    /// Provisioned units in each hour of the month; its length is the month's hours.
    pub hourly_units: Vec<Decimal>,
    /// Blocks already owned in this region for this capacity and term.
    pub owned_blocks: u64,
    /// Whether to buy more blocks where they pay; `false` prices the owned blocks alone, as
    /// every capacity mode pays them.
    pub buy: bool,
}

/// What buying blocks commits to over their whole term: the upfront payment, the term's total
/// (upfront and every hour's fee, used or not) and its monthly equivalent, the total spread
/// evenly over the term's hours. A bill shows one month; a purchase decision needs these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Commitment {
    pub upfront: Decimal,
    pub monthly_equivalent: Decimal,
    pub term_total: Decimal,
}

impl std::ops::Add for Commitment {
    type Output = Commitment;
    fn add(self, other: Commitment) -> Commitment {
        Commitment {
            upfront: money(self.upfront + other.upfront),
            monthly_equivalent: money(self.monthly_equivalent + other.monthly_equivalent),
            term_total: money(self.term_total + other.term_total),
        }
    }
}

/// The cheapest reservation for a question, with its month as cost lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationPlan {
    /// Blocks to buy on top of those owned.
    pub new_blocks: u64,
    pub owned_blocks: u64,
    /// What the new blocks commit to; owned blocks are paid for already.
    pub commitment: Commitment,
    pub lines: Vec<CostLine>,
    /// The month with this plan (reservation fees plus capacity above it).
    pub cost: Decimal,
    /// The month with no new blocks (owned blocks still paid).
    pub cost_without_new: Decimal,
}

/// A price the optimizer cannot do without.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no price for `{key}` in {region}; add it with --prices FILE or --price {key}=VALUE")]
pub struct MissingPrice {
    pub region: String,
    pub key: PriceKey,
}

fn price(catalog: &Catalog, region: &str, key: PriceKey) -> Result<Decimal, MissingPrice> {
    catalog
        .get(region, &key)
        .map(|p| p.amount)
        .ok_or(MissingPrice {
            region: region.into(),
            key,
        })
}

/// The month's hours grouped by their units, (units, hours), so the optimizer's work grows
/// with the distinct levels of usage rather than with the 730 hours (a fixed capacity is one).
fn levels(hourly: &[Decimal]) -> Vec<(Decimal, Decimal)> {
    let mut sorted = hourly.to_vec();
    sorted.sort_unstable();
    let mut levels: Vec<(Decimal, Decimal)> = Vec::new();
    for units in sorted {
        match levels.last_mut() {
            Some((level, hours)) if *level == units => *hours += Decimal::ONE,
            _ => levels.push((units, Decimal::ONE)),
        }
    }
    levels
}

/// Unit-hours above `reserved` units over the month.
fn above(levels: &[(Decimal, Decimal)], reserved: Decimal) -> Decimal {
    levels
        .iter()
        .map(|&(units, hours)| (units - reserved).max(Decimal::ZERO) * hours)
        .sum()
}

/// Chooses how many blocks to add to those owned. Each further block saves the ordinary price of
/// the unit-hours it covers and costs its fees; that saving never grows with the block count
/// (each block covers hours the previous ones already covered, or fewer), so buying while the
/// next block saves money is optimal. Because the saving only shrinks, "the next block pays" is
/// true up to some count and false after it, and that count is found by binary search: about 40
/// steps of the grouped levels for any capacity, where adding one block at a time took minutes
/// for 10^10 RCU.
pub fn plan_reservation(
    question: &ReservationQuestion,
    catalog: &Catalog,
) -> Result<ReservationPlan, MissingPrice> {
    let region = question.region.as_str();
    let (term, capacity) = (question.term, question.capacity);
    let upfront = price(
        catalog,
        region,
        PriceKey::Reserved(term, capacity, ReservedCharge::Upfront),
    )?;
    let hourly = price(
        catalog,
        region,
        PriceKey::Reserved(term, capacity, ReservedCharge::Hourly),
    )?;
    let ordinary_key = ordinary_key(capacity);
    let ordinary = price(catalog, region, ordinary_key.clone())?;
    let hours = Decimal::from(question.hourly_units.len() as u64);
    // Upfront spread evenly over the term's hours; multiplied before dividing to stay exact.
    let upfront_per_block = upfront * hours / Decimal::from(term.hours());
    let block_month = upfront_per_block + hourly * hours;
    let block = Decimal::from(BLOCK_UNITS);
    let hourly_units = &levels(&question.hourly_units);
    let peak = hourly_units
        .last()
        .map_or(Decimal::ZERO, |&(units, _)| units);
    // Whether a block on top of `n` covers usage and saves more than it costs.
    let next_pays = |n: u64| {
        let reserved = Decimal::from(n) * block;
        let covered = above(hourly_units, reserved) - above(hourly_units, reserved + block);
        reserved < peak && covered * ordinary > block_month
    };
    // The first count from those owned at which the next block does not pay; enough blocks to
    // cover the peak is such a count.
    let enough = u64::try_from((peak / block).ceil()).unwrap_or(u64::MAX);
    let most = if question.buy {
        enough.max(question.owned_blocks)
    } else {
        question.owned_blocks
    };
    let (mut low, mut high) = (question.owned_blocks, most);
    while low < high {
        let middle = low + (high - low) / 2;
        if next_pays(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    let blocks = low;
    let cost_of = |n: u64| {
        Decimal::from(n) * block_month + above(hourly_units, Decimal::from(n) * block) * ordinary
    };
    let what = capacity.name().to_uppercase();
    let total = Decimal::from(blocks);
    // The upfront fee as published, on the share of the blocks' term this period covers: a
    // fee spread into a derived unit price would carry 28 digits no catalog gives.
    let upfront_line = CostLine::priced(
        catalog,
        region,
        PriceKey::Reserved(term, capacity, ReservedCharge::Upfront),
        format!("reserved {} {what}: upfront, amortized", term.name()),
        total * hours / Decimal::from(term.hours()),
        format!(
            "{} × {hours} h / {} h in the term",
            count(total, "block", "blocks"),
            group_digits(Decimal::from(term.hours()))
        ),
    );
    let excess = above(hourly_units, total * block);
    let lines = vec![
        upfront_line,
        CostLine::priced(
            catalog,
            region,
            PriceKey::Reserved(term, capacity, ReservedCharge::Hourly),
            format!("reserved {} {what}: hourly", term.name()),
            total * hours,
            format!("{} × {hours} h", count(total, "block", "blocks")),
        ),
        CostLine::priced(
            catalog,
            region,
            ordinary_key,
            format!("provisioned {what} above the reservation"),
            excess,
            format!(
                "{} {what}-hours above {} reserved units",
                group_digits(excess),
                group_digits(total * block)
            ),
        ),
    ];
    let new = Decimal::from(blocks - question.owned_blocks);
    let term_total = new * (upfront + hourly * Decimal::from(term.hours()));
    Ok(ReservationPlan {
        commitment: Commitment {
            upfront: money(new * upfront),
            monthly_equivalent: money(term_total * hours / Decimal::from(term.hours())),
            term_total: money(term_total),
        },
        new_blocks: blocks - question.owned_blocks,
        owned_blocks: question.owned_blocks,
        cost: cost_of(blocks),
        cost_without_new: cost_of(question.owned_blocks),
        lines,
    })
}

/// Blocks that the remainders of several tables in one Region buy together: reservations are
/// pooled per account and Region (§7.2 [RECO]), so the capacity each table's own blocks leave
/// uncovered is summed, and the blocks that pay on that sum are bought. Given every reserved
/// mode line of the account, the pooled blocks' fees and a credit (negative unit-hours at the
/// ordinary rate) for the capacity they cover; nothing where no further block pays.
pub fn pooled_reservation_credits(
    lines: &[CostLine],
    catalog: &Catalog,
    month: MonthHours,
) -> Vec<CostLine> {
    let regions: BTreeSet<&str> = lines.iter().map(|l| l.region.as_str()).collect();
    let hours = Decimal::from(month.0);
    let mut credits = Vec::new();
    for region in regions {
        let in_region = || lines.iter().filter(move |l| l.region == region);
        // The term of the Region's reservations; one year when none shows.
        let term = in_region()
            .find_map(|l| match l.price_name {
                PriceKey::Reserved(term, ..) => Some(term),
                _ => None,
            })
            .unwrap_or(Term::OneYear);
        for capacity in [Capacity::Rcu, Capacity::Wcu] {
            let ordinary = ordinary_key(capacity);
            let remainders: Vec<&CostLine> =
                in_region().filter(|l| l.price_name == ordinary).collect();
            // A table's own remainder alone already bought every block that pays.
            if remainders.len() < 2 {
                continue;
            }
            let unit_hours: Decimal = remainders.iter().map(|l| l.quantity).sum();
            let question = ReservationQuestion {
                region: region.to_string(),
                capacity,
                term,
                hourly_units: vec![unit_hours / hours; month.0 as usize],
                owned_blocks: 0,
                buy: true,
            };
            let Ok(plan) = plan_reservation(&question, catalog) else {
                continue;
            };
            if plan.new_blocks == 0 {
                continue;
            }
            let covered = unit_hours - plan.lines[2].quantity;
            let what = capacity.name().to_uppercase();
            credits.extend(plan.lines.into_iter().take(2).map(|mut line| {
                line.name = format!("pooled across tables in {region}: {}", line.name);
                line
            }));
            credits.push(CostLine::priced(
                catalog,
                region,
                ordinary,
                format!(
                    "pooled across tables in {region}: provisioned {what} the pooled blocks cover"
                ),
                -covered,
                format!(
                    "{} of the {} {what}-hours the tables' own blocks leave uncovered",
                    group_digits(covered),
                    group_digits(unit_hours)
                ),
            ));
        }
    }
    credits
}
