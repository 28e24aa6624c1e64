//! A plan reconciled with the bill: per table, a row per price name and Region with the planned
//! and billed figures and their difference, then the totals; or the same as JSON.

use std::io::Write;

use serde::Serialize;

use super::layout::{Align, Section};
use super::Terminal;
use crate::check::{signed_dollars, Side, TableReconciliation};
use crate::cost::dollars;
use crate::quantity::group_digits;

/// The reconciliation as terminal tables, one per table.
pub fn table(tables: &[TableReconciliation], terminal: &Terminal) -> String {
    if tables.is_empty() {
        return "No table of the plan is named in the bill.\n".to_string();
    }
    let sections: Vec<Section> = tables.iter().map(section).collect();
    super::terminal::render(&sections, terminal)
}

fn section(t: &TableReconciliation) -> Section {
    let quantity = |q: Option<rust_decimal::Decimal>| q.map_or("-".into(), group_digits);
    let money = |a: Option<rust_decimal::Decimal>| a.map_or("-".into(), dollars);
    let rows = t
        .lines
        .iter()
        .map(|l| {
            vec![
                l.price
                    .as_ref()
                    .map_or("(not a catalog price)".into(), ToString::to_string),
                l.region.clone(),
                l.usage_type.clone().unwrap_or_else(|| "-".into()),
                match l.side {
                    Side::Both => "both",
                    Side::PlanOnly => "plan only",
                    Side::BillOnly => "bill only",
                }
                .into(),
                quantity(l.planned_quantity),
                match (l.planned_quantity, l.planned_amount) {
                    (Some(_), None) => "NOT PRICED".into(),
                    (_, amount) => money(amount),
                },
                quantity(l.billed_quantity),
                money(l.billed_cost),
                group_digits(l.quantity_difference),
                l.cost_difference.map_or("-".into(), signed_dollars),
            ]
        })
        .collect();
    let mode = t.mode.map_or("no mode chosen", |m| m.label());
    Section {
        title: format!("{} ({mode})", t.table),
        columns: vec![
            ("price", Align::Left),
            ("region", Align::Left),
            ("usage type", Align::Left),
            ("on", Align::Left),
            ("planned qty", Align::Right),
            ("planned", Align::Right),
            ("billed qty", Align::Right),
            ("billed", Align::Right),
            ("qty diff", Align::Right),
            ("diff", Align::Right),
        ],
        rows,
        notes: vec![format!(
            "Planned {}, billed {}: {} against the plan.",
            dollars(t.planned),
            dollars(t.billed),
            signed_dollars(t.difference)
        )],
    }
}

#[derive(Serialize)]
struct Body<'a> {
    tables: &'a [TableReconciliation],
}

/// The reconciliation as a JSON document of kind `reconcile`.
pub fn json(tables: &[TableReconciliation], out: &mut dyn Write) -> std::io::Result<()> {
    super::json::write_document(out, "reconcile", Body { tables })
}
