//! The yearly refresh from the command line, against a replay of the World
//! Bank API on loopback: `fetch`, then a new vintage upstream, then
//! `update` (fetch, import, report, changes) and `changes`.

#[path = "../../innoscope-fetch/tests/replay/mod.rs"]
mod replay;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn innoscope(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_innoscope"))
        .args(args)
        .env("INNOSCOPE_DATA_DIR", data_dir)
        .env_remove("RUST_LOG")
        .env_remove("INNOSCOPE_WDI_BASE_URL")
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The World Bank API over the real files; from `version` 2 on, the USA's
/// GDP of 2019 is revised (+1) and a year 2026 is added for China.
fn world_bank(req: &replay::Req, version: usize) -> replay::Reply {
    let code = req.path().rsplit('/').next().unwrap_or("");
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/wdi")
        .join(format!("{}.csv", code.to_ascii_lowercase()));
    let Ok(mut csv) = std::fs::read_to_string(&file) else {
        return replay::Reply::status(404);
    };
    if version >= 2 && code == "NY.GDP.MKTP.CD" {
        let mut out = String::new();
        for line in csv.lines() {
            if line.starts_with("United States,USA,2019,") {
                let v: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
                out.push_str(&format!("United States,USA,2019,{}\n", v + 1.0));
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        out.push_str("China,CHN,2026,2.0e13\n");
        csv = out;
    }
    let per_page = req
        .query("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let page: usize = req.query("page").and_then(|v| v.parse().ok()).unwrap_or(1);
    let updated = if version >= 2 {
        "2027-07-01"
    } else {
        "2026-07-01"
    };
    let pages = replay::wb_pages(&csv, code, code, per_page, updated);
    match pages.get(page - 1) {
        Some(p) => {
            replay::Reply::ok(p.clone()).header("ETag", &format!("\"{code}-{page}-{version}\""))
        }
        None => replay::Reply::status(404),
    }
}

#[test]
fn fetch_then_update_refreshes_the_store_and_prints_the_changes() {
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let server = replay::Replay::start("/v2", move |req| {
        let ver = v.load(Ordering::SeqCst);
        let etag = format!(
            "\"{}-{}-{ver}\"",
            req.path().rsplit('/').next().unwrap_or(""),
            req.query("page").unwrap_or("1")
        );
        if req.header("If-None-Match") == Some(etag.as_str()) {
            return replay::Reply::status(304);
        }
        world_bank(req, ver)
    });
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let series = "GB.XPD.RSDV.GD.ZS,NY.GDP.MKTP.CD";
    let o = innoscope(
        &data,
        &[
            "fetch",
            "wdi",
            "--series",
            series,
            "--base-url",
            &server.base,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains(
            "wdi: 2 file(s): 2 downloaded, 0 unchanged — dataset `wdi`: 2 series imported"
        ),
        "{err}"
    );
    // The other WDI series still come from the bundle: C1 and C5 run.
    for id in ["C1", "C5"] {
        let o = innoscope(&data, &["analyze", id, "--format", "csv"]);
        assert!(o.status.success(), "{id}: {}", text(&o.stderr));
    }
    let o = innoscope(&data, &["datasets", "--series", "wdi"]);
    let s = text(&o.stdout);
    assert!(
        s.contains("wdi (store,") && s.contains("wdi (bundled,"),
        "{s}"
    );
    assert!(
        s.contains("in use, shadows bundled wdi") && s.contains("shadowed by store wdi"),
        "{s}"
    );
    // Unchanged upstream: nothing imported.
    let o = innoscope(
        &data,
        &[
            "fetch",
            "wdi",
            "--series",
            series,
            "--base-url",
            &server.base,
        ],
    );
    assert!(
        text(&o.stderr).contains("unchanged since the last fetch; nothing imported"),
        "{}",
        text(&o.stderr)
    );
    // A new vintage upstream; the yearly refresh as one command.
    version.store(2, Ordering::SeqCst);
    let report = tmp.path().join("report");
    let o = innoscope(
        &data,
        &[
            "update",
            "--series",
            series,
            "--base-url",
            &server.base,
            "--out",
            report.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("wdi: 2 changed value(s)"), "{out}");
    assert!(
        out.contains("NY.GDP.MKTP.CD")
            && out.contains("1 revised, 1 new-year, 0 filled in, 0 dropped"),
        "{out}"
    );
    for f in ["index.html", "report.zh.html", "report.en.html"] {
        assert!(report.join(f).is_file(), "{f} written");
    }
    // The report reads the refreshed vintage.
    let en = std::fs::read_to_string(report.join("report.en.html")).unwrap();
    assert!(
        en.contains("2027-07-01"),
        "the report names the new vintage"
    );
    let o = innoscope(&data, &["changes", "wdi", "--format", "csv"]);
    let csv = text(&o.stdout);
    assert!(
        csv.contains("NY.GDP.MKTP.CD,USA,2019,") && csv.contains(",revised,"),
        "{csv}"
    );
    assert!(
        csv.contains("NY.GDP.MKTP.CD,CHN,2026,,") && csv.contains(",new year,"),
        "{csv}"
    );
    // The vintage the API stated is the one recorded.
    let o = innoscope(&data, &["datasets", "--series", "wdi"]);
    assert!(
        text(&o.stdout).contains("vintage 2027-07-01"),
        "{}",
        text(&o.stdout)
    );
    // Not a dataset with versions: a clear error.
    let o = innoscope(&data, &["changes", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no dataset `nope` in the store"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn fetch_plan_lists_the_urls_and_the_manual_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let o = innoscope(tmp.path(), &["fetch", "wdi", "wipo", "--plan"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = text(&o.stdout);
    assert!(
        s.contains("https://api.worldbank.org/v2/country/all/indicator/NY.GDP.MKTP.CD?format=json"),
        "{s}"
    );
    assert!(s.contains("-> ny.gdp.mktp.cd.p1.json"), "{s}");
    assert!(
        s.contains("wipo (no API: by hand)") && s.contains("innoscope import --format wipo"),
        "{s}"
    );
    // The environment variable sets the base URL.
    let o = Command::new(env!("CARGO_BIN_EXE_innoscope"))
        .args(["fetch", "--plan"])
        .env("INNOSCOPE_DATA_DIR", tmp.path())
        .env("INNOSCOPE_WDI_BASE_URL", "http://mirror.example/wb/v2")
        .output()
        .unwrap();
    assert!(
        text(&o.stdout).contains("http://mirror.example/wb/v2/country/all/indicator/"),
        "{}",
        text(&o.stdout)
    );
    // With no source named the plan is the report's: the OECD flows too.
    assert!(
        text(&o.stdout).contains("DSD_PATENTS@DF_PATENTS_COINVENTOR"),
        "{}",
        text(&o.stdout)
    );
    let o = innoscope(tmp.path(), &["fetch", "imf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("unknown source `imf`"),
        "{}",
        text(&o.stderr)
    );
}
