//! `--chart`: demand, capacity per model and throttles over time as an SVG (plotters' SVG
//! backend, text as SVG `<text>`, no system libraries). One panel per table and kind, for the
//! table's own reads and writes.

use plotters::prelude::*;

use super::report::{SimReport, TableResult};
use crate::demand::Kind;

/// Points drawn per line at most; longer series keep each slice's maximum, so short spikes
/// and throttles stay visible.
const MAX_POINTS: usize = 1_500;
const PANEL: (u32, u32) = (1_100, 360);
const MODEL_COLORS: [RGBColor; 3] = [BLUE, GREEN, MAGENTA];

/// A labelled line of the chart.
type Line = (String, RGBAColor, Vec<(f64, f64)>);

fn downsample(values: &[f64]) -> Vec<(f64, f64)> {
    let step = values.len().div_ceil(MAX_POINTS).max(1);
    values
        .chunks(step)
        .enumerate()
        .map(|(i, chunk)| {
            let hours = (i * step) as f64 / 60.0;
            (hours, chunk.iter().copied().fold(0.0, f64::max))
        })
        .collect()
}

/// The lane's per-minute values of one model, picked by `value`.
fn lane_series(
    table: &TableResult,
    model: usize,
    kind: Kind,
    value: fn(&super::engine::Point) -> f64,
) -> Vec<f64> {
    table.models[model]
        .lanes
        .iter()
        .find(|l| l.target == "table" && l.kind == kind)
        .map(|l| l.series.iter().map(value).collect())
        .unwrap_or_default()
}

fn panel(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    table: &TableResult,
    kind: Kind,
) -> Result<(), Box<dyn std::error::Error>> {
    let demand = downsample(&lane_series(table, 0, kind, |p| p.demand));
    let lines: Vec<Line> = table
        .models
        .iter()
        .enumerate()
        .flat_map(|(i, m)| {
            let color = MODEL_COLORS[i % MODEL_COLORS.len()];
            [
                (
                    format!("{} capacity", m.model.name()),
                    color.to_rgba(),
                    downsample(&lane_series(table, i, kind, |p| p.capacity)),
                ),
                (
                    format!("{} throttled", m.model.name()),
                    color.mix(0.5),
                    downsample(&lane_series(table, i, kind, |p| p.throttled)),
                ),
            ]
        })
        .collect();
    let x_max = demand.last().map_or(1.0, |p| p.0.max(1.0));
    let y_max = lines
        .iter()
        .flat_map(|l| l.2.iter())
        .chain(&demand)
        .map(|p| p.1)
        .fold(1.0, f64::max)
        * 1.05;
    let kind_name = match kind {
        Kind::Read => "reads",
        Kind::Write => "writes",
    };
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{} {kind_name} (units/s, per minute)", table.table),
            ("sans-serif", 18),
        )
        .margin(8)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
    chart.configure_mesh().x_desc("hours").draw()?;
    chart
        .draw_series(LineSeries::new(demand, BLACK.stroke_width(2)))?
        .label("demand")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK));
    for (label, color, points) in lines {
        chart
            .draw_series(LineSeries::new(points, color))?
            .label(label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], color));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// The chart of every simulated table as SVG text; the report must carry series.
pub fn svg(report: &SimReport) -> String {
    let mut text = String::new();
    let panels = (report.tables.len() * 2).max(1) as u32;
    {
        let root =
            SVGBackend::with_string(&mut text, (PANEL.0, PANEL.1 * panels)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let areas = root.split_evenly((panels as usize, 1));
        for (table, pair) in report.tables.iter().zip(areas.chunks(2)) {
            for (kind, area) in [Kind::Read, Kind::Write].into_iter().zip(pair) {
                // A failed panel leaves a blank area; the rest of the chart still helps.
                let _ = panel(area, table, kind);
            }
        }
        let _ = root.present();
    }
    text
}
