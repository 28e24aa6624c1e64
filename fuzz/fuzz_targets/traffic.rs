//! A CloudWatch CSV export or get-metric-data JSON through the traffic parser.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = capacity_plan::metrics::parse(
            text,
            "fuzz.csv",
            &capacity_plan::metrics::MetricsOptions::default(),
        );
    }
});
