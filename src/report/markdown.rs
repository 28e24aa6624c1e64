//! The report as GitHub-flavoured Markdown: numeric columns right-aligned (`---:`), pipes
//! escaped, fit for a PR comment or a job summary.

use super::layout::{Align, Section};

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

pub fn render(sections: &[Section]) -> String {
    let mut out = String::new();
    for (i, section) in sections.iter().enumerate() {
        let level = if i == 0 { "##" } else { "###" };
        out.push_str(&format!("{level} {}\n\n", cell(&section.title)));
        if !section.columns.is_empty() {
            let header: Vec<String> = section.columns.iter().map(|(n, _)| cell(n)).collect();
            out.push_str(&format!("| {} |\n", header.join(" | ")));
            let rule: Vec<&str> = section
                .columns
                .iter()
                .map(|(_, a)| match a {
                    Align::Left => ":---",
                    Align::Right => "---:",
                })
                .collect();
            out.push_str(&format!("| {} |\n", rule.join(" | ")));
            for row in &section.rows {
                let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            out.push('\n');
        }
        for note in &section.notes {
            out.push_str(&format!("- {}\n", cell(note)));
        }
        if !section.notes.is_empty() {
            out.push('\n');
        }
    }
    out
}
