//! Readers for the open statistics innoscope works from.
//!
//! One module per input format. Each reader streams its file record by record
//! and hands [`Observation`]s to a [`Sink`], so memory stays bounded by the
//! sink, not the file. Rows that cannot be used are never dropped silently:
//! each becomes a [`Rejection`] naming file, line, field and reason, and names
//! that do not resolve to an economy are listed in the summary. Readers have
//! no side effects beyond reading their input: writing the store is the
//! engine's job.
//!
//! Invariant: no input bytes make a reader panic (property-tested in
//! `tests/no_panic.rs`).

pub mod catalog;
mod collect;
pub mod error;
pub mod formats;
pub mod input;
pub mod number;
pub mod patents;
pub mod records;
pub mod registry_build;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use innoscope_core::{Observation, SeriesMeta};
use serde::Serialize;

pub use error::{ImportError, Rejection};
pub use formats::Format;

/// Where readers deliver observations.
pub trait Sink {
    fn push(&mut self, obs: Observation) -> Result<(), String>;
}

impl Sink for Vec<Observation> {
    fn push(&mut self, obs: Observation) -> Result<(), String> {
        Vec::push(self, obs);
        Ok(())
    }
}

/// Reports bytes read so a front end can draw a progress bar.
pub trait Progress: Sync {
    fn start(&self, _file: &Path, _total_bytes: u64) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
}

/// A progress reporter that does nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Options shared by all readers.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Override the indicator code (when a file holds one series whose code
    /// cannot be read from the file or its name).
    pub indicator: Option<String>,
    /// Override the unit recorded for the series.
    pub unit: Option<String>,
    /// Override the source recorded for the series.
    pub source: Option<String>,
    /// Vintage to record for series whose file does not state one
    /// (e.g. "WDI as of 2026-07-01").
    pub vintage: Option<String>,
}

/// What a reader found in one file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportSummary {
    pub file: PathBuf,
    pub format: String,
    /// Data rows read (header and preamble excluded).
    pub rows_read: u64,
    /// Observations delivered to the sink.
    pub observations: u64,
    /// Cells that were empty or carried a "no data" marker (`..`, `na`).
    pub missing_values: u64,
    /// Rows or cells that could not be used, with file:line:field:reason.
    pub rejected: Vec<Rejection>,
    /// Names or codes that resolve to no economy, with the lines they occur on.
    pub unknown_economies: BTreeMap<String, Vec<u64>>,
    /// One entry per indicator found, with unit, source and licence.
    pub series: Vec<SeriesMeta>,
    /// What this format lacks or what the reader assumed.
    pub notes: Vec<String>,
}

impl ImportSummary {
    /// Lines of a human-readable report of unknown economies.
    pub fn unknown_economy_lines(&self) -> Vec<String> {
        self.unknown_economies
            .iter()
            .map(|(name, lines)| {
                let shown: Vec<String> = lines.iter().take(8).map(u64::to_string).collect();
                let more = if lines.len() > 8 {
                    format!(" (+{} more)", lines.len() - 8)
                } else {
                    String::new()
                };
                format!(
                    "{}: unknown economy `{name}` on line(s) {}{more}",
                    self.file.display(),
                    shown.join(", ")
                )
            })
            .collect()
    }
}

/// Read `path` in `format`, delivering observations to `sink`. The file is
/// streamed: memory use does not grow with its size (beyond what the sink keeps).
pub fn read_file(
    path: &Path,
    format: Format,
    options: &ImportOptions,
    sink: &mut dyn Sink,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| {
        ImportError::new(path, format!("cannot open: {e}"))
            .hint("check the path; `innoscope import --help` lists the formats")
    })?;
    progress.start(path, file.metadata().map(|m| m.len()).unwrap_or(0));
    let mut reader = input::Counting {
        inner: std::io::BufReader::new(file),
        progress,
    };
    let result = read_reader(path, &mut reader, format, options, sink);
    progress.finish();
    result
}

/// Read from any byte stream; `path` names the input in messages and drives
/// name-based defaults (the indicator code of a WDI file).
pub fn read_reader(
    path: &Path,
    reader: &mut dyn std::io::Read,
    format: Format,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<ImportSummary, ImportError> {
    formats::read(path, reader, format, options, sink)
}

/// Read already-loaded bytes (tests, fuzzing).
pub fn read_bytes(
    path: &Path,
    mut bytes: &[u8],
    format: Format,
    options: &ImportOptions,
    sink: &mut dyn Sink,
) -> Result<ImportSummary, ImportError> {
    read_reader(path, &mut bytes, format, options, sink)
}
