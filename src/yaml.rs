//! The one place YAML is read (serde-saphyr): resource limits against alias bombs and deep
//! nesting, and errors rendered with the source name, line, column and a snippet.
//! Swapping the YAML crate touches this file only.

use std::borrow::Cow;

use serde::de::DeserializeOwned;

use crate::suggest::closest;

/// Largest YAML document we read: a typical table takes about 1.5 KB of spec, so 32 MiB holds
/// a fleet of 10,000 tables with room to spare, and stays far from exhausting memory.
pub const MAX_INPUT_BYTES: usize = 32 << 20;
/// Deepest nesting we read; a spec needs fewer than ten levels.
pub const MAX_DEPTH: usize = 32;

/// A YAML document that could not be read into the expected shape, already rendered with
/// `source:line:column` and a snippet of the offending lines.
#[derive(Debug, thiserror::Error)]
#[error("{rendered}")]
pub struct YamlError {
    pub rendered: String,
    /// 1-based line and column of the error, when the parser knows it.
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// Reads `text` (named `source` in messages, e.g. `workload.yaml` or `<stdin>`) into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str, source: &str) -> Result<T, YamlError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(YamlError {
            rendered: format!(
                "{source}: the file is {} bytes; YAML input is limited to {} MiB",
                text.len(),
                MAX_INPUT_BYTES >> 20
            ),
            line: None,
            column: None,
        });
    }
    // Scaled to this document: every node and event written out takes at least a byte of
    // input, so a spec of any size within the limit reads, while aliases that expand to more
    // nodes than the text has bytes (a billion laughs) are refused. The parser's own defaults
    // (250,000 nodes) would refuse a spec of 10,000 tables.
    let scaled = text.len().max(1 << 16);
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(MAX_INPUT_BYTES),
            max_depth: MAX_DEPTH,
            max_nodes: scaled,
            max_events: scaled,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|err| {
        let location = err.location();
        let (line, column) = (location.map(|l| l.line()), location.map(|l| l.column()));
        let mut rendered = err.render_with_options(serde_saphyr::render_options! {
            source_name: Some(source),
            formatter: &Messages,
        });
        // Errors without a snippet (e.g. end of input) do not name the file; say where.
        if !rendered.contains(source) {
            let at = format!("{}:{}", line.unwrap_or(1), column.unwrap_or(1));
            rendered = format!("{source}:{at}: {rendered}");
        }
        if let Some(help) = help(&rendered) {
            rendered = format!("{}\n  = help: {help}", rendered.trim_end());
        }
        YamlError {
            rendered,
            line,
            column,
        }
    })
}

/// The parser's messages, less those written for the programmer calling it (which name its
/// API or print its internal structures): those become sentences about the file.
struct Messages;

impl serde_saphyr::MessageFormatter for Messages {
    fn format_message<'a>(&self, err: &'a serde_saphyr::Error) -> Cow<'a, str> {
        use serde_saphyr::budget::BudgetBreach;
        use serde_saphyr::Error;
        match err {
            Error::MultipleDocuments { .. } => Cow::Borrowed(
                "a second YAML document starts here (after a `---` line); a workload spec is one \
                 document: remove the `---` and what follows, or split the file in two",
            ),
            Error::DuplicateMappingKey { key, .. } => Cow::Owned(format!(
                "the key {} is given twice in the same mapping; keep one of them (merge their \
                 contents if both matter)",
                key.as_deref().map_or("here".into(), |k| format!("`{k}`"))
            )),
            Error::Budget { breach, .. } => Cow::Owned(match breach {
                BudgetBreach::Depth { depth } => format!(
                    "nesting reaches {depth} levels, past the {MAX_DEPTH} this reader allows (a \
                     spec needs fewer than ten)"
                ),
                BudgetBreach::Aliases { .. }
                | BudgetBreach::Anchors { .. }
                | BudgetBreach::AliasAnchorRatio { .. } => "the file's anchors and aliases \
                     (`&name`, `*name`) expand beyond what a spec needs; write the repeated \
                     parts out, or use fewer aliases"
                    .into(),
                _ => format!(
                    "the file is larger than a workload spec can be (at most {} MiB of YAML); \
                     split it into several specs",
                    MAX_INPUT_BYTES >> 20
                ),
            }),
            _ => serde_saphyr::DefaultMessageFormatter.format_message(err),
        }
    }
}

/// A fix to print under the parser's message, where the message alone does not say one.
fn help(message: &str) -> Option<String> {
    if let Some(name) = did_you_mean(message) {
        return Some(format!("did you mean `{name}`?"));
    }
    // The parser's words for a breached limit; not the bare word "budget", which is also a
    // spec field named in every "expected one of" list.
    let limits = [
        "recursion limit",
        "budget breached",
        "alias replay",
        "alias expansion",
    ];
    limits.iter().any(|l| message.contains(l)).then(|| {
        format!(
            "a spec nests fewer than ten levels; reading stops past {MAX_DEPTH} levels or at \
             runaway alias expansion, so a hostile file cannot exhaust memory"
        )
    })
}

/// For "unknown field/variant `x`, expected one of a, b, c": the closest expected name when
/// it is a likely misspelling ([`closest`]).
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .split_once("unknown field `")
        .or_else(|| message.split_once("unknown variant `"))?
        .1;
    let (got, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected one of ")?.1.lines().next()?;
    closest(got, expected.split(", ").map(|name| name.trim_matches('`'))).map(str::to_string)
}

/// A value with the place it was written, for errors that name file:line:column.
pub type Spanned<T> = serde_saphyr::Spanned<T>;

/// Any YAML document as JSON, with each local tag (`!Ref x`, `!GetAtt a.b`, `!Sub …`) turned
/// into the one-key mapping its long form is (`{"Ref": x}`, `{"Fn::GetAtt": …}`): the shape
/// CloudFormation templates take in JSON, so one reader serves both.
pub fn tagged_document(text: &str, source: &str) -> Result<serde_json::Value, YamlError> {
    Ok(from_str::<TaggedNode>(text, source)?.into_json())
}

/// A YAML node and the tag written on it.
struct TaggedNode(serde_saphyr::Tagged<Node>);

enum Node {
    Json(serde_json::Value),
    List(Vec<TaggedNode>),
    Map(Vec<(String, TaggedNode)>),
}

impl TaggedNode {
    fn into_json(self) -> serde_json::Value {
        let serde_saphyr::Tagged(node, tag) = self.0;
        let value = match node {
            Node::Json(v) => v,
            Node::List(items) => items.into_iter().map(TaggedNode::into_json).collect(),
            Node::Map(entries) => entries
                .into_iter()
                .map(|(k, v)| (k, v.into_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        };
        match tag.as_deref().and_then(|t| t.strip_prefix('!')) {
            Some(name) if !name.starts_with('!') && !name.is_empty() => {
                let key = if name == "Ref" || name == "Condition" {
                    name.to_string()
                } else {
                    format!("Fn::{name}")
                };
                // `!GetAtt Table.Arn` is the short form of `[Table, Arn]`.
                let value = match (name, value) {
                    ("GetAtt", serde_json::Value::String(s)) => match s.split_once('.') {
                        Some((a, b)) => serde_json::json!([a, b]),
                        None => serde_json::Value::String(s),
                    },
                    (_, v) => v,
                };
                serde_json::json!({ key: value })
            }
            _ => value,
        }
    }
}

impl<'de> serde::Deserialize<'de> for TaggedNode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_saphyr::Tagged::<Node>::deserialize(d).map(TaggedNode)
    }
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Json(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Json(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Json(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Json(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Json(v.into()))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Json(serde_json::Value::Null))
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Json(serde_json::Value::Null))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_misspellings_get_a_suggestion() {
        let message = "unknown field `tabel_class`, expected one of name, table_class, capacity";
        assert_eq!(did_you_mean(message).as_deref(), Some("table_class"));
        let variant = "unknown variant `gett`, expected one of `get`, `batch_get`, `query`";
        assert_eq!(did_you_mean(variant).as_deref(), Some("get"));
        assert_eq!(
            did_you_mean("unknown field `zzzzzz`, expected one of name, keys"),
            None
        );
        let upper = "unknown variant `KEYS_ONLY`, expected one of keys_only, all, include";
        assert_eq!(did_you_mean(upper).as_deref(), Some("keys_only"));
    }

    #[test]
    fn an_unknown_field_gets_no_note_about_reading_limits() {
        let message = "unknown field `zzzq`, expected one of name, ttl, budget";
        assert_eq!(help(message), None);
        assert!(help("budget breached: MaxDepth").is_some());
    }

    /// CloudFormation's short forms and their long forms ("Intrinsic function reference",
    /// AWS CloudFormation User Guide): `!Ref X` is `{"Ref": "X"}`, `!GetAtt A.B` is
    /// `{"Fn::GetAtt": ["A", "B"]}`, `!Equals [..]` is `{"Fn::Equals": [..]}`.
    #[test]
    fn short_intrinsic_tags_become_their_long_forms() {
        let text = "a: !Ref Table\nb: !GetAtt Table.Arn\nc: !Equals [!Ref P, x]\nd: [1, true, ~]\n";
        let value = tagged_document(text, "t.yaml").unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "a": {"Ref": "Table"},
                "b": {"Fn::GetAtt": ["Table", "Arn"]},
                "c": {"Fn::Equals": [{"Ref": "P"}, "x"]},
                "d": [1, true, null],
            })
        );
    }
}
