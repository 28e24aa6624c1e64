//! The simulator's recommendation: which model, or which searched autoscaling policy, to run.

use rust_decimal::Decimal;

use super::engine::Model;
use super::result::{ModelResult, Policy, Recommendation, RecommendationReason, SearchPoint};

/// An option the recommendation weighs; `changes` counts the settings it changes in the spec.
struct Choice<'a> {
    model: Model,
    policy: Option<&'a Policy>,
    /// Attempts throttled, and requests failed (what the budget bounds).
    throttled: f64,
    failed: f64,
    cost: Option<Decimal>,
    changes: u8,
}

/// The cheapest model or searched autoscaling policy whose share of requests failed after
/// their retries is within the budget; on equal cost the one that fails fewer, then throttles
/// fewer attempts, then changes fewer settings of the spec (its own target and minimums), then
/// the first tried. If none is within the budget, the one that fails fewest.
pub(super) fn recommend(
    models: &[ModelResult],
    search: &[SearchPoint],
    own_target: f64,
    max_throttled: f64,
) -> Option<Recommendation> {
    let mut options: Vec<Choice> = models
        .iter()
        .map(|m| Choice {
            model: m.model,
            policy: None,
            throttled: m.throttled_share,
            failed: m.failed_share,
            cost: m.monthly_cost,
            changes: 0,
        })
        .collect();
    options.extend(search.iter().map(|p| Choice {
        model: Model::Autoscaling,
        policy: Some(&p.policy),
        throttled: p.throttled_share,
        failed: p.failed_share,
        cost: p.monthly_cost,
        changes: u8::from(p.policy.target != own_target) + u8::from(p.min_factor.is_some()),
    }));
    let within = options
        .iter()
        .filter(|o| o.failed <= max_throttled && o.cost.is_some())
        .min_by(|a, b| {
            a.cost
                .cmp(&b.cost)
                .then(a.failed.total_cmp(&b.failed))
                .then(a.throttled.total_cmp(&b.throttled))
                .then(a.changes.cmp(&b.changes))
        });
    let (reason, choice) = match within {
        Some(o) => (RecommendationReason::CheapestWithinBudget, o),
        None => (
            RecommendationReason::LeastThrottled,
            options.iter().min_by(|a, b| {
                a.failed
                    .total_cmp(&b.failed)
                    .then(a.throttled.total_cmp(&b.throttled))
            })?,
        ),
    };
    Some(Recommendation {
        reason,
        model: choice.model,
        policy: choice.policy.cloned(),
        throttled_share: choice.throttled,
        failed_share: choice.failed,
        max_throttled,
        monthly_cost: choice.cost,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(target: f64, min_factor: Option<f64>, throttled: f64, cost: i64) -> SearchPoint {
        SearchPoint {
            policy: Policy {
                target,
                min_read: 5,
                min_write: 7,
                indexes: Vec::new(),
            },
            min_factor,
            throttled_share: throttled * 10.0,
            failed_share: throttled,
            monthly_cost: Some(Decimal::from(cost)),
        }
    }

    /// Within a 1% budget of failed requests (each point throttles ten times as many
    /// attempts, which the budget does not bound): the cheapest wins; on equal cost fewer
    /// failures, then fewer changed settings (the spec's target is 70%), whatever the order
    /// tried.
    #[test]
    fn the_recommendation_breaks_ties_by_throttling_then_changes() {
        let pick = |points: &[SearchPoint]| {
            let r = recommend(&[], points, 0.7, 0.01).expect("options were given");
            (
                r.reason,
                r.policy.map(|p| p.target),
                r.failed_share,
                r.monthly_cost,
            )
        };
        let within = RecommendationReason::CheapestWithinBudget;
        let cheapest = pick(&[point(0.5, None, 0.0, 20), point(0.9, Some(2.0), 0.005, 10)]);
        assert_eq!(
            cheapest,
            (within, Some(0.9), 0.005, Some(Decimal::from(10)))
        );
        let calmer = pick(&[point(0.5, None, 0.005, 10), point(0.9, Some(2.0), 0.0, 10)]);
        assert_eq!(calmer, (within, Some(0.9), 0.0, Some(Decimal::from(10))));
        let simpler = pick(&[
            point(0.5, Some(2.0), 0.0, 10),
            point(0.7, Some(2.0), 0.0, 10),
        ]);
        assert_eq!(simpler.1, Some(0.7));
        let over = pick(&[point(0.5, None, 0.02, 10), point(0.9, None, 0.03, 5)]);
        assert_eq!(
            over,
            (
                RecommendationReason::LeastThrottled,
                Some(0.5),
                0.02,
                Some(Decimal::from(10))
            )
        );
    }

    #[test]
    fn nothing_simulated_recommends_nothing() {
        assert_eq!(recommend(&[], &[], 0.7, 0.01), None);
    }
}
