//! Import errors: always naming the file, and the line and field when known.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// A row or cell that could not be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub file: PathBuf,
    pub line: u64,
    pub field: String,
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file.display(), self.line)?;
        if !self.field.is_empty() {
            write!(f, "field \"{}\": ", self.field)?;
        }
        write!(f, "{}", self.reason)
    }
}

/// A failure that stops the import of a file.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ImportError {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl ImportError {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ImportError {
            file: file.into(),
            line: None,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field \"{field}\": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Rows rejected after which an import stops reading when nearly every row
/// is rejected (the file is not what its format says), and the absolute
/// limit whatever the share.
pub const STOP_AFTER_REJECTED: u64 = 1_000;
pub const MAX_REJECTED: u64 = 100_000;

/// Whether an import with `rejected` of `read` rows rejected should stop now.
pub(crate) fn hopeless(rejected: u64, read: u64) -> bool {
    rejected >= MAX_REJECTED || (rejected >= STOP_AFTER_REJECTED && rejected * 10 >= read * 9)
}

/// The error that stops such an import, naming the first rejection.
pub(crate) fn stopped(
    path: &std::path::Path,
    rejected: u64,
    read: u64,
    first: Option<&Rejection>,
) -> ImportError {
    let mut e = ImportError::new(
        path,
        format!(
            "stopped reading after {rejected} rejected rows of {read}: the file does not look like the format it was read as{}",
            first.map(|r| format!(" (first: {r})")).unwrap_or_default()
        ),
    )
    .hint(format!(
        "check --format and the file's layout; an import stops once {STOP_AFTER_REJECTED} rows are rejected and they are 90% of those read, or after {MAX_REJECTED} rejections"
    ));
    if let Some(r) = first {
        e = e.at_line(r.line);
    }
    e
}
