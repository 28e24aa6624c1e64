//! A saved plan report through the baseline reader of `check` and `diff`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = capacity_plan::check::Snapshot::from_json(text, "fuzz.json");
    }
});
