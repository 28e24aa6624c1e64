//! The report as terminal tables (comfy-table), for people at a desk.

use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, ContentArrangement, Table};

use super::layout::{Align, Section};

pub fn render(sections: &[Section]) -> String {
    let mut out = String::new();
    for section in sections {
        out.push_str(&section.title);
        out.push('\n');
        if !section.columns.is_empty() {
            let mut table = Table::new();
            table
                .load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(section.columns.iter().map(|(name, _)| *name));
            for row in &section.rows {
                table.add_row(row.iter().map(String::as_str));
            }
            for (i, (_, align)) in section.columns.iter().enumerate() {
                if let Some(column) = table.column_mut(i) {
                    column.set_cell_alignment(match align {
                        Align::Left => CellAlignment::Left,
                        Align::Right => CellAlignment::Right,
                    });
                }
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
        for note in &section.notes {
            out.push_str("  ");
            out.push_str(note);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
