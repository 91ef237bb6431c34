//! The store: atomic imports, replacement, and what the engine sees.

use std::path::{Path, PathBuf};

use innoscope_engine::analysis::{self, Origin as ParamOrigin, Params};
use innoscope_engine::store::UpdateMode;
use innoscope_engine::{Engine, EngineError, EngineOptions, Origin, RejectPolicy, Store};
use innoscope_import::{Format, ImportOptions, NoProgress};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        out.push((
            entry.strip_prefix(dir).unwrap().display().to_string(),
            std::fs::read(&entry).unwrap(),
        ));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

#[tokio::test]
async fn import_then_query_then_replace() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let f = write(
        tmp.path(),
        "x.test.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1.5\nWorld,WLD,2020,9\n",
    );
    let r = store
        .import(
            "mine",
            &[(f.clone(), Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    assert!(!r.replaced);
    assert_eq!(r.dataset.rows, 2);
    assert_eq!(r.dataset.series[0].meta.indicator, "X.TEST");
    assert_eq!(r.dataset.inputs[0].sha256.len(), 64);
    let engine = Engine::open(Some(store.dir()), &EngineOptions::store_only())
        .await
        .unwrap();
    let s = engine.series("X.TEST", None).await.unwrap();
    assert_eq!(s.get("CHN", 2020), Some(1.5));
    assert_eq!(s.dataset, "mine");
    // Re-import replaces the dataset and removes the old files.
    let f2 = write(
        tmp.path(),
        "x.test.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,2.5\n",
    );
    let r2 = store
        .import(
            "mine",
            &[(f2, Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    assert!(r2.replaced);
    let dirs: Vec<_> = std::fs::read_dir(store.dir().join("datasets"))
        .unwrap()
        .collect();
    assert_eq!(dirs.len(), 2, "the previous version is kept as a vintage");
    assert_eq!(
        r2.dataset.vintages.len(),
        0,
        "the report is of the new entry"
    );
    let m = store.manifest().unwrap();
    assert_eq!(m.datasets["mine"].vintages.len(), 1);
    assert_eq!(m.datasets["mine"].vintages[0].dir, r.dataset.dir);
    let engine = Engine::open(Some(store.dir()), &EngineOptions::store_only())
        .await
        .unwrap();
    assert_eq!(
        engine
            .series("X.TEST", None)
            .await
            .unwrap()
            .get("CHN", 2020),
        Some(2.5)
    );
}

#[tokio::test]
async fn a_rejected_import_leaves_the_store_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let good = write(
        tmp.path(),
        "x.test.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1.5\n",
    );
    store
        .import(
            "mine",
            &[(good, Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    let before = snapshot(store.dir());
    for bad in [
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,abc\n",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1\nChina,CHN,2020,2\n",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1\nJapan,JPN",
        "Country,Code,Year,Value\nChina,CHN,2020,1\n",
        "",
    ] {
        let f = write(tmp.path(), "x.test.csv", bad);
        let err = store
            .import(
                "mine",
                &[(f, Format::WdiLong)],
                &ImportOptions::default(),
                RejectPolicy::Strict,
                &NoProgress,
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("x.test.csv") || matches!(err, EngineError::Rejected { .. }),
            "{err}"
        );
        assert_eq!(
            snapshot(store.dir()),
            before,
            "store changed after: {bad:?}"
        );
    }
    // With --keep-going the valid rows go in and the rejected ones are reported.
    let f = write(
        tmp.path(),
        "x.test.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,abc\nJapan,JPN,2020,3\n",
    );
    let r = store
        .import(
            "mine",
            &[(f, Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::KeepGoing,
            &NoProgress,
        )
        .unwrap();
    assert_eq!(r.dataset.rows, 1);
    assert_eq!(r.summaries[0].rejected.len(), 1);
}

#[tokio::test]
async fn the_store_shadows_the_bundle_and_bundled_data_need_no_import() {
    let engine = Engine::open(None, &EngineOptions::default()).await.unwrap();
    let ids: Vec<&str> = engine
        .datasets()
        .iter()
        .map(|d| d.manifest.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "fed",
            "ncses-gerd",
            "ncses-green",
            "ncses-ipf",
            "ncses-pct",
            "ncses-vc",
            "patents-demo",
            "patents-espacenet",
            "qs",
            "ranked-lists-fixture",
            "scoreboard-fixture",
            "talent-fixture",
            "unctad",
            "unicorns",
            "venture-capital-fixture",
            "wdi"
        ]
    );
    // The synthetic demo says so; the real export sample does not pretend to be synthetic.
    let demo = engine.dataset("patents-demo").unwrap();
    assert!(demo.manifest.patents.as_ref().unwrap().synthetic);
    let es = engine.dataset("patents-espacenet").unwrap();
    assert!(!es.manifest.patents.as_ref().unwrap().synthetic);
    for d in engine.datasets() {
        assert!(d.manifest.redistributable, "{}", d.manifest.id);
        for s in &d.manifest.series {
            assert!(
                !s.meta.source.is_empty() && !s.meta.licence.is_empty(),
                "{} {}",
                d.manifest.id,
                s.meta.indicator
            );
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let f = write(
        tmp.path(),
        "bx.gsr.royl.cd.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1\n",
    );
    store
        .import(
            "wdi",
            &[(f, Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    let engine = Engine::open(Some(tmp.path()), &EngineOptions::default())
        .await
        .unwrap();
    let s = engine.series("BX.GSR.ROYL.CD", None).await.unwrap();
    assert_eq!(
        s.get("CHN", 2020),
        Some(1.0),
        "the user's wdi dataset shadows the bundled one"
    );
}

#[tokio::test]
async fn unknown_series_and_dataset_have_hints() {
    let engine = Engine::open(None, &EngineOptions::default()).await.unwrap();
    let e = engine.series("NO.SUCH", None).await.unwrap_err();
    assert!(e.hint().unwrap().contains("innoscope import"));
    let e = engine
        .series("BX.GSR.ROYL.CD", Some("nope"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("no dataset `nope`"));
}

fn import_one(store: &Store, id: &str, file: &Path) -> innoscope_engine::store::ImportReport {
    store
        .import(
            id,
            &[(file.to_path_buf(), Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap()
}

/// Regression: importing the World Bank's R&D-intensity file alone (as a
/// user refreshing one series would) replaced the whole bundled `wdi`
/// dataset, after which C1 and C5 failed with "no dataset holds the series
/// NY.GDP.MKTP.CD". A store dataset now shadows the bundled one series by
/// series.
#[tokio::test]
async fn importing_one_series_keeps_every_other_series_of_the_dataset() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/wdi/gb.xpd.rsdv.gd.zs.csv");
    assert!(
        file.is_file(),
        "{} (../shared beside the clone)",
        file.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let r = import_one(&store, "wdi", &file);
    assert_eq!(r.dataset.series.len(), 1);
    let engine = Engine::open(Some(store.dir()), &EngineOptions::default())
        .await
        .unwrap();
    let rd = engine
        .series("GB.XPD.RSDV.GD.ZS", Some("wdi"))
        .await
        .unwrap();
    let gdp = engine.series("NY.GDP.MKTP.CD", Some("wdi")).await.unwrap();
    let in_use = |ind: &str| engine.datasets_with(ind)[0].origin;
    assert_eq!(in_use("GB.XPD.RSDV.GD.ZS"), Origin::Store);
    assert_eq!(in_use("NY.GDP.MKTP.CD"), Origin::Bundled);
    assert!(rd.get("USA", 2020).is_some() && gdp.get("USA", 2020).is_some());
    let store_wdi = engine.dataset("wdi").unwrap();
    assert_eq!(store_wdi.origin, Origin::Store);
    assert_eq!(
        engine.shadowed(store_wdi, "GB.XPD.RSDV.GD.ZS")[0].origin,
        Origin::Bundled,
        "the bundled version is listed as shadowed"
    );
    for id in ["C1", "C5"] {
        let params = Params::from_pairs(std::iter::empty(), ParamOrigin::CommandLine).unwrap();
        let tables = analysis::run(&engine, id, &params)
            .await
            .unwrap_or_else(|e| panic!("{id} after a one-series import: {e}"));
        assert!(tables.iter().any(|t| t.n_rows() > 0), "{id} has rows");
    }
}

#[tokio::test]
async fn a_store_update_replaces_the_series_read_and_keeps_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let both = write(
        tmp.path(),
        "b.oth.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1.5\n",
    );
    let first = store
        .import(
            "mine",
            &[
                (both.clone(), Format::WdiLong),
                (
                    write(
                        tmp.path(),
                        "y.test.csv",
                        "Country Name,Country Code,Year,Value\nChina,CHN,2020,7\n",
                    ),
                    Format::WdiLong,
                ),
            ],
            &ImportOptions {
                indicator: None,
                ..Default::default()
            },
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    assert_eq!(first.dataset.series.len(), 2);
    // A new vintage of BOTH only, with a revised 2020 and a new 2021.
    let newer = write(
        tmp.path(),
        "b.oth.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1.6\nChina,CHN,2021,1.7\n",
    );
    let r = import_one(&store, "mine", &newer);
    let series: Vec<&str> = r
        .dataset
        .series
        .iter()
        .map(|s| s.meta.indicator.as_str())
        .collect();
    assert_eq!(series, ["B.OTH", "Y.TEST"], "Y.TEST carried over");
    assert_eq!(
        r.dataset.inputs.len(),
        3,
        "the provenance keeps the carried file"
    );
    let engine = Engine::open(Some(store.dir()), &EngineOptions::store_only())
        .await
        .unwrap();
    let b = engine.series("B.OTH", None).await.unwrap();
    assert_eq!(
        (b.get("CHN", 2020), b.get("CHN", 2021)),
        (Some(1.6), Some(1.7))
    );
    assert_eq!(
        engine
            .series("Y.TEST", None)
            .await
            .unwrap()
            .get("CHN", 2020),
        Some(7.0)
    );
    // --replace: the file is the whole dataset.
    let r = store
        .clone()
        .with_update(UpdateMode::Replace)
        .import(
            "mine",
            &[(newer, Format::WdiLong)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    assert_eq!(r.dataset.series.len(), 1);
}

#[tokio::test]
async fn the_store_keeps_a_bounded_number_of_vintages() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store"))
        .unwrap()
        .with_vintages(2);
    let mut dirs = Vec::new();
    for v in 1..=5 {
        let f = write(
            tmp.path(),
            "x.test.csv",
            &format!("Country Name,Country Code,Year,Value\nChina,CHN,2020,{v}\n"),
        );
        dirs.push(import_one(&store, "mine", &f).dataset.dir);
    }
    let m = store.manifest().unwrap();
    let kept: Vec<&str> = m.datasets["mine"]
        .vintages
        .iter()
        .map(|v| v.dir.as_str())
        .collect();
    assert_eq!(kept, [dirs[3].as_str(), dirs[2].as_str()], "newest first");
    let on_disk = std::fs::read_dir(store.dir().join("datasets"))
        .unwrap()
        .count();
    assert_eq!(on_disk, 3, "the current version and two vintages");
}

#[test]
fn changes_between_vintages_tell_revisions_from_new_years() {
    use innoscope_engine::vintage::{ChangeKind, changes};
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let v1 = write(
        tmp.path(),
        "x.test.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2019,1\nChina,CHN,2020,2\nUnited States,USA,2019,5\n",
    );
    import_one(&store, "mine", &v1);
    let v2 = write(
        tmp.path(),
        "x.test.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2018,0.5\nChina,CHN,2019,1.25\nChina,CHN,2020,2\nChina,CHN,2021,3\n",
    );
    import_one(&store, "mine", &v2);
    let c = changes(&store, "mine", 1).unwrap();
    type Row<'a> = (&'a str, i32, ChangeKind, Option<f64>, Option<f64>);
    let got: Vec<Row> = c
        .changes
        .iter()
        .map(|x| (x.economy.as_str(), x.year, x.kind, x.before, x.after))
        .collect();
    assert_eq!(
        got,
        [
            ("CHN", 2019, ChangeKind::Revised, Some(1.0), Some(1.25)),
            ("CHN", 2021, ChangeKind::NewYear, None, Some(3.0)),
            ("CHN", 2018, ChangeKind::FilledIn, None, Some(0.5)),
            ("USA", 2019, ChangeKind::Dropped, Some(5.0), None),
        ]
    );
    assert_eq!(c.summary(), [("X.TEST".to_string(), [1, 1, 1, 1])]);
    let t = c.table();
    assert_eq!(t.n_rows(), 4);
    assert!(t.findings[0].zh.contains("修订1个"));
    // Only one earlier version is kept so far.
    let e = changes(&store, "mine", 2).unwrap_err().to_string();
    assert!(e.contains("1 earlier version(s) kept"), "{e}");
}

/// Issue: three imports into one store at once all exited 0, yet the
/// manifest sometimes listed only one or two datasets. Writers now take the
/// store's lock, so every import's dataset is listed.
#[test]
fn concurrent_imports_into_one_store_keep_every_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (0..3)
        .map(|i| {
            write(
                tmp.path(),
                &format!("s{i}.test.csv"),
                &format!("Country Name,Country Code,Year,Value\nChina,CHN,2020,{i}\n"),
            )
        })
        .collect();
    for trial in 0..8 {
        let dir = tmp.path().join(format!("store{trial}"));
        Store::open(&dir).unwrap();
        std::thread::scope(|s| {
            for (i, f) in files.iter().enumerate() {
                let dir = dir.clone();
                s.spawn(move || {
                    let store = Store::open(&dir).unwrap();
                    import_one(&store, &format!("d{i}"), f);
                });
            }
        });
        let m = Store::open(&dir).unwrap().manifest().unwrap();
        let ids: Vec<&str> = m.datasets.keys().map(String::as_str).collect();
        assert_eq!(ids, ["d0", "d1", "d2"], "trial {trial}");
        for d in m.datasets.values() {
            assert!(dir.join("datasets").join(&d.dir).is_dir());
        }
    }
}

/// Issue: each killed import left a `.tmp-<id>-<pid>` directory that no
/// later import removed.
#[test]
fn leftovers_of_killed_imports_are_removed_at_the_next_write() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    // A process id that is not running (beyond the kernel's pid range) and ours.
    let dead = store.dir().join(".tmp-wdi-4999999");
    std::fs::create_dir_all(dead.join("x")).unwrap();
    std::fs::write(store.dir().join(".manifest.json.tmp-4999999"), "{").unwrap();
    let ours = store
        .dir()
        .join(format!(".tmp-other-{}", std::process::id()));
    std::fs::create_dir_all(&ours).unwrap();
    // Inside a dataset: a killed facts upgrade and a killed derivation of a
    // classification's facts (an analysis process, which holds no lock).
    let dataset = store.dir().join("datasets").join("pat-0123456789ab");
    let upgrade = dataset.join(".facts.tmp-4999999");
    std::fs::create_dir_all(&upgrade).unwrap();
    std::fs::create_dir_all(dataset.join("facts")).unwrap();
    let class = dataset
        .join("facts")
        .join(".class-0011223344556677-0.tmp-4999999");
    std::fs::write(&class, "PAR1").unwrap();
    let kept = dataset.join("facts").join("class-0011223344556677.parquet");
    std::fs::write(&kept, "PAR1").unwrap();
    let f = write(
        tmp.path(),
        "x.test.csv",
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1\n",
    );
    let r = import_one(&store, "mine", &f);
    assert!(!dead.exists(), "the dead import's directory is gone");
    assert!(!store.dir().join(".manifest.json.tmp-4999999").exists());
    assert!(
        !upgrade.exists() && !class.exists(),
        "the facts' temporaries are gone"
    );
    assert!(kept.exists(), "finished facts stay");
    assert!(ours.exists(), "a live process' temporary is left alone");
    assert_eq!(r.removed_leftovers.len(), 4, "{:?}", r.removed_leftovers);
}

/// C4 ranks on the basis it has and says so: NCSES by receiving office in
/// the bundle; a WIPO export by applicant origin as soon as one is imported.
#[tokio::test]
async fn c4_names_its_basis_and_prefers_a_wipo_export_by_origin() {
    use innoscope_engine::analysis::{self, Params};
    let bundled = Engine::open(None, &EngineOptions::default()).await.unwrap();
    let t = &analysis::run(&bundled, "C4", &Params::default())
        .await
        .unwrap()[0];
    assert!(t.title.en.contains("by receiving office"), "{}", t.title.en);
    assert!(t.title.zh.contains("按受理局统计"), "{}", t.title.zh);
    for f in &t.findings {
        assert!(f.en.starts_with("By receiving office, "), "{}", f.en);
        assert!(f.zh.starts_with("按受理局统计，"), "{}", f.zh);
    }

    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("store")).unwrap();
    let wipo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../innoscope-import/tests/fixtures/wipo_pct_by_origin.csv");
    store
        .import(
            "wipo",
            &[(wipo, Format::Wipo)],
            &ImportOptions::default(),
            RejectPolicy::Strict,
            &NoProgress,
        )
        .unwrap();
    let engine = Engine::open(Some(store.dir()), &EngineOptions::default())
        .await
        .unwrap();
    let p = Params {
        year: Some(2021),
        base_year: Some(2019),
        top: Some(2),
        ..Params::default()
    };
    let t = &analysis::run(&engine, "C4", &p).await.unwrap()[0];
    assert!(
        t.params["indicator"].starts_with("WIPO.PCT_INTERNATIONAL_APPLICATIONS"),
        "{:?}",
        t.params
    );
    assert!(t.title.en.contains("by applicant origin"), "{}", t.title.en);
    assert!(t.basis[0].1.en.contains("applicant origin"));
    assert!(
        t.findings
            .iter()
            .any(|f| f.en == "By applicant origin, China ranks first in 2021 (rank 1 in 2019)."),
        "{:?}",
        t.findings
    );
    assert!(t.notes.iter().all(|n| !n.en.contains("receiving office")));
}
