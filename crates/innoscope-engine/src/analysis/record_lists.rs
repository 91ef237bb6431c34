//! What the analyses over record lists (C3, I1, I2, I3) share: the mapping
//! files of `data/reference/` with the user's overrides, the source note of
//! a record dataset, and the synthetic flag. Each analysis has its own file;
//! each reads the record datasets of its family (the user's store first,
//! then the bundled data) and says which dataset and edition it used.

use std::collections::BTreeMap;

use innoscope_core::{SourceNote, Text};

use crate::error::{EngineError, Result};
use crate::records::RecordSet;

pub(super) const INDUSTRY_GROUPS: &str =
    include_str!("../../../../data/reference/industry-groups.csv");
pub(super) const UNICORN_SECTORS: &str =
    include_str!("../../../../data/reference/unicorn-sectors.csv");
pub(super) const VC_SECTORS: &str = include_str!("../../../../data/reference/vc-sectors.csv");

/// Economies, sectors or firms shown by the record analyses.
pub(super) const RECORDS_TOP: usize = 10;

pub(super) fn note(set: &RecordSet) -> SourceNote {
    let s = set.info.manifest.series.first();
    SourceNote {
        dataset: set.info.manifest.id.clone(),
        indicators: vec![format!("records: {}", set.records.family())],
        source: s.map(|s| s.meta.source.clone()).unwrap_or_default(),
        licence: s.map(|s| s.meta.licence.clone()).unwrap_or_default(),
        vintage: s
            .map(|s| s.meta.vintage.clone())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| crate::vintage_of(&set.info)),
    }
}

/// A mapping file `key,id,en,zh` (built in, or the user's with the same
/// header): key (case-insensitive) → (id, names).
pub(super) fn mapping(
    builtin: &str,
    user: Option<&str>,
    what: &str,
) -> Result<BTreeMap<String, (String, Text)>> {
    let (text, file) = match user {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| EngineError::io(path, e))?,
            path.to_string(),
        ),
        None => (builtin.to_string(), format!("<built-in {what}>")),
    };
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| EngineError::input(&file, Some(1), None, e.to_string()))?
        .clone();
    if header.len() != 4 {
        return Err(EngineError::input(
            &file,
            Some(1),
            None,
            format!(
                "a {what} file has four columns: key,id,name_en,name_zh (found {})",
                header.len()
            ),
        ));
    }
    let mut out = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| EngineError::input(&file, Some(line), None, e.to_string()))?;
        let key = rec[0].trim().to_lowercase();
        let id = rec[1].trim().to_string();
        if key.is_empty() || id.is_empty() {
            return Err(EngineError::input(
                &file,
                Some(line),
                Some(&header[if key.is_empty() { 0 } else { 1 }]),
                "empty",
            ));
        }
        out.insert(key, (id, Text::new(rec[2].trim(), rec[3].trim())));
    }
    Ok(out)
}

pub(super) fn synthetic_of(sets: &[&RecordSet]) -> bool {
    sets.iter().any(|s| s.synthetic())
}
