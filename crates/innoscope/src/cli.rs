//! Command-line definition. The doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use innoscope_engine::analysis::param::{Kind, ParamDef, all_params};

pub const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  no result (nothing matched, nothing to do)
  2  error (bad input, bad parameter, I/O failure)

Environment:
  INNOSCOPE_DATA_DIR  data directory (same as --data-dir)
  RUST_LOG            log filter, e.g. RUST_LOG=innoscope=debug";

/// innoscope — an observatory of the global industrial innovation ecosystem.
///
/// Turns open statistics (World Bank, NCSES, UNCTAD, OECD, WIPO exports) into
/// the analyses of the Global Industrial Innovation Ecosystem report, in
/// Chinese and English. Runs on the bundled data out of the box; import newer
/// files to redo it.
#[derive(Parser, Debug)]
#[command(name = "innoscope", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Data directory of the store [default: the per-user data directory]
    #[arg(long, global = true, env = "INNOSCOPE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Ignore the bundled default data (use only the store)
    #[arg(long, global = true)]
    pub no_bundled: bool,
    /// No progress bars or summaries on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More log output (-v info, -vv debug)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Settings file [default: <data dir>/innoscope.toml when it exists]
    #[arg(long, global = true, env = "INNOSCOPE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run the microdata analyses on an Apache Ballista scheduler (df://HOST:PORT)
    /// instead of in process [build with --features innoscope/cluster]
    #[arg(
        long,
        global = true,
        env = "INNOSCOPE_CLUSTER",
        value_name = "df://HOST:PORT"
    )]
    pub cluster: Option<String>,
    /// Directory for the cluster's intermediate files; every executor must read and write it
    /// [default: <data dir>/work]
    #[arg(
        long,
        global = true,
        env = "INNOSCOPE_CLUSTER_WORK_DIR",
        value_name = "DIR"
    )]
    pub cluster_work_dir: Option<PathBuf>,
    /// Longest one cluster query may take, in seconds, before it is given up with an error
    /// [default: 3600]
    #[arg(long, global = true, value_name = "SECS")]
    pub cluster_timeout: Option<u64>,
    /// Memory all running analyses (an executor: all its tasks) may hold together, in MiB:
    /// sorts and aggregations spill to disk beyond it, and what cannot spill fails with a clear
    /// error (the server answers 503) [default: no limit; `serve`: half of the machine's memory;
    /// `cluster executor`: a share of it]
    #[arg(
        long,
        global = true,
        env = "INNOSCOPE_MEMORY_LIMIT",
        value_name = "MIB",
        value_parser = clap::value_parser!(u64).range(16..=1 << 30)
    )]
    pub memory_limit: Option<u64>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Import data files into the store (atomic: a failed import changes nothing)
    Import(ImportArgs),
    /// Download series from the publishers (World Bank, OECD, UNCTADstat, PatentsView), check and import them
    Fetch(FetchArgs),
    /// The yearly refresh: fetch what the report needs, import, write the report, print what changed
    Update(UpdateArgs),
    /// What changed in a dataset since an earlier version the store kept (revisions, new years)
    Changes(ChangesArgs),
    /// List the datasets available, with source, licence and coverage
    Datasets(DatasetsArgs),
    /// Run one analysis and print its result table
    Analyze(Box<AnalyzeArgs>),
    /// Write the bilingual HTML report (with SVG figures and CSV tables)
    Report(ReportArgs),
    /// Serve the JSON API (read-only) over the store: /api/analyses, /api/openapi.json
    Serve(ServeArgs),
    /// Look up economies: codes, names in English and Chinese, groups
    Economies(EconomiesArgs),
    /// Generate synthetic data for tests, demos and benchmarks
    #[command(subcommand)]
    Synth(SynthCommand),
    /// Harmonise applicant names into organisations, persons and corporate groups (K3)
    #[command(subcommand)]
    Applicants(ApplicantsCommand),
    /// Start a Ballista scheduler or executor to run analyses on (built with --features innoscope/cluster)
    #[command(subcommand)]
    Cluster(ClusterCommand),
    /// Knowledge base of economy profiles, organisation modes and cases (Q1–Q3): list, show, search, check
    #[command(subcommand)]
    Kb(KbCommand),
    /// Compute the benchmark workload (shared/bench/WORKLOAD.md) into six CSV files
    BenchWorkload(BenchWorkloadArgs),
    /// Regenerate the bundled registry and data (maintainers; see scripts/regenerate-bundle.sh)
    #[command(hide = true)]
    Bundle(BundleArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; another address exposes the API to the network)
    /// [default: 127.0.0.1:8080]
    #[arg(long)]
    pub bind: Option<std::net::SocketAddr>,
    /// Longest a request may take, in seconds [default: 60]
    #[arg(long)]
    pub timeout: Option<u64>,
    /// Analyses running at once (more wait) [default: the number of cores]
    #[arg(long)]
    pub max_running: Option<usize>,
}

#[derive(Subcommand, Debug)]
pub enum SynthCommand {
    /// A synthetic patent dataset in PATSTAT's layout (tls201/206/207/209, CSV and Parquet)
    Patstat(SynthPatstatArgs),
    /// Applicant names with their true organisations (name,country,truth,kind), for testing harmonisers
    Names(SynthNamesArgs),
}

#[derive(Args, Debug)]
pub struct SynthNamesArgs {
    /// Organisations (each written one to six ways)
    #[arg(long, default_value_t = 2_000)]
    pub orgs: usize,
    /// Persons (each written one to three ways)
    #[arg(long, default_value_t = 1_000)]
    pub persons: usize,
    /// Random seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output CSV file
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum ApplicantsCommand {
    /// Harmonise a CSV of `name,country` rows: one output row per input row, in order
    Harmonise(HarmoniseArgs),
    /// Show how a name is harmonised: the steps, its entity and why, its group and why
    Explain(ExplainArgs),
    /// List uncertain merges (similar names near the threshold) for a person to confirm
    Review(ReviewArgs),
    /// Write the entity, group and audit tables (CSV and Parquet) of a dataset's applicants
    Export(ExportArgs),
}

#[derive(Args, Debug, Clone)]
pub struct HarmoniserArgs {
    /// Corporate groups added to or replacing the built-in table (group,name_en,name_zh,home,member,source)
    #[arg(long, value_name = "FILE")]
    pub groups_file: Option<PathBuf>,
    /// Applicant-name rules added to the built-in ones (kind,text,canonical,note)
    #[arg(long, value_name = "FILE")]
    pub name_rules: Option<PathBuf>,
    /// Jaro–Winkler similarity from which names merge
    #[arg(long, default_value_t = innoscope_core::applicant::DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Neighbours compared in each sorted order
    #[arg(long, default_value_t = innoscope_core::applicant::DEFAULT_WINDOW)]
    pub window: usize,
}

#[derive(Args, Debug, Clone)]
pub struct NamesFrom {
    /// Patent dataset whose applicants give the context [default: the first patent dataset]
    #[arg(long)]
    pub source: Option<String>,
    /// A CSV of `name,country` rows instead of a dataset
    #[arg(long, value_name = "FILE", conflicts_with = "source")]
    pub names: Option<PathBuf>,
    /// Every person of the dataset (inventors too), not only applicants
    #[arg(long)]
    pub all_persons: bool,
}

#[derive(Args, Debug)]
pub struct HarmoniseArgs {
    /// CSV with a header and a `name` column (`country`, two-letter, optional)
    pub file: PathBuf,
    /// Output format
    #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
    pub format: String,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub h: HarmoniserArgs,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The applicant name, as written
    pub name: String,
    /// Its two-letter country code
    #[arg(long)]
    pub country: Option<String>,
    #[command(flatten)]
    pub from: NamesFrom,
    #[command(flatten)]
    pub h: HarmoniserArgs,
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub from: NamesFrom,
    /// Most pairs listed
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Write the full list as CSV to this file
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    #[command(flatten)]
    pub h: HarmoniserArgs,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub from: NamesFrom,
    /// Output directory
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub h: HarmoniserArgs,
}

#[derive(Args, Debug)]
pub struct SynthPatstatArgs {
    /// Number of applications (PCT and national)
    #[arg(long, default_value_t = 100_000)]
    pub apps: u64,
    /// Random seed: the output depends only on --apps and --seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output directory
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write CSV only (no Parquet copies)
    #[arg(long)]
    pub no_parquet: bool,
    /// Percentage of applications that are PCT; the rest are national filings
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub pct_percent: u8,
    /// Multiply the rate of international co-applications (1 = realistic, about 5% of PCT
    /// applications); a small demo sample needs more to show field networks
    #[arg(long, default_value_t = 1.0)]
    pub intl_factor: f64,
}

#[derive(Args, Debug)]
pub struct BenchWorkloadArgs {
    /// Directory holding tls201_appln, tls206_person, tls207_pers_appln, tls209_appln_ipc (.csv or .parquet)
    #[arg(long, value_name = "DIR", conflicts_with = "dataset")]
    pub data: Option<PathBuf>,
    /// Run on a patent dataset of the store instead of raw files
    #[arg(long)]
    pub dataset: Option<String>,
    /// Which files to read from --data [default: parquet when present, else csv]
    #[arg(long, value_parser = ["csv", "parquet"])]
    pub format: Option<String>,
    /// Output directory for the six CSV files
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Files to import (one dataset; formats are detected unless --format is given)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Input format: statistics (wdi, wdi-wide, wb-api, ncses, unctad-wir, unctadstat, oecd-sdmx,
    /// wipo, fed-h10, tidy), patent microdata (patstat, lens, espacenet, patentscope, google-patents)
    /// or record lists (qs, ranked-list, eu-scoreboard, unicorns, venture-capital)
    #[arg(long, value_parser = parse_format)]
    pub format: Option<AnyFormat>,
    /// Dataset id to import into [default: by format: wdi, ncses, unctad, oecd, wipo, user]. The
    /// series read replace their earlier versions; the dataset's other series stay
    #[arg(long)]
    pub dataset: Option<String>,
    /// Statistics: make the files the whole dataset (drop the series they do not hold)
    #[arg(long)]
    pub replace: bool,
    /// Earlier versions of the dataset to keep for comparison (0 keeps none)
    #[arg(long, value_name = "N", default_value_t = innoscope_engine::store::DEFAULT_VINTAGES as u16, value_parser = clap::value_parser!(u16).range(0..=100))]
    pub keep_vintages: u16,
    /// Indicator code for files that hold one series and do not name it
    #[arg(long)]
    pub indicator: Option<String>,
    /// Unit to record for the series
    #[arg(long)]
    pub unit: Option<String>,
    /// Vintage to record when the file does not state one (e.g. "WDI as of 2026-07-01")
    #[arg(long)]
    pub vintage: Option<String>,
    /// Import the valid rows even when some are rejected (rejections are still listed)
    #[arg(long)]
    pub keep_going: bool,
    /// Patent datasets: files per table (contiguous row ranges), so that each cluster executor
    /// reads partitions of its own [default: 1]
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub partitions: u16,
    /// PatentsView tables: only the patents filed in these years (granted in them when the
    /// filing date is missing), with their parties and symbols
    #[arg(long, value_name = "A:B", value_parser = parse_years)]
    pub years: Option<(i32, i32)>,
    /// Mark a patent or record dataset as generated (`innoscope synth`, fixtures): its figures say "synthetic demo data"
    #[arg(long)]
    pub synthetic: bool,
}

/// A statistics format or a patent format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyFormat {
    Stats(innoscope_import::Format),
    Patent(innoscope_import::patents::PatentFormat),
    Records(innoscope_import::records::RecordFormat),
}

fn parse_format(s: &str) -> Result<AnyFormat, String> {
    if let Some(p) = innoscope_import::patents::PatentFormat::from_name(s) {
        return Ok(AnyFormat::Patent(p));
    }
    if let Ok(r) = s.parse::<innoscope_import::records::RecordFormat>() {
        return Ok(AnyFormat::Records(r));
    }
    s.parse().map(AnyFormat::Stats)
}

#[derive(Args, Debug)]
pub struct FetchArgs {
    /// Sources: wdi, oecd, unctad, patentsview, ncses, wipo [default: wdi, oecd and unctad, the
    /// ones the report reads; wdi alone with --series or --base-url]
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Series to get (WDI indicator codes, comma-separated) [default: every series an analysis reads]
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub series: Vec<String>,
    /// Years to get, as FIRST:LAST (PatentsView: the tables are downloaded whole, and only the
    /// patents filed in these years are imported)
    #[arg(long, value_name = "A:B", value_parser = parse_years)]
    pub years: Option<(i32, i32)>,
    /// Base URL of the one source named, or of wdi when none is (a mirror, a proxy, a test server); also
    /// INNOSCOPE_<SOURCE>_BASE_URL and [fetch.SOURCE] base_url in innoscope.toml
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print every URL and file name the fetch would get, and do nothing
    #[arg(long)]
    pub plan: bool,
    /// Import files downloaded elsewhere (named as --plan says) from this directory
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let (a, b) = s
        .split_once(':')
        .ok_or_else(|| format!("`{s}` is not FIRST:LAST (e.g. 2010:2022)"))?;
    let year = |t: &str| {
        t.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| format!("`{t}` is not a year"))
    };
    let (a, b) = (year(a)?, year(b)?);
    if a > b {
        return Err(format!("{a} is after {b}"));
    }
    Ok((a, b))
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub fetch: FetchArgs,
    /// Report directory
    #[arg(long, default_value = "innoscope-report")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct ChangesArgs {
    /// Dataset id (`wdi`)
    pub dataset: String,
    /// Which earlier version: 1 is the one before the current version
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub vintage: u16,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct DatasetsArgs {
    /// Show the series of one dataset
    #[arg(long, value_name = "DATASET")]
    pub series: Option<String>,
    /// Output as JSON
    #[arg(long)]
    pub json: bool,
    /// Derive the analysis-ready facts of patent datasets imported by an
    /// older innoscope (the microdata analyses read their raw tables until then)
    #[arg(long, conflicts_with_all = ["series", "json"])]
    pub upgrade: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned text for the terminal
    Table,
    /// CSV: `#` provenance lines, a header of column names, the rows
    Csv,
    /// The result tables as JSON (columns, basis, sources, notes, findings)
    Json,
    /// An Excel workbook, one sheet per table (needs --out)
    Xlsx,
    /// One Parquet file per table, provenance in its metadata (needs --out)
    Parquet,
    /// The figure(s) as PNG (needs --out; see --scale)
    Png,
}

/// Where and how results are written (analyze, changes).
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Language of labels (table, xlsx and png output)
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Write to this file instead of standard output. With several tables
    /// (C2 and C2.tiers), Parquet and PNG files take the part after the stem:
    /// c2.parquet, c2.tiers.parquet
    #[arg(long, short, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// CSV: start with a UTF-8 byte-order mark, so Excel shows Chinese text
    /// when the file is opened by double-click
    #[arg(long)]
    pub bom: bool,
    /// CSV: no `#` provenance lines, only the header and the rows (the
    /// provenance stays in the JSON, xlsx and Parquet outputs)
    #[arg(long)]
    pub csv_plain: bool,
    /// PNG: scale of the figure (1 = its size on screen, 2 for slides)
    #[arg(long, default_value_t = 2.0, value_parser = parse_scale)]
    pub scale: f32,
}

fn parse_scale(s: &str) -> Result<f32, String> {
    let v: f32 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.1..=10.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0.1..=10"))
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
    Both,
}

/// The analysis parameters. Their flags are generated from the engine's
/// parameter schema (`innoscope_engine::analysis::param::PARAMS`), and their
/// texts are checked by the same function as the API's query strings.
#[derive(Debug, Default, Clone)]
pub struct ParamArgs {
    /// `(name, text)` of every parameter given, lists joined by commas.
    pub pairs: Vec<(String, String)>,
}

fn param_arg(d: &'static ParamDef) -> clap::Arg {
    use clap::ArgAction;
    let a = clap::Arg::new(d.name)
        .long(d.name)
        .help(d.help.en)
        .help_heading("Analysis parameters");
    let a = match d.value_name {
        Some(v) => a.value_name(v),
        None => a,
    };
    // Negative numbers reach the schema, which states the range.
    let a = match d.kind {
        Kind::Int { .. } | Kind::Float { .. } | Kind::Ints { .. } | Kind::Floats { .. } => {
            a.allow_negative_numbers(true)
        }
        _ => a,
    };
    match d.kind {
        Kind::Flag => a.action(ArgAction::SetTrue),
        // Lists may be given as one comma-separated value or repeated.
        _ if d.is_list() => a.action(ArgAction::Append),
        _ => a.action(ArgAction::Set),
    }
}

impl clap::FromArgMatches for ParamArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut p = ParamArgs::default();
        p.update_from_arg_matches(m)?;
        Ok(p)
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        for d in all_params() {
            if d.kind == Kind::Flag {
                if m.get_flag(d.name) {
                    self.pairs.push((d.name.to_string(), "true".into()));
                }
            } else if let Some(vs) = m.get_many::<String>(d.name) {
                let v: Vec<&str> = vs.map(String::as_str).collect();
                self.pairs.push((d.name.to_string(), v.join(",")));
            }
        }
        Ok(())
    }
}

impl clap::Args for ParamArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.args(all_params().into_iter().map(param_arg))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Analysis id or name (C1, rd-growth, C2, C3, C4, C4M, C5, C6, K1, K2, K3, F1, F2, F3, I1–I5, Q1–Q3; see --list)
    #[arg(required_unless_present = "list")]
    pub analysis: Option<String>,
    /// List the analyses and their parameters
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also write every network of the result (K1, K2) as GEXF, VOSviewer JSON and CSV into DIR
    #[arg(long, value_name = "DIR")]
    pub networks: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Language(s) of the report
    #[arg(long, value_enum, default_value_t = LangArg::Both)]
    pub lang: LangArg,
    /// Output directory
    #[arg(long, default_value = "innoscope-report")]
    pub out: PathBuf,
    /// Reference year for every analysis that has one (default: the report's years), or
    /// `latest`. An analysis whose data do not reach the year shows its latest year that they
    /// support, and says so
    #[arg(long, value_parser = parse_report_year)]
    pub year: Option<ReportYear>,
    /// Compare with a saved edition (a name in the store, a path, or `seed2021`), or with the
    /// store's previous data: `vintage:PREV` (`vintage:N`, N versions back) lists, per figure,
    /// the revised values and the new years of the series it uses
    #[arg(long, value_name = "EDITION")]
    pub compare_with: Option<String>,
    /// Save this run as an edition under NAME in the store
    #[arg(long, value_name = "NAME")]
    pub save_edition: Option<String>,
    /// Your own knowledge-base directory (TOML), merged over the built-in base and <data dir>/kb
    #[arg(long, value_name = "DIR")]
    pub kb_dir: Option<PathBuf>,
    /// A named economy set for the analyses that take one (report2021: the 2021 report's own
    /// 15 R&D economies in C1 and C2)
    #[arg(long, value_parser = ["report2021"])]
    pub preset: Option<String>,
    /// Outputs, a comma list: html (report.<lang>.html), pdf (report.<lang>.pdf, printed by
    /// headless Chromium: --chromium, `[report] chromium` in innoscope.toml, or chromium
    /// on the PATH), xlsx (report.xlsx, every table), png (figures/*.png beside the
    /// SVG)
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html")]
    pub format: Vec<ReportFormat>,
    /// PNG: scale of the figures (1 = their size on screen, 2 for slides)
    #[arg(long, default_value_t = 2.0, value_parser = parse_scale)]
    pub scale: f32,
    /// PDF: the Chromium or Chrome binary that prints it [default: `[report] chromium` in
    /// innoscope.toml, else chromium on the PATH]
    #[arg(long, env = "INNOSCOPE_CHROMIUM", value_name = "PATH")]
    pub chromium: Option<PathBuf>,
}

/// `report --year`: a year or `latest`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportYear {
    Year(i32),
    Latest,
}

fn parse_report_year(s: &str) -> Result<ReportYear, String> {
    if s.trim().eq_ignore_ascii_case("latest") {
        return Ok(ReportYear::Latest);
    }
    match s.trim().parse::<i32>() {
        Ok(y) if (1950..=2100).contains(&y) => Ok(ReportYear::Year(y)),
        Ok(y) => Err(format!("{y} is outside 1950..=2100")),
        Err(_) => Err(format!("`{s}` is not a year or `latest`")),
    }
}

/// An output of `innoscope report`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Pdf,
    Xlsx,
    Png,
}

#[derive(Args, Debug)]
pub struct EconomiesArgs {
    /// Code or name to look up (lists all countries when omitted)
    pub query: Option<String>,
    /// Include aggregates and historical entities
    #[arg(long)]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct BundleArgs {
    #[command(subcommand)]
    pub what: BundleWhat,
}

#[derive(Subcommand, Debug)]
pub enum BundleWhat {
    /// Build data/registry/economies.csv from the country-code files
    Registry {
        /// Directory holding country-codes/ (the shared data directory)
        #[arg(long)]
        shared: PathBuf,
        /// Directory of the curated registry files and the output
        #[arg(long, default_value = "data/registry")]
        registry: PathBuf,
    },
    /// Build the bundled store from open data files
    Data {
        /// The shared data directory (wdi/, ncses/, unctad-wir2022/)
        #[arg(long)]
        shared: PathBuf,
        /// Output store directory (replaced)
        #[arg(long, default_value = "data/bundled")]
        out: PathBuf,
        /// innoscope's own fixtures (invented values in published layouts)
        #[arg(long, default_value = "data/fixtures")]
        fixtures: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum KbCommand {
    /// List entries, filtered
    List(KbListArgs),
    /// Show one entry in full
    Show(KbShowArgs),
    /// Full-text search (Chinese or English), filtered
    Search(KbSearchArgs),
    /// Validate the built-in base and your files; list what they hold
    Check(KbDirArg),
}

#[derive(Args, Debug, Clone, Default)]
pub struct KbDirArg {
    /// Your own knowledge-base directory (TOML files), merged over the built-in base and <data dir>/kb
    #[arg(long, value_name = "DIR")]
    pub kb_dir: Option<PathBuf>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct KbFilters {
    /// Entry kind: case, profile, trend, dynamic, pattern, authority-type, authority-mode,
    /// enterprise-mode, intermediary, mechanism
    #[arg(long)]
    pub kind: Option<String>,
    /// Economies (codes or names, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub economies: Option<Vec<String>>,
    /// Field id (quantum, telecom, health, semiconductors…)
    #[arg(long)]
    pub field: Option<String>,
    /// Actor type id (government, enterprise, startup, university, research, intermediary…)
    #[arg(long)]
    pub actor_type: Option<String>,
    /// Concept id or kind the cases illustrate (authority-mode-2, trend…)
    #[arg(long)]
    pub mode: Option<String>,
    /// Report section (1, 2.1, 4.3…), with its subsections
    #[arg(long)]
    pub section: Option<String>,
    /// Cases dated from this year
    #[arg(long)]
    pub from: Option<i32>,
    /// Cases dated up to this year
    #[arg(long)]
    pub to: Option<i32>,
    /// Language of the listing
    #[arg(long, value_enum, default_value = "en")]
    pub lang: KbLang,
    /// Output as JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub dir: KbDirArg,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
pub enum KbLang {
    #[default]
    En,
    Zh,
}

#[derive(Args, Debug)]
pub struct KbListArgs {
    #[command(flatten)]
    pub filters: KbFilters,
}

#[derive(Args, Debug)]
pub struct KbSearchArgs {
    /// Words to find, Chinese or English (every word must occur)
    #[arg(required = true)]
    pub query: Vec<String>,
    /// Most results
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub filters: KbFilters,
}

#[derive(Args, Debug)]
pub struct KbShowArgs {
    /// Entry id (see `kb list`)
    pub id: String,
    /// Language (both by default)
    #[arg(long, value_enum)]
    pub lang: Option<KbLang>,
    /// Output as JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub dir: KbDirArg,
}

#[derive(Subcommand, Debug)]
pub enum ClusterCommand {
    /// Run a Ballista scheduler (clients connect with --cluster df://HOST:PORT)
    Scheduler {
        /// Address of the scheduler's gRPC service
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: std::net::SocketAddr,
        /// Seconds without a heartbeat after which an executor is taken for lost and its
        /// tasks run elsewhere (longer than the executors' --heartbeat)
        #[arg(long, default_value_t = 180)]
        executor_timeout: u64,
    },
    /// Run a Ballista executor registered with a scheduler
    Executor {
        /// The scheduler's gRPC address
        #[arg(long, default_value = "127.0.0.1:50050", value_name = "HOST:PORT")]
        scheduler: String,
        /// Host to bind and advertise
        #[arg(long, default_value = "127.0.0.1")]
        bind_host: String,
        /// Arrow Flight port (partitions are fetched here)
        #[arg(long, default_value_t = 50051)]
        port: u16,
        /// gRPC port (the scheduler pushes tasks here)
        #[arg(long, default_value_t = 50052)]
        grpc_port: u16,
        /// Task slots [default: the number of cores]
        #[arg(long)]
        slots: Option<usize>,
        /// Shuffle and spill directory
        #[arg(long, value_name = "DIR")]
        work_dir: PathBuf,
        /// Seconds between heartbeats to the scheduler
        #[arg(long, default_value_t = 60)]
        heartbeat: u64,
    },
}
