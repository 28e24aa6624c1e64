//! Every source a comment, doc, diagnostic or test cites can be looked up: each bracketed tag
//! (`[RW]`, `[GTHOW]`, …) is defined in docs/sources.md, and nothing names a reference file
//! that is not in the repository.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Tags in `text`: `[` + an upper-case letter + 1–11 upper-case letters or digits, optionally
/// `-` and more, + `]`. A bracket right after an identifier is an index (`want[REST]`), not a
/// tag.
fn tags(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices('[') {
        if text[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + 1..];
        let Some(end) = rest.find(']') else { continue };
        let tag = &rest[..end];
        let (head, tail) = tag.split_once('-').unwrap_or((tag, ""));
        let upper = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        };
        if (2..=12).contains(&head.len())
            && head.starts_with(|c: char| c.is_ascii_uppercase())
            && upper(head)
            && upper(tail)
            && (tail.is_empty() || !tag.ends_with('-'))
        {
            found.insert(tag.to_string());
        }
    }
    found
}

fn cited() -> Vec<(PathBuf, String)> {
    let root = root();
    let mut paths = Vec::new();
    for dir in ["src", "tests", "benches"] {
        files(&root.join(dir), "rs", &mut paths);
    }
    files(&root.join("docs"), "md", &mut paths);
    paths.push(root.join("README.md"));
    paths
        .into_iter()
        .filter(|p| !p.ends_with("docs/sources.md"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.strip_prefix(&root).unwrap().to_path_buf(), text)
        })
        .collect()
}

fn defined() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("docs/sources.md")).unwrap();
    text.lines()
        .filter_map(|l| {
            l.strip_prefix("| `[")?
                .split_once("]`")
                .map(|(t, _)| t.to_string())
        })
        .collect()
}

#[test]
fn every_cited_tag_is_defined_in_docs_sources() {
    let defined = defined();
    assert!(
        defined.contains("RW") && defined.contains("GTHOW"),
        "{defined:?}"
    );
    let missing: Vec<String> = cited()
        .iter()
        .flat_map(|(path, text)| {
            tags(text)
                .into_iter()
                .filter(|t| !defined.contains(t))
                .map(move |t| format!("{}: [{t}]", path.display()))
        })
        .collect();
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn nothing_cites_a_file_outside_the_repository() {
    let outside = [
        "dynamodb-rules.md",
        "competitors.md",
        "rust-stack.md",
        "shared/reference",
    ];
    // Spelled here only as the list to look for.
    let this = Path::new("tests/sources.rs");
    let named: Vec<String> = cited()
        .iter()
        .filter(|(path, _)| *path != this)
        .flat_map(|(path, text)| {
            outside
                .iter()
                .filter(|name| text.contains(*name))
                .map(move |name| format!("{}: {name}", path.display()))
        })
        .collect();
    assert_eq!(named, Vec::<String>::new());
}

#[test]
fn tags_are_told_from_indexes_and_prose() {
    let found =
        tags("§4 [BURST][PART], rule [RP-SPIKY]; want[REST]; [x] [A] [TOOLONGTAGNAME1] [RW2023]");
    let expected: BTreeSet<String> = ["BURST", "PART", "RP-SPIKY", "RW2023"]
        .map(String::from)
        .into();
    assert_eq!(found, expected);
    assert!(!defined().contains("NOSUCHTAG"));
}
