//! A JSON value with the path it was found at, so every import error names its place
//! (`file: Table.KeySchema[0].AttributeName: …`). Import files are kilobytes: the path is a
//! plain string.

use serde_json::Value;

use super::ImportError;

#[derive(Clone)]
pub struct Node<'a> {
    pub value: &'a Value,
    source: &'a str,
    path: String,
}

impl<'a> Node<'a> {
    pub fn root(value: &'a Value, source: &'a str) -> Self {
        Node {
            value,
            source,
            path: String::new(),
        }
    }

    pub fn source(&self) -> &'a str {
        self.source
    }

    fn child(&self, value: &'a Value, step: String) -> Node<'a> {
        let path = if self.path.is_empty() || step.starts_with('[') {
            format!("{}{step}", self.path)
        } else {
            format!("{}.{step}", self.path)
        };
        Node {
            value,
            source: self.source,
            path,
        }
    }

    /// An error at this node.
    pub fn error(&self, message: impl std::fmt::Display) -> ImportError {
        if self.path.is_empty() {
            ImportError(format!("{}: {message}", self.source))
        } else {
            ImportError(format!("{}: {}: {message}", self.source, self.path))
        }
    }

    /// The member `key`, if present and not null.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value
            .get(key)
            .filter(|v| !v.is_null())
            .map(|value| self.child(value, key.to_string()))
    }

    pub fn required(&self, key: &str) -> Result<Node<'a>, ImportError> {
        self.get(key)
            .ok_or_else(|| self.error(format!("has no `{key}`")))
    }

    /// The elements of this list.
    pub fn items(&self) -> Result<Vec<Node<'a>>, ImportError> {
        let list = self.value.as_array().ok_or_else(|| self.not("a list"))?;
        Ok(list
            .iter()
            .enumerate()
            .map(|(i, value)| self.child(value, format!("[{i}]")))
            .collect())
    }

    /// The list member `key`, empty when absent.
    pub fn list(&self, key: &str) -> Result<Vec<Node<'a>>, ImportError> {
        self.get(key).map_or(Ok(Vec::new()), |n| n.items())
    }

    /// The members of this mapping, in order.
    pub fn entries(&self) -> Result<Vec<(&'a str, Node<'a>)>, ImportError> {
        let map = self
            .value
            .as_object()
            .ok_or_else(|| self.not("a mapping"))?;
        Ok(map
            .iter()
            .map(|(k, v)| (k.as_str(), self.child(v, k.clone())))
            .collect())
    }

    /// The key under which the HCL reader keeps an expression it does not evaluate.
    pub const EXPRESSION: &'static str = "${expression}";

    /// An error for a value that is not of the kind `what`: an unevaluated HCL expression is
    /// named as such.
    fn not(&self, what: &str) -> ImportError {
        match self.value.get(Self::EXPRESSION).and_then(Value::as_str) {
            Some(expression) => {
                let line = self.value.get("line").and_then(Value::as_u64);
                let at = line.map_or(String::new(), |l| format!(" (line {l})"));
                self.error(format!(
                    "`{expression}`{at} is an expression; import reads literal values only: write the value, \
                     or import `terraform show -json` of a plan, where Terraform has evaluated it"
                ))
            }
            None => self.error(format!("is `{}`, not {what}", self.value)),
        }
    }

    pub fn str(&self) -> Result<&'a str, ImportError> {
        self.value.as_str().ok_or_else(|| self.not("a string"))
    }

    /// A whole number of units; JSON or YAML may write it as a string (`"5"`).
    pub fn count(&self) -> Result<u64, ImportError> {
        let n = match self.value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        n.ok_or_else(|| self.not("a whole number"))
    }

    /// A number such as a target value (`70.0`).
    pub fn number(&self) -> Result<f64, ImportError> {
        let n = match self.value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        n.filter(|v| v.is_finite())
            .ok_or_else(|| self.not("a number"))
    }

    pub fn bool(&self) -> Result<bool, ImportError> {
        match self.value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(self.not("true or false")),
        }
    }
}
