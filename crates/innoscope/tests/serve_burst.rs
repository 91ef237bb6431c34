//! The server under a burst of heavy requests whose clients go away: the
//! work stops, and the memory comes back. The binary serves a synthetic
//! store on loopback; a bounded loop sends K3 requests (the applicant
//! harmoniser, the heaviest analysis) for distinct parameters, so none is
//! shared or cached, and drops each connection after a staggered delay, so
//! that runs are abandoned in the queries and in the harmoniser alike.
//! Resident memory is read from /proc (Linux only).

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn innoscope(data_dir: &Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_innoscope"))
        .args(args)
        .arg("--quiet")
        .env("INNOSCOPE_DATA_DIR", data_dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The server, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(data_dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_innoscope"))
            .args(["serve", "--bind", "127.0.0.1:0", "--max-running", "2"])
            .env("INNOSCOPE_DATA_DIR", data_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, port }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Status line of a complete GET.
    fn get(&self, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out.lines().next().unwrap_or_default().to_string()
    }

    /// Send a GET and hang up after `after` without reading the answer.
    fn abandon(&self, path: &str, after: Duration) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
        std::thread::sleep(after);
        drop(s);
    }
}

/// Resident memory of `pid`, in KiB.
fn rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// CPU time of `pid` so far, in clock ticks.
fn cpu(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Wait until `pid` has used no CPU for a second (at most `limit`); the
/// time it took.
fn until_idle(pid: u32, limit: Duration) -> Duration {
    let start = Instant::now();
    let mut last = cpu(pid);
    while start.elapsed() < limit {
        std::thread::sleep(Duration::from_secs(1));
        let now = cpu(pid);
        if now == last {
            break;
        }
        last = now;
    }
    start.elapsed()
}

#[test]
fn memory_comes_back_after_a_burst_of_abandoned_requests() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let syn = tmp.path().join("syn");
    let out = syn.to_str().unwrap();
    innoscope(
        &data,
        &[
            "synth",
            "patstat",
            "--apps",
            "1000000",
            "--intl-factor",
            "4",
            "--out",
            out,
        ],
    );
    let mut tables: Vec<String> = std::fs::read_dir(&syn)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".parquet"))
        .collect();
    tables.sort();
    let mut args = vec!["import"];
    args.extend(tables.iter().map(String::as_str));
    innoscope(&data, &args);
    let server = Server::start(&data);
    // Warm: the microdata analyses (K3 included: what its first run sets
    // up once is not what an abandoned request leaves behind) and the
    // statistics, then idle.
    assert!(server.get("/api/analyses/K1").contains(" 200 "));
    assert!(server.get("/api/analyses/K3?year=2003").contains(" 200 "));
    assert!(server.get("/api/analyses/C1").contains(" 200 "));
    until_idle(server.pid(), Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(1));
    let before = rss(server.pid());

    // The burst: 16 distinct K3 requests, each dropped after 0.2–1.7 s.
    let mut peak = before;
    for i in 0..16u64 {
        let path = format!("/api/analyses/K3?year={}&top={}", 2004 + i % 16, 5 + i);
        server.abandon(&path, Duration::from_millis(200 + 100 * i));
        peak = peak.max(rss(server.pid()));
    }
    let drained = until_idle(server.pid(), Duration::from_secs(120));
    assert!(
        drained < Duration::from_secs(60),
        "abandoned work ran on for {drained:?} after the last client left"
    );
    std::thread::sleep(Duration::from_secs(2));
    let after = rss(server.pid());
    #[allow(clippy::print_stderr)] // the figures, for `--nocapture`
    {
        eprintln!("RSS before {before} KiB, peak {peak} KiB, after {after} KiB");
    }
    assert!(
        (after as f64) <= 1.5 * before as f64,
        "RSS after the burst {after} KiB, before {before} KiB (peak {peak} KiB)"
    );
    // And the server still answers, in full.
    assert!(server.get("/api/health").contains(" 200 "));
    assert!(server.get("/api/analyses/K3?year=2018").contains(" 200 "));
}
