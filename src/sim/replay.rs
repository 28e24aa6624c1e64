//! Replays a CloudWatch metric series ([`crate::metrics`]) through the engine.

use super::engine::{LaneSpec, Source};
use super::{TABLE_READS, TABLE_WRITES};
use crate::metrics::{MetricSeries, MetricsError};

/// Plays a metric series: one step per minute. Lanes with their own series (the table's, a
/// GSI's reads) play it; other GSI reads follow the table's reads in the demand model's
/// proportion; GSI writes always follow the table's writes (the engine feeds them).
#[derive(Clone)]
pub struct Replay<'a> {
    series: &'a MetricSeries,
    /// For each lane, the GSI read series it plays, if any.
    own: Vec<Option<&'a [f64]>>,
    /// The minute of the series the run starts at (tables replay the minutes they share).
    first: usize,
    minute: usize,
}

impl<'a> Replay<'a> {
    /// Plays `series` from its minute `first`. Refuses a series for a GSI the table does not
    /// have.
    pub fn new(
        series: &'a MetricSeries,
        first: usize,
        lanes: &[LaneSpec],
        source: &str,
    ) -> Result<Self, MetricsError> {
        for index in &series.indexes {
            if !lanes
                .iter()
                .any(|l| l.target_index > 0 && l.target == index.name)
            {
                return Err(MetricsError(format!(
                    "{source}: has a series for GSI `{}`, which the table does not have",
                    index.name
                )));
            }
        }
        let own = lanes
            .iter()
            .map(|lane| {
                let read = lane.kind == crate::demand::Kind::Read;
                series
                    .indexes
                    .iter()
                    .find(|i| lane.target_index > 0 && read && i.name == lane.target)
                    .and_then(|i| i.reads.as_deref())
            })
            .collect();
        Ok(Replay {
            series,
            own,
            first,
            minute: first,
        })
    }
}

impl Source for Replay<'_> {
    /// The day before the run is taken to be like its first day.
    fn history(&self, means: &[f64]) -> Vec<Vec<f64>> {
        let mut first_day = Replay {
            minute: self.first,
            ..self.clone()
        };
        let mut minutes = Vec::new();
        let mut fresh = vec![0.0; means.len()];
        while minutes.len() < 1_440 && first_day.next(means, &mut fresh).is_some() {
            minutes.push(fresh.clone());
        }
        minutes
    }

    fn next(&mut self, means: &[f64], fresh: &mut [f64]) -> Option<u32> {
        let m = self.minute;
        let (reads, writes) = (*self.series.reads.get(m)?, self.series.writes[m]);
        self.minute += 1;
        let scale = if means[TABLE_READS] > 0.0 {
            reads / means[TABLE_READS]
        } else {
            0.0
        };
        for ((f, mean), own) in fresh.iter_mut().zip(means).zip(&self.own) {
            *f = own.map_or(mean * scale, |s| s[m]);
        }
        fresh[TABLE_READS] = reads;
        fresh[TABLE_WRITES] = writes;
        Some(60)
    }
}
