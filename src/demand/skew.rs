//! How much of a table's traffic its hottest partition key takes.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

use crate::spec::model::KeySkew;

/// Share of requests on the hottest key: the largest explicit hot key, else the first rank
/// of a Zipf distribution over `distinct_keys` (1 / H(N, s)), else uniform (1 / N).
pub fn hottest_share(skew: &KeySkew) -> Decimal {
    let explicit = skew.hot_keys.iter().map(|k| k.share.0).max();
    let zipf = skew.distinct_keys.map(|keys| {
        let keys = keys.0.max(1);
        let exponent = skew.zipf.and_then(|s| s.to_f64()).unwrap_or(0.0);
        Decimal::from_f64(1.0 / harmonic(keys, exponent)).unwrap_or(Decimal::ONE)
    });
    explicit
        .into_iter()
        .chain(zipf)
        .max()
        .unwrap_or(Decimal::ONE)
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
    use crate::spec::model::HotKey;
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
