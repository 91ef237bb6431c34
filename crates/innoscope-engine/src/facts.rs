//! Analysis-ready facts of a patent dataset, derived at import into the
//! dataset's `facts/` directory beside its four canonical tables:
//!
//! ```text
//! facts/app.parquet          appln_id, authority, filing_year, priority_year, publication_year
//!                            (sorted by authority, filing_year, appln_id)
//! facts/app_country.parquet  role, authority, filing_year, appln_id, country, countries
//!                            (distinct; sorted in that order; the authority and
//!                            filing year are the application's, `countries`
//!                            its number of countries in the role)
//! facts/class-<fp>.parquet   appln_id, category
//!                            (distinct; sorted by appln_id, category; one per classification)
//! ```
//!
//! Every microdata analysis starts from these: the selected applications
//! (`sel`) are a scan of `app` whose row groups Parquet statistics skip
//! when they hold another authority or year; the distinct countries per
//! application and role (`ac`) are read, not computed by joining the links
//! with the persons and taking a distinct over strings — on the filing
//! year, a filtered scan with no join at all; and membership of a
//! classification (WIPO's fields, the green lists, the network fields, a
//! user's field file) is one file per classification instead of a prefix
//! join over every symbol. The built-in classifications are derived at
//! import; any other is derived the first time an analysis asks for it and
//! cached under its fingerprint ([`fingerprint`]: its scheme, prefixes and
//! categories), so an edited field file gets new facts.
//!
//! The raw tables stay in the dataset: K3's names, the applicant
//! concentration and the top applicants read them, and the raw path gives
//! the same results (the tests compare the two). For the last two, the
//! facts' metadata says whether every counted link occurs once ([`Runs`],
//! proved from the link table's order while it is read): then the persons
//! of the selected applications need no distinct.
//!
//! Deriving the facts reads every id of the four tables, so it also checks
//! how they refer to each other ([`Integrity`]: an application id twice in
//! `appln`; a link or symbol naming an application, or a link a person,
//! that is not there): the import reads each table once for both, and
//! refuses such tables (or notes them under `--keep-going`) from what
//! [`write`] returns.
//!
//! Memory: deriving the country facts holds every link's application and
//! country rank (16 bytes a link) and each person's country (2 bytes per
//! person id); the classification facts hold one (application, category)
//! pair per match; so the derivation is not bounded like the rest of the
//! import (see `patents`).
//!
//! Each file carries its version in its key-value metadata
//! (`innoscope.facts` = [`VERSION`]). A dataset without facts of this
//! version (imported by an older innoscope) is read through the raw tables
//! with a warning until `innoscope datasets --upgrade` derives them
//! ([`upgrade`]).

use datafusion::common::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, AsArray, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, SchemaRef};
use innoscope_core::classify::{Classification, GreenMethod, builtin};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use sha2::Digest;

use crate::error::{EngineError, Result};

/// Version of the facts this innoscope writes and reads. Version 1 was a
/// single `app_country.parquet` beside the tables; version 2 had no
/// `countries` column in it, nor the links' mark.
pub const VERSION: &str = "3";
/// The metadata key that holds it.
const KEY: &str = "innoscope.facts";
/// The metadata key that marks country facts with each application's
/// authority and filing year ([`Facts::by_application`]).
const BY_APPLICATION: &str = "innoscope.facts.by_application";
/// The metadata key that says whether a dataset's counted links are
/// proved distinct (`1`, else `0`; [`Facts::links_distinct`]).
const LINKS_DISTINCT: &str = "innoscope.facts.links_distinct";
/// The facts' directory inside a dataset directory.
pub const DIR: &str = "facts";
/// The applications: authority and years.
pub const APP: &str = "app.parquet";
/// Each application's countries by role.
pub const APP_COUNTRY: &str = "app_country.parquet";
/// Where version 1 kept its only file (removed by an upgrade).
const LEGACY_APP_COUNTRY: &str = "app_country.parquet";
/// Rows per row group of the country facts: small enough that one role's
/// groups can be skipped.
const ROW_GROUP: usize = 256 * 1024;
/// Rows per row group of the applications: small enough that one
/// authority's year is a few groups.
const APP_ROW_GROUP: usize = 16 * 1024;

/// The key-value metadata of the facts file at `path` when it holds facts
/// of this version.
fn current_metadata(path: &Path) -> Option<Vec<KeyValue>> {
    let file = File::open(path).ok()?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).ok()?;
    let kv = builder.metadata().file_metadata().key_value_metadata()?;
    kv.iter()
        .any(|k| k.key == KEY && k.value.as_deref() == Some(VERSION))
        .then(|| kv.clone())
}

/// Whether the Parquet file at `path` holds facts of this version.
fn current(path: &Path) -> bool {
    current_metadata(path).is_some()
}

/// What a dataset's facts of this version offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// Whether the country facts carry each application's authority and
    /// filing year (true unless the dataset was imported with
    /// `--keep-going` over repeated application ids, when one id can have
    /// two): then a selection by authority and filing year reads them
    /// alone, with no join.
    pub by_application: bool,
    /// Whether every counted link of the raw `party` table — (application,
    /// person, role `applicant` or `inventor`) naming an application of the
    /// table — occurs once, as the scan that derived the facts proved from
    /// the row order ([`Runs`]): then the persons of the selected
    /// applications need no distinct.
    pub links_distinct: bool,
}

/// The facts of this version in dataset directory `dir`, if it has them;
/// each file's metadata is read once.
pub fn state(dir: &Path) -> Option<Facts> {
    let facts = dir.join(DIR);
    if !current(&facts.join(APP)) {
        return None;
    }
    let kv = current_metadata(&facts.join(APP_COUNTRY))?;
    let value = |key: &str| {
        kv.iter()
            .find(|k| k.key == key)
            .and_then(|k| k.value.as_deref())
    };
    Some(Facts {
        by_application: value(BY_APPLICATION) == Some("1"),
        links_distinct: value(LINKS_DISTINCT) == Some("1"),
    })
}

/// Whether the dataset directory `dir` holds facts of this version.
pub fn present(dir: &Path) -> bool {
    state(dir).is_some()
}

/// The Parquet files of `dir/<table>`: one file, or a directory of parts
/// (`import --partitions`), in name order.
fn table_files(dir: &Path, table: &str) -> Result<Vec<PathBuf>> {
    let file = dir.join(format!("{table}.parquet"));
    if file.is_file() {
        return Ok(vec![file]);
    }
    let parts = dir.join(table);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&parts)
        .map_err(|e| EngineError::store(&file, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    Ok(files)
}

/// Read `cols` of the table `dir/<table>`, batch by batch.
fn scan(
    dir: &Path,
    table: &str,
    cols: &[&str],
    f: &mut dyn FnMut(&RecordBatch) -> Result<()>,
) -> Result<()> {
    for path in table_files(dir, table)? {
        read_file(&path, cols, None, f)?;
    }
    Ok(())
}

/// Read `cols` of one Parquet file (only `row_groups` when given), batch
/// by batch, the columns in the order asked.
fn read_file(
    path: &Path,
    cols: &[&str],
    row_groups: Option<Vec<usize>>,
    f: &mut dyn FnMut(&RecordBatch) -> Result<()>,
) -> Result<()> {
    let file = File::open(path).map_err(|e| EngineError::store(path, e))?;
    let mut builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| EngineError::store(path, e))?;
    let mut idx = Vec::new();
    for c in cols {
        idx.push(
            builder
                .schema()
                .index_of(c)
                .map_err(|e| EngineError::store(path, e))?,
        );
    }
    let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), idx);
    if let Some(groups) = row_groups {
        builder = builder.with_row_groups(groups);
    }
    for batch in builder.with_projection(mask).build()? {
        let b = batch?;
        // Columns come in file order; put them in the order asked.
        let schema = b.schema();
        let ordered: Vec<_> = cols
            .iter()
            .map(|c| b.column(schema.index_of(c).expect("projected")).clone())
            .collect();
        let b = RecordBatch::try_from_iter(cols.iter().zip(ordered))?;
        f(&b)?;
    }
    Ok(())
}

/// Read `cols` of the table `dir/<table>` on every core: its row groups
/// (over all its files) are cut into one contiguous share per thread, each
/// folded into its own state (`start`, then `f` per batch). Returns the
/// states in the table's row order, so that concatenating what they hold
/// is the order a [`scan`] gives.
fn scan_shares<S: Send>(
    dir: &Path,
    table: &str,
    cols: &[&str],
    start: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &RecordBatch) -> Result<()> + Sync,
) -> Result<Vec<S>> {
    let mut units: Vec<(PathBuf, usize)> = Vec::new();
    for path in table_files(dir, table)? {
        let file = File::open(&path).map_err(|e| EngineError::store(&path, e))?;
        let groups = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| EngineError::store(&path, e))?
            .metadata()
            .num_row_groups();
        units.extend((0..groups).map(|g| (path.clone(), g)));
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, units.len().max(1));
    let share = |t: usize| &units[t * units.len() / threads..(t + 1) * units.len() / threads];
    let read = |part: &[(PathBuf, usize)]| -> Result<S> {
        let mut state = start();
        let mut i = 0;
        while i < part.len() {
            // The share's row groups of one file, read together.
            let path = &part[i].0;
            let mut groups = Vec::new();
            while i < part.len() && &part[i].0 == path {
                groups.push(part[i].1);
                i += 1;
            }
            read_file(path, cols, Some(groups), &mut |b| f(&mut state, b))?;
        }
        Ok(state)
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let part = share(t);
                let read = &read;
                scope.spawn(move || read(part))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

fn ints(b: &RecordBatch, i: usize) -> Result<Int64Array> {
    Ok(arrow::compute::cast(b.column(i), &DataType::Int64)?
        .as_primitive::<arrow::datatypes::Int64Type>()
        .clone())
}

fn ints32(b: &RecordBatch, i: usize) -> Result<Int32Array> {
    Ok(arrow::compute::cast(b.column(i), &DataType::Int32)?
        .as_primitive::<arrow::datatypes::Int32Type>()
        .clone())
}

fn texts(b: &RecordBatch, i: usize) -> Result<StringArray> {
    Ok(arrow::compute::cast(b.column(i), &DataType::Utf8)?
        .as_string::<i32>()
        .clone())
}

/// A Parquet writer of facts: Snappy, `row_group` rows a group, the
/// version in the key-value metadata.
fn writer(path: &Path, schema: SchemaRef, row_group: usize) -> Result<ArrowWriter<File>> {
    writer_with(path, schema, row_group, &[])
}

/// [`writer`], with the metadata `marks` (key, value; see [`Facts`]).
fn writer_with(
    path: &Path,
    schema: SchemaRef,
    row_group: usize,
    marks: &[(&str, &str)],
) -> Result<ArrowWriter<File>> {
    let mut kv = vec![KeyValue::new(KEY.to_string(), VERSION.to_string())];
    kv.extend(
        marks
            .iter()
            .map(|(k, v)| KeyValue::new(k.to_string(), v.to_string())),
    );
    let file = File::create(path).map_err(|e| EngineError::store(path, e))?;
    let props = WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_created_by("innoscope".to_string())
        .set_max_row_group_row_count(Some(row_group))
        .set_column_dictionary_enabled("appln_id".into(), false)
        .set_column_encoding(
            "appln_id".into(),
            parquet::basic::Encoding::DELTA_BINARY_PACKED,
        )
        .set_key_value_metadata(Some(kv))
        .build();
    ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| EngineError::store(path, e))
}

/// Country codes numbered in order of first sight.
#[derive(Default)]
struct Codes {
    names: Vec<String>,
    index: HashMap<String, u16>,
}

impl Codes {
    fn code(&mut self, s: &str) -> Result<u16> {
        if let Some(&c) = self.index.get(s) {
            return Ok(c);
        }
        // The two highest codes mark persons without a country, or none.
        let c = u16::try_from(self.names.len())
            .ok()
            .filter(|c| *c < NO_COUNTRY)
            .ok_or_else(|| {
                EngineError::store(
                    Path::new(APP_COUNTRY),
                    format!("more than {NO_COUNTRY} distinct country or authority codes"),
                )
            })?;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), c);
        Ok(c)
    }

    /// For each code, its rank among the names in byte order (so the file's
    /// order does not depend on the order the names were first seen).
    fn ranks(&self) -> Vec<u16> {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|a, b| self.names[*a].cmp(&self.names[*b]));
        let mut rank = vec![0u16; self.names.len()];
        for (r, i) in order.into_iter().enumerate() {
            rank[i] = r as u16;
        }
        rank
    }
}

/// Each person's country, by id: a dense vector when the ids are small
/// and dense (PATSTAT's), else a hash map.
enum PersonCountry {
    Dense(Vec<u16>),
    Sparse(HashMap<i64, u16>),
}

/// No person of this id.
const NONE: u16 = u16::MAX;
/// A person of this id, without a country.
const NO_COUNTRY: u16 = u16::MAX - 1;

impl PersonCountry {
    /// The slot of person `id`: [`NONE`], [`NO_COUNTRY`] or a country rank.
    fn slot(&self, id: i64) -> u16 {
        match self {
            PersonCountry::Dense(v) => usize::try_from(id)
                .ok()
                .and_then(|i| v.get(i))
                .copied()
                .unwrap_or(NONE),
            PersonCountry::Sparse(m) => m.get(&id).copied().unwrap_or(NONE),
        }
    }
}

/// Application ids seen: a bit per id for the dense ranges PATSTAT uses
/// (a few hundred million ids fit in tens of MB), a hash set for the rest.
#[derive(Default)]
pub(crate) struct IdSet {
    bits: Vec<u64>,
    other: std::collections::HashSet<i64>,
}

impl IdSet {
    const DENSE: i64 = 1 << 32;

    /// Insert `id`; false when it was there already.
    fn insert(&mut self, id: i64) -> bool {
        if (0..Self::DENSE).contains(&id) {
            let (w, m) = ((id / 64) as usize, 1u64 << (id % 64));
            if w >= self.bits.len() {
                self.bits.resize(w + 1, 0);
            }
            let fresh = self.bits[w] & m == 0;
            self.bits[w] |= m;
            fresh
        } else {
            self.other.insert(id)
        }
    }

    fn contains(&self, id: i64) -> bool {
        if (0..Self::DENSE).contains(&id) {
            self.bits
                .get((id / 64) as usize)
                .is_some_and(|w| w & (1u64 << (id % 64)) != 0)
        } else {
            self.other.contains(&id)
        }
    }
}

/// How many rows broke one rule of [`Integrity`], and the first of them
/// in the table's row order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub n: u64,
    pub first: Option<i64>,
}

impl Tally {
    fn see(&mut self, id: i64) {
        self.n += 1;
        self.first.get_or_insert(id);
    }

    /// This tally followed by `later`'s (a later share of the same table).
    fn then(self, later: Tally) -> Tally {
        Tally {
            n: self.n + later.n,
            first: self.first.or(later.first),
        }
    }
}

/// How the tables of a dataset refer to each other, checked while the
/// facts are derived (the derivation reads every id anyway): application
/// ids repeated in `appln`, and links or symbols naming applications or
/// persons that are not there. Each with a count and a first example in
/// row order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Integrity {
    pub repeated: Tally,
    pub links_without_appln: Tally,
    pub links_without_person: Tally,
    pub symbols_without_appln: Tally,
}

impl Integrity {
    /// What is wrong, in a sentence, if anything.
    pub fn problem(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut say = |t: Tally, what: &str| {
            if t.n > 0 {
                parts.push(format!(
                    "{} {what} (first: {})",
                    t.n,
                    t.first.unwrap_or_default()
                ));
            }
        };
        say(
            self.repeated,
            "application ids appear more than once in tls201",
        );
        say(
            self.links_without_appln,
            "links (tls207) name an application that tls201 does not hold",
        );
        say(
            self.links_without_person,
            "links (tls207) name a person that tls206 does not hold",
        );
        say(
            self.symbols_without_appln,
            "symbols name an application that tls201 does not hold",
        );
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// The counting roles' codes in [`Runs`]: the analyses count links of
/// these two roles only.
fn counted_role(role: &str) -> Option<u8> {
    match role {
        "applicant" => Some(0),
        "inventor" => Some(1),
        _ => None,
    }
}

/// A link as a [`Runs`] run holds it: the other id (a person, or an
/// application) and the counted role.
type RunItem = (Option<i64>, u8);

/// Whether the counted links — (application, person, role) of an
/// application of the table, with a counted role — are all distinct,
/// proved from the row order as the table is scanned: when the rows come
/// in runs of one key (an application, or a person), a link can only
/// repeat within its run, so each run is checked on its own and no set of
/// every link is held. A table in neither order proves nothing, and the
/// analyses that count persons then take a distinct.
struct Runs {
    /// The key has not decreased so far.
    ordered: bool,
    /// A run held a link twice.
    repeat: bool,
    /// The current run: its key and links.
    key: Option<i64>,
    run: Vec<RunItem>,
    /// The first run, once it ended (the share's first rows may continue
    /// the previous share's last run).
    first: Option<(i64, Vec<RunItem>)>,
}

/// What a share's [`Runs`] found: whether its runs are ordered and
/// distinct, and its first and last runs, which may go on into its
/// neighbours.
struct RunEnds {
    ok: bool,
    /// The first run, when there were two or more.
    first: Option<(i64, Vec<RunItem>)>,
    /// The last run (none in a share without counted links).
    last: Option<(i64, Vec<RunItem>)>,
}

impl Runs {
    fn new() -> Runs {
        Runs {
            ordered: true,
            repeat: false,
            key: None,
            run: Vec::new(),
            first: None,
        }
    }

    /// A counted link with `key` (its application or person) and `item`.
    fn see(&mut self, key: i64, item: RunItem) {
        if !self.ordered {
            return;
        }
        match self.key {
            Some(k) if k == key => {}
            Some(k) if key < k => return self.give_up(),
            _ => {
                self.end_run();
                self.key = Some(key);
            }
        }
        self.run.push(item);
    }

    /// The rows are not in this key's order: nothing can be proved.
    fn give_up(&mut self) {
        self.ordered = false;
        self.run = Vec::new();
        self.first = None;
    }

    fn end_run(&mut self) {
        let Some(key) = self.key else { return };
        self.repeat |= has_repeat(&mut self.run);
        if self.first.is_none() {
            self.first = Some((key, std::mem::take(&mut self.run)));
        }
        self.run.clear();
    }

    fn finish(mut self) -> RunEnds {
        self.repeat |= has_repeat(&mut self.run);
        if !self.ordered || self.repeat {
            return RunEnds {
                ok: false,
                first: None,
                last: None,
            };
        }
        RunEnds {
            ok: true,
            first: self.first,
            last: self.key.map(|k| (k, self.run)),
        }
    }
}

/// The two [`Runs`] of a link table: by application and by person.
struct LinkRuns {
    by_appln: Runs,
    by_person: Runs,
}

impl LinkRuns {
    fn new() -> LinkRuns {
        LinkRuns {
            by_appln: Runs::new(),
            by_person: Runs::new(),
        }
    }

    /// Whether either order may still prove the links distinct.
    fn live(&self) -> bool {
        self.by_appln.ordered || self.by_person.ordered
    }

    /// A counted link (a link without a person breaks the person runs).
    fn see(&mut self, appln: i64, person: Option<i64>, role: u8) {
        self.by_appln.see(appln, (person, role));
        match person {
            Some(p) => self.by_person.see(p, (Some(appln), role)),
            None => self.by_person.give_up(),
        }
    }

    fn finish(self) -> (RunEnds, RunEnds) {
        (self.by_appln.finish(), self.by_person.finish())
    }
}

/// Whether the [`LinkRuns`] of a table's shares, in row order, prove
/// every counted link distinct (in one order or the other).
fn links_distinct(shares: Vec<LinkRuns>) -> bool {
    let (by_appln, by_person): (Vec<_>, Vec<_>) = shares.into_iter().map(LinkRuns::finish).unzip();
    runs_distinct(by_appln) || runs_distinct(by_person)
}

/// Whether `run` holds an item twice (a long run is sorted on the way).
fn has_repeat(run: &mut [RunItem]) -> bool {
    if run.len() <= 8 {
        // An application's few links: compared pairwise, not sorted.
        return (1..run.len()).any(|j| run[..j].contains(&run[j]));
    }
    run.sort_unstable();
    run.windows(2).any(|w| w[0] == w[1])
}

/// Whether the shares' [`RunEnds`], in the table's row order, prove every
/// counted link distinct: each share ordered and distinct, each share's
/// first key at or after the previous share's last, and a run that goes on
/// from one share into the next distinct as a whole.
fn runs_distinct(shares: impl IntoIterator<Item = RunEnds>) -> bool {
    let mut tail: Option<(i64, Vec<RunItem>)> = None;
    for s in shares {
        if !s.ok {
            return false;
        }
        let Some((last_key, last)) = s.last else {
            continue;
        };
        let (key, first) = match &s.first {
            Some((k, run)) => (*k, run),
            None => (last_key, &last),
        };
        if let Some((k, run)) = &tail {
            if *k > key {
                return false;
            }
            if *k == key {
                let mut both: Vec<RunItem> = run.iter().chain(first).copied().collect();
                if has_repeat(&mut both) {
                    return false;
                }
                if s.first.is_none() {
                    // One run, which goes on from the previous share.
                    tail = Some((key, both));
                    continue;
                }
            }
        }
        tail = Some((last_key, last));
    }
    true
}

/// A link with a country: (its application's authority and filing year,
/// ranked; application; country rank).
type Link = (u32, i64, u16);

/// The distinct items of sorted, distinct `lists`, in order (a merge).
fn merge_distinct<T: Ord + Copy>(lists: &[&[T]]) -> impl Iterator<Item = T> {
    let mut at = vec![0usize; lists.len()];
    let mut last: Option<T> = None;
    std::iter::from_fn(move || {
        loop {
            let (k, item) = lists
                .iter()
                .enumerate()
                .filter_map(|(k, l)| l.get(at[k]).map(|x| (k, *x)))
                .min_by_key(|(_, x)| *x)?;
            at[k] += 1;
            if last != Some(item) {
                last = Some(item);
                return Some(item);
            }
        }
    })
}

/// What the link table's scan found besides the country facts.
struct LinkChecks {
    /// Links to no application of the table.
    without_appln: Tally,
    /// Links to no person of the person table (when it has any).
    without_person: Tally,
}

/// Write the country facts of the tables in `dir` to `out`, checking the
/// links on the way; the file is marked when the counted links are proved
/// distinct ([`Runs`]).
fn write_countries(dir: &Path, out: &Path, apps: &AppKeys) -> Result<LinkChecks> {
    let started = std::time::Instant::now();
    let mut countries = Codes::default();
    // Persons without a country too (`None`): a link to one names a person.
    let mut persons: Vec<(i64, Option<u16>)> = Vec::new();
    let mut max_id = 0i64;
    scan(dir, "person", &["person_id", "country"], &mut |b| {
        let (id, ctry) = (ints(b, 0)?, texts(b, 1)?);
        for i in 0..b.num_rows() {
            if id.is_null(i) {
                continue;
            }
            let c = if ctry.is_null(i) {
                None
            } else {
                Some(countries.code(ctry.value(i))?)
            };
            max_id = max_id.max(id.value(i));
            persons.push((id.value(i), c));
        }
        Ok(())
    })?;
    let have_persons = !persons.is_empty();
    // Countries are all known now: give each person its country's rank in
    // byte order, so that sorting the links sorts the country names.
    let ctry_rank = countries.ranks();
    let slot = |c: Option<u16>| c.map_or(NO_COUNTRY, |c| ctry_rank[c as usize]);
    let mut by_rank = vec![String::new(); countries.names.len()];
    for (code, name) in countries.names.iter().enumerate() {
        by_rank[ctry_rank[code] as usize] = name.clone();
    }
    let dense = persons.iter().all(|(id, _)| *id >= 0)
        && (max_id as u64) < 4 * persons.len() as u64 + (1 << 20);
    let by_person = if dense {
        let mut v = vec![NONE; max_id as usize + 1];
        for (id, c) in persons.drain(..) {
            v[id as usize] = slot(c);
        }
        PersonCountry::Dense(v)
    } else {
        PersonCountry::Sparse(persons.drain(..).map(|(id, c)| (id, slot(c))).collect())
    };
    // One list of links per role and share of the link table (read on
    // every core); a role is found by comparing with the last one seen
    // (links come in runs of a role). Each link as (its application's
    // authority and filing year, ranked; application; country rank):
    // sorting sorts the file's columns. Every link's ids are checked on
    // the way (a link to no application or person is tallied), and
    // whether the counted links are distinct, in runs of an application
    // or of a person.
    struct Share {
        roles: Vec<(String, Vec<Link>)>,
        /// Each role's code when the analyses count it ([`counted_role`]).
        counted: Vec<Option<u8>>,
        last: usize,
        without_appln: Tally,
        without_person: Tally,
        runs: LinkRuns,
    }
    let shares = scan_shares(
        dir,
        "party",
        &["appln_id", "person_id", "role"],
        || Share {
            roles: Vec::new(),
            counted: Vec::new(),
            last: usize::MAX,
            without_appln: Tally::default(),
            without_person: Tally::default(),
            runs: LinkRuns::new(),
        },
        |share, b| {
            let (appln, person, role) = (ints(b, 0)?, ints(b, 1)?, texts(b, 2)?);
            let Share {
                roles,
                counted,
                last,
                without_appln,
                without_person,
                runs,
            } = share;
            for i in 0..b.num_rows() {
                // A link to no application of the table (imported with
                // --keep-going) is never selected.
                let g = if appln.is_null(i) {
                    None
                } else {
                    let g = apps.group(appln.value(i));
                    if g.is_none() {
                        without_appln.see(appln.value(i));
                    }
                    g
                };
                let c = if person.is_null(i) {
                    NONE
                } else {
                    let c = by_person.slot(person.value(i));
                    if c == NONE && have_persons {
                        without_person.see(person.value(i));
                    }
                    c
                };
                let Some(g) = g else {
                    continue;
                };
                if role.is_null(i) {
                    continue;
                }
                let r = role.value(i);
                if roles.get(*last).is_none_or(|(name, _)| name != r) {
                    *last = match roles.iter().position(|(name, _)| name == r) {
                        Some(k) => k,
                        None => {
                            roles.push((r.to_string(), Vec::new()));
                            counted.push(counted_role(r));
                            roles.len() - 1
                        }
                    };
                }
                if let Some(k) = counted[*last]
                    && runs.live()
                {
                    let p = (!person.is_null(i)).then(|| person.value(i));
                    runs.see(appln.value(i), p, k);
                }
                if c >= NO_COUNTRY {
                    continue;
                }
                roles[*last].1.push((g, appln.value(i), c));
            }
            Ok(())
        },
    )?;
    drop(by_person);
    let (mut without_appln, mut without_person) = (Tally::default(), Tally::default());
    let mut runs = Vec::new();
    let mut shares: Vec<Vec<(String, Vec<Link>)>> = shares
        .into_iter()
        .map(|s| {
            without_appln = without_appln.then(s.without_appln);
            without_person = without_person.then(s.without_person);
            runs.push(s.runs);
            s.roles
        })
        .collect();
    let distinct = links_distinct(runs);
    let links: usize = shares.iter().flatten().map(|(_, v)| v.len()).sum();
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        links,
        "facts: links with a country read"
    );
    // Each share's lists sorted on its own thread; merged while written.
    std::thread::scope(|scope| {
        for share in &mut shares {
            scope.spawn(move || {
                for (_, v) in share.iter_mut() {
                    v.sort_unstable();
                    v.dedup();
                }
            });
        }
    });
    let mut names: Vec<&str> = shares
        .iter()
        .flatten()
        .map(|(name, _)| name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    tracing::info!(ms = started.elapsed().as_millis() as u64, "facts: sorted");

    let path = out.join(APP_COUNTRY);
    let schema = crate::schema::facts_app_country();
    let mut marks = vec![(LINKS_DISTINCT, if distinct { "1" } else { "0" })];
    if apps.unique {
        marks.push((BY_APPLICATION, "1"));
    }
    let mut w = writer_with(&path, schema.clone(), ROW_GROUP, &marks)?;
    let mut rows = 0usize;
    // Each link with its application's number of countries (in the role):
    // an application's links are contiguous (its pair is a function of
    // its id), so they are gathered in `run` and counted when it ends.
    const CHUNK: usize = 64 * 1024;
    let mut chunk: Vec<(Link, i32)> = Vec::with_capacity(CHUNK + 64);
    let mut run: Vec<Link> = Vec::new();
    for role in names {
        let lists: Vec<&[Link]> = shares
            .iter()
            .flat_map(|share| share.iter().filter(|(name, _)| name == role))
            .map(|(_, v)| v.as_slice())
            .collect();
        let mut write = |chunk: &mut Vec<(Link, i32)>| -> Result<()> {
            let role = StringArray::from_iter_values(chunk.iter().map(|_| role));
            let (auth, year): (Vec<_>, Vec<_>) = chunk
                .iter()
                .map(|((g, _, _), _)| match apps.unique {
                    true => apps.groups[*g as usize],
                    false => (None, None),
                })
                .unzip();
            let auth = StringArray::from_iter(
                auth.into_iter()
                    .map(|a| a.map(|a| apps.authorities[a as usize].as_str())),
            );
            let appln = Int64Array::from_iter_values(chunk.iter().map(|((_, a, _), _)| *a));
            let ctry = StringArray::from_iter_values(
                chunk
                    .iter()
                    .map(|((_, _, c), _)| by_rank[*c as usize].as_str()),
            );
            let countries = Int32Array::from_iter_values(chunk.iter().map(|(_, k)| *k));
            let batch = RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(role),
                    Arc::new(auth),
                    Arc::new(Int32Array::from(year)),
                    Arc::new(appln),
                    Arc::new(ctry),
                    Arc::new(countries),
                ],
            )?;
            w.write(&batch).map_err(|e| EngineError::store(&path, e))?;
            rows += chunk.len();
            chunk.clear();
            Ok(())
        };
        let end_run = |run: &mut Vec<Link>, chunk: &mut Vec<(Link, i32)>| {
            let k = run.len() as i32;
            chunk.extend(run.drain(..).map(|l| (l, k)));
        };
        for link in merge_distinct(&lists) {
            if run.last().is_some_and(|l| l.1 != link.1) {
                end_run(&mut run, &mut chunk);
                if chunk.len() >= CHUNK {
                    write(&mut chunk)?;
                }
            }
            run.push(link);
        }
        end_run(&mut run, &mut chunk);
        if !chunk.is_empty() {
            write(&mut chunk)?;
        }
    }
    w.close().map_err(|e| EngineError::store(&path, e))?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        rows,
        links_distinct = distinct,
        "facts: countries written"
    );
    Ok(LinkChecks {
        without_appln,
        without_person,
    })
}

/// One application of the `app` facts.
struct AppRow {
    authority: Option<u16>,
    filing: Option<i32>,
    appln_id: i64,
    priority: Option<i32>,
    publication: Option<i32>,
}

/// Each application's authority and filing year, for the country facts.
struct AppKeys {
    /// Authority codes by rank (byte order).
    authorities: Vec<String>,
    /// The distinct (authority rank, filing year) pairs, in sort order.
    groups: Vec<Pair>,
    /// Each application's index into `groups`.
    by_id: AppGroup,
    /// Whether every application id occurs once.
    unique: bool,
}

enum AppGroup {
    Dense(Vec<u32>),
    Sparse(HashMap<i64, u32>),
}

impl AppKeys {
    fn group(&self, id: i64) -> Option<u32> {
        match &self.by_id {
            AppGroup::Dense(v) => usize::try_from(id)
                .ok()
                .and_then(|i| v.get(i))
                .copied()
                .filter(|g| *g != u32::MAX),
            AppGroup::Sparse(m) => m.get(&id).copied(),
        }
    }
}

/// The application table of a dataset, read once.
struct AppTable {
    rows: Vec<AppRow>,
    /// The authorities' codes (numbered in order of first sight).
    auths: Codes,
    /// Every application id.
    ids: IdSet,
    /// The ids seen a second time.
    repeated: Tally,
}

/// Read the application table of `dir`.
fn read_apps(dir: &Path) -> Result<AppTable> {
    let mut auths = Codes::default();
    let mut rows: Vec<AppRow> = Vec::new();
    let mut ids = IdSet::default();
    let mut repeated = Tally::default();
    scan(
        dir,
        "appln",
        &[
            "appln_id",
            "authority",
            "filing_year",
            "priority_year",
            "publication_year",
        ],
        &mut |b| {
            let (id, auth) = (ints(b, 0)?, texts(b, 1)?);
            let (fy, py, uy) = (ints32(b, 2)?, ints32(b, 3)?, ints32(b, 4)?);
            let year = |a: &Int32Array, i: usize| (!a.is_null(i)).then(|| a.value(i));
            for i in 0..b.num_rows() {
                if id.is_null(i) {
                    continue;
                }
                let authority = if auth.is_null(i) {
                    None
                } else {
                    Some(auths.code(auth.value(i))?)
                };
                if !ids.insert(id.value(i)) {
                    repeated.see(id.value(i));
                }
                rows.push(AppRow {
                    authority,
                    filing: year(&fy, i),
                    appln_id: id.value(i),
                    priority: year(&py, i),
                    publication: year(&uy, i),
                });
            }
            Ok(())
        },
    )?;
    Ok(AppTable {
        rows,
        auths,
        ids,
        repeated,
    })
}

/// An application's authority (rank) and filing year.
type Pair = (Option<u16>, Option<i32>);

/// The order of the application facts ([`sort_apps`]).
struct AppOrder {
    /// The distinct (authority, filing year) pairs, in sort order.
    groups: Vec<Pair>,
    /// Where each pair's applications start in `order`; last, its length.
    start: Vec<usize>,
    /// The index of each row, in sort order.
    order: Vec<u32>,
    /// Each row's pair (an index into `groups`), in the table's order.
    pair: Vec<u32>,
}

/// The order of the application facts: by authority (rank), filing year,
/// application id and the other two years, as a full sort of `rows` would
/// give (rows equal in all five are indistinguishable).
///
/// A counting sort by pair, which keeps the table's order within a pair,
/// then each pair's applications sorted by id only when the table did not
/// already give them so (PATSTAT's, in id order, are only checked): a few
/// passes over the rows instead of a comparison sort of all of them.
fn sort_apps(rows: &[AppRow]) -> Result<AppOrder> {
    if u32::try_from(rows.len()).is_err() {
        return Err(EngineError::store(
            Path::new(APP),
            format!("{} applications: more than the facts can index", rows.len()),
        ));
    }
    // Each row's pair, numbered in order of first sight, then by rank.
    let mut seen: HashMap<Pair, u32> = HashMap::new();
    let mut pair: Vec<u32> = Vec::with_capacity(rows.len());
    let mut last: Option<(Pair, u32)> = None;
    for r in rows {
        let k = (r.authority, r.filing);
        let n = match last {
            Some((l, n)) if l == k => n,
            _ => {
                let fresh = seen.len() as u32;
                let n = *seen.entry(k).or_insert(fresh);
                last = Some((k, n));
                n
            }
        };
        pair.push(n);
    }
    let mut groups: Vec<Pair> = seen.keys().copied().collect();
    groups.sort_unstable();
    let mut rank = vec![0u32; groups.len()];
    for (r, k) in groups.iter().enumerate() {
        rank[seen[k] as usize] = r as u32;
    }
    let mut start = vec![0usize; groups.len() + 1];
    for p in &mut pair {
        *p = rank[*p as usize];
        start[*p as usize + 1] += 1;
    }
    for g in 1..start.len() {
        start[g] += start[g - 1];
    }
    let mut next = start.clone();
    let mut order = vec![0u32; rows.len()];
    for (i, p) in pair.iter().enumerate() {
        order[next[*p as usize]] = i as u32;
        next[*p as usize] += 1;
    }
    let key = |i: u32| {
        let r = &rows[i as usize];
        (r.appln_id, r.priority, r.publication)
    };
    for g in 0..groups.len() {
        let part = &mut order[start[g]..start[g + 1]];
        if !part.windows(2).all(|w| key(w[0]) <= key(w[1])) {
            part.sort_unstable_by_key(|i| key(*i));
        }
    }
    Ok(AppOrder {
        groups,
        start,
        order,
        pair,
    })
}

/// Write the application facts `rows` to `out`, sorted by authority (byte
/// order of the codes of `auths`; unknown first), filing year (unknown
/// first) and application. `unique`: whether every id occurs once (the
/// table was read with [`read_apps`], which knows). Returns each
/// application's authority and filing year.
fn write_apps(out: &Path, mut rows: Vec<AppRow>, auths: Codes, unique: bool) -> Result<AppKeys> {
    let rank = auths.ranks();
    for r in &mut rows {
        r.authority = r.authority.map(|c| rank[c as usize]);
    }
    let mut by_rank = vec![String::new(); auths.names.len()];
    for (code, name) in auths.names.iter().enumerate() {
        by_rank[rank[code] as usize] = name.clone();
    }
    let order = sort_apps(&rows)?;
    let (groups, start) = (&order.groups, &order.start);
    let path = out.join(APP);
    let schema = crate::schema::facts_app();
    let mut w = writer(&path, schema.clone(), APP_ROW_GROUP)?;
    for chunk in order.order.chunks(APP_ROW_GROUP) {
        let row = |i: &u32| &rows[*i as usize];
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from_iter_values(
                    chunk.iter().map(|i| row(i).appln_id),
                )),
                Arc::new(StringArray::from_iter(
                    chunk
                        .iter()
                        .map(|i| row(i).authority.map(|a| by_rank[a as usize].as_str())),
                )),
                Arc::new(Int32Array::from_iter(chunk.iter().map(|i| row(i).filing))),
                Arc::new(Int32Array::from_iter(chunk.iter().map(|i| row(i).priority))),
                Arc::new(Int32Array::from_iter(
                    chunk.iter().map(|i| row(i).publication),
                )),
            ],
        )?;
        w.write(&batch).map_err(|e| EngineError::store(&path, e))?;
    }
    w.close().map_err(|e| EngineError::store(&path, e))?;
    let rows = &rows;
    let max_id = rows.iter().map(|r| r.appln_id).max().unwrap_or(0);
    let dense =
        rows.iter().all(|r| r.appln_id >= 0) && (max_id as u64) < 4 * rows.len() as u64 + (1 << 20);
    // Each application's pair, in the table's order (PATSTAT's ids ascend:
    // the slots are written in order). An id that occurs twice gets the
    // pair of its last row in sort order, as the derivation always gave it.
    let mut items: Box<dyn Iterator<Item = (&AppRow, u32)>> = if unique {
        Box::new(rows.iter().zip(order.pair.iter().copied()))
    } else {
        Box::new((0..groups.len()).flat_map(|g| {
            order.order[start[g]..start[g + 1]]
                .iter()
                .map(move |i| (&rows[*i as usize], g as u32))
        }))
    };
    let by_id = if dense {
        let mut v = vec![u32::MAX; max_id as usize + 1];
        for (r, g) in &mut items {
            v[r.appln_id as usize] = g;
        }
        AppGroup::Dense(v)
    } else {
        AppGroup::Sparse(items.map(|(r, g)| (r.appln_id, g)).collect())
    };
    Ok(AppKeys {
        authorities: by_rank,
        groups: order.groups,
        by_id,
        unique,
    })
}

/// The fingerprint of a classification: a digest of its scheme, prefixes
/// and category ids, so that facts derived from one list are never read
/// for another (an edited field file, another green method).
pub fn fingerprint(c: &Classification) -> String {
    let mut h = sha2::Sha256::new();
    h.update(c.scheme.map_or("any", |s| s.as_str()).as_bytes());
    for (p, i) in &c.rules {
        h.update(b"\n");
        h.update(p.fixed().as_bytes());
        h.update(b"\t");
        h.update(c.categories[*i].id.as_bytes());
    }
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the facts of classification `c` are (or would be) in dataset
/// directory `dir`.
pub fn class_path(dir: &Path, c: &Classification) -> PathBuf {
    dir.join(DIR).join(class_file(&fingerprint(c)))
}

/// The file name of a classification's facts, by fingerprint.
fn class_file(fingerprint: &str) -> String {
    format!("class-{fingerprint}.parquet")
}

/// The classifications derived at import: the ones the report's analyses
/// use by default.
pub fn builtin_classifications() -> Vec<Classification> {
    vec![
        builtin::technology_fields(),
        builtin::network_fields(),
        builtin::green(GreenMethod::WipoInventory),
        builtin::green(GreenMethod::OecdEnvtech),
        builtin::green(GreenMethod::EpoY02),
    ]
}

/// The prefixes of a classification, grouped by their first four bytes
/// (the subclass) so that a symbol is tested against the few rules of its
/// own subclass; shorter prefixes are tested against every symbol.
struct Rules {
    scheme: Option<&'static str>,
    by_subclass: HashMap<Vec<u8>, Vec<(Vec<u8>, u16)>>,
    short: Vec<(Vec<u8>, u16)>,
}

impl Rules {
    fn new(c: &Classification) -> Result<Rules> {
        let mut by_subclass: HashMap<Vec<u8>, Vec<(Vec<u8>, u16)>> = HashMap::new();
        let mut short = Vec::new();
        for (p, i) in &c.rules {
            let cat = u16::try_from(*i).map_err(|_| {
                EngineError::store(
                    Path::new(DIR),
                    format!("classification `{}` has more than 65535 categories", c.id),
                )
            })?;
            let fixed = p.fixed().as_bytes().to_vec();
            if fixed.len() >= 4 {
                by_subclass
                    .entry(fixed[..4].to_vec())
                    .or_default()
                    .push((fixed, cat));
            } else {
                short.push((fixed, cat));
            }
        }
        Ok(Rules {
            scheme: c.scheme.map(|s| s.as_str()),
            by_subclass,
            short,
        })
    }

    /// Call `f` with the category of every rule `symbol` (of `scheme`)
    /// starts with (a category may come more than once).
    fn each(&self, scheme: &str, symbol: &str, f: &mut impl FnMut(u16)) {
        if self.scheme.is_some_and(|s| s != scheme) {
            return;
        }
        let s = symbol.as_bytes();
        if let Some(rules) = s.get(..4).and_then(|k| self.by_subclass.get(k)) {
            for (p, c) in rules {
                if s.starts_with(p) {
                    f(*c);
                }
            }
        }
        for (p, c) in &self.short {
            if s.starts_with(p) {
                f(*c);
            }
        }
    }
}

/// Distinct symbols whose matches a [`Derivation`] remembers: PATSTAT's
/// hundreds of millions of symbol rows name a few hundred thousand
/// distinct symbols; past this many (a table of arbitrary strings), a
/// symbol is matched every time it comes.
const MEMO_CAP: usize = 1 << 20;

/// Each remembered symbol's matches, as a range of [`Derivation`]'s `hits`.
type SymbolHits = HashMap<Box<str>, (usize, usize)>;

/// The (application, category) pairs of several classifications, derived
/// in one pass over the symbol rows: each distinct (scheme, symbol) is
/// matched against every classification's rules once and its matches
/// remembered, so a row costs one hash lookup whatever the lists' sizes.
struct Derivation<'r> {
    rules: &'r [Rules],
    /// Per scheme (a few): each symbol's matches.
    memo: Vec<(Box<str>, SymbolHits)>,
    /// How many distinct symbols it remembers at most.
    cap: usize,
    /// (classification, category) of the remembered matches.
    hits: Vec<(u16, u16)>,
    /// The current application, whose categories are gathered in `runs`
    /// (one per classification) and flushed into `found` when it changes.
    run_id: Option<i64>,
    runs: Vec<Vec<u16>>,
    found: Vec<Vec<(i64, u16)>>,
}

impl<'r> Derivation<'r> {
    /// A derivation that remembers at most `cap` distinct symbols.
    fn new(rules: &'r [Rules], cap: usize) -> Derivation<'r> {
        Derivation {
            rules,
            memo: Vec::new(),
            cap,
            hits: Vec::new(),
            run_id: None,
            runs: vec![Vec::new(); rules.len()],
            found: vec![Vec::new(); rules.len()],
        }
    }

    fn flush(&mut self) {
        if let Some(id) = self.run_id {
            for (run, found) in self.runs.iter_mut().zip(&mut self.found) {
                run.sort_unstable();
                run.dedup();
                found.extend(run.drain(..).map(|c| (id, c)));
            }
        }
    }

    fn push(&mut self, appln_id: i64, scheme: &str, symbol: &str) {
        if self.run_id != Some(appln_id) {
            self.flush();
            self.run_id = Some(appln_id);
        }
        let k = match self.memo.iter().position(|(s, _)| &**s == scheme) {
            Some(k) => k,
            None => {
                self.memo.push((scheme.into(), HashMap::new()));
                self.memo.len() - 1
            }
        };
        let (a, b) = match self.memo[k].1.get(symbol) {
            Some(range) => *range,
            None => {
                let rules = self.rules;
                let a = self.hits.len();
                for (i, r) in rules.iter().enumerate() {
                    r.each(scheme, symbol, &mut |c| self.hits.push((i as u16, c)));
                }
                let b = self.hits.len();
                // Misses are rare (one per distinct symbol): counting the
                // remembered ones then is cheap.
                if self.memo.iter().map(|(_, m)| m.len()).sum::<usize>() < self.cap {
                    self.memo[k].1.insert(symbol.into(), (a, b));
                } else {
                    for (i, c) in self.hits.drain(a..) {
                        self.runs[i as usize].push(c);
                    }
                    return;
                }
                (a, b)
            }
        };
        for &(i, c) in &self.hits[a..b] {
            self.runs[i as usize].push(c);
        }
    }

    /// Each classification's (application, category) pairs, in row order.
    fn finish(mut self) -> Vec<Vec<(i64, u16)>> {
        self.flush();
        self.found
    }
}

/// One classification's (application, category index) pairs.
type Matches = Vec<(i64, u16)>;

/// Each classification's distinct (application, category index) pairs,
/// sorted, from the class table of `dir` in one scan whose row groups are
/// shared among the cores; at most `cap` distinct symbols remembered per
/// share.
///
/// With `ids` (the application table's), also tallies the symbol rows
/// that name an application not among them.
fn derive(
    dir: &Path,
    classes: &[Classification],
    cap: usize,
    ids: Option<&IdSet>,
) -> Result<(Vec<Matches>, Tally)> {
    let rules = classes.iter().map(Rules::new).collect::<Result<Vec<_>>>()?;
    let shares = scan_shares(
        dir,
        "class",
        &["appln_id", "scheme", "symbol"],
        || (Derivation::new(&rules, cap), Tally::default()),
        |(d, without), b| {
            let (id, scheme, symbol) = (ints(b, 0)?, texts(b, 1)?, texts(b, 2)?);
            for i in 0..b.num_rows() {
                if id.is_null(i) {
                    continue;
                }
                if ids.is_some_and(|ids| !ids.contains(id.value(i))) {
                    without.see(id.value(i));
                }
                if scheme.is_null(i) || symbol.is_null(i) {
                    continue;
                }
                d.push(id.value(i), scheme.value(i), symbol.value(i));
            }
            Ok(())
        },
    )?;
    let mut found: Vec<Matches> = vec![Vec::new(); classes.len()];
    let mut without = Tally::default();
    for (share, w) in shares {
        without = without.then(w);
        for (all, part) in found.iter_mut().zip(share.finish()) {
            all.extend(part);
        }
    }
    for f in &mut found {
        // Sorted and distinct already unless an application's symbols are
        // not contiguous (or straddle two shares).
        if !f.windows(2).all(|w| w[0] < w[1]) {
            f.sort_unstable();
            f.dedup();
        }
    }
    Ok((found, without))
}

/// Derive the facts of `classes` from the class table of `dir` ([`derive`])
/// and write each to `out/class-<fingerprint>.parquet`, through a
/// temporary file renamed into place. Returns the tally of symbol rows
/// naming no application of `ids` (when given).
fn write_classes(
    dir: &Path,
    out: &Path,
    classes: &[Classification],
    ids: Option<&IdSet>,
) -> Result<Tally> {
    let started = std::time::Instant::now();
    let (found, without) = derive(dir, classes, MEMO_CAP, ids)?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        classifications = classes.len(),
        "facts: symbols matched"
    );
    let schema = crate::schema::facts_class();
    for (c, found) in classes.iter().zip(found) {
        let fp = fingerprint(c);
        let path = out.join(class_file(&fp));
        // Unique per process and call: two requests may derive the same
        // classification at once, each into its own file.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        // Named so that the store sweeps it if the process is killed.
        let tmp = out.join(format!(
            ".class-{fp}-{}.tmp-{}",
            CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            std::process::id()
        ));
        let written = (|| {
            let mut w = writer(&tmp, schema.clone(), ROW_GROUP)?;
            for chunk in found.chunks(64 * 1024) {
                let batch = RecordBatch::try_new(
                    schema.clone(),
                    vec![
                        Arc::new(Int64Array::from_iter_values(chunk.iter().map(|(a, _)| *a))),
                        Arc::new(StringArray::from_iter_values(
                            chunk
                                .iter()
                                .map(|(_, k)| c.categories[*k as usize].id.as_str()),
                        )),
                    ],
                )?;
                w.write(&batch).map_err(|e| EngineError::store(&tmp, e))?;
            }
            w.close().map_err(|e| EngineError::store(&tmp, e))?;
            std::fs::rename(&tmp, &path).map_err(|e| EngineError::store(&path, e))
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        tracing::info!(
            classification = %c.id,
            rows = found.len(),
            ms = started.elapsed().as_millis() as u64,
            "facts: classification written"
        );
    }
    Ok(without)
}

/// Write all the facts of the tables in `dir` (a dataset being imported)
/// into `dir/facts/`, checking on the way how the tables refer to each
/// other (so the import reads each table once for both). Returns what the
/// check found.
pub(crate) fn write(dir: &Path) -> Result<Integrity> {
    let out = dir.join(DIR);
    std::fs::create_dir_all(&out).map_err(|e| EngineError::store(&out, e))?;
    write_into(dir, &out)
}

fn write_into(dir: &Path, out: &Path) -> Result<Integrity> {
    let started = std::time::Instant::now();
    let classes = builtin_classifications();
    let AppTable {
        rows,
        auths,
        ids,
        repeated,
    } = read_apps(dir)?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        applications = rows.len(),
        "facts: applications read"
    );
    std::thread::scope(|scope| {
        // The classifications read only the symbol table (and the
        // application ids): derived while the applications and their
        // countries are written.
        let symbols = scope.spawn(|| write_classes(dir, out, &classes, Some(&ids)));
        let countries = (|| {
            let apps = write_apps(out, rows, auths, repeated.n == 0)?;
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                unique = apps.unique,
                "facts: applications written"
            );
            write_countries(dir, out, &apps)
        })();
        let symbols = match symbols.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let links = countries?;
        Ok(Integrity {
            repeated,
            links_without_appln: links.without_appln,
            links_without_person: links.without_person,
            symbols_without_appln: symbols?,
        })
    })
}

/// Give the dataset directory `dir` (imported by an older innoscope) the
/// facts of this version: derived into a temporary directory beside it and
/// renamed into place, so a failure leaves the dataset as it was. Returns
/// false when it already had them.
pub fn upgrade(dir: &Path) -> Result<bool> {
    if present(dir) {
        return Ok(false);
    }
    let tmp = dir.join(format!(".facts.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| EngineError::store(&tmp, e))?;
    }
    std::fs::create_dir_all(&tmp).map_err(|e| EngineError::store(&tmp, e))?;
    if let Err(e) = write_into(dir, &tmp) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    replace(dir, &tmp)?;
    Ok(true)
}

/// Put the facts directory `from` in place as `dir/facts`, replacing
/// older facts and version 1's file.
pub(crate) fn replace(dir: &Path, from: &Path) -> Result<()> {
    let facts = dir.join(DIR);
    if facts.exists() {
        std::fs::remove_dir_all(&facts).map_err(|e| EngineError::store(&facts, e))?;
    }
    std::fs::rename(from, &facts).map_err(|e| EngineError::store(&facts, e))?;
    let legacy = dir.join(LEGACY_APP_COUNTRY);
    if legacy.exists() {
        std::fs::remove_file(&legacy).map_err(|e| EngineError::store(&legacy, e))?;
    }
    Ok(())
}

/// The facts of classification `c` in dataset directory `dir` (which has
/// facts of this version), derived from its class table and cached the
/// first time they are asked for. Returns their path, or `None` when they
/// could not be written (a read-only store): the caller then matches the
/// prefixes on the raw table.
pub fn ensure_class(dir: &Path, c: &Classification) -> Option<PathBuf> {
    let path = class_path(dir, c);
    if current(&path) {
        return Some(path);
    }
    let started = std::time::Instant::now();
    match write_classes(dir, &dir.join(DIR), std::slice::from_ref(c), None) {
        Ok(_) => {
            tracing::info!(
                classification = %c.id,
                ms = started.elapsed().as_millis() as u64,
                "facts of a classification derived and cached"
            );
            Some(path)
        }
        Err(e) => {
            // A read-only store, a full disk: the analysis goes on.
            tracing::warn!(
                classification = %c.id,
                error = %e,
                "classification facts could not be cached; matching the prefixes on the raw table"
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use innoscope_core::classify::prefix_table;
    use innoscope_core::patent::Scheme;
    use innoscope_core::text::Text;

    /// Each row's matches the plain way: every rule against every row;
    /// (application, category index), sorted as the facts are.
    fn by_hand(c: &Classification, rows: &[(i64, &str, &str)]) -> Vec<(i64, u16)> {
        let mut v: Vec<(i64, u16)> = rows
            .iter()
            .filter(|(_, scheme, _)| c.scheme.is_none_or(|s| s.as_str() == *scheme))
            .flat_map(|(a, _, symbol)| {
                c.rules
                    .iter()
                    .filter(|(p, _)| symbol.starts_with(p.fixed()))
                    .map(|(_, i)| (*a, *i as u16))
            })
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Links (application, person, role) fed to [`LinkRuns`] as shares cut
    /// at `cuts`: whether they are proved distinct.
    fn proved(links: &[(i64, Option<i64>, u8)], cuts: &[usize]) -> bool {
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(links.len());
        let shares = bounds
            .windows(2)
            .map(|w| {
                let mut runs = LinkRuns::new();
                for &(a, p, r) in &links[w[0]..w[1]] {
                    runs.see(a, p, r);
                }
                runs
            })
            .collect();
        links_distinct(shares)
    }

    /// Distinct links are proved so exactly when they come in runs of an
    /// application or of a person, however the table is cut into shares;
    /// links that repeat are never.
    #[test]
    fn links_are_proved_distinct_from_their_order() {
        let mut rng = innoscope_core::rng::Rng::new(5);
        let persons = [None, Some(10), Some(11), Some(12)];
        for round in 0..3000 {
            let n = rng.below(12);
            let mut links: Vec<(i64, Option<i64>, u8)> = (0..n)
                .map(|_| {
                    (
                        1 + rng.below(4) as i64,
                        *rng.pick(&persons),
                        rng.below(2) as u8,
                    )
                })
                .collect();
            // A third in application order, a third in person order.
            match round % 3 {
                0 => links.sort_by_key(|l| l.0),
                1 => links.sort_by_key(|l| l.1),
                _ => {}
            }
            let mut cuts: Vec<usize> = (0..rng.below(3)).map(|_| rng.below(n + 1)).collect();
            cuts.sort_unstable();
            let mut set = links.clone();
            set.sort_unstable();
            set.dedup();
            let distinct = set.len() == links.len();
            let got = proved(&links, &cuts);
            assert!(
                !got || distinct,
                "{links:?} {cuts:?}: proved, yet a link repeats"
            );
            let by_appln = links.windows(2).all(|w| w[0].0 <= w[1].0);
            let by_person = links
                .windows(2)
                .all(|w| w[0].1.is_some() && w[0].1 <= w[1].1)
                && links.last().is_none_or(|l| l.1.is_some());
            if by_appln || by_person {
                assert_eq!(got, distinct, "{links:?} {cuts:?}");
            }
        }
        // A run through three shares, its repeat in the first and last.
        let run = [
            (1, Some(10), 0),
            (1, Some(11), 0),
            (1, Some(12), 0),
            (1, Some(10), 0),
        ];
        assert!(!proved(&run, &[2, 3]));
        assert!(proved(&run[..3], &[1, 2]));
        assert!(proved(&[(1, Some(10), 0), (1, Some(10), 1)], &[1]));
    }

    #[test]
    fn merged_lists_are_sorted_and_distinct() {
        let (a, b, none): (&[u32], &[u32], &[u32]) = (&[1, 3, 5, 9], &[2, 3, 6, 9, 10], &[]);
        let merged: Vec<u32> = merge_distinct(&[a, none, b]).collect();
        assert_eq!(merged, [1, 2, 3, 5, 6, 9, 10]);
        assert_eq!(merge_distinct::<u32>(&[none]).count(), 0);
        assert_eq!(merge_distinct(&[a]).collect::<Vec<_>>(), a);
    }

    /// Write `columns` as `dir/<table>.parquet` in row groups of `group` rows.
    fn table(dir: &Path, table: &str, group: usize, columns: Vec<(&str, arrow::array::ArrayRef)>) {
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let file = File::create(dir.join(format!("{table}.parquet"))).unwrap();
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(group))
            .build();
        let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    /// The references are checked in the same pass that derives the facts:
    /// each tally is the number of offending rows and the first of them in
    /// row order, also when the tables are read in shares on several
    /// threads (row groups of two rows) and the first offender is not in
    /// the first share. A person without a country is still a person.
    #[test]
    fn references_are_checked_while_the_facts_are_derived() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        table(
            d,
            "appln",
            2,
            vec![
                (
                    "appln_id",
                    Arc::new(Int64Array::from(vec![3, 1, 2, 1, 4, 2, 5, 6])) as _,
                ),
                ("authority", Arc::new(StringArray::from(vec!["WO"; 8])) as _),
                (
                    "filing_year",
                    Arc::new(Int32Array::from(vec![2010; 8])) as _,
                ),
                (
                    "priority_year",
                    Arc::new(Int32Array::from(vec![None::<i32>; 8])) as _,
                ),
                (
                    "publication_year",
                    Arc::new(Int32Array::from(vec![None::<i32>; 8])) as _,
                ),
            ],
        );
        table(
            d,
            "person",
            2,
            vec![
                (
                    "person_id",
                    Arc::new(Int64Array::from(vec![10, 11, 12])) as _,
                ),
                (
                    "country",
                    Arc::new(StringArray::from(vec![Some("CN"), None, Some("US")])) as _,
                ),
            ],
        );
        // Links: applications 8 and 9 are not there, nor persons 13 and 14
        // (13 first, on a link without an application); person 11 has no
        // country. With two threads, the first share (two row groups) has
        // none of these and the symbols' first share has application 7,
        // the second 11.
        let links: Vec<(Option<i64>, Option<i64>)> = vec![
            (Some(1), Some(10)),
            (Some(2), Some(11)),
            (Some(3), None),
            (Some(4), Some(12)),
            (Some(8), Some(10)),
            (None, Some(13)),
            (Some(9), Some(12)),
            (Some(5), Some(13)),
            (Some(9), Some(14)),
            (Some(6), Some(12)),
        ];
        table(
            d,
            "party",
            2,
            vec![
                (
                    "appln_id",
                    Arc::new(Int64Array::from_iter(links.iter().map(|l| l.0))) as _,
                ),
                (
                    "person_id",
                    Arc::new(Int64Array::from_iter(links.iter().map(|l| l.1))) as _,
                ),
                (
                    "role",
                    Arc::new(StringArray::from(vec!["applicant"; links.len()])) as _,
                ),
            ],
        );
        let symbols: Vec<(Option<i64>, &str)> = vec![
            (Some(1), "H01M   8/04"),
            (Some(7), "H01M   8/10"),
            (Some(2), "F03D   1/00"),
            (Some(3), "A61K  39/00"),
            (Some(4), "H02S  10/00"),
            (None, "H01M   8/10"),
            (Some(5), "B60L  50/00"),
            (Some(11), "F03D   1/00"),
            (Some(6), "C12P   7/06"),
        ];
        table(
            d,
            "class",
            2,
            vec![
                (
                    "appln_id",
                    Arc::new(Int64Array::from_iter(symbols.iter().map(|s| s.0))) as _,
                ),
                (
                    "scheme",
                    Arc::new(StringArray::from(vec!["IPC"; symbols.len()])) as _,
                ),
                (
                    "symbol",
                    Arc::new(StringArray::from_iter_values(symbols.iter().map(|s| s.1))) as _,
                ),
            ],
        );
        let tally = |n, first| Tally {
            n,
            first: Some(first),
        };
        let want = Integrity {
            repeated: tally(2, 1),
            links_without_appln: tally(3, 8),
            links_without_person: tally(3, 13),
            symbols_without_appln: tally(2, 7),
        };
        assert_eq!(write(d).unwrap(), want);
        assert_eq!(
            want.problem().unwrap(),
            "2 application ids appear more than once in tls201 (first: 1); \
             3 links (tls207) name an application that tls201 does not hold (first: 8); \
             3 links (tls207) name a person that tls206 does not hold (first: 13); \
             2 symbols name an application that tls201 does not hold (first: 7)"
        );
        // Without persons, links to persons are not checked.
        std::fs::remove_dir_all(d.join(DIR)).unwrap();
        table(
            d,
            "person",
            2,
            vec![
                (
                    "person_id",
                    Arc::new(Int64Array::from(Vec::<i64>::new())) as _,
                ),
                (
                    "country",
                    Arc::new(StringArray::from(Vec::<&str>::new())) as _,
                ),
            ],
        );
        let got = write(d).unwrap();
        assert_eq!(got.links_without_person, Tally::default());
        assert_eq!(got.links_without_appln, want.links_without_appln);
        // Clean tables: nothing to say.
        assert_eq!(Integrity::default().problem(), None);
    }

    /// The counting sort gives the order of a full sort by all five
    /// columns: pairs unknown first, ids in and out of order within a
    /// pair, repeated ids, years unknown.
    #[test]
    fn applications_are_ordered_as_a_full_sort_would() {
        let mut state = 7u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let year = |v: u64| (v > 0).then(|| 2000 + v as i32);
        for sorted_ids in [true, false] {
            let rows: Vec<AppRow> = (0..5_000i64)
                .map(|i| AppRow {
                    authority: (next(5) > 0).then(|| next(4) as u16),
                    filing: year(next(6)),
                    appln_id: if sorted_ids {
                        i / 2
                    } else {
                        next(3_000) as i64
                    },
                    priority: year(next(3)),
                    publication: year(next(3)),
                })
                .collect();
            let key = |r: &AppRow| (r.authority, r.filing, r.appln_id, r.priority, r.publication);
            let mut want: Vec<_> = rows.iter().map(key).collect();
            want.sort_unstable();
            let AppOrder {
                groups,
                start,
                order,
                pair,
            } = sort_apps(&rows).unwrap();
            let got: Vec<_> = order.iter().map(|i| key(&rows[*i as usize])).collect();
            assert_eq!(got, want);
            let mut pairs: Vec<_> = want.iter().map(|k| (k.0, k.1)).collect();
            pairs.dedup();
            assert_eq!(groups, pairs);
            assert_eq!(start.len(), groups.len() + 1);
            for (g, p) in groups.iter().enumerate() {
                assert!(got[start[g]..start[g + 1]].iter().all(|k| (k.0, k.1) == *p));
            }
            for (r, g) in rows.iter().zip(&pair) {
                assert_eq!(groups[*g as usize], (r.authority, r.filing));
            }
        }
        let empty = sort_apps(&[]).unwrap();
        assert_eq!(
            (empty.groups, empty.start, empty.order),
            (vec![], vec![0], vec![])
        );
    }

    fn list(id: &str, scheme: Option<Scheme>, text: &str) -> Classification {
        prefix_table(id, Text::new(id, id), scheme, "t.csv", text, "t", "-").unwrap()
    }

    /// Row groups of three rows, so that the table is cut into shares with
    /// an application on both sides of a cut; applications out of order
    /// and repeated; another scheme; prefixes at and above the subclass.
    #[test]
    fn derived_classification_facts_are_every_rule_against_every_row() {
        let rows: Vec<(i64, &str, &str)> = vec![
            (5, "IPC", "H01M   8/04"),
            (5, "IPC", "F03D   1/00"),
            (5, "IPC", "H01M   8/10"),
            (5, "IPC", "H02S  10/00"),
            (2, "IPC", "A61K  39/395"),
            (2, "CPC", "F03D   1/00"),
            (9, "IPC", "C12P   7/06"),
            (9, "IPC", "C12P   7/10"),
            (9, "IPC", "F03D   3/00"),
            (2, "IPC", "B60L  50/00"),
            (7, "IPC", "H01M   4/00"),
            (7, "IPC", "H01M   8/04"),
            (5, "IPC", "F03D   1/00"),
        ];
        let tmp = tempfile::tempdir().unwrap();
        table(
            tmp.path(),
            "class",
            3,
            vec![
                (
                    "appln_id",
                    Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0))) as _,
                ),
                (
                    "scheme",
                    Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.1))) as _,
                ),
                (
                    "symbol",
                    Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.2))) as _,
                ),
            ],
        );
        let classes = [
            list(
                "green",
                Some(Scheme::Ipc),
                "prefix,topic_en,topic_zh\nF03D,Wind,风\nH01M   8/,Fuel cells,燃料电池\nH02S,PV,光伏\nC12P   7/06,Ethanol,乙醇\n",
            ),
            list(
                "broad",
                None,
                "prefix,topic_en,topic_zh\nH01,Electric elements,电气元件\nF03D,Wind,风\nA61K,Medical,医药\nB60,Vehicles,车辆\n",
            ),
        ];
        // Remembering every symbol, and none (each row matched anew).
        for cap in [MEMO_CAP, 0] {
            let (found, without) = derive(tmp.path(), &classes, cap, None).unwrap();
            assert_eq!(without, Tally::default());
            for (c, got) in classes.iter().zip(found) {
                assert_eq!(got, by_hand(c, &rows), "{} (cap {cap})", c.id);
                assert!(got.len() >= 6, "{}: {got:?}", c.id);
            }
        }
    }
}
