//! The envelope of every JSON document that has no versioned model of its own (validate,
//! prices, calc, quiz): `schema_version` and `kind` first, as the plan, simulation and check
//! reports carry them, so a program reading mixed files tells each apart (docs/report.md,
//! "JSON conventions").

use std::io::{BufWriter, Write};

use serde::Serialize;

/// Version of each enveloped document; bumped when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// `body`'s fields after `schema_version`, `kind` and `tool_version`.
#[derive(Debug, Clone, Serialize)]
pub struct Document<T: Serialize> {
    schema_version: u32,
    kind: &'static str,
    tool_version: &'static str,
    #[serde(flatten)]
    body: T,
}

impl<T: Serialize> Document<T> {
    pub fn new(kind: &'static str, body: T) -> Self {
        Self::versioned(kind, SCHEMA_VERSION, body)
    }

    /// A document whose kind has a version of its own.
    pub fn versioned(kind: &'static str, schema_version: u32, body: T) -> Self {
        Document {
            schema_version,
            kind,
            tool_version: env!("CARGO_PKG_VERSION"),
            body,
        }
    }
}

/// `body` in its envelope, pretty-printed with a final newline, written to `out`.
pub fn write_document<T: Serialize>(
    out: &mut dyn Write,
    kind: &'static str,
    body: T,
) -> std::io::Result<()> {
    write(out, &Document::new(kind, body))
}

/// `value` pretty-printed with a final newline, serialized straight into `out` through a
/// buffer: the one way every command writes JSON, so a long report (a year of `--series` is
/// about 2 GB) is never held whole in memory. An error is `out`'s own (a reader that closed the
/// pipe is a `BrokenPipe`, which the binary ends quietly on).
pub fn write<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    let mut buffered = BufWriter::with_capacity(64 << 10, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}
