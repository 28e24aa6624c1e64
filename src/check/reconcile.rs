//! A plan against the bill: each planned table's cost lines in one mode beside what the Cost
//! and Usage Report charged it (`import::cur`), matched on price name and Region, so a plan
//! can be checked against the month it predicted. Numbers and enums; `render` writes the rest.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::capacity::CapacityMode;
use crate::import::cur::BilledLine;
use crate::plan::{chosen_mode, PlanReport, TableCosts};
use crate::pricing::PriceKey;

/// One table's plan beside its bill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableReconciliation {
    pub table: String,
    /// The mode whose lines were compared; `None` when none was chosen, so every billed line
    /// stands alone.
    pub mode: Option<CapacityMode>,
    pub lines: Vec<LineReconciliation>,
    /// The planned lines' priced amounts, summed; unpriced lines add nothing.
    pub planned: Decimal,
    pub billed: Decimal,
    /// `billed - planned`: above zero, the bill came to more than the plan.
    pub difference: Decimal,
}

/// Which side a line is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Both,
    /// Planned but never billed.
    PlanOnly,
    /// Billed but not planned (or, with no price name, not one the catalog knows).
    BillOnly,
}

/// One price name in one Region: the plan's lines for it summed, and the bill's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineReconciliation {
    pub region: String,
    pub price: Option<PriceKey>,
    /// The billed usage type, when billed.
    pub usage_type: Option<String>,
    pub side: Side,
    pub planned_quantity: Option<Decimal>,
    /// `None` when not planned, or planned without a catalog price.
    pub planned_amount: Option<Decimal>,
    pub billed_quantity: Option<Decimal>,
    pub billed_cost: Option<Decimal>,
    /// Billed less planned, a missing side counting as zero.
    pub quantity_difference: Decimal,
    /// Billed less planned, a missing side counting as zero; `None` when the planned line
    /// has no price.
    pub cost_difference: Option<Decimal>,
}

/// The mode a table runs: the spec's `capacity:` choice, or for `compare` the recommendation.
pub fn running_mode(table: &TableCosts) -> Option<CapacityMode> {
    chosen_mode(table.capacity_choice).or(table.recommendation.as_ref().map(|r| r.mode))
}

/// Each table of `report` that `billed` names, in the plan's order, compared in the mode
/// `mode_of` gives it. A table's GSIs are billed under its own resource, so the plan's lines of
/// one price name and Region (the table's and each GSI's) are summed before they are matched.
pub fn reconcile(
    report: &PlanReport,
    mode_of: impl Fn(&TableCosts) -> Option<CapacityMode>,
    billed: &[BilledLine],
) -> Vec<TableReconciliation> {
    report
        .costs
        .iter()
        .filter(|t| billed.iter().any(|b| b.table == t.table))
        .map(|t| {
            let mode = mode_of(t);
            let planned = t
                .modes
                .iter()
                .find(|m| Some(m.mode) == mode)
                .map(|m| m.bill.lines.as_slice())
                .unwrap_or_default();
            let mut lines: Vec<LineReconciliation> = Vec::new();
            let mut sums: BTreeMap<(String, PriceKey), usize> = BTreeMap::new();
            for line in planned {
                let key = (line.region.clone(), line.price_name.clone());
                match sums.get(&key) {
                    Some(&i) => {
                        let into = &mut lines[i];
                        into.planned_quantity = into.planned_quantity.map(|q| q + line.quantity);
                        into.planned_amount =
                            into.planned_amount.zip(line.amount).map(|(a, b)| a + b);
                    }
                    None => {
                        sums.insert(key, lines.len());
                        lines.push(LineReconciliation {
                            region: line.region.clone(),
                            price: Some(line.price_name.clone()),
                            usage_type: None,
                            side: Side::PlanOnly,
                            planned_quantity: Some(line.quantity),
                            planned_amount: line.amount,
                            billed_quantity: None,
                            billed_cost: None,
                            quantity_difference: Decimal::ZERO,
                            cost_difference: None,
                        });
                    }
                }
            }
            for bill in billed.iter().filter(|b| b.table == t.table) {
                let matched = bill
                    .price
                    .as_ref()
                    .and_then(|p| sums.get(&(bill.region.clone(), p.clone())));
                match matched {
                    Some(&i) => {
                        let into = &mut lines[i];
                        into.side = Side::Both;
                        into.usage_type = Some(bill.usage_type.clone());
                        into.billed_quantity = Some(bill.quantity);
                        into.billed_cost = Some(bill.cost);
                    }
                    None => lines.push(LineReconciliation {
                        region: bill.region.clone(),
                        price: bill.price.clone(),
                        usage_type: Some(bill.usage_type.clone()),
                        side: Side::BillOnly,
                        planned_quantity: None,
                        planned_amount: None,
                        billed_quantity: Some(bill.quantity),
                        billed_cost: Some(bill.cost),
                        quantity_difference: Decimal::ZERO,
                        cost_difference: None,
                    }),
                }
            }
            for line in &mut lines {
                let side = |v: Option<Decimal>| v.unwrap_or_default();
                line.quantity_difference =
                    (side(line.billed_quantity) - side(line.planned_quantity)).normalize();
                line.cost_difference = match (line.planned_quantity, line.planned_amount) {
                    (Some(_), None) => None,
                    (_, amount) => Some((side(line.billed_cost) - side(amount)).normalize()),
                };
            }
            let planned: Decimal = lines.iter().filter_map(|l| l.planned_amount).sum();
            let billed: Decimal = lines.iter().filter_map(|l| l.billed_cost).sum();
            TableReconciliation {
                table: t.table.clone(),
                mode,
                lines,
                planned: planned.normalize(),
                billed: billed.normalize(),
                difference: (billed - planned).normalize(),
            }
        })
        .collect()
}
