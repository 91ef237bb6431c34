//! `innoscope fetch`: download from the publishers' public endpoints, check
//! the responses against their documented layouts, and import them into
//! the store through the importers — one series replacing only itself
//! ([`innoscope_engine::store::UpdateMode::Merge`]), the previous version
//! kept as a vintage.
//!
//! Invariants:
//! - A fetch that fails (network, status, drift, bad rows) imports nothing:
//!   every file of a source is downloaded and checked before the source's
//!   one import, and the store's own import is atomic.
//! - Downloads go to `<store>/cache/fetch/<source>/incoming/` and replace
//!   the cached copies (and the conditional-request state in
//!   `cache/fetch/state.json`) only after the import succeeded; a cut
//!   download stays as `*.part` there, to be resumed.
//! - A series the server says is unchanged (304) is not downloaded again;
//!   when every file of a source is unchanged, nothing is imported.
//! - The library reads no environment variable: base URLs come resolved in
//!   the [`Request`] (the binary applies `--base-url`,
//!   `INNOSCOPE_<SOURCE>_BASE_URL` and `innoscope.toml`).

mod archive;
pub mod error;
pub mod http;
pub mod source;
pub mod wdi;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use innoscope_engine::Store;
use innoscope_engine::patents::PatentImportOptions;
use innoscope_import::patents::PatentFormat;
use innoscope_import::{Format, ImportOptions, Progress};
use serde::{Deserialize, Serialize};

pub use error::{ErrorKind, FetchError, Result};
pub use http::{Client, HttpSettings};
pub use source::SourceId;

/// What to fetch.
#[derive(Clone, Debug)]
pub struct Request {
    /// The sources; empty: those the report's analyses read.
    pub sources: Vec<SourceId>,
    /// WDI indicator codes (and, for UNCTADstat, report codes); empty: the
    /// series the analyses read.
    pub series: Vec<String>,
    /// Years to ask for (WDI `date=A:B`, SDMX `startPeriod`/`endPeriod`).
    pub years: Option<(i32, i32)>,
    /// Base URL per source, already resolved; a source not here uses its
    /// default.
    pub base_urls: BTreeMap<SourceId, String>,
    /// Records per WDI page.
    pub per_page: u32,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            sources: Vec::new(),
            series: Vec::new(),
            years: None,
            base_urls: BTreeMap::new(),
            per_page: 20_000,
        }
    }
}

impl Request {
    fn base(&self, s: SourceId) -> Result<String> {
        self.base_urls
            .get(&s)
            .cloned()
            .or_else(|| s.default_base_url().map(str::to_string))
            .map(|u| u.trim_end_matches('/').to_string())
            .ok_or_else(|| {
                FetchError::new(s.name(), ErrorKind::Request, "has no download endpoint")
            })
    }

    /// The sources to fetch, in a fixed order. None named: with `--series`,
    /// the World Bank's (the codes are WDI's); else every open-statistics
    /// source the report reads ([`SourceId::REPORT`]).
    pub fn sources(&self) -> Vec<SourceId> {
        let mut v = if !self.sources.is_empty() {
            self.sources.clone()
        } else if !self.series.is_empty() {
            vec![SourceId::Wdi]
        } else {
            SourceId::REPORT.to_vec()
        };
        v.sort();
        v.dedup();
        v
    }

    /// The WDI series asked for: `--series`, or every WDI series an
    /// analysis reads (from the registry).
    pub fn wdi_series(&self) -> Vec<String> {
        if !self.series.is_empty() {
            return self
                .series
                .iter()
                .filter(|s| source::is_wdi_code(s))
                .cloned()
                .collect();
        }
        innoscope_engine::analysis::registry::series_read()
            .into_iter()
            .filter(|s| source::is_wdi_code(s))
            .map(str::to_string)
            .collect()
    }
}

/// One file to get.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanItem {
    pub source: SourceId,
    pub url: String,
    /// The file name in the cache, and the one `--from DIR` expects.
    pub file: String,
    /// The series it holds (WDI), when one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// More pages may follow (`&page=2`, …, as the first page says).
    pub paged: bool,
}

/// Everything a request would get, and what needs a person.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Plan {
    pub items: Vec<PlanItem>,
    /// Sources without an API, with the steps to follow.
    pub manual: Vec<(SourceId, &'static str)>,
}

impl Serialize for SourceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The URLs a request would get (`innoscope fetch --plan`).
pub fn plan(req: &Request) -> Result<Plan> {
    let mut p = Plan::default();
    for s in req.sources() {
        match s {
            SourceId::Wdi => {
                let base = req.base(s)?;
                let series = req.wdi_series();
                if series.is_empty() {
                    return Err(FetchError::new(
                        "wdi",
                        ErrorKind::Request,
                        format!("none of {:?} is a WDI indicator code", req.series),
                    )
                    .hint("WDI codes look like NY.GDP.MKTP.CD"));
                }
                for code in series {
                    p.items.push(PlanItem {
                        source: s,
                        url: wdi::url(&base, &code, req.per_page, 1, req.years),
                        file: wdi::file_name(&code, 1),
                        series: Some(code),
                        paged: true,
                    });
                }
            }
            SourceId::Oecd => {
                let base = req.base(s)?;
                for (agency, flow, file) in source::OECD_FLOWS {
                    let mut url = format!(
                        "{base}/data/{agency},{flow},/all?dimensionAtObservation=AllDimensions&format=csvfilewithlabels"
                    );
                    if let Some((a, b)) = req.years {
                        url.push_str(&format!("&startPeriod={a}&endPeriod={b}"));
                    }
                    p.items.push(PlanItem {
                        source: s,
                        url,
                        file: file.into(),
                        series: None,
                        paged: false,
                    });
                }
            }
            SourceId::Unctad => {
                let base = req.base(s)?;
                p.manual
                    .extend(source::manual_steps(s).map(|steps| (s, steps)));
                for r in source::UNCTAD_REPORTS {
                    let file = r.replace('.', "_");
                    p.items.push(PlanItem {
                        source: s,
                        url: format!("{base}/bulkdownload/{r}/{file}"),
                        file: format!("{file}.csv"),
                        series: None,
                        paged: false,
                    });
                }
            }
            SourceId::Patentsview => {
                let base = req.base(s)?;
                for t in source::PATENTSVIEW_TABLES {
                    p.items.push(PlanItem {
                        source: s,
                        url: format!("{base}/download/{t}.tsv.zip"),
                        file: format!("{t}.tsv.zip"),
                        series: None,
                        paged: false,
                    });
                }
            }
            SourceId::Ncses | SourceId::Wipo => {
                if let Some(steps) = source::manual_steps(s) {
                    p.manual.push((s, steps));
                }
            }
        }
    }
    Ok(p)
}

/// How a fetch runs.
#[derive(Clone, Debug, Default)]
pub struct FetchOptions {
    pub http: HttpSettings,
    /// Take the files from this directory (downloaded elsewhere) instead of
    /// the network; they are checked the same way.
    pub from: Option<PathBuf>,
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Downloaded {
        bytes: u64,
        attempts: u32,
        resumed_from: u64,
    },
    NotModified,
    FromDir,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub url: String,
    pub file: String,
    pub status: FileStatus,
}

/// What a fetch did for one source.
#[derive(Clone, Debug, Serialize)]
pub struct SourceReport {
    pub source: SourceId,
    pub dataset: String,
    pub files: Vec<FileReport>,
    /// Every file was unchanged: nothing imported.
    pub unchanged: bool,
    /// Series imported (indicator codes), when imported.
    pub series: Vec<String>,
    pub observations: u64,
    /// Importer warnings (unknown economies and the like).
    pub warnings: Vec<String>,
    /// Whether an earlier version of the dataset was kept as a vintage.
    pub kept_vintage: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FetchReport {
    pub sources: Vec<SourceReport>,
    pub manual: Vec<(SourceId, &'static str)>,
    /// Waits between retries, with their reasons.
    pub retries: Vec<String>,
}

/// Conditional-request state, per URL.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
struct State {
    urls: BTreeMap<String, Entry>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
struct Entry {
    file: String,
    sha256: String,
    #[serde(flatten)]
    validators: http::Validators,
}

fn cache_dir(store: &Store) -> PathBuf {
    store.dir().join("cache").join("fetch")
}

fn read_state(store: &Store) -> Result<State> {
    let p = cache_dir(store).join("state.json");
    match std::fs::read(&p) {
        Ok(b) => serde_json::from_slice(&b).map_err(|e| {
            FetchError::new("fetch", ErrorKind::Io, format!("{}: {e}", p.display()))
                .hint("delete the file: the next fetch downloads everything again")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(e) => Err(FetchError::new(
            "fetch",
            ErrorKind::Io,
            format!("{}: {e}", p.display()),
        )),
    }
}

fn write_state(store: &Store, state: &State) -> Result<()> {
    let p = cache_dir(store).join("state.json");
    let mut text = serde_json::to_string_pretty(state).expect("state serialises");
    text.push('\n');
    innoscope_engine::atomic::write(&p, text)
        .map_err(|e| FetchError::new("fetch", ErrorKind::Io, e.to_string()))
}

/// A file ready for import: where it is, and what to remember once imported.
struct Ready {
    path: PathBuf,
    url: String,
    file: String,
    status: FileStatus,
    /// (cached path to move it to, state entry) when it came from the network.
    keep: Option<(PathBuf, Entry)>,
}

struct Fetcher<'a> {
    store: &'a Store,
    client: Client,
    from: Option<PathBuf>,
    state: State,
    progress: &'a dyn Progress,
}

impl Fetcher<'_> {
    /// Get one file of `source` into its incoming directory (or find it in
    /// `--from DIR`).
    fn get(&self, source: SourceId, url: &str, file: &str) -> Result<Ready> {
        if let Some(dir) = &self.from {
            let path = dir.join(file);
            if !path.is_file() {
                return Err(FetchError::new(
                    source.name(),
                    ErrorKind::Io,
                    format!("--from {}: no file `{file}`", dir.display()),
                )
                .at(url)
                .hint("`innoscope fetch --plan` lists the file names to download"));
            }
            return Ok(Ready {
                path,
                url: url.into(),
                file: file.into(),
                status: FileStatus::FromDir,
                keep: None,
            });
        }
        let dir = cache_dir(self.store).join(source.name());
        let cached = dir.join(file);
        let incoming = dir.join("incoming").join(file);
        let known = self
            .state
            .urls
            .get(url)
            .filter(|e| e.file == file && cached.is_file())
            .map(|e| &e.validators);
        match self
            .client
            .get(source.name(), url, &incoming, known, self.progress)?
        {
            http::Got::NotModified if known.is_some() => Ok(Ready {
                path: cached,
                url: url.into(),
                file: file.into(),
                status: FileStatus::NotModified,
                keep: None,
            }),
            http::Got::NotModified => Err(FetchError::new(
                source.name(),
                ErrorKind::Drift,
                "the server answered 304 Not Modified to an unconditional request",
            )
            .at(url)),
            http::Got::Saved(s) => Ok(Ready {
                path: incoming,
                url: url.into(),
                file: file.into(),
                status: FileStatus::Downloaded {
                    bytes: s.bytes,
                    attempts: s.attempts,
                    resumed_from: s.resumed_from,
                },
                keep: Some((
                    cached,
                    Entry {
                        file: file.into(),
                        sha256: s.sha256,
                        validators: s.validators,
                    },
                )),
            }),
        }
    }

    /// Every page of one WDI series, checked.
    fn wdi_series(&self, base: &str, code: &str, req: &Request) -> Result<Vec<Ready>> {
        let first_url = wdi::url(base, code, req.per_page, 1, req.years);
        let first = self.get(SourceId::Wdi, &first_url, &wdi::file_name(code, 1))?;
        let p1 = wdi::check_page(&first.path, &first_url, code, 1)?;
        let mut pages = vec![p1.clone()];
        let mut out = vec![first];
        for n in 2..=p1.pages.min(10_000) {
            let n = n as u32;
            let url = wdi::url(base, code, req.per_page, n, req.years);
            let r = self.get(SourceId::Wdi, &url, &wdi::file_name(code, n))?;
            pages.push(wdi::check_page(&r.path, &url, code, u64::from(n))?);
            out.push(r);
        }
        wdi::check_pages(&first_url, &pages)?;
        Ok(out)
    }
}

/// Fetch `req` into `store`.
pub fn fetch(
    store: &Store,
    req: &Request,
    options: &FetchOptions,
    progress: &dyn Progress,
) -> Result<FetchReport> {
    let plan = plan(req)?;
    let mut f = Fetcher {
        store,
        client: Client::new(options.http.clone()),
        from: options.from.clone(),
        state: read_state(store)?,
        progress,
    };
    let mut report = FetchReport {
        manual: plan.manual.clone(),
        ..FetchReport::default()
    };
    for s in req.sources() {
        let ready: Vec<Ready> = match s {
            SourceId::Wdi => {
                let base = req.base(s)?;
                let mut v = Vec::new();
                for code in req.wdi_series() {
                    v.extend(f.wdi_series(&base, &code, req)?);
                }
                v
            }
            SourceId::Oecd | SourceId::Unctad | SourceId::Patentsview => {
                let mut v = Vec::new();
                for item in plan.items.iter().filter(|i| i.source == s) {
                    let r = f.get(s, &item.url, &item.file)?;
                    check_file(s, &r)?;
                    v.push(r);
                }
                v
            }
            SourceId::Ncses | SourceId::Wipo => {
                // Manual sources: with --from, import the files found there.
                let Some(dir) = &options.from else {
                    continue;
                };
                manual_files(s, dir)?
            }
        };
        let unchanged = ready.iter().all(|r| r.status == FileStatus::NotModified);
        let mut sr = SourceReport {
            source: s,
            dataset: s.dataset().to_string(),
            files: ready
                .iter()
                .map(|r| FileReport {
                    url: r.url.clone(),
                    file: r.file.clone(),
                    status: r.status.clone(),
                })
                .collect(),
            unchanged,
            series: Vec::new(),
            observations: 0,
            warnings: Vec::new(),
            kept_vintage: false,
        };
        if !unchanged {
            import(store, s, &ready, req.years, &mut sr)?;
            // Imported: the downloads become the cached copies.
            let downloaded = ready.iter().any(|r| r.keep.is_some());
            for r in &ready {
                if let Some((cached, entry)) = &r.keep {
                    std::fs::rename(&r.path, cached).map_err(|e| {
                        FetchError::new(
                            s.name(),
                            ErrorKind::Io,
                            format!("{}: {e}", cached.display()),
                        )
                    })?;
                    f.state.urls.insert(r.url.clone(), entry.clone());
                }
            }
            if downloaded {
                write_state(store, &f.state)?;
            }
        }
        report.sources.push(sr);
    }
    report.retries = f
        .client
        .waits()
        .into_iter()
        .map(|(d, why)| format!("waited {:.1} s: {why}", d.as_secs_f64()))
        .collect();
    Ok(report)
}

/// Files of a manual source in `dir`: every CSV there.
fn manual_files(s: SourceId, dir: &Path) -> Result<Vec<Ready>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| FetchError::new(s.name(), ErrorKind::Io, format!("{}: {e}", dir.display())))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(FetchError::new(
            s.name(),
            ErrorKind::Io,
            format!("--from {}: no CSV file", dir.display()),
        )
        .hint(source::manual_steps(s).unwrap_or("")));
    }
    Ok(files
        .into_iter()
        .map(|p| Ready {
            url: String::new(),
            file: p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: p,
            status: FileStatus::FromDir,
            keep: None,
        })
        .collect())
}

/// Checks of a downloaded file before import, beyond the importer's own.
fn check_file(s: SourceId, r: &Ready) -> Result<()> {
    let mut head = [0u8; 8];
    let n = {
        use std::io::Read;
        let mut f = std::fs::File::open(&r.path).map_err(|e| {
            FetchError::new(
                s.name(),
                ErrorKind::Io,
                format!("{}: {e}", r.path.display()),
            )
        })?;
        f.read(&mut head).unwrap_or(0)
    };
    let head = &head[..n];
    match s {
        SourceId::Patentsview if !head.starts_with(b"PK") => Err(FetchError::drift(
            "patentsview",
            &r.url,
            format!("`{}` is not a zip archive", r.file),
        )),
        SourceId::Oecd | SourceId::Unctad if head.starts_with(b"<") => Err(FetchError::drift(
            s.name(),
            &r.url,
            "the response is XML or HTML, not the CSV asked for",
        )),
        _ => Ok(()),
    }
}

/// Import the files of one source as its dataset.
/// `years`: PatentsView keeps the patents filed in them.
fn import(
    store: &Store,
    s: SourceId,
    ready: &[Ready],
    years: Option<(i32, i32)>,
    sr: &mut SourceReport,
) -> Result<()> {
    let noop = innoscope_import::NoProgress;
    let wrap = |e: innoscope_engine::EngineError| {
        let kind = match &e {
            innoscope_engine::EngineError::Import(_)
            | innoscope_engine::EngineError::Rejected { .. } => ErrorKind::Import,
            _ => ErrorKind::Io,
        };
        FetchError::new(s.name(), kind, format!("the files fetched did not import: {e}"))
            .hint("nothing was imported; if the publisher changed its layout, this is format drift — report it")
    };
    if s == SourceId::Patentsview {
        let inputs: Vec<(PathBuf, PatentFormat)> = ready
            .iter()
            .map(|r| (r.path.clone(), PatentFormat::PatentsView))
            .collect();
        let r = store
            .import_patents(
                s.dataset(),
                &inputs,
                &PatentImportOptions {
                    source: Some("USPTO PatentsView bulk data (granted patents)".into()),
                    licence: Some("public domain (US Government work); cite PatentsView".into()),
                    redistributable: true,
                    partitions: 1,
                    years,
                    ..PatentImportOptions::default()
                },
                &noop,
            )
            .map_err(wrap)?;
        sr.observations = r.dataset.rows;
        return Ok(());
    }
    let format = match s {
        SourceId::Wdi => Format::WbApiJson,
        SourceId::Oecd => Format::OecdSdmx,
        SourceId::Unctad => Format::UnctadStat,
        SourceId::Ncses => Format::Ncses,
        SourceId::Wipo => Format::Wipo,
        SourceId::Patentsview => unreachable!("imported above"),
    };
    // A 7z archive (UNCTADstat's bulk downloads) is unpacked beside the
    // cache, its CSV files imported, and the unpacked copies removed.
    let unpacked = cache_dir(store).join(format!("unpacked-{}", std::process::id()));
    let mut inputs: Vec<(PathBuf, Format)> = Vec::new();
    let mut notes = Vec::new();
    // Messages about an unpacked file name it inside its archive, not
    // under the temporary directory that is gone when they are read.
    let mut inside: Vec<(String, String)> = Vec::new();
    for (k, r) in ready.iter().enumerate() {
        let io = |e: std::io::Error| {
            FetchError::new(
                s.name(),
                ErrorKind::Io,
                format!("{}: {e}", r.path.display()),
            )
        };
        if archive::is_7z(&r.path).map_err(io)? {
            let into = unpacked.join(k.to_string());
            let got = archive::unpack_csv(&r.path, &into).map_err(|m| {
                let _ = std::fs::remove_dir_all(&unpacked);
                FetchError::new(s.name(), ErrorKind::Drift, m)
                    .at(&r.url)
                    .hint("nothing was imported; if the publisher changed its archive, this is format drift — report it")
            })?;
            if !got.skipped.is_empty() {
                let n = got.skipped.len();
                notes.push(format!(
                    "{}: passed over {n} {} that {} not CSV ({})",
                    r.file,
                    if n == 1 { "entry" } else { "entries" },
                    if n == 1 { "is" } else { "are" },
                    got.skipped.join(", ")
                ));
            }
            inside.push((format!("{}/", into.display()), format!("{} → ", r.file)));
            inputs.extend(got.files.into_iter().map(|p| (p, format)));
        } else {
            inputs.push((r.path.clone(), format));
        }
    }
    let imported = store.import(
        s.dataset(),
        &inputs,
        &ImportOptions::default(),
        innoscope_engine::RejectPolicy::Strict,
        &noop,
    );
    let _ = std::fs::remove_dir_all(&unpacked);
    let named = |text: String| {
        inside
            .iter()
            .fold(text, |t, (tmp, archive)| t.replace(tmp.as_str(), archive))
    };
    let r = imported.map_err(|e| {
        let mut f = wrap(e);
        f.message = named(std::mem::take(&mut f.message));
        f
    })?;
    let fresh: std::collections::BTreeSet<String> = r
        .summaries
        .iter()
        .flat_map(|x| x.series.iter().map(|m| m.indicator.clone()))
        .collect();
    sr.series = fresh.into_iter().collect();
    sr.observations = r.dataset.rows;
    sr.kept_vintage = r.replaced;
    sr.warnings = notes;
    sr.warnings.extend(
        r.summaries
            .iter()
            .flat_map(|x| x.unknown_economy_lines())
            .map(named),
    );
    Ok(())
}
