//! What changed between two plans: per table the budgeted mode's cost, its changed lines,
//! new and changed warnings and throttling, and one summary line fit for a PR title.

use rust_decimal::Decimal;
use serde::Serialize;

use super::snapshot::{LineSnapshot, ModeSnapshot, Snapshot, TableSnapshot, Warning};
use crate::capacity::CapacityMode;
use crate::cost::dollars;
use crate::quantity::{count, group_digits};

/// A figure before and after. `None` is a figure not known (unpriced, or no baseline); a line
/// or table that does not exist on one side counts as $0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
    pub change: Option<Decimal>,
    /// `change ÷ before` to a millionth, as every share in a report; `None` when either is
    /// unknown or `before` is zero.
    #[serde(serialize_with = "crate::quantity::json_number_option")]
    pub change_share: Option<Decimal>,
}

impl Change {
    pub fn new(before: Option<Decimal>, after: Option<Decimal>) -> Change {
        let change = before.zip(after).map(|(b, a)| a - b);
        let exact = |d: Option<Decimal>| d.map(|d| d.normalize());
        Change {
            before: exact(before),
            after: exact(after),
            change: exact(change),
            change_share: change
                .zip(before)
                .and_then(|(c, b)| share_of(c, b))
                .map(|s| s.round_dp(6).normalize()),
        }
    }

    fn changed(&self) -> bool {
        self.before != self.after
    }

    /// `+$123.45/month (+5.2%)`.
    fn describe(&self) -> String {
        let Some(change) = self.change else {
            return "cost not known (unpriced)".into();
        };
        let share = self
            .change_share
            .map(|s| format!(" ({})", signed_share(s)))
            .unwrap_or_default();
        format!("{}/month{share}", signed_dollars(change))
    }
}

/// `change ÷ before`, when `before` is not zero and the share is at most 10²⁰ (a share is shown
/// ×100, and an amount a fraction of a cent above zero makes any change a vast share).
pub fn share_of(change: Decimal, before: Decimal) -> Option<Decimal> {
    const MAX_SHARE: Decimal = rust_decimal::dec!(100_000_000_000_000_000_000);
    change
        .checked_div(before)
        .filter(|share| share.abs() <= MAX_SHARE)
}

fn sign(amount: Decimal) -> &'static str {
    if amount > Decimal::ZERO {
        "+"
    } else {
        ""
    }
}

/// `+$195.81`, `-$3.00`, `$0.00`.
pub fn signed_dollars(amount: Decimal) -> String {
    format!("{}{}", sign(amount), dollars(amount))
}

/// `+28.6%`: a change as a percentage to one decimal.
pub fn signed_share(share: Decimal) -> String {
    let percent = (share * Decimal::ONE_HUNDRED).round_dp(1);
    format!("{}{}%", sign(percent), group_digits(percent))
}

#[derive(Debug, Clone, Serialize)]
pub struct LineChange {
    pub name: String,
    pub region: String,
    #[serde(flatten)]
    pub cost: Change,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableChange {
    pub table: String,
    /// The budgeted mode on each side; `None` where the table does not exist.
    pub mode_before: Option<CapacityMode>,
    pub mode_after: Option<CapacityMode>,
    /// The budgeted mode's total of priced lines.
    pub cost: Change,
    /// Whether a side leaves lines unpriced, so its total is a lower bound.
    pub unpriced: bool,
    pub lines: Vec<LineChange>,
    pub new_warnings: Vec<Warning>,
    pub changed_warnings: Vec<WarningChange>,
    /// The simulated throttled share on each side, when it changed.
    #[serde(serialize_with = "shares")]
    pub throttled: Option<Change>,
}

/// A change of shares as JSON writes quantities: every figure a number, where a change of
/// money is written as decimal strings.
fn shares<S: serde::Serializer>(change: &Option<Change>, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Shares {
        #[serde(serialize_with = "crate::quantity::json_number_option")]
        before: Option<Decimal>,
        #[serde(serialize_with = "crate::quantity::json_number_option")]
        after: Option<Decimal>,
        #[serde(serialize_with = "crate::quantity::json_number_option")]
        change: Option<Decimal>,
        #[serde(serialize_with = "crate::quantity::json_number_option")]
        change_share: Option<Decimal>,
    }
    change
        .map(|c| Shares {
            before: c.before,
            after: c.after,
            change: c.change,
            change_share: c.change_share,
        })
        .serialize(serializer)
}

/// A warning both plans raise, with the same code at the same place, whose text changed
/// (a figure in it moved).
#[derive(Debug, Clone, Serialize)]
pub struct WarningChange {
    pub before: Warning,
    pub after: Warning,
}

/// Two plans compared; only what changed is kept.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub before: String,
    pub after: String,
    /// Every table's budgeted mode summed, changed or not.
    pub total: Change,
    pub tables: Vec<TableChange>,
    /// Spec-level warnings that are new, and those whose text changed.
    pub new_warnings: Vec<Warning>,
    pub changed_warnings: Vec<WarningChange>,
    /// One line for a PR title: `orders: +$123.45/month (+5.2%), 1 new warning`.
    pub summary: String,
}

/// The warnings `after` raises that `before` did not, and those whose text changed. A warning
/// is the same when its severity, code and path are; its position is not compared, so an edit
/// that only moves it to another line changes nothing. Each warning of `before` pairs with at
/// most one of `after`.
fn compare_warnings(before: &[Warning], after: &[Warning]) -> (Vec<Warning>, Vec<WarningChange>) {
    let same = |a: &Warning, b: &Warning| {
        (&a.severity, &a.code, &a.path) == (&b.severity, &b.code, &b.path)
    };
    let kept = |a: &Warning, b: &Warning| same(a, b) && a.message == b.message;
    let mut gone: Vec<&Warning> = before
        .iter()
        .filter(|old| !after.iter().any(|w| kept(old, w)))
        .collect();
    let (mut new, mut changed) = (Vec::new(), Vec::new());
    for w in after
        .iter()
        .filter(|w| !before.iter().any(|old| kept(old, w)))
    {
        match gone.iter().position(|old| same(old, w)) {
            Some(i) => changed.push(WarningChange {
                before: gone.remove(i).clone(),
                after: w.clone(),
            }),
            None => new.push(w.clone()),
        }
    }
    (new, changed)
}

fn lines(mode: Option<&ModeSnapshot>) -> &[LineSnapshot] {
    mode.map_or(&[], |m| &m.bill.lines)
}

fn total(mode: Option<&ModeSnapshot>) -> Decimal {
    mode.map_or(Decimal::ZERO, |m| m.bill.total)
}

fn table_change(
    name: &str,
    before: Option<&TableSnapshot>,
    after: Option<&TableSnapshot>,
) -> TableChange {
    let (old, new) = (
        before.and_then(TableSnapshot::budgeted),
        after.and_then(TableSnapshot::budgeted),
    );
    let key = |l: &LineSnapshot| (l.name.clone(), l.region.clone());
    let amount = |side: &[LineSnapshot], k: &(String, String)| {
        side.iter()
            .find(|l| key(l) == *k)
            .map_or(Some(Decimal::ZERO), |l| l.amount)
    };
    let mut keys: Vec<(String, String)> = Vec::new();
    for k in lines(old).iter().chain(lines(new)).map(key) {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let lines = keys
        .into_iter()
        .map(|k| LineChange {
            cost: Change::new(amount(lines(old), &k), amount(lines(new), &k)),
            name: k.0,
            region: k.1,
        })
        .filter(|l| l.cost.changed())
        .collect();
    let throttled = before.and_then(TableSnapshot::throttled);
    let throttled_after = after.and_then(TableSnapshot::throttled);
    // A side without simulated figures (a saved report) says nothing about throttling, so
    // only a table on both sides with figures on both, or a table on one side only, compares.
    let comparable = match (before, after) {
        (Some(_), Some(_)) => throttled.is_some() && throttled_after.is_some(),
        _ => true,
    };
    let (new_warnings, changed_warnings) = compare_warnings(
        before.map_or(&[], |t| &t.warnings),
        after.map_or(&[], |t| &t.warnings),
    );
    TableChange {
        table: name.to_string(),
        mode_before: old.map(|m| m.mode),
        mode_after: new.map(|m| m.mode),
        cost: Change::new(Some(total(old)), Some(total(new))),
        unpriced: [old, new].iter().flatten().any(|m| !m.bill.complete),
        lines,
        new_warnings,
        changed_warnings,
        throttled: (comparable && throttled != throttled_after)
            .then(|| Change::new(throttled, throttled_after)),
    }
}

/// Compares `after` with `before`, table by table in the order they appear (old tables first).
pub fn diff(before: &Snapshot, after: &Snapshot) -> Diff {
    let mut names: Vec<&str> = before.tables.iter().map(|t| t.name.as_str()).collect();
    names.extend(
        after
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .filter(|n| before.table(n).is_none()),
    );
    let all: Vec<TableChange> = names
        .iter()
        .map(|name| table_change(name, before.table(name), after.table(name)))
        .collect();
    let sum = |pick: fn(&Change) -> Option<Decimal>| all.iter().filter_map(|t| pick(&t.cost)).sum();
    let total = Change::new(Some(sum(|c| c.before)), Some(sum(|c| c.after)));
    let tables: Vec<TableChange> = all
        .into_iter()
        .filter(|t| {
            t.cost.changed()
                || !t.lines.is_empty()
                || !t.new_warnings.is_empty()
                || !t.changed_warnings.is_empty()
                || t.throttled.is_some()
                || t.mode_before != t.mode_after
        })
        .collect();
    let (new_warnings, changed_warnings) = compare_warnings(&before.warnings, &after.warnings);
    let summary = summary(&tables, &total, new_warnings.len(), changed_warnings.len());
    Diff {
        before: before.spec.clone(),
        after: after.spec.clone(),
        total,
        tables,
        new_warnings,
        changed_warnings,
        summary,
    }
}

/// `spec_new` and `spec_changed` count the spec-level warnings.
fn summary(tables: &[TableChange], total: &Change, spec_new: usize, spec_changed: usize) -> String {
    let costs: Vec<String> = tables
        .iter()
        .filter(|t| t.cost.changed())
        .map(|t| format!("{}: {}", t.table, t.cost.describe()))
        .collect();
    let mut parts = match costs.len() {
        0 => vec!["no cost change".to_string()],
        1 => costs,
        _ => vec![format!(
            "total: {} ({})",
            total.describe(),
            costs.join("; ")
        )],
    };
    let new = spec_new + tables.iter().map(|t| t.new_warnings.len()).sum::<usize>();
    if new > 0 {
        parts.push(count(new, "new warning", "new warnings"));
    }
    let changed = spec_changed
        + tables
            .iter()
            .map(|t| t.changed_warnings.len())
            .sum::<usize>();
    if changed > 0 {
        parts.push(count(changed, "changed warning", "changed warnings"));
    }
    let throttling = tables.iter().filter(|t| t.throttled.is_some()).count();
    if throttling > 0 {
        parts.push(format!(
            "throttling changed on {}",
            count(throttling, "table", "tables")
        ));
    }
    parts.join(", ")
}
