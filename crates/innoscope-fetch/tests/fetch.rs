//! `fetch` against a replay server on loopback (no network here): the
//! World Bank API's paging, 304, 429 with Retry-After, a 500 then success,
//! a connection cut mid-body, a truncated gzip, and a drifted layout.

mod replay;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use innoscope_engine::{Engine, EngineOptions, RejectPolicy, Store};
use innoscope_fetch::{ErrorKind, FetchOptions, FileStatus, HttpSettings, Request, SourceId};
use innoscope_import::{Format, ImportOptions, NoProgress};
use replay::{Replay, Reply, Req};

fn shared(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    assert!(p.is_file(), "{} (../shared beside the clone)", p.display());
    p
}

fn quick() -> FetchOptions {
    FetchOptions {
        http: HttpSettings {
            retries: 3,
            backoff: Duration::from_millis(1),
            max_wait: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            env_proxy: false,
            // Waits are recorded by the client; the tests do not sleep them.
            sleep: |_| {},
        },
        from: None,
    }
}

fn request(base: &str, series: &[&str], per_page: u32) -> Request {
    Request {
        sources: vec![SourceId::Wdi],
        series: series.iter().map(|s| s.to_string()).collect(),
        base_urls: BTreeMap::from([(SourceId::Wdi, base.to_string())]),
        per_page,
        ..Request::default()
    }
}

/// `code` → the real file it is served from.
fn wdi_file(code: &str) -> PathBuf {
    shared(&format!("wdi/{}.csv", code.to_ascii_lowercase()))
}

/// The World Bank API over the real files, paged by the request's per_page.
fn world_bank(req: &Req) -> Reply {
    let Some(code) = req.path().rsplit('/').next() else {
        return Reply::status(404);
    };
    let per_page: usize = req
        .query("per_page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let page: usize = req.query("page").and_then(|v| v.parse().ok()).unwrap_or(1);
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/wdi")
        .join(format!("{}.csv", code.to_ascii_lowercase()));
    let Ok(text) = std::fs::read_to_string(file) else {
        return Reply::ok(
            r#"[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]"#,
        );
    };
    let pages = replay::wb_pages(&text, code, code, per_page, "2026-07-01");
    match pages.get(page - 1) {
        Some(p) => Reply::ok(p.clone()).header("ETag", &format!("\"{code}-{page}-v1\"")),
        None => Reply::status(404),
    }
}

/// The manifest and dataset files: what a failed fetch must leave as it was.
fn snapshot(store: &Store) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push((
                    p.strip_prefix(base).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(m) = std::fs::read(store.dir().join("manifest.json")) {
        out.push(("manifest.json".into(), m));
    }
    walk(&store.dir().join("datasets"), store.dir(), &mut out);
    out.sort();
    out
}

async fn values(dir: &Path, code: &str) -> BTreeMap<(String, i32), f64> {
    let e = Engine::open(Some(dir), &EngineOptions::store_only())
        .await
        .unwrap();
    let s = e.series(code, None).await.unwrap();
    let mut out = BTreeMap::new();
    for (eco, years) in &s.values {
        for (y, v) in years {
            out.insert((eco.clone(), *y), *v);
        }
    }
    out
}

#[tokio::test]
async fn fetched_values_equal_importing_the_same_files_directly() {
    let server = Replay::start("/v2", world_bank);
    let codes = ["GB.XPD.RSDV.GD.ZS", "NY.GDP.MKTP.CD"];
    let tmp = tempfile::tempdir().unwrap();
    let a = Store::open(&tmp.path().join("a")).unwrap();
    // 1000 records a page: NY.GDP.MKTP.CD's 14,743 rows come in 15 pages.
    let r = innoscope_fetch::fetch(
        &a,
        &request(&server.base, &codes, 1000),
        &quick(),
        &NoProgress,
    )
    .unwrap();
    let wdi = &r.sources[0];
    assert_eq!(wdi.series, codes);
    assert_eq!(wdi.files.len(), 4 + 15);
    let pages = server
        .requests()
        .iter()
        .filter(|q| q.target.contains("NY.GDP.MKTP.CD"))
        .count();
    assert_eq!(pages, 15);
    let b = Store::open(&tmp.path().join("b")).unwrap();
    b.import(
        "wdi",
        &codes.map(|c| (wdi_file(c), Format::WdiLong)),
        &ImportOptions::default(),
        RejectPolicy::Strict,
        &NoProgress,
    )
    .unwrap();
    for c in codes {
        let (va, vb) = (values(a.dir(), c).await, values(b.dir(), c).await);
        assert!(va.len() > 3000, "{c}: {} values", va.len());
        assert_eq!(va, vb, "{c}: fetched and imported values differ");
    }
    // The vintage the API states is recorded with the series.
    let m = a.manifest().unwrap();
    assert!(
        m.datasets["wdi"]
            .series
            .iter()
            .all(|s| s.meta.vintage == "2026-07-01")
    );
}

#[tokio::test]
async fn an_unchanged_series_is_not_downloaded_again_nor_imported() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let server = Replay::start("/v2", move |req| {
        c2.fetch_add(1, Ordering::SeqCst);
        let etag = "\"GB.XPD.RSDV.GD.ZS-1-v1\"";
        if req.header("If-None-Match") == Some(etag) {
            return Reply::status(304).header("ETag", etag);
        }
        world_bank(req)
    });
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let req = request(&server.base, &["GB.XPD.RSDV.GD.ZS"], 20_000);
    let first = innoscope_fetch::fetch(&store, &req, &quick(), &NoProgress).unwrap();
    assert!(!first.sources[0].unchanged);
    let before = snapshot(&store);
    let again = innoscope_fetch::fetch(&store, &req, &quick(), &NoProgress).unwrap();
    assert!(again.sources[0].unchanged);
    assert_eq!(again.sources[0].files[0].status, FileStatus::NotModified);
    assert_eq!(snapshot(&store), before, "nothing re-imported");
    let last = server.requests().last().unwrap().clone();
    assert_eq!(
        last.header("If-None-Match"),
        Some("\"GB.XPD.RSDV.GD.ZS-1-v1\"")
    );
}

#[tokio::test]
async fn a_429_with_retry_after_and_a_500_are_retried() {
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    let server = Replay::start("/v2", move |req| match n2.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::status(429).header("Retry-After", "7"),
        1 => Reply::status(500),
        _ => world_bank(req),
    });
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let r = innoscope_fetch::fetch(
        &store,
        &request(&server.base, &["GB.XPD.RSDV.GD.ZS"], 20_000),
        &quick(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(r.retries.len(), 2, "{:?}", r.retries);
    assert!(
        r.retries[0].starts_with("waited 7.0 s") && r.retries[0].contains("429"),
        "{:?}",
        r.retries
    );
    assert!(r.retries[1].contains("500"), "{:?}", r.retries);
    assert_eq!(
        r.sources[0].files[0].status,
        FileStatus::Downloaded {
            bytes: std::fs::metadata(tmp.path().join("cache/fetch/wdi/gb.xpd.rsdv.gd.zs.p1.json"))
                .unwrap()
                .len(),
            attempts: 3,
            resumed_from: 0
        }
    );
    assert!(values(tmp.path(), "GB.XPD.RSDV.GD.ZS").await.len() > 3000);
}

#[tokio::test]
async fn a_download_cut_mid_body_is_resumed_with_range() {
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    let server = Replay::start("/v2", move |req| {
        let full = world_bank(req);
        let half = full.body.len() / 2;
        match n2.fetch_add(1, Ordering::SeqCst) {
            0 => full.cut_after(half),
            _ => {
                let range = req.header("Range").expect("the second request resumes");
                let from: usize = range
                    .trim_start_matches("bytes=")
                    .trim_end_matches('-')
                    .parse()
                    .unwrap();
                assert_eq!(from, half);
                let len = full.body.len();
                let mut r = Reply::ok(full.body[from..].to_vec());
                r.status = 206;
                r.header("Content-Range", &format!("bytes {from}-{}/{len}", len - 1))
            }
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let r = innoscope_fetch::fetch(
        &store,
        &request(&server.base, &["GB.XPD.RSDV.GD.ZS"], 20_000),
        &quick(),
        &NoProgress,
    )
    .unwrap();
    let FileStatus::Downloaded {
        resumed_from,
        attempts,
        ..
    } = r.sources[0].files[0].status
    else {
        panic!("{:?}", r.sources[0].files[0].status)
    };
    assert!(resumed_from > 0 && attempts == 2);
    let direct = Store::open(&tmp.path().join("direct")).unwrap();
    direct
        .import(
            "wdi",
            &[(wdi_file("GB.XPD.RSDV.GD.ZS"), Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    assert_eq!(
        values(tmp.path(), "GB.XPD.RSDV.GD.ZS").await,
        values(direct.dir(), "GB.XPD.RSDV.GD.ZS").await
    );
}

/// A store with one imported series, to check that failures leave it be.
fn seeded(dir: &Path) -> Store {
    let store = Store::open(dir).unwrap();
    store
        .import(
            "wdi",
            &[(wdi_file("NY.GDP.MKTP.CD"), Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    store
}

#[tokio::test]
async fn a_truncated_gzip_fails_after_the_retries_and_changes_nothing() {
    let server = Replay::start("/v2", |req| {
        let body = world_bank(req).body;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &body).unwrap();
        let gz = gz.finish().unwrap();
        Reply::ok(gz[..gz.len() / 2].to_vec()).header("Content-Encoding", "gzip")
    });
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded(tmp.path());
    let before = snapshot(&store);
    let e = innoscope_fetch::fetch(
        &store,
        &request(&server.base, &["GB.XPD.RSDV.GD.ZS"], 20_000),
        &quick(),
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with("wdi: http://127.0.0.1:") && text.contains("gave up after 4 attempts"),
        "{text}"
    );
    assert!(
        text.contains("hint:") && text.contains("--from DIR"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 4);
    assert_eq!(snapshot(&store), before, "the store is byte-identical");
}

#[tokio::test]
async fn format_drift_is_reported_as_such_and_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded(tmp.path());
    let before = snapshot(&store);
    // A field renamed: `value` → `obs_value`.
    let renamed = Replay::start("/v2", |req| {
        let body = String::from_utf8(world_bank(req).body).unwrap();
        Reply::ok(
            body.replace("\"value\":", "\"obs_value\":")
                .replace("\"obs_value\":{", "\"value\":{"),
        )
    });
    let e = innoscope_fetch::fetch(
        &store,
        &request(&renamed.base, &["GB.XPD.RSDV.GD.ZS"], 20_000),
        &quick(),
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Drift, "{e}");
    assert!(
        e.to_string()
            .contains("format drift: record 1 has no field `value`"),
        "{e}"
    );
    // Pages that do not add up: a record missing from the last page.
    let short = Replay::start("/v2", |req| {
        let body = String::from_utf8(world_bank(req).body).unwrap();
        if req.query("page") == Some("4") {
            let cut = body.rfind(",{\"indicator\"").unwrap();
            return Reply::ok(format!("{}]]", &body[..cut]));
        }
        Reply::ok(body)
    });
    let e = innoscope_fetch::fetch(
        &store,
        &request(&short.base, &["GB.XPD.RSDV.GD.ZS"], 1000),
        &quick(),
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Drift, "{e}");
    assert!(
        e.to_string().contains("the page count does not add up"),
        "{e}"
    );
    // A value written as text.
    let text = Replay::start("/v2", |req| {
        let body = String::from_utf8(world_bank(req).body).unwrap();
        let at = body.find("\"value\":0").unwrap() + 8;
        Reply::ok(format!("{}\"{}", &body[..at], &body[at..]).replacen(
            ",\"unit\"",
            "\",\"unit\"",
            1,
        ))
    });
    let e = innoscope_fetch::fetch(
        &store,
        &request(&text.base, &["GB.XPD.RSDV.GD.ZS"], 20_000),
        &quick(),
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Drift, "{e}");
    assert!(e.to_string().contains("not a number or null"), "{e}");
    // The API's own error message for an unknown indicator.
    let server = Replay::start("/v2", world_bank);
    let e = innoscope_fetch::fetch(
        &store,
        &request(&server.base, &["XX.NOT.A.SERIES"], 20_000),
        &quick(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("refused `XX.NOT.A.SERIES`: Invalid value"),
        "{e}"
    );
    assert_eq!(snapshot(&store), before, "the store is byte-identical");
}

#[tokio::test]
async fn fetch_from_a_directory_checks_and_imports_the_same_way() {
    let server = Replay::start("/v2", world_bank);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("downloaded");
    std::fs::create_dir_all(&dir).unwrap();
    // Files fetched elsewhere, named as `fetch --plan` says.
    let plan =
        innoscope_fetch::plan(&request(&server.base, &["GB.XPD.RSDV.GD.ZS"], 20_000)).unwrap();
    assert_eq!(plan.items[0].file, "gb.xpd.rsdv.gd.zs.p1.json");
    let req = Req {
        method: "GET".into(),
        target: plan.items[0]
            .url
            .replace(&server.base.replace("/v2", ""), ""),
        headers: Vec::new(),
    };
    std::fs::write(dir.join(&plan.items[0].file), world_bank(&req).body).unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let options = FetchOptions {
        from: Some(dir.clone()),
        ..quick()
    };
    let r = innoscope_fetch::fetch(
        &store,
        &request(&server.base, &["GB.XPD.RSDV.GD.ZS"], 20_000),
        &options,
        &NoProgress,
    )
    .unwrap();
    assert_eq!(r.sources[0].files[0].status, FileStatus::FromDir);
    assert!(values(store.dir(), "GB.XPD.RSDV.GD.ZS").await.len() > 3000);
    // A missing file is named, with the URL it comes from.
    let e = innoscope_fetch::fetch(
        &store,
        &request(&server.base, &["NY.GDP.MKTP.CD"], 20_000),
        &options,
        &NoProgress,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("no file `ny.gdp.mktp.cd.p1.json`"),
        "{e}"
    );
}

#[test]
fn the_plan_lists_every_wdi_series_the_analyses_read() {
    let req = Request {
        sources: vec![SourceId::Wdi, SourceId::Wipo],
        ..Request::default()
    };
    let plan = innoscope_fetch::plan(&req).unwrap();
    let series: Vec<&str> = plan
        .items
        .iter()
        .filter_map(|i| i.series.as_deref())
        .collect();
    for s in [
        "GB.XPD.RSDV.GD.ZS",
        "NY.GDP.MKTP.CD",
        "PA.NUS.FCRF",
        "PA.NUS.PPP",
        "BX.GSR.ROYL.CD",
        "TX.VAL.ICTG.ZS.UN",
        "TM.VAL.MRCH.CD.WT",
    ] {
        assert!(series.contains(&s), "{s} in {series:?}");
    }
    assert!(
        plan.items[0]
            .url
            .starts_with("https://api.worldbank.org/v2/country/all/indicator/"),
        "{}",
        plan.items[0].url
    );
    assert!(plan.manual[0].1.contains("never downloads or bundles"));
}

/// A 7z archive of `entries` (name, bytes), as UNCTADstat's bulk downloads come.
fn seven_z(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use sevenz_rust2::{ArchiveEntry, ArchiveWriter};
    let mut w = ArchiveWriter::new(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, bytes) in entries {
        w.push_archive_entry(ArchiveEntry::new_file(name), Some(*bytes))
            .unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn unctad_request(base: &str) -> Request {
    Request {
        sources: vec![SourceId::Unctad],
        base_urls: BTreeMap::from([(SourceId::Unctad, base.to_string())]),
        ..Request::default()
    }
}

#[tokio::test]
async fn a_7z_bulk_download_is_unpacked_and_its_csv_imported() {
    let csv = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../innoscope-import/tests/fixtures/unctadstat_ict_goods.csv"),
    )
    .unwrap();
    let archive = seven_z(&[
        ("US_IctGoodsValue/US_IctGoodsValue.csv", &csv),
        ("US_IctGoodsValue/README.txt", b"about the table"),
    ]);
    let body = archive.clone();
    let server = Replay::start("", move |req| {
        if req.path() == "/bulkdownload/US.IctGoodsValue/US_IctGoodsValue" {
            Reply::ok(body.clone())
        } else {
            Reply::status(404)
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let r = innoscope_fetch::fetch(&store, &unctad_request(&server.base), &quick(), &NoProgress)
        .unwrap();
    let sr = &r.sources[0];
    assert!(!sr.series.is_empty(), "{sr:?}");
    assert!(
        sr.warnings
            .iter()
            .any(|w| w.contains("US_IctGoodsValue/README.txt")),
        "the entry passed over is named: {:?}",
        sr.warnings
    );
    // The fixture's unknown economy is named inside the archive, not under
    // the temporary directory it was unpacked into.
    let unknown = sr
        .warnings
        .iter()
        .find(|w| w.contains("Atlantis"))
        .expect("the fixture's unknown economy is reported");
    assert!(
        unknown.starts_with("US_IctGoodsValue.csv → US_IctGoodsValue.csv:"),
        "{unknown}"
    );
    assert!(
        sr.warnings
            .iter()
            .any(|w| w.contains("passed over 1 entry that is not CSV")),
        "{:?}",
        sr.warnings
    );
    // The same observations as importing the CSV itself.
    let direct = Store::open(&tmp.path().join("direct")).unwrap();
    let plain = tmp.path().join("US_IctGoodsValue.csv");
    std::fs::write(&plain, &csv).unwrap();
    direct
        .import(
            "unctadstat",
            &[(plain, Format::UnctadStat)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    for code in &sr.series {
        assert_eq!(
            values(store.dir(), code).await,
            values(direct.dir(), code).await,
            "{code}"
        );
    }
    // The archive is kept in the cache as downloaded; no unpacked copy stays.
    let cache = store.dir().join("cache/fetch");
    let left: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!left.iter().any(|n| n.starts_with("unpacked-")), "{left:?}");
    assert_eq!(
        std::fs::read(cache.join("unctad/US_IctGoodsValue.csv")).unwrap(),
        archive
    );

    // Downloaded elsewhere: the archive under the plan's name, with --from.
    let from = tmp.path().join("downloaded");
    std::fs::create_dir_all(&from).unwrap();
    std::fs::write(from.join("US_IctGoodsValue.csv"), &archive).unwrap();
    let again = Store::open(&tmp.path().join("again")).unwrap();
    let r = innoscope_fetch::fetch(
        &again,
        &unctad_request(&server.base),
        &FetchOptions {
            from: Some(from),
            ..quick()
        },
        &NoProgress,
    )
    .unwrap();
    assert_eq!(r.sources[0].series, sr.series);
}

#[tokio::test]
async fn a_7z_without_a_csv_or_a_broken_one_is_drift_and_imports_nothing() {
    for (what, body) in [
        ("no csv", seven_z(&[("notes.txt", b"nothing here")])),
        ("cut", {
            let mut a = seven_z(&[("t.csv", b"\"Year\",\"Economy\"\n")]);
            a.truncate(20);
            a
        }),
    ] {
        let b = body.clone();
        let server = Replay::start("", move |_| Reply::ok(b.clone()));
        let tmp = tempfile::tempdir().unwrap();
        let store = seeded(tmp.path());
        let before = snapshot(&store);
        let e =
            innoscope_fetch::fetch(&store, &unctad_request(&server.base), &quick(), &NoProgress)
                .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Drift, "{what}: {e}");
        let msg = e.to_string();
        assert!(
            msg.contains("holds no CSV file (entries: notes.txt)") || msg.contains("7z archive"),
            "{what}: {msg}"
        );
        assert_eq!(snapshot(&store), before, "{what}: the store is unchanged");
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../innoscope-import/tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[tokio::test]
async fn fetch_oecd_gets_msti_and_the_co_inventor_flow_and_k1_reads_them() {
    let msti = fixture("oecd_msti.csv");
    let coinv = fixture("oecd_patents_coinventor.csv");
    let (m, c) = (msti.clone(), coinv.clone());
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = asked.clone();
    let server = Replay::start("", move |req| {
        log.lock().unwrap().push(req.target.clone());
        if req.query("format") != Some("csvfilewithlabels") {
            return Reply::status(400);
        }
        match req.path() {
            "/data/OECD.STI.STP,DSD_MSTI@DF_MSTI,/all" => Reply::ok(m.clone()),
            "/data/OECD.STI.PIE,DSD_PATENTS@DF_PATENTS_COINVENTOR,/all" => Reply::ok(c.clone()),
            _ => Reply::status(404),
        }
    });
    let req = Request {
        sources: vec![SourceId::Oecd],
        base_urls: BTreeMap::from([(SourceId::Oecd, server.base.clone())]),
        years: Some((2015, 2020)),
        ..Request::default()
    };
    // The plan names both flows, with the years asked.
    let plan = innoscope_fetch::plan(&req).unwrap();
    let files: Vec<&str> = plan.items.iter().map(|i| i.file.as_str()).collect();
    assert_eq!(files, ["oecd_msti.csv", "oecd_patents_coinventor.csv"]);
    assert!(
        plan.items
            .iter()
            .all(|i| i.url.contains("startPeriod=2015&endPeriod=2020"))
    );

    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let r = innoscope_fetch::fetch(&store, &req, &quick(), &NoProgress).unwrap();
    assert_eq!(asked.lock().unwrap().len(), 2);
    let sr = &r.sources[0];
    assert_eq!(sr.dataset, "oecd");
    assert!(
        sr.series.iter().any(|s| s.starts_with("OECD.DF_MSTI.")),
        "{:?}",
        sr.series
    );
    assert!(
        sr.series
            .iter()
            .any(|s| s.starts_with("OECD.DF_PATENTS_COINVENTOR.")),
        "{:?}",
        sr.series
    );
    // The same observations as importing the two files directly.
    let direct = Store::open(&tmp.path().join("direct")).unwrap();
    let dir = tmp.path().join("raw");
    std::fs::create_dir_all(&dir).unwrap();
    let mut inputs = Vec::new();
    for (name, bytes) in [
        ("oecd_msti.csv", &msti),
        ("oecd_patents_coinventor.csv", &coinv),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
        inputs.push((dir.join(name), Format::OecdSdmx));
    }
    direct
        .import(
            "oecd",
            &inputs,
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    for code in &sr.series {
        assert_eq!(
            values(store.dir(), code).await,
            values(direct.dir(), code).await,
            "{code}"
        );
    }
    // K1 now reads the OECD indicators (no microdata of the user's own).
    let engine = Engine::open(Some(store.dir()), &EngineOptions::default())
        .await
        .unwrap();
    let k1 = innoscope_engine::analysis::run(&engine, "K1", &Default::default())
        .await
        .unwrap();
    assert!(!k1[0].synthetic);
    assert_eq!(k1[0].params.get("basis").map(String::as_str), Some("oecd"));
}

#[test]
fn with_no_source_named_fetch_gets_what_the_report_reads() {
    // No source, no series: WDI, the OECD and UNCTADstat, every URL in the plan.
    let plan = innoscope_fetch::plan(&Request::default()).unwrap();
    let sources: std::collections::BTreeSet<SourceId> =
        plan.items.iter().map(|i| i.source).collect();
    assert_eq!(
        sources.into_iter().collect::<Vec<_>>(),
        [SourceId::Wdi, SourceId::Oecd, SourceId::Unctad]
    );
    assert!(
        plan.items
            .iter()
            .any(|i| i.url.contains("DSD_PATENTS@DF_PATENTS_COINVENTOR"))
    );
    // The WIR annex tables (FDI) have no API: their steps come with the plan.
    assert!(
        plan.manual
            .iter()
            .any(|(s, steps)| *s == SourceId::Unctad && steps.contains("Annex tables")),
        "{:?}",
        plan.manual
    );
    // WDI codes named: the World Bank only.
    let req = Request {
        series: vec!["NY.GDP.MKTP.CD".into()],
        ..Request::default()
    };
    assert_eq!(req.sources(), [SourceId::Wdi]);
}
