//! One function per subcommand (the `applicants …` and `kb …` families
//! have modules of their own).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use innoscope_core::{Lang, Registry, ResultTable};
use innoscope_engine::analysis::{self, Params};
use innoscope_engine::patents::PatentImportOptions;
use innoscope_engine::store::UpdateMode;
use innoscope_engine::{RejectPolicy, Store};
use innoscope_import::patents::PatentFormat;
use innoscope_import::{Format, ImportOptions};

use crate::Outcome;
use crate::app::{
    data_dir, exec, half_the_memory, note, open_engine, open_engine_within, out, settings, warn,
};
use crate::cli::*;
use crate::progress::Bar;

pub(crate) async fn cluster(g: &Global, c: ClusterCommand) -> Result<Outcome> {
    use innoscope_engine::cluster::{ExecutorOptions, run_executor, run_scheduler};
    match c {
        ClusterCommand::Scheduler {
            bind,
            executor_timeout,
        } => {
            note(
                g,
                &format!("Ballista scheduler listening on {bind} (clients: --cluster df://{bind})"),
            );
            run_scheduler(bind, executor_timeout).await?;
        }
        ClusterCommand::Executor {
            scheduler,
            bind_host,
            port,
            grpc_port,
            slots,
            work_dir,
            heartbeat,
        } => {
            let (host, p) = scheduler
                .rsplit_once(':')
                .and_then(|(h, p)| p.parse::<u16>().ok().map(|p| (h.to_string(), p)))
                .with_context(|| format!("--scheduler `{scheduler}`: expected HOST:PORT"))?;
            let slots = slots.unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
            });
            note(
                g,
                &format!(
                    "Ballista executor on {bind_host}:{port} (gRPC {grpc_port}), {slots} slots, scheduler {host}:{p}"
                ),
            );
            run_executor(ExecutorOptions {
                scheduler: (host, p),
                bind_host,
                port,
                grpc_port,
                slots,
                work_dir,
                memory_limit: g.memory_limit.map(|m| m * 1024 * 1024),
                heartbeat_seconds: heartbeat.max(1),
            })
            .await?;
        }
    }
    Ok(Outcome::Done)
}

pub(crate) fn import(g: &Global, a: ImportArgs) -> Result<Outcome> {
    let mut inputs = Vec::new();
    let mut patents = Vec::new();
    let mut records = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for f in &a.files {
        let key = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
        if !seen.insert(key) {
            warn(&format!("{}: given twice; read once", f.display()));
            continue;
        }
        let format = match a.format {
            Some(f) => f,
            None => {
                let head = read_head(f)?;
                let text = innoscope_import::input::decode_head(&head);
                if text.trim().is_empty() {
                    bail!(
                        "{}: file is empty\nhint: re-download the file; it holds no data",
                        f.display()
                    );
                }
                if text.starts_with(['\n', '\r']) {
                    bail!(
                        "{}: the file starts with blank lines\nhint: remove the blank lines before the header",
                        f.display()
                    );
                }
                if let Some(p) = PatentFormat::detect(f, &head) {
                    AnyFormat::Patent(p)
                } else if let Some(r) = innoscope_import::records::RecordFormat::detect(&head) {
                    AnyFormat::Records(r)
                } else {
                    AnyFormat::Stats(Format::detect(&head).with_context(|| {
                        // Text in UTF-16 without a byte-order mark: every other byte is 0.
                        let zeros = head.iter().filter(|b| **b == 0).count();
                        let encoding = if head.len() >= 8 && zeros * 3 >= head.len() {
                            "; the file looks like UTF-16 without a byte-order mark: save it as UTF-8 (or UTF-16 with a BOM) and import again"
                        } else {
                            ""
                        };
                        format!(
                            "{}: cannot tell the format{encoding}\nhint: pass --format (one of: {}, {})",
                            f.display(),
                            Format::ALL
                                .iter()
                                .map(|f| f.name())
                                .collect::<Vec<_>>()
                                .join(", "),
                            PatentFormat::ALL
                                .iter()
                                .map(|f| f.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })?)
                }
            }
        };
        match format {
            AnyFormat::Stats(s) => inputs.push((f.clone(), s)),
            AnyFormat::Patent(p) => patents.push((f.clone(), p)),
            AnyFormat::Records(r) => records.push((f.clone(), r)),
        }
    }
    if let Some((y0, y1)) = a.years
        && let Some(f) = inputs
            .first()
            .map(|i| &i.0)
            .or(records.first().map(|r| &r.0))
    {
        bail!(
            "--years {y0}:{y1} selects the patents of PatentsView tables, and {} is not one\nhint: statistics keep every year; analyses choose theirs with --year",
            f.display()
        );
    }
    if !records.is_empty() {
        if !inputs.is_empty() || !patents.is_empty() {
            bail!(
                "record lists ({}) go into a dataset of their own: import them separately",
                records[0].0.display()
            );
        }
        return import_records(g, &a, &records);
    }
    if !patents.is_empty() {
        if !inputs.is_empty() {
            bail!(
                "patent microdata ({}) and statistics ({}) go into separate datasets: import them separately",
                patents[0].0.display(),
                inputs[0].0.display()
            );
        }
        return import_patents(g, &a, &patents);
    }
    let first = inputs[0].1;
    if inputs
        .iter()
        .any(|(_, f)| f.default_dataset() != first.default_dataset())
        && a.dataset.is_none()
    {
        bail!(
            "the files are of different kinds ({}); import them separately or name one --dataset",
            inputs
                .iter()
                .map(|(_, f)| f.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let dataset = a
        .dataset
        .clone()
        .unwrap_or_else(|| first.default_dataset().to_string());
    let dir = data_dir(g)?;
    let store = Store::open(&dir)?
        .with_import_time(crate::app::source_date_epoch())
        .with_update(if a.replace {
            UpdateMode::Replace
        } else {
            UpdateMode::Merge
        })
        .with_vintages(usize::from(a.keep_vintages));
    let options = ImportOptions {
        indicator: a.indicator.clone(),
        unit: a.unit.clone(),
        source: None,
        vintage: a.vintage.clone(),
    };
    let policy = if a.keep_going {
        RejectPolicy::KeepGoing
    } else {
        RejectPolicy::Strict
    };
    let bar = Bar::new(g.quiet);
    let report = store.import(&dataset, &inputs, &options, policy, &bar)?;
    for l in &report.removed_leftovers {
        note(g, &format!("removed {l}, left by an interrupted import"));
    }
    for s in &report.summaries {
        for line in s.unknown_economy_lines() {
            warn(&format!("{line} (rows skipped)"));
        }
        for r in &s.rejected {
            warn(&format!("{r} (row skipped)"));
        }
        note(
            g,
            &format!(
                "{}: {} ({} rows, {} values, {} empty, {} rejected)",
                s.file.display(),
                s.format,
                s.rows_read,
                s.observations,
                s.missing_values,
                s.rejected.len()
            ),
        );
        for n in &s.notes {
            note(g, &format!("note: {n}"));
        }
    }
    note(
        g,
        &format!(
            "{} dataset `{dataset}` in {}: {} observations, {} series",
            match (report.replaced, a.replace) {
                (false, _) => "created",
                (true, true) => "replaced",
                (true, false) => "updated",
            },
            dir.display(),
            report.dataset.rows,
            report.dataset.series.len()
        ),
    );
    Ok(Outcome::Done)
}

fn import_patents(
    g: &Global,
    a: &ImportArgs,
    inputs: &[(PathBuf, PatentFormat)],
) -> Result<Outcome> {
    let first = inputs[0].1;
    if inputs.iter().any(|(_, f)| *f != first) && a.dataset.is_none() {
        bail!(
            "the files are exports of different services; import them separately or name one --dataset"
        );
    }
    let dataset = a
        .dataset
        .clone()
        .unwrap_or_else(|| first.name().to_string());
    let dir = data_dir(g)?;
    let store = Store::open(&dir)?.with_import_time(crate::app::source_date_epoch());
    let options = PatentImportOptions {
        policy: if a.keep_going {
            RejectPolicy::KeepGoing
        } else {
            RejectPolicy::Strict
        },
        synthetic: a.synthetic,
        partitions: usize::from(a.partitions),
        years: a.years,
        ..PatentImportOptions::default()
    };
    let bar = Bar::new(g.quiet);
    let report = store.import_patents(&dataset, inputs, &options, &bar)?;
    for l in &report.removed_leftovers {
        note(g, &format!("removed {l}, left by an interrupted import"));
    }
    for s in &report.summaries {
        for r in &s.rejected {
            warn(&format!("{r} (row skipped)"));
        }
        if s.rejected_total > s.rejected.len() as u64 {
            warn(&format!(
                "{}: … and {} more rows skipped",
                s.file.display(),
                s.rejected_total - s.rejected.len() as u64
            ));
        }
        note(
            g,
            &format!(
                "{}: {} ({} rows; applications {}, persons {}, person links {}, symbols {}; {} rejected)",
                s.file.display(),
                s.format,
                s.rows_read,
                s.written.appln,
                s.written.person,
                s.written.party,
                s.written.class,
                s.rejected_total
            ),
        );
        for (what, n) in &s.missing {
            note(g, &format!("  {what}: {n}"));
        }
        for n in &s.notes {
            note(g, &format!("note: {n}"));
        }
    }
    if let Some(info) = &report.dataset.patents {
        for l in &info.lacks {
            note(
                g,
                &format!(
                    "note: {} data have no {}: {}",
                    l.format, l.what, l.rules_out
                ),
            );
        }
    }
    note(
        g,
        &format!(
            "{} patent dataset `{dataset}` in {}: {} rows in 4 tables",
            if report.replaced {
                "replaced"
            } else {
                "created"
            },
            dir.display(),
            report.dataset.rows
        ),
    );
    Ok(Outcome::Done)
}

pub(crate) fn synth_patstat(g: &Global, a: SynthPatstatArgs) -> Result<Outcome> {
    let s = innoscope_engine::synth::patstat(
        &a.out,
        &innoscope_engine::synth::SynthOptions {
            apps: a.apps,
            seed: a.seed,
            parquet: !a.no_parquet,
            pct_percent: a.pct_percent,
            intl_factor: a.intl_factor,
        },
    )?;
    note(
        g,
        &format!(
            "wrote {}: {} applications ({} PCT), {} persons, {} person links, {} IPC rows (synthetic)",
            a.out.display(),
            s.applications,
            s.pct_applications,
            s.persons,
            s.person_links,
            s.ipc_rows
        ),
    );
    Ok(Outcome::Done)
}

pub(crate) async fn serve(g: &Global, a: ServeArgs) -> Result<Outcome> {
    use innoscope_web::{AppState, ServeOptions};
    let engine = std::sync::Arc::new(open_engine_within(g, half_the_memory()).await?);
    let memory_limit = engine.memory().limit();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // Analyses run on a runtime of their own, off the request workers.
    let analyses = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .thread_name("innoscope-analysis")
        .enable_all()
        .build()
        .context("cannot start the analysis runtime")?;
    let s = settings(g)?;
    let opts = ServeOptions {
        timeout: std::time::Duration::from_secs(a.timeout.or(s.serve.timeout).unwrap_or(60).max(1)),
        max_running: a
            .max_running
            .or(s.serve.max_running)
            .unwrap_or(cores)
            .max(1),
        ..ServeOptions::default()
    };
    let state = AppState::new(engine, analyses.handle().clone(), opts);
    let bind = a
        .bind
        .or(s.serve.bind)
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 8080)));
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "listening beyond this machine: anyone who can reach it can read the store");
    }
    if let Some(limit) = memory_limit {
        note(
            g,
            &format!(
                "analyses share a memory limit of {} MiB (--memory-limit); beyond it requests get 503",
                limit >> 20
            ),
        );
    }
    out(&format!(
        "innoscope dashboard on http://{addr}/ (API: http://{addr}/api/, OpenAPI: http://{addr}/api/openapi.json); read-only; Ctrl-C stops it\n"
    ))?;
    innoscope_web::serve(
        listener,
        state,
        innoscope_web::ConnectionLimits::default(),
        innoscope_web::shutdown_signal(),
    )
    .await
    .context("server")?;
    analyses.shutdown_background();
    note(g, "stopped");
    Ok(Outcome::Done)
}

pub(crate) async fn bench_workload(g: &Global, a: BenchWorkloadArgs) -> Result<Outcome> {
    use innoscope_engine::microdata::{PatentTables, RawFormat};
    let tables = match (&a.data, &a.dataset) {
        (Some(dir), _) => {
            let format = match a.format.as_deref() {
                Some("csv") => RawFormat::Csv,
                Some(_) => RawFormat::Parquet,
                None if dir.join("tls201_appln.parquet").is_file() => RawFormat::Parquet,
                None => RawFormat::Csv,
            };
            PatentTables::Patstat {
                dir: dir.clone(),
                format,
            }
        }
        (None, Some(id)) => {
            let engine = open_engine(g).await?;
            engine.patent_tables(Some(id))?.0
        }
        (None, None) => {
            bail!("pass --data DIR (PATSTAT tables) or --dataset ID (a patent dataset)")
        }
    };
    let started = std::time::Instant::now();
    let params = innoscope_engine::workload::WorkloadParams {
        exec: exec(g)?,
        memory: innoscope_engine::memory::Memory::new(
            g.memory_limit.map(|m| (m as usize).saturating_mul(1 << 20)),
        )?,
        ..Default::default()
    };
    let output = innoscope_engine::workload::run(&tables, &params).await?;
    innoscope_engine::workload::write(&a.out, &output)?;
    let rows: usize = output.files.iter().map(|(_, r)| r.len()).sum();
    note(
        g,
        &format!(
            "wrote 6 files, {rows} rows, to {} in {:.2} s",
            a.out.display(),
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(Outcome::Done)
}

fn read_head(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut f =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut buf = vec![0u8; 64 * 1024];
    let n = f
        .read(&mut buf)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    buf.truncate(n);
    Ok(buf)
}

pub(crate) async fn datasets(g: &Global, a: DatasetsArgs) -> Result<Outcome> {
    if a.upgrade {
        let store = crate::app::open_store(g)?;
        let done = store.upgrade_facts()?;
        let mut s = String::new();
        for (id, upgraded) in &done {
            s.push_str(&format!(
                "{id}: {}\n",
                if *upgraded {
                    "analysis-ready facts derived"
                } else {
                    "up to date"
                }
            ));
        }
        if done.is_empty() {
            s.push_str("the store has no patent dataset\n");
        }
        out(&s)?;
        return Ok(Outcome::Done);
    }
    let engine = open_engine(g).await?;
    let list = engine.datasets();
    if a.json {
        out(&format!("{}\n", serde_json::to_string_pretty(list)?))?;
        return Ok(if list.is_empty() {
            Outcome::NoResult
        } else {
            Outcome::Done
        });
    }
    if let Some(id) = &a.series {
        if engine.dataset(id).is_none() {
            anyhow::bail!("no dataset `{id}` (`innoscope datasets` lists them)");
        }
        let mut s = String::new();
        for d in list.iter().filter(|d| &d.manifest.id == id) {
            let origin = format!("{:?}", d.origin).to_lowercase();
            s.push_str(&format!(
                "{id} ({origin}, {})\n",
                innoscope_engine::vintage_of(d)
            ));
            for x in &d.manifest.series {
                let indicator = &x.meta.indicator;
                let in_use = engine.datasets_with(indicator).first().copied();
                let status = match in_use {
                    Some(u) if std::ptr::eq(u, d) => {
                        let hidden: Vec<String> = engine
                            .shadowed(d, indicator)
                            .iter()
                            .map(|h| {
                                format!(
                                    "{} {}",
                                    format!("{:?}", h.origin).to_lowercase(),
                                    h.manifest.id
                                )
                            })
                            .collect();
                        if hidden.is_empty() {
                            "in use".to_string()
                        } else {
                            format!("in use, shadows {}", hidden.join(", "))
                        }
                    }
                    Some(u) => format!(
                        "shadowed by {} {}",
                        format!("{:?}", u.origin).to_lowercase(),
                        u.manifest.id
                    ),
                    None => String::new(),
                };
                let vintage = if x.meta.vintage.is_empty() {
                    String::new()
                } else {
                    format!("  vintage {}", x.meta.vintage)
                };
                s.push_str(&format!(
                    "  {:<28} {:>6} obs  {:>3} economies  {}–{}  {} [{}]  {}{vintage}  ({status})\n",
                    indicator,
                    x.observations,
                    x.economies,
                    x.first_year,
                    x.last_year,
                    x.meta.unit,
                    x.meta.licence,
                    x.meta.name_en
                ));
            }
            for v in &d.manifest.vintages {
                s.push_str(&format!(
                    "  earlier version kept: {} ({} series, imported {})\n",
                    v.dir,
                    v.series.len(),
                    innoscope_engine::date_of(v.imported_at)
                ));
            }
        }
        out(&s)?;
        return Ok(Outcome::Done);
    }
    let mut s = String::new();
    for d in list {
        let m = &d.manifest;
        if let Some(p) = &m.patents {
            let years = match (p.first_year, p.last_year) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => "years unknown".into(),
            };
            let t = |k: &str| p.tables.get(k).copied().unwrap_or(0);
            s.push_str(&format!(
                "{:<12} {:<8} patents: {} applications, {} persons, {} links, {} symbols  {years}{}{}\n",
                m.id,
                format!("{:?}", d.origin).to_lowercase(),
                t("appln"),
                t("person"),
                t("party"),
                t("class"),
                if p.synthetic { "  (synthetic demo data)" } else { "" },
                m.inputs
                    .first()
                    .map(|i| format!("  [{}]", i.format))
                    .unwrap_or_default()
            ));
            continue;
        }
        let (first, last) = m.series.iter().fold((i32::MAX, i32::MIN), |(a, b), x| {
            (a.min(x.first_year), b.max(x.last_year))
        });
        let sources: Vec<String> = m
            .sources()
            .into_iter()
            .map(|(s, l)| format!("{s} [{l}]"))
            .collect();
        s.push_str(&format!(
            "{:<12} {:<8} {:>7} obs  {:>3} series  {first}–{last}  {}\n",
            m.id,
            format!("{:?}", d.origin).to_lowercase(),
            m.rows,
            m.series.len(),
            sources.join("; ")
        ));
    }
    out(&s)?;
    Ok(if list.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Done
    })
}

/// The parameters given on the command line, checked by the engine's
/// schema (and by the analysis' own parameters when it has some).
pub fn params_from(id: &str, p: &ParamArgs) -> Result<Params> {
    let pairs = p.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let origin = analysis::Origin::CommandLine;
    Ok(match analysis::get(id) {
        Some(a) => Params::for_analysis(a, pairs, origin)?,
        None => Params::from_pairs(pairs, origin)?,
    })
}

pub(crate) async fn analyze(g: &Global, a: AnalyzeArgs) -> Result<Outcome> {
    if a.list {
        let mut s = String::new();
        for spec in analysis::list() {
            s.push_str(&format!(
                "{:<4} {:<16} {} / {}\n",
                spec.id, spec.name, spec.title.en, spec.title.zh
            ));
            for p in &spec.params {
                let d = if p.default.is_empty() {
                    String::new()
                } else {
                    format!(" [default: {}]", p.default)
                };
                s.push_str(&format!("       --{:<16} {}{d}\n", p.name, p.help));
            }
        }
        out(&s)?;
        return Ok(Outcome::Done);
    }
    let id = a.analysis.as_deref().unwrap_or_default();
    let params = params_from(id, &a.params)?;
    let engine = open_engine(g).await?;
    let tables = analysis::run(&engine, id, &params).await?;
    emit_tables(g, &tables, &a.output)?;
    if let Some(dir) = &a.networks {
        let n = innoscope_report::assemble::write_networks(dir, &tables)?;
        note(
            g,
            &format!(
                "wrote {n} network(s) to {} (GEXF, VOSviewer JSON, CSV; en and zh)",
                dir.display()
            ),
        );
    }
    Ok(if tables.iter().all(|t| t.n_rows() == 0) {
        Outcome::NoResult
    } else {
        Outcome::Done
    })
}

/// Write result tables as `o` asks: text formats to standard output or
/// `--out`, the binary ones (xlsx, Parquet, PNG) to `--out` only, each file
/// written beside its place and renamed into it.
pub(crate) fn emit_tables(g: &Global, tables: &[ResultTable], o: &OutputArgs) -> Result<()> {
    use innoscope_report::export;
    let langs = langs_of(o.lang);
    let binary = matches!(
        o.format,
        OutputFormat::Xlsx | OutputFormat::Parquet | OutputFormat::Png
    );
    let Some(path) = &o.out else {
        if binary {
            bail!(
                "--format {} writes a file: name it with --out PATH",
                format!("{:?}", o.format).to_lowercase()
            );
        }
        return out(&format_tables(tables, o));
    };
    // One file per table for Parquet and PNG: c2.parquet, c2.tiers.parquet.
    let part_path = |t: &ResultTable, first: bool| -> PathBuf {
        if first {
            return path.clone();
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let part = t.id.split_once('.').map_or(t.id.as_str(), |(_, p)| p);
        let ext = path
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        path.with_file_name(format!("{stem}.{part}{ext}"))
    };
    let mut written = Vec::new();
    match o.format {
        OutputFormat::Xlsx => {
            innoscope_engine::atomic::write(path, &export::xlsx(tables, &langs)?)?;
            written.push(path.clone());
        }
        OutputFormat::Parquet => {
            for (i, t) in tables.iter().enumerate() {
                let p = part_path(t, i == 0);
                innoscope_engine::atomic::write(&p, &export::parquet(t)?)?;
                written.push(p);
            }
        }
        OutputFormat::Png => {
            let figures: Vec<(&ResultTable, String)> = tables
                .iter()
                .filter_map(|t| Some((t, innoscope_report::charts::render(t, langs[0])?)))
                .collect();
            if figures.is_empty() {
                bail!(
                    "this result has no figure to draw; use --format xlsx, csv or parquet for its tables"
                );
            }
            if langs[0] == Lang::Zh && !export::cjk_font_installed() {
                warn(
                    "no Chinese font is installed (fonts-noto-cjk): Chinese labels will be missing from the PNG",
                );
            }
            for (i, (t, svg)) in figures.iter().enumerate() {
                let p = part_path(t, i == 0);
                innoscope_engine::atomic::write(&p, &export::png(svg, o.scale)?)?;
                written.push(p);
            }
        }
        _ => {
            innoscope_engine::atomic::write(path, format_tables(tables, o).as_bytes())?;
            written.push(path.clone());
        }
    }
    for p in written {
        note(g, &format!("wrote {}", p.display()));
    }
    Ok(())
}

fn langs_of(l: LangArg) -> Vec<Lang> {
    match l {
        LangArg::Zh => vec![Lang::Zh],
        LangArg::En => vec![Lang::En],
        LangArg::Both => vec![Lang::En, Lang::Zh],
    }
}

pub fn format_tables(tables: &[ResultTable], o: &OutputArgs) -> String {
    match o.format {
        OutputFormat::Csv => innoscope_report::export::csv(
            tables,
            innoscope_report::export::CsvOptions {
                bom: o.bom,
                plain: o.csv_plain,
            },
        ),
        OutputFormat::Json => {
            let v: Vec<&ResultTable> = tables.iter().collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&v).expect("tables serialise")
            )
        }
        OutputFormat::Table | OutputFormat::Xlsx | OutputFormat::Parquet | OutputFormat::Png => {
            let langs = langs_of(o.lang);
            let mut s = String::new();
            for t in tables {
                for l in &langs {
                    s.push_str(&t.to_text(*l));
                    s.push('\n');
                }
            }
            s
        }
    }
}

pub(crate) fn economies(a: EconomiesArgs) -> Result<Outcome> {
    let reg = Registry::bundled();
    let rows: Vec<&innoscope_core::Economy> = match &a.query {
        Some(q) => reg
            .by_code(q)
            .or_else(|| reg.resolve(None, q))
            .into_iter()
            .collect(),
        None => reg
            .all()
            .iter()
            .filter(|e| a.all || e.is_country())
            .collect(),
    };
    let mut s = String::new();
    for e in &rows {
        let groups: Vec<String> = e.groups.iter().map(|(g, y)| format!("{g}:{y}")).collect();
        s.push_str(&format!(
            "{:<11} {:<3} {:<10} {}  {}  {}  {}\n",
            e.code,
            e.iso2,
            format!("{:?}", e.kind).to_lowercase(),
            e.name_en,
            e.name_zh,
            e.region,
            groups.join(" ")
        ));
    }
    out(&s)?;
    if rows.is_empty()
        && let Some(q) = &a.query
    {
        let near = reg.suggest(q);
        warn(&match near.as_slice() {
            [] => format!("no economy matches `{q}` (`innoscope economies` lists them all)"),
            n => format!(
                "no economy matches `{q}`; did you mean {}?",
                n.iter()
                    .map(|e| format!("{} ({})", e.name_en, e.code))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(if rows.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Done
    })
}

fn import_records(
    g: &Global,
    a: &ImportArgs,
    files: &[(PathBuf, innoscope_import::records::RecordFormat)],
) -> Result<Outcome> {
    let first = files[0].1;
    if files.iter().any(|(_, f)| *f != first) && a.dataset.is_none() {
        bail!("the files are of different kinds; import them separately or name one --dataset");
    }
    let dataset = a
        .dataset
        .clone()
        .unwrap_or_else(|| first.default_dataset().to_string());
    let store = crate::app::open_store(g)?;
    let policy = if a.keep_going {
        RejectPolicy::KeepGoing
    } else {
        RejectPolicy::Strict
    };
    let report = store.import_records(
        &dataset,
        files,
        &innoscope_engine::records::RecordOptions {
            vintage: a.vintage.clone(),
            synthetic: a.synthetic,
            ..Default::default()
        },
        policy,
    )?;
    for l in &report.removed_leftovers {
        note(g, &format!("removed {l}, left by an interrupted import"));
    }
    for s in &report.summaries {
        for r in &s.rejected {
            warn(&r.to_string());
        }
        for line in s.unknown_economy_lines() {
            warn(&line);
        }
        for n in &s.notes {
            note(g, &format!("note: {n}"));
        }
    }
    note(
        g,
        &format!(
            "{} dataset `{dataset}`: {} {} records ({})",
            if report.replaced {
                "replaced"
            } else {
                "imported"
            },
            report.dataset.rows,
            first.name(),
            first.describe()
        ),
    );
    Ok(Outcome::Done)
}

pub(crate) fn bundle(a: BundleArgs) -> Result<Outcome> {
    use innoscope_engine::bundle;
    match a.what {
        BundleWhat::Registry { shared, registry } => bundle::registry(&shared, &registry)?,
        BundleWhat::Data {
            shared,
            out,
            fixtures,
        } => {
            let time = crate::app::source_date_epoch().context(
                "set SOURCE_DATE_EPOCH (scripts/regenerate-bundle.sh does) so that the bundle is reproducible",
            )?;
            for w in bundle::data(&shared, &out, &fixtures, time)? {
                warn(&w);
            }
        }
    }
    Ok(Outcome::Done)
}

pub async fn report(g: &Global, a: ReportArgs) -> Result<Outcome> {
    use innoscope_core::Text;
    use innoscope_engine::edition::Edition;
    use innoscope_report::assemble;

    let dir = data_dir(g)?;
    let engine = open_engine(g).await?;
    let report = assemble::assemble(
        &engine,
        &assemble::Options {
            data_dir: Some(dir.clone()),
            year: match a.year {
                Some(ReportYear::Year(y)) => Some(y),
                _ => None,
            },
            latest: a.year == Some(ReportYear::Latest),
            preset: a.preset.clone(),
            kb_dir: a.kb_dir.clone(),
            compare_with: a.compare_with.clone(),
        },
    )
    .await?;
    for w in &report.warnings {
        warn(w);
    }
    let langs: Vec<Lang> = match a.lang {
        LangArg::Zh => vec![Lang::Zh],
        LangArg::En => vec![Lang::En],
        LangArg::Both => vec![Lang::Zh, Lang::En],
    };
    let pdf = if a.format.contains(&ReportFormat::Pdf) {
        let explicit = match &a.chromium {
            Some(p) => Some(p.clone()),
            None => settings(g)?.report.chromium,
        };
        Some(innoscope_report::pdf::Printer::find(explicit.as_deref())?)
    } else {
        None
    };
    let formats = assemble::Formats {
        xlsx: a.format.contains(&ReportFormat::Xlsx),
        png: a.format.contains(&ReportFormat::Png).then_some(a.scale),
        pdf,
    };
    if (formats.png.is_some() || formats.pdf.is_some())
        && langs.contains(&Lang::Zh)
        && !innoscope_report::export::cjk_font_installed()
    {
        warn(
            "no Chinese font is installed (fonts-noto-cjk): Chinese text will be missing from the PNG figures and the PDF",
        );
    }
    let pages = assemble::write(&a.out, &report, &langs, &formats)?;
    if let Some(name) = &a.save_edition {
        let e = Edition::from_tables(name, Text::same(name.clone()), &report.tables);
        let path = e.save(&dir)?;
        note(g, &format!("saved edition `{name}` to {}", path.display()));
    }
    let first = a.out.join(&pages[0]);
    note(g, &format!("report written: {}", first.display()));
    let extra: Vec<&str> = pages
        .iter()
        .skip(1)
        .filter(|p| !p.ends_with(".html"))
        .map(String::as_str)
        .collect();
    if !extra.is_empty() {
        note(g, &format!("  beside it: {}", extra.join(", ")));
    }
    // The knowledge base always renders; "no result" means no data at all.
    Ok(if report.tables.iter().all(|t| t.id.starts_with('Q')) {
        Outcome::NoResult
    } else {
        Outcome::Done
    })
}
