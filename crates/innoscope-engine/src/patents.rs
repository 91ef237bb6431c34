//! Patent datasets in the store: four canonical Parquet tables per dataset
//! (`appln`, `person`, `party`, `class`; see [`innoscope_core::patent`]).
//!
//! ```text
//! <data dir>/datasets/<id>-<content hash>/{appln,person,party,class}.parquet
//! ```
//!
//! Imports follow the store's protocol (temporary directory, rename, manifest
//! swap): a failed or rejected import leaves the store as it was. Reading
//! and writing the tables holds one batch per table whatever the input size;
//! deriving the analysis-ready facts afterwards ([`crate::facts`]) holds each
//! link's application and country rank (16 bytes a link, and 2 bytes per
//! person id): about 1 GB at 10M applications, about 7 GB at PATSTAT's 408M
//! links. A sort in bounded runs would remove that.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arrow::array::{
    Array, ArrayRef, AsArray, Int32Builder, Int64Builder, RecordBatch, StringArray, StringBuilder,
};
use arrow::datatypes::{DataType, SchemaRef};
use innoscope_core::patent;
use innoscope_import::Progress;
use innoscope_import::patents::IdAllocator;
use innoscope_import::patents::patstat::{self, PatstatTable};
use innoscope_import::patents::{
    ApplnRow, ClassRow, Lack, PartyRow, PatentFormat, PatentSink, PatentSummary, PersonRow,
    TableCounts,
};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::properties::WriterProperties;
use sha2::{Digest, Sha256};

use crate::error::{EngineError, Result};
use crate::store::{DatasetManifest, InputFile, RejectPolicy, Store, hex};

const BATCH_ROWS: usize = 64 * 1024;

pub use crate::store::{LackNote, PatentInfo};

/// Result of a patent import.
#[derive(Debug)]
pub struct PatentImportReport {
    pub dataset: DatasetManifest,
    pub summaries: Vec<PatentSummary>,
    pub replaced: bool,
    /// Leftovers of imports that were killed, removed before this one.
    pub removed_leftovers: Vec<String>,
}

/// Options of a patent import.
#[derive(Clone, Debug, Default)]
pub struct PatentImportOptions {
    pub policy: RejectPolicy,
    pub synthetic: bool,
    pub source: Option<String>,
    pub licence: Option<String>,
    /// Whether the data may be bundled and shared (generated data always may).
    pub redistributable: bool,
    /// Files per table (1: one `<table>.parquet`; more: `<table>/part-NNNN.parquet`
    /// of contiguous row ranges, so that each cluster executor reads its own).
    pub partitions: usize,
    /// PatentsView: only the patents filed in these years (inclusive).
    pub years: Option<(i32, i32)>,
}

impl Store {
    /// Import patent files as dataset `id` (replacing any previous version).
    pub fn import_patents(
        &self,
        id: &str,
        inputs: &[(PathBuf, PatentFormat)],
        options: &PatentImportOptions,
        progress: &dyn Progress,
    ) -> Result<PatentImportReport> {
        crate::store::validate_dataset_id(id)?;
        let lock = self.lock_for_write()?;
        let tmp = self.dir().join(format!(".tmp-{id}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(|e| EngineError::store(&tmp, e))?;
        let result = self.import_patents_into(&tmp, id, inputs, options, progress);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        result.map(|r| PatentImportReport {
            removed_leftovers: lock.removed.clone(),
            ..r
        })
    }

    fn import_patents_into(
        &self,
        tmp: &Path,
        id: &str,
        inputs: &[(PathBuf, PatentFormat)],
        options: &PatentImportOptions,
        progress: &dyn Progress,
    ) -> Result<PatentImportReport> {
        let tables = Tables::create(tmp)?;
        // PATSTAT: read persons and applications before the link tables, so
        // that a reader of the store sees the same order whatever the
        // command line order was. PatentsView: locations and filing dates
        // before patents, patents before their parties and symbols.
        let mut ordered: Vec<&(PathBuf, PatentFormat)> = inputs.iter().collect();
        ordered.sort_by_key(|(p, f)| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let rank = PatstatTable::from_file_name(name)
                .map(|t| t as usize)
                .or_else(|| {
                    innoscope_import::patents::patentsview::PatentsViewTable::from_file_name(name)
                        .map(|t| t.rank())
                })
                .unwrap_or(usize::MAX);
            (*f != PatentFormat::Patstat, rank, p.clone())
        });
        if let Some((a, b)) = options.years
            && let Some((p, _)) = inputs.iter().find(|(_, f)| *f != PatentFormat::PatentsView)
        {
            return Err(EngineError::bad_param(
                "years",
                format!(
                    "--years {a}:{b} selects PatentsView tables only, and {} is not one",
                    p.display()
                ),
            ));
        }
        let results = if let Some(groups) = patstat_groups(&ordered) {
            read_parallel(&groups, &tables, progress)?
        } else {
            let mut ids = IdAllocator::with_years(options.years);
            let mut writer = PatentWriter::new(&tables);
            let mut out = Vec::new();
            for (path, format) in &ordered {
                out.push(read_one(path, *format, &mut ids, &mut writer, progress)?);
            }
            writer.finish()?;
            out
        };
        let mut summaries = Vec::new();
        let mut files = Vec::new();
        let mut hasher = Sha256::new();
        for (mut s, input) in results {
            hasher.update(input.sha256.as_bytes());
            files.push(input);
            summaries.append(&mut s);
        }
        let rejected: Vec<_> = summaries
            .iter()
            .flat_map(|s| s.rejected.iter().cloned())
            .collect();
        if !rejected.is_empty() && options.policy == RejectPolicy::Strict {
            return Err(EngineError::Rejected { rejected });
        }
        let (counts, years) = tables.finish()?;
        let names: Vec<String> = inputs
            .iter()
            .filter_map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        if counts.appln == 0 && counts.party == 0 && counts.class == 0 && counts.person == 0 {
            return Err(EngineError::missing(
                format!(
                    "no patent rows were read for dataset `{id}` (files: {}): a header without records?",
                    names.join(", ")
                ),
                "check the format (--format) and that the files hold records",
            ));
        }
        if counts.appln == 0 {
            // A link or classification table alone would replace the whole
            // dataset with one that has no application.
            return Err(EngineError::missing(
                format!(
                    "no application was read for dataset `{id}` (files: {}); a patent dataset is imported whole, and this import would replace it with one that has no applications",
                    names.join(", ")
                ),
                "import every table of the dataset together, e.g. `innoscope import --format patstat tls201_appln*.csv tls206_person*.csv tls207_pers_appln*.csv tls209_appln_ipc*.csv`",
            ));
        }
        // The analysis-ready facts, beside the tables (renamed with them);
        // deriving them reads every id, so it checks the references too.
        let integrity = crate::facts::write(tmp)?;
        if let Some(problem) = integrity.problem()
            && options.policy == RejectPolicy::Strict
        {
            return Err(EngineError::missing(
                format!("dataset `{id}`: {problem}"),
                "an application appears once in tls201, and every link (tls207) and symbol (tls209/tls224) names an application of tls201 and a person of tls206: import the matching parts together, remove duplicated parts, or pass --keep-going to import anyway (the note is kept with the dataset)",
            ));
        }
        let mut lacks = BTreeSet::new();
        for s in &summaries {
            for Lack {
                what,
                rules_out,
                what_zh,
                rules_out_zh,
            } in &s.lacks
            {
                lacks.insert(LackNote {
                    format: s.format.clone(),
                    what: what.clone(),
                    rules_out: rules_out.clone(),
                    what_zh: what_zh.clone(),
                    rules_out_zh: rules_out_zh.clone(),
                });
            }
        }
        let content = hex(&hasher.finalize());
        let dir_name = format!("{id}-{}", &content[..12]);
        let tables: BTreeMap<String, u64> = [
            ("appln", counts.appln),
            ("person", counts.person),
            ("party", counts.party),
            ("class", counts.class),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let mut notes: BTreeSet<String> = summaries
            .iter()
            .flat_map(|s| s.notes.iter().cloned())
            .collect();
        if let Some(src) = &options.source {
            notes.insert(format!("source: {src}"));
        }
        if let Some(problem) = integrity.problem() {
            notes.insert(format!("imported with --keep-going although {problem}"));
        }
        let entry = DatasetManifest {
            id: id.to_string(),
            dir: dir_name.clone(),
            inputs: files,
            imported_at: self.now(),
            rows: counts.appln + counts.person + counts.party + counts.class,
            series: Vec::new(),
            redistributable: options.synthetic || options.redistributable,
            notes: notes.into_iter().collect(),
            kind: crate::store::DatasetKind::Patents,
            patents: Some(PatentInfo {
                tables,
                first_year: years.map(|y| y.0),
                last_year: years.map(|y| y.1),
                lacks: lacks.into_iter().collect(),
                synthetic: options.synthetic,
            }),
            vintages: Vec::new(),
        };
        if options.partitions > 1 {
            for t in patent::TABLES {
                split_table(tmp, t, options.partitions)?;
            }
        }
        // The same content imported by an older innoscope keeps its files
        // (the directory is named by the inputs' hash): give it the facts.
        let existing = self.dir().join("datasets").join(&dir_name);
        if existing.is_dir() && !crate::facts::present(&existing) {
            crate::facts::replace(&existing, &tmp.join(crate::facts::DIR))?;
        }
        let replaced = self.commit(tmp, entry.clone())?;
        Ok(PatentImportReport {
            dataset: entry,
            summaries,
            replaced,
            removed_leftovers: Vec::new(),
        })
    }
}

/// Read the patent tables inside a zip archive, as PATSTAT and PatentsView
/// deliver them (`tls207_part01.zip` holding `tls207_pers_appln_part01.csv`;
/// `g_patent.tsv.zip` holding `g_patent.tsv`). Entries are
/// read in name order; messages name `archive.zip/entry.csv`.
fn read_zip(
    path: &Path,
    format: PatentFormat,
    ids: &mut IdAllocator,
    sink: &mut PatentWriter<'_>,
) -> Result<Vec<PatentSummary>> {
    let file = File::open(path).map_err(|e| EngineError::store(path, e))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| EngineError::store(path, format!("not a readable zip archive: {e}")))?;
    let mut names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| {
            let f = archive.by_index(i).ok()?;
            let name = f.name().to_string();
            let lower = name.to_ascii_lowercase();
            let table = lower.ends_with(".csv") || lower.ends_with(".tsv");
            (!f.is_dir() && table).then_some((name, i))
        })
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(EngineError::store(
            path,
            "the archive holds no .csv or .tsv file",
        ));
    }
    let mut out = Vec::new();
    for (name, i) in names {
        let entry = archive
            .by_index(i)
            .map_err(|e| EngineError::store(path, format!("{name}: {e}")))?;
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        let shown = path.join(&base);
        let mut reader = std::io::BufReader::with_capacity(1 << 20, entry);
        out.push(innoscope_import::patents::read_patent_file(
            &shown,
            &mut reader,
            format,
            ids,
            sink,
        )?);
    }
    Ok(out)
}

/// What one input file gave: its summaries (several for a zip) and its
/// manifest entry.
type FileResult = (Vec<PatentSummary>, InputFile);

/// What a worker read: (group index, its files' results).
type WorkerResult = Result<Vec<(usize, Vec<FileResult>)>>;

/// Read one input file (CSV/TSV stream, Parquet table or zip archive) into `writer`.
fn read_one(
    path: &Path,
    format: PatentFormat,
    ids: &mut IdAllocator,
    writer: &mut PatentWriter<'_>,
    progress: &dyn Progress,
) -> Result<FileResult> {
    let file =
        File::open(path).map_err(|e| EngineError::store(path, format!("cannot open: {e}")))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    progress.start(path, len);
    let ext = |x: &str| path.extension().is_some_and(|e| e.eq_ignore_ascii_case(x));
    let result = if ext("zip") {
        let found = read_zip(path, format, ids, writer)?;
        let (digest, bytes) = hash_file(path)?;
        progress.advance(bytes);
        (found, InputFile::new(path, format.name(), digest, bytes))
    } else if ext("parquet") {
        let summary = read_patstat_parquet(path, writer)?;
        let (digest, bytes) = hash_file(path)?;
        progress.advance(bytes);
        (
            vec![summary],
            InputFile::new(path, format.name(), digest, bytes),
        )
    } else {
        let mut hashing =
            crate::store::Hashing::new(std::io::BufReader::with_capacity(1 << 20, file));
        let summary = {
            let mut counted = innoscope_import::input::Counting {
                inner: &mut hashing,
                progress,
            };
            innoscope_import::patents::read_patent_file(path, &mut counted, format, ids, writer)?
        };
        std::io::copy(&mut hashing, &mut std::io::sink())
            .map_err(|e| EngineError::store(path, e))?;
        let (digest, bytes) = hashing.finish();
        (
            vec![summary],
            InputFile::new(path, format.name(), digest, bytes),
        )
    };
    progress.finish();
    Ok(result)
}

/// PATSTAT CSV files grouped by table (parts in name order), when every
/// input is one and there are two or more tables: such tables are
/// independent and can be read in parallel.
fn patstat_groups<'a>(ordered: &[&'a (PathBuf, PatentFormat)]) -> Option<Vec<Vec<&'a Path>>> {
    let mut groups: BTreeMap<PatstatTable, Vec<&Path>> = BTreeMap::new();
    for (path, format) in ordered {
        let name = path.file_name()?.to_str()?;
        let csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if *format != PatentFormat::Patstat || !csv {
            return None;
        }
        groups
            .entry(PatstatTable::from_file_name(name)?)
            .or_default()
            .push(path.as_path());
    }
    (groups.len() > 1).then(|| groups.into_values().collect())
}

/// Read table groups on worker threads (one group per worker at a time, the
/// largest first); results come back in the groups' order.
fn read_parallel(
    groups: &[Vec<&Path>],
    tables: &Tables,
    progress: &dyn Progress,
) -> Result<Vec<FileResult>> {
    let size = |g: &Vec<&Path>| -> u64 {
        g.iter()
            .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            .sum()
    };
    let mut queue: Vec<usize> = (0..groups.len()).collect();
    queue.sort_by_key(|&i| std::cmp::Reverse(size(&groups[i])));
    let total: u64 = groups.iter().map(size).sum();
    progress.start(
        Path::new(&format!("{} PATSTAT tables", groups.len())),
        total,
    );
    let queue = Mutex::new(queue);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(groups.len());
    let results: Vec<WorkerResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let queue = &queue;
                scope.spawn(move || -> WorkerResult {
                    let mut done = Vec::new();
                    loop {
                        let next = queue.lock().ok().and_then(|mut q| {
                            if q.is_empty() {
                                None
                            } else {
                                Some(q.remove(0))
                            }
                        });
                        let Some(g) = next else { break };
                        let mut ids = IdAllocator::default();
                        let mut writer = PatentWriter::new(tables);
                        let mut out = Vec::new();
                        for path in &groups[g] {
                            // Byte progress of the whole import, from every worker.
                            let counted = ProgressShare { inner: progress };
                            let r = read_one(
                                path,
                                PatentFormat::Patstat,
                                &mut ids,
                                &mut writer,
                                &counted,
                            );
                            out.push(r?);
                        }
                        writer.finish()?;
                        done.push((g, out));
                    }
                    Ok(done)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(EngineError::store("<import>", "a reader thread panicked"))
                })
            })
            .collect()
    });
    progress.finish();
    let mut by_group: BTreeMap<usize, Vec<FileResult>> = BTreeMap::new();
    for r in results {
        for (g, out) in r? {
            by_group.insert(g, out);
        }
    }
    Ok(by_group.into_values().flatten().collect())
}

/// Passes byte counts to the import's progress, but not the per-file
/// start/finish (workers read several files at once).
struct ProgressShare<'a> {
    inner: &'a dyn Progress,
}

impl Progress for ProgressShare<'_> {
    fn advance(&self, bytes: u64) {
        self.inner.advance(bytes);
    }
}

fn hash_file(path: &Path) -> Result<(String, u64)> {
    let file = File::open(path).map_err(|e| EngineError::store(path, e))?;
    let mut h = crate::store::Hashing::new(std::io::BufReader::new(file));
    std::io::copy(&mut h, &mut std::io::sink()).map_err(|e| EngineError::store(path, e))?;
    Ok(h.finish())
}

/// Read a PATSTAT table delivered as Parquet (same column names as the CSV).
/// Each batch's columns are read as text and every row goes through
/// [`patstat::map_row`], the mapping the CSV reader uses, so both deliveries
/// give the same canonical rows; rejections name the row of the file.
fn read_patstat_parquet(path: &Path, sink: &mut PatentWriter<'_>) -> Result<PatentSummary> {
    use innoscope_import::ImportError;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let table = PatstatTable::from_file_name(&name).ok_or_else(|| {
        EngineError::Import(ImportError::new(path, "not a PATSTAT table file name"))
    })?;
    let file = File::open(path).map_err(|e| EngineError::store(path, e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| EngineError::store(path, format!("not a readable Parquet file: {e}")))?;
    let schema = builder.schema().clone();
    for c in table.required() {
        if schema.column_with_name(c).is_none() {
            return Err(EngineError::Import(table.missing_column(path, c, 0)));
        }
    }
    let reader = builder.with_batch_size(BATCH_ROWS).build()?;
    let mut s = PatentSummary::new(path, "patstat");
    let mut row_no: u64 = 0;
    for batch in reader {
        let b = batch?;
        let cols = table
            .columns()
            .iter()
            .map(|c| match b.column_by_name(c) {
                Some(a) => {
                    let a = arrow::compute::cast(a, &DataType::Utf8)?;
                    Ok(Some(a.as_string::<i32>().clone()))
                }
                None => Ok(None),
            })
            .collect::<Result<Vec<Option<StringArray>>>>()?;
        for i in 0..b.num_rows() {
            row_no += 1;
            s.rows_read += 1;
            let kept = s.rejected.len();
            let cells = BatchRow { cols: &cols, i };
            patstat::map_row(table, &cells, row_no, &mut s, sink)
                .map_err(|e| EngineError::store(path, e))?;
            for r in &mut s.rejected[kept..] {
                r.reason
                    .push_str(&format!(" (row {row_no} of the Parquet file)"));
            }
        }
    }
    Ok(s)
}

/// Row `i` of a Parquet batch whose columns were read as text.
struct BatchRow<'b> {
    cols: &'b [Option<StringArray>],
    i: usize,
}

impl patstat::PatstatCells for BatchRow<'_> {
    fn cell(&self, c: usize) -> Option<&[u8]> {
        let a = self.cols[c].as_ref()?;
        (!a.is_null(self.i)).then(|| a.value(self.i).as_bytes())
    }
}

/// One canonical table being written.
struct TableWriter {
    writer: ArrowWriter<File>,
    schema: SchemaRef,
    rows: u64,
}

impl TableWriter {
    fn create(dir: &Path, name: &str, schema: SchemaRef) -> Result<TableWriter> {
        let path = dir.join(format!("{name}.parquet"));
        let file = File::create(&path).map_err(|e| EngineError::store(&path, e))?;
        let mut props = WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .set_created_by("innoscope".to_string())
            .set_max_row_group_row_count(Some(1 << 20));
        // Ids arrive mostly in order: delta encoding stores them in a byte or two.
        for id in ["appln_id", "person_id", "family_id"] {
            if schema.field_with_name(id).is_ok() {
                let col = parquet::schema::types::ColumnPath::from(id);
                props = props
                    .set_column_dictionary_enabled(col.clone(), false)
                    .set_column_encoding(col, parquet::basic::Encoding::DELTA_BINARY_PACKED);
            }
        }
        let props = props.build();
        Ok(TableWriter {
            writer: ArrowWriter::try_new(file, schema.clone(), Some(props))?,
            schema,
            rows: 0,
        })
    }
}

/// The four canonical tables of a dataset being written, shared by the
/// import's workers. Each worker buffers a batch per table
/// ([`PatentWriter`]) and appends it under the table's lock, so a table's
/// rows keep the order of the files that feed it when one worker reads them.
pub(crate) struct Tables {
    appln: Mutex<TableWriter>,
    person: Mutex<TableWriter>,
    party: Mutex<TableWriter>,
    class: Mutex<TableWriter>,
    years: Mutex<Option<(i32, i32)>>,
}

fn write_batch(t: &Mutex<TableWriter>, columns: Vec<ArrayRef>) -> Result<()> {
    let mut t = t
        .lock()
        .map_err(|_| EngineError::store("<store>", "a writer thread failed"))?;
    let batch = RecordBatch::try_new(t.schema.clone(), columns)?;
    t.rows += batch.num_rows() as u64;
    t.writer.write(&batch)?;
    Ok(())
}

fn into_inner(t: Mutex<TableWriter>) -> Result<TableWriter> {
    t.into_inner()
        .map_err(|_| EngineError::store("<store>", "a writer thread failed"))
}

impl Tables {
    pub(crate) fn create(dir: &Path) -> Result<Tables> {
        Ok(Tables {
            appln: Mutex::new(TableWriter::create(dir, "appln", crate::schema::appln())?),
            person: Mutex::new(TableWriter::create(dir, "person", crate::schema::person())?),
            party: Mutex::new(TableWriter::create(dir, "party", crate::schema::party())?),
            class: Mutex::new(TableWriter::create(dir, "class", crate::schema::class())?),
            years: Mutex::new(None),
        })
    }

    /// Close the files; counts per table and the filing-year range.
    pub(crate) fn finish(self) -> Result<(TableCounts, Option<(i32, i32)>)> {
        let years = self.years.into_inner().ok().flatten();
        let (a, p, r, c) = (
            into_inner(self.appln)?,
            into_inner(self.person)?,
            into_inner(self.party)?,
            into_inner(self.class)?,
        );
        let counts = TableCounts {
            appln: a.rows,
            person: p.rows,
            party: r.rows,
            class: c.rows,
        };
        for t in [a, p, r, c] {
            t.writer.close()?;
        }
        Ok((counts, years))
    }
}

/// A worker's sink: batches of each canonical table, appended to the shared
/// [`Tables`] when full and on [`PatentWriter::finish`].
pub(crate) struct PatentWriter<'t> {
    tables: &'t Tables,
    a: (
        Int64Builder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
        Int32Builder,
        Int32Builder,
        Int32Builder,
        Int64Builder,
        StringBuilder,
    ),
    p: (
        Int64Builder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
    ),
    r: (Int64Builder, Int64Builder, StringBuilder, Int32Builder),
    c: (
        Int64Builder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
        StringBuilder,
    ),
    pending: [usize; 4],
    years: Option<(i32, i32)>,
}

/// Write the buffered rows of one table (`slot` in `pending`, builders in
/// the tuple `field`, file `table`) as a batch, if there are any.
macro_rules! flush {
    ($w:ident, $slot:literal, $field:ident, $table:ident, [$($i:tt),+]) => {{
        if $w.pending[$slot] == 0 {
            return Ok(());
        }
        $w.pending[$slot] = 0;
        let b = &mut $w.$field;
        let cols: Vec<ArrayRef> = vec![$(Arc::new(b.$i.finish())),+];
        write_batch(&$w.tables.$table, cols)
    }};
}

impl<'t> PatentWriter<'t> {
    pub(crate) fn new(tables: &'t Tables) -> PatentWriter<'t> {
        PatentWriter {
            tables,
            a: Default::default(),
            p: Default::default(),
            r: Default::default(),
            c: Default::default(),
            pending: [0; 4],
            years: None,
        }
    }

    fn flush_appln(&mut self) -> Result<()> {
        flush!(self, 0, a, appln, [0, 1, 2, 3, 4, 5, 6, 7, 8])
    }

    fn flush_person(&mut self) -> Result<()> {
        flush!(self, 1, p, person, [0, 1, 2, 3, 4, 5, 6])
    }

    fn flush_party(&mut self) -> Result<()> {
        flush!(self, 2, r, party, [0, 1, 2, 3])
    }

    fn flush_class(&mut self) -> Result<()> {
        flush!(self, 3, c, class, [0, 1, 2, 3, 4, 5, 6])
    }

    /// Append what is buffered and merge the year range.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.flush_appln()?;
        self.flush_person()?;
        self.flush_party()?;
        self.flush_class()?;
        if let Some((lo, hi)) = self.years {
            let mut y = self
                .tables
                .years
                .lock()
                .map_err(|_| EngineError::store("<store>", "a writer thread failed"))?;
            *y = Some(match *y {
                Some((a, b)) => (a.min(lo), b.max(hi)),
                None => (lo, hi),
            });
        }
        Ok(())
    }

    fn bump(&mut self, table: usize) -> bool {
        self.pending[table] += 1;
        self.pending[table] >= BATCH_ROWS
    }
}

impl PatentSink for PatentWriter<'_> {
    fn appln(&mut self, r: &ApplnRow<'_>) -> Result<(), String> {
        let a = &mut self.a;
        a.0.append_value(r.appln_id);
        a.1.append_value(r.authority);
        a.2.append_option(r.number);
        a.3.append_option(r.kind);
        a.4.append_option(r.filing_year);
        a.5.append_option(r.priority_year);
        a.6.append_option(r.publication_year);
        a.7.append_option(r.family_id);
        a.8.append_option(r.title);
        if let Some(y) = r.filing_year {
            self.years = Some(match self.years {
                Some((lo, hi)) => (lo.min(y), hi.max(y)),
                None => (y, y),
            });
        }
        if self.bump(0) {
            self.flush_appln().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn person(&mut self, r: &PersonRow<'_>) -> Result<(), String> {
        let p = &mut self.p;
        p.0.append_value(r.person_id);
        p.1.append_value(r.name);
        p.2.append_option(r.country);
        p.3.append_option(r.country_raw);
        p.4.append_option(r.harmonised.map(|h| h.0));
        p.5.append_option(r.harmonised.map(|h| h.1));
        p.6.append_option(r.sector);
        if self.bump(1) {
            self.flush_person().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn party(&mut self, r: &PartyRow) -> Result<(), String> {
        let p = &mut self.r;
        p.0.append_value(r.appln_id);
        p.1.append_value(r.person_id);
        p.2.append_value(r.role.as_str());
        p.3.append_value(r.seq);
        if self.bump(2) {
            self.flush_party().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn class(&mut self, r: &ClassRow<'_>) -> Result<(), String> {
        let c = &mut self.c;
        let (subclass, main, sub) = patent::symbol_parts(r.symbol);
        c.0.append_value(r.appln_id);
        c.1.append_value(r.scheme.as_str());
        c.2.append_value(r.symbol);
        // The raw spelling only when it differs from the normalised symbol.
        c.3.append_option((r.raw != r.symbol).then_some(r.raw));
        c.4.append_value(subclass);
        c.5.append_option(main);
        c.6.append_option(sub);
        if self.bump(3) {
            self.flush_class().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// Rewrite `dir/<table>.parquet` as `parts` files `dir/<table>/part-NNNN.parquet`
/// of contiguous row ranges (the rows keep their order), then remove the
/// single file.
fn split_table(dir: &Path, table: &str, parts: usize) -> Result<()> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let src = dir.join(format!("{table}.parquet"));
    let file = std::fs::File::open(&src).map_err(|e| EngineError::io(&src, e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    let total = builder.metadata().file_metadata().num_rows().max(0) as usize;
    let schema = builder.schema().clone();
    let reader = builder.with_batch_size(8192).build()?;
    let out = dir.join(table);
    std::fs::create_dir_all(&out).map_err(|e| EngineError::io(&out, e))?;
    let per = total.div_ceil(parts).max(1);
    let mut part = 0usize;
    let mut in_part = 0usize;
    let open = |i: usize| -> Result<parquet::arrow::ArrowWriter<std::fs::File>> {
        let path = out.join(format!("part-{i:04}.parquet"));
        let f = std::fs::File::create(&path).map_err(|e| EngineError::io(&path, e))?;
        Ok(parquet::arrow::ArrowWriter::try_new(
            f,
            schema.clone(),
            None,
        )?)
    };
    let mut writer = open(0)?;
    for batch in reader {
        let mut batch = batch?;
        while batch.num_rows() > 0 {
            if in_part == per && part + 1 < parts {
                writer.close()?;
                part += 1;
                in_part = 0;
                writer = open(part)?;
            }
            let take = (per - in_part).min(batch.num_rows());
            let take = if part + 1 == parts {
                batch.num_rows()
            } else {
                take
            };
            writer.write(&batch.slice(0, take))?;
            in_part += take;
            batch = batch.slice(take, batch.num_rows() - take);
        }
    }
    writer.close()?;
    // Empty trailing parts keep every table at `parts` files.
    for i in part + 1..parts {
        open(i)?.close()?;
    }
    std::fs::remove_file(&src).map_err(|e| EngineError::io(&src, e))?;
    Ok(())
}
