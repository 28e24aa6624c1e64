//! `capacity-plan calc`: one capacity question from flags, answered with its working.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use rust_decimal::Decimal;

use super::{AnswerFormat, UsageError};
use crate::calc::{self, AccessKind, Answer, ReadQuestion, ThroughputQuestion, WriteQuestion};
use crate::capacity::{Consistency, IndexEvent, Items, ReadOp, WriteOp};
use crate::quantity::{Rate, Size};

#[derive(Debug, Args)]
pub struct CalcArgs {
    #[command(subcommand)]
    pub question: CalcCommand,

    /// Output format.
    #[arg(long, value_enum, default_value = "text", global = true)]
    pub format: AnswerFormat,
}

#[derive(Debug, Subcommand)]
pub enum CalcCommand {
    /// Read capacity units for GetItem, BatchGetItem, Query, Scan or TransactGetItems.
    #[command(
        after_help = "Examples:\n  capacity-plan calc read --size 6KB --rate 10/s\n  capacity-plan calc read --op query --total-size 40.8KB --consistency eventual\n  capacity-plan calc read --op batch-get --sizes 1.5KB,6.5KB\n  capacity-plan calc read --op query --items 4 --size 200B --fetch 300B"
    )]
    Read(ReadArgs),
    /// Write capacity units for PutItem, UpdateItem, DeleteItem, BatchWriteItem or TransactWriteItems.
    #[command(
        after_help = "Examples:\n  capacity-plan calc write --size 1.4KB --rate 100/s\n  capacity-plan calc write --op transact-write --items 3 --size 500B\n  capacity-plan calc write --op update --size 2KB --index 300B:key-change"
    )]
    Write(WriteArgs),
    /// The size of an item given as JSON (DynamoDB JSON or plain JSON), from a file or stdin.
    ItemSize(ItemSizeArgs),
    /// What a given RCU or WCU sustains in requests and bytes per second.
    Throughput(ThroughputArgs),
    /// A table's monthly cost in one capacity mode, with every line's price and source.
    Cost(super::cost::CostArgs),
}

/// The items a request touches, shared by reads and writes.
#[derive(Debug, Args)]
pub struct ItemArgs {
    /// Item size, e.g. 3500B, 4.5KB (KB = 1024 bytes).
    #[arg(long, value_parser = positive_size)]
    pub size: Option<Size>,

    /// Number of items of --size (batch, transaction, query, scan).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub items: Option<u64>,

    /// One size per item, comma-separated, e.g. 1.5KB,6.5KB.
    #[arg(long, value_delimiter = ',', value_parser = positive_size, conflicts_with_all = ["size", "items"])]
    pub sizes: Vec<Size>,

    /// The item does not exist (GetItem, BatchGetItem, DeleteItem still charge the minimum).
    #[arg(long, conflicts_with_all = ["size", "sizes"])]
    pub missing: bool,

    /// Requests per second, or per min/h/day/month: 10/s, 120/min, 5M/day (month = 730 h).
    #[arg(long)]
    pub rate: Option<Rate>,
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub items: ItemArgs,

    /// Read consistency [default: eventual, as DynamoDB reads unless ConsistentRead is set;
    /// transactional for transact-get].
    #[arg(long, value_enum)]
    pub consistency: Option<Consistency>,

    /// The read call.
    #[arg(long, value_enum, default_value = "get")]
    pub op: ReadOp,

    /// Query/Scan: the summed size of all items evaluated, instead of --items × --size.
    #[arg(long, conflicts_with_all = ["size", "items", "sizes", "missing"])]
    pub total_size: Option<Size>,

    /// Query/Scan of a local secondary index that needs attributes it does not project: the
    /// size of the table item fetched for each entry read (each rounded up to 4 KB on its own).
    #[arg(long, value_parser = positive_size, conflicts_with = "total_size")]
    pub fetch: Option<Size>,
}

#[derive(Debug, Args)]
pub struct WriteArgs {
    #[command(flatten)]
    pub items: ItemArgs,

    /// A transactional write (TransactWriteItems): 2 units per 1 KB.
    #[arg(long)]
    pub transactional: bool,

    /// The write call.
    #[arg(long, value_enum, default_value = "put")]
    pub op: WriteOp,

    /// Size of the existing item a put or update replaces (the larger image is charged).
    #[arg(long, value_parser = positive_size)]
    pub size_before: Option<Size>,

    /// An index entry the write touches: ENTRY_SIZE[:insert|update|key-change|remove|untouched].
    /// Repeat for several indexes. Without an event: insert for put, update for update,
    /// remove for delete.
    #[arg(long = "index", value_name = "ENTRY_SIZE[:EVENT]", value_parser = parse_index)]
    pub indexes: Vec<(Size, Option<IndexEvent>)>,
}

#[derive(Debug, Args)]
pub struct ItemSizeArgs {
    /// JSON file holding one item; `-` or nothing reads stdin.
    pub file: Option<PathBuf>,

    /// Check this attribute as the partition key (at most 2048 bytes).
    #[arg(long)]
    pub partition_key: Option<String>,

    /// Check this attribute as the sort key (at most 1024 bytes).
    #[arg(long)]
    pub sort_key: Option<String>,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("capacity").required(true).args(["rcu", "wcu"]))]
pub struct ThroughputArgs {
    /// Read capacity units available.
    #[arg(long, value_parser = positive_decimal)]
    pub rcu: Option<Decimal>,

    /// Write capacity units available.
    #[arg(long, value_parser = positive_decimal)]
    pub wcu: Option<Decimal>,

    /// Item size of each request.
    #[arg(long, value_parser = positive_size)]
    pub size: Size,

    /// Read consistency (with --rcu).
    #[arg(long, value_enum, default_value = "strong", conflicts_with = "wcu")]
    pub consistency: Consistency,

    /// Transactional writes (with --wcu).
    #[arg(long, conflicts_with = "rcu")]
    pub transactional: bool,
}

fn positive_size(text: &str) -> Result<Size, String> {
    let size: Size = text
        .parse()
        .map_err(|e: crate::quantity::QuantityError| e.to_string())?;
    if size.bytes() == 0 {
        return Err(
            "a size must be more than 0 B; for an item that does not exist use --missing".into(),
        );
    }
    Ok(size)
}

fn positive_decimal(text: &str) -> Result<Decimal, String> {
    match text.trim().parse::<Decimal>() {
        Ok(value) if value > Decimal::ZERO => Ok(value),
        Ok(_) => Err("must be more than 0".into()),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

fn parse_index(text: &str) -> Result<(Size, Option<IndexEvent>), String> {
    let (size, event) = match text.split_once(':') {
        Some((size, event)) => {
            let event = <IndexEvent as clap::ValueEnum>::from_str(event, true).map_err(|_| {
                format!("unknown index event `{event}`; use insert, update, key-change, remove or untouched")
            })?;
            (size, Some(event))
        }
        None => (text, None),
    };
    Ok((positive_size(size)?, event))
}

impl ItemArgs {
    /// The items as the library counts them; a missing item is 0 bytes.
    fn items(&self, total: Option<Size>) -> Result<Items, UsageError> {
        if let Some(total) = total {
            return Ok(Items::Total(total.bytes()));
        }
        if !self.sizes.is_empty() {
            return Ok(Items::Listed(
                self.sizes.iter().map(|s| s.bytes()).collect(),
            ));
        }
        let size = match (self.size, self.missing) {
            (Some(size), _) => size.bytes(),
            (None, true) => 0,
            (None, false) => {
                return Err(UsageError(
                    "give the item size with --size (or --sizes, --total-size, --missing)".into(),
                ))
            }
        };
        Ok(Items::Uniform {
            count: self.items.unwrap_or(1),
            size,
        })
    }
}

pub fn run(args: CalcArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let answer = match args.question {
        CalcCommand::Cost(cost) => return super::cost::run(cost, args.format, out),
        CalcCommand::Read(read) => {
            if read.fetch.is_some() && !matches!(read.op, ReadOp::Query | ReadOp::Scan) {
                return Err(UsageError("--fetch is for --op query or scan of a local secondary index, whose entries fetch their table items".into()).into());
            }
            if read.total_size.is_some() && !matches!(read.op, ReadOp::Query | ReadOp::Scan) {
                return Err(UsageError("--total-size is for --op query or scan, which round the summed size; give --size for other reads".into()).into());
            }
            let consistency = read.consistency.unwrap_or(match read.op {
                ReadOp::TransactGet => Consistency::Transactional,
                _ => Consistency::Eventual,
            });
            let mut answer = calc::read_fetching(
                &ReadQuestion {
                    op: read.op,
                    consistency,
                    items: read.items.items(read.total_size)?,
                    rate: read.items.rate,
                },
                read.fetch.map(Size::bytes),
            )?;
            if read.consistency.is_none() && consistency == Consistency::Eventual {
                answer.steps.insert(
                    0,
                    "Eventually consistent, as DynamoDB reads unless the request sets ConsistentRead [RW]; give --consistency strong for strongly consistent reads.".into(),
                );
            }
            answer
        }
        CalcCommand::Write(write) => calc::write(&WriteQuestion {
            op: write.op,
            transactional: write.transactional || write.op == WriteOp::TransactWrite,
            items: write.items.items(None)?,
            size_before: write.size_before.map(Size::bytes),
            rate: write.items.rate,
            indexes: write
                .indexes
                .iter()
                .map(|&(size, event)| (size.bytes(), event.unwrap_or(IndexEvent::for_op(write.op))))
                .collect(),
        })?,
        CalcCommand::ItemSize(item) => {
            let json = read_input(item.file.as_deref())?;
            let keys: Vec<(&str, bool)> = item
                .partition_key
                .as_deref()
                .map(|k| (k, false))
                .into_iter()
                .chain(item.sort_key.as_deref().map(|k| (k, true)))
                .collect();
            calc::item_size(&json, &keys)?
        }
        CalcCommand::Throughput(t) => calc::throughput(&ThroughputQuestion {
            capacity: t.rcu.or(t.wcu).unwrap_or_default(),
            size: t.size.bytes(),
            access: if t.rcu.is_some() {
                AccessKind::Read(t.consistency)
            } else {
                AccessKind::Write {
                    transactional: t.transactional,
                }
            },
        })?,
    };
    write_answer(&answer, args.format, out)
}

fn read_input(file: Option<&std::path::Path>) -> anyhow::Result<String> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        }
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the item from stdin")?;
            Ok(text)
        }
    }
}

fn write_answer(answer: &Answer, format: AnswerFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    match format {
        AnswerFormat::Text => write!(out, "{}", crate::render::answer::answer(answer))?,
        AnswerFormat::Json => {
            crate::render::json::write_document(out, "answer", answer)?;
        }
    }
    Ok(())
}
