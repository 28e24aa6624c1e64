//! Properties of the money engine that must hold for any usage.

use capacity_plan::cost::{
    on_demand, plan_reservation, provisioned, ReservationQuestion, TableUsage, Throughput,
};
use capacity_plan::pricing::{Capacity, Catalog, Term};
use capacity_plan::quantity::{MonthHours, Size};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn usage(reads: u64, writes: u64, rcu: u64, wcu: u64, storage: u64) -> TableUsage {
    TableUsage {
        name: "t".into(),
        region: "us-east-1".into(),
        throughput: vec![Throughput {
            index: None,
            read_request_units: reads.into(),
            write_request_units: writes.into(),
            rcu: rcu.into(),
            wcu: wcu.into(),
        }],
        storage: Size::from_bytes(storage),
        ..TableUsage::default()
    }
}

fn totals(u: &TableUsage, catalog: &Catalog) -> (Decimal, Decimal) {
    let month = MonthHours::default();
    (
        on_demand(u, catalog, month).total(),
        provisioned(u, catalog, month).total(),
    )
}

proptest! {
    // Decimal arithmetic in debug builds is slow; 64 cases per property keep the suite quick.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cost_never_decreases_as_usage_grows(
        base in prop::array::uniform5(0u64..1_000_000_000),
        more in prop::array::uniform5(0u64..1_000_000_000),
    ) {
        let catalog = Catalog::builtin().unwrap();
        let small = usage(base[0], base[1], base[2] / 1000, base[3] / 1000, base[4] * 100);
        let big = usage(
            base[0] + more[0],
            base[1] + more[1],
            (base[2] + more[2]) / 1000,
            (base[3] + more[3]) / 1000,
            (base[4] + more[4]) * 100,
        );
        let (od_small, prov_small) = totals(&small, &catalog);
        let (od_big, prov_big) = totals(&big, &catalog);
        prop_assert!(od_big >= od_small);
        prop_assert!(prov_big >= prov_small);
    }

    #[test]
    fn on_demand_cost_is_linear_in_requests(
        a in (0u64..10_000_000_000, 0u64..10_000_000_000),
        b in (0u64..10_000_000_000, 0u64..10_000_000_000),
        k in 0u64..1000,
    ) {
        let catalog = Catalog::builtin().unwrap();
        let cost = |r: u64, w: u64| totals(&usage(r, w, 0, 0, 0), &catalog).0;
        // Linear up to each of the two lines' rounding to a millionth of a dollar
        // (docs/report.md): half a millionth per line per bill.
        let half = Decimal::new(5, 7);
        let sum = cost(a.0 + b.0, a.1 + b.1) - (cost(a.0, a.1) + cost(b.0, b.1));
        prop_assert!(sum.abs() <= half * Decimal::from(6), "{}", sum);
        let scaled = cost(a.0 * k, a.1 * k) - cost(a.0, a.1) * Decimal::from(k);
        prop_assert!(scaled.abs() <= half * Decimal::from(2 * (k + 1)), "{}", scaled);
    }

    #[test]
    fn chosen_reservation_is_never_beaten(
        hourly in prop::collection::vec(0u32..1500, 1..48),
        owned in 0u64..4,
        three_years in any::<bool>(),
        reads in any::<bool>(),
    ) {
        let catalog = Catalog::builtin().unwrap();
        let question = ReservationQuestion {
            region: "us-west-2".into(),
            capacity: if reads { Capacity::Rcu } else { Capacity::Wcu },
            term: if three_years { Term::ThreeYears } else { Term::OneYear },
            hourly_units: hourly.into_iter().map(Decimal::from).collect(),
            owned_blocks: owned,
            buy: true,
        };
        let plan = plan_reservation(&question, &catalog).unwrap();
        prop_assert!(plan.cost <= plan.cost_without_new);
        // The lines are priced to a millionth of a dollar each (docs/report.md); the plan's
        // cost is exact.
        let lines: Decimal = plan.lines.iter().filter_map(|l| l.amount).sum();
        prop_assert!((lines - plan.cost).abs() <= Decimal::new(15, 7), "{} vs {}", lines, plan.cost);
        for blocks in owned..owned + 16 {
            let other = plan_reservation(&ReservationQuestion { owned_blocks: blocks, ..question.clone() }, &catalog).unwrap();
            prop_assert!(other.cost_without_new >= plan.cost, "{} blocks beat the plan", blocks);
        }
        // Of the cheapest counts, the smallest: a block that saves nothing is not bought.
        let fewer = plan_reservation(&ReservationQuestion { owned_blocks: owned + plan.new_blocks.saturating_sub(1), ..question.clone() }, &catalog).unwrap();
        prop_assert!(plan.new_blocks == 0 || fewer.cost_without_new > plan.cost);
    }
}
