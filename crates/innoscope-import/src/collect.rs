//! The collector every reader writes through: resolves economy names and
//! codes, parses values, detects duplicates, and records rejections.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use innoscope_core::{Economy, Observation, Registry, SeriesMeta};

use crate::number::{Cell, parse_cell};
use crate::{ImportError, ImportSummary, Rejection, Sink};

pub(crate) struct Collector<'a> {
    pub summary: ImportSummary,
    sink: &'a mut dyn Sink,
    registry: &'static Registry,
    /// First line each (indicator, economy, year) was seen on.
    seen: HashMap<(String, String, i32), u64>,
    series: BTreeMap<String, SeriesMeta>,
}

/// How an economy is identified in a row.
pub(crate) enum EconomyRef<'s> {
    /// A code (ISO alpha-3/alpha-2 or a registry aggregate code).
    Code(&'s str),
    /// A name as the source writes it, optionally scoped to the source.
    Name {
        scope: Option<&'s str>,
        name: &'s str,
    },
}

impl<'s> EconomyRef<'s> {
    /// A name as `scope` (a source's names table, e.g. `"unctad"`) writes it.
    pub(crate) fn named(scope: &'s str, name: &'s str) -> EconomyRef<'s> {
        EconomyRef::Name {
            scope: Some(scope),
            name,
        }
    }
}

impl<'a> Collector<'a> {
    pub fn new(file: &Path, format: &str, sink: &'a mut dyn Sink) -> Self {
        Collector {
            summary: ImportSummary {
                file: file.to_path_buf(),
                format: format.to_string(),
                ..ImportSummary::default()
            },
            sink,
            registry: Registry::bundled(),
            seen: HashMap::new(),
            series: BTreeMap::new(),
        }
    }

    pub fn registry(&self) -> &'static Registry {
        self.registry
    }

    pub fn reject(&mut self, line: u64, field: &str, reason: impl Into<String>) {
        self.summary.rejected.push(Rejection {
            file: self.summary.file.clone(),
            line,
            field: field.to_string(),
            reason: reason.into(),
        });
    }

    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.summary.notes.contains(&note) {
            self.summary.notes.push(note);
        }
    }

    /// Register the metadata of a series (first registration wins).
    pub fn series(&mut self, meta: SeriesMeta) {
        self.series.entry(meta.indicator.clone()).or_insert(meta);
    }

    /// Resolve an economy; unknown ones are recorded with their line.
    pub fn economy(&mut self, line: u64, r: EconomyRef<'_>) -> Option<&'static Economy> {
        let (found, label) = match r {
            EconomyRef::Code(code) => (self.registry.by_code(code), code.trim().to_string()),
            EconomyRef::Name { scope, name } => {
                (self.registry.resolve(scope, name), name.trim().to_string())
            }
        };
        if found.is_none() {
            self.summary
                .unknown_economies
                .entry(label)
                .or_default()
                .push(line);
        }
        found
    }

    /// Parse `raw` and deliver one observation. Missing markers are counted;
    /// text is rejected; a second value for the same key is rejected.
    pub fn value(
        &mut self,
        line: u64,
        field: &str,
        indicator: &str,
        economy: &Economy,
        year: i32,
        raw: &str,
    ) -> Result<(), ImportError> {
        let value = match parse_cell(raw) {
            Cell::Missing => {
                self.summary.missing_values += 1;
                return Ok(());
            }
            Cell::Invalid => {
                self.reject(line, field, format!("`{}` is not a number", truncate(raw)));
                return Ok(());
            }
            Cell::Value(v) => v,
        };
        let key = (indicator.to_string(), economy.code.clone(), year);
        if let Some(first) = self.seen.get(&key) {
            let first = *first;
            self.reject(
                line,
                field,
                format!(
                    "duplicate value for {indicator} / {} / {year} (first on line {first})",
                    economy.code
                ),
            );
            return Ok(());
        }
        self.seen.insert(key, line);
        self.sink
            .push(Observation {
                indicator: indicator.to_string(),
                economy: economy.code.clone(),
                year,
                value,
            })
            .map_err(|e| ImportError::new(&self.summary.file, e).at_line(line))?;
        self.summary.observations += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<ImportSummary, ImportError> {
        if self.summary.rows_read == 0 {
            return Err(ImportError::new(&self.summary.file, "no data rows").hint(
                "the file is empty or holds only a header; check that it is the right download",
            ));
        }
        self.summary.series = std::mem::take(&mut self.series).into_values().collect();
        Ok(self.summary)
    }
}

fn truncate(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}
