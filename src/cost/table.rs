//! One table's monthly bill in one region, per capacity mode. The plan fills a [`TableUsage`]
//! from its demand model; these functions only price it.

use rust_decimal::Decimal;

use super::dax::DaxCluster;
use super::{Bill, CostLine};
use crate::capacity::TableClass;
use crate::pricing::{Catalog, PriceKey};
use crate::quantity::{group_digits, MonthHours, Percent, Size};

/// Throughput of the table itself (`index: None`) or of one global secondary index, in both
/// forms so that modes can be compared: monthly request units for on-demand, and the average
/// provisioned units over the month for provisioned (a fixed setting is its own average).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Throughput {
    pub index: Option<String>,
    /// Read request units per month (on-demand).
    pub read_request_units: Decimal,
    /// Write request units per month (on-demand).
    pub write_request_units: Decimal,
    /// Provisioned read capacity units, averaged over the month.
    pub rcu: Decimal,
    /// Provisioned write capacity units, averaged over the month.
    pub wcu: Decimal,
}

/// What one table uses in one region in a month. A global table is one `TableUsage` per
/// replica region, each with `global_table: true`: AWS bills each replica's table writes as
/// replicated writes (rWRU/rWCU) in its own region, while GSI writes, reads and storage are
/// billed as in a single-region table (§8 [GTFAQ]; developer guide, "global tables usage").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableUsage {
    pub name: String,
    pub region: String,
    pub class: TableClass,
    pub global_table: bool,
    pub throughput: Vec<Throughput>,
    /// Average billed storage: items, index entries (LSIs and GSIs) and per-item overhead.
    pub storage: Size,
    /// The table's data with its LSIs, averaged over the month, while point-in-time recovery is
    /// on; zero when it is off. AWS bills PITR on the table and its LSIs, not its GSIs
    /// ("Billing for backups" [BKBILL], §7.2; the PITR guide), so this is not `storage`.
    pub pitr: Size,
    /// On-demand backups kept over the month, summed; each is the size of the table with its
    /// LSIs when taken (GSIs are not billed) [BKBILL].
    pub backup: Size,
    /// Data restored this month, including adding a replica to a global table (§7.2).
    pub restored: Size,
    pub exported: Size,
    pub imported: Size,
    /// Streams read requests (GetRecords calls) per month that AWS bills: those of readers other
    /// than Lambda triggers and global-table replication, which are never charged (§7.2
    /// [STRCOST]); the caller leaves those out. The 2.5M a month each Region gives free apply to these.
    pub billed_stream_reads: Decimal,
    /// Kinesis Data Streams change data capture units (1 per KB of item per change).
    pub cdc_units: Decimal,
    pub transfer_out: Size,
    pub cross_region_transfer: Size,
    pub dax: Option<DaxCluster>,
}

impl TableUsage {
    fn line(
        &self,
        catalog: &Catalog,
        key: PriceKey,
        name: String,
        quantity: Decimal,
        working: String,
    ) -> CostLine {
        CostLine::priced(
            catalog,
            &self.region,
            key,
            format!("{}: {name}", self.name),
            quantity,
            working,
        )
    }

    /// Which part of the table a line is for.
    fn part(throughput: &Throughput) -> String {
        match &throughput.index {
            Some(index) => format!("GSI {index}"),
            None => "table".into(),
        }
    }

    /// The table's own writes in a global table are replicated writes; GSI writes are not.
    fn replicated(&self, throughput: &Throughput) -> bool {
        self.global_table && throughput.index.is_none()
    }

    /// Lines that do not depend on the capacity mode: storage, backups, streams, transfer, DAX.
    fn shared_lines(&self, catalog: &Catalog, month: MonthHours) -> Vec<CostLine> {
        use PriceKey::*;
        let gb = |size: Size, what: &str| (size.gigabytes(), format!("{size} {what}"));
        let sized = [
            (
                Storage(self.class),
                "storage",
                self.storage,
                "averaged over the month",
            ),
            (
                PitrGbMonth,
                "point-in-time recovery",
                self.pitr,
                "of table data and LSIs under PITR",
            ),
            (BackupGbMonth, "on-demand backups", self.backup, "kept"),
            (RestoreGb, "restores", self.restored, "restored"),
            (ExportGb, "export to S3", self.exported, "exported"),
            (
                ImportGb,
                "import from S3",
                self.imported,
                "imported (uncompressed)",
            ),
            (
                DataTransferOutGb,
                "data transfer out",
                self.transfer_out,
                "out to the internet",
            ),
            (
                CrossRegionTransferGb,
                "cross-Region transfer",
                self.cross_region_transfer,
                "sent from this Region to its replicas",
            ),
        ];
        let mut lines: Vec<CostLine> = sized
            .into_iter()
            .map(|(key, name, size, what)| {
                let (quantity, working) = gb(size, what);
                self.line(catalog, key, name.into(), quantity, working)
            })
            .collect();
        lines.push(self.line(
            catalog,
            StreamsReadRequest,
            "Streams reads".into(),
            self.billed_stream_reads,
            format!("{} GetRecords calls by readers other than Lambda triggers and replication (those are free)", group_digits(self.billed_stream_reads)),
        ));
        lines.push(self.line(
            catalog,
            KinesisCdu,
            "Kinesis change data capture".into(),
            self.cdc_units,
            format!("{} CDC units", group_digits(self.cdc_units)),
        ));
        if let Some(dax) = &self.dax {
            lines.push(super::dax::node_hours(catalog, &self.region, dax, month));
        }
        lines
    }
}

/// The table billed on-demand: request units per table and GSI, plus the shared lines.
pub fn on_demand(usage: &TableUsage, catalog: &Catalog, month: MonthHours) -> Bill {
    let mut lines = Vec::new();
    for t in &usage.throughput {
        let part = TableUsage::part(t);
        lines.push(usage.line(
            catalog,
            PriceKey::OnDemandRead(usage.class),
            format!("on-demand reads ({part})"),
            t.read_request_units,
            format!("{} RRU", group_digits(t.read_request_units)),
        ));
        let (key, name, unit) = if usage.replicated(t) {
            (
                PriceKey::ReplicatedWriteRequest(usage.class),
                "replicated writes",
                "rWRU",
            )
        } else {
            (
                PriceKey::OnDemandWrite(usage.class),
                "on-demand writes",
                "WRU",
            )
        };
        lines.push(usage.line(
            catalog,
            key,
            format!("{name} ({part})"),
            t.write_request_units,
            format!("{} {unit}", group_digits(t.write_request_units)),
        ));
    }
    lines.extend(usage.shared_lines(catalog, month));
    Bill::new(lines)
}

/// A provisioned capacity line: `units` held on average for every hour of the month.
pub(super) fn capacity_line(
    catalog: &Catalog,
    region: &str,
    key: PriceKey,
    name: String,
    units: Decimal,
    month: MonthHours,
) -> CostLine {
    let label = match &key {
        PriceKey::ReplicatedWcuHour(_) => "rWCU",
        PriceKey::ProvisionedWcuHour(_) => "WCU",
        _ => "RCU",
    };
    let hours = Decimal::from(month.0);
    CostLine::priced(
        catalog,
        region,
        key,
        name,
        units * hours,
        format!("{} {label} × {} h", group_digits(units), month.0),
    )
}

/// Provisioned units that carry `consumed` units at a target utilization: `consumed / target`,
/// rounded up to a whole unit (§5.1 target tracking). A 70% target is the share 0.7, so 70
/// consumed units need 100 provisioned, not 7,000 (Optima's 100x, [OPTIMA]).
pub fn capacity_at_target(consumed: Decimal, target: Percent) -> Decimal {
    if target.0.is_zero() {
        return consumed.ceil();
    }
    (consumed / target.0).ceil()
}

/// The table billed provisioned at the given capacity, plus the shared lines.
pub fn provisioned(usage: &TableUsage, catalog: &Catalog, month: MonthHours) -> Bill {
    let mut lines = Vec::new();
    for t in &usage.throughput {
        let part = TableUsage::part(t);
        let name = |what: &str| format!("{}: {what} ({part})", usage.name);
        lines.push(capacity_line(
            catalog,
            &usage.region,
            PriceKey::ProvisionedRcuHour(usage.class),
            name("provisioned reads"),
            t.rcu,
            month,
        ));
        let (key, what) = if usage.replicated(t) {
            (
                PriceKey::ReplicatedWcuHour(usage.class),
                "replicated writes",
            )
        } else {
            (
                PriceKey::ProvisionedWcuHour(usage.class),
                "provisioned writes",
            )
        };
        lines.push(capacity_line(
            catalog,
            &usage.region,
            key,
            name(what),
            t.wcu,
            month,
        ));
    }
    lines.extend(usage.shared_lines(catalog, month));
    Bill::new(lines)
}
