//! `capacity-plan calc cost`: one table's monthly bill from flags, without a spec.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use rust_decimal::Decimal;

use super::{prices::load_catalog, AnswerFormat, UsageError};
use crate::calc::MAX_PER_SECOND;
use crate::capacity::TableClass;
use crate::cost::{
    self, free_tier_credits, plan_reservation, Bill, Commitment, ReservationQuestion, TableUsage,
    Throughput, BLOCK_UNITS,
};
use crate::pricing::{Capacity, Catalog, Confidence, Price, PriceKey, Term};
use crate::quantity::{group_digits, MonthHours, QuantityError, Rate, Size};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Pay per request unit.
    #[value(alias = "on_demand")]
    OnDemand,
    /// Pay for --rcu and --wcu every hour.
    Provisioned,
    /// Provisioned, with the cheapest reserved blocks for --rcu and --wcu.
    Reserved,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  capacity-plan calc cost --mode provisioned --rcu 100 --wcu 100 --hours 720
  capacity-plan calc cost --mode on-demand --reads 10M/month --writes 1M/month --storage 10GB
  capacity-plan calc cost --mode reserved --term 3y --rcu 1000 --wcu 500
  capacity-plan calc cost --mode on-demand --writes 3M/month --price ondemand_write_standard=0.00000125

Amounts are exact; the display rounds each to the cent, half away from zero.")]
pub struct CostArgs {
    #[arg(long, value_enum)]
    pub mode: Mode,

    /// Provisioned read capacity units, held all month (provisioned and reserved modes; at most 10^12).
    #[arg(long, value_parser = capacity_units)]
    pub rcu: Option<Decimal>,

    /// Provisioned write capacity units, held all month (provisioned and reserved modes; at most 10^12).
    #[arg(long, value_parser = capacity_units)]
    pub wcu: Option<Decimal>,

    /// On-demand read request units, e.g. 10M/month or 50/s (on-demand mode; at most 10^12/s).
    #[arg(long, value_parser = request_rate)]
    pub reads: Option<Rate>,

    /// On-demand write request units, e.g. 1M/month or 5/s (on-demand mode; at most 10^12/s).
    #[arg(long, value_parser = request_rate)]
    pub writes: Option<Rate>,

    /// Table storage, e.g. 10GB (KB = 1024 bytes).
    #[arg(long)]
    pub storage: Option<Size>,

    /// The period priced, in whole hours: 730 (a month, as the AWS calculator counts it), 720
    /// (30 days), 744 (31 days), or any other, e.g. 1, 24, 1h, 1d, 30d, 2w (at most 10 years).
    /// Rates per month are per 730-hour month when the period is not a month.
    #[arg(long, default_value = "730", value_parser = period_hours)]
    pub hours: u32,

    #[arg(long, default_value = "us-east-1")]
    pub region: String,

    #[arg(long, value_enum, default_value = "standard")]
    pub class: TableClass,

    /// Apply the always-free tier (25 GB, 25 RCU, 25 WCU per region).
    #[arg(long)]
    pub free_tier: bool,

    /// Set one price in --region, e.g. ondemand_write_standard=0.00000125 (repeatable).
    #[arg(long = "price", value_name = "NAME=VALUE", value_parser = parse_price)]
    pub price: Vec<(PriceKey, Decimal)>,

    /// A price file merged over the built-in prices.
    #[arg(long)]
    pub prices: Option<PathBuf>,

    /// Reserved term (with --mode reserved) [default: 1y].
    #[arg(long, value_enum)]
    pub term: Option<Term>,

    /// Reserved RCU blocks of 100 already owned (with --mode reserved).
    #[arg(long, value_parser = owned_blocks)]
    pub owned_rcu_blocks: Option<u64>,

    /// Reserved WCU blocks of 100 already owned (with --mode reserved).
    #[arg(long, value_parser = owned_blocks)]
    pub owned_wcu_blocks: Option<u64>,
}

/// The refusal of a number beyond [`MAX_PER_SECOND`], the bound `calc` keeps for the same reason:
/// far above any DynamoDB quota, and low enough that every product stays within `Decimal`.
fn beyond_bound(what: &str, value: Decimal) -> String {
    format!(
        "{what} of {} is beyond what capacity-plan computes (at most {})",
        group_digits(value),
        group_digits(MAX_PER_SECOND)
    )
}

/// Capacity units: a number from zero to [`MAX_PER_SECOND`]; a negative one would price as a
/// credit.
fn capacity_units(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let units: Decimal = text
        .replace('_', "")
        .parse()
        .map_err(|_| format!("capacity `{text}` is not a number of units"))?;
    if units.is_sign_negative() && !units.is_zero() {
        return Err(format!(
            "capacity `{text}` is negative; it must be zero or more"
        ));
    }
    if units > MAX_PER_SECOND {
        return Err(beyond_bound("a capacity (units)", units));
    }
    Ok(units)
}

/// A request rate of at most [`MAX_PER_SECOND`] requests per second (in a 730-hour month).
fn request_rate(text: &str) -> Result<Rate, String> {
    let rate: Rate = text.parse().map_err(|e: QuantityError| e.to_string())?;
    let per_second = rate.to_per_second(MonthHours::default());
    if per_second > MAX_PER_SECOND {
        return Err(beyond_bound("a rate (requests per second)", per_second));
    }
    Ok(rate)
}

/// Owned blocks: at most [`MAX_PER_SECOND`] units' worth (10^10 blocks of 100).
fn owned_blocks(text: &str) -> Result<u64, String> {
    let blocks: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of blocks"))?;
    let units = Decimal::from(blocks) * Decimal::from(BLOCK_UNITS);
    if units > MAX_PER_SECOND {
        return Err(beyond_bound("owned reserved capacity (units)", units));
    }
    Ok(blocks)
}

impl CostArgs {
    /// Refuses a flag the chosen mode would ignore, so that no total silently leaves out what
    /// was asked: request rates are on-demand's, capacities provisioned's and reserved's, and
    /// the term and owned blocks reserved's alone.
    fn check_mode_flags(&self) -> Result<(), UsageError> {
        use Mode::*;
        let flags: [(&str, bool, &[Mode], &str); 7] = [
            ("--reads", self.reads.is_some(), &[OnDemand], "on-demand"),
            ("--writes", self.writes.is_some(), &[OnDemand], "on-demand"),
            (
                "--rcu",
                self.rcu.is_some(),
                &[Provisioned, Reserved],
                "provisioned or reserved",
            ),
            (
                "--wcu",
                self.wcu.is_some(),
                &[Provisioned, Reserved],
                "provisioned or reserved",
            ),
            ("--term", self.term.is_some(), &[Reserved], "reserved"),
            (
                "--owned-rcu-blocks",
                self.owned_rcu_blocks.is_some(),
                &[Reserved],
                "reserved",
            ),
            (
                "--owned-wcu-blocks",
                self.owned_wcu_blocks.is_some(),
                &[Reserved],
                "reserved",
            ),
        ];
        match flags
            .iter()
            .find(|(_, given, modes, _)| *given && !modes.contains(&self.mode))
        {
            Some((flag, _, _, modes)) => Err(UsageError(format!(
                "{flag} is not used by --mode {}; it is for --mode {modes}",
                value_name(self.mode)
            ))),
            None if self.storage.is_some() && !is_month(self.hours) => Err(UsageError(format!(
                "--storage is billed per GB-month; price it with --hours 720, 730 or 744, not {}",
                self.hours
            ))),
            None => Ok(()),
        }
    }
}

/// The longest period priced: ten years of hours, far beyond a 3-year reservation term, and
/// small enough that the hour-by-hour reservation plan stays cheap.
const MAX_PERIOD_HOURS: u32 = 87_600;

/// A period in whole hours: a number of hours, or a count of hours, days or weeks (`1h`, `1d`,
/// `30d`, `2w`).
fn period_hours(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let (count, hours_each) = match text.char_indices().last() {
        Some((at, 'h')) => (&text[..at], 1),
        Some((at, 'd')) => (&text[..at], 24),
        Some((at, 'w')) => (&text[..at], 168),
        _ => (text, 1),
    };
    match count.parse::<u32>().ok().and_then(|c| c.checked_mul(hours_each)) {
        Some(hours @ 1..=MAX_PERIOD_HOURS) => Ok(hours),
        _ => Err(format!(
            "`{text}` is not a period of 1 to {MAX_PERIOD_HOURS} whole hours; write hours (730, 1) or a count of hours, days or weeks (1h, 1d, 30d, 2w)"
        )),
    }
}

/// Whether the period is a month (30, 30.42 or 31 days), whose monthly quantities it prices
/// as they are.
fn is_month(hours: u32) -> bool {
    matches!(hours, 720 | 730 | 744)
}

fn parse_price(text: &str) -> Result<(PriceKey, Decimal), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or("write --price NAME=VALUE, e.g. ondemand_write_standard=0.00000125")?;
    let key: PriceKey = name
        .parse()
        .map_err(|e: crate::pricing::UnknownPrice| e.to_string())?;
    let amount = crate::quantity::parse_price(value).map_err(|e| e.to_string())?;
    Ok((key, amount))
}

fn value_name(value: impl ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// Request units in the period: count × period / the rate's own period, multiplied first to
/// stay exact. A rate per month counts a month of the period's length, or of 730 hours when
/// the period is not a month.
fn monthly(rate: Option<Rate>, period: MonthHours) -> Decimal {
    let month = if is_month(period.0) {
        period
    } else {
        MonthHours::default()
    };
    rate.map_or(Decimal::ZERO, |r| {
        r.count * period.seconds() / r.per.seconds(month)
    })
}

/// The `bill` document: the bill and, in reserved mode, what its new blocks commit to, as a
/// plan's `reservation` gives it (docs/report.md).
#[derive(serde::Serialize)]
struct BillDocument<'a> {
    #[serde(flatten)]
    bill: &'a Bill,
    #[serde(skip_serializing_if = "Option::is_none")]
    reservation: Option<Reserved>,
}

/// The term of the blocks a reserved bill buys and what buying them commits to.
#[derive(serde::Serialize)]
struct Reserved {
    term: Term,
    commitment: Commitment,
}

/// The reservation plans for both capacities, as cost lines, and what their new blocks commit
/// to in all.
fn reserved_lines(
    args: &CostArgs,
    catalog: &Catalog,
    month: MonthHours,
) -> anyhow::Result<(Vec<cost::CostLine>, Reserved)> {
    if args.class == TableClass::StandardIa {
        return Err(UsageError(
            "reserved capacity is not sold for the Standard-IA table class; use --mode provisioned"
                .into(),
        )
        .into());
    }
    let term = args.term.unwrap_or(Term::OneYear);
    let (mut lines, mut commitment) = (Vec::new(), Commitment::default());
    for (capacity, units, owned) in [
        (Capacity::Rcu, args.rcu, args.owned_rcu_blocks),
        (Capacity::Wcu, args.wcu, args.owned_wcu_blocks),
    ] {
        let (units, owned) = (units.unwrap_or_default(), owned.unwrap_or_default());
        if units.is_zero() && owned == 0 {
            continue;
        }
        let plan = plan_reservation(
            &ReservationQuestion {
                region: args.region.clone(),
                capacity,
                term,
                hourly_units: vec![units; month.0 as usize],
                owned_blocks: owned,
                buy: true,
            },
            catalog,
        )?;
        lines.extend(plan.lines);
        commitment = commitment + plan.commitment;
    }
    Ok((lines, Reserved { term, commitment }))
}

pub fn run(args: CostArgs, format: AnswerFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    args.check_mode_flags()?;
    let month = MonthHours(args.hours);
    let mut catalog = load_catalog(args.prices.as_deref())?;
    for (key, amount) in &args.price {
        let price = Price {
            unit: key.unit(),
            amount: *amount,
            as_of: "command line".into(),
            source: "--price".into(),
            confidence: Confidence::Confirmed,
        };
        catalog.set(&args.region, key.clone(), price);
    }
    catalog.check_region(&args.region)?;
    // Reserved mode prices the held capacity through `reserved_lines` alone.
    let held = |units: Option<Decimal>| {
        if args.mode == Mode::Provisioned {
            units.unwrap_or_default()
        } else {
            Decimal::ZERO
        }
    };
    let usage = TableUsage {
        name: "table".into(),
        region: args.region.clone(),
        class: args.class,
        throughput: vec![Throughput {
            index: None,
            read_request_units: monthly(args.reads, month),
            write_request_units: monthly(args.writes, month),
            rcu: held(args.rcu),
            wcu: held(args.wcu),
        }],
        storage: args.storage.unwrap_or_default(),
        ..TableUsage::default()
    };
    let (mut lines, reservation) = match args.mode {
        Mode::OnDemand => (cost::on_demand(&usage, &catalog, month).lines, None),
        Mode::Provisioned => (cost::provisioned(&usage, &catalog, month).lines, None),
        Mode::Reserved => {
            let (mut lines, reserved) = reserved_lines(&args, &catalog, month)?;
            lines.extend(cost::provisioned(&usage, &catalog, month).lines);
            (lines, Some(reserved))
        }
    };
    if args.free_tier {
        let credits = free_tier_credits(&lines, &catalog, month);
        lines.extend(credits);
    }
    let bill = Bill::new(lines);
    match format {
        AnswerFormat::Text => {
            let (what, span) = if is_month(args.hours) {
                ("Monthly cost", "month")
            } else {
                ("Cost", "period")
            };
            writeln!(
                out,
                "{what}, {} mode, {}, {} table class, {}-hour {span}:\n",
                value_name(args.mode),
                args.region,
                value_name(args.class),
                args.hours
            )?;
            write!(out, "{}", crate::render::bill::bill(&bill))?;
            if let Some(Reserved { term, commitment }) = &reservation {
                write!(
                    out,
                    "{}",
                    crate::render::bill::commitment(*term, commitment)
                )?;
            }
        }
        AnswerFormat::Json => {
            let document = crate::render::json::Document::versioned(
                "bill",
                crate::cost::BILL_SCHEMA_VERSION,
                BillDocument {
                    bill: &bill,
                    reservation,
                },
            );
            crate::render::json::write(out, &document)?;
        }
    }
    let missing = bill.unpriced();
    if !missing.is_empty() {
        anyhow::bail!(
            "no price for {}; the total leaves these lines out. Give them with --price NAME=VALUE or --prices FILE",
            missing.join(", ")
        );
    }
    Ok(())
}
