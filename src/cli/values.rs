//! The command line's names for the domain's enums. The domain stays free of clap; its enums
//! are bound to clap here, by the names and help the command line has always shown.

use crate::capacity::TableClass;
use crate::capacity::{Consistency, IndexEvent, ReadOp, WriteOp};
use crate::pricing::Term;
use crate::quiz::Topic;
use crate::render::ColorChoice;
use crate::sim::Model;

/// Implements `clap::ValueEnum` for a domain enum: each variant, its name on the command line,
/// other spellings it accepts (`| "alias"`) and, optionally, its help.
macro_rules! value_enum {
    ($ty:ident { $($variant:ident => $name:literal $(| $alias:literal)* $(: $help:literal)?),+ $(,)? }) => {
        impl clap::ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($ty::$variant),+]
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(match self {
                    $($ty::$variant => clap::builder::PossibleValue::new($name)$(.alias($alias))*$(.help($help))?,)+
                })
            }
        }
    };
}

value_enum!(Consistency {
    Eventual => "eventual": "Eventually consistent: half a unit per 4 KB step, halved after rounding",
    Strong => "strong": "Strongly consistent: one unit per 4 KB step",
    Transactional => "transactional": "TransactGetItems: two units per 4 KB step (prepare and commit)",
});

value_enum!(ReadOp {
    Get => "get",
    BatchGet => "batch-get",
    Query => "query",
    Scan => "scan",
    TransactGet => "transact-get",
});

value_enum!(WriteOp {
    Put => "put",
    Update => "update",
    Delete => "delete",
    BatchWrite => "batch-write",
    TransactWrite => "transact-write",
});

value_enum!(IndexEvent {
    Insert => "insert": "The item newly carries the index key: one put",
    Update => "update": "The entry stays under the same key but a projected attribute changes: one write",
    KeyChange => "key-change": "The index key value changes: delete the old entry and put the new one, two writes",
    Remove => "remove": "The item loses the index key: one delete",
    Untouched => "untouched": "Neither key nor projected attributes change, or the item is not in the index: nothing",
});

value_enum!(TableClass {
    Standard => "standard",
    StandardIa => "standard-ia",
});

value_enum!(Term {
    OneYear => "1y",
    ThreeYears => "3y",
});

value_enum!(Model {
    Provisioned => "provisioned",
    Autoscaling => "autoscaling",
    // The spec writes `on_demand`; both spellings name the mode wherever a mode is named.
    OnDemand => "on-demand" | "on_demand",
});

value_enum!(Topic {
    Read => "read",
    Write => "write",
    ItemSize => "item-size",
    Throughput => "throughput",
    Index => "index",
    Transaction => "transaction",
});

value_enum!(ColorChoice {
    Auto => "auto": "On a terminal, unless NO_COLOR is set",
    Always => "always",
    Never => "never",
});
