//! How much of a table's traffic its hottest partition key takes.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

use crate::workload::model::KeySkew;

/// Share of requests on the hottest key (1 when the skew names no key at all).
pub fn hottest_share(skew: &KeySkew) -> Decimal {
    hot_shares(skew, 1).first().copied().unwrap_or(Decimal::ONE)
}

/// Shares of the `limit` hottest keys, hottest first. Explicit `hot_keys` take their shares;
/// the other requests spread over the other `distinct_keys - hot_keys` keys by the Zipf law
/// (uniform without `zipf`). Without `distinct_keys` the other keys are many and none is hot.
pub fn hot_shares(skew: &KeySkew, limit: usize) -> Vec<Decimal> {
    let mut shares: Vec<Decimal> = skew.hot_keys.iter().map(|k| k.share.0).collect();
    let named = shares.len() as u64;
    let others = (Decimal::ONE - shares.iter().sum::<Decimal>()).max(Decimal::ZERO);
    if let Some(keys) = skew.distinct_keys.map(|k| k.0.saturating_sub(named)) {
        if keys > 0 && !others.is_zero() {
            let exponent = skew.zipf.and_then(|s| s.to_f64()).unwrap_or(0.0);
            let first = 1.0 / harmonic(keys, exponent);
            let ranks = keys.min(limit as u64);
            shares.extend((1..=ranks).filter_map(|rank| {
                let share = first * (rank as f64).powf(-exponent);
                Decimal::from_f64(share).map(|s| s * others)
            }));
        }
    }
    shares.sort_unstable_by(|a, b| b.cmp(a));
    shares.truncate(limit);
    shares
}

/// The generalized harmonic number H(n, s) = Σ_{k=1..n} k^-s: summed exactly for the first
/// terms, then by the Euler–Maclaurin integral, accurate to well under 0.1% for any n.
fn harmonic(n: u64, s: f64) -> f64 {
    const EXACT: u64 = 10_000;
    let head: f64 = (1..=n.min(EXACT)).map(|k| (k as f64).powf(-s)).sum();
    if n <= EXACT {
        return head;
    }
    let (a, b) = (EXACT as f64 + 0.5, n as f64 + 0.5);
    let tail = if (s - 1.0).abs() < 1e-12 {
        (b / a).ln()
    } else {
        (b.powf(1.0 - s) - a.powf(1.0 - s)) / (1.0 - s)
    };
    head + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{Count, Percent};
    use crate::workload::model::HotKey;
    use rust_decimal::dec;

    fn skew(keys: Option<u64>, zipf: Option<Decimal>, hot: &[Decimal]) -> KeySkew {
        KeySkew {
            distinct_keys: keys.map(Count),
            zipf,
            hot_keys: hot
                .iter()
                .map(|&share| HotKey {
                    name: None,
                    share: Percent(share),
                })
                .collect(),
        }
    }

    #[test]
    fn uniform_and_explicit() {
        assert_eq!(hottest_share(&skew(Some(4), None, &[])), dec!(0.25));
        assert_eq!(
            hottest_share(&skew(Some(1000), None, &[dec!(0.05)])),
            dec!(0.05)
        );
    }

    /// Named hot keys take their shares; Zipf spreads the rest over the other keys: 20% on one
    /// named key of 5, the other 80% uniform over 4 keys is 20% each.
    #[test]
    fn named_keys_then_the_others() {
        let shares = hot_shares(&skew(Some(5), None, &[dec!(0.2)]), 8);
        assert_eq!(shares, vec![dec!(0.2); 5]);
        // Zipf s = 1 over the 4 others: 80% × 12/25 = 38.4% for the first.
        let shares = hot_shares(&skew(Some(5), Some(dec!(1)), &[dec!(0.2)]), 2);
        assert!(
            (shares[0] - dec!(0.384)).abs() < dec!(0.000001),
            "{shares:?}"
        );
        assert_eq!(shares[1], dec!(0.2));
        // Without `distinct_keys` only the named keys are hot.
        assert_eq!(
            hot_shares(&skew(None, None, &[dec!(0.1), dec!(0.3)]), 8),
            vec![dec!(0.3), dec!(0.1)]
        );
    }

    #[test]
    fn zipf_first_rank() {
        // Zipf s = 1 over 4 keys: H = 1 + 1/2 + 1/3 + 1/4 = 25/12, top share = 0.48.
        let share = hottest_share(&skew(Some(4), Some(dec!(1)), &[]));
        assert!((share - dec!(0.48)).abs() < dec!(0.000001), "{share}");
        // Beyond the exact head the integral tail must agree with a direct sum.
        let direct: f64 = (1..=50_000u64).map(|k| (k as f64).powf(-1.1)).sum();
        assert!((harmonic(50_000, 1.1) - direct).abs() / direct < 1e-4);
    }
}
