//! The simulator's hot loop (docs/performance.md, "Simulator"): one day of per-second traffic
//! for the performance fixture under each model, and 30 days of per-minute metrics replayed
//! through autoscaling. Whole-process figures come from hyperfine; these isolate the engine.

use criterion::{criterion_group, criterion_main, Criterion};

use capacity_plan::demand::table_demand;
use capacity_plan::metrics::MetricSeries;
use capacity_plan::quantity::MonthHours;
use capacity_plan::sim::replay::Replay;
use capacity_plan::sim::setup::{table_setup, write_units_per_item};
use capacity_plan::sim::traffic::Generated;
use capacity_plan::sim::{run_models, Model, RunOptions, TableSetup};

fn fixture() -> (TableSetup, Generated) {
    let text = include_str!("../tests/fixtures/sim-month.yaml");
    let workload = capacity_plan::workload::load(text, "sim-month.yaml", None).unwrap();
    let spec = &workload.spec;
    let table = &spec.tables[0];
    let demand = table_demand(
        table,
        "tables[0]",
        &workload.tables[0],
        MonthHours::default(),
    );
    let setup = table_setup(&table.value, &demand, &spec.settings.simulation);
    let traffic = Generated::new(
        &table.value.traffic,
        write_units_per_item(&demand),
        1,
        "tables[0].traffic",
    )
    .unwrap();
    (setup, traffic)
}

fn options(seconds: u64) -> RunOptions {
    RunOptions {
        seconds,
        start_utc_minute: 0,
        series: None,
    }
}

fn per_second_day(c: &mut Criterion) {
    let (setup, traffic) = fixture();
    for model in Model::ALL {
        c.bench_function(&format!("one day per second, {}", model.name()), |b| {
            b.iter(|| {
                run_models(
                    &[(model, &setup, options(86_400))],
                    &mut traffic.clone(),
                    &|_| (),
                )
            })
        });
    }
}

fn per_minute_month(c: &mut Criterion) {
    let (setup, _) = fixture();
    let minutes = 30 * 1_440;
    let wave = |m: usize| 1_500.0 + 1_000.0 * (m as f64 * std::f64::consts::PI / 720.0).sin();
    let series = MetricSeries {
        reads: (0..minutes).map(wave).collect(),
        writes: (0..minutes).map(|m| wave(m) / 2.0).collect(),
        ..MetricSeries::default()
    };
    c.bench_function("30 days per minute, autoscaling", |b| {
        b.iter(|| {
            let mut replay = Replay::new(&series, 0, &setup.lanes, "wave").expect("no GSI series");
            run_models(
                &[(Model::Autoscaling, &setup, options(30 * 86_400))],
                &mut replay,
                &|_| (),
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = per_second_day, per_minute_month
}
criterion_main!(benches);
