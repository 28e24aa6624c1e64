//! `--chart`: demand, capacity per model and throttles over time as an SVG (plotters' SVG
//! backend, text as SVG `<text>`, no system libraries). One panel for the reads and one for the
//! writes of the table and of each GSI that has demand or throttles, each with a strip of the
//! throttled units under it at their own scale (a throttle of a few units is invisible on a
//! scale of thousands) and the legend beside it, off the lines.

use plotters::coord::Shift;
use plotters::prelude::*;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::demand::Kind;
use crate::quantity::group_digits;
use crate::sim::engine::{Model, Point};
use crate::sim::result::{ModelResult, SimReport, TableResult};

/// Slices drawn per line at most.
const MAX_POINTS: usize = 1_500;
const WIDTH: u32 = 1_200;
const LEGEND_WIDTH: u32 = 270;
const MAIN_HEIGHT: u32 = 300;
const STRIP_HEIGHT: u32 = 140;
const FONT: &str = "sans-serif";

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Okabe–Ito colours, told apart with colour blindness too.
fn color(model: Model) -> RGBColor {
    match model {
        Model::Provisioned => RGBColor(0, 114, 178),
        Model::Autoscaling => RGBColor(230, 159, 0),
        Model::OnDemand => RGBColor(204, 121, 167),
    }
}

/// Capacity lines get thinner in drawing order, so that equal capacities (provisioned and
/// autoscaling held at the same units) show as one line inside the other, not one hidden.
fn width(model: Model) -> u32 {
    match model {
        Model::Provisioned => 5,
        Model::Autoscaling => 3,
        Model::OnDemand => 2,
    }
}

/// On-demand has no provisioned capacity: its line is the ceiling it serves at once.
fn capacity_label(model: Model) -> String {
    match model {
        Model::OnDemand => "on_demand ceiling".into(),
        m => format!("{} capacity", m.name()),
    }
}

/// The time axis: minutes up to two hours, hours up to two days, days beyond, so that ticks
/// fall on whole units; and the minutes each series point covers.
#[derive(Clone, Copy)]
struct Axis {
    minutes_per_unit: f64,
    end: f64,
    name: &'static str,
    point_minutes: u64,
}

impl Axis {
    fn new(seconds: u64, point_minutes: u64) -> Self {
        let minutes = (seconds as f64 / 60.0).max(1.0);
        let (minutes_per_unit, name) = match minutes {
            m if m > 2_880.0 => (1_440.0, "days"),
            m if m > 120.0 => (60.0, "hours"),
            _ => (1.0, "minutes"),
        };
        Axis {
            minutes_per_unit,
            end: minutes / minutes_per_unit,
            name,
            point_minutes,
        }
    }
}

/// A series of points `axis.point_minutes` long as steps on `axis`: each of at most `MAX_POINTS` slices
/// holds its highest point from its start to its end (the run's, for a short last point), so
/// short spikes and throttles stay visible down to a point's length.
fn steps(series: &[Point], value: fn(&Point) -> f64, axis: Axis) -> Vec<(f64, f64)> {
    let step = series.len().div_ceil(MAX_POINTS).max(1);
    let minutes = axis.point_minutes as f64;
    let at = |point: usize| (point as f64 * minutes / axis.minutes_per_unit).min(axis.end);
    series
        .chunks(step)
        .enumerate()
        .flat_map(|(i, chunk)| {
            let top = chunk.iter().map(value).fold(0.0, f64::max);
            [(at(i * step), top), (at(i * step + chunk.len()), top)]
        })
        .collect()
}

/// What a panel's lines are the peaks of.
fn peaks_of(minutes: u64) -> String {
    match minutes {
        1 => "per-minute peaks".into(),
        m => format!("peaks of {m}-minute means"),
    }
}

fn peak(points: &[(f64, f64)]) -> f64 {
    points.iter().map(|p| p.1).fold(0.0, f64::max)
}

/// Axis numbers: whole numbers grouped by thousands, fractions to at most 3 decimals (an f64
/// tick such as 0.30000000000000004 reads 0.3).
fn number(value: f64) -> String {
    if value.fract() == 0.0 || value.abs() >= 10.0 {
        group_digits(Decimal::from_f64(value.round()).unwrap_or_default())
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// One lane of a table under every model, as drawn.
struct Lane<'a> {
    title: String,
    models: Vec<(&'a ModelResult, usize)>,
}

impl Lane<'_> {
    fn series(&self, value: fn(&Point) -> f64, axis: Axis) -> Vec<(Model, Vec<(f64, f64)>)> {
        self.models
            .iter()
            .map(|(m, i)| (m.model, steps(&m.lanes[*i].series, value, axis)))
            .collect()
    }
}

/// The lanes of `table` worth a panel: some demand or some throttling under some model.
fn lanes(table: &TableResult) -> Vec<Lane<'_>> {
    let Some(first) = table.models.first() else {
        return Vec::new();
    };
    (0..first.lanes.len())
        .filter(|&i| {
            table.models.iter().any(|m| {
                let lane = &m.lanes[i];
                lane.demand_units > 0.0 || lane.throttled_units > 0.0
            })
        })
        .map(|i| {
            let lane = &first.lanes[i];
            let target = if lane.target == "table" {
                "table".to_string()
            } else {
                format!("GSI {}", lane.target)
            };
            let kind = match lane.kind {
                Kind::Read => "reads",
                Kind::Write => "writes",
            };
            Lane {
                title: format!("{}: {target} {kind}", table.table),
                models: table.models.iter().map(|m| (m, i)).collect(),
            }
        })
        .collect()
}

/// Demand and each model's capacity. The scale is set by demand and the provisioned and
/// autoscaling capacity: on-demand's ceiling (12,000 reads for a new table) would flatten
/// everything else, so it is cut at the top and its peak given in the legend, returned here.
fn main_panel(area: &Area, lane: &Lane, axis: Axis) -> Result<Option<f64>> {
    let (first, i) = lane.models[0];
    let demand = steps(&first.lanes[i].series, |p| p.demand, axis);
    let capacity = lane.series(|p| p.capacity, axis);
    let y_max = capacity
        .iter()
        .filter(|(m, _)| *m != Model::OnDemand)
        .map(|(_, points)| peak(points))
        .fold(peak(&demand), f64::max)
        .max(1.0)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{} ({})", lane.title, peaks_of(axis.point_minutes)),
            (FONT, 18),
        )
        .margin(8)
        .x_label_area_size(0)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..axis.end, 0.0..y_max)?;
    chart
        .configure_mesh()
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .label_style((FONT, 13))
        .x_labels(13)
        .y_labels(6)
        .y_label_formatter(&|v| number(*v))
        .y_desc("units/s")
        .draw()?;
    let mut clipped = None;
    for (model, points) in capacity {
        let top = peak(&points);
        if top > y_max {
            clipped = Some(top);
        }
        let points = points.into_iter().map(|(x, y)| (x, y.min(y_max)));
        let style = color(model).stroke_width(width(model));
        chart.draw_series(LineSeries::new(points, style))?;
    }
    chart.draw_series(LineSeries::new(demand, BLACK.stroke_width(2)))?;
    Ok(clipped)
}

/// Throttled units per second under each model, filled, at their own scale.
fn throttle_strip(area: &Area, lane: &Lane, axis: Axis, start: &str) -> Result<()> {
    let throttled = lane.series(|p| p.throttled, axis);
    let top = throttled.iter().map(|(_, p)| peak(p)).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .margin_top(4)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..axis.end, 0.0..(top * 1.1).max(1.0))?;
    chart
        .configure_mesh()
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .label_style((FONT, 13))
        .x_labels(13)
        .y_labels(3)
        .x_label_formatter(&|t| number(*t))
        .y_label_formatter(&|v| number(*v))
        .x_desc(format!("{} from {start} UTC", axis.name))
        .y_desc("throttled/s")
        .draw()?;
    if top <= 0.0 {
        let (w, h) = area.dim_in_pixel();
        area.draw(&Text::new(
            "no throttling under any model",
            (w as i32 / 2 - 90, h as i32 / 2 - 20),
            (FONT, 14).into_font().color(&BLACK.mix(0.6)),
        ))?;
        return Ok(());
    }
    for (model, points) in throttled.into_iter().filter(|(_, p)| peak(p) > 0.0) {
        let c = color(model);
        let mut outline = points.clone();
        outline.extend([(points.last().map_or(0.0, |p| p.0), 0.0), (0.0, 0.0)]);
        chart.draw_series(std::iter::once(Polygon::new(outline, c.mix(0.2).filled())))?;
        chart.draw_series(LineSeries::new(points, c.stroke_width(2)))?;
    }
    Ok(())
}

/// The legend beside a panel: what each line is, and each model's throttled share of the
/// lane's units (retries included).
fn legend(area: &Area, lane: &Lane, clipped: Option<f64>) -> Result<()> {
    let text = |s: String, y: i32, c: RGBAColor| {
        Text::new(s, (44, y - 8), (FONT, 14).into_font().color(&c))
    };
    let line =
        |y: i32, c: RGBColor, w: u32| PathElement::new([(10, y), (36, y)], c.stroke_width(w));
    let mut y = 50;
    area.draw(&line(y, BLACK, 2))?;
    area.draw(&text("demand".into(), y, BLACK.to_rgba()))?;
    for (m, _) in &lane.models {
        y += 22;
        area.draw(&line(y, color(m.model), width(m.model)))?;
        area.draw(&text(capacity_label(m.model), y, BLACK.to_rgba()))?;
        if let (Model::OnDemand, Some(top)) = (m.model, clipped) {
            y += 18;
            let note = format!("  cut at the top, up to {}/s", number(top));
            area.draw(&text(note, y, BLACK.mix(0.6)))?;
        }
    }
    y = MAIN_HEIGHT as i32 + 20;
    let heading = "throttled share, retries included:";
    area.draw(&text(heading.into(), y, BLACK.to_rgba()))?;
    for (m, i) in &lane.models {
        let l = &m.lanes[*i];
        let offered = l.served_units + l.throttled_units;
        let share = if offered > 0.0 {
            l.throttled_units / offered
        } else {
            0.0
        };
        y += 22;
        let swatch = [(14, y - 6), (32, y + 6)];
        area.draw(&Rectangle::new(swatch, color(m.model).mix(0.2).filled()))?;
        area.draw(&Rectangle::new(swatch, color(m.model).stroke_width(2)))?;
        let label = format!("{} {:.3}%", m.model.name(), share * 100.0);
        area.draw(&text(label, y, BLACK.to_rgba()))?;
    }
    Ok(())
}

/// The chart of every simulated table as SVG text; the report must carry series.
pub fn svg(report: &SimReport) -> String {
    let lanes: Vec<Lane> = report.tables.iter().flat_map(lanes).collect();
    let axis = Axis::new(report.seconds, report.series_minutes.unwrap_or(1));
    let mut text = String::new();
    {
        let height = (MAIN_HEIGHT + STRIP_HEIGHT) * (lanes.len() as u32).max(1);
        let root = SVGBackend::with_string(&mut text, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        if lanes.is_empty() {
            let _ = root.draw(&Text::new("no demand to chart", (20, 20), (FONT, 18)));
        }
        for (lane, area) in lanes.iter().zip(root.split_evenly((lanes.len().max(1), 1))) {
            let (plot, side) = area.split_horizontally(WIDTH - LEGEND_WIDTH);
            let (main, strip) = plot.split_vertically(MAIN_HEIGHT);
            // A failed part leaves a blank area; the rest of the chart still helps.
            let clipped = main_panel(&main, lane, axis).unwrap_or(None);
            let _ = throttle_strip(&strip, lane, axis, &report.start.to_string());
            let _ = legend(&side, lane, clipped);
        }
        let _ = root.present();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(demand: f64) -> Point {
        Point {
            demand,
            ..Point::default()
        }
    }

    /// Each minute holds its value to its end, so the last minute reaches the end of the run.
    #[test]
    fn minutes_are_drawn_as_steps_to_the_end() {
        let axis = Axis::new(120, 1);
        assert_eq!(axis.name, "minutes");
        let drawn = steps(&[point(1.0), point(2.0)], |p| p.demand, axis);
        assert_eq!(drawn, [(0.0, 1.0), (1.0, 1.0), (1.0, 2.0), (2.0, 2.0)]);
    }

    /// A week of minutes is 10,080 points: slices of 7 keep their highest minute, in days.
    #[test]
    fn long_runs_keep_each_slices_peak() {
        let axis = Axis::new(7 * 86_400, 1);
        assert_eq!((axis.name, axis.end), ("days", 7.0));
        let mut series = vec![point(1.0); 10_080];
        series[3].demand = 9.0;
        let drawn = steps(&series, |p| p.demand, axis);
        assert_eq!(drawn.len(), 2 * 1_440);
        assert_eq!(drawn[1], (7.0 / 1_440.0, 9.0));
        assert_eq!(drawn[2].1, 1.0);
    }

    /// A year of hourly points (8,760) in slices of 6: each slice spans 6 hours, and the last
    /// point, half an hour of the run, ends at the run's end.
    #[test]
    fn coarser_points_span_their_minutes() {
        let axis = Axis::new(365 * 86_400 - 1_800, 60);
        let mut series = vec![point(1.0); 8_760];
        series[7].demand = 5.0;
        let drawn = steps(&series, |p| p.demand, axis);
        assert_eq!(drawn.len(), 2 * 1_460);
        assert_eq!(drawn[2], (0.25, 5.0));
        assert_eq!(drawn[3], (0.5, 5.0));
        assert!((drawn.last().unwrap().0 - (365.0 - 1.0 / 48.0)).abs() < 1e-9);
        assert_eq!(peaks_of(60), "peaks of 60-minute means");
    }

    #[test]
    fn axis_numbers_are_short() {
        assert_eq!(number(0.30000000000000004), "0.3");
        assert_eq!(number(12_000.0), "12,000");
        assert_eq!(number(2.0), "2");
    }
}
