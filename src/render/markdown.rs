//! The report as GitHub-flavoured Markdown: numeric columns right-aligned (`---:`), pipes
//! escaped, fit for a PR comment or a job summary.

use super::layout::{Align, Section};

/// A cell's text: pipes escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

pub fn render(sections: &[Section]) -> String {
    render_folded(sections, &[])
}

/// `sections`, then `details` inside a `<details>` block that GitHub shows collapsed.
pub fn render_folded(sections: &[Section], details: &[Section]) -> String {
    let mut out = String::new();
    for (i, section) in sections.iter().enumerate() {
        write_section(&mut out, section, if i == 0 { "##" } else { "###" });
    }
    if !details.is_empty() {
        out.push_str("<details><summary>Details</summary>\n\n");
        for section in details {
            write_section(&mut out, section, "####");
        }
        out.push_str("</details>\n");
    }
    out
}

fn write_section(out: &mut String, section: &Section, level: &str) {
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
