//! The AWS Cost and Usage Report (CUR) as CSV or Parquet: DynamoDB's billed lines per table, Region and
//! price name, so a plan can be reconciled with the bill (`check::reconcile`, docs/import.md).
//!
//! Columns are read by name, in the legacy CUR spelling (`lineItem/UsageType`) or the Athena
//! one (`line_item_usage_type`), from AWS's "Line item details" data dictionary [CURLINE].
//! Usage types are mapped to price names as the Price List importer maps them, so a billed
//! line and a planned one meet on the same name. Amounts stay exact decimals.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{arn_region, ImportError};
use crate::pricing::import::{on_demand_key, split_region, NO_PREFIX_REGION};
use crate::pricing::PriceKey;

/// DynamoDB's product code; other services' lines share the report and are skipped.
const PRODUCT: &str = "AmazonDynamoDB";

/// The largest amount a cell may hold, a billion times any real month's: sums of such cells,
/// here and in the reconciliation, stay far inside `Decimal`'s range, so none can panic.
const LARGEST: Decimal = rust_decimal::dec!(1_000_000_000_000_000_000);

/// What the bill charged one table in one Region under one price name, summed over the
/// report's lines (hourly or daily, as it was exported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BilledLine {
    /// The table of the resource ID (`…:table/orders` → `orders`, a backup's ARN too); empty
    /// for lines the bill gives no resource.
    pub table: String,
    pub region: String,
    /// `None` for a usage type the catalog does not price: kept, so nothing is silently lost.
    pub price: Option<PriceKey>,
    /// The first line's usage type and operation, as billed (`USE1-ReadCapacityUnit-Hrs`).
    pub usage_type: String,
    pub operation: String,
    /// In the usage type's pricing unit: unit-hours, GB-months, requests.
    pub quantity: Decimal,
    /// The unblended cost in USD.
    pub cost: Decimal,
}

/// The columns read, each as the legacy CUR and the Athena (CUR in Parquet, CUR 2.0) name it.
struct Column {
    legacy: &'static str,
    athena: &'static str,
}

const USAGE_TYPE: Column = Column {
    legacy: "lineItem/UsageType",
    athena: "line_item_usage_type",
};
const OPERATION: Column = Column {
    legacy: "lineItem/Operation",
    athena: "line_item_operation",
};
const RESOURCE: Column = Column {
    legacy: "lineItem/ResourceId",
    athena: "line_item_resource_id",
};
const AMOUNT: Column = Column {
    legacy: "lineItem/UsageAmount",
    athena: "line_item_usage_amount",
};
const COST: Column = Column {
    legacy: "lineItem/UnblendedCost",
    athena: "line_item_unblended_cost",
};
const PRODUCT_CODE: Column = Column {
    legacy: "lineItem/ProductCode",
    athena: "line_item_product_code",
};

impl Column {
    fn find(&self, header: &[String]) -> Option<usize> {
        header
            .iter()
            .position(|h| h == self.legacy || h == self.athena)
    }
}

/// Reads a CUR extract (`source` labels errors) into DynamoDB's billed lines, summed per table,
/// Region and price name (per usage type where there is no price name), in that order.
pub fn read(text: &str, source: &str) -> Result<Vec<BilledLine>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = records(text, source)?.into_iter();
    let Some((header_line, header)) = records.next() else {
        return Err(ImportError(format!(
            "{source}: the file is empty; give a Cost and Usage Report CSV with its header row"
        )));
    };
    let required = |column: &Column| {
        column.find(&header).ok_or_else(|| {
            ImportError(format!(
                "{source}:{header_line}: no `{}` (or `{}`) column; export the Cost and Usage \
                 Report with its line item columns, or add the column to the extract",
                column.legacy, column.athena
            ))
        })
    };
    let (usage_type, operation, resource, amount, cost) = (
        required(&USAGE_TYPE)?,
        required(&OPERATION)?,
        required(&RESOURCE)?,
        required(&AMOUNT)?,
        required(&COST)?,
    );
    let product = PRODUCT_CODE.find(&header);
    let mut bill = Bill::default();
    for (line, cells) in records {
        if cells.len() != header.len() {
            return Err(ImportError(format!(
                "{source}:{line}: {} cells, the header has {}; quote cells that hold a comma",
                cells.len(),
                header.len()
            )));
        }
        let item = Item {
            product: product.map(|p| &cells[p][..]),
            usage_type: &cells[usage_type],
            operation: &cells[operation],
            resource: &cells[resource],
            amount: (&header[amount], &cells[amount]),
            cost: (&header[cost], &cells[cost]),
        };
        bill.add(|| format!("{source}:{line}"), item)?;
    }
    Ok(bill.lines())
}

/// Reads a CUR in Parquet (its Athena column names, amounts as numbers) as [`read`] reads
/// the CSV, a row group at a time: a month's report can be far larger than its DynamoDB lines.
pub fn read_parquet(path: &std::path::Path, source: &str) -> Result<Vec<BilledLine>, ImportError> {
    use crate::parquet::{Cell, File, Kind};
    let file = File::open(path, source)?;
    let what = "a Cost and Usage Report line item column";
    let required =
        |column: &Column, kind| file.require(&[column.athena, column.legacy], kind, what);
    let columns = [
        required(&USAGE_TYPE, Kind::Text)?,
        required(&OPERATION, Kind::Text)?,
        required(&RESOURCE, Kind::Text)?,
        required(&AMOUNT, Kind::Number)?,
        required(&COST, Kind::Number)?,
    ];
    let product = file.column(&[PRODUCT_CODE.athena, PRODUCT_CODE.legacy], Kind::Text)?;
    let mut read: Vec<&crate::parquet::Column> = columns.iter().collect();
    read.extend(&product);
    let mut bill = Bill::default();
    let mut numbers = [String::new(), String::new()];
    file.rows(&read, |row, cells| {
        let text = |i: usize| match cells.get(i) {
            Some(Cell::Text(t)) => *t,
            _ => "",
        };
        for (n, cell) in numbers.iter_mut().zip(&cells[3..5]) {
            n.clear();
            if let Cell::Number(v) = cell {
                // Shortest text that reads back as the same double: `32.85`, as the CSV has it.
                *n = v.to_string();
            }
        }
        let item = Item {
            product: product.as_ref().map(|_| text(5)),
            usage_type: text(0),
            operation: text(1),
            resource: text(2),
            amount: (&columns[3].name, &numbers[0]),
            cost: (&columns[4].name, &numbers[1]),
        };
        bill.add(|| format!("{source}: row {row}"), item)
    })?;
    Ok(bill.lines())
}

impl From<crate::parquet::ParquetError> for ImportError {
    fn from(e: crate::parquet::ParquetError) -> Self {
        ImportError(e.0)
    }
}

/// The cells of one line item that the bill is summed from; amounts with their column's name.
struct Item<'a> {
    product: Option<&'a str>,
    usage_type: &'a str,
    operation: &'a str,
    resource: &'a str,
    amount: (&'a str, &'a str),
    cost: (&'a str, &'a str),
}

/// DynamoDB's lines summed per table, Region and price name (per usage type where there is
/// no price name).
#[derive(Default)]
struct Bill(BTreeMap<(String, String, Option<PriceKey>, String), BilledLine>);

impl Bill {
    /// Adds a line item (`place` locates it in messages, written only for one); other
    /// services' are skipped.
    fn add(&mut self, place: impl Fn() -> String, item: Item) -> Result<(), ImportError> {
        if item.product.is_some_and(|p| p != PRODUCT) {
            return Ok(());
        }
        let number = |(name, text): (&str, &str)| {
            let text = text.trim();
            text.parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(text))
                .ok()
                .filter(|n| n.abs() <= LARGEST)
                .ok_or_else(|| {
                    ImportError(format!(
                        "{}: `{name}` is `{text}`, not a number up to 1e18; give it as \
                         the report writes it (`730`, `0.0949`, `1.2E-7`)",
                        place()
                    ))
                })
        };
        let (quantity, charged) = (number(item.amount)?, number(item.cost)?);
        let id = item.resource;
        let billed_type = item.usage_type;
        let (prefix_region, usage) = split_region(billed_type, None);
        let region = arn_region(id)
            .or(prefix_region.map(String::from))
            .unwrap_or_else(|| NO_PREFIX_REGION.to_string());
        let table = table_of(id).to_string();
        let price = on_demand_key(usage);
        // Lines without a price name are kept apart per usage type, so each stays readable.
        let unpriced_type = if price.is_none() {
            billed_type.to_string()
        } else {
            String::new()
        };
        let key = (table.clone(), region.clone(), price.clone(), unpriced_type);
        match self.0.get_mut(&key) {
            Some(into) => {
                into.quantity += quantity;
                into.cost += charged;
            }
            None => {
                self.0.insert(
                    key,
                    BilledLine {
                        table,
                        region,
                        price,
                        usage_type: billed_type.to_string(),
                        operation: item.operation.to_string(),
                        quantity,
                        cost: charged,
                    },
                );
            }
        }
        Ok(())
    }

    fn lines(self) -> Vec<BilledLine> {
        self.0
            .into_values()
            .map(|b| BilledLine {
                quantity: b.quantity.normalize(),
                cost: b.cost.normalize(),
                ..b
            })
            .collect()
    }
}

/// The table a resource ID names: the segment after `table/`, so a backup's or an index's
/// ARN (`…:table/orders/backup/0169…`) bills to its table; else the last path segment.
fn table_of(id: &str) -> &str {
    let mut segments = id.split('/');
    while let Some(segment) = segments.next() {
        if segment.ends_with(":table") || segment == "table" {
            if let Some(table) = segments.next() {
                return table;
            }
        }
    }
    id.rsplit('/').next().unwrap_or_default()
}

/// The CSV records of `text` (RFC 4180: quoted cells may hold commas, quotes doubled, line
/// breaks), each with the line it starts on; blank lines are skipped.
fn records(text: &str, source: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut out = Vec::new();
    let (mut cells, mut cell) = (Vec::new(), String::new());
    let (mut line, mut start) = (1, 1);
    let (mut quoted, mut blank) = (false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => {
                quoted = true;
                blank = false;
            }
            (false, ',') => {
                cells.push(std::mem::take(&mut cell));
                blank = false;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                if !blank || !cell.trim().is_empty() {
                    cells.push(std::mem::take(&mut cell));
                    out.push((start, std::mem::take(&mut cells)));
                }
                cell.clear();
                line += 1;
                start = line;
                blank = true;
            }
            (_, c) => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
                blank &= c.is_whitespace();
            }
        }
    }
    if quoted {
        return Err(ImportError(format!(
            "{source}:{start}: a quoted cell is never closed; end it with `\"`"
        )));
    }
    if !blank || !cell.trim().is_empty() {
        cells.push(cell);
        out.push((start, cells));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_keep_commas_quotes_and_line_breaks() {
        let text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\n";
        let got = records(text, "t.csv").unwrap();
        assert_eq!(
            got,
            vec![
                (1, vec!["a".to_string(), "b".to_string()]),
                (2, vec!["x, y".to_string(), "say \"hi\"".to_string()]),
                (4, vec!["two\nlines".to_string(), "z".to_string()]),
            ]
        );
        assert_eq!(
            records("a\n\"open", "t.csv").unwrap_err().0,
            "t.csv:2: a quoted cell is never closed; end it with `\"`"
        );
    }

    #[test]
    fn an_amount_past_1e18_is_an_error_not_a_later_overflow() {
        let row = "x,o,table/t,70000000000000000000000000000,1\n";
        let text = format!(
            "lineItem/UsageType,lineItem/Operation,lineItem/ResourceId,\
lineItem/UsageAmount,lineItem/UnblendedCost\n{row}{row}"
        );
        assert_eq!(
            read(&text, "cur.csv").unwrap_err().0,
            "cur.csv:2: `lineItem/UsageAmount` is `70000000000000000000000000000`, not a number up \
             to 1e18; give it as the report writes it (`730`, `0.0949`, `1.2E-7`)"
        );
    }

    #[test]
    fn a_backup_or_index_arn_bills_to_its_table() {
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
        assert_eq!(table_of(arn), "orders");
        assert_eq!(
            table_of(&format!("{arn}/backup/01690000000000-abcdef12")),
            "orders"
        );
        assert_eq!(table_of(&format!("{arn}/index/by-customer")), "orders");
        assert_eq!(table_of("orders-exports"), "orders-exports");
        assert_eq!(table_of(""), "");
    }

    /// Every cell quoted (as Athena writes CSV), no product column, an `IA-` usage type without
    /// a Region prefix (us-east-1's [BILLUSAGE]) and a line without a resource.
    #[test]
    fn quoted_athena_cells_ia_and_account_wide_lines() {
        let text = "\"line_item_usage_type\",\"line_item_operation\",\"line_item_resource_id\",\
\"line_item_usage_amount\",\"line_item_unblended_cost\"\n\
\"IA-WriteRequestUnits\",\"PutItem\",\"arn:aws:dynamodb:us-east-1:1:table/cold\",\"2\",\"0.00000156\"\n\
\"TimedBackupStorage-ByteHrs\",\"StandardBackup\",\"\",\"3\",\"0.3\"\n";
        let got = read(text, "cur.csv").unwrap();
        let summary: Vec<(&str, &str, Option<PriceKey>)> = got
            .iter()
            .map(|b| (&b.table[..], &b.region[..], b.price.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("", "us-east-1", Some(PriceKey::BackupGbMonth)),
                (
                    "cold",
                    "us-east-1",
                    Some(PriceKey::OnDemandWrite(
                        crate::capacity::TableClass::StandardIa
                    ))
                ),
            ]
        );
        assert_eq!(got[0].cost, Decimal::new(3, 1));
    }
}
