//! The plan pipeline: a loaded spec in, the report model out (spec → demand → report).

use crate::demand::{table_demand, ResolvedSizes};
use crate::quantity::MonthHours;
use crate::report::{PlanReport, SCHEMA_VERSION};
use crate::spec::model::Spec;

/// Plans every table. `sizes[i]` holds the resolved sizes of `spec.tables[i]`.
pub fn plan(spec: &Spec, source: &str, sizes: &[ResolvedSizes]) -> PlanReport {
    let month = MonthHours(spec.settings.month_hours);
    let tables = spec
        .tables
        .iter()
        .zip(sizes)
        .enumerate()
        .map(|(i, (table, sizes))| table_demand(table, &format!("tables[{i}]"), sizes, month))
        .collect();
    PlanReport {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        spec: source.to_string(),
        region: spec.region.value.clone(),
        month_hours: month.0,
        tables,
        diagnostics: Vec::new(),
        not_priced: vec!["Costs: every capacity mode is modelled above in units; prices arrive with the pricing stage.".into()],
    }
}
