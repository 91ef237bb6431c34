//! One GET into one file, as a downloader should: retries with backoff on
//! connection failures, 5xx and 429 (honouring `Retry-After`), resumption
//! of a cut download with `Range`, conditional requests (`If-None-Match`,
//! `If-Modified-Since`) so that an unchanged file is not downloaded again,
//! gzip, timeouts. The body goes to `<dest>.part` and is renamed to `dest`
//! only when complete, so a cut download never looks finished.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use innoscope_import::Progress;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ErrorKind, FetchError, Result};

/// How the client behaves; [`HttpSettings::default`] suits the publishers'
/// public endpoints.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Attempts after the first one.
    pub retries: u32,
    /// First wait between attempts; doubled each time.
    pub backoff: Duration,
    /// The longest wait honoured (a `Retry-After` beyond it is capped).
    pub max_wait: Duration,
    /// Connecting and each read.
    pub timeout: Duration,
    /// Use `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY`.
    pub env_proxy: bool,
    /// How to wait (tests record instead of sleeping).
    pub sleep: fn(Duration),
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            retries: 4,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(120),
            timeout: Duration::from_secs(60),
            env_proxy: true,
            sleep: std::thread::sleep,
        }
    }
}

/// What a server said about a file, to ask "has it changed?" next time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// A completed download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    pub validators: Validators,
    /// Attempts it took (1: no retry).
    pub attempts: u32,
    /// Bytes taken from an earlier cut download (resumed with `Range`).
    pub resumed_from: u64,
}

/// The answer to a GET.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Got {
    /// `304 Not Modified`: the copy from last time is current.
    NotModified,
    Saved(Saved),
}

/// A blocking HTTP client with the retry policy above.
pub struct Client {
    agent: ureq::Agent,
    settings: HttpSettings,
    /// Every wait taken, with its reason (for reports and tests).
    waits: Mutex<Vec<(Duration, String)>>,
}

enum Attempt {
    Done(Got),
    /// Try again after `wait` (None: the backoff).
    Retry(Option<Duration>, String),
}

impl Client {
    pub fn new(settings: HttpSettings) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(settings.timeout))
            .timeout_recv_response(Some(settings.timeout))
            .timeout_per_read(Some(settings.timeout))
            .user_agent(concat!("innoscope/", env!("CARGO_PKG_VERSION")))
            .proxy(if settings.env_proxy {
                ureq::Proxy::try_from_env()
            } else {
                None
            })
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
            settings,
            waits: Mutex::new(Vec::new()),
        }
    }

    /// The waits taken so far, with their reasons.
    pub fn waits(&self) -> Vec<(Duration, String)> {
        self.waits.lock().map(|w| w.clone()).unwrap_or_default()
    }

    /// The size the server announces for `url` (a HEAD request), when it does.
    pub fn size(&self, source: &str, url: &str) -> Result<Option<u64>> {
        let resp = self
            .agent
            .head(url)
            .call()
            .map_err(|e| FetchError::new(source, ErrorKind::Network, e.to_string()).at(url))?;
        if !resp.status().is_success() {
            return Ok(None);
        }
        Ok(resp
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok()))
    }

    /// GET `url` into `dest`. With `known` (what the server said last time),
    /// ask whether it changed. A `<dest>.part` left by a cut download is
    /// resumed.
    pub fn get(
        &self,
        source: &str,
        url: &str,
        dest: &Path,
        known: Option<&Validators>,
        progress: &dyn Progress,
    ) -> Result<Got> {
        let part = part_path(dest);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(source, dir, e))?;
        }
        let mut last = String::new();
        let mut backoff = self.settings.backoff;
        let attempts = self.settings.retries + 1;
        for attempt in 1..=attempts {
            match self.attempt(source, url, dest, &part, known, attempt, progress)? {
                Attempt::Done(got) => return Ok(got),
                Attempt::Retry(wait, why) => {
                    last = why;
                    if attempt == attempts {
                        break;
                    }
                    let wait = wait.unwrap_or(backoff).min(self.settings.max_wait);
                    backoff = (backoff * 2).min(self.settings.max_wait);
                    tracing::info!(source, url, attempt, wait_ms = wait.as_millis() as u64, reason = %last, "retrying");
                    if let Ok(mut w) = self.waits.lock() {
                        w.push((wait, last.clone()));
                    }
                    (self.settings.sleep)(wait);
                }
            }
        }
        Err(FetchError::new(
            source,
            ErrorKind::Network,
            format!("gave up after {attempts} attempts: {last}"),
        )
        .at(url)
        .hint("check the network and the proxy (HTTPS_PROXY); or download the file elsewhere and pass its directory with `innoscope fetch --from DIR` (`fetch --plan` lists the URLs)"))
    }

    #[allow(clippy::too_many_arguments)]
    fn attempt(
        &self,
        source: &str,
        url: &str,
        dest: &Path,
        part: &Path,
        known: Option<&Validators>,
        attempt: u32,
        progress: &dyn Progress,
    ) -> Result<Attempt> {
        let have = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
        let mut req = self.agent.get(url);
        if have > 0 {
            req = req.header("Range", format!("bytes={have}-"));
        } else if let Some(v) = known {
            if let Some(e) = &v.etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(m) = &v.last_modified {
                req = req.header("If-Modified-Since", m);
            }
        }
        let mut resp = match req.call() {
            Ok(r) => r,
            Err(e) => return Ok(Attempt::Retry(None, format!("connection failed: {e}"))),
        };
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        match status {
            304 => return Ok(Attempt::Done(Got::NotModified)),
            429 | 500..=599 => {
                let wait = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
                return Ok(Attempt::Retry(
                    wait.map(Duration::from_secs),
                    format!("the server answered {status}"),
                ));
            }
            200 | 206 => {}
            416 if have > 0 => {
                // The partial file is not a prefix of the current one.
                let _ = std::fs::remove_file(part);
                return Ok(Attempt::Retry(
                    Some(Duration::ZERO),
                    "the partial download no longer matches (416); starting over".into(),
                ));
            }
            _ => {
                let hint = match status {
                    404 => {
                        "the URL no longer exists: the publisher may have moved the file (set the source's base URL, or use --from DIR)"
                    }
                    401 | 403 => {
                        "the server refused access; a proxy may be blocking it (HTTPS_PROXY)"
                    }
                    _ => "see the publisher's documentation for this endpoint",
                };
                return Err(FetchError::new(
                    source,
                    ErrorKind::Status(status),
                    format!("the server answered {status}"),
                )
                .at(url)
                .hint(hint));
            }
        }
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let encoded =
            header("content-encoding").is_some_and(|e| !e.eq_ignore_ascii_case("identity"));
        let length = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
        // 206 continues the partial file; 200 (or a server that ignored
        // Range) starts it again.
        let resume = status == 206
            && header("content-range")
                .as_deref()
                .and_then(range_start)
                .is_some_and(|s| s == have);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(resume)
            .truncate(!resume)
            .open(part)
            .map_err(|e| io_error(source, part, e))?;
        let start = if resume { have } else { 0 };
        progress.start(dest, length.map_or(0, |l| l + start));
        if start > 0 {
            progress.advance(start);
        }
        let mut reader = resp.body_mut().as_reader();
        let mut buf = vec![0u8; 64 * 1024];
        let mut got = 0u64;
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    file.write_all(&buf[..n])
                        .map_err(|e| io_error(source, part, e))?;
                    got += n as u64;
                    progress.advance(n as u64);
                }
                Err(e) => {
                    progress.finish();
                    drop(file);
                    if encoded {
                        // Decoded bytes cannot be resumed by offset.
                        let _ = std::fs::remove_file(part);
                    }
                    return Ok(Attempt::Retry(
                        None,
                        format!("the download was cut after {got} bytes: {e}"),
                    ));
                }
            }
        }
        progress.finish();
        file.flush().map_err(|e| io_error(source, part, e))?;
        drop(file);
        if !encoded
            && let Some(l) = length
            && got != l
        {
            return Ok(Attempt::Retry(
                None,
                format!("the download was cut: {got} of {l} bytes"),
            ));
        }
        let (sha256, bytes) = hash(part).map_err(|e| io_error(source, part, e))?;
        std::fs::rename(part, dest).map_err(|e| io_error(source, dest, e))?;
        Ok(Attempt::Done(Got::Saved(Saved {
            path: dest.to_path_buf(),
            bytes,
            sha256,
            validators,
            attempts: attempt,
            resumed_from: start,
        })))
    }
}

/// Where a download in progress is kept.
pub fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    dest.with_file_name(name)
}

/// `bytes 100-199/200` → 100.
fn range_start(v: &str) -> Option<u64> {
    let v = v.trim().strip_prefix("bytes")?.trim();
    v.split('-').next()?.trim().parse().ok()
}

/// SHA-256 (hex) and length of a file.
pub fn hash(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((h.finalize().iter().map(|b| format!("{b:02x}")).collect(), n))
}

fn io_error(source: &str, path: &Path, e: std::io::Error) -> FetchError {
    FetchError::new(source, ErrorKind::Io, format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_start() {
        assert_eq!(range_start("bytes 100-199/200"), Some(100));
        assert_eq!(range_start("bytes 0-0/*"), Some(0));
        assert_eq!(range_start("items 1-2"), None);
    }

    #[test]
    fn part_file_beside_the_destination() {
        assert_eq!(
            part_path(Path::new("/c/wdi/x.json")),
            Path::new("/c/wdi/x.json.part")
        );
    }
}
