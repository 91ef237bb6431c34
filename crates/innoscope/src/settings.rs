//! The settings file, `innoscope.toml`: defaults for a shared deployment
//! (the cluster to run on, the server's address and limits) so that every
//! command on a machine uses them without repeating flags. Read from
//! `--config FILE` / `INNOSCOPE_CONFIG`, else `<data dir>/innoscope.toml` when
//! it exists. Command-line flags and environment variables win over it.
//!
//! ```toml
//! [cluster]
//! url = "df://scheduler.example:50050"
//! work_dir = "/shared/innoscope-work"
//! timeout = 3600
//!
//! [engine]
//! memory_limit = 8192   # MiB, for every command (serve: half the memory)
//!
//! [serve]
//! bind = "0.0.0.0:8080"
//! timeout = 60
//! max_running = 4
//!
//! [fetch.wdi]
//! base_url = "https://mirror.example/worldbank/v2"
//!
//! [report]
//! chromium = "/usr/bin/chromium"   # prints report --format pdf
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub cluster: ClusterSettings,
    #[serde(default)]
    pub engine: EngineSettings,
    #[serde(default)]
    pub serve: ServeSettings,
    #[serde(default)]
    pub report: ReportSettings,
    /// `[fetch.wdi] base_url = "…"`: per source.
    #[serde(default)]
    pub fetch: std::collections::BTreeMap<String, FetchSourceSettings>,
    /// Where the settings came from (for messages).
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSettings {
    pub url: Option<String>,
    pub work_dir: Option<PathBuf>,
    pub timeout: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// The browser that prints `report --format pdf` (`report --chromium` / `INNOSCOPE_CHROMIUM` wins).
    pub chromium: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchSourceSettings {
    pub base_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineSettings {
    /// MiB (`--memory-limit`).
    pub memory_limit: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeSettings {
    pub bind: Option<std::net::SocketAddr>,
    pub timeout: Option<u64>,
    pub max_running: Option<usize>,
}

/// Read the settings: `explicit` must exist; otherwise `<data dir>/innoscope.toml`
/// is read when present, and no file means defaults.
pub fn load(explicit: Option<&Path>, data_dir: Option<&Path>) -> Result<Settings> {
    let path = match explicit {
        Some(p) => {
            if !p.is_file() {
                bail!("{}: no such settings file", p.display());
            }
            p.to_path_buf()
        }
        None => match data_dir.map(|d| d.join("innoscope.toml")) {
            Some(p) if p.is_file() => p,
            _ => return Ok(Settings::default()),
        },
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    let mut s: Settings = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|sp| text[..sp.start.min(text.len())].matches('\n').count() + 1);
        anyhow::anyhow!(
            "{}{}: {}",
            path.display(),
            line.map(|l| format!(":{l}")).unwrap_or_default(),
            e.message().trim()
        )
    })?;
    s.file = Some(path);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_and_mistakes_named() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(None, Some(dir.path())).unwrap().file.is_none());
        let f = dir.path().join("innoscope.toml");
        std::fs::write(
            &f,
            "[cluster]\nurl = \"df://h:50050\"\ntimeout = 60\n[engine]\nmemory_limit = 2048\n[serve]\nbind = \"127.0.0.1:9000\"\n",
        )
        .unwrap();
        let s = load(None, Some(dir.path())).unwrap();
        assert_eq!(s.cluster.url.as_deref(), Some("df://h:50050"));
        assert_eq!(s.cluster.timeout, Some(60));
        assert_eq!(s.serve.bind.unwrap().port(), 9000);
        assert_eq!(s.engine.memory_limit, Some(2048));
        std::fs::write(&f, "[cluster]\nurl = \"df://h\"\ncolour = 1\n").unwrap();
        let e = load(None, Some(dir.path())).unwrap_err().to_string();
        assert!(
            e.contains("innoscope.toml:3") && e.contains("colour"),
            "{e}"
        );
        assert!(load(Some(&dir.path().join("nope.toml")), None).is_err());
    }
}
