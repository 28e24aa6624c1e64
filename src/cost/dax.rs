//! DAX cluster sizing by AWS's published method, as implemented by the AWS Labs DAX calculator
//! ([DAXCALC]): normalized requests per second weight a cache miss 10× a hit and a
//! write 25× per node (writes go to every node), scaled by the item size in whole KB; the
//! cluster must carry that at the target utilization and still after losing one node.

use rust_decimal::Decimal;

use super::CostLine;
use crate::pricing::{Catalog, PriceKey};
use crate::quantity::{count, group_digits, MonthHours, Size, KB};

/// A DAX node type: its memory and the normalized requests per second one node carries
/// (AWS Labs dax_calculator capacity table; a cluster of n nodes carries n times as much).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeType {
    pub name: &'static str,
    pub memory_gb: u32,
    pub rps_per_node: u64,
}

pub const NODE_TYPES: [NodeType; 8] = [
    NodeType {
        name: "dax.r5.large",
        memory_gb: 16,
        rps_per_node: 75_000,
    },
    NodeType {
        name: "dax.r5.xlarge",
        memory_gb: 32,
        rps_per_node: 150_000,
    },
    NodeType {
        name: "dax.r5.2xlarge",
        memory_gb: 64,
        rps_per_node: 300_000,
    },
    NodeType {
        name: "dax.r5.4xlarge",
        memory_gb: 128,
        rps_per_node: 600_000,
    },
    NodeType {
        name: "dax.r5.8xlarge",
        memory_gb: 256,
        rps_per_node: 1_000_000,
    },
    NodeType {
        name: "dax.r5.12xlarge",
        memory_gb: 384,
        rps_per_node: 1_000_000,
    },
    NodeType {
        name: "dax.r5.16xlarge",
        memory_gb: 512,
        rps_per_node: 1_000_000,
    },
    NodeType {
        name: "dax.r5.24xlarge",
        memory_gb: 768,
        rps_per_node: 1_000_000,
    },
];

/// AWS recommends at least three nodes in production, so one can fail without an outage.
pub const PRODUCTION_NODES: u32 = 3;

/// The traffic a DAX cluster would serve.
#[derive(Debug, Clone, PartialEq)]
pub struct DaxWorkload {
    pub hits_per_second: Decimal,
    pub misses_per_second: Decimal,
    pub writes_per_second: Decimal,
    pub item_size: Size,
    pub nodes: u32,
    /// Target utilization, a share in (0, 1].
    pub target_utilization: Decimal,
    pub dataset: Option<Size>,
}

/// A node type that carries the workload at the given node count.
#[derive(Debug, Clone, PartialEq)]
pub struct DaxOption {
    pub node_type: NodeType,
    pub capacity_rps: Decimal,
    pub dataset_fits: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DaxSizing {
    pub normalized_rps: Decimal,
    /// `max(1 / target, nodes / (nodes − 1))`: headroom for utilization or for losing a node.
    pub multiplier: Decimal,
    pub target_rps: Decimal,
    /// Node types large enough, smallest first.
    pub options: Vec<DaxOption>,
    pub warnings: Vec<String>,
}

/// Normalized requests per second: hits × KB + misses × KB × 10 + writes × 25 × KB × nodes.
pub fn normalized_rps(workload: &DaxWorkload) -> Decimal {
    let kb = Decimal::from(workload.item_size.bytes().div_ceil(KB).max(1));
    workload.hits_per_second * kb
        + workload.misses_per_second * kb * Decimal::TEN
        + workload.writes_per_second * Decimal::from(25) * kb * Decimal::from(workload.nodes)
}

/// Sizes a cluster of `workload.nodes` nodes: which node types carry the target load.
pub fn size_cluster(workload: &DaxWorkload) -> DaxSizing {
    let normalized = normalized_rps(workload);
    let nodes = Decimal::from(workload.nodes.max(1));
    let utilization = Decimal::ONE / workload.target_utilization.max(Decimal::new(1, 2));
    let node_loss = if workload.nodes > 1 {
        nodes / (nodes - Decimal::ONE)
    } else {
        Decimal::ONE
    };
    let multiplier = utilization.max(node_loss);
    let target = normalized * multiplier;
    let options: Vec<DaxOption> = NODE_TYPES
        .iter()
        .map(|&node_type| DaxOption {
            node_type,
            capacity_rps: Decimal::from(node_type.rps_per_node) * nodes,
            dataset_fits: workload
                .dataset
                .is_none_or(|d| d.gigabytes() <= Decimal::from(node_type.memory_gb)),
        })
        .filter(|o| o.capacity_rps >= target)
        .collect();
    let mut warnings = Vec::new();
    if workload.nodes < PRODUCTION_NODES {
        warnings.push(format!(
            "{}: AWS recommends at least {PRODUCTION_NODES} for production",
            count(workload.nodes, "node", "nodes")
        ));
    }
    if options.is_empty() {
        warnings.push(format!(
            "no node type carries {} normalized requests/s on {} nodes; add nodes or clusters",
            group_digits(target),
            workload.nodes
        ));
    }
    DaxSizing {
        normalized_rps: normalized,
        multiplier,
        target_rps: target,
        options,
        warnings,
    }
}

/// A DAX cluster serving the table.
#[derive(Debug, Clone, PartialEq)]
pub struct DaxCluster {
    pub node_type: String,
    pub nodes: u32,
}

/// The node-hours of a cluster over the month; every node is billed.
pub fn node_hours(
    catalog: &Catalog,
    region: &str,
    cluster: &DaxCluster,
    month: MonthHours,
) -> CostLine {
    let quantity = Decimal::from(cluster.nodes) * Decimal::from(month.0);
    CostLine::priced(
        catalog,
        region,
        PriceKey::DaxNodeHour(cluster.node_type.clone()),
        format!("DAX {} nodes", cluster.node_type),
        quantity,
        format!("{} × {} × {} h", cluster.nodes, cluster.node_type, month.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn sizing_follows_the_aws_labs_formula() {
        // 10,000 hits + 1,000 misses + 100 writes per s, 1.5 KB items (→ 2 KB), 3 nodes, 70%:
        // 10,000×2 + 1,000×2×10 + 100×25×2×3 = 55,000; × max(1/0.7, 3/2) = 82,500.
        let sizing = size_cluster(&DaxWorkload {
            hits_per_second: dec!(10000),
            misses_per_second: dec!(1000),
            writes_per_second: dec!(100),
            item_size: Size::from_bytes(1536),
            nodes: 3,
            target_utilization: dec!(0.7),
            dataset: Some("20GB".parse().unwrap()),
        });
        assert_eq!(sizing.normalized_rps, dec!(55000));
        assert_eq!(sizing.multiplier, dec!(1.5));
        assert_eq!(sizing.target_rps, dec!(82500));
        assert_eq!(sizing.options[0].node_type.name, "dax.r5.large");
        assert!(!sizing.options[0].dataset_fits, "20 GB does not fit 16 GB");
        assert!(sizing.warnings.is_empty());
    }

    #[test]
    fn one_node_is_warned_about() {
        let sizing = size_cluster(&DaxWorkload {
            hits_per_second: dec!(100),
            misses_per_second: dec!(0),
            writes_per_second: dec!(0),
            item_size: Size::from_bytes(100),
            nodes: 1,
            target_utilization: dec!(0.5),
            dataset: None,
        });
        assert_eq!(sizing.multiplier, dec!(2));
        assert_eq!(
            sizing.warnings[0],
            "1 node: AWS recommends at least 3 for production"
        );
    }

    #[test]
    fn node_hours_are_priced_per_node() {
        let catalog = Catalog::builtin().unwrap();
        let cluster = DaxCluster {
            node_type: "dax.r5.large".into(),
            nodes: 3,
        };
        let line = node_hours(&catalog, "us-east-1", &cluster, MonthHours::default());
        assert_eq!(line.quantity, dec!(2190));
        assert_eq!(line.amount, Some(dec!(374.49)));
        assert!(line.uncertain, "DAX prices disagree between sources (§7.4)");
    }
}
