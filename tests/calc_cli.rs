//! The `calc` contract, through the binary: every worked example in docs/sources.md §1–2 and
//! §9 (source tags in the comments), the unit-math mistakes other tools make,
//! and bad input, which must get a clear message and exit code 1 or 2, never a panic.

mod common;

use common::{calc_fails, calc_json, calc_json_stdin, calc_text, num, run};

const KB: f64 = 1024.0;

fn units(args: &str) -> f64 {
    num(&calc_json(args), "units_per_request")
}

/// Units of one GetItem of `size` at `consistency`.
fn get(size: &str, consistency: &str) -> f64 {
    units(&format!("read --size {size} --consistency {consistency}"))
}

// ---- docs/sources.md §1: capacity-unit math ----

#[test]
fn aws_8kb_item_is_2_strong_1_eventual_4_transactional() {
    // §1.1 [PRICE-PROV][RW]: an 8 KB item costs 2 / 1 / 4 read units.
    assert_eq!(get("8KB", "strong"), 2.0);
    assert_eq!(get("8KB", "eventual"), 1.0);
    assert_eq!(get("8KB", "transactional"), 4.0);
    assert_eq!(units("read --size 8KB --op transact-get"), 4.0);
}

#[test]
fn aws_3kb_write_is_3_wcu_or_6_transactional() {
    // §1.1 [PRICE-PROV][RW]: a 3 KB write costs 3 WCU, or 6 WCU transactionally.
    assert_eq!(units("write --size 3KB"), 3.0);
    assert_eq!(units("write --size 3KB --transactional"), 6.0);
}

#[test]
fn eventual_read_of_80kb_total_is_10_units() {
    // §1.1 [RW2023]: halving after rounding; an eventually consistent read of 80 KB is 10 units.
    let answer = calc_json("read --op query --total-size 80KB --consistency eventual");
    assert_eq!(num(&answer, "units_per_request"), 10.0);
}

#[test]
fn six_kb_strong_at_10_per_second_is_20_rcu_with_the_working() {
    // §1.1 [RW]: 6 KB → 8 KB = 2 units; strong 1 per unit; × 10/s = 20 RCU.
    let answer = calc_json("read --size 6KB --rate 10/s --consistency strong");
    assert_eq!(num(&answer, "units_per_second"), 20.0);
    assert_eq!(answer["provisioned_units"], 20);
    assert_eq!(num(&answer, "charged_bytes"), 8.0 * KB);
    let text = calc_text("read --size 6KB --rate 10/s --consistency strong");
    assert!(text.starts_with("20 RCU (2 per request)\n"), "{text}");
    assert!(text.contains("6,144 B (6 KB) rounds up to 8 KB = 2 read units"));
    assert!(text.contains("At 10/s: 2 × 10 = 20 RCU per second."));
}

/// Without --consistency a read is eventually consistent, as DynamoDB's API reads unless
/// `ConsistentRead` is true ([RW]), and the plan assumes: 6 KB → 8 KB = 2 read units × 0.5 =
/// 1 RCU per request, 10 RCU at 10/s. The first step says so and how to ask for strong reads.
/// TransactGetItems stays transactional: 2 units × 2 = 4 RCU.
#[test]
fn reads_default_to_eventually_consistent_and_say_so() {
    let answer = calc_json("read --size 6KB --rate 10/s");
    assert_eq!(num(&answer, "units_per_request"), 1.0);
    assert_eq!(num(&answer, "units_per_second"), 10.0);
    let first = answer["steps"][0].as_str().unwrap();
    assert!(
        first.starts_with("Eventually consistent") && first.contains("--consistency strong"),
        "{first}"
    );
    let explicit = calc_json("read --size 6KB --rate 10/s --consistency eventual");
    assert!(!explicit["steps"][0]
        .as_str()
        .unwrap()
        .contains("--consistency"));
    assert_eq!(units("read --op transact-get --size 6KB"), 4.0);
}

#[test]
fn missing_item_reads_cost_1_or_half() {
    // §1.2 [RW][OD2023]: GetItem of a missing item is still 1 (strong) or 0.5 (eventual).
    assert_eq!(units("read --missing --consistency strong"), 1.0);
    assert_eq!(units("read --missing --consistency eventual"), 0.5);
    // §1.2 [GHDEL]: each missing BatchGetItem key is charged as a GetItem.
    assert_eq!(
        units("read --op batch-get --missing --items 3 --consistency strong"),
        3.0
    );
}

#[test]
fn batch_get_rounds_each_item_1_5kb_plus_6_5kb_is_12kb() {
    // §1.2 [RW][CONS]: 1.5 KB + 6.5 KB = 4 KB + 8 KB = 12 KB, not 8 KB.
    let answer = calc_json("read --op batch-get --sizes 1.5KB,6.5KB --consistency strong");
    assert_eq!(num(&answer, "charged_bytes"), 12.0 * KB);
    assert_eq!(num(&answer, "units_per_request"), 3.0);
    let text = calc_text("read --op batch-get --sizes 1.5KB,6.5KB --consistency strong");
    assert!(
        text.contains("Together: 12,288 B (12 KB) = 3 read units."),
        "{text}"
    );
}

#[test]
fn query_of_10_items_totalling_40_8kb_rounds_to_44kb() {
    // §1.2 [RW]: Query sums the sizes then rounds once: 40.8 KB → 44 KB.
    let answer = calc_json("read --op query --total-size 40.8KB --consistency strong");
    assert_eq!(num(&answer, "charged_bytes"), 44.0 * KB);
    assert_eq!(num(&answer, "units_per_request"), 11.0);
    assert_eq!(answer["pages"], 1);
}

#[test]
fn query_of_1500_items_of_64_bytes_is_96kb() {
    // §1.2 [RW]: 1500 × 64 B = 96,000 B, rounded once to 96 KB = 24 units.
    let answer = calc_json("read --op query --items 1500 --size 64B --consistency strong");
    assert_eq!(num(&answer, "charged_bytes"), 96.0 * KB);
    assert_eq!(num(&answer, "units_per_request"), 24.0);
}

#[test]
fn scan_pages_at_1mb_before_any_filter() {
    // §1.2 [QF][CONS]: a call reads at most 1 MB; 20 GB is 20,480 pages of 256 steps.
    let answer = calc_json("read --op scan --total-size 20GB --consistency eventual");
    assert_eq!(answer["pages"], 20_480);
    assert_eq!(num(&answer, "units_per_request"), 2_621_440.0);
}

#[test]
fn empty_query_still_costs_one_step() {
    // §1.2 [RW]: a Query that finds nothing is still charged; our reading: one 4 KB step.
    let answer = calc_json("read --op query --missing --consistency strong");
    assert_eq!(num(&answer, "units_per_request"), 1.0);
}

#[test]
fn batch_write_rounds_each_item_500b_plus_3_5kb_is_5kb() {
    // §1.2 [RW][CONS]: 500 B + 3.5 KB = 1 KB + 4 KB = 5 KB.
    let answer = calc_json("write --op batch-write --sizes 500B,3.5KB");
    assert_eq!(num(&answer, "charged_bytes"), 5.0 * KB);
    assert_eq!(num(&answer, "units_per_request"), 5.0);
}

#[test]
fn conditional_write_300kb_to_310kb_is_charged_310kb() {
    // §1.2 [RW]: the larger of the existing (300 KB) and new (310 KB) item: 310 WCU.
    let answer = calc_json("write --op update --size 310KB --size-before 300KB");
    assert_eq!(num(&answer, "units_per_request"), 310.0);
    assert_eq!(num(&answer, "charged_bytes"), 310.0 * KB);
}

#[test]
fn delete_of_a_missing_item_is_1_wcu() {
    // §1.2 [GHDEL] (empirical): DeleteItem of a non-existent item consumes 1 WCU.
    assert_eq!(units("write --op delete --missing"), 1.0);
}

#[test]
fn a_20kb_item_is_5_units_per_strong_read() {
    // §4 [BPPK]: a 20 KB item costs 5 units per strongly consistent read.
    assert_eq!(get("20KB", "strong"), 5.0);
}

// ---- docs/sources.md §9: transactions ----

#[test]
fn three_transactional_500b_items_need_6_wcu_and_6_rcu() {
    // §9 [TX]: 1 tx/s writing three 500-byte items needs 6 WCU; reading them needs 6 RCU.
    let write = calc_json("write --op transact-write --items 3 --size 500B --rate 1/s");
    assert_eq!(num(&write, "units_per_second"), 6.0);
    let read = calc_json("read --op transact-get --items 3 --size 500B --rate 1/s");
    assert_eq!(num(&read, "units_per_second"), 6.0);
}

// ---- docs/sources.md §2: item size ----

#[test]
fn aws_shirt_item_is_23_bytes() {
    // §2.1 [CONS]: shirt-color="R", shirt-size="M" total 23 bytes (11+1 + 10+1).
    let typed = r#"{"shirt-color":{"S":"R"},"shirt-size":{"S":"M"}}"#;
    let answer = calc_json_stdin("item-size", typed);
    assert_eq!(answer["bytes"], 23);
    // §2.4 [SIZE]: stored with 100 bytes of overhead.
    assert_eq!(answer["storage_bytes"], 123);
    let plain = calc_json_stdin("item-size -", r#"{"shirt-color":"R","shirt-size":"M"}"#);
    assert_eq!(plain["bytes"], 23);
}

#[test]
fn item_size_by_type() {
    // §2.1 [SIZE][CALC]: BOOL/NULL 1 B; L/M 3 B + 1 B per element; sets no overhead.
    // §2.2 [CALC]: 12345 → pairs 01|23|45 = 3 + 1 = 4 B; -1.5 → 01.50 = 2 + 1 + 1 = 4 B.
    let item = r#"{"b":{"BOOL":true},"z":{"NULL":true},"l":{"L":[{"S":"ab"},{"N":"1"}]},
        "ss":{"SS":["ab","cde"]},"n":{"N":"12345"},"neg":{"N":"-1.5"}}"#;
    let answer = calc_json_stdin("item-size", item);
    // b 1+1, z 1+1, l 1 + (3 + 1+2 + 1+2) = 10, ss 2+5, n 1+4, neg 3+4
    assert_eq!(answer["bytes"], 2 + 2 + 10 + 7 + 5 + 7);
}

#[test]
fn throughput_of_100_rcu_eventual_6kb() {
    // §1.1: 6 KB eventual = 1 RCU per read, so 100 RCU sustain 100 reads/s of 6 KB.
    let answer = calc_json("throughput --rcu 100 --size 6KB --consistency eventual");
    assert_eq!(num(&answer, "requests_per_second"), 100.0);
    assert_eq!(num(&answer, "bytes_per_second"), 614_400.0);
}

#[test]
fn gsi_key_change_is_two_index_writes() {
    // §3.2 [GSI]: a key change deletes the old entry and puts the new one.
    let answer =
        calc_json("write --op update --size 2KB --index 1.5KB:key-change --index 300B --rate 10/s");
    assert_eq!(answer["index_units"], serde_json::json!([4.0, 1.0]));
    assert_eq!(num(&answer["indexes"][0], "units_per_second"), 40.0);
}

// ---- unit-math mistakes other tools make ----

#[test]
fn a_1_4kb_write_is_2_wcu_not_1() {
    // §14 ScyllaDB: rounds 1.4 KB to the nearest KB before the ceiling, giving 1 WCU.
    assert_eq!(units("write --size 1.4KB"), 2.0);
}

#[test]
fn an_eventual_1kb_read_is_half_an_rcu_not_1() {
    // §14 shell calculators: eventual reads as whole RCUs per 8 KB (1 KB → 1 RCU).
    assert_eq!(get("1KB", "eventual"), 0.5);
    // …and 8 KB eventual is 1, not rounded per 8 KB: 9 KB is 1.5.
    assert_eq!(get("9KB", "eventual"), 1.5);
}

#[test]
fn every_consistency_is_priced_not_strong_only() {
    // §14 ddb-calc: strong RCU only.
    for (consistency, expected) in [("strong", 1.0), ("eventual", 0.5), ("transactional", 2.0)] {
        assert_eq!(get("3KB", consistency), expected);
    }
}

#[test]
fn the_item_limit_is_409600_bytes_not_400000() {
    // §14 ddb-calc: checks 400,000 bytes; DynamoDB's 400 KB is 409,600 bytes (§2.3 [CONS]).
    assert_eq!(units("write --size 409600B"), 400.0);
    assert_eq!(units("write --size 400001B"), 391.0);
    let item = format!(r#"{{"a":"{}"}}"#, "x".repeat(409_599));
    assert_eq!(calc_json_stdin("item-size", &item)["bytes"], 409_600);
    let stderr = calc_fails("write --size 409601B", "", 1, "409,600 bytes");
    assert!(stderr.contains("400 KB"), "{stderr}");
}

#[test]
fn transactions_do_not_double_index_writes() {
    // §14 (AWS agent toolkit, verified with ReturnConsumedCapacity):
    // the transactional 2x applies to the base-table write only.
    let answer = calc_json("write --op transact-write --size 1KB --index 1KB");
    assert_eq!(num(&answer, "units_per_request"), 2.0);
    assert_eq!(answer["index_units"], serde_json::json!([1.0]));
}

// ---- bad input: a clear message, exit 1 (cannot be planned) or 2 (usage), never a panic ----

#[test]
fn unknown_unit() {
    calc_fails("read --size 4XB", "", 2, "unknown unit `XB`");
}

#[test]
fn negative_and_zero_sizes() {
    calc_fails("read --size=-5KB", "", 2, "negative");
    calc_fails("read --size 0B", "", 2, "more than 0 B");
    calc_fails("write --size 0KB", "", 2, "--missing");
}

#[test]
fn item_over_400kb_names_the_limit() {
    calc_fails("read --size 401KB", "", 1, "400 KB item limit");
    let item = format!(r#"{{"a":{{"S":"{}"}}}}"#, "x".repeat(409_600));
    calc_fails("item-size", &item, 1, "409,600 bytes");
}

#[test]
fn batch_and_transaction_limits() {
    let at_most = |args: &str, limit: &str| calc_fails(args, "", 1, limit);
    at_most("write --op batch-write --items 26 --size 1KB", "at most 25");
    at_most("read --op batch-get --items 101 --size 1KB", "at most 100");
    at_most(
        "write --op transact-write --items 101 --size 1KB",
        "TransactWriteItems takes at most 100",
    );
    at_most(
        "read --op transact-get --items 101 --size 1KB",
        "TransactGetItems takes at most 100",
    );
}

#[test]
fn invalid_dynamodb_json_names_the_attribute_path_once() {
    let stderr = calc_fails(
        "item-size",
        r#"{"a":{"M":{"b":{"N":"abc"}}}}"#,
        1,
        "a.M.b.N",
    );
    assert_eq!(stderr.matches("a.M.b.N").count(), 1, "{stderr}");
    calc_fails(
        "item-size",
        r#"{"a":{"S":1}}"#,
        1,
        "a.S: S takes a JSON string",
    );
    calc_fails("item-size", "[1,2]", 1, "JSON object");
}

#[test]
fn strong_consistency_with_transact_get() {
    calc_fails(
        "read --op transact-get --consistency strong --size 1KB",
        "",
        1,
        "always transactional",
    );
}

#[test]
fn total_size_with_get() {
    calc_fails("read --total-size 4KB", "", 2, "--total-size is for");
}

#[test]
fn missing_size() {
    calc_fails("read", "", 2, "--size");
    calc_fails("write --rate 10/s", "", 2, "--size");
    calc_fails("throughput --rcu 10", "", 2, "--size");
}

#[test]
fn unreadable_file_and_empty_stdin() {
    calc_fails(
        "item-size no/such/item.json",
        "",
        1,
        "cannot read no/such/item.json",
    );
    calc_fails("item-size", "", 1, "not valid JSON");
    calc_fails("item-size -", "   \n", 1, "not valid JSON");
}

#[test]
fn other_usage_mistakes() {
    calc_fails("read --size 1KB --rate fast", "", 2, "rate");
    calc_fails("read --size 1KB --op lookup", "", 2, "lookup");
    calc_fails(
        "write --size 1KB --index 1KB:move",
        "",
        2,
        "unknown index event",
    );
    calc_fails("read --size 1KB --items 0", "", 2, "--items");
    calc_fails("throughput --rcu 0 --size 1KB", "", 2, "more than 0");
    calc_fails("write --op put --items 2 --size 1KB", "", 1, "batch-write");
}

#[test]
fn absurd_numbers_are_refused_not_overflowed() {
    // These once panicked on u64 or Decimal overflow.
    calc_fails(
        "read --op query --items 18446744073709551615 --size 400KB",
        "",
        1,
        "1 EB",
    );
    calc_fails(
        "read --size 6KB --rate 79228162514264337593543950335/s",
        "",
        1,
        "at most 1,000,000,000,000",
    );
    calc_fails(
        "throughput --wcu 79228162514264337593543950335 --size 1B",
        "",
        1,
        "capacity",
    );
}

#[test]
fn help_and_version_exit_0() {
    let (code, stdout, _) = run(&["calc", "read", "--help"], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("--consistency"));
    assert_eq!(run(&["--version"], "").0, 0);
}

// ---- DynamoDB's request limits (§9 [TX], §11.3 [QUOTA]) ----

#[test]
fn transaction_over_4mb_is_a_validation_exception_not_20000_wcu() {
    // §9 [TX] "The aggregate size of the items in the transaction cannot exceed 4 MB":
    // 100 items × 100 KB = 10,000 KB > 4,096 KB, so DynamoDB refuses the call rather than
    // charging 100 × 100 × 2 = 20,000 WCU.
    let stderr = calc_fails(
        "write --op transact-write --items 100 --size 100KB",
        "",
        1,
        "ValidationException",
    );
    assert!(stderr.contains("10,240,000 B"), "{stderr}");
    assert!(stderr.contains("4,194,304 B (4 MB)"), "{stderr}");
    calc_fails(
        "read --op transact-get --items 100 --size 100KB",
        "",
        1,
        "TransactGetItems items add up to 10,240,000 B",
    );
    // At the limit it is accepted: 40 × 100 KB = 4,000 KB ≤ 4,096 KB → 40 × 100 × 2 = 8,000 WCU.
    assert_eq!(
        units("write --op transact-write --items 40 --size 100KB"),
        8000.0
    );
    // 4 MB exactly: 4 items of 1,048,576 B would be over the 400 KB item limit, so take
    // 41 items of 102,300 B = 4,194,300 B ≤ 4,194,304 B: each 100 KB → 2 × 100 = 200, 8,200 WCU.
    assert_eq!(
        units("write --op transact-write --items 41 --size 102300B"),
        8200.0
    );
}

#[test]
fn batch_write_of_25_items_of_400kb_is_within_16mb() {
    // §11.3 [QUOTA]: a BatchWriteItem request is at most 16 MB; 25 puts (the most allowed) of
    // 400 KB items (the largest) are 10,000 KB, under 16,384 KB, so DynamoDB accepts them:
    // 25 × 400 = 10,000 WCU.
    assert_eq!(
        units("write --op batch-write --items 25 --size 400KB"),
        10000.0
    );
}

#[test]
fn batch_get_over_16mb_is_served_over_several_calls() {
    // §11.3 [QUOTA]: BatchGetItem returns at most 16 MB per call, the rest as UnprocessedKeys.
    // 100 keys of 400 KB = 40,000 KB: 40 items (16,000 KB) fit in each call, so 3 calls
    // (40 + 40 + 20). Units are unchanged: 100 × 100 steps = 10,000 RCU strong.
    let answer = calc_json("read --op batch-get --items 100 --size 400KB --consistency strong");
    assert_eq!(num(&answer, "units_per_request"), 10000.0);
    assert_eq!(answer["calls"], 3);
    let text = calc_text("read --op batch-get --items 100 --size 400KB --consistency strong");
    assert!(text.contains("over 3 calls"), "{text}");
    // 40 keys of 400 KB = 16,000 KB fit in one call: no `calls`.
    let answer = calc_json("read --op batch-get --items 40 --size 400KB --consistency strong");
    assert!(answer.get("calls").is_none(), "{answer}");
}

#[test]
fn lsi_query_fetching_unprojected_attributes_is_20kb() {
    // [LSI] (developer guide example): 4 index entries of 200 B = 800 B → 4 KB, plus 4 table
    // items of 300 B fetched, each → 4 KB = 16 KB: 20 KB, 5 RCU strongly consistent.
    let answer =
        calc_json("read --op query --items 4 --size 200B --fetch 300B --consistency strong");
    assert_eq!(num(&answer, "units_per_request"), 5.0);
    assert_eq!(num(&answer, "charged_bytes"), 20.0 * KB);
    let text = calc_text("read --op query --items 4 --size 200B --fetch 300B --consistency strong");
    assert!(
        text.contains(
            "4 fetched items of 300 B: each rounds up to 4 KB = 1 read unit, 4 read units in all."
        ),
        "{text}"
    );
    // Only an index query or scan fetches: a usage error (exit 2) otherwise.
    calc_fails(
        "read --size 1KB --fetch 300B",
        "",
        2,
        "--fetch is for --op query or scan",
    );
}
