//! `capacity-plan man`: one man page (roff) for the whole tool. clap_mangen draws the name,
//! synopsis and options; the commands, exit status, environment and examples are written here,
//! so the page names no `capacity-plan-COMMAND(1)` sub-pages that do not exist.

use std::io::Write;

/// Each command with its one-line summary, then how to read its own help.
fn commands(command: &clap::Command) -> String {
    let mut roff = String::from(".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        roff.push_str(&format!(
            ".TP\n\\fBcapacity\\-plan {}\\fR\n{}\n",
            escape(sub.get_name()),
            escape(&about)
        ));
    }
    roff.push_str(
        ".PP\nEach command's options: \\fBcapacity\\-plan\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR.\n",
    );
    roff
}

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "When set and not empty, no colour (as --color never), unless --color always is given.",
    ),
    (
        "COLUMNS",
        "The width terminal tables are fitted to; without it, the terminal's width, and no \
         fitting when output is not a terminal.",
    ),
    (
        "RAYON_NUM_THREADS",
        "Threads the simulator runs its tables and models on; all processors by default. The \
         report is the same for any number.",
    ),
    (
        "GITHUB_STEP_SUMMARY",
        "With check --format github, the file the Markdown report is appended to.",
    ),
];

const EXAMPLES: &[(&str, &str)] = &[
    (
        "capacity-plan",
        "Plan workload.yaml in the current directory.",
    ),
    (
        "capacity-plan specs/ecommerce-orders.yaml --explain",
        "Plan a spec and show the working behind every figure.",
    ),
    (
        "capacity-plan validate a.yaml b.yaml",
        "Check specs against DynamoDB's rules without pricing them.",
    ),
    (
        "capacity-plan calc read --size 6KB --rate 10/s",
        "Read capacity for a 6 KB strongly consistent GetItem, ten times a second.",
    ),
    (
        "capacity-plan simulate workload.yaml --days 7",
        "Simulate a week of traffic under each capacity mode.",
    ),
    (
        "capacity-plan check workload.yaml --baseline base.yaml --format github",
        "Judge budgets against the base branch's spec in GitHub Actions.",
    ),
];

/// The exit codes `--help` lists (`  0  success`, continuation lines indented), as entries.
fn exit_status() -> Vec<(&'static str, String)> {
    let mut entries: Vec<(&str, String)> = Vec::new();
    for line in super::EXIT_CODES.lines().skip(1) {
        let line = line.trim();
        match line.split_once("  ") {
            Some((code, text)) if code.bytes().all(|b| b.is_ascii_digit()) => {
                entries.push((code, text.trim().to_string()));
            }
            _ => {
                if let Some((_, text)) = entries.last_mut() {
                    text.push(' ');
                    text.push_str(line);
                }
            }
        }
    }
    entries
}

/// `.TP` paragraphs of a term in bold and its description.
fn tagged(title: &str, entries: &[(&str, impl AsRef<str>)]) -> String {
    let mut roff = format!(".SH {title}\n");
    for (term, text) in entries {
        roff.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            escape(term),
            escape(text.as_ref())
        ));
    }
    roff
}

/// Text safe in roff: backslashes and hyphens escaped, no line starting with a control dot.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    match text.strip_prefix(['.', '\'']) {
        Some(_) => format!("\\&{text}"),
        None => text,
    }
}

pub fn render(command: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let page = clap_mangen::Man::new(command.clone());
    let mut roff = Vec::new();
    page.render_title(&mut roff)?;
    page.render_name_section(&mut roff)?;
    page.render_synopsis_section(&mut roff)?;
    page.render_description_section(&mut roff)?;
    page.render_options_section(&mut roff)?;
    roff.extend_from_slice(commands(&command).as_bytes());
    roff.extend_from_slice(tagged("EXIT STATUS", &exit_status()).as_bytes());
    roff.extend_from_slice(tagged("ENVIRONMENT", ENVIRONMENT).as_bytes());
    roff.extend_from_slice(tagged("EXAMPLES", EXAMPLES).as_bytes());
    page.render_version_section(&mut roff)?;
    out.write_all(&roff)
}
