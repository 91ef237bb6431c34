//! Patent microdata as DataFusion plans: the building blocks of K1, K2,
//! C4 (microdata), I4, I5 and of `innoscope bench-workload`.
//!
//! A [`Microdata`] is a session over the four canonical tables of one patent
//! dataset (`appln`, `person`, `party`, `class`), whether they come from the
//! store or straight from PATSTAT's own files (CSV or Parquet, seen through
//! SQL views with the canonical names). Every result is a plan of standard
//! operators — scans, filters, equi-joins, aggregates, window functions —
//! with no user-defined functions, so that the same plans can run on a
//! distributed DataFusion engine.
//!
//! Counting conventions are explicit ([`Counting`]) and every result says
//! which were used ([`Counting::describe`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use arrow::array::{Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::{
    CsvReadOptions, DataFrame, ParquetReadOptions, SessionConfig, SessionContext,
};
use innoscope_core::classify::Classification;
use innoscope_core::patent::{Role, Scheme};
use innoscope_core::text::Text;

use crate::error::{EngineError, Result};

mod results;
pub use results::{
    ApplicationField, CategoryCount, Cell, Concentration, Count, CountryCount, CountryIntl,
    FieldCountry, FieldPair, FromCell, GreenCountry, Pair, ResultRow, Rows, TopApplicant,
    YearTotals,
};

/// `sum(expr)` of fractional weights, added up in fixed point (18 decimals)
/// and returned as a double: a float sum depends on the order in which the
/// partitions meet, so the same data could give results that differ in the
/// last digit from one run to the next.
macro_rules! exact_sum {
    ($e:literal) => {
        concat!("CAST(sum(CAST(", $e, " AS DECIMAL(38, 18))) AS DOUBLE)")
    };
}

/// Which applications count.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Authority {
    /// PCT applications only (authority `WO`).
    Pct,
    /// Applications at any authority.
    Any,
    /// One filing authority (`EP`, `US`, `CN`).
    Office(String),
}

impl FromStr for Authority {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "pct" | "wo" => Ok(Authority::Pct),
            "any" | "all" => Ok(Authority::Any),
            o if o.len() == 2 && o.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Ok(Authority::Office(o.to_ascii_uppercase()))
            }
            _ => Err(format!(
                "`{s}` is not an authority (pct, any, or a two-letter office code)"
            )),
        }
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Authority::Pct => f.write_str("pct"),
            Authority::Any => f.write_str("any"),
            Authority::Office(o) => f.write_str(o),
        }
    }
}

/// Which year an application belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum YearBasis {
    Filing,
    Priority,
    Publication,
}

impl YearBasis {
    fn column(self) -> &'static str {
        match self {
            YearBasis::Filing => "filing_year",
            YearBasis::Priority => "priority_year",
            YearBasis::Publication => "publication_year",
        }
    }
}

impl FromStr for YearBasis {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "filing" => Ok(YearBasis::Filing),
            "priority" => Ok(YearBasis::Priority),
            "publication" => Ok(YearBasis::Publication),
            _ => Err(format!(
                "`{s}` is not a year basis (filing, priority or publication)"
            )),
        }
    }
}

impl fmt::Display for YearBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.column().trim_end_matches("_year"))
    }
}

/// The counting conventions of a microdata result.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Counting {
    /// Count applicants' or inventors' countries.
    pub role: RoleParam,
    pub authority: Authority,
    pub year: YearBasis,
    /// Fractional counting: an application with k countries gives each 1/k.
    pub fractional: bool,
}

/// [`Role`] as a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleParam {
    Applicants,
    Inventors,
}

impl RoleParam {
    /// "applicants" / "inventors", for sentences.
    pub fn noun(self) -> Text {
        match self {
            RoleParam::Applicants => Text::new("applicants", "申请人"),
            RoleParam::Inventors => Text::new("inventors", "发明人"),
        }
    }

    pub fn role(self) -> Role {
        match self {
            RoleParam::Applicants => Role::Applicant,
            RoleParam::Inventors => Role::Inventor,
        }
    }
}

impl FromStr for RoleParam {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "applicants" | "applicant" => Ok(RoleParam::Applicants),
            "inventors" | "inventor" => Ok(RoleParam::Inventors),
            _ => Err(format!("`{s}` is not a role (applicants or inventors)")),
        }
    }
}

impl Default for Counting {
    /// The report's conventions: applicants' countries, PCT applications,
    /// filing year, whole counting.
    fn default() -> Self {
        Counting {
            role: RoleParam::Applicants,
            authority: Authority::Pct,
            year: YearBasis::Filing,
            fractional: false,
        }
    }
}

impl Counting {
    /// The conventions in words, for every figure and export.
    pub fn describe(&self) -> Text {
        let (role_en, role_zh) = match self.role {
            RoleParam::Applicants => ("applicants' countries", "申请人所在国"),
            RoleParam::Inventors => ("inventors' countries", "发明人所在国"),
        };
        let (auth_en, auth_zh) = match &self.authority {
            Authority::Pct => (
                "PCT applications (authority WO)".to_string(),
                "PCT 申请（受理局 WO）".to_string(),
            ),
            Authority::Any => (
                "applications at any authority".to_string(),
                "所有受理局的申请".to_string(),
            ),
            Authority::Office(o) => (
                format!("applications filed at {o}"),
                format!("{o} 受理的申请"),
            ),
        };
        let (year_en, year_zh) = match self.year {
            YearBasis::Filing => ("filing year", "申请年"),
            YearBasis::Priority => ("priority year", "优先权年"),
            YearBasis::Publication => ("publication year", "公开年"),
        };
        let (count_en, count_zh) = if self.fractional {
            (
                "fractional counting (1/k per country)",
                "分数计数（每国 1/k）",
            )
        } else {
            ("whole counting (1 per country)", "整数计数（每国计 1）")
        };
        Text::new(
            format!("{auth_en}; {role_en}; {year_en}; {count_en}"),
            format!("{auth_zh}；{role_zh}；{year_zh}；{count_zh}"),
        )
    }
}

/// Where the four tables come from.
#[derive(Clone, Debug)]
pub enum PatentTables {
    /// A patent dataset of the store (canonical Parquet).
    Store { dir: PathBuf },
    /// The same tables compiled into innoscope (the bundled demo).
    Bundled { files: Vec<(String, bytes::Bytes)> },
    /// PATSTAT's own files in a directory: `tls201_appln`, `tls206_person`,
    /// `tls207_pers_appln`, `tls209_appln_ipc` (and optionally
    /// `tls224_appln_cpc`) as `.csv` or `.parquet`.
    Patstat { dir: PathBuf, format: RawFormat },
}

/// File format of raw PATSTAT tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawFormat {
    Csv,
    Parquet,
}

fn raw_schema(table: &str) -> Schema {
    let i = |n: &str| Field::new(n, DataType::Int64, true);
    let s = |n: &str| Field::new(n, DataType::Utf8, true);
    match table {
        "tls201_appln" => Schema::new(vec![
            i("appln_id"),
            s("appln_auth"),
            s("appln_nr"),
            s("appln_kind"),
            s("appln_filing_date"),
            i("appln_filing_year"),
            i("docdb_family_id"),
        ]),
        "tls206_person" => Schema::new(vec![
            i("person_id"),
            s("person_name"),
            s("person_ctry_code"),
        ]),
        "tls207_pers_appln" => Schema::new(vec![
            i("person_id"),
            i("appln_id"),
            i("applt_seq_nr"),
            i("invt_seq_nr"),
        ]),
        "tls224_appln_cpc" => Schema::new(vec![i("appln_id"), s("cpc_class_symbol")]),
        _ => Schema::new(vec![
            i("appln_id"),
            s("ipc_class_symbol"),
            s("ipc_class_level"),
            s("ipc_version"),
            s("ipc_value"),
            s("ipc_position"),
            s("ipc_gener_auth"),
        ]),
    }
}

/// SQL for the country code of a raw PATSTAT column: trimmed, with
/// PATSTAT's blank and junk markers (`''`, `--`, `..`) as unknown. Codes are
/// otherwise kept as delivered (the workload compares them as exact strings);
/// the importer's stricter cleaning applies to datasets in the store.
fn raw_country_sql(c: &str) -> String {
    format!("CASE WHEN trim({c}) IN ('', '--', '..') THEN NULL ELSE trim({c}) END")
}

/// A session over one patent dataset.
pub struct Microdata {
    ctx: SessionContext,
    /// Whether the dataset is generated (figures carry a "synthetic" mark).
    pub synthetic: bool,
    /// Dataset id, for provenance notes.
    pub dataset: String,
    /// Where the plans run; on a cluster, intermediates are Parquet files in
    /// a work directory every executor can read, removed when the session ends.
    exec: Exec,
    work: Option<crate::cluster::WorkDir>,
    counter: std::sync::atomic::AtomicUsize,
    memory: crate::memory::Memory,
    /// The dataset directory, when its analysis-ready facts are registered
    /// ([`crate::facts`]); without them the counting base is built from the
    /// raw tables, with the same result.
    facts: Option<PathBuf>,
    /// Whether the country facts carry each application's authority and
    /// filing year ([`crate::facts::Facts::by_application`]).
    by_application: bool,
    /// Whether the facts proved every counted link distinct
    /// ([`crate::facts::Facts::links_distinct`]).
    links_distinct: bool,
    /// What identifies the tables' content for [`crate::memo`]: the dataset
    /// directory with its application table's size and modification time
    /// (an import replaces the file), or the bundled dataset's id; `None`
    /// (nothing remembered) for raw PATSTAT files.
    identity: Option<String>,
}

pub use crate::cluster::Exec;

/// `path` with its size and modification time: changes when an import
/// replaces the file (or, for a directory of parts, its entries).
fn content_identity(path: &Path) -> Option<String> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("{}|{}|{}", path.display(), m.len(), t.as_nanos()))
}

/// True the first time a dataset directory without facts is opened in this
/// process: the server opens a dataset per request, and says it once.
fn warn_once_without_facts(dir: &Path) -> bool {
    static SEEN: std::sync::Mutex<BTreeSet<PathBuf>> = std::sync::Mutex::new(BTreeSet::new());
    SEEN.lock()
        .map(|mut s| s.insert(dir.to_path_buf()))
        .unwrap_or(true)
}

fn new_context(memory: &crate::memory::Memory) -> SessionContext {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let config = SessionConfig::new()
        .with_target_partitions(threads)
        .with_information_schema(false);
    SessionContext::new_with_config_rt(config, memory.runtime())
}

impl Microdata {
    /// Open a session over `tables`, in process.
    pub async fn open(tables: &PatentTables, dataset: &str, synthetic: bool) -> Result<Microdata> {
        Self::open_on(
            tables,
            dataset,
            synthetic,
            &Exec::Local,
            &crate::memory::Memory::default(),
        )
        .await
    }

    /// Open a session over `tables` on `exec` (in process, or a Ballista
    /// cluster: the same plans, the same results). In process, its queries
    /// draw on `memory`.
    pub async fn open_on(
        tables: &PatentTables,
        dataset: &str,
        synthetic: bool,
        exec: &Exec,
        memory: &crate::memory::Memory,
    ) -> Result<Microdata> {
        let (ctx, work) = match exec {
            Exec::Local => (new_context(memory), None),
            Exec::Cluster { url, work_dir, .. } => {
                if matches!(tables, PatentTables::Bundled { .. }) {
                    return Err(EngineError::missing(
                        format!(
                            "the bundled demo dataset `{dataset}` is compiled into innoscope; executors cannot read it"
                        ),
                        "import a dataset into a store on a path every executor can read (`innoscope import …`), and name it with --source",
                    ));
                }
                (
                    crate::cluster::context(url).await?,
                    Some(crate::cluster::WorkDir::create(work_dir)?),
                )
            }
        };
        let mut facts = None;
        let mut by_application = false;
        let mut links_distinct = false;
        let mut identity = None;
        match tables {
            PatentTables::Store { dir } => {
                for t in innoscope_core::patent::TABLES {
                    // One file, or a directory of parts (`import --partitions`).
                    let file = dir.join(format!("{t}.parquet"));
                    let parts = dir.join(t);
                    let (path, on_disk) = if file.is_file() {
                        (file.to_string_lossy().into_owned(), &file)
                    } else if parts.is_dir() {
                        (format!("{}/", parts.display()), &parts)
                    } else {
                        return Err(EngineError::store(
                            &file,
                            "patent table missing from the dataset; re-import it",
                        ));
                    };
                    ctx.register_parquet(t, &path, ParquetReadOptions::default())
                        .await?;
                    if t == "appln" {
                        identity = content_identity(on_disk);
                    }
                }
                if let Some(state) = crate::facts::state(dir) {
                    let fdir = dir.join(crate::facts::DIR);
                    for (table, file) in [
                        ("app", crate::facts::APP),
                        ("app_country", crate::facts::APP_COUNTRY),
                    ] {
                        ctx.register_parquet(
                            table,
                            fdir.join(file).to_string_lossy().as_ref(),
                            ParquetReadOptions::default(),
                        )
                        .await?;
                    }
                    facts = Some(dir.clone());
                    by_application = state.by_application;
                    links_distinct = state.links_distinct;
                } else if warn_once_without_facts(dir) {
                    tracing::warn!(
                        dataset,
                        "the dataset has no analysis-ready facts of version {} (imported by an older innoscope): the microdata analyses read its raw tables, which is slower; run `innoscope datasets --upgrade` to derive them",
                        crate::facts::VERSION
                    );
                }
            }
            PatentTables::Bundled { files } => {
                identity = Some(format!("bundled:{dataset}"));
                for t in innoscope_core::patent::TABLES {
                    let bytes = files
                        .iter()
                        .find(|(n, _)| n == t)
                        .map(|(_, b)| b.clone())
                        .ok_or_else(|| {
                            EngineError::store(format!("<bundled>/{t}.parquet"), "missing")
                        })?;
                    let reader =
                        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                            bytes,
                        )?;
                    let schema = reader.schema().clone();
                    let batches = reader
                        .build()?
                        .collect::<std::result::Result<Vec<_>, _>>()?;
                    ctx.register_table(t, Arc::new(MemTable::try_new(schema, vec![batches])?))?;
                }
            }
            PatentTables::Patstat { dir, format } => {
                register_patstat(&ctx, dir, *format).await?;
            }
        }
        Ok(Microdata {
            ctx,
            synthetic,
            dataset: dataset.to_string(),
            exec: exec.clone(),
            work,
            counter: std::sync::atomic::AtomicUsize::new(0),
            memory: memory.clone(),
            facts,
            by_application,
            links_distinct,
            identity,
        })
    }

    /// The key under which a result of these tables that does not depend
    /// on the request's years is remembered ([`crate::memo`]): `what` (the
    /// result and its own parameters) with the counting conventions; `None`
    /// when the tables have no identity.
    pub fn memo_key(&self, what: &str, counting: &Counting) -> Option<String> {
        let id = self.identity.as_ref()?;
        Some(format!("{id}\u{1f}{what}\u{1f}{counting:?}"))
    }

    /// Whether the counting base reads the analysis-ready facts.
    pub fn uses_facts(&self) -> bool {
        self.facts.is_some()
    }

    /// Build the counting base from the raw tables even when facts exist
    /// (the tests compare the two paths).
    pub fn without_facts(mut self) -> Microdata {
        self.facts = None;
        self.links_distinct = false;
        self
    }

    /// An error of a query, with what to do when it came from the cluster
    /// or the memory budget.
    fn failed(&self, e: datafusion::error::DataFusionError) -> EngineError {
        match &self.exec {
            Exec::Local => self.memory.exhausted(e),
            Exec::Cluster { url, .. } => crate::cluster::explain(url, &e),
        }
    }

    /// Run `df` and keep its batches on the client.
    pub(crate) async fn collect(&self, df: DataFrame) -> Result<Vec<RecordBatch>> {
        match &self.exec {
            Exec::Local => df.collect().await.map_err(|e| self.failed(e)),
            Exec::Cluster { url, timeout, .. } => {
                crate::cluster::bounded(url, *timeout, df.collect()).await
            }
        }
    }

    /// Register a small in-memory batch (prefix lists) as table `name`.
    async fn register_small(&self, name: &str, batch: RecordBatch) -> Result<()> {
        let _ = self.ctx.deregister_table(name);
        match &self.work {
            None => {
                self.ctx.register_batch(name, batch)?;
            }
            Some(work) => {
                // Executors cannot see the client's memory: a Parquet file
                // in the shared work directory instead.
                let path = work.file(&format!("{name}.parquet"));
                crate::cluster::write_batch(&path, &batch)?;
                self.ctx
                    .register_parquet(
                        name,
                        path.to_string_lossy().as_ref(),
                        ParquetReadOptions::default(),
                    )
                    .await
                    .map_err(|e| self.failed(e))?;
            }
        }
        Ok(())
    }

    /// SQL expressions for the person table's harmonised name, its field
    /// and the sector; NULL for stores written before these columns existed.
    pub(crate) async fn person_extras(&self, alias: &str) -> Result<String> {
        let schema = self.context().table("person").await?.schema().clone();
        let col = |c: &str| {
            if schema.has_column_with_unqualified_name(c) {
                format!("CAST({alias}.{c} AS VARCHAR) AS {c}")
            } else {
                format!("CAST(NULL AS VARCHAR) AS {c}")
            }
        };
        Ok(format!(
            "{}, {}, {}",
            col("harmonised"),
            col("harmonised_by"),
            col("sector")
        ))
    }

    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }

    async fn sql(&self, sql: &str) -> Result<DataFrame> {
        tracing::trace!(sql, "microdata query");
        self.ctx.sql(sql).await.map_err(|e| self.failed(e))
    }

    /// The `n` of a query `SELECT count(*) AS n …`.
    async fn count(&self, sql: &str) -> Result<i64> {
        let batches = self.collect(self.sql(sql).await?).await?;
        Ok(Rows::from_batches(&batches)?
            .decode::<Count>()?
            .first()
            .map_or(0, |r| r.n))
    }

    /// Register a query's result as an in-memory table (an intermediate
    /// reused by several results).
    async fn materialise(&self, name: &str, sql: &str) -> Result<()> {
        let started = std::time::Instant::now();
        if tracing::enabled!(tracing::Level::TRACE) {
            let plan = self.sql(sql).await?.explain(false, true)?.collect().await?;
            let text = arrow::util::pretty::pretty_format_batches(&plan)
                .map(|t| t.to_string())
                .unwrap_or_default();
            tracing::trace!(table = name, "plan with metrics:\n{text}");
        }
        match &self.work {
            None => {
                // As DataFrame::cache does, with the string views compacted:
                // a filtered scan's views point into the whole decoded
                // pages, and every later take or join clones each batch's
                // buffer list.
                let df = self.sql(sql).await?;
                let task = Arc::new(df.task_ctx());
                let plan = df
                    .create_physical_plan()
                    .await
                    .map_err(|e| self.failed(e))?;
                let schema = plan.schema();
                let parts = datafusion::physical_plan::collect_partitioned(plan, task)
                    .await
                    .map_err(|e| self.failed(e))?;
                let parts = parts
                    .into_iter()
                    .map(|p| p.iter().map(compact_views).collect::<Result<Vec<_>>>())
                    .collect::<Result<Vec<_>>>()?;
                let table = MemTable::try_new(schema, parts)?;
                let _ = self.ctx.deregister_table(name);
                self.ctx.register_table(name, Arc::new(table))?;
            }
            Some(work) => {
                // On a cluster the executors write the intermediate as
                // Parquet partitions into the shared work directory.
                let n = self
                    .counter
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let dir = work.file(&format!("{name}-{n}"));
                let path = format!("{}/", dir.display());
                let df = self.sql(sql).await?;
                let write = df.write_parquet(
                    &path,
                    datafusion::dataframe::DataFrameWriteOptions::new(),
                    None,
                );
                match &self.exec {
                    Exec::Cluster { url, timeout, .. } => {
                        crate::cluster::bounded(url, *timeout, write).await?;
                    }
                    Exec::Local => {
                        write.await.map_err(|e| self.failed(e))?;
                    }
                }
                let _ = self.ctx.deregister_table(name);
                self.ctx
                    .register_parquet(name, &path, ParquetReadOptions::default())
                    .await
                    .map_err(|e| self.failed(e))?;
            }
        }
        tracing::debug!(
            table = name,
            ms = started.elapsed().as_millis() as u64,
            "materialised"
        );
        Ok(())
    }

    /// Prepare the counting base for `counting` over all years: the
    /// selected applications (`sel`: appln_id, year), their distinct known
    /// countries (`ac`: appln_id, year, ctry), the applications with two or
    /// more countries (`multi`: appln_id, k), their rows (`intl`), the
    /// country pairs of each (`app_pairs`), the yearly totals (`totals`:
    /// year, apps), and the symbols the classifications in `needs` can
    /// match (`cls`).
    pub async fn prepare(
        &self,
        counting: &Counting,
        needs: &[&Classification],
    ) -> Result<Base<'_>> {
        self.prepare_years(counting, needs, &Years::All).await
    }

    /// [`Microdata::prepare`] for the applications of `years` only. Every
    /// table of the base is keyed by application, and an application has
    /// one year, so each result's rows for these years are those of the
    /// whole base; the other years are absent (a per-year series needs
    /// [`Years::All`]). A selection that is empty only because of the years
    /// gives empty results, not the error of a dataset without such
    /// applications.
    pub async fn prepare_years(
        &self,
        counting: &Counting,
        needs: &[&Classification],
        years: &Years,
    ) -> Result<Base<'_>> {
        let year = counting.year.column();
        let auth_of = |alias: &str| match &counting.authority {
            Authority::Pct => format!("{alias}.authority = 'WO'"),
            Authority::Any => "TRUE".to_string(),
            Authority::Office(o) => format!("{alias}.authority = '{}'", o.replace('\'', "")),
        };
        let auth = auth_of("a");
        let role = counting.role.role().as_str();
        // Built by the first result that needs them ([`Base::persons`]).
        let _ = self.ctx.deregister_table(PERSONS);
        let _ = self.ctx.deregister_table(PERSON_APPS);
        // With facts, `app` holds the same columns sorted by authority and
        // filing year: Parquet statistics skip the other authorities' (and
        // years') row groups.
        let apps = if self.facts.is_some() { "app" } else { "appln" };
        let in_years = |c: &str| {
            years
                .sql(c)
                .map(|w| format!(" AND {w}"))
                .unwrap_or_default()
        };
        self.materialise(
            "sel",
            &format!(
                "SELECT a.appln_id, CAST(a.{year} AS INT) AS year FROM {apps} a \
                 WHERE {auth} AND a.{year} IS NOT NULL{}",
                in_years(&format!("a.{year}"))
            ),
        )
        .await?;
        let mut n = self.count("SELECT count(*) AS n FROM sel").await?;
        if n == 0 && *years != Years::All {
            n = self
                .count(&format!(
                    "SELECT count(*) AS n FROM (SELECT 1 FROM {apps} a WHERE {auth} AND a.{year} IS NOT NULL LIMIT 1)"
                ))
                .await?;
        }
        if n == 0 {
            return Err(EngineError::missing(
                format!(
                    "dataset `{}` has no {} with a {} year",
                    self.dataset,
                    match &counting.authority {
                        Authority::Pct => "PCT applications (authority WO)".to_string(),
                        Authority::Any => "applications".to_string(),
                        Authority::Office(o) => format!("applications filed at {o}"),
                    },
                    counting.year
                ),
                "choose another --authority or --year-basis (PATSTAT's workload tables carry filing years only; PatentsView has no PCT flag: use --authority US)",
            ));
        }
        if self.facts.is_some() && self.by_application && counting.year == YearBasis::Filing {
            // The distinct countries per application and role, derived at
            // import with the application's authority and filing year:
            // the selection is a filter, Parquet statistics skip the other
            // roles', authorities' and years' row groups, and nothing is
            // joined.
            self.materialise(
                "ac",
                &format!(
                    "SELECT f.appln_id, f.filing_year AS year, f.country AS ctry, f.countries AS k \
                     FROM app_country f WHERE f.role = '{role}' AND {} AND f.filing_year IS NOT NULL{}",
                    auth_of("f"),
                    in_years("f.filing_year")
                ),
            )
            .await?;
        } else if self.facts.is_some() {
            // Another year basis: the year comes from `sel`; the authority
            // still narrows the scan when the facts carry it. Without it
            // (an application id repeated in `appln`), `sel` can hold an
            // application twice: the distinct keeps one row, as the raw
            // path's does.
            let (narrow, distinct, k) = if self.by_application {
                (format!(" AND {}", auth_of("f")), "", ", f.countries AS k")
            } else {
                (String::new(), "DISTINCT ", "")
            };
            self.materialise(
                "ac",
                &format!(
                    "SELECT {distinct}f.appln_id, s.year, f.country AS ctry{k} FROM app_country f \
                     JOIN sel s ON f.appln_id = s.appln_id WHERE f.role = '{role}'{narrow}"
                ),
            )
            .await?;
        } else {
            // Parties of the selected applications first (an in-memory table
            // with exact statistics), so that the join with `person` builds its
            // hash table on the smaller side.
            self.materialise(
                "pa",
                &format!(
                    "SELECT r.appln_id, r.person_id, s.year FROM party r \
                     JOIN sel s ON r.appln_id = s.appln_id WHERE r.role = '{role}'"
                ),
            )
            .await?;
            self.materialise(
                "ac",
                "SELECT DISTINCT pa.appln_id, pa.year, p.country AS ctry \
                 FROM pa JOIN person p ON pa.person_id = p.person_id \
                 WHERE p.country IS NOT NULL",
            )
            .await?;
            let _ = self.ctx.deregister_table("pa");
        }
        // International co-applications: two or more countries (`multi`:
        // each with its number k; `intl`: their rows). With the facts, each
        // row of `ac` carries its application's k, counted at import: a
        // filter instead of a count per application and a join (except
        // where an id repeats in `appln`, whose rows are counted here as
        // the raw path counts them).
        if self.facts.is_some() && self.by_application {
            self.materialise(
                "intl",
                "SELECT appln_id, year, ctry, CAST(k AS BIGINT) AS k FROM ac WHERE k >= 2",
            )
            .await?;
            self.materialise("multi", "SELECT DISTINCT appln_id, k FROM intl")
                .await?;
        } else {
            self.materialise(
                "multi",
                "SELECT appln_id, count(*) AS k FROM ac GROUP BY appln_id HAVING count(*) >= 2",
            )
            .await?;
            self.materialise(
                "intl",
                "SELECT ac.appln_id, ac.year, ac.ctry, m.k FROM ac JOIN multi m ON ac.appln_id = m.appln_id",
            )
            .await?;
        }
        self.materialise(
            "totals",
            "SELECT year, count(*) AS apps FROM sel GROUP BY year",
        )
        .await?;
        self.materialise(
            "app_pairs",
            "SELECT a.appln_id, a.year, a.ctry AS ctry_a, b.ctry AS ctry_b \
             FROM intl a JOIN intl b ON a.appln_id = b.appln_id AND a.ctry < b.ctry",
        )
        .await?;
        // The symbols of the selected applications that the classifications
        // can match, read once: every classification joins this in-memory
        // table instead of scanning `class` again. When all prefixes reach
        // the subclass level, only symbols of their subclasses are kept.
        // With facts, each classification reads its own facts instead.
        if !needs.is_empty() && self.facts.is_none() {
            let rules = needs.iter().flat_map(|c| c.rules.iter());
            let narrow = needs
                .iter()
                .flat_map(|c| c.rules.iter())
                .all(|(p, _)| p.fixed().len() >= 4);
            let filter = if narrow {
                let subclasses: BTreeSet<String> = rules
                    .filter_map(|(p, _)| p.fixed().get(..4))
                    .map(|s| format!("'{s}'"))
                    .collect();
                format!(
                    // The stored `subclass` column is dictionary-encoded: cheaper to test than a substring.
                    " WHERE c.subclass IN ({})",
                    subclasses.into_iter().collect::<Vec<_>>().join(", ")
                )
            } else {
                String::new()
            };
            self.materialise(
                "cls",
                &format!(
                    "SELECT c.appln_id, c.scheme, c.symbol FROM class c \
                     JOIN sel s ON c.appln_id = s.appln_id{filter}"
                ),
            )
            .await?;
        }
        Ok(Base {
            md: self,
            counting: counting.clone(),
            cls: !needs.is_empty() && self.facts.is_none(),
        })
    }
}

/// The years a counting base holds ([`Microdata::prepare_years`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Years {
    /// Every year of the selection.
    All,
    /// These years only (in any order; repeats are ignored).
    Only(Vec<i32>),
}

impl Years {
    /// The years `from..=to`.
    pub fn span(from: i32, to: i32) -> Years {
        Years::Only((from..=to).collect())
    }

    /// A SQL condition on the year column `col`, or `None` for all years: a
    /// range when the years are consecutive (Parquet statistics prune on it
    /// as well as on a list), else a list.
    fn sql(&self, col: &str) -> Option<String> {
        let Years::Only(v) = self else {
            return None;
        };
        let set: BTreeSet<i32> = v.iter().copied().collect();
        let (Some(&lo), Some(&hi)) = (set.first(), set.last()) else {
            return Some("FALSE".to_string());
        };
        Some(if i64::from(hi) - i64::from(lo) + 1 == set.len() as i64 {
            format!("{col} BETWEEN {lo} AND {hi}")
        } else {
            let list: Vec<String> = set.iter().map(|y| y.to_string()).collect();
            format!("{col} IN ({})", list.join(", "))
        })
    }
}

/// `batch` with its string-view columns holding only their own strings
/// (short ones are inline: then no buffer is kept at all).
fn compact_views(batch: &RecordBatch) -> Result<RecordBatch> {
    use arrow::array::AsArray;
    if !batch
        .columns()
        .iter()
        .any(|c| c.data_type() == &DataType::Utf8View)
    {
        return Ok(batch.clone());
    }
    let columns = batch
        .columns()
        .iter()
        .map(|c| match c.data_type() {
            DataType::Utf8View => Arc::new(c.as_string_view().gc()) as arrow::array::ArrayRef,
            _ => c.clone(),
        })
        .collect();
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}

async fn register_patstat(ctx: &SessionContext, dir: &Path, format: RawFormat) -> Result<()> {
    let ext = match format {
        RawFormat::Csv => "csv",
        RawFormat::Parquet => "parquet",
    };
    let mut have_cpc = false;
    for t in [
        "tls201_appln",
        "tls206_person",
        "tls207_pers_appln",
        "tls209_appln_ipc",
        "tls224_appln_cpc",
    ] {
        let path = dir.join(format!("{t}.{ext}"));
        if !path.is_file() {
            if t == "tls224_appln_cpc" {
                continue;
            }
            return Err(EngineError::missing(
                format!("{}: missing", path.display()),
                format!(
                    "the directory must hold tls201_appln, tls206_person, tls207_pers_appln and tls209_appln_ipc as .{ext}"
                ),
            ));
        }
        have_cpc |= t == "tls224_appln_cpc";
        let p = path.to_string_lossy();
        match format {
            RawFormat::Csv => {
                let schema = raw_schema(t);
                let opts = CsvReadOptions::new()
                    .has_header(true)
                    .schema(&schema)
                    .file_extension(".csv");
                ctx.register_csv(t, p.as_ref(), opts).await?;
            }
            RawFormat::Parquet => {
                ctx.register_parquet(t, p.as_ref(), ParquetReadOptions::default())
                    .await?;
            }
        }
    }
    let views = [
        "CREATE VIEW appln AS SELECT appln_id, appln_auth AS authority, \
           CASE WHEN appln_filing_year IN (0, 9999) THEN NULL ELSE CAST(appln_filing_year AS INT) END AS filing_year, \
           CAST(NULL AS INT) AS priority_year, CAST(NULL AS INT) AS publication_year, \
           docdb_family_id AS family_id FROM tls201_appln"
            .to_string(),
        format!(
            "CREATE VIEW person AS SELECT person_id, person_name AS name, {} AS country FROM tls206_person",
            raw_country_sql("person_ctry_code")
        ),
        "CREATE VIEW party AS \
           SELECT appln_id, person_id, 'applicant' AS role, CAST(applt_seq_nr AS INT) AS seq \
             FROM tls207_pers_appln WHERE applt_seq_nr > 0 \
           UNION ALL \
           SELECT appln_id, person_id, 'inventor' AS role, CAST(invt_seq_nr AS INT) AS seq \
             FROM tls207_pers_appln WHERE invt_seq_nr > 0"
            .to_string(),
        if have_cpc {
            "CREATE VIEW class AS \
               SELECT appln_id, 'IPC' AS scheme, ipc_class_symbol AS symbol, substr(ipc_class_symbol, 1, 4) AS subclass FROM tls209_appln_ipc \
               UNION ALL SELECT appln_id, 'CPC' AS scheme, cpc_class_symbol AS symbol, substr(cpc_class_symbol, 1, 4) AS subclass FROM tls224_appln_cpc"
                .to_string()
        } else {
            "CREATE VIEW class AS SELECT appln_id, 'IPC' AS scheme, ipc_class_symbol AS symbol, substr(ipc_class_symbol, 1, 4) AS subclass FROM tls209_appln_ipc"
                .to_string()
        },
    ];
    for v in views {
        ctx.sql(&v).await?.collect().await?;
    }
    Ok(())
}

/// The persons of the selected applications ([`Base::persons`]).
const PERSONS: &str = "sel_persons";
/// Each person's applications per year (`year, person_id, apps`), from
/// [`PERSONS`].
const PERSON_APPS: &str = "sel_person_apps";

/// A prepared counting base; each method is one result of the workload.
pub struct Base<'a> {
    md: &'a Microdata,
    pub counting: Counting,
    /// Whether `cls` (the symbols of the selected applications) is
    /// registered; else the raw path of [`Base::classify`] reads `class`.
    cls: bool,
}

fn prefix_table(classification: &Classification) -> Result<RecordBatch> {
    let mut lens = Vec::new();
    let mut prefixes = Vec::new();
    let mut cats = Vec::new();
    for (p, i) in &classification.rules {
        lens.push(p.fixed().len() as i64);
        prefixes.push(p.fixed().to_string());
        cats.push(classification.categories[*i].id.clone());
    }
    Ok(RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("len", DataType::Int64, false),
            Field::new("prefix", DataType::Utf8, false),
            Field::new("category", DataType::Utf8, false),
        ])),
        vec![
            Arc::new(Int64Array::from(lens)),
            Arc::new(StringArray::from(prefixes)),
            Arc::new(StringArray::from(cats)),
        ],
    )?)
}

impl Base<'_> {
    /// The result of `sql` as typed rows.
    async fn rows<T: ResultRow>(&self, sql: &str) -> Result<Vec<T>> {
        let started = std::time::Instant::now();
        let df = self.md.sql(sql).await?;
        let columns: Vec<String> = df
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let batches = self.md.collect(df).await?;
        let mut rows = Rows::from_batches(&batches)?;
        rows.columns = columns;
        tracing::debug!(
            rows = rows.len(),
            ms = started.elapsed().as_millis() as u64,
            "result"
        );
        rows.decode()
    }

    /// Register `name(appln_id, category)`: the selected applications whose
    /// symbols start with one of the classification's prefixes, one row per
    /// application and category. One equi-join per prefix length.
    pub async fn classify(
        &self,
        name: &str,
        classification: &Classification,
        within: &str,
    ) -> Result<()> {
        if let Some(dir) = &self.md.facts {
            // The classification's facts: derived at import for the
            // built-in ones, else now, once, and cached in the dataset.
            let (d, c) = (dir.clone(), classification.clone());
            let path = tokio::task::spawn_blocking(move || crate::facts::ensure_class(&d, &c))
                .await
                .map_err(|e| {
                    EngineError::store(crate::facts::class_path(dir, classification), e)
                })?;
            if let Some(path) = path {
                let table = format!("{name}_facts");
                let _ = self.md.ctx.deregister_table(&table);
                self.md
                    .ctx
                    .register_parquet(
                        &table,
                        path.to_string_lossy().as_ref(),
                        ParquetReadOptions::default(),
                    )
                    .await
                    .map_err(|e| self.md.failed(e))?;
                return self
                    .md
                    .materialise(
                        name,
                        &format!(
                            "SELECT f.appln_id, f.category FROM {table} f \
                             WHERE f.appln_id IN (SELECT appln_id FROM {within})"
                        ),
                    )
                    .await;
            }
        }
        let source = if self.cls { "cls" } else { "class" };
        let table = format!("{name}_prefixes");
        self.md
            .register_small(&table, prefix_table(classification)?)
            .await?;
        let mut lens: Vec<usize> = classification
            .rules
            .iter()
            .map(|(p, _)| p.fixed().len())
            .collect();
        lens.sort_unstable();
        lens.dedup();
        let scheme = match classification.scheme {
            Some(Scheme::Ipc) => " AND c.scheme = 'IPC'",
            Some(Scheme::Cpc) => " AND c.scheme = 'CPC'",
            None => "",
        };
        // Narrow to symbols whose subclass occurs in the list (one scan with
        // a hash-set filter), then join each prefix length on that subset.
        let cand = format!("{name}_cand");
        let subclasses: BTreeSet<&str> = classification
            .rules
            .iter()
            .filter_map(|(p, _)| p.fixed().get(..4))
            .collect();
        let prefilter = if classification
            .rules
            .iter()
            .all(|(p, _)| p.fixed().len() >= 4)
        {
            let list: Vec<String> = subclasses.iter().map(|s| format!("'{s}'")).collect();
            format!(" AND substr(c.symbol, 1, 4) IN ({})", list.join(", "))
        } else {
            String::new()
        };
        self.md
            .materialise(
                &cand,
                &format!(
                    "SELECT c.appln_id, c.symbol FROM {source} c JOIN {within} w ON c.appln_id = w.appln_id \
                     WHERE TRUE{scheme}{prefilter}"
                ),
            )
            .await?;
        let parts: Vec<String> = lens
            .iter()
            .map(|l| {
                format!(
                    "SELECT c.appln_id, p.category FROM {cand} c \
                     JOIN (SELECT prefix, category FROM {table} WHERE len = {l}) p \
                     ON substr(c.symbol, 1, {l}) = p.prefix"
                )
            })
            .collect();
        let sql = if parts.is_empty() {
            "SELECT CAST(NULL AS BIGINT) AS appln_id, CAST(NULL AS VARCHAR) AS category WHERE FALSE"
                .to_string()
        } else {
            format!(
                "SELECT DISTINCT appln_id, category FROM ({})",
                parts.join(" UNION ALL ")
            )
        };
        self.md.materialise(name, &sql).await
    }

    /// Per year: selected applications, international co-applications and
    /// their share; with `green` (registered by [`Base::classify`] as
    /// `green`), green applications and their share (null without).
    pub async fn totals(&self, with_green: bool) -> Result<Vec<YearTotals>> {
        let green = if with_green {
            ", coalesce(g.green_apps, 0) AS green_apps, \
               CAST(coalesce(g.green_apps, 0) AS DOUBLE) / t.apps AS green_share"
        } else {
            ", CAST(NULL AS BIGINT) AS green_apps, CAST(NULL AS DOUBLE) AS green_share"
        };
        let green_join = if with_green {
            "LEFT JOIN (SELECT s.year, count(DISTINCT g.appln_id) AS green_apps \
                        FROM green g JOIN sel s ON g.appln_id = s.appln_id GROUP BY s.year) g \
             ON t.year = g.year"
        } else {
            ""
        };
        self.rows(&format!(
            "SELECT t.year, t.apps AS pct_apps, coalesce(i.intl_apps, 0) AS intl_apps, \
                    CAST(coalesce(i.intl_apps, 0) AS DOUBLE) / t.apps AS intl_share{green} \
             FROM totals t \
             LEFT JOIN (SELECT year, count(DISTINCT appln_id) AS intl_apps FROM intl GROUP BY year) i \
               ON t.year = i.year \
             {green_join} \
             ORDER BY t.year"
        ))
        .await
    }

    /// Applications per country and year (whole counting, and fractional in
    /// `frac_apps`), share of the year's applications, rank; `top` keeps the
    /// first N per year (ties: smaller code first).
    pub async fn country_counts(&self, top: Option<usize>) -> Result<Vec<CountryCount>> {
        let limit = top.map(|n| format!("WHERE rk <= {n}")).unwrap_or_default();
        let (frac, frac_join) = if self.counting.fractional {
            (
                exact_sum!("CASE WHEN m.k IS NULL THEN 1.0 ELSE 1.0 / m.k END"),
                "LEFT JOIN multi m ON ac.appln_id = m.appln_id",
            )
        } else {
            ("CAST(count(*) AS DOUBLE)", "")
        };
        self.rows(&format!(
            "SELECT year, ctry, apps, share, frac_apps, rk AS rank FROM ( \
               SELECT c.year, c.ctry, c.apps, CAST(c.apps AS DOUBLE) / t.apps AS share, c.frac_apps, \
                      row_number() OVER (PARTITION BY c.year ORDER BY c.apps DESC, c.ctry) AS rk \
               FROM (SELECT ac.year, ac.ctry, count(*) AS apps, {frac} AS frac_apps FROM ac {frac_join} GROUP BY ac.year, ac.ctry) c \
               JOIN totals t ON c.year = t.year) x \
             {limit} ORDER BY year, apps DESC, ctry"
        ))
        .await
    }

    /// International co-applications per country and year, share of the
    /// year's international co-applications, number of partners and the
    /// largest partner (ties: smaller code).
    pub async fn country_intl(&self) -> Result<Vec<CountryIntl>> {
        self.rows(
            "WITH pairs AS (SELECT year, ctry_a, ctry_b, count(*) AS apps FROM app_pairs GROUP BY year, ctry_a, ctry_b), \
             both_dirs AS (SELECT year, ctry_a AS ctry, ctry_b AS partner, apps FROM pairs \
                           UNION ALL SELECT year, ctry_b AS ctry, ctry_a AS partner, apps FROM pairs), \
             ranked AS (SELECT year, ctry, partner, apps, \
                          row_number() OVER (PARTITION BY year, ctry ORDER BY apps DESC, partner) AS rk, \
                          count(*) OVER (PARTITION BY year, ctry) AS partners \
                        FROM both_dirs), \
             ci AS (SELECT year, ctry, count(*) AS intl_apps FROM intl GROUP BY year, ctry), \
             it AS (SELECT year, count(DISTINCT appln_id) AS intl_apps FROM intl GROUP BY year) \
             SELECT ci.year, ci.ctry, ci.intl_apps, CAST(ci.intl_apps AS DOUBLE) / it.intl_apps AS share, \
                    r.partner AS top_partner, r.apps AS top_partner_apps, r.partners \
             FROM ci JOIN it ON ci.year = it.year \
             JOIN ranked r ON r.year = ci.year AND r.ctry = ci.ctry AND r.rk = 1 \
             ORDER BY ci.year, ci.intl_apps DESC, ci.ctry",
        )
        .await
    }

    /// Co-applications per unordered country pair and year.
    pub async fn pairs(&self) -> Result<Vec<Pair>> {
        self.rows(
            "SELECT year, ctry_a, ctry_b, count(*) AS apps FROM app_pairs \
             GROUP BY year, ctry_a, ctry_b ORDER BY year, ctry_a, ctry_b",
        )
        .await
    }

    /// Pairs counted over the international co-applications of each field,
    /// keeping pairs with more than `min_apps`.
    pub async fn field_pairs(
        &self,
        fields: &Classification,
        min_apps: i64,
    ) -> Result<Vec<FieldPair>> {
        self.md
            .materialise("intl_apps", "SELECT DISTINCT appln_id FROM intl")
            .await?;
        self.classify("field_apps", fields, "intl_apps").await?;
        self.rows(&format!(
            "SELECT f.category AS field, p.year, p.ctry_a, p.ctry_b, count(*) AS apps \
             FROM app_pairs p JOIN field_apps f ON p.appln_id = f.appln_id \
             GROUP BY f.category, p.year, p.ctry_a, p.ctry_b HAVING count(*) > {min_apps} \
             ORDER BY field, year, ctry_a, ctry_b"
        ))
        .await
    }

    /// International co-applications per field, year and country (whole
    /// counting; needs [`Base::field_pairs`] to have classified the fields).
    pub async fn field_countries(&self) -> Result<Vec<FieldCountry>> {
        self.rows(
            "SELECT f.category AS field, i.year, i.ctry, count(*) AS apps \
             FROM intl i JOIN field_apps f ON i.appln_id = f.appln_id \
             GROUP BY f.category, i.year, i.ctry ORDER BY field, year, apps DESC, ctry",
        )
        .await
    }

    /// Green applications per country and year, and their share of the
    /// country's applications (needs `green`, see [`Base::classify`]).
    pub async fn green_country(&self) -> Result<Vec<GreenCountry>> {
        self.rows(
            "SELECT ac.year, ac.ctry, count(*) AS green_apps, \
                    CAST(count(*) AS DOUBLE) / max(cc.apps) AS share \
             FROM ac JOIN (SELECT DISTINCT appln_id FROM green) g ON ac.appln_id = g.appln_id \
             JOIN (SELECT year, ctry, count(*) AS apps FROM ac GROUP BY year, ctry) cc \
               ON ac.year = cc.year AND ac.ctry = cc.ctry \
             GROUP BY ac.year, ac.ctry ORDER BY year, green_apps DESC, ctry",
        )
        .await
    }

    /// Applications per year and category of a classification registered
    /// as `name` (whole counting over categories: an application in two
    /// fields counts in both; `frac_apps` splits it 1/n over its n
    /// categories).
    pub async fn per_category(&self, name: &str) -> Result<Vec<CategoryCount>> {
        // Each (application, category, year), materialised once: the
        // counts per application and the totals both read it (a CTE is
        // inlined, and the join with `sel` ran twice).
        let c = format!("{name}_by_year");
        self.md
            .materialise(
                &c,
                &format!(
                    "SELECT f.appln_id, f.category, s.year FROM {name} f \
                     JOIN sel s ON f.appln_id = s.appln_id"
                ),
            )
            .await?;
        let rows = self
            .rows(&format!(
                "WITH n AS (SELECT appln_id, count(*) AS n FROM {c} GROUP BY appln_id) \
                 SELECT c.year, c.category, count(*) AS apps, {} AS frac_apps \
                 FROM {c} c JOIN n ON c.appln_id = n.appln_id \
                 GROUP BY c.year, c.category ORDER BY year, apps DESC, category",
                exact_sum!("1.0 / n.n")
            ))
            .await;
        let _ = self.md.ctx.deregister_table(c.as_str());
        rows
    }

    /// Register [`PERSONS`] (`year, person_id, appln_id`), once per base:
    /// the distinct persons of the counting role of each selected
    /// application. Applicant concentration and the top applicants read it.
    /// The distinct is left out when the facts proved every counted link
    /// distinct and every application id occurs once (then the join gives
    /// each row once): it cost more than the join.
    async fn persons(&self) -> Result<()> {
        if self.md.ctx.table_exist(PERSONS)? {
            return Ok(());
        }
        let role = self.counting.role.role().as_str();
        let distinct =
            if self.md.facts.is_some() && self.md.links_distinct && self.md.by_application {
                ""
            } else {
                "DISTINCT "
            };
        self.md
            .materialise(
                PERSONS,
                &format!(
                    "SELECT {distinct}s.year, r.person_id, r.appln_id FROM party r \
                     JOIN sel s ON r.appln_id = s.appln_id WHERE r.role = '{role}'"
                ),
            )
            .await
    }

    /// Applicant-level concentration: per year, applications of the top-N
    /// applicants (persons as the source identifies them) and their share
    /// of the year's applications.
    ///
    /// Only the persons with at least the year's N-th largest count of
    /// applications can rank among its top N, so only they are ranked: a
    /// window over every person of every year cost more than the counting.
    pub async fn applicant_concentration(&self, top: usize) -> Result<Vec<Concentration>> {
        self.persons().await?;
        // Each person's applications per year, counted once: the counts of
        // counts and the ranking both read it (a CTE is inlined).
        if !self.md.ctx.table_exist(PERSON_APPS)? {
            self.md
                .materialise(
                    PERSON_APPS,
                    &format!(
                        "SELECT year, person_id, count(*) AS apps FROM {PERSONS} GROUP BY year, person_id"
                    ),
                )
                .await?;
        }
        // The persons that can rank among a year's top N: those with at
        // least its N-th largest count (`cut`), found from how many
        // persons have each count — few, so the ranking sorts few rows. As
        // a table of its own: in one plan the planner sorted every person
        // for the ranking before the join that keeps these.
        const CANDIDATES: &str = "sel_top_candidates";
        self.md
            .materialise(
                CANDIDATES,
                &format!(
                    "WITH hist AS (SELECT year, apps, count(*) AS persons FROM {PERSON_APPS} GROUP BY year, apps), \
                     above AS (SELECT year, apps, sum(persons) OVER (PARTITION BY year ORDER BY apps DESC) AS n FROM hist), \
                     cut AS (SELECT year, coalesce(max(CASE WHEN n >= {top} THEN apps END), min(apps)) AS apps \
                             FROM above GROUP BY year) \
                     SELECT p.year, p.person_id, p.apps FROM cut c JOIN {PERSON_APPS} p \
                     ON p.year = c.year WHERE p.apps >= c.apps"
                ),
            )
            .await?;
        let rows = self
            .rows(&format!(
                "WITH ranked AS (SELECT year, person_id, apps, \
                   row_number() OVER (PARTITION BY year ORDER BY apps DESC, person_id) AS rk FROM {CANDIDATES}), \
                 topn AS (SELECT year, person_id FROM ranked WHERE rk <= {top}), \
                 covered AS (SELECT pa.year, count(DISTINCT pa.appln_id) AS apps FROM topn t \
                             JOIN {PERSONS} pa ON pa.year = t.year AND pa.person_id = t.person_id GROUP BY pa.year) \
                 SELECT t.year, t.apps AS total_apps, coalesce(c.apps, 0) AS top_apps, \
                        CAST(coalesce(c.apps, 0) AS DOUBLE) / t.apps AS share \
                 FROM totals t LEFT JOIN covered c ON t.year = c.year ORDER BY t.year"
            ))
            .await;
        let _ = self.md.ctx.deregister_table(CANDIDATES);
        rows
    }

    /// The applicants of the international co-applications of years
    /// `from..=to`: `appln_id, year, name, country, harmonised,
    /// harmonised_by, sector` (applicants whatever the counting role).
    pub async fn intl_applicants(&self, from: i32, to: i32) -> Result<Vec<RecordBatch>> {
        let extras = self.md.person_extras("p").await?;
        let df = self
            .md
            .sql(&format!(
                "WITH ia AS (SELECT DISTINCT appln_id, year FROM intl WHERE year BETWEEN {from} AND {to}) \
                 SELECT DISTINCT r.appln_id, ia.year, p.name, p.country, {extras} \
                 FROM party r JOIN ia ON r.appln_id = ia.appln_id \
                 JOIN person p ON r.person_id = p.person_id \
                 WHERE r.role = 'applicant' \
                 ORDER BY r.appln_id, p.name, p.country"
            ))
            .await?;
        self.md.collect(df).await
    }

    /// The categories of `fields` of each international co-application:
    /// `appln_id, field`.
    pub async fn intl_fields(&self, fields: &Classification) -> Result<Vec<ApplicationField>> {
        self.md
            .materialise("intl_apps", "SELECT DISTINCT appln_id FROM intl")
            .await?;
        self.classify("field_apps", fields, "intl_apps").await?;
        self.rows(
            "SELECT DISTINCT appln_id, category AS field FROM field_apps ORDER BY appln_id, field",
        )
        .await
    }

    /// The names of the top-N applicants of a year.
    pub async fn top_applicants(&self, year: i32, top: usize) -> Result<Vec<TopApplicant>> {
        self.persons().await?;
        self.rows(&format!(
            "WITH pa AS (SELECT person_id, appln_id FROM {PERSONS} WHERE year = {year}) \
             SELECT p.name, p.country AS ctry, count(*) AS apps FROM pa JOIN person p ON pa.person_id = p.person_id \
             GROUP BY pa.person_id, p.name, p.country ORDER BY apps DESC, name LIMIT {top}"
        ))
        .await
    }
}

/// Categories' display names by id.
pub fn category_names(c: &Classification) -> BTreeMap<String, Text> {
    c.categories
        .iter()
        .map(|k| (k.id.clone(), k.name.clone()))
        .collect()
}
