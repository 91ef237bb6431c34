//! What can go wrong while fetching, said so that a user knows which
//! publisher, which URL and what to do.

use std::fmt;

/// The kind of failure, for callers that react differently (exit codes,
/// retries in scripts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The connection failed, timed out or was cut, after every retry.
    Network,
    /// The server answered with an error status.
    Status(u16),
    /// The response is not in the layout the publisher documents: a field
    /// renamed or removed, an unexpected code list, pages that do not add up.
    Drift,
    /// The files downloaded did not import (bad rows, unknown format).
    Import,
    /// Local files: the cache, `--from DIR`, the store.
    Io,
    /// The request itself: an unknown source or series, bad years.
    Request,
}

/// A failed fetch: the source, the URL (when there is one), what failed and
/// a hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchError {
    pub source: String,
    pub url: Option<String>,
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl FetchError {
    pub fn new(source: &str, kind: ErrorKind, message: impl Into<String>) -> FetchError {
        FetchError {
            source: source.to_string(),
            url: None,
            kind,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at(mut self, url: &str) -> FetchError {
        self.url = Some(url.to_string());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> FetchError {
        self.hint = Some(hint.into());
        self
    }

    /// A response that does not have the documented layout.
    pub fn drift(source: &str, url: &str, message: impl Into<String>) -> FetchError {
        FetchError::new(source, ErrorKind::Drift, message)
            .at(url)
            .hint("the publisher's format has changed (format drift): nothing was imported; report it with the URL so the reader can be updated")
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.source)?;
        if let Some(u) = &self.url {
            write!(f, "{u}: ")?;
        }
        if self.kind == ErrorKind::Drift {
            f.write_str("format drift: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

pub type Result<T, E = FetchError> = std::result::Result<T, E>;
