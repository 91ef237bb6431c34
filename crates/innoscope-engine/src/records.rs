//! Record-list datasets (C3, I1–I3): importing them into the store and
//! reading them back. A record dataset is one `records.json` (see
//! [`innoscope_core::records`]), written to a temporary directory and
//! renamed into place like every other dataset.

use std::path::{Path, PathBuf};

use innoscope_core::SeriesMeta;
use innoscope_core::records::Records;
use innoscope_import::ImportSummary;
use innoscope_import::records::{RecordFormat, read_records};
use sha2::{Digest, Sha256};

use crate::error::{EngineError, Result};
use crate::store::{
    DatasetKind, DatasetManifest, ImportReport, InputFile, RejectPolicy, SeriesInfo, Store, hex,
    validate_dataset_id,
};
use crate::{Engine, Origin};

/// Options of a record import.
#[derive(Clone, Debug, Default)]
pub struct RecordOptions {
    /// Vintage to record (publication date of the list).
    pub vintage: Option<String>,
    /// Mark the dataset as generated (fixtures, demos): every table made from
    /// it says so.
    pub synthetic: bool,
    /// Ranked lists: keep entries ranked up to this (bundles stay small).
    pub max_rank: Option<u32>,
    /// Source and licence to record instead of the format's publisher
    /// (fixtures, re-publications).
    pub source: Option<(String, String)>,
}

impl Store {
    /// Import record files (all of one family) as dataset `id`.
    pub fn import_records(
        &self,
        id: &str,
        inputs: &[(PathBuf, RecordFormat)],
        options: &RecordOptions,
        policy: RejectPolicy,
    ) -> Result<ImportReport> {
        validate_dataset_id(id)?;
        let lock = self.lock_for_write()?;
        let mut all: Option<Records> = None;
        let mut summaries: Vec<ImportSummary> = Vec::new();
        let mut files = Vec::new();
        let mut hasher = Sha256::new();
        let mut sources = std::collections::BTreeSet::new();
        for (path, format) in inputs {
            let bytes = std::fs::read(path).map_err(|e| EngineError::io(path, e))?;
            let digest = hex(&Sha256::digest(&bytes));
            hasher.update(digest.as_bytes());
            let read = read_records(path, &mut bytes.as_slice(), *format)?;
            sources.insert(
                options
                    .source
                    .clone()
                    .unwrap_or((read.source.clone(), read.licence.clone())),
            );
            match &mut all {
                None => all = Some(read.records),
                Some(a) => a
                    .extend(read.records)
                    .map_err(|m| EngineError::input(path, None, None, m))?,
            }
            files.push(InputFile::new(
                path,
                format.name(),
                digest,
                bytes.len() as u64,
            ));
            summaries.push(read.summary);
        }
        let mut records =
            all.ok_or_else(|| EngineError::missing("no input files", "name the files"))?;
        let mut kept_note = None;
        if let (Some(max), Records::RankedList(rows)) = (options.max_rank, &mut records) {
            rows.retain(|r| r.rank <= max);
            kept_note = Some(format!("entries ranked 1–{max} kept"));
        }
        let rejected: Vec<_> = summaries
            .iter()
            .flat_map(|s| s.rejected.iter().cloned())
            .collect();
        if !rejected.is_empty() && policy == RejectPolicy::Strict {
            return Err(EngineError::Rejected { rejected });
        }
        let content = hex(&hasher.finalize());
        let tmp = self.dir().join(format!(".tmp-{id}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(|e| EngineError::io(&tmp, e))?;
        let result = (|| {
            let json = serde_json::to_vec(&records)
                .map_err(|e| EngineError::store(&tmp, format!("cannot encode records: {e}")))?;
            std::fs::write(tmp.join("records.json"), json)
                .map_err(|e| EngineError::io(tmp.join("records.json"), e))?;
            let (first, last) = records.years().unwrap_or((0, 0));
            let economies = economies(&records);
            let series = sources
                .iter()
                .map(|(source, licence)| SeriesInfo {
                    meta: SeriesMeta {
                        indicator: format!("RECORDS.{}", records.family().to_ascii_uppercase()),
                        name_en: format!("{} records", records.family()),
                        name_zh: format!("{}记录", records.family()),
                        unit: "records".into(),
                        source: source.clone(),
                        licence: licence.clone(),
                        vintage: options.vintage.clone().unwrap_or_default(),
                        dims: Vec::new(),
                    },
                    observations: records.len() as u64,
                    economies,
                    first_year: first,
                    last_year: last,
                })
                .collect();
            let mut notes: Vec<String> = summaries
                .iter()
                .flat_map(|s| s.notes.iter().cloned())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            notes.extend(kept_note.clone());
            if options.synthetic {
                notes.insert(0, SYNTHETIC_NOTE.to_string());
            }
            let entry = DatasetManifest {
                id: id.to_string(),
                dir: format!("{id}-{}", &content[..12]),
                inputs: files.clone(),
                imported_at: self.now(),
                rows: records.len() as u64,
                series,
                redistributable: true,
                notes,
                kind: DatasetKind::Records,
                patents: None,
                vintages: Vec::new(),
            };
            let replaced = self.commit(&tmp, entry.clone())?;
            Ok(ImportReport {
                dataset: entry,
                summaries: summaries.clone(),
                replaced,
                removed_leftovers: lock.removed.clone(),
            })
        })();
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result
    }
}

impl Store {
    /// Mark a dataset as a generated fixture (its tables say "synthetic").
    pub fn mark_synthetic(&self, id: &str) -> Result<()> {
        let _lock = self.lock_for_write()?;
        let mut m = self.manifest()?;
        let d = m
            .datasets
            .get_mut(id)
            .ok_or_else(|| EngineError::missing(format!("no dataset `{id}`"), "import it first"))?;
        if d.notes.first().map(String::as_str) != Some(SYNTHETIC_NOTE) {
            d.notes.insert(0, SYNTHETIC_NOTE.to_string());
        }
        crate::store::write_manifest(self.dir(), &m)
    }
}

/// First note of a dataset imported with [`RecordOptions::synthetic`].
pub const SYNTHETIC_NOTE: &str =
    "synthetic fixture: invented values in a real layout, for demonstration and tests only";

fn economies(r: &Records) -> u64 {
    let set: std::collections::BTreeSet<&str> = match r {
        Records::RankedList(v) => v.iter().filter_map(|x| x.economy.as_deref()).collect(),
        Records::Scoreboard(v) => v.iter().filter_map(|x| x.economy.as_deref()).collect(),
        Records::Unicorns(v) => v.iter().filter_map(|x| x.economy.as_deref()).collect(),
        Records::VentureCapital(v) => v.iter().filter_map(|x| x.economy.as_deref()).collect(),
    };
    set.len() as u64
}

/// A record dataset read back, with what it says about itself.
pub struct RecordSet {
    pub info: crate::DatasetInfo,
    pub records: Records,
}

impl RecordSet {
    /// Whether the dataset is a generated fixture.
    pub fn synthetic(&self) -> bool {
        self.info
            .manifest
            .notes
            .first()
            .is_some_and(|n| n == SYNTHETIC_NOTE)
    }
}

impl Engine {
    /// Every record dataset of a family (`ranked-list`, `scoreboard`,
    /// `unicorns`, `venture-capital`), the user's store first.
    pub fn records(&self, family: &str) -> Result<Vec<RecordSet>> {
        let mut out = Vec::new();
        let mut infos: Vec<&crate::DatasetInfo> = self
            .datasets()
            .iter()
            .filter(|d| d.manifest.kind == DatasetKind::Records)
            .collect();
        infos.sort_by_key(|d| (d.origin != Origin::Store, d.manifest.id.clone()));
        for info in infos {
            let bytes: std::borrow::Cow<'_, [u8]> = match info.origin {
                Origin::Bundled => crate::bundled::records_file(&info.manifest)?.into(),
                Origin::Store => {
                    let dir = self.store_dir().ok_or_else(|| {
                        EngineError::missing("no data directory", "pass --data-dir")
                    })?;
                    let path: PathBuf = dir
                        .join("datasets")
                        .join(&info.manifest.dir)
                        .join("records.json");
                    std::fs::read(&path)
                        .map_err(|e| EngineError::io(&path, e))?
                        .into()
                }
            };
            let records: Records = serde_json::from_slice(&bytes).map_err(|e| {
                EngineError::store(
                    Path::new(&info.manifest.dir).join("records.json"),
                    format!("unreadable records ({e}); re-import the dataset"),
                )
            })?;
            if records.family() == family {
                out.push(RecordSet {
                    info: info.clone(),
                    records,
                });
            }
        }
        Ok(out)
    }
}
