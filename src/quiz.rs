//! Exam-style practice questions drawn at random from a seed. Every expected answer and its
//! working come from the `calc` functions, so the quiz can never disagree with `calc`.
//!
//! Pure: the same seed, topic and count always give the same questions.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};

use crate::calc::{
    self, AccessKind, Answer, ItemSizeError, ReadQuestion, ThroughputQuestion, WriteQuestion,
};
use crate::capacity::{CapacityError, Consistency, IndexEvent, Items, ReadOp, WriteOp};
use crate::quantity::{group_digits, Period, Rate};

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    Read,
    Write,
    ItemSize,
    Throughput,
    Index,
    Transaction,
}

const TOPICS: [Topic; 6] = [
    Topic::Read,
    Topic::Write,
    Topic::ItemSize,
    Topic::Throughput,
    Topic::Index,
    Topic::Transaction,
];

/// One question, its expected answer and the worked solution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub topic: Topic,
    pub prompt: String,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub expected: Decimal,
    pub unit: &'static str,
    pub solution: Answer,
}

impl Question {
    /// The expected answer as written for people, e.g. `20 RCU`.
    pub fn expected_text(&self) -> String {
        format!("{} {}", group_digits(self.expected), self.unit)
    }

    /// Whether a typed answer is right: its leading number equals the expected value
    /// ("20", "20 RCU", "20.0" and "1,500 B" all read as numbers). `None` when no number.
    pub fn check(&self, typed: &str) -> Option<bool> {
        parse_answer(typed).map(|value| value == self.expected)
    }
}

/// The number at the start of an answer, ignoring thousands separators.
pub fn parse_answer(typed: &str) -> Option<Decimal> {
    let typed = typed.trim();
    let end = typed
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+')))
        .unwrap_or(typed.len());
    typed[..end].replace(',', "").parse().ok()
}

/// Why a quiz could not be built; only possible if a generated question broke a calc rule.
#[derive(Debug, thiserror::Error)]
pub enum QuizError {
    #[error(transparent)]
    Capacity(#[from] CapacityError),
    #[error(transparent)]
    ItemSize(#[from] ItemSizeError),
}

/// `count` questions on `topic` (any topic when `None`), reproducible from `seed`.
pub fn generate(seed: u64, topic: Option<Topic>, count: usize) -> Result<Vec<Question>, QuizError> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            let topic = topic.unwrap_or_else(|| pick(&mut rng, &TOPICS));
            let mut gen = Gen { rng: &mut rng };
            match topic {
                Topic::Read => gen.read(),
                Topic::Write => gen.write(),
                Topic::ItemSize => gen.item_size(),
                Topic::Throughput => gen.throughput(),
                Topic::Index => gen.index(),
                Topic::Transaction => gen.transaction(),
            }
        })
        .collect()
}

/// Item sizes as an exam writes them, with their bytes (KB = 1024 B, fractions rounded up).
const SIZES: [(&str, u64); 14] = [
    ("300 B", 300),
    ("500 B", 500),
    ("800 B", 800),
    ("1 KB", 1024),
    ("1.4 KB", 1434),
    ("1.5 KB", 1536),
    ("2.5 KB", 2560),
    ("3500 B", 3500),
    ("4 KB", 4096),
    ("6 KB", 6144),
    ("6.5 KB", 6656),
    ("9 KB", 9216),
    ("12 KB", 12288),
    ("20 KB", 20480),
];

/// Rates: a count and the period it is given in.
const RATES: [(u64, Period); 8] = [
    (10, Period::Second),
    (25, Period::Second),
    (50, Period::Second),
    (100, Period::Second),
    (400, Period::Second),
    (600, Period::Minute),
    (3000, Period::Minute),
    (36_000, Period::Hour),
];

/// Each consistency with its name in a prompt and the article before it.
const CONSISTENCIES: [(Consistency, &str, &str); 2] = [
    (Consistency::Strong, "strongly consistent", "A"),
    (Consistency::Eventual, "eventually consistent", "An"),
];

fn pick<T: Copy>(rng: &mut Xoshiro256PlusPlus, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// A rate for the question and its count and period for the prompt ("3,000", "per minute").
fn rate((count, per): (u64, Period)) -> (Option<Rate>, String, &'static str) {
    let per_text = match per {
        Period::Minute => "per minute",
        Period::Hour => "per hour",
        _ => "per second",
    };
    let rate = Rate {
        count: count.into(),
        per,
    };
    (Some(rate), group_digits(count.into()), per_text)
}

struct Gen<'a> {
    rng: &'a mut Xoshiro256PlusPlus,
}

impl Gen<'_> {
    fn size(&mut self) -> (&'static str, u64) {
        pick(self.rng, &SIZES)
    }

    fn sizes(&mut self, max: usize) -> (String, Vec<u64>) {
        let n = self.rng.random_range(2..=max);
        let picked: Vec<_> = (0..n).map(|_| self.size()).collect();
        let names: Vec<&str> = picked.iter().map(|&(name, _)| name).collect();
        (names.join(", "), picked.iter().map(|&(_, b)| b).collect())
    }

    fn read(&mut self) -> Result<Question, QuizError> {
        let (consistency, how, a) = pick(self.rng, &CONSISTENCIES);
        let (prompt, items, op, rate_given) = match self.rng.random_range(0..4) {
            0 => {
                let (name, bytes) = self.size();
                let (r, n, per) = rate(pick(self.rng, &RATES));
                (
                    format!("An application makes {n} {how} GetItem calls {per} on items of {name}. How many RCUs must the table provision?"),
                    Items::one(bytes),
                    ReadOp::Get,
                    r,
                )
            }
            1 => {
                let count = pick(self.rng, &[10u64, 25, 100, 1500]);
                let size = pick(self.rng, &[64u64, 200, 410, 1000, 3000]);
                (
                    format!("{a} {how} Query reads {count} items of {size} B each, with no filter. How many RCUs does it consume in total, over all its pages?"),
                    Items::Uniform { count, size },
                    ReadOp::Query,
                    None,
                )
            }
            2 => {
                let (names, sizes) = self.sizes(4);
                (
                    format!("{a} {how} BatchGetItem call fetches items of {names}. How many RCUs does the call consume?"),
                    Items::Listed(sizes),
                    ReadOp::BatchGet,
                    None,
                )
            }
            _ => (
                format!("{a} {how} GetItem asks for a key that does not exist in the table. How many RCUs does the call consume?"),
                Items::one(0),
                ReadOp::Get,
                None,
            ),
        };
        let solution = calc::read(&ReadQuestion {
            op,
            consistency,
            items,
            rate: rate_given,
        })?;
        Ok(answered(
            Topic::Read,
            prompt,
            solution,
            rate_given.is_some(),
            "RCU",
        ))
    }

    fn write(&mut self) -> Result<Question, QuizError> {
        let (name, bytes) = self.size();
        let (r, n, per) = rate(pick(self.rng, &RATES));
        let (prompt, question) = match self.rng.random_range(0..4) {
            0 => (
                format!("An application writes {n} items of {name} {per} with PutItem. How many WCUs must the table provision?"),
                plain_write(WriteOp::Put, Items::one(bytes), r),
            ),
            1 => {
                let (names, sizes) = self.sizes(5);
                (
                    format!("A BatchWriteItem call puts items of {names}. How many WCUs does the call consume?"),
                    plain_write(WriteOp::BatchWrite, Items::Listed(sizes), None),
                )
            }
            2 => {
                let grown = bytes + pick(self.rng, &[100u64, 300, 700]);
                (
                    format!("An UpdateItem call changes one attribute of an item of {name}; afterwards the item is {grown} B. The application makes {n} such updates {per}. How many WCUs must the table provision?"),
                    WriteQuestion {
                        size_before: Some(bytes),
                        ..plain_write(WriteOp::Update, Items::one(grown), r)
                    },
                )
            }
            _ => (
                format!("An application deletes {n} items {per} by key, but none of the keys exist any more. How many WCUs must the table provision?"),
                plain_write(WriteOp::Delete, Items::one(0), r),
            ),
        };
        let per_second = question.rate.is_some();
        let solution = calc::write(&question)?;
        Ok(answered(Topic::Write, prompt, solution, per_second, "WCU"))
    }

    fn transaction(&mut self) -> Result<Question, QuizError> {
        let count = self.rng.random_range(2..=5u64);
        let (name, size) = self.size();
        let tps = pick(self.rng, &[1u64, 5, 20, 50]);
        let r = Some(Rate::per_second(tps.into()));
        let items = Items::Uniform { count, size };
        if self.rng.random_bool(0.5) {
            let prompt = format!("Each transaction (TransactWriteItems) writes {count} items of {name}; the application runs {tps} transactions per second. How many WCUs must the table provision?");
            let solution = calc::write(&WriteQuestion {
                transactional: true,
                ..plain_write(WriteOp::TransactWrite, items, r)
            })?;
            Ok(answered(Topic::Transaction, prompt, solution, true, "WCU"))
        } else {
            let prompt = format!("A TransactGetItems call reads {count} items of {name}; the application makes {tps} such calls per second. How many RCUs must the table provision?");
            let solution = calc::read(&ReadQuestion {
                op: ReadOp::TransactGet,
                consistency: Consistency::Transactional,
                items,
                rate: r,
            })?;
            Ok(answered(Topic::Transaction, prompt, solution, true, "RCU"))
        }
    }

    fn index(&mut self) -> Result<Question, QuizError> {
        let (name, bytes) = self.size();
        let entry = pick(self.rng, &[200u64, 600, 1024, 1800, 2500]);
        let (r, n, per) = rate(pick(self.rng, &RATES));
        let transactional = self.rng.random_bool(0.3);
        let (op, event, action) = pick(
            self.rng,
            &[
                (
                    WriteOp::Put,
                    IndexEvent::Insert,
                    "puts new items of {size} that carry the GSI key",
                ),
                (
                    WriteOp::Update,
                    IndexEvent::Update,
                    "updates a projected attribute (not the key) of items of {size}",
                ),
                (
                    WriteOp::Update,
                    IndexEvent::KeyChange,
                    "updates the GSI partition key value of items of {size}",
                ),
                (
                    WriteOp::Delete,
                    IndexEvent::Remove,
                    "deletes items of {size} that are in the GSI",
                ),
            ],
        );
        let prompt = format!(
            "A table has a global secondary index whose entries (keys and projected attributes) are {entry} B. An application {}, {n} times {per}{}. How many WCUs must the GSI provision?",
            action.replace("{size}", name),
            if transactional { ", each write inside a TransactWriteItems call" } else { "" }
        );
        let solution = calc::write(&WriteQuestion {
            transactional,
            indexes: vec![(entry, event)],
            ..plain_write(op, Items::one(bytes), r)
        })?;
        let gsi = solution
            .indexes
            .as_ref()
            .and_then(|i| i.first())
            .map_or(Decimal::ZERO, |i| i.units_per_second.ceil());
        Ok(Question {
            topic: Topic::Index,
            prompt,
            expected: gsi,
            unit: "WCU",
            solution,
        })
    }

    fn item_size(&mut self) -> Result<Question, QuizError> {
        let typed = self.rng.random_bool(0.5);
        let mut item = serde_json::Map::new();
        let user = self.rng.random_range(1..100_000u32);
        item.insert(
            "pk".into(),
            value(typed, "S", json!(format!("USER#{user}"))),
        );
        let first = pick(
            self.rng,
            &["Ana", "Bob", "Chiara", "Dmitri", "Eun-ji", "Zoë"],
        );
        item.insert("name".into(), value(typed, "S", json!(first)));
        if self.rng.random_bool(0.6) {
            let age = self.rng.random_range(18..=99u32);
            item.insert("age".into(), number(typed, &age.to_string()));
        }
        if self.rng.random_bool(0.5) {
            let cents = self.rng.random_range(1..1_000_000u32);
            let price = format!("{}.{:02}", cents / 100, cents % 100);
            item.insert("price".into(), number(typed, &price));
        }
        if self.rng.random_bool(0.5) {
            let active = self.rng.random_bool(0.5);
            item.insert("active".into(), value(typed, "BOOL", json!(active)));
        }
        if self.rng.random_bool(0.5) {
            // Plain JSON has no sets: an SDK marshals the array as a list (L).
            item.insert("tags".into(), value(typed, "SS", json!(["new", "sale"])));
        }
        if self.rng.random_bool(0.4) {
            let city = pick(self.rng, &["Lyon", "Osaka", "Porto", "Seattle"]);
            let mut address = serde_json::Map::new();
            address.insert("city".into(), value(typed, "S", json!(city)));
            address.insert("zip".into(), value(typed, "S", json!("69001")));
            item.insert("address".into(), value(typed, "M", Value::Object(address)));
        }
        let text = serde_json::to_string_pretty(&Value::Object(item)).unwrap_or_default();
        let prompt = format!(
            "How many bytes does DynamoDB count for this item ({})?\n{text}",
            if typed {
                "DynamoDB JSON"
            } else {
                "plain JSON, as an SDK would marshal it"
            }
        );
        let solution = calc::item_size(&text, &[])?;
        Ok(Question {
            topic: Topic::ItemSize,
            prompt,
            expected: solution.bytes.unwrap_or_default().into(),
            unit: "B",
            solution,
        })
    }

    fn throughput(&mut self) -> Result<Question, QuizError> {
        let (name, bytes) = self.size();
        let capacity: Decimal = pick(self.rng, &[100u64, 250, 500, 1000, 1200]).into();
        let shown = group_digits(capacity);
        let (access, prompt, unit) = match self.rng.random_range(0..4) {
            0 | 1 => {
                let (consistency, how, _) = pick(self.rng, &CONSISTENCIES);
                (
                    AccessKind::Read(consistency),
                    format!("A table has {shown} RCU provisioned. How many {how} reads of {name} items per second can it sustain at most (whole reads)?"),
                    "reads/s",
                )
            }
            2 => (
                AccessKind::Write { transactional: false },
                format!("A table has {shown} WCU provisioned. How many writes of {name} items per second can it sustain at most (whole writes)?"),
                "writes/s",
            ),
            _ => (
                AccessKind::Write { transactional: true },
                format!("A table has {shown} WCU provisioned. How many transactional writes of {name} items per second can it sustain at most (whole writes)?"),
                "writes/s",
            ),
        };
        let solution = calc::throughput(&ThroughputQuestion {
            capacity,
            size: bytes,
            access,
        })?;
        Ok(Question {
            topic: Topic::Throughput,
            prompt,
            expected: solution.requests_per_second.unwrap_or_default().floor(),
            unit,
            solution,
        })
    }
}

fn plain_write(op: WriteOp, items: Items, rate: Option<Rate>) -> WriteQuestion {
    WriteQuestion {
        op,
        transactional: false,
        items,
        size_before: None,
        rate,
        indexes: Vec::new(),
    }
}

/// A read or write question whose answer is the whole units to provision when a rate is given,
/// else the units one call consumes.
fn answered(
    topic: Topic,
    prompt: String,
    solution: Answer,
    per_second: bool,
    unit: &'static str,
) -> Question {
    let expected = if per_second {
        solution.provisioned_units.unwrap_or_default().into()
    } else {
        solution.units_per_request.unwrap_or_default()
    };
    Question {
        topic,
        prompt,
        expected: expected.normalize(),
        unit,
        solution,
    }
}

/// An attribute value in DynamoDB JSON (`{"S": "x"}`) or in plain JSON (`"x"`).
fn value(typed: bool, tag: &str, value: Value) -> Value {
    if typed {
        Value::Object([(tag.to_string(), value)].into_iter().collect())
    } else {
        value
    }
}

/// A number: a string in DynamoDB JSON (`{"N": "19.99"}`), a JSON number in plain JSON.
fn number(typed: bool, text: &str) -> Value {
    if typed {
        value(true, "N", json!(text))
    } else {
        serde_json::from_str(text).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn same_seed_same_questions() {
        let a = generate(7, None, 20).unwrap();
        assert_eq!(a, generate(7, None, 20).unwrap());
        assert_ne!(a, generate(8, None, 20).unwrap());
    }

    #[test]
    fn every_topic_generates_many_valid_questions() {
        for topic in TOPICS {
            for q in generate(1, Some(topic), 50).unwrap() {
                assert_eq!(q.topic, topic);
                assert!(q.expected >= Decimal::ZERO, "{q:?}");
                assert!(!q.solution.steps.is_empty());
            }
        }
    }

    #[test]
    fn answers_are_read_as_numbers() {
        assert_eq!(parse_answer("20"), Some(dec!(20)));
        assert_eq!(parse_answer(" 20 RCU"), Some(dec!(20)));
        assert_eq!(parse_answer("20.0"), Some(dec!(20)));
        assert_eq!(parse_answer("1,500 B"), Some(dec!(1500)));
        assert_eq!(parse_answer("0.5RCU"), Some(dec!(0.5)));
        assert_eq!(parse_answer("twenty"), None);
        assert_eq!(parse_answer(""), None);
    }
}
