//! The on-disk store: one Parquet file of observations per dataset, and a
//! `manifest.json` with schema version, provenance and coverage.
//!
//! ```text
//! <data dir>/manifest.json
//! <data dir>/datasets/<id>-<content hash>/observations.parquet
//! ```
//!
//! Invariant: the store is never half-written. An import writes a new dataset
//! directory under a temporary name, renames it into place, then replaces
//! `manifest.json` by writing a temporary file and renaming it (an atomic
//! step); only then is the previous version of the dataset removed. A crash
//! at any point leaves the previous manifest and its files intact.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::schema::observation as observation_schema;
use arrow::array::{Float64Builder, Int32Builder, RecordBatch, StringBuilder};
use innoscope_core::{Observation, SeriesMeta};
use innoscope_import::{Format, ImportOptions, ImportSummary, Progress, Sink};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{EngineError, Result};

/// Version of the store layout; bumped when the schema or manifest changes.
pub const SCHEMA_VERSION: u32 = 1;
const BATCH_ROWS: usize = 64 * 1024;

/// The store manifest.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub schema_version: u32,
    pub datasets: BTreeMap<String, DatasetManifest>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            schema_version: SCHEMA_VERSION,
            datasets: BTreeMap::new(),
        }
    }
}

/// One input file of a dataset.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct InputFile {
    /// File name as given (the directory is not kept: it is the user's).
    pub name: String,
    pub format: String,
    pub sha256: String,
    pub bytes: u64,
}

impl InputFile {
    /// The record of `path` read as `format` (its file name only).
    pub fn new(path: &Path, format: &str, sha256: String, bytes: u64) -> InputFile {
        InputFile {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: format.to_string(),
            sha256,
            bytes,
        }
    }
}

/// Coverage of one series in a dataset.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SeriesInfo {
    #[serde(flatten)]
    pub meta: SeriesMeta,
    pub observations: u64,
    pub economies: u64,
    pub first_year: i32,
    pub last_year: i32,
}

/// What the manifest records about a dataset.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DatasetManifest {
    pub id: String,
    /// Directory under `datasets/` holding `observations.parquet`.
    pub dir: String,
    pub inputs: Vec<InputFile>,
    /// Import time, seconds since the Unix epoch (`SOURCE_DATE_EPOCH` when set,
    /// so that regenerated bundles are reproducible).
    pub imported_at: u64,
    pub rows: u64,
    pub series: Vec<SeriesInfo>,
    /// Whether innoscope may redistribute this dataset (false for WIPO).
    pub redistributable: bool,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Observations (statistics) or patent microdata.
    #[serde(default, skip_serializing_if = "DatasetKind::is_observations")]
    pub kind: DatasetKind,
    /// Tables and coverage of a patent dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patents: Option<PatentInfo>,
    /// Earlier versions of this dataset kept for comparison, newest first
    /// (at most [`Store::with_vintages`] of them; older ones are removed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vintages: Vec<Vintage>,
}

/// An earlier version of a dataset: its directory (kept under `datasets/`),
/// when it was imported, and the series it held.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Vintage {
    pub dir: String,
    pub imported_at: u64,
    pub series: Vec<SeriesInfo>,
}

/// How an import treats a dataset of the same id already in the store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UpdateMode {
    /// The series read replace their earlier versions; every other series
    /// of the dataset stays (the yearly refresh of one series).
    #[default]
    Merge,
    /// The files read become the whole dataset.
    Replace,
}

/// Earlier versions of a dataset kept by default.
pub const DEFAULT_VINTAGES: usize = 3;

/// What a dataset holds.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DatasetKind {
    /// `observations.parquet`: economy × year values of series.
    #[default]
    Observations,
    /// `appln/person/party/class.parquet`: patent microdata.
    Patents,
    /// `records.json`: a record list (ranked lists, scoreboard, unicorns,
    /// venture capital).
    Records,
}

impl DatasetKind {
    pub fn is_observations(&self) -> bool {
        *self == DatasetKind::Observations
    }
}

impl DatasetManifest {
    pub fn sources(&self) -> BTreeSet<(String, String)> {
        self.series
            .iter()
            .map(|s| (s.meta.source.clone(), s.meta.licence.clone()))
            .collect()
    }
}

/// What to do with rejected rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RejectPolicy {
    /// Any rejected row fails the import and leaves the store unchanged.
    #[default]
    Strict,
    /// Import the valid rows; report the rejected ones.
    KeepGoing,
}

/// Result of a successful import.
#[derive(Debug)]
pub struct ImportReport {
    pub dataset: DatasetManifest,
    pub summaries: Vec<ImportSummary>,
    pub replaced: bool,
    /// Leftovers of imports that were killed, removed before this one.
    pub removed_leftovers: Vec<String>,
}

/// One writer's exclusive hold on a store: an OS lock on `<store>/.lock`,
/// released when dropped (or when the process dies, so a killed import never
/// leaves the store locked). Writers queue behind it; readers do not take
/// it — they read `manifest.json`, which is replaced atomically, and the
/// dataset directories it names, which stay until a later manifest no
/// longer names them.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    /// What [`Store::lock_for_write`] cleaned up: temporary directories and
    /// files of imports whose process is gone.
    pub removed: Vec<String>,
}

/// A store directory.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
    /// The import time recorded in manifests; `None`: the clock.
    import_time: Option<u64>,
    mode: UpdateMode,
    keep_vintages: usize,
}

impl Store {
    /// Open (and create if missing) a store directory.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir.join("datasets")).map_err(|e| {
            EngineError::store(dir, format!("cannot create the data directory: {e}"))
        })?;
        Ok(Store {
            dir: dir.to_path_buf(),
            import_time: None,
            mode: UpdateMode::Merge,
            keep_vintages: DEFAULT_VINTAGES,
        })
    }

    /// Record `epoch` (seconds) as the import time of everything imported
    /// through this handle, for reproducible stores (the binary passes
    /// `SOURCE_DATE_EPOCH`); `None` keeps the clock.
    pub fn with_import_time(mut self, epoch: Option<u64>) -> Store {
        self.import_time = epoch;
        self
    }

    /// How imports through this handle treat an existing dataset of the
    /// same id (default: [`UpdateMode::Merge`]).
    pub fn with_update(mut self, mode: UpdateMode) -> Store {
        self.mode = mode;
        self
    }

    /// Keep at most `n` earlier versions of each dataset (0: none).
    pub fn with_vintages(mut self, n: usize) -> Store {
        self.keep_vintages = n;
        self
    }

    /// Wait for and take the store's write lock, then remove what killed
    /// imports left behind (their process is gone).
    pub fn lock_for_write(&self) -> Result<WriteLock> {
        let path = self.dir.join(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| EngineError::store(&path, e))?;
        file.lock()
            .map_err(|e| EngineError::store(&path, format!("cannot lock the store: {e}")))?;
        let removed = self.remove_leftovers();
        for r in &removed {
            tracing::warn!(leftover = %r, "removed the leftover of an interrupted import");
        }
        Ok(WriteLock {
            _file: file,
            removed,
        })
    }

    /// Temporary directories and files (`.tmp-<id>-<pid>`,
    /// `.<name>.tmp-<pid>`) of processes that no longer run. Only where the
    /// system tells whether a process runs (`/proc`); elsewhere nothing is
    /// removed.
    fn remove_leftovers(&self) -> Vec<String> {
        let proc = Path::new("/proc");
        if !proc.join("self").exists() {
            return Vec::new();
        }
        let me = std::process::id().to_string();
        let mut removed = Vec::new();
        // The store, its datasets, and inside each dataset its own
        // directory and its facts (an upgrade's or a cached
        // classification's temporaries).
        let datasets = self.dir.join("datasets");
        let mut dirs = vec![self.dir.clone(), datasets.clone()];
        if let Ok(entries) = std::fs::read_dir(&datasets) {
            let mut inside: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .flat_map(|p| [p.join(crate::facts::DIR), p])
                .collect();
            inside.sort();
            dirs.extend(inside);
        }
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Some(pid) = leftover_pid(&name) else {
                    continue;
                };
                if pid == me || proc.join(pid).exists() {
                    continue;
                }
                let p = e.path();
                let gone = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
                if gone.is_ok() {
                    removed.push(p.display().to_string());
                }
            }
        }
        removed.sort();
        removed
    }

    /// The import time to record now.
    pub(crate) fn now(&self) -> u64 {
        self.import_time.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        })
    }

    /// Open an existing store without creating anything (for reading).
    pub fn existing(dir: &Path) -> Option<Store> {
        dir.join("manifest.json").is_file().then(|| Store {
            dir: dir.to_path_buf(),
            import_time: None,
            mode: UpdateMode::Merge,
            keep_vintages: DEFAULT_VINTAGES,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn manifest(&self) -> Result<Manifest> {
        read_manifest(&self.dir.join("manifest.json"))
    }

    pub fn dataset_path(&self, d: &DatasetManifest) -> PathBuf {
        self.dir
            .join("datasets")
            .join(&d.dir)
            .join("observations.parquet")
    }

    /// Give every patent dataset of the store the analysis-ready facts of
    /// this innoscope ([`crate::facts`]) where it lacks them (imported by an
    /// older innoscope). Returns each patent dataset's id and whether it was
    /// upgraded; under the store's write lock, each dataset's facts renamed
    /// into place whole.
    pub fn upgrade_facts(&self) -> Result<Vec<(String, bool)>> {
        let _lock = self.lock_for_write()?;
        let manifest = self.manifest()?;
        let mut done = Vec::new();
        for d in manifest.datasets.values() {
            if d.kind != DatasetKind::Patents {
                continue;
            }
            let dir = self.dir.join("datasets").join(&d.dir);
            let started = std::time::Instant::now();
            let upgraded = crate::facts::upgrade(&dir)?;
            if upgraded {
                tracing::info!(dataset = %d.id, ms = started.elapsed().as_millis() as u64, "facts derived");
            }
            done.push((d.id.clone(), upgraded));
        }
        Ok(done)
    }

    /// Import `inputs` as dataset `id`, replacing any previous version.
    pub fn import(
        &self,
        id: &str,
        inputs: &[(PathBuf, Format)],
        options: &ImportOptions,
        policy: RejectPolicy,
        progress: &dyn Progress,
    ) -> Result<ImportReport> {
        validate_dataset_id(id)?;
        let lock = self.lock_for_write()?;
        let tmp = self.dir.join(format!(".tmp-{id}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(|e| EngineError::store(&tmp, e))?;
        let result = self.import_into(&tmp, id, inputs, options, policy, progress);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result.map(|r| ImportReport {
            removed_leftovers: lock.removed.clone(),
            ..r
        })
    }

    fn import_into(
        &self,
        tmp: &Path,
        id: &str,
        inputs: &[(PathBuf, Format)],
        options: &ImportOptions,
        policy: RejectPolicy,
        progress: &dyn Progress,
    ) -> Result<ImportReport> {
        let parquet_path = tmp.join("observations.parquet");
        let mut sink = ParquetSink::create(&parquet_path)?;
        let mut summaries = Vec::new();
        let mut files = Vec::new();
        let mut hasher = Sha256::new();
        for (path, format) in inputs {
            let file = File::open(path)
                .map_err(|e| EngineError::store(path, format!("cannot open: {e}")))?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            progress.start(path, len);
            // Hash while the importer streams the file: one pass, bounded memory.
            let mut hashing = Hashing {
                inner: std::io::BufReader::new(file),
                hasher: Sha256::new(),
                bytes: 0,
            };
            sink.current_file = path.display().to_string();
            let summary = {
                let mut counted = innoscope_import::input::Counting {
                    inner: &mut hashing,
                    progress,
                };
                innoscope_import::read_reader(path, &mut counted, *format, options, &mut sink)?
            };
            // Readers may stop before trailing bytes (JSON): hash the whole file.
            std::io::copy(&mut hashing, &mut std::io::sink())
                .map_err(|e| EngineError::store(path, e))?;
            progress.finish();
            let digest = hex(&hashing.hasher.finalize());
            hasher.update(digest.as_bytes());
            files.push(InputFile::new(path, format.name(), digest, hashing.bytes));
            summaries.push(summary);
        }
        let rejected: Vec<_> = summaries
            .iter()
            .flat_map(|s| s.rejected.iter().cloned())
            .collect();
        if !rejected.is_empty() && policy == RejectPolicy::Strict {
            return Err(EngineError::Rejected { rejected });
        }
        // Series of the dataset already in the store that these files do not
        // hold are carried over unchanged (UpdateMode::Merge).
        let mut carried: Vec<SeriesInfo> = Vec::new();
        let mut previous_inputs: Vec<InputFile> = Vec::new();
        if self.mode == UpdateMode::Merge
            && let Some(prev) = self.manifest()?.datasets.get(id)
            && prev.kind == DatasetKind::Observations
        {
            let fresh: BTreeSet<String> = sink.stats.keys().cloned().collect();
            carried = prev
                .series
                .iter()
                .filter(|s| !fresh.contains(&s.meta.indicator))
                .cloned()
                .collect();
            if !carried.is_empty() {
                let keep: BTreeSet<&str> =
                    carried.iter().map(|s| s.meta.indicator.as_str()).collect();
                carry_over(&self.dataset_path(prev), &keep, &mut sink)?;
                hasher.update(prev.dir.as_bytes());
                previous_inputs = prev.inputs.clone();
            }
        }
        let (rows, stats) = sink.finish()?;
        if rows == 0 {
            return Err(EngineError::missing(
                format!("no observations were read for dataset `{id}`"),
                "check the format (--format) and that the files hold values",
            ));
        }
        let mut series = Vec::new();
        let metas: BTreeMap<String, SeriesMeta> = carried
            .iter()
            .map(|s| s.meta.clone())
            .chain(summaries.iter().flat_map(|s| s.series.iter().cloned()))
            .map(|m| (m.indicator.clone(), m))
            .collect();
        for (indicator, st) in stats {
            let mut meta = metas
                .get(&indicator)
                .cloned()
                .unwrap_or_else(|| SeriesMeta {
                    indicator: indicator.clone(),
                    ..SeriesMeta::default()
                });
            if meta.vintage.is_empty() {
                meta.vintage = options.vintage.clone().unwrap_or_default();
            }
            series.push(SeriesInfo {
                meta,
                observations: st.observations,
                economies: st.economies.len() as u64,
                first_year: st.first_year,
                last_year: st.last_year,
            });
        }
        let content = hex(&hasher.finalize());
        let dir_name = format!("{id}-{}", &content[..12]);
        // The files behind the carried series stay in the provenance.
        for f in previous_inputs {
            if !files.iter().any(|g| g.sha256 == f.sha256) {
                files.push(f);
            }
        }
        let manifest_entry = DatasetManifest {
            id: id.to_string(),
            dir: dir_name.clone(),
            inputs: files,
            imported_at: self.now(),
            rows,
            series,
            redistributable: inputs.iter().all(|(_, f)| f.redistributable()),
            notes: summaries
                .iter()
                .flat_map(|s| s.notes.iter().cloned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            kind: DatasetKind::Observations,
            patents: None,
            vintages: Vec::new(),
        };
        let replaced = self.commit(tmp, manifest_entry.clone())?;
        Ok(ImportReport {
            dataset: manifest_entry,
            summaries,
            replaced,
            removed_leftovers: Vec::new(),
        })
    }

    /// Move a dataset written to `tmp` into place and swap the manifest
    /// atomically; then remove the version it replaces. Returns whether a
    /// dataset with the same id was replaced.
    pub(crate) fn commit(&self, tmp: &Path, entry: DatasetManifest) -> Result<bool> {
        let id = entry.id.clone();
        let dir_name = entry.dir.clone();
        let rows = entry.rows;
        let final_dir = self.dir.join("datasets").join(&dir_name);
        let mut manifest = self.manifest()?;
        let previous = manifest.datasets.get(&id).cloned();
        if final_dir.exists() {
            // Identical content imported before: keep the existing files.
            std::fs::remove_dir_all(tmp).map_err(|e| EngineError::store(tmp, e))?;
        } else {
            std::fs::rename(tmp, &final_dir).map_err(|e| EngineError::store(&final_dir, e))?;
        }
        // The version replaced becomes the newest vintage; vintages beyond
        // the number kept are dropped (their directories removed below,
        // after the manifest no longer names them).
        let mut entry = entry;
        let mut dropped: Vec<String> = Vec::new();
        if let Some(prev) = &previous {
            let mut vintages = Vec::new();
            if prev.dir != dir_name && prev.kind == DatasetKind::Observations {
                vintages.push(Vintage {
                    dir: prev.dir.clone(),
                    imported_at: prev.imported_at,
                    series: prev.series.clone(),
                });
            } else if prev.dir != dir_name {
                dropped.push(prev.dir.clone());
            }
            vintages.extend(prev.vintages.iter().filter(|v| v.dir != dir_name).cloned());
            if vintages.len() > self.keep_vintages {
                dropped.extend(vintages.drain(self.keep_vintages..).map(|v| v.dir));
            }
            entry.vintages = vintages;
        }
        manifest.datasets.insert(id.clone(), entry);
        write_manifest(&self.dir, &manifest)?;
        tracing::info!(dataset = %id, rows, dir = %dir_name, replaced = previous.is_some(), "import committed");
        for d in dropped {
            let _ = std::fs::remove_dir_all(self.dir.join("datasets").join(d));
        }
        Ok(previous.is_some())
    }
}

/// Push the observations of the series `keep` from a dataset's Parquet file
/// into `sink` (the series an import leaves as they were).
fn carry_over(path: &Path, keep: &BTreeSet<&str>, sink: &mut ParquetSink) -> Result<()> {
    sink.current_file = path.display().to_string();
    for_each_observation(path, &mut |indicator, economy, year, value| {
        if !keep.contains(indicator) {
            return Ok(());
        }
        sink.push(Observation {
            indicator: indicator.to_string(),
            economy: economy.to_string(),
            year,
            value,
        })
        .map_err(|e| EngineError::store(path, e))
    })
}

/// Every row of an `observations.parquet` file, as (indicator, economy,
/// year, value), in file order.
pub(crate) fn for_each_observation(
    path: &Path,
    f: &mut dyn FnMut(&str, &str, i32, f64) -> Result<()>,
) -> Result<()> {
    use arrow::array::{AsArray, Float64Array, Int32Array};
    use arrow::datatypes::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = File::open(path).map_err(|e| EngineError::store(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| EngineError::store(path, e))?
        .build()?;
    for batch in reader {
        let b = batch?;
        let cast = |name: &str, to: &DataType| -> Result<arrow::array::ArrayRef> {
            let c = b
                .column_by_name(name)
                .ok_or_else(|| EngineError::store(path, format!("no column `{name}`")))?;
            Ok(arrow::compute::cast(c, to)?)
        };
        let (ind, eco) = (
            cast("indicator", &DataType::Utf8)?,
            cast("economy", &DataType::Utf8)?,
        );
        let (year, value) = (
            cast("year", &DataType::Int32)?,
            cast("value", &DataType::Float64)?,
        );
        let (ind, eco) = (ind.as_string::<i32>(), eco.as_string::<i32>());
        let year = year
            .as_any()
            .downcast_ref::<Int32Array>()
            .expect("cast to Int32");
        let value = value
            .as_any()
            .downcast_ref::<Float64Array>()
            .expect("cast to Float64");
        for i in 0..b.num_rows() {
            f(ind.value(i), eco.value(i), year.value(i), value.value(i))?;
        }
    }
    Ok(())
}

/// The process id in the name of a temporary the project writes:
/// `.tmp-<id>-<pid>` (imports) or `.<file>.tmp-<pid>` (atomic writes, the
/// facts' `.facts.tmp-<pid>` and `.class-<fp>-<n>.tmp-<pid>`).
fn leftover_pid(name: &str) -> Option<&str> {
    if !name.starts_with('.') || !name.contains(".tmp-") && !name.starts_with(".tmp-") {
        return None;
    }
    let pid = name.rsplit('-').next()?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(pid)
}

pub(crate) fn validate_dataset_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(EngineError::bad_param(
            "dataset",
            format!(
                "`{id}` is not a valid dataset id (use lower-case letters, digits, `-` and `_`)"
            ),
        ))
    }
}

pub(crate) fn read_manifest(path: &Path) -> Result<Manifest> {
    match std::fs::read(path) {
        Ok(bytes) => parse_manifest(path, &bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(EngineError::store(path, e)),
    }
}

pub(crate) fn parse_manifest(path: &Path, bytes: &[u8]) -> Result<Manifest> {
    let m: Manifest = serde_json::from_slice(bytes).map_err(|e| {
        EngineError::store(path, format!("line {}: invalid manifest: {e}", e.line()))
    })?;
    if m.schema_version != SCHEMA_VERSION {
        return Err(EngineError::store(
            path,
            format!(
                "store schema version {} is not supported (this innoscope writes version {SCHEMA_VERSION}); re-import the data",
                m.schema_version
            ),
        ));
    }
    Ok(m)
}

pub(crate) fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let mut text = serde_json::to_string_pretty(manifest).expect("manifest serialises");
    text.push('\n');
    crate::atomic::write(&dir.join("manifest.json"), text)
}

/// A reader that hashes what passes through it.
pub(crate) struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R> Hashing<R> {
    pub(crate) fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Hex digest and byte count of what was read.
    pub(crate) fn finish(self) -> (String, u64) {
        (hex(&self.hasher.finalize()), self.bytes)
    }
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Default)]
struct Coverage {
    observations: u64,
    economies: BTreeSet<String>,
    first_year: i32,
    last_year: i32,
}

/// Streams observations into a Parquet file in fixed-size batches, tracking
/// coverage and rejecting a key seen in an earlier file of the same dataset.
struct ParquetSink {
    writer: ArrowWriter<File>,
    indicator: StringBuilder,
    economy: StringBuilder,
    year: Int32Builder,
    value: Float64Builder,
    pending: usize,
    rows: u64,
    stats: BTreeMap<String, Coverage>,
    seen: HashMap<(String, String, i32), String>,
    current_file: String,
}

impl ParquetSink {
    fn create(path: &Path) -> Result<ParquetSink> {
        let file = File::create(path).map_err(|e| EngineError::store(path, e))?;
        let props = WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .set_created_by("innoscope".to_string())
            .build();
        let writer = ArrowWriter::try_new(file, observation_schema(), Some(props))?;
        Ok(ParquetSink {
            writer,
            indicator: StringBuilder::new(),
            economy: StringBuilder::new(),
            year: Int32Builder::new(),
            value: Float64Builder::new(),
            pending: 0,
            rows: 0,
            stats: BTreeMap::new(),
            seen: HashMap::new(),
            current_file: String::new(),
        })
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let batch = RecordBatch::try_new(
            observation_schema(),
            vec![
                Arc::new(self.indicator.finish()),
                Arc::new(self.economy.finish()),
                Arc::new(self.year.finish()),
                Arc::new(self.value.finish()),
            ],
        )?;
        self.writer.write(&batch)?;
        self.pending = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<(u64, BTreeMap<String, Coverage>)> {
        self.flush()?;
        self.writer.close()?;
        Ok((self.rows, self.stats))
    }
}

impl Sink for ParquetSink {
    fn push(&mut self, obs: Observation) -> Result<(), String> {
        let key = (obs.indicator.clone(), obs.economy.clone(), obs.year);
        if let Some(first) = self.seen.get(&key) {
            if *first != self.current_file {
                return Err(format!(
                    "{} / {} / {} is also in {first}; import the files as separate datasets or remove the overlap",
                    obs.indicator, obs.economy, obs.year
                ));
            }
        } else {
            self.seen.insert(key, self.current_file.clone());
        }
        let st = self
            .stats
            .entry(obs.indicator.clone())
            .or_insert_with(|| Coverage {
                first_year: i32::MAX,
                last_year: i32::MIN,
                ..Coverage::default()
            });
        st.observations += 1;
        st.first_year = st.first_year.min(obs.year);
        st.last_year = st.last_year.max(obs.year);
        if !st.economies.contains(&obs.economy) {
            st.economies.insert(obs.economy.clone());
        }
        self.indicator.append_value(&obs.indicator);
        self.economy.append_value(&obs.economy);
        self.year.append_value(obs.year);
        self.value.append_value(obs.value);
        self.pending += 1;
        self.rows += 1;
        if self.pending >= BATCH_ROWS {
            self.flush().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// What the manifest records about a patent dataset.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PatentInfo {
    pub tables: BTreeMap<String, u64>,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    /// What the source formats lack and the analyses that rules out.
    #[serde(default)]
    pub lacks: Vec<LackNote>,
    /// Generated data (`innoscope synth patstat`): every figure built from
    /// it is marked "synthetic demo data".
    #[serde(default)]
    pub synthetic: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct LackNote {
    pub format: String,
    pub what: String,
    pub rules_out: String,
    #[serde(default)]
    pub what_zh: String,
    #[serde(default)]
    pub rules_out_zh: String,
}
