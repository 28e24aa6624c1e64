//! Known bills reproduced to the cent, each citing its source, and the money mistakes other
//! tools make (named in each test; their code is in docs/sources.md), each as a test we pass.

use capacity_plan::capacity::TableClass;
use capacity_plan::cost::{
    cents, free_tier_credits, on_demand, plan_reservation, provisioned, reservable_units,
    streams_allowance_credits, Bill, ReservationQuestion, TableUsage, Throughput,
};
use capacity_plan::pricing::{Capacity, Catalog, PriceKey, Term};
use capacity_plan::quantity::{MonthHours, Size};
use rust_decimal::{dec, Decimal};

fn catalog() -> Catalog {
    Catalog::builtin().unwrap()
}

fn table(name: &str, throughput: Throughput) -> TableUsage {
    TableUsage {
        name: name.into(),
        region: "us-east-1".into(),
        throughput: vec![throughput],
        ..TableUsage::default()
    }
}

fn capacity(rcu: u32, wcu: u32) -> Throughput {
    Throughput {
        rcu: rcu.into(),
        wcu: wcu.into(),
        ..Throughput::default()
    }
}

fn requests(reads: u64, writes: u64) -> Throughput {
    Throughput {
        read_request_units: reads.into(),
        write_request_units: writes.into(),
        ..Throughput::default()
    }
}

fn gb(n: u64) -> Size {
    Size::from_bytes(n << 30)
}

/// The table on-demand in a 730-hour month at built-in prices.
fn od(usage: &TableUsage) -> Bill {
    on_demand(usage, &catalog(), MonthHours::default())
}

/// The table provisioned in a 730-hour month at built-in prices.
fn prov(usage: &TableUsage) -> Bill {
    provisioned(usage, &catalog(), MonthHours::default())
}

/// The account's bill with the free tier applied across every line.
fn with_free_tier(bills: &[Bill]) -> Bill {
    let lines: Vec<_> = bills.iter().flat_map(|b| b.lines.clone()).collect();
    let credits = free_tier_credits(&lines, &catalog(), MonthHours::default());
    Bill::new(lines.into_iter().chain(credits))
}

#[test]
fn console_example_40_rcu_240_wcu() {
    // The DynamoDB console's capacity calculator: its 40 RCU + 240 WCU at us-east-1 is $117.68 at 730 h,
    // and its "$119.94" is ≈ $119.93 at a 744-hour month.
    let usage = table("t", capacity(40, 240));
    let bill = provisioned(&usage, &catalog(), MonthHours(730));
    assert_eq!(bill.total(), dec!(117.676));
    assert_eq!(cents(bill.total()), dec!(117.68));
    let bill = provisioned(&usage, &catalog(), MonthHours(744));
    assert_eq!(cents(bill.total()), dec!(119.93));
}

#[test]
fn infracost_goldens_on_demand() {
    // Infracost's golden test, §7.2 [INFRA]: 3,000,000 WRU → $1.88; 8,000,000 RRU → $1.00.
    let writes = od(&table("t", requests(0, 3_000_000)));
    assert_eq!(writes.total(), dec!(1.875));
    assert_eq!(cents(writes.total()), dec!(1.88));
    let reads = od(&table("t", requests(8_000_000, 0)));
    assert_eq!(cents(reads.total()), dec!(1.00));
}

#[test]
fn provisioned_100_rcu_100_wcu_for_720_hours() {
    // Issue 4: 100 × 720 × $0.00013 + 100 × 720 × $0.00065 = $9.36 + $46.80 = $56.16.
    let bill = provisioned(&table("t", capacity(100, 100)), &catalog(), MonthHours(720));
    assert_eq!(bill.total(), dec!(56.16));
}

#[test]
fn free_tier_covers_25_rcu_and_25_wcu() {
    // §7.2 [FREE]: 25 provisioned RCU and 25 WCU are free.
    let bill = with_free_tier(&[prov(&table("t", capacity(25, 25)))]);
    assert_eq!(bill.total(), Decimal::ZERO);
    assert_eq!(
        bill.lines.len(),
        4,
        "two usage lines and two credits, shown"
    );
}

#[test]
fn free_tier_bills_storage_beyond_25_gb() {
    // §7.2: first 25 GB-month free; 30 GB → 5 GB billed at $0.25 = $1.25.
    let usage = TableUsage {
        storage: gb(30),
        ..table("t", requests(0, 0))
    };
    let bill = with_free_tier(&[od(&usage)]);
    assert_eq!(bill.total(), dec!(1.25));
    let credit = bill
        .lines
        .iter()
        .find(|l| l.name.starts_with("free tier"))
        .unwrap();
    assert_eq!(credit.quantity, dec!(-25));
}

#[test]
fn free_tier_is_applied_once_across_tables() {
    // §7.2: per account per region, all tables together. Two 20 GB tables → 15 GB billed;
    // two 20 RCU tables → 15 RCU billed.
    let usage = |name| TableUsage {
        storage: gb(20),
        ..table(name, capacity(20, 0))
    };
    let bills: Vec<Bill> = ["a", "b"].map(|n| prov(&usage(n))).into();
    let bill = with_free_tier(&bills);
    assert_eq!(
        bill.total(),
        dec!(15) * dec!(0.25) + dec!(15) * dec!(730) * dec!(0.00013)
    );
}

#[test]
fn free_tier_is_not_applied_to_on_demand_or_standard_ia() {
    // §7.2 [VANTAGE]: the free units help provisioned tables only (other tools: free
    // tier misapplied). Standard-IA storage is not free-tier storage.
    let od = od(&table("t", requests(8_000_000, 3_000_000)));
    assert_eq!(
        with_free_tier(std::slice::from_ref(&od)).total(),
        od.total()
    );
    let ia = TableUsage {
        class: TableClass::StandardIa,
        storage: gb(10),
        ..table("t", capacity(0, 0))
    };
    let ia = prov(&ia);
    assert_eq!(with_free_tier(&[ia]).total(), dec!(1.00));
}

#[test]
fn free_stream_reads() {
    // §7.2 [STRCOST]: "Every month, the first 2,500,000 read requests made by non-Lambda
    // consumers are also free of cost ... for each AWS Region": a standing allowance, not part
    // of the free tier. Lambda and replication reads, never charged, are left out by the plan
    // before they reach `billed_stream_reads`.
    let usage = TableUsage {
        billed_stream_reads: dec!(3_000_000),
        ..table("t", requests(0, 0))
    };
    let bill = od(&usage);
    assert_eq!(bill.total(), dec!(3_000_000) * dec!(0.0000002));
    let credits = streams_allowance_credits(&bill.lines, &catalog());
    let with_allowance = Bill::new(bill.lines.iter().cloned().chain(credits));
    assert_eq!(with_allowance.total(), dec!(500_000) * dec!(0.0000002));
    // The free tier does not grant it a second time.
    assert_eq!(
        with_free_tier(std::slice::from_ref(&with_allowance)).total(),
        with_allowance.total()
    );
}

#[test]
fn pitr_is_priced_on_the_backed_up_size_not_all_storage() {
    // AWS "Billing for backups" [BKBILL] (rules §7.2) and the PITR guide: PITR is billed on the
    // table's data with its LSIs, not its GSIs. 100 GB stored, 60 GB of it table and LSIs:
    // PITR is 60 GB × $0.20 = $12, not $20.
    let usage = TableUsage {
        storage: gb(100),
        pitr: gb(60),
        ..table("t", requests(0, 0))
    };
    let bill = od(&usage);
    let pitr = bill
        .lines
        .iter()
        .find(|l| l.name == "t: point-in-time recovery")
        .unwrap();
    assert_eq!(pitr.amount, Some(dec!(12)));
    assert_eq!(bill.total(), dec!(25) + dec!(12));
}

#[test]
fn standard_ia_storage_is_priced_at_the_ia_rate() {
    // [SCYLLA]: IA storage priced at Standard. §7.2: $0.10, not $0.25.
    let usage = TableUsage {
        class: TableClass::StandardIa,
        storage: gb(100),
        ..table("t", requests(0, 0))
    };
    let bill = od(&usage);
    assert_eq!(
        bill.lines[0].price_name,
        PriceKey::Storage(TableClass::StandardIa)
    );
    assert_eq!(bill.total(), dec!(10));
}

#[test]
fn replicated_writes_are_monthly_quantities_not_divided_by_730() {
    // [INFRA]: 3,000,000 rWRU shown as "4,109.5890". Ours shows
    // 3,000,000 rWRU, priced at $0.625/M (§7.2 [GTFAQ]) = $1.88.
    let usage = TableUsage {
        global_table: true,
        region: "us-east-1".into(),
        ..table("t", requests(0, 3_000_000))
    };
    let bill = od(&usage);
    let line = &bill.lines[0];
    assert_eq!(
        line.price_name,
        PriceKey::ReplicatedWriteRequest(TableClass::Standard)
    );
    assert_eq!(line.quantity, dec!(3_000_000));
    assert_eq!(cents(bill.total()), dec!(1.88));
}

#[test]
fn gsi_writes_in_a_global_table_are_ordinary_writes() {
    // Developer guide (global tables billing): GSI writes are billed in WCU, not rWCU.
    let usage = TableUsage {
        global_table: true,
        throughput: vec![
            capacity(0, 10),
            Throughput {
                index: Some("byDate".into()),
                ..capacity(0, 10)
            },
        ],
        ..table("t", capacity(0, 0))
    };
    let bill = prov(&usage);
    let keys: Vec<_> = bill
        .lines
        .iter()
        .map(|l| l.price_name.to_string())
        .collect();
    assert_eq!(
        keys,
        [
            "replicated_wcu_hour_standard",
            "provisioned_wcu_hour_standard"
        ]
    );
    assert_eq!(reservable_units(&usage), (dec!(0), dec!(10)));
}

#[test]
fn on_demand_prices_are_current_not_pre_november_2024() {
    // Other tools' stale $1.25/M WRU and $0.25/M RRU. §7.1: cut 50% on 2024-11-01.
    let bill = od(&table("t", requests(1_000_000, 1_000_000)));
    assert_eq!(bill.total(), dec!(0.125) + dec!(0.625));
}

#[test]
fn old_prices_replay_through_an_override() {
    // §7.1: pre-cut us-east-1 WRU $1.25 per million; `--price` sets it for textbook questions.
    let mut catalog = catalog();
    let key = PriceKey::OnDemandWrite(TableClass::Standard);
    let mut old = catalog.get("us-east-1", &key).unwrap().clone();
    old.amount = dec!(0.00000125);
    catalog.set("us-east-1", key, old);
    let bill = on_demand(
        &table("t", requests(0, 3_000_000)),
        &catalog,
        MonthHours::default(),
    );
    assert_eq!(bill.total(), dec!(3.75));
}

#[test]
fn missing_regional_prices_are_unpriced_not_zero() {
    // §7.3: no on-demand figures for ap-southeast-2, so the line has no amount and is reported.
    let usage = TableUsage {
        region: "ap-southeast-2".into(),
        ..table("t", requests(1_000_000, 0))
    };
    let bill = od(&usage);
    assert_eq!(bill.lines[0].amount, None);
    assert_eq!(bill.unpriced(), ["ap-southeast-2 ondemand_read_standard"]);
}

/// A reservation question for `units` held all of a 730-hour us-east-1 month, none owned.
fn held_all_month(capacity: Capacity, term: Term, units: Decimal) -> ReservationQuestion {
    ReservationQuestion {
        region: "us-east-1".into(),
        capacity,
        term,
        hourly_units: vec![units; 730],
        owned_blocks: 0,
        buy: true,
    }
}

#[test]
fn reserved_one_year_100_wcu_amortized() {
    // §7.2 [RECO]: 1-year 100 WCU = $150 upfront + $0.0128/h. At 730 h the month costs
    // $150 × 730 / 8760 = $12.50 plus $0.0128 × 730 = $9.344, i.e. $21.844, against
    // 100 × 730 × $0.00065 = $47.45 unreserved.
    let question = held_all_month(Capacity::Wcu, Term::OneYear, dec!(100));
    let plan = plan_reservation(&question, &catalog()).unwrap();
    assert_eq!(plan.new_blocks, 1);
    assert_eq!(plan.lines[0].amount, Some(dec!(12.5)));
    assert_eq!(plan.lines[1].amount, Some(dec!(9.344)));
    assert_eq!(plan.cost, dec!(21.844));
    assert_eq!(plan.cost_without_new, dec!(47.45));
    assert_eq!(
        plan.lines.iter().filter_map(|l| l.amount).sum::<Decimal>(),
        plan.cost
    );
}

#[test]
fn reservation_skips_blocks_used_too_few_hours_and_counts_owned_ones() {
    // A spike of 300 WCU for 10 hours over a 100 WCU base: only the base block pays off.
    let mut hourly = vec![dec!(100); 730];
    hourly[..10].fill(dec!(400));
    let question = ReservationQuestion {
        region: "us-east-1".into(),
        capacity: Capacity::Wcu,
        term: Term::ThreeYears,
        hourly_units: hourly,
        owned_blocks: 0,
        buy: true,
    };
    let plan = plan_reservation(&question, &catalog()).unwrap();
    assert_eq!(plan.new_blocks, 1);
    let owned = plan_reservation(
        &ReservationQuestion {
            owned_blocks: 2,
            ..question
        },
        &catalog(),
    )
    .unwrap();
    assert_eq!((owned.new_blocks, owned.owned_blocks), (0, 2));
}

#[test]
fn reservation_for_a_huge_fixed_capacity_is_answered_at_once() {
    // Review: `calc cost --mode reserved --rcu 10000000000` ran for minutes, adding one block at
    // a time. 10^12 RCU held all month is 10^10 blocks, each paying for itself (§7.2 [RECO]:
    // 1-year 100 RCU = $30 upfront + $0.0025/h, against 100 × $0.00013/h unreserved).
    let (done, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let question = held_all_month(Capacity::Rcu, Term::OneYear, dec!(1_000_000_000_000));
        let plan = plan_reservation(&question, &catalog());
        let _ = done.send(plan);
    });
    let plan = answer
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("plan_reservation still running after 10 s")
        .unwrap();
    assert_eq!(plan.new_blocks, 10_000_000_000);
    assert_eq!(plan.lines[2].quantity, dec!(0));
}

#[test]
fn reservation_needs_its_prices() {
    // §7.3: us-east-2 has no 3-year entry; say so rather than price it at $0.
    let err = plan_reservation(
        &ReservationQuestion {
            region: "us-east-2".into(),
            capacity: Capacity::Rcu,
            term: Term::ThreeYears,
            hourly_units: vec![dec!(500); 730],
            owned_blocks: 0,
            buy: true,
        },
        &catalog(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("reserved_3y_rcu_upfront_per_100"),
        "{err}"
    );
}

#[test]
fn standard_ia_cannot_be_reserved() {
    // §7.2 [TC]: reserved capacity is not sold for Standard-IA.
    let usage = TableUsage {
        class: TableClass::StandardIa,
        ..table("t", capacity(500, 500))
    };
    assert_eq!(reservable_units(&usage), (dec!(0), dec!(0)));
}

#[test]
fn autoscaling_target_is_a_share_not_a_percentage_number() {
    // [OPTIMA]: target 0.7 × 100 made provisioned capacity 100x too high.
    // §5.1: provisioned = consumed / target.
    use capacity_plan::cost::capacity_at_target;
    let target = "70%".parse().unwrap();
    assert_eq!(capacity_at_target(dec!(70), target), dec!(100));
    assert_eq!(capacity_at_target(dec!(100), target), dec!(143));
    let bill = prov(&table("t", capacity(0, 100)));
    assert_eq!(bill.total(), dec!(47.45));
}
