//! The report as terminal tables (comfy-table), for people at a desk: fitted to the terminal's
//! width and coloured only when a person is looking (the conventions of ripgrep and cargo).

use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Attribute, Cell, CellAlignment, Color, ColumnConstraint,
    ContentArrangement, Table, Width,
};

use super::layout::{Align, Section};

/// Where terminal output goes: how wide it may be and whether it may carry colour. The default
/// (no width, no colour) is what a pipe or a file gets, so redirected output never changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Columns to fit tables into; `None` draws each table as wide as its content.
    pub width: Option<u16>,
    /// Whether verdicts, errors and warnings are coloured.
    pub colour: bool,
}

/// `--color`: when to colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour a stream: `always` and `never` win; `auto` colours a terminal unless
/// `NO_COLOR` is set to anything non-empty (<https://no-color.org>).
pub fn colour(choice: ColorChoice, is_terminal: bool, no_color: Option<&str>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(str::is_empty),
    }
}

/// The width to fit tables into: `COLUMNS` when it is set to a number (as a shell exports
/// it, or a user to ask for a width), else the terminal's width; nothing when neither is known
/// (a pipe), so redirected output keeps its natural width.
pub fn width(columns: Option<&str>, terminal_width: Option<u16>) -> Option<u16> {
    columns
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c > 0)
        .or(terminal_width)
}

/// The width of the terminal stdout is attached to, if it is one.
pub fn terminal_width() -> Option<u16> {
    Table::new().width()
}

/// Kinds of text that carry colour on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Error,
    Warning,
    Pass,
}

/// `text` in the colour of `paint` (bold red, bold yellow, green), or as is without colour.
pub fn paint(text: &str, paint: Paint, colour: bool) -> String {
    if !colour {
        return text.to_string();
    }
    let code = match paint {
        Paint::Error => "1;31",
        Paint::Warning => "1;33",
        Paint::Pass => "32",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// A verdict cell's colour: budgets that fail in red, those that hold in green.
fn verdict(text: &str) -> Option<Paint> {
    match text {
        "FAIL" => Some(Paint::Error),
        "pass" => Some(Paint::Pass),
        _ => None,
    }
}

pub fn render(sections: &[Section], terminal: &Terminal) -> String {
    let mut out = String::new();
    for section in sections {
        out.push_str(&section.title);
        out.push('\n');
        if !section.columns.is_empty() {
            out.push_str(&fitted(section, terminal));
            out.push('\n');
        }
        for note in &section.notes {
            out.push_str(&wrap(&format!("  {note}"), terminal.width, 4));
        }
        out.push('\n');
    }
    out
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word stays
/// whole), each continuation indented by `indent` spaces; as is without a width. Every line
/// ends in `\n`.
pub fn wrap(text: &str, width: Option<u16>, indent: usize) -> String {
    let Some(width) = width.map(usize::from) else {
        return format!("{text}\n");
    };
    let mut out = String::new();
    for line in text.lines() {
        let lead = line.len() - line.trim_start().len();
        let mut current = line[..lead].to_string();
        let mut fresh = true;
        for word in line[lead..].split(' ') {
            if !fresh && current.chars().count() + 1 + word.chars().count() > width {
                out.push_str(current.trim_end());
                out.push('\n');
                current = " ".repeat(indent);
                fresh = true;
            }
            if !fresh {
                current.push(' ');
            }
            current.push_str(word);
            fresh = false;
        }
        out.push_str(current.trim_end());
        out.push('\n');
    }
    out
}

/// A table as drawn: header, each column's alignment, rows.
struct Grid {
    header: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Grid {
    fn of(section: &Section) -> Grid {
        Grid {
            header: section.columns.iter().map(|(n, _)| n.to_string()).collect(),
            aligns: section.columns.iter().map(|(_, a)| *a).collect(),
            rows: section.rows.clone(),
        }
    }

    /// Per column, its longest word (header included): the width below which it must split one.
    fn longest_words(&self) -> Vec<usize> {
        (0..self.header.len())
            .map(|i| {
                std::iter::once(&self.header[i])
                    .chain(self.rows.iter().filter_map(|row| row.get(i)))
                    .flat_map(|cell| cell.split_whitespace())
                    .map(|word| word.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// Rows and columns swapped: the first column's cells become the header.
    fn transposed(&self) -> Grid {
        let cell = |row: &[String], i: usize| row.get(i).cloned().unwrap_or_default();
        let mut header = vec![self.header[0].clone()];
        header.extend(self.rows.iter().map(|row| cell(row, 0)));
        let mut aligns = vec![Align::Left];
        aligns.extend(self.rows.iter().map(|_| Align::Right));
        let rows = self.header[1..]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                std::iter::once(name.clone())
                    .chain(self.rows.iter().map(|row| cell(row, i + 1)))
                    .collect()
            })
            .collect();
        Grid {
            header,
            aligns,
            rows,
        }
    }
}

/// The table at its natural width when that fits; else, for a wide table of few rows (the
/// simulation's 10 figures for 3 models), turned so each row becomes a column; else fitted
/// to the width, wrapping cells at spaces, and splitting words of text (never numbers) only
/// where whole words cannot fit.
fn fitted(section: &Section, terminal: &Terminal) -> String {
    let mut grid = Grid::of(section);
    let natural = table(&grid, terminal, None, &[]).to_string();
    let Some(width) = terminal.width else {
        return natural;
    };
    let widest = natural
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    if widest <= usize::from(width) {
        return natural;
    }
    if grid.rows.len() * 2 < grid.header.len() {
        grid = grid.transposed();
    }
    let mut floors = grid.longest_words();
    // Each column adds a space either side and a border.
    let needed = floors.iter().map(|&w| w + 3).sum::<usize>() + 1;
    if needed > usize::from(width) {
        for (floor, align) in floors.iter_mut().zip(&grid.aligns) {
            if *align == Align::Left {
                *floor = 0;
            }
        }
    }
    table(&grid, terminal, Some(width), &floors).to_string()
}

/// `floors[i]` is the narrowest column `i` may be drawn (0: no floor).
fn table(grid: &Grid, terminal: &Terminal, width: Option<u16>, floors: &[usize]) -> Table {
    let mut table = Table::new();
    // The decision is made above (`Terminal`); comfy-table must not second-guess it.
    table.force_no_tty().load_style(UTF8_FULL_CONDENSED);
    match width {
        Some(width) => table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic),
        None => table.set_content_arrangement(ContentArrangement::Disabled),
    };
    if terminal.colour {
        table.enforce_styling();
    }
    table.set_header(&grid.header);
    for row in &grid.rows {
        table.add_row(row.iter().map(|text| {
            match verdict(text).filter(|_| terminal.colour) {
                Some(Paint::Error) => Cell::new(text)
                    .fg(Color::Red)
                    .add_attribute(Attribute::Bold),
                Some(_) => Cell::new(text).fg(Color::Green),
                None => Cell::new(text),
            }
        }));
    }
    for (i, align) in grid.aligns.iter().enumerate() {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(match align {
                Align::Left => CellAlignment::Left,
                Align::Right => CellAlignment::Right,
            });
            if let Some(&floor) = floors.get(i).filter(|&&f| f > 0) {
                let floor = u16::try_from(floor).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(floor)));
            }
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_the_terminal_then_no_color() {
        assert!(colour(ColorChoice::Always, false, Some("1")));
        assert!(!colour(ColorChoice::Never, true, None));
        assert!(colour(ColorChoice::Auto, true, None));
        assert!(colour(ColorChoice::Auto, true, Some("")));
        assert!(!colour(ColorChoice::Auto, true, Some("1")));
        assert!(!colour(ColorChoice::Auto, false, None));
    }

    #[test]
    fn columns_wins_over_the_terminal_and_a_pipe_has_no_width() {
        assert_eq!(width(Some("80"), Some(200)), Some(80));
        assert_eq!(width(Some("wide"), Some(120)), Some(120));
        assert_eq!(width(Some("0"), None), None);
        assert_eq!(width(None, None), None);
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_indents_continuations() {
        assert_eq!(
            wrap("  one two three", Some(9), 4),
            "  one two\n    three\n"
        );
        assert_eq!(wrap("  a  b", None, 4), "  a  b\n");
        assert_eq!(wrap("unbreakable-word", Some(4), 2), "unbreakable-word\n");
    }
}
