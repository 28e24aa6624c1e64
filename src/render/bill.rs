//! A bill as GitHub-Markdown lines with their working and source, then the total; and the
//! price catalog as a table. Both are plain Markdown so they paste into an issue as they are.

use std::fmt::Write as _;

use crate::cost::{dollars, Bill};
use crate::pricing::{Confidence, PriceRow};
use crate::quantity::group_digits;

/// An empty table that renders as GitHub Markdown.
fn markdown_table(header: &[&str]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::ASCII_MARKDOWN);
    table.set_header(header);
    table
}

/// What buying the new reserved blocks of a bill commits to, beyond the period it shows.
pub fn commitment(term: crate::pricing::Term, commitment: &crate::cost::Commitment) -> String {
    format!(
        "Buying the new reserved blocks is {}.\n",
        super::layout::commitment_phrase(term, commitment)
    )
}

/// The lines of `bill` with their working and price source, then the total (or what is
/// missing from it).
pub fn bill(bill: &Bill) -> String {
    let mut out = String::new();
    let mut table = markdown_table(&[
        "line",
        "working",
        "quantity",
        "unit price",
        "amount",
        "price (as of, source)",
    ]);
    for line in &bill.lines {
        let flag = if line.uncertain { " (uncertain)" } else { "" };
        table.add_row([
            line.name.clone(),
            line.working.clone(),
            group_digits(line.quantity),
            line.unit_price.map_or("-".into(), |p| {
                format!("${} per {}", p.normalize(), line.unit.name())
            }),
            line.amount.map_or("NOT PRICED".into(), dollars),
            match (&line.as_of, &line.source) {
                (Some(as_of), Some(source)) => {
                    format!("{}, {as_of}, {source}{flag}", line.price_name)
                }
                _ => format!("{}: missing", line.price_name),
            },
        ]);
    }
    let _ = writeln!(out, "{table}\n");
    let missing = bill.unpriced();
    if missing.is_empty() {
        let _ = writeln!(
            out,
            "Total: {} (exact {})",
            dollars(bill.total()),
            bill.total()
        );
    } else {
        let _ = writeln!(
            out,
            "Total: unknown, no price for {}; the priced lines come to {}.",
            missing.join(", "),
            dollars(bill.total())
        );
    }
    if bill.uncertain() {
        let _ = writeln!(out, "Some prices are marked uncertain in the price data; check them or override with --price.");
    }
    out
}

/// Catalog prices with each one's date, source and confidence.
pub fn price_table<'a>(rows: impl Iterator<Item = PriceRow<'a>>) -> String {
    let mut table = markdown_table(&[
        "region",
        "name",
        "amount (USD)",
        "per",
        "as of",
        "source",
        "confidence",
    ]);
    for PriceRow {
        region,
        name,
        price,
    } in rows
    {
        table.add_row([
            region.to_string(),
            name,
            price.amount.normalize().to_string(),
            price.unit.name().to_string(),
            price.as_of.clone(),
            price.source.clone(),
            match price.confidence {
                Confidence::Confirmed => "confirmed".into(),
                flagged => flagged.name().to_uppercase(),
            },
        ]);
    }
    format!("{table}\n")
}

/// What `prices show` lists, and how old its figures are.
pub fn catalog_heading(dated: Option<(&str, &str)>, overridden: bool, rows: usize) -> String {
    let over = if overridden {
        ", with --prices merged over it"
    } else {
        ""
    };
    match dated {
        Some((oldest, newest)) => format!(
            "Price catalog: built into capacity-plan {}{over}; figures dated {oldest} to {newest}. {rows} prices listed.\n\n",
            env!("CARGO_PKG_VERSION")
        ),
        None => format!("Price catalog: empty{over}.\n\n"),
    }
}
