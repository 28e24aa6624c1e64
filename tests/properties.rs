//! Properties of the capacity math that hold for every size, rate and item list.

use capacity_plan::calc::{self, ReadQuestion};
use capacity_plan::capacity::item_size::Item;
use capacity_plan::capacity::{
    read_charge, write_charge, Consistency, Items, ReadOp, WriteOp, MAX_ITEM_BYTES,
};
use capacity_plan::quantity::{Rate, Size};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn read_units(op: ReadOp, consistency: Consistency, items: &Items) -> Decimal {
    read_charge(op, consistency, items).unwrap().units()
}

fn write_units(op: WriteOp, transactional: bool, items: &Items) -> Decimal {
    write_charge(op, transactional, items, None)
        .unwrap()
        .units()
}

fn size() -> impl Strategy<Value = u64> {
    0..=MAX_ITEM_BYTES
}

proptest! {
    #[test]
    fn units_never_decrease_when_the_size_grows(a in size(), b in size()) {
        let (small, large) = (a.min(b), a.max(b));
        for consistency in [Consistency::Strong, Consistency::Eventual, Consistency::Transactional] {
            prop_assert!(
                read_units(ReadOp::Get, consistency, &Items::one(small))
                    <= read_units(ReadOp::Get, consistency, &Items::one(large))
            );
        }
        for transactional in [false, true] {
            prop_assert!(
                write_units(WriteOp::Put, transactional, &Items::one(small))
                    <= write_units(WriteOp::Put, transactional, &Items::one(large))
            );
        }
        let scan = |total| read_units(ReadOp::Scan, Consistency::Strong, &Items::Total(total));
        prop_assert!(scan(small * 1000) <= scan(large * 1000));
    }

    #[test]
    fn units_per_second_never_decrease_when_the_rate_grows(
        bytes in 1..=MAX_ITEM_BYTES, a in 0u64..1_000_000, b in 0u64..1_000_000,
    ) {
        let per_second = |rate: u64| {
            calc::read(&ReadQuestion {
                op: ReadOp::Get,
                consistency: Consistency::Eventual,
                items: Items::one(bytes),
                rate: Some(Rate::per_second(rate.into())),
            })
            .unwrap()
            .units_per_second
            .unwrap()
        };
        prop_assert!(per_second(a.min(b)) <= per_second(a.max(b)));
    }

    #[test]
    fn eventual_is_exactly_half_of_strong(sizes in prop::collection::vec(size(), 1..100)) {
        let items = Items::Listed(sizes);
        for op in [ReadOp::Get, ReadOp::BatchGet, ReadOp::Query, ReadOp::Scan] {
            if op == ReadOp::Get && !matches!(&items, Items::Listed(s) if s.len() == 1) {
                continue;
            }
            prop_assert_eq!(
                read_units(op, Consistency::Eventual, &items) * Decimal::TWO,
                read_units(op, Consistency::Strong, &items)
            );
        }
    }

    // At most 10 items of up to 400 KB: 4,000 KB, within the 4 MB a transaction's items may
    // add up to (§9 [TX]); larger ones are refused, not priced.
    #[test]
    fn transactional_is_twice_standard(sizes in prop::collection::vec(size(), 1..=10)) {
        let items = Items::Listed(sizes);
        prop_assert_eq!(
            read_units(ReadOp::TransactGet, Consistency::Transactional, &items),
            read_units(ReadOp::BatchGet, Consistency::Strong, &items) * Decimal::TWO
        );
        prop_assert_eq!(
            write_units(WriteOp::TransactWrite, true, &items),
            write_units(WriteOp::BatchWrite, false, &items) * Decimal::TWO
        );
    }

    #[test]
    fn rounding_each_item_costs_at_least_rounding_the_sum(
        sizes in prop::collection::vec(1..=MAX_ITEM_BYTES, 1..=25),
    ) {
        let total: u64 = sizes.iter().sum();
        let per_item = write_charge(WriteOp::BatchWrite, false, &Items::Listed(sizes.clone()), None)
            .unwrap()
            .charged_bytes();
        prop_assert!(per_item >= total.div_ceil(1024) * 1024);
        let batch = read_charge(ReadOp::BatchGet, Consistency::Strong, &Items::Listed(sizes)).unwrap();
        prop_assert!(batch.charged_bytes() >= total.div_ceil(4096) * 4096);
    }

    #[test]
    fn a_query_of_the_summed_size_costs_no_more_than_batch_get(
        sizes in prop::collection::vec(1..=MAX_ITEM_BYTES, 1..=100),
    ) {
        let total: u64 = sizes.iter().sum();
        for consistency in [Consistency::Strong, Consistency::Eventual] {
            prop_assert!(
                read_units(ReadOp::Query, consistency, &Items::Total(total))
                    <= read_units(ReadOp::BatchGet, consistency, &Items::Listed(sizes.clone()))
            );
        }
    }

    #[test]
    fn parsing_sizes_and_rates_never_panics(text in "\\PC*") {
        let _ = text.parse::<Size>();
        let _ = text.parse::<Rate>();
    }

    #[test]
    fn parsing_quantity_like_text_never_panics(
        text in "[-+]?[0-9_.eE]{0,40}(B|KB|MB|GB|TB|XB|k|M)?(/(s|min|h|day|week|month|x))?",
    ) {
        let _ = text.parse::<Size>();
        let _ = text.parse::<Rate>();
    }

    #[test]
    fn item_from_json_never_panics(text in "\\PC*") {
        let _ = Item::from_json(&text);
    }

    #[test]
    fn item_from_json_like_text_never_panics(
        text in r#"\{("[a-z]{0,3}":\{"(S|N|B|BOOL|NULL|L|M|SS|NS|BS)":(\[|\{|"[0-9a-z=.eE+-]{0,12}"|true|null|-?[0-9]{1,5}|\]|\}|,){0,6}\}?,?){0,4}\}"#,
    ) {
        let _ = Item::from_json(&text);
    }
}

proptest! {
    #[test]
    fn number_sizes_never_panic_and_stay_within_21_bytes(
        text in "[-+]?[0-9]{0,45}(\\.[0-9]{0,45})?([eE][-+]?[0-9]{1,20})?",
    ) {
        if let Ok(bytes) = capacity_plan::capacity::item_size::number_size(&text) {
            prop_assert!((1..=21).contains(&bytes), "{} → {}", text, bytes);
        }
    }
}

/// JSON documents whose keys are often DynamoDB type tags, so that both the typed and the
/// plain reading get exercised, with nesting.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "-?[0-9]{0,4}(\\.[0-9]{0,3})?(e[0-9]{1,3})?|[A-Za-z0-9+/=]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                "S|N|B|BOOL|NULL|L|M|SS|NS|BS|Item|[a-z]{0,2}",
                inner,
                0..4
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn items_from_generated_json_never_panic(value in json_value()) {
        if let Ok(item) = Item::from_json(&value.to_string()) {
            let size = item.size();
            prop_assert!(size.storage_bytes() == size.bytes() + 100);
        }
    }
}

proptest! {
    #[test]
    fn transactions_over_4mb_are_refused_at_any_item_count(
        sizes in prop::collection::vec(size(), 1..=100),
    ) {
        // §9 [TX]: the items of a transaction add up to at most 4 MB (4,194,304 B).
        let total: u64 = sizes.iter().sum();
        let items = Items::Listed(sizes);
        let write = write_charge(WriteOp::TransactWrite, true, &items, None);
        let read = read_charge(ReadOp::TransactGet, Consistency::Transactional, &items);
        prop_assert_eq!(write.is_ok(), total <= 4 * 1024 * 1024);
        prop_assert_eq!(read.is_ok(), total <= 4 * 1024 * 1024);
    }
}
