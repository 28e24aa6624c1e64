//! A spec through the loader, validation and the planner (no simulation: its cost is bounded
//! by `sim::budget`, not by the input).
#![no_main]

use capacity_plan::{load, plan_with, Catalog, PlanOptions, Simulate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(workload) = load(text, "fuzz.yaml", None) else {
        return;
    };
    let catalog = Catalog::builtin().expect("the built-in prices load");
    let options = PlanOptions::simulating(Simulate::Never);
    if let Ok(report) = plan_with(&workload, &catalog, &options) {
        // Serializing reaches every figure; a NaN would serialize as null, never panic, so
        // the proptest generator (tests/fuzz_inputs.rs) checks the values themselves.
        let _ = serde_json::to_string(&report);
    }
});
