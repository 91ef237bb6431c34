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
