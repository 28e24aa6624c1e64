//! A price file (`--prices`) through the price reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = capacity_plan::Catalog::from_yaml(text, "fuzz.yaml");
    }
});
