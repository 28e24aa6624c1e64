//! The crate's layers (docs/architecture.md), read from the source: no module imports a layer
//! above its own, clap stays in the command line, and no two files import each other, however
//! indirectly. The checks run on the real tree and, to show they can fail, on made-up files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module's floor, from the ground up. A module may import its own floor and
/// the ones below; `lib` only declares the modules and `main` only runs `cli`.
const FLOORS: &[&[&str]] = &[
    &[
        "quantity",
        "time",
        "yaml",
        "diagnostic",
        "suggest",
        "metrics",
        "parquet",
    ],
    &["capacity"],
    &["workload", "calc", "quiz"],
    &["pricing", "cost", "demand", "import"],
    &["sim"],
    &["plan"],
    &["check", "fleet"],
    &["render"],
    &["cli"],
    &["lib", "main"],
];

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

/// A source file as the checks see it: its path under `src/` and its text without the
/// trailing `#[cfg(test)] mod tests`, whose `super::*` names the file itself.
struct File {
    path: String,
    text: String,
}

fn read_tree() -> Vec<File> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<File>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                out.push(File {
                    path: rel.replace('\\', "/"),
                    text,
                });
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    files
}

impl File {
    fn top(&self) -> &str {
        let first = self.path.split('/').next().unwrap_or_default();
        first.strip_suffix(".rs").unwrap_or(first)
    }

    /// The module path of the file: `sim/run.rs` → [sim, run], `sim/mod.rs` → [sim].
    fn module(&self) -> Vec<String> {
        let trimmed = self.path.strip_suffix(".rs").unwrap_or(&self.path);
        let mut parts: Vec<String> = trimmed.split('/').map(String::from).collect();
        if parts
            .last()
            .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
        {
            parts.pop();
        }
        parts
    }

    fn code(&self) -> &str {
        let end = self
            .text
            .find("#[cfg(test)]\nmod tests")
            .unwrap_or(self.text.len());
        &self.text[..end]
    }
}

/// Every path the code names from the crate root, as segments: `crate::a::b::C` and
/// `use crate::{a::b, c}` give [a, b, C] and [a, b] and [c]; `super::x` is made absolute.
fn paths(file: &File) -> Vec<Vec<String>> {
    let code = file.code();
    let module = file.module();
    let mut found = Vec::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
    ] {
        for (at, _) in code.match_indices(prefix) {
            if code[..at].ends_with(|c: char| ident(c) || c == ':') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let mut segments = base.clone();
            let mut tail = rest;
            loop {
                let name: String = tail.chars().take_while(|&c| ident(c)).collect();
                if name.is_empty() {
                    break;
                }
                tail = &tail[name.len()..];
                segments.push(name);
                match tail.strip_prefix("::") {
                    Some(next) => tail = next,
                    None => break,
                }
            }
            if let Some(group) = tail.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                for item in inner.split(',') {
                    let mut path = segments.clone();
                    path.extend(
                        item.split("::")
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty() && s != "self" && !s.contains(' ')),
                    );
                    found.push(path);
                }
            } else {
                found.push(segments);
            }
        }
    }
    found
}

/// The file a crate path lands in: the longest prefix that is a module file.
fn resolve<'a>(path: &[String], files: &'a BTreeMap<Vec<String>, String>) -> Option<&'a String> {
    (1..=path.len())
        .rev()
        .find_map(|n| files.get(&path[..n].to_vec()))
}

/// Imports of a module above the importer's floor, as `file: names module`.
fn upward_imports(files: &[File]) -> Vec<String> {
    let mut broken = Vec::new();
    for file in files {
        let Some(own) = floor(file.top()) else {
            broken.push(format!("{}: module {} has no floor", file.path, file.top()));
            continue;
        };
        for path in paths(file) {
            let Some(target) = path.first() else { continue };
            if let Some(theirs) = floor(target).filter(|&f| f > own) {
                broken.push(format!(
                    "{}: imports {} (floor {theirs}) from floor {own}",
                    file.path,
                    path.join("::")
                ));
            }
        }
    }
    broken.sort();
    broken.dedup();
    broken
}

/// clap names outside the command line: the library's models must not depend on it.
fn clap_outside_cli(files: &[File]) -> Vec<String> {
    files
        .iter()
        .filter(|f| !matches!(f.top(), "cli" | "main"))
        .filter(|f| f.text.contains("clap::") || f.text.contains("use clap"))
        .map(|f| f.path.clone())
        .collect()
}

/// Files that import each other through a chain of imports, each cycle once.
fn file_cycles(files: &[File]) -> Vec<Vec<String>> {
    let by_module: BTreeMap<Vec<String>, String> =
        files.iter().map(|f| (f.module(), f.path.clone())).collect();
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for file in files {
        let targets = edges.entry(&file.path).or_default();
        for path in paths(file) {
            if let Some(target) = resolve(&path, &by_module) {
                if *target != file.path {
                    targets.insert(target);
                }
            }
        }
    }
    // Tarjan's strongly connected components: every component of more than one file is a cycle.
    struct State<'a> {
        edges: &'a BTreeMap<&'a str, BTreeSet<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        cycles: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, node: &'a str) {
        let n = s.index.len();
        s.index.insert(node, n);
        s.low.insert(node, n);
        s.stack.push(node);
        let edges = s.edges;
        for &next in edges.get(node).into_iter().flatten() {
            if !s.index.contains_key(next) {
                visit(s, next);
                let low = s.low[node].min(s.low[next]);
                s.low.insert(node, low);
            } else if s.stack.contains(&next) {
                let low = s.low[node].min(s.index[next]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let at = s.stack.iter().position(|&x| x == node).unwrap();
            let mut component: Vec<String> = s.stack.drain(at..).map(String::from).collect();
            component.sort();
            if component.len() > 1 {
                s.cycles.push(component);
            }
        }
    }
    let mut state = State {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        cycles: Vec::new(),
    };
    for &node in edges.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.cycles
}

#[test]
fn no_module_imports_a_layer_above_it() {
    assert_eq!(upward_imports(&read_tree()), Vec::<String>::new());
}

#[test]
fn clap_is_only_in_the_command_line() {
    assert_eq!(clap_outside_cli(&read_tree()), Vec::<String>::new());
}

#[test]
fn no_files_import_each_other() {
    assert_eq!(file_cycles(&read_tree()), Vec::<Vec<String>>::new());
}

#[test]
fn every_module_has_a_floor() {
    for file in read_tree() {
        assert!(floor(file.top()).is_some(), "{} has no floor", file.path);
    }
}

fn file(path: &str, text: &str) -> File {
    File {
        path: path.into(),
        text: text.into(),
    }
}

/// The checks catch what they are for: an upward import (plain and inside a `use` group), clap
/// in a model, and two files that import each other through `super::`.
#[test]
fn the_checks_can_fail() {
    let upward = [
        file("sim/run.rs", "use crate::plan::PlanReport;\n"),
        file(
            "cost/mod.rs",
            "use crate::{quantity::Size, render::bill};\n",
        ),
        file(
            "quantity.rs",
            "fn f() { crate::render::bill::bill(todo!()); }\n",
        ),
    ];
    assert_eq!(
        upward_imports(&upward),
        [
            "cost/mod.rs: imports render::bill (floor 7) from floor 3",
            "quantity.rs: imports render::bill::bill (floor 7) from floor 0",
            "sim/run.rs: imports plan::PlanReport (floor 5) from floor 4",
        ]
    );
    let below = [file(
        "plan/mod.rs",
        "use crate::sim::SimReport;\n#[cfg(test)]\nmod tests { use crate::render::x; }\n",
    )];
    assert!(
        upward_imports(&below).is_empty(),
        "a test module may reach up"
    );

    let clap = [file(
        "sim/engine.rs",
        "#[derive(clap::ValueEnum)]\nenum Model {}\n",
    )];
    assert_eq!(clap_outside_cli(&clap), ["sim/engine.rs"]);

    let cycle = [
        file("cost/mod.rs", "mod dax;\nmod table;\n"),
        file("cost/dax.rs", "use super::table::DaxCluster;\n"),
        file("cost/table.rs", "use super::dax::node_hours;\n"),
        file("cost/free_tier.rs", "use super::dax::node_hours;\n"),
    ];
    assert_eq!(
        file_cycles(&cycle),
        [vec!["cost/dax.rs".to_string(), "cost/table.rs".to_string()]]
    );
}
