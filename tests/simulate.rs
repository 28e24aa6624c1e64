//! The simulator's rules and properties at the engine level (issue 5), each citing its rule in
//! dynamodb-rules.md. Hand-computed cases first, then proptest properties.

use capacity_plan::demand::Kind;
use capacity_plan::sim::autoscaling::Policy;
use capacity_plan::sim::engine::{LaneSpec, Model, RunOptions, TableSetup, TableSim};
use capacity_plan::sim::on_demand::Limits;
use capacity_plan::sim::partitions::Layout;
use capacity_plan::sim::retry::RetryPolicy;
use capacity_plan::sim::{Cause, ModelRun};
use proptest::prelude::*;

fn lane(target: usize, kind: Kind, mean: f64, capacity: f64, layout: Layout) -> LaneSpec {
    LaneSpec {
        target: if target == 0 {
            "table".into()
        } else {
            format!("gsi{target}")
        },
        target_index: target,
        kind,
        mean,
        feed: (target > 0 && kind == Kind::Write).then_some(1.0),
        layout,
        provisioned: capacity,
        policy: Policy {
            target: 0.7,
            min: 1.0,
            max: 40_000.0,
            delay_minutes: 4,
        },
        on_demand: Limits {
            warm: 40_000.0,
            max: None,
            quota: 40_000.0,
        },
    }
}

/// Table reads and writes, plus one GSI with its own write capacity.
fn setup(read: f64, write: f64, gsi_write: f64, hot_key: f64, attempts: u32) -> TableSetup {
    let layout = |ceiling| Layout::new(4, hot_key, ceiling);
    TableSetup {
        name: "t".into(),
        lanes: vec![
            lane(0, Kind::Read, 0.0, read, layout(3_000.0)),
            lane(0, Kind::Write, 0.0, write, layout(1_000.0)),
            lane(1, Kind::Read, 0.0, read, Layout::new(4, 0.0, 3_000.0)),
            lane(1, Kind::Write, 0.0, gsi_write, Layout::new(4, 0.0, 1_000.0)),
        ],
        burst_seconds: 300.0,
        retry: RetryPolicy {
            attempts,
            base: 1.0,
            cap: 20.0,
        },
    }
}

fn options(seconds: u64) -> RunOptions {
    RunOptions {
        seconds,
        start_utc_minute: 0,
        series: false,
    }
}

/// Plays `demand[s] = [reads, writes]` second by second, checking conservation every second:
/// offered = served + throttled in every lane.
fn play(setup: &TableSetup, model: Model, demand: &[[f64; 2]]) -> ModelRun {
    let mut sim = TableSim::new(setup, model, options(demand.len() as u64));
    for (second, d) in demand.iter().enumerate() {
        sim.run(&[d[0], d[1], d[0] * 0.1, 0.0], 1);
        for (i, [offered, served, throttled]) in sim.last_second().into_iter().enumerate() {
            let slack = 1e-9 * offered.max(1.0);
            assert!(
                (offered - served - throttled).abs() <= slack,
                "{model:?} second {second} lane {i}: {offered} ≠ {served} + {throttled}"
            );
        }
    }
    sim.finish()
}

fn throttled(run: &ModelRun) -> f64 {
    run.lanes.iter().map(|t| t.total.throttled_total()).sum()
}

/// §3.3 [GSITHR]: a GSI with 100 WCU under 500 writes/s takes 100; the other 400 base-table
/// writes are throttled although the table has 1,000 WCU.
#[test]
fn a_gsi_short_of_write_capacity_throttles_base_writes() {
    let s = setup(100.0, 1_000.0, 100.0, 0.0, 1);
    let run = play(&s, Model::Provisioned, &[[0.0, 500.0]]);
    let table_writes = &run.lanes[1].total;
    assert!((table_writes.served - 100.0).abs() < 1e-9);
    assert!((table_writes.throttled[Cause::GsiBackPressure as usize] - 400.0).abs() < 1e-9);
    assert_eq!(
        run.lanes[3].total.throttled[Cause::ProvisionedThroughput as usize],
        400.0
    );
}

/// §4 [BURST]: one key at 1,500 WCU throttles 500/s whatever the table's capacity or mode.
#[test]
fn one_key_at_1500_wcu_throttles_500_in_every_mode() {
    for (capacity, model) in [
        (2_000.0, Model::Provisioned),
        (40_000.0, Model::Provisioned),
        (2_000.0, Model::OnDemand),
    ] {
        let s = setup(100.0, capacity, capacity, 1.0, 1);
        let run = play(&s, model, &[[0.0, 1_500.0]; 10]);
        let key_range = run.lanes[1].total.throttled[Cause::KeyRange as usize];
        assert_eq!(key_range, 5_000.0, "{model:?} at {capacity}");
    }
}

/// §11.2: with retries, units throttled once come back and are served when capacity frees up;
/// nothing fails when the spike is short.
#[test]
fn retries_recover_a_short_spike() {
    let s = setup(100.0, 100.0, 1_000.0, 0.0, 3);
    let mut demand = vec![[0.0, 0.0]; 60];
    demand[0][1] = 150.0;
    let run = play(&s, Model::Provisioned, &demand);
    let writes = &run.lanes[1].total;
    assert_eq!(
        writes.throttled[Cause::ProvisionedThroughput as usize],
        50.0
    );
    assert_eq!(writes.failed, 0.0);
    assert_eq!(writes.served, 150.0);
}

fn series() -> impl Strategy<Value = Vec<[f64; 2]>> {
    prop::collection::vec([0.0..3_000.0f64, 0.0..3_000.0f64], 1..400)
}

/// Demand in stretches of up to 90 seconds at a multiple of `capacity`: idle (banking burst
/// credit), around capacity, or spikes of up to 20×, which second-by-second noise rarely gives.
fn stretches(capacity: f64) -> impl Strategy<Value = Vec<[f64; 2]>> {
    let level = prop_oneof![Just(0.0), 0.0..1.2f64, 0.8..3.0f64, 2.0..20.0f64];
    prop::collection::vec((level.clone(), level, 1usize..90), 1..10).prop_map(move |stretches| {
        stretches
            .into_iter()
            .flat_map(|(r, w, n)| std::iter::repeat_n([r * capacity, w * capacity], n))
            .collect()
    })
}

fn failed(run: &ModelRun) -> f64 {
    run.lanes.iter().map(|t| t.total.failed).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Conservation: served + throttled = offered, every second, every lane, every model
    /// (checked inside `play`), and over the run.
    #[test]
    fn every_unit_is_served_or_throttled(
        demand in series(),
        capacity in 1.0..5_000.0f64,
        hot in 0.0..1.0f64,
        attempts in 1u32..5,
    ) {
        let s = setup(capacity, capacity, capacity, hot, attempts);
        for model in Model::ALL {
            let run = play(&s, model, &demand);
            for t in &run.lanes {
                let sum = t.total.served + t.total.throttled_total();
                prop_assert!((t.total.offered - sum).abs() <= 1e-6 * t.total.offered.max(1.0));
            }
        }
    }

    /// A flat load well under capacity (and under the partition ceilings) never throttles;
    /// autoscaling starts at the mean ÷ target.
    #[test]
    fn a_flat_load_well_under_capacity_never_throttles(
        load in 0.0..1_000.0f64,
        seconds in 1usize..900,
    ) {
        let mut s = setup(load * 2.0 + 1.0, load * 2.0 + 1.0, load * 2.0 + 1.0, 0.0, 3);
        // Autoscaling starts from the mean it expects.
        for (i, l) in s.lanes.iter_mut().enumerate() {
            l.mean = if i == 2 { load * 0.1 } else { load };
        }
        for model in Model::ALL {
            let run = play(&s, model, &vec![[load, load]; seconds]);
            prop_assert_eq!(throttled(&run), 0.0, "{:?}", model);
        }
    }

    /// Raising provisioned capacity never increases the units throttled (retries included) nor
    /// those failing after the last attempt, with retries off (1 attempt) or on (2–4). It holds
    /// second by second: every attempt is throttled in the same proportion and burst credit,
    /// adaptive capacity and the retry spread are monotone, so with more capacity each attempt
    /// offers no more units in any second.
    #[test]
    fn raising_capacity_never_increases_throttling(
        (capacity, demand) in (1.0..3_000.0f64)
            .prop_flat_map(|c| (Just(c), prop_oneof![series(), stretches(c)])),
        factor in prop_oneof![1.0..1.05f64, 1.0..4.0f64],
        hot in prop_oneof![Just(0.0), 0.0..1.0f64],
        attempts in 1u32..5,
    ) {
        let low = play(&setup(capacity, capacity, capacity, hot, attempts), Model::Provisioned, &demand);
        let c = capacity * factor;
        let high = play(&setup(c, c, c, hot, attempts), Model::Provisioned, &demand);
        let within = |more: f64, less: f64| more <= less + 1e-6 * less.max(1.0);
        prop_assert!(within(throttled(&high), throttled(&low)), "throttled {} > {}", throttled(&high), throttled(&low));
        prop_assert!(within(failed(&high), failed(&low)), "failed {} > {}", failed(&high), failed(&low));
    }
}
