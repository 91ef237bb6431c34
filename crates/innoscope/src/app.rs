//! What every command shares: the data directory, the engine, the settings
//! file, the cluster, and the three ways the binary speaks (results on
//! stdout, notes and warnings on stderr).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use innoscope_engine::{Engine, EngineOptions, Store};

use crate::cli::Global;

/// The data directory: `--data-dir`, `INNOSCOPE_DATA_DIR`, or the per-user
/// default. A `file://` URL names a local (or shared-mount) path; other
/// schemes are refused with what to do instead.
pub(crate) fn data_dir(g: &Global) -> Result<PathBuf> {
    if let Some(d) = &g.data_dir {
        let text = d.to_string_lossy();
        if let Some(path) = text.strip_prefix("file://") {
            return Ok(PathBuf::from(path));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            bail!(
                "--data-dir {text}: `{scheme}://` stores are not supported yet\nhint: mount the bucket or share the directory at the same path on every executor, and pass that path"
            );
        }
        return Ok(d.clone());
    }
    let base =
        dirs::data_dir().context("no per-user data directory on this system; pass --data-dir")?;
    Ok(base.join("innoscope"))
}

pub(crate) async fn open_engine(g: &Global) -> Result<Engine> {
    open_engine_within(g, None).await
}

/// The engine, its memory limit `--memory-limit`, else the settings file's
/// `[engine] memory_limit`, else `default` (bytes).
pub(crate) async fn open_engine_within(g: &Global, default: Option<usize>) -> Result<Engine> {
    let dir = data_dir(g)?;
    let mib = match g.memory_limit {
        Some(m) => Some(m),
        None => settings(g)?.engine.memory_limit,
    };
    let memory_limit = match mib {
        Some(m) => Some(usize::try_from(m.saturating_mul(1 << 20)).unwrap_or(usize::MAX)),
        None => default,
    };
    let engine = Engine::open(
        Some(&dir),
        &EngineOptions {
            bundled: !g.no_bundled,
            memory_limit,
        },
    )
    .await?;
    Ok(engine.with_exec(exec(g)?))
}

/// Half of the machine's memory (Linux: `MemTotal` of /proc/meminfo), the
/// server's default memory limit; `None` where it cannot be read.
pub(crate) fn half_the_memory() -> Option<usize> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024 / 2)
}

/// The settings file of this invocation (`--config`, else the data dir's).
pub(crate) fn settings(g: &Global) -> Result<crate::settings::Settings> {
    crate::settings::load(g.config.as_deref(), data_dir(g).ok().as_deref())
}

/// In process, or on the cluster named by `--cluster` (or the settings file).
pub(crate) fn exec(g: &Global) -> Result<innoscope_engine::cluster::Exec> {
    use innoscope_engine::cluster::Exec;
    let s = settings(g)?;
    match g.cluster.as_ref().or(s.cluster.url.as_ref()) {
        None => Ok(Exec::Local),
        Some(url) => {
            let work = match g.cluster_work_dir.as_ref().or(s.cluster.work_dir.as_ref()) {
                Some(w) => w.clone(),
                None => data_dir(g)?.join("work"),
            };
            let timeout = g
                .cluster_timeout
                .or(s.cluster.timeout)
                .unwrap_or(innoscope_engine::cluster::DEFAULT_TIMEOUT_SECS);
            std::fs::create_dir_all(&work).with_context(|| {
                format!(
                    "{}: cannot create the cluster work directory",
                    work.display()
                )
            })?;
            let work = std::fs::canonicalize(&work).unwrap_or(work);
            Ok(Exec::cluster(url, &work, timeout)?)
        }
    }
}

#[allow(clippy::print_stdout)]
pub(crate) fn out(s: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(s.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

#[allow(clippy::print_stderr)]
pub(crate) fn note(g: &Global, s: &str) {
    if !g.quiet {
        eprintln!("{s}");
    }
}

#[allow(clippy::print_stderr)]
pub(crate) fn warn(s: &str) {
    eprintln!("warning: {s}");
}

/// `SOURCE_DATE_EPOCH`, when set: the import time to record, for
/// reproducible stores (the bundle script sets it).
pub(crate) fn source_date_epoch() -> Option<u64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

/// The store of the data directory, recording `SOURCE_DATE_EPOCH` as the
/// import time when it is set.
pub(crate) fn open_store(g: &Global) -> Result<Store> {
    Ok(Store::open(&data_dir(g)?)?.with_import_time(source_date_epoch()))
}
