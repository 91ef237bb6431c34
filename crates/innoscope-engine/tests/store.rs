//! The store: atomic imports, replacement, and what the engine sees.

use std::path::{Path, PathBuf};

use innoscope_engine::{Engine, EngineError, EngineOptions, RejectPolicy, Store};
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
    let engine = Engine::open(Some(store.dir()), &EngineOptions { bundled: false })
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
    assert_eq!(dirs.len(), 1, "the previous version is gone");
    let engine = Engine::open(Some(store.dir()), &EngineOptions { bundled: false })
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
