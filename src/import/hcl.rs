//! Terraform HCL where the values are literals: `resource` blocks with string, number, bool,
//! list and object values and nested blocks, read into the shape `terraform show -json` gives
//! the same resources, so `terraform` reads both. An expression (`var.x`, a function call, an
//! interpolated string) is kept as its text and is an error only where import reads it; the one
//! reference resolved is `aws_dynamodb_table.NAME.name` (or `.id`) in a `resource_id`, which
//! Application Auto Scaling resources use to name their table.

use serde_json::{Map, Value};

use super::json::Node;
use super::terraform::{from_resources, Resource};
use super::{ImportError, Part};

/// Reads a `.tf` file's DynamoDB resources.
pub fn parse(text: &str, source: &str) -> Result<Vec<Part>, ImportError> {
    let mut p = Parser {
        text: text.as_bytes(),
        at: 0,
        source,
    };
    let body = p.body(None)?;
    let mut region = None;
    let mut raw: Vec<(String, String, Value)> = Vec::new();
    for (keyword, labels, block) in body.blocks {
        match (keyword.as_str(), &labels[..]) {
            ("resource", [kind, name]) => raw.push((format!("{kind}.{name}"), kind.clone(), block)),
            ("provider", [name]) if name == "aws" && region.is_none() => {
                region = block
                    .get("region")
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
            _ => {}
        }
    }
    // `table/${aws_dynamodb_table.NAME.name}`: the table's literal name, and its address.
    let names: Vec<(String, Option<String>)> = raw
        .iter()
        .map(|(address, _, v)| {
            (
                address.clone(),
                v.get("name").and_then(Value::as_str).map(str::to_string),
            )
        })
        .collect();
    let mut refs = Vec::new();
    for (_, kind, values) in &mut raw {
        let mut table_ref = None;
        if kind.starts_with("aws_appautoscaling_") {
            if let Some(id) = values.get_mut("resource_id") {
                if let Some((text, address)) = resolve_table(id, &names) {
                    *id = Value::String(text);
                    table_ref = Some(address);
                }
            }
        }
        refs.push(table_ref);
    }
    let resources = raw
        .iter()
        .zip(refs)
        .map(|((address, kind, values), table_ref)| Resource {
            address: address.clone(),
            kind: kind.clone(),
            values: Some(Node::root(values, source)),
            table_ref,
        })
        .collect();
    from_resources(resources, region)
}

/// `table/${aws_dynamodb_table.X.name}` with X's literal name, and X's address.
fn resolve_table(id: &Value, names: &[(String, Option<String>)]) -> Option<(String, String)> {
    let text = id.get(Node::EXPRESSION)?.as_str()?;
    let inner = text.strip_prefix("\"")?.strip_suffix("\"")?;
    let (before, rest) = inner.split_once("${")?;
    let (reference, after) = rest.split_once('}')?;
    let address = reference
        .strip_suffix(".name")
        .or_else(|| reference.strip_suffix(".id"))?
        .trim();
    if !address.starts_with("aws_dynamodb_table.") || after.contains("${") {
        return None;
    }
    let name = names.iter().find(|(a, _)| a == address)?.1.as_ref()?;
    Some((format!("{before}{name}{after}"), address.to_string()))
}

/// A body: its attributes (with nested blocks as lists, as Terraform's JSON has them) and its
/// labelled blocks in order, for the top level.
struct Body {
    blocks: Vec<(String, Vec<String>, Value)>,
    values: Map<String, Value>,
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    source: &'a str,
}

impl Parser<'_> {
    fn line_col(&self, at: usize) -> (usize, usize) {
        let before = &self.text[..at.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = at
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        (line, col)
    }

    fn error(&self, message: impl std::fmt::Display) -> ImportError {
        let (line, col) = self.line_col(self.at);
        ImportError(format!("{}:{line}:{col}: {message}", self.source))
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Skips blanks and comments; with `newlines` false, stops at a newline.
    fn skip(&mut self, newlines: bool) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' if !newlines => return,
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'#' => self.skip_line(),
                b'/' if self.text.get(self.at + 1) == Some(&b'/') => self.skip_line(),
                b'/' if self.text.get(self.at + 1) == Some(&b'*') => {
                    let end = self.text[self.at + 2..]
                        .windows(2)
                        .position(|w| w == b"*/")
                        .map_or(self.text.len(), |p| self.at + 2 + p + 2);
                    self.at = end;
                }
                _ => return,
            }
        }
    }

    fn skip_line(&mut self) {
        while self.peek().is_some_and(|b| b != b'\n') {
            self.at += 1;
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            self.at += 1;
        }
        (self.at > start).then(|| String::from_utf8_lossy(&self.text[start..self.at]).into_owned())
    }

    /// Attributes and blocks up to `}` (or the end of the file at the top).
    fn body(&mut self, close: Option<u8>) -> Result<Body, ImportError> {
        let mut body = Body {
            blocks: Vec::new(),
            values: Map::new(),
        };
        loop {
            self.skip(true);
            match (self.peek(), close) {
                (None, None) => return Ok(body),
                (None, Some(_)) => {
                    return Err(self.error("the file ends inside a block; a `}` is missing"))
                }
                (Some(b), Some(c)) if b == c => {
                    self.at += 1;
                    return Ok(body);
                }
                _ => {}
            }
            let name = self
                .identifier()
                .ok_or_else(|| self.error("expected an attribute or a block name"))?;
            self.skip(false);
            if self.peek() == Some(b'=') {
                self.at += 1;
                self.skip(false);
                let value = self.value()?;
                body.values.insert(name, value);
                continue;
            }
            let mut labels = Vec::new();
            loop {
                self.skip(false);
                match self.peek() {
                    Some(b'"') => {
                        labels.push(self.string()?.as_str().unwrap_or_default().to_string())
                    }
                    Some(b'{') => break,
                    _ => match self.identifier() {
                        Some(label) => labels.push(label),
                        None => {
                            return Err(self.error(format!("expected `=` or `{{` after `{name}`")))
                        }
                    },
                }
            }
            self.at += 1;
            let inner = self.body(Some(b'}'))?;
            let value = Value::Object(inner.values);
            if close.is_none() {
                body.blocks.push((name, labels, value));
            } else {
                match body
                    .values
                    .entry(name)
                    .or_insert_with(|| Value::Array(Vec::new()))
                {
                    Value::Array(list) => list.push(value),
                    _ => return Err(self.error("a block has the name of an attribute")),
                }
            }
        }
    }

    /// A literal, or an expression kept as its text.
    fn value(&mut self) -> Result<Value, ImportError> {
        let start = self.at;
        let literal = match self.peek() {
            Some(b'"') => Some(self.string()?),
            Some(b'[') => Some(self.list()?),
            Some(b'{') => Some(self.object()?),
            Some(b) if b.is_ascii_digit() || b == b'-' => self.number(),
            _ => match self.identifier().as_deref() {
                Some("true") => Some(Value::Bool(true)),
                Some("false") => Some(Value::Bool(false)),
                Some("null") => Some(Value::Null),
                _ => None,
            },
        };
        self.skip(false);
        // A literal ends the line (or the list or object item); anything else is an expression.
        let ends = matches!(self.peek(), None | Some(b'\n' | b',' | b']' | b'}'));
        match literal {
            Some(v) if ends && !is_template(&v) => Ok(v),
            _ => {
                self.at = start;
                self.expression()
            }
        }
    }

    /// The text of an expression up to the end of its line, brackets and strings balanced.
    fn expression(&mut self) -> Result<Value, ImportError> {
        let start = self.at;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.string_raw()?;
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => break,
                b'\n' if depth == 0 => break,
                b'<' if self.text[self.at..].starts_with(b"<<") => {
                    return Err(
                        self.error("heredoc strings are not read; write the value on one line")
                    )
                }
                _ => {}
            }
            self.at += 1;
        }
        let text = String::from_utf8_lossy(&self.text[start..self.at])
            .trim()
            .to_string();
        let (line, _) = self.line_col(start);
        let mut marker = Map::new();
        marker.insert(Node::EXPRESSION.to_string(), Value::String(text));
        marker.insert("line".into(), Value::from(line));
        Ok(Value::Object(marker))
    }

    /// A quoted string's extent, escapes skipped; `${` inside is left for the caller.
    fn string_raw(&mut self) -> Result<(usize, usize), ImportError> {
        let start = self.at;
        self.at += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Ok((start, self.at));
                }
                b'\n' => break,
                _ => self.at += 1,
            }
        }
        self.at = start;
        Err(self.error("a string is not closed on its line"))
    }

    fn string(&mut self) -> Result<Value, ImportError> {
        let (start, end) = self.string_raw()?;
        let raw =
            std::str::from_utf8(&self.text[start..end]).map_err(|_| self.error("not UTF-8"))?;
        if raw.contains("${") || raw.contains("%{") {
            let mut marker = Map::new();
            marker.insert(Node::EXPRESSION.to_string(), Value::String(raw.to_string()));
            return Ok(Value::Object(marker));
        }
        serde_json::from_str::<String>(raw)
            .map(Value::String)
            .map_err(|_| self.error(format!("{raw} has an escape JSON does not read")))
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+'))
        {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        serde_json::from_str::<serde_json::Number>(text)
            .ok()
            .map(Value::Number)
    }

    fn list(&mut self) -> Result<Value, ImportError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip(true);
            match self.peek() {
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("a list is not closed")),
                _ => {}
            }
            items.push(self.value()?);
            self.skip(true);
            if self.peek() == Some(b',') {
                self.at += 1;
            }
        }
    }

    fn object(&mut self) -> Result<Value, ImportError> {
        self.at += 1;
        let mut map = Map::new();
        loop {
            self.skip(true);
            match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(map));
                }
                None => return Err(self.error("an object is not closed")),
                _ => {}
            }
            let key = match self.peek() {
                Some(b'"') => self.string()?.as_str().unwrap_or_default().to_string(),
                _ => self
                    .identifier()
                    .ok_or_else(|| self.error("expected an object key"))?,
            };
            self.skip(false);
            if !matches!(self.peek(), Some(b'=' | b':')) {
                return Err(self.error(format!("expected `=` after `{key}`")));
            }
            self.at += 1;
            self.skip(false);
            let value = self.value()?;
            map.insert(key, value);
            self.skip(true);
            if self.peek() == Some(b',') {
                self.at += 1;
            }
        }
    }
}

/// Whether a parsed value holds an interpolated string (kept as an expression).
fn is_template(v: &Value) -> bool {
    v.get(Node::EXPRESSION).is_some()
}
