//! The benchmark workload (shared/bench/WORKLOAD.md) computed by the engine's
//! DataFusion plans must equal the definition computed literally, on a
//! generated dataset, from CSV, from Parquet and through the store. Where
//! `shared/bench` and python3 are available, the workload's own plain-Python
//! reference and `compare.py` check the same files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use innoscope_engine::microdata::{Cell, PatentTables, RawFormat, Rows};
use innoscope_engine::patents::PatentImportOptions;
use innoscope_engine::synth::{SynthOptions, patstat};
use innoscope_engine::workload::{self, WorkloadParams};
use innoscope_engine::{RejectPolicy, Store};
use innoscope_import::NoProgress;
use innoscope_import::patents::PatentFormat;

fn read_csv(path: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::ReaderBuilder::new().from_path(path).unwrap();
    r.records().map(|x| x.unwrap()).collect()
}

type Out = BTreeMap<&'static str, Vec<Vec<String>>>;

/// WORKLOAD.md §2–§4, written as literally as possible.
fn reference(dir: &Path, min_pair: i64) -> Out {
    let mut year_of: HashMap<i64, i64> = HashMap::new();
    for r in read_csv(&dir.join("tls201_appln.csv")) {
        if &r[1] == "WO" {
            year_of.insert(r[0].parse().unwrap(), r[5].parse().unwrap());
        }
    }
    let mut ctry_of: HashMap<i64, String> = HashMap::new();
    for r in read_csv(&dir.join("tls206_person.csv")) {
        let c = r[2].trim();
        if !c.is_empty() {
            ctry_of.insert(r[0].parse().unwrap(), c.to_string());
        }
    }
    let mut c_of: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for r in read_csv(&dir.join("tls207_pers_appln.csv")) {
        let (pid, aid, applt): (i64, i64, i64) = (
            r[0].parse().unwrap(),
            r[1].parse().unwrap(),
            r[2].parse().unwrap(),
        );
        if applt > 0 && year_of.contains_key(&aid) {
            let set = c_of.entry(aid).or_default();
            if let Some(c) = ctry_of.get(&pid) {
                set.insert(c.clone());
            }
        }
    }
    let fields: [(&str, &[&str]); 2] = [
        ("medical", &["A61K", "A61P", "C07K"]),
        ("wireless", &["H04W"]),
    ];
    let green = ["F03D", "H01M   8/", "H02S", "B60L", "C12P   7/06"];
    let mut in_field: HashMap<i64, BTreeSet<&str>> = HashMap::new();
    let mut is_green: BTreeSet<i64> = BTreeSet::new();
    for r in read_csv(&dir.join("tls209_appln_ipc.csv")) {
        let aid: i64 = r[0].parse().unwrap();
        if !year_of.contains_key(&aid) {
            continue;
        }
        let sym = &r[1];
        for (f, subs) in fields {
            if subs.contains(&sym.get(..4).unwrap_or("")) {
                in_field.entry(aid).or_default().insert(f);
            }
        }
        if green.iter().any(|p| sym.starts_with(p)) {
            is_green.insert(aid);
        }
    }
    let mut n: BTreeMap<i64, i64> = BTreeMap::new();
    for y in year_of.values() {
        *n.entry(*y).or_default() += 1;
    }
    let mut apps: BTreeMap<(i64, String), i64> = BTreeMap::new();
    let mut intl: BTreeMap<i64, i64> = BTreeMap::new();
    let mut intl_c: BTreeMap<(i64, String), i64> = BTreeMap::new();
    let mut pairs: BTreeMap<(i64, String, String), i64> = BTreeMap::new();
    let mut fpairs: BTreeMap<(String, i64, String, String), i64> = BTreeMap::new();
    let mut green_n: BTreeMap<i64, i64> = BTreeMap::new();
    let mut green_c: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for (aid, y) in &year_of {
        let cs: Vec<String> = c_of
            .get(aid)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        for c in &cs {
            *apps.entry((*y, c.clone())).or_default() += 1;
        }
        if is_green.contains(aid) {
            *green_n.entry(*y).or_default() += 1;
            for c in &cs {
                *green_c.entry((*y, c.clone())).or_default() += 1;
            }
        }
        if cs.len() >= 2 {
            *intl.entry(*y).or_default() += 1;
            for c in &cs {
                *intl_c.entry((*y, c.clone())).or_default() += 1;
            }
            for i in 0..cs.len() {
                for j in i + 1..cs.len() {
                    *pairs.entry((*y, cs[i].clone(), cs[j].clone())).or_default() += 1;
                    for f in in_field.get(aid).into_iter().flatten() {
                        *fpairs
                            .entry((f.to_string(), *y, cs[i].clone(), cs[j].clone()))
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    let f = |x: f64| format!("{x}");
    let mut out: Out = BTreeMap::new();
    out.insert(
        "totals.csv",
        n.iter()
            .map(|(y, ny)| {
                let i = intl.get(y).copied().unwrap_or(0);
                let g = green_n.get(y).copied().unwrap_or(0);
                vec![
                    y.to_string(),
                    ny.to_string(),
                    i.to_string(),
                    f(i as f64 / *ny as f64),
                    g.to_string(),
                    f(g as f64 / *ny as f64),
                ]
            })
            .collect(),
    );
    let by_year_desc = |m: &BTreeMap<(i64, String), i64>| {
        let mut v: Vec<(i64, String, i64)> =
            m.iter().map(|((y, c), a)| (*y, c.clone(), *a)).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
        v
    };
    let mut a_rows = Vec::new();
    let mut per_year: BTreeMap<i64, usize> = BTreeMap::new();
    for (y, c, a) in by_year_desc(&apps) {
        let k = per_year.entry(y).or_default();
        if *k < 20 {
            a_rows.push(vec![
                y.to_string(),
                c,
                a.to_string(),
                f(a as f64 / n[&y] as f64),
            ]);
        }
        *k += 1;
    }
    out.insert("a_country_counts.csv", a_rows);
    let mut b_rows = Vec::new();
    for (y, c, i) in by_year_desc(&intl_c) {
        let mut best: Option<(String, i64)> = None;
        for ((py, a, b), v) in &pairs {
            if *py != y || (a != &c && b != &c) {
                continue;
            }
            let other = if a == &c { b } else { a };
            if best
                .as_ref()
                .is_none_or(|(bo, bv)| *v > *bv || (*v == *bv && other < bo))
            {
                best = Some((other.clone(), *v));
            }
        }
        let (tp, tv) = best.unwrap();
        b_rows.push(vec![
            y.to_string(),
            c,
            i.to_string(),
            f(i as f64 / intl[&y] as f64),
            tp,
            tv.to_string(),
        ]);
    }
    out.insert("b_country_intl.csv", b_rows);
    out.insert(
        "b_pairs.csv",
        pairs
            .iter()
            .map(|((y, a, b), v)| vec![y.to_string(), a.clone(), b.clone(), v.to_string()])
            .collect(),
    );
    out.insert(
        "c_field_pairs.csv",
        fpairs
            .iter()
            .filter(|(_, v)| **v > min_pair)
            .map(|((fl, y, a, b), v)| {
                vec![
                    fl.clone(),
                    y.to_string(),
                    a.clone(),
                    b.clone(),
                    v.to_string(),
                ]
            })
            .collect(),
    );
    out.insert(
        "d_green_country.csv",
        by_year_desc(&green_c)
            .into_iter()
            .map(|(y, c, g)| {
                let s = g as f64 / apps[&(y, c.clone())] as f64;
                vec![y.to_string(), c, g.to_string(), f(s)]
            })
            .collect(),
    );
    out
}

fn same(name: &str, got: &Rows, want: &[Vec<String>]) {
    assert_eq!(got.len(), want.len(), "{name}: row count");
    for (i, (g, w)) in got.values.iter().zip(want).enumerate() {
        assert_eq!(g.len(), w.len(), "{name} row {i}");
        for (gc, wc) in g.iter().zip(w) {
            match gc {
                Cell::Float(x) => {
                    let wv: f64 = wc.parse().unwrap();
                    assert!(
                        (x - wv).abs() <= 1e-9 + 1e-9 * wv.abs(),
                        "{name} row {i}: {x} vs {wv}"
                    );
                }
                other => assert_eq!(&other.to_string(), wc, "{name} row {i}"),
            }
        }
    }
}

fn dataset() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    patstat(
        &dir,
        &SynthOptions {
            apps: 150_000,
            seed: 11,
            parquet: true,
            pct_percent: 40,
            intl_factor: 1.0,
        },
    )
    .unwrap();
    (tmp, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workload_matches_the_definition_from_csv_parquet_and_store() {
    let (tmp, dir) = dataset();
    // Part c's threshold is a parameter: 2 here, so that a small dataset has pairs above it.
    let params = WorkloadParams {
        min_pair_apps: 2,
        ..WorkloadParams::default()
    };
    let want = reference(&dir, 2);
    assert!(
        !want["c_field_pairs.csv"].is_empty(),
        "dataset large enough for part c"
    );
    assert!(
        want["b_country_intl.csv"].iter().any(|r| r[1] == "NA"),
        "Namibia kept"
    );

    let store_dir = tmp.path().join("store");
    let store = Store::open(&store_dir).unwrap();
    let inputs: Vec<(PathBuf, PatentFormat)> = [
        "tls201_appln",
        "tls206_person",
        "tls207_pers_appln",
        "tls209_appln_ipc",
    ]
    .iter()
    .map(|t| (dir.join(format!("{t}.csv")), PatentFormat::Patstat))
    .collect();
    let report = store
        .import_patents(
            "pat",
            &inputs,
            &PatentImportOptions {
                policy: RejectPolicy::Strict,
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap();
    // The tables are read in parallel, one worker per table: a second import
    // gives byte-identical files.
    let again_dir = tmp.path().join("store2");
    let again = Store::open(&again_dir)
        .unwrap()
        .import_patents("pat", &inputs, &PatentImportOptions::default(), &NoProgress)
        .unwrap();
    assert_eq!(again.dataset.dir, report.dataset.dir);
    for t in ["appln", "person", "party", "class"] {
        let f = |d: &Path, dir: &str| {
            std::fs::read(d.join("datasets").join(dir).join(format!("{t}.parquet"))).unwrap()
        };
        assert!(
            f(&store_dir, &report.dataset.dir) == f(&again_dir, &again.dataset.dir),
            "{t}.parquet differs between two imports"
        );
    }
    // The same tables delivered as Parquet go through the CSV reader's row
    // mapping: the canonical tables are byte-identical.
    let pq_dir = tmp.path().join("store-pq");
    let pq_inputs: Vec<(PathBuf, PatentFormat)> = inputs
        .iter()
        .map(|(p, f)| (p.with_extension("parquet"), *f))
        .collect();
    let pq = Store::open(&pq_dir)
        .unwrap()
        .import_patents(
            "pat",
            &pq_inputs,
            &PatentImportOptions {
                policy: RejectPolicy::Strict,
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap();
    for t in ["appln", "person", "party", "class"] {
        let f = |d: &Path, dir: &str| {
            std::fs::read(d.join("datasets").join(dir).join(format!("{t}.parquet"))).unwrap()
        };
        assert!(
            f(&store_dir, &report.dataset.dir) == f(&pq_dir, &pq.dataset.dir),
            "{t}.parquet differs between the CSV and the Parquet delivery"
        );
    }
    // The same dataset written as three files per table (`import
    // --partitions 3`, for cluster executors): contiguous row ranges.
    let parts_dir = tmp.path().join("store3");
    let parts = Store::open(&parts_dir)
        .unwrap()
        .import_patents(
            "pat",
            &inputs,
            &PatentImportOptions {
                partitions: 3,
                ..Default::default()
            },
            &NoProgress,
        )
        .unwrap();
    let parts_tables = parts_dir.join("datasets").join(&parts.dataset.dir);
    for t in ["appln", "person", "party", "class"] {
        assert!(!parts_tables.join(format!("{t}.parquet")).exists());
        let n = std::fs::read_dir(parts_tables.join(t)).unwrap().count();
        assert_eq!(n, 3, "{t} has three parts");
    }
    let sources = [
        PatentTables::Store { dir: parts_tables },
        PatentTables::Patstat {
            dir: dir.clone(),
            format: RawFormat::Csv,
        },
        PatentTables::Patstat {
            dir: dir.clone(),
            format: RawFormat::Parquet,
        },
        PatentTables::Store {
            dir: store_dir.join("datasets").join(&report.dataset.dir),
        },
    ];
    for tables in &sources {
        let out = workload::run(tables, &params).await.unwrap();
        assert_eq!(out.files.len(), 6);
        for (name, rows) in &out.files {
            same(name, rows, &want[name]);
        }
    }

    // The workload's own reference implementation, when it is beside us.
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench");
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok();
    if bench.join("reference_py.py").is_file() && python {
        let ours = tmp.path().join("ours");
        let theirs = tmp.path().join("theirs");
        let out = workload::run(&sources[0], &WorkloadParams::default())
            .await
            .unwrap();
        workload::write(&ours, &out).unwrap();
        let st = std::process::Command::new("python3")
            .arg(bench.join("reference_py.py"))
            .args([
                "--data".as_ref(),
                dir.as_os_str(),
                "--out".as_ref(),
                theirs.as_os_str(),
            ])
            .status()
            .unwrap();
        assert!(st.success());
        let cmp = std::process::Command::new("python3")
            .arg(bench.join("compare.py"))
            .args([theirs.as_os_str(), ours.as_os_str()])
            .output()
            .unwrap();
        assert!(
            cmp.status.success(),
            "{}",
            String::from_utf8_lossy(&cmp.stdout)
        );
    }
}

#[tokio::test]
async fn patstat_import_rejects_bad_rows_and_leaves_the_store_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("tls201_appln.csv"),
        "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n1,\"WO\",\"1\",\"W\",2010-01-01,2010,1\n",
    )
    .unwrap();
    std::fs::write(
        d.join("tls209_appln_ipc.csv"),
        "appln_id,ipc_class_symbol\n1,\"A61K  39/395\"\nx,\"A61K\"\n1,\"not a symbol\"\n",
    )
    .unwrap();
    let store = Store::open(&d.join("store")).unwrap();
    let before = std::fs::read(d.join("store/manifest.json")).ok();
    let err = store
        .import_patents(
            "pat",
            &[
                (d.join("tls201_appln.csv"), PatentFormat::Patstat),
                (d.join("tls209_appln_ipc.csv"), PatentFormat::Patstat),
            ],
            &PatentImportOptions::default(),
            &NoProgress,
        )
        .unwrap_err();
    let msg = match &err {
        innoscope_engine::EngineError::Rejected { rejected } => rejected
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        e => panic!("unexpected {e}"),
    };
    assert!(
        msg.contains("tls209_appln_ipc.csv:3: field \"appln_id\""),
        "{msg}"
    );
    assert!(
        msg.contains("tls209_appln_ipc.csv:4: field \"ipc_class_symbol\""),
        "{msg}"
    );
    assert_eq!(std::fs::read(d.join("store/manifest.json")).ok(), before);
    let leftovers: Vec<_> = std::fs::read_dir(d.join("store"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// Fractional counts are sums of 1/k: added up as floats they depended on
/// the order in which DataFusion's partitions met, and the same store gave
/// C4M and I4 results that differed in the last digit from run to run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fractional_results_are_identical_from_run_to_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (store_dir, _) = synth_store(tmp.path(), 20_000, 7);
    let engine = innoscope_engine::Engine::open(
        Some(&store_dir),
        &innoscope_engine::EngineOptions::default(),
    )
    .await
    .unwrap();
    let params = innoscope_engine::analysis::Params {
        fractional: Some(true),
        authority: Some("any".into()),
        ..Default::default()
    };
    for id in ["C4M", "I4"] {
        let runs = run_times(&engine, id, &params, 6).await;
        assert!(
            runs.iter().all(|r| r == &runs[0]),
            "{id} differs between runs"
        );
    }
}

async fn run_times(
    engine: &innoscope_engine::Engine,
    id: &str,
    params: &innoscope_engine::analysis::Params,
    n: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        let t = innoscope_engine::analysis::run(engine, id, params)
            .await
            .unwrap();
        out.push(serde_json::to_string(&t).unwrap());
    }
    out
}

/// Issue: importing only `tls209` replaced the whole `patstat` dataset with
/// one of 0 applications. A patent dataset is imported whole: an import
/// without applications is refused with a hint, and the store is unchanged.
#[test]
fn a_classification_table_alone_does_not_replace_a_patent_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("tls201_appln.csv"),
        "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n1,\"WO\",\"1\",\"W\",2010-01-01,2010,1\n",
    )
    .unwrap();
    std::fs::write(
        d.join("tls209_appln_ipc.csv"),
        "appln_id,ipc_class_symbol\n1,\"A61K  39/395\"\n",
    )
    .unwrap();
    let store = Store::open(&d.join("store")).unwrap();
    store
        .import_patents(
            "patstat",
            &[
                (d.join("tls201_appln.csv"), PatentFormat::Patstat),
                (d.join("tls209_appln_ipc.csv"), PatentFormat::Patstat),
            ],
            &PatentImportOptions::default(),
            &NoProgress,
        )
        .unwrap();
    let before = std::fs::read(d.join("store/manifest.json")).unwrap();
    let e = store
        .import_patents(
            "patstat",
            &[(d.join("tls209_appln_ipc.csv"), PatentFormat::Patstat)],
            &PatentImportOptions::default(),
            &NoProgress,
        )
        .unwrap_err();
    let innoscope_engine::EngineError::MissingData { message, hint } = e else {
        panic!("{e}")
    };
    assert!(
        message.contains(
            "no application was read for dataset `patstat` (files: tls209_appln_ipc.csv)"
        ),
        "{message}"
    );
    assert!(
        hint.contains("import every table of the dataset together"),
        "{hint}"
    );
    assert_eq!(
        std::fs::read(d.join("store/manifest.json")).unwrap(),
        before
    );
}

/// Issue: a duplicated `appln_id` in tls201 was accepted (and changed
/// China's C4M share), and tls207 links to applications that tls201 does not
/// hold were accepted silently. Both are refused, or kept with a note under
/// --keep-going.
#[test]
fn repeated_applications_and_dangling_links_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let w = |name: &str, text: &str| {
        std::fs::write(d.join(name), text).unwrap();
        (d.join(name), PatentFormat::Patstat)
    };
    let appln = w(
        "tls201_appln.csv",
        "appln_id,appln_auth,appln_filing_year\n1,WO,2010\n2,WO,2011\n1,WO,2010\n",
    );
    // Person 13 has no country: a link to it names a person.
    let person = w(
        "tls206_person.csv",
        "person_id,person_name,person_ctry_code\n10,ACME,CN\n11,BETA,US\n13,GAMMA,\n",
    );
    let links = w(
        "tls207_pers_appln.csv",
        "person_id,appln_id,applt_seq_nr,invt_seq_nr\n10,1,1,0\n11,2,1,0\n11,9,1,0\n12,2,2,0\n13,1,2,0\n",
    );
    let symbols = w(
        "tls209_appln_ipc.csv",
        "appln_id,ipc_class_symbol\n1,H01M   8/04\n7,F03D   1/00\n2,A61K  39/00\n7,F03D   3/00\n",
    );
    let store = Store::open(&d.join("store")).unwrap();
    let e = store
        .import_patents(
            "pat",
            &[
                appln.clone(),
                person.clone(),
                links.clone(),
                symbols.clone(),
            ],
            &PatentImportOptions::default(),
            &NoProgress,
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("1 application ids appear more than once in tls201 (first: 1)"),
        "{e}"
    );
    assert!(
        e.contains("1 links (tls207) name an application that tls201 does not hold (first: 9)"),
        "{e}"
    );
    assert!(
        e.contains("1 links (tls207) name a person that tls206 does not hold (first: 12)"),
        "{e}"
    );
    assert!(
        e.contains("2 symbols name an application that tls201 does not hold (first: 7)"),
        "{e}"
    );
    assert!(store.manifest().unwrap().datasets.is_empty());
    let r = store
        .import_patents(
            "pat",
            &[appln, person, links, symbols],
            &PatentImportOptions {
                policy: RejectPolicy::KeepGoing,
                ..PatentImportOptions::default()
            },
            &NoProgress,
        )
        .unwrap();
    assert!(
        r.dataset
            .notes
            .iter()
            .any(|n| n.starts_with("imported with --keep-going although 1 application ids")),
        "{:?}",
        r.dataset.notes
    );
    // An id with two rows has no single authority and year: the country
    // facts leave them out and the selection joins, as the raw path does.
    let dir = d.join("store").join("datasets").join(&r.dataset.dir);
    assert!(innoscope_engine::facts::present(&dir));
    assert!(!innoscope_engine::facts::state(&dir).unwrap().by_application);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use innoscope_engine::microdata::Counting;
        let mut got = Vec::new();
        for md in facts_and_raw(dir).await {
            let base = md.prepare(&Counting::default(), &[]).await.unwrap();
            got.push(format!(
                "{:?}\n{:?}",
                base.totals(false).await.unwrap(),
                base.country_counts(None).await.unwrap()
            ));
        }
        assert_eq!(got[0], got[1]);
    });
}

/// The persons of the selected applications need a distinct only when
/// the links could repeat: the facts mark a link table whose rows come in
/// runs of an application (the generator's order) or of a person
/// (PATSTAT's), each link once; a link given twice, or rows in neither
/// order, prove nothing. Either way the applicant concentration and the
/// top applicants are those of the raw path, worked by hand: person 11
/// applies for applications 1 and 4, person 10 for application 2 alone
/// (three rows for it, where it repeats), person 12 for 3.
#[test]
fn links_proved_distinct_skip_the_distinct_and_give_the_same_results() {
    let header = "person_id,appln_id,applt_seq_nr,invt_seq_nr\n";
    let by_appln = "11,1,1,0\n10,2,1,0\n12,3,1,0\n11,4,1,0\n10,4,0,1\n";
    let by_person = "10,2,1,0\n10,4,0,1\n11,1,1,0\n11,4,1,0\n12,3,1,0\n";
    let repeated = "11,1,1,0\n10,2,1,0\n10,2,2,0\n10,2,3,0\n12,3,1,0\n11,4,1,0\n";
    let neither = "11,4,1,0\n10,2,1,0\n12,3,1,0\n11,1,1,0\n";
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (links, distinct) in [
        (by_appln, true),
        (by_person, true),
        (repeated, false),
        (neither, false),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let w = |name: &str, text: &str| {
            std::fs::write(d.join(name), text).unwrap();
            (d.join(name), PatentFormat::Patstat)
        };
        let inputs = [
            w(
                "tls201_appln.csv",
                "appln_id,appln_auth,appln_filing_year\n1,WO,2010\n2,WO,2010\n3,WO,2010\n4,WO,2010\n",
            ),
            w(
                "tls206_person.csv",
                "person_id,person_name,person_ctry_code\n10,ACME,CN\n11,BETA,US\n12,GAMMA,DE\n",
            ),
            w("tls207_pers_appln.csv", &format!("{header}{links}")),
        ];
        let store = Store::open(&d.join("store")).unwrap();
        let r = store
            .import_patents("pat", &inputs, &PatentImportOptions::default(), &NoProgress)
            .unwrap();
        let dir = d.join("store").join("datasets").join(&r.dataset.dir);
        let state = innoscope_engine::facts::state(&dir).unwrap();
        assert_eq!(state.links_distinct, distinct, "{links}");
        assert!(state.by_application);
        rt.block_on(async {
            use innoscope_engine::microdata::Counting;
            let mut got = Vec::new();
            for md in facts_and_raw(dir).await {
                let base = md.prepare(&Counting::default(), &[]).await.unwrap();
                let top = base.top_applicants(2010, 1).await.unwrap();
                let conc = base.applicant_concentration(1).await.unwrap();
                got.push(format!("{conc:?}\n{top:?}"));
                assert_eq!(conc.len(), 1, "{links}");
                assert_eq!((conc[0].total_apps, conc[0].top_apps), (4, 2), "{links}");
                assert_eq!(top[0].name.as_deref(), Some("BETA"), "{links}");
                assert_eq!(top[0].apps, 2, "{links}");
            }
            assert_eq!(got[0], got[1], "{links}");
        });
    }
}

/// The applicant concentration, worked literally from the generated CSV
/// files: per filing year of the PCT applications, each applicant's
/// applications, the top N by count (ties: the smaller person id) and how
/// many applications have one of them; for tops of one, a few, and more
/// persons than any year has (ties at the cut included), from the facts
/// and from the raw tables.
#[tokio::test]
async fn applicant_concentration_is_the_literal_top_n() {
    use innoscope_engine::microdata::Counting;
    let tmp = tempfile::tempdir().unwrap();
    let (_, dir) = synth_store(tmp.path(), 6_000, 11);
    let data = tmp.path().join("data");
    let mut year_of: HashMap<i64, i32> = HashMap::new();
    for r in read_csv(&data.join("tls201_appln.csv")) {
        if &r[1] == "WO" {
            year_of.insert(r[0].parse().unwrap(), r[5].parse().unwrap());
        }
    }
    let mut by_year: BTreeMap<i32, BTreeMap<i64, BTreeSet<i64>>> = BTreeMap::new();
    for r in read_csv(&data.join("tls207_pers_appln.csv")) {
        let (pid, aid, applt): (i64, i64, i64) = (
            r[0].parse().unwrap(),
            r[1].parse().unwrap(),
            r[2].parse().unwrap(),
        );
        if let (true, Some(y)) = (applt > 0, year_of.get(&aid)) {
            by_year
                .entry(*y)
                .or_default()
                .entry(pid)
                .or_default()
                .insert(aid);
        }
    }
    let mut totals: BTreeMap<i32, i64> = BTreeMap::new();
    for y in year_of.values() {
        *totals.entry(*y).or_default() += 1;
    }
    for md in facts_and_raw(dir).await {
        let facts = md.uses_facts();
        let base = md.prepare(&Counting::default(), &[]).await.unwrap();
        for top in [1usize, 3, 20, 100_000] {
            let want: Vec<(i32, i64, i64)> = totals
                .iter()
                .map(|(y, n)| {
                    let mut persons: Vec<(&i64, &BTreeSet<i64>)> = by_year
                        .get(y)
                        .map(|m| m.iter().collect())
                        .unwrap_or_default();
                    persons.sort_by_key(|(p, apps)| (std::cmp::Reverse(apps.len()), **p));
                    let covered: BTreeSet<i64> = persons
                        .iter()
                        .take(top)
                        .flat_map(|(_, apps)| apps.iter().copied())
                        .collect();
                    (*y, *n, covered.len() as i64)
                })
                .collect();
            let got: Vec<(i32, i64, i64)> = base
                .applicant_concentration(top)
                .await
                .unwrap()
                .iter()
                .map(|r| (r.year, r.total_apps, r.top_apps))
                .collect();
            assert_eq!(got, want, "top {top}, facts {facts}");
            assert!(want.iter().any(|w| w.2 > 0), "top {top}");
        }
    }
}

/// The analysis-ready facts written at import give the same counting base
/// as the raw links and persons: several generated datasets, both roles,
/// three authorities, filing and priority years, whole and fractional.
#[tokio::test]
async fn facts_and_raw_tables_give_the_same_results() {
    use innoscope_core::classify::builtin;
    use innoscope_engine::microdata::{Counting, Microdata};
    for seed in [3u64, 19, 42] {
        let tmp = tempfile::tempdir().unwrap();
        let (_, dir) = synth_store(tmp.path(), 6_000, seed);
        let tables = PatentTables::Store { dir: dir.clone() };
        let facts = Microdata::open(&tables, "pat", true).await.unwrap();
        assert!(facts.uses_facts(), "the import wrote the facts");
        assert!(
            innoscope_engine::facts::state(&dir).unwrap().links_distinct,
            "generated links come in runs of an application, each person once"
        );
        // Each country row carries its application's number of countries
        // in the role.
        let wrong = facts
            .context()
            .sql(
                "SELECT count(*) AS n FROM (SELECT role, appln_id, count(*) AS n, \
                 min(countries) AS lo, max(countries) AS hi FROM app_country \
                 GROUP BY role, appln_id) WHERE n <> lo OR n <> hi",
            )
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let wrong = wrong[0]
            .column(0)
            .as_any()
            .downcast_ref::<arrow::array::Int64Array>()
            .unwrap()
            .value(0);
        assert_eq!(wrong, 0, "seed {seed}");
        let raw = Microdata::open(&tables, "pat", true)
            .await
            .unwrap()
            .without_facts();
        let fields = builtin::network_fields();
        for c in conventions() {
            let mut got = Vec::new();
            for md in [&facts, &raw] {
                let Ok(base) = md.prepare(&c, &[&fields]).await else {
                    got.push(None);
                    continue;
                };
                base.classify("f", &fields, "sel").await.unwrap();
                // The persons: without a distinct when the facts proved
                // the links distinct, with one on the raw path.
                let conc = base.applicant_concentration(3).await.unwrap();
                let year = conc.iter().map(|r| r.year).max().unwrap_or(0);
                got.push(Some(format!(
                    "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{conc:?}\n{:?}",
                    base.totals(false).await.unwrap(),
                    base.country_counts(None).await.unwrap(),
                    base.country_intl().await.unwrap(),
                    base.pairs().await.unwrap(),
                    base.field_pairs(&fields, 0).await.unwrap(),
                    base.per_category("f").await.unwrap(),
                    base.top_applicants(year, 5).await.unwrap(),
                )));
            }
            assert!(got[0].is_some() || got[1].is_none(), "seed {seed} {c:?}");
            assert_eq!(got[0], got[1], "seed {seed} {c:?}");
        }
        // Classifications: the built-in ones (facts derived at import) and
        // one the import did not know (derived on first use and cached).
        let tech = builtin::technology_fields();
        let green = builtin::green(innoscope_core::classify::GreenMethod::WipoInventory);
        let workload_green = innoscope_engine::workload::workload_green();
        let cached = innoscope_engine::facts::class_path(&dir, &workload_green);
        assert!(
            innoscope_engine::facts::class_path(&dir, &tech).is_file(),
            "built-in classification facts are written at import"
        );
        assert!(!cached.exists());
        let c = Counting::default();
        let mut got = Vec::new();
        for md in [&facts, &raw] {
            let base = md
                .prepare(&c, &[&tech, &green, &workload_green])
                .await
                .unwrap();
            let mut out = String::new();
            for (name, cl) in [("tech", &tech), ("green", &green), ("wg", &workload_green)] {
                base.classify(name, cl, "sel").await.unwrap();
                out.push_str(&format!("{:?}\n", base.per_category(name).await.unwrap()));
            }
            base.classify("green", &workload_green, "sel")
                .await
                .unwrap();
            out.push_str(&format!(
                "{:?}\n{:?}\n",
                base.green_country().await.unwrap(),
                base.totals(true).await.unwrap()
            ));
            got.push(out);
        }
        assert_eq!(got[0], got[1], "seed {seed}: classifications");
        assert!(got[0].len() > 200, "{}", got[0]);
        assert!(cached.is_file(), "a new classification's facts are cached");
    }
}

/// A one-year PCT selection from the facts reads a small part of the
/// applications: the row groups of other authorities and years are
/// skipped on their statistics (asserted from the scan's metrics).
#[tokio::test]
async fn a_one_year_pct_query_skips_most_row_groups_of_the_facts() {
    use datafusion::physical_plan::metrics::MetricValue;
    use datafusion::prelude::{ParquetReadOptions, SessionContext};
    let tmp = tempfile::tempdir().unwrap();
    let (_, dir) = synth_store(tmp.path(), 150_000, 7);
    let app = dir.join("facts").join("app.parquet");
    let ctx = SessionContext::new();
    ctx.register_parquet("app", app.to_str().unwrap(), ParquetReadOptions::default())
        .await
        .unwrap();
    let df = ctx
        .sql("SELECT count(*) AS n FROM app WHERE authority = 'WO' AND filing_year = 2015")
        .await
        .unwrap();
    let plan = df.create_physical_plan().await.unwrap();
    let batches = datafusion::physical_plan::collect(plan.clone(), ctx.task_ctx())
        .await
        .unwrap();
    let n = batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<arrow::array::Int64Array>()
        .unwrap()
        .value(0);
    assert!(n > 0, "the generated data has PCT applications of 2015");
    // Walk the plan for the Parquet scan's row-group pruning.
    fn pruning(p: &std::sync::Arc<dyn datafusion::physical_plan::ExecutionPlan>) -> (usize, usize) {
        let mut acc = (0, 0);
        if let Some(m) = p.metrics() {
            for metric in m.iter() {
                if let MetricValue::PruningMetrics {
                    name,
                    pruning_metrics,
                } = metric.value()
                    && name.as_ref() == "row_groups_pruned_statistics"
                {
                    acc.0 += pruning_metrics.pruned();
                    acc.1 += pruning_metrics.matched();
                }
            }
        }
        for c in p.children() {
            let (a, b) = pruning(c);
            acc = (acc.0 + a, acc.1 + b);
        }
        acc
    }
    let (pruned, matched) = pruning(&plan);
    let total = pruned + matched;
    assert!(total >= 4, "the facts have several row groups: {total}");
    assert!(matched >= 1);
    assert!(
        matched * 4 <= total,
        "a one-year PCT query reads {matched} of {total} row groups"
    );
}

/// A dataset imported by an older innoscope (facts of version 1, or none)
/// is read through its raw tables, and `upgrade_facts` derives the facts
/// in place: the same results after as before.
#[tokio::test]
async fn an_older_dataset_is_upgraded_to_the_current_facts() {
    use innoscope_engine::microdata::{Counting, Microdata};
    let tmp = tempfile::tempdir().unwrap();
    let (store_dir, dir) = synth_store(tmp.path(), 3_000, 5);
    // What version 1 left: one file beside the tables, no facts directory.
    std::fs::remove_dir_all(dir.join("facts")).unwrap();
    std::fs::write(dir.join("app_country.parquet"), b"old").unwrap();
    let tables = PatentTables::Store { dir: dir.clone() };
    let fields = innoscope_core::classify::builtin::network_fields();
    let run = |md: Microdata| {
        let fields = fields.clone();
        async move {
            let base = md.prepare(&Counting::default(), &[&fields]).await.unwrap();
            format!(
                "{:?}\n{:?}\n{:?}",
                base.country_counts(None).await.unwrap(),
                base.pairs().await.unwrap(),
                base.field_pairs(&fields, 0).await.unwrap()
            )
        }
    };
    let old = Microdata::open(&tables, "pat", true).await.unwrap();
    assert!(!old.uses_facts());
    let before = run(old).await;
    let store = Store::open(&store_dir).unwrap();
    assert_eq!(
        store.upgrade_facts().unwrap(),
        vec![("pat".to_string(), true)]
    );
    assert!(innoscope_engine::facts::present(&dir));
    assert!(
        !dir.join("app_country.parquet").exists(),
        "version 1's file is removed"
    );
    assert_eq!(
        store.upgrade_facts().unwrap(),
        vec![("pat".to_string(), false)]
    );
    let new = Microdata::open(&tables, "pat", true).await.unwrap();
    assert!(new.uses_facts());
    assert_eq!(run(new).await, before);
    // Facts of version 2 (no application's country count, no links'
    // mark): read through the raw tables, derived again by an upgrade.
    for file in [
        innoscope_engine::facts::APP,
        innoscope_engine::facts::APP_COUNTRY,
    ] {
        with_metadata(&dir.join("facts").join(file), "innoscope.facts", "2");
    }
    let old = Microdata::open(&tables, "pat", true).await.unwrap();
    assert!(!old.uses_facts());
    assert_eq!(run(old).await, before);
    assert_eq!(
        store.upgrade_facts().unwrap(),
        vec![("pat".to_string(), true)]
    );
    assert!(innoscope_engine::facts::state(&dir).unwrap().links_distinct);
    let new = Microdata::open(&tables, "pat", true).await.unwrap();
    assert!(new.uses_facts());
    assert_eq!(run(new).await, before);
}

/// Write the Parquet file at `path` again with the metadata `key` set to
/// `value`.
fn with_metadata(path: &Path, key: &str, value: &str) {
    use parquet::arrow::ArrowWriter;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::file::properties::WriterProperties;
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    let kv: Vec<_> = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .iter()
        .map(|k| match k.key == key {
            true => parquet::file::metadata::KeyValue::new(key.to_string(), value.to_string()),
            false => k.clone(),
        })
        .collect();
    let schema = reader.schema().clone();
    let batches: Vec<_> = reader.build().unwrap().map(|b| b.unwrap()).collect();
    let props = WriterProperties::builder()
        .set_key_value_metadata(Some(kv))
        .build();
    let tmp = path.with_extension("rewrite");
    let mut w =
        ArrowWriter::try_new(std::fs::File::create(&tmp).unwrap(), schema, Some(props)).unwrap();
    for b in &batches {
        w.write(b).unwrap();
    }
    w.close().unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// A generated PATSTAT-layout dataset (`apps`, `seed`, raised international
/// rate) written as CSV under `tmp/data` and imported as `pat` into
/// `tmp/store`; returns the store directory and the dataset's directory.
fn synth_store(tmp: &Path, apps: u64, seed: u64) -> (PathBuf, PathBuf) {
    let dir = tmp.join("data");
    patstat(
        &dir,
        &SynthOptions {
            apps,
            seed,
            parquet: false,
            pct_percent: 40,
            intl_factor: 8.0,
        },
    )
    .unwrap();
    let inputs: Vec<(PathBuf, PatentFormat)> = [
        "tls201_appln",
        "tls206_person",
        "tls207_pers_appln",
        "tls209_appln_ipc",
    ]
    .iter()
    .map(|t| (dir.join(format!("{t}.csv")), PatentFormat::Patstat))
    .collect();
    let store_dir = tmp.join("store");
    let report = Store::open(&store_dir)
        .unwrap()
        .import_patents("pat", &inputs, &PatentImportOptions::default(), &NoProgress)
        .unwrap();
    let tables = store_dir.join("datasets").join(&report.dataset.dir);
    (store_dir, tables)
}

/// The dataset at `dir` opened twice: reading its facts, and reading its
/// raw tables only.
async fn facts_and_raw(dir: PathBuf) -> [innoscope_engine::microdata::Microdata; 2] {
    use innoscope_engine::microdata::Microdata;
    let tables = PatentTables::Store { dir };
    let facts = Microdata::open(&tables, "pat", true).await.unwrap();
    assert!(facts.uses_facts());
    let raw = Microdata::open(&tables, "pat", true).await.unwrap();
    [facts, raw.without_facts()]
}

/// Every counting convention: both roles, three authorities, the three
/// year bases, whole and fractional.
fn conventions() -> Vec<innoscope_engine::microdata::Counting> {
    use innoscope_engine::microdata::{Authority, Counting, RoleParam, YearBasis};
    let mut out = Vec::new();
    for role in [RoleParam::Applicants, RoleParam::Inventors] {
        for authority in [
            Authority::Pct,
            Authority::Any,
            Authority::Office("EP".into()),
        ] {
            for year in [
                YearBasis::Filing,
                YearBasis::Priority,
                YearBasis::Publication,
            ] {
                for fractional in [false, true] {
                    out.push(Counting {
                        role,
                        authority: authority.clone(),
                        year,
                        fractional,
                    });
                }
            }
        }
    }
    out
}

/// Every result of `base` restricted to the years `keep`, one line each
/// (the names of the international co-applications' applicants as a
/// table, year by year).
async fn results_in(
    base: &innoscope_engine::microdata::Base<'_>,
    fields: &innoscope_core::classify::Classification,
    keep: &[i32],
) -> String {
    let k = |y: i32| keep.contains(&y);
    let mut names = Vec::new();
    let mut top = Vec::new();
    for &y in keep {
        names.extend(base.intl_applicants(y, y).await.unwrap());
        top.push(base.top_applicants(y, 3).await.unwrap());
    }
    let names = arrow::util::pretty::pretty_format_batches(&names)
        .unwrap()
        .to_string();
    macro_rules! in_keep {
        ($e:expr) => {
            $e.await
                .unwrap()
                .into_iter()
                .filter(|r| k(r.year))
                .collect::<Vec<_>>()
        };
    }
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{top:?}\n{names}",
        in_keep!(base.totals(true)),
        in_keep!(base.country_counts(Some(5))),
        in_keep!(base.country_intl()),
        in_keep!(base.pairs()),
        in_keep!(base.field_pairs(fields, 0)),
        in_keep!(base.field_countries()),
        in_keep!(base.green_country()),
        in_keep!(base.per_category("green")),
        in_keep!(base.applicant_concentration(3)),
    )
}

/// A base of some years holds those years of the whole base: every result
/// restricted to them is the same, from the facts and from the raw tables,
/// under every counting convention; and a year without applications gives
/// empty results, not the error of a dataset without any.
#[tokio::test]
async fn a_base_of_some_years_holds_those_years_of_the_whole_base() {
    use innoscope_core::classify::builtin;
    use innoscope_engine::microdata::{Counting, Microdata, Years};
    let tmp = tempfile::tempdir().unwrap();
    let (_, dir) = synth_store(tmp.path(), 4_000, 7);
    let tables = PatentTables::Store { dir };
    let fields = builtin::network_fields();
    let green = builtin::green(innoscope_core::classify::GreenMethod::WipoInventory);
    for facts in [true, false] {
        let md = Microdata::open(&tables, "pat", true).await.unwrap();
        let md = if facts { md } else { md.without_facts() };
        for c in conventions() {
            // Two years apart, or a span: one of them per convention.
            let keep = if c.fractional {
                vec![2014, 2015, 2016]
            } else {
                vec![2012, 2018]
            };
            let mut got = Vec::new();
            for years in [Years::All, Years::Only(keep.clone())] {
                got.push(
                    match md.prepare_years(&c, &[&fields, &green], &years).await {
                        Ok(base) => {
                            base.classify("green", &green, "sel").await.unwrap();
                            Some(results_in(&base, &fields, &keep).await)
                        }
                        Err(_) => None,
                    },
                );
            }
            let at = format!("facts {facts} {c:?} {keep:?}");
            assert!(got[0].is_some() == got[1].is_some(), "{at}");
            if let (Some(a), Some(b)) = (&got[0], &got[1]) {
                for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
                    assert_eq!(x, y, "{at}: line {i} of the results");
                }
                assert_eq!(a.lines().count(), b.lines().count(), "{at}");
            }
            if c == Counting::default() {
                let s = got[0].as_ref().unwrap();
                assert!(s.contains("year: 2012") && s.contains("year: 2018"), "{s}");
            }
        }
        // A year the dataset has no applications in.
        let base = md
            .prepare_years(&Counting::default(), &[], &Years::Only(vec![1990]))
            .await
            .unwrap();
        assert!(base.totals(false).await.unwrap().is_empty());
        assert!(base.pairs().await.unwrap().is_empty());
    }
}

/// The analyses give the same tables whatever an engine was asked before:
/// a request for another year takes the remembered yearly series and builds
/// the base of its own years, a fresh engine builds every year's.
#[tokio::test]
async fn analyses_give_the_same_tables_whatever_was_asked_before() {
    use innoscope_engine::analysis::{self, Params};
    use innoscope_engine::{Engine, EngineOptions};
    let tmp = tempfile::tempdir().unwrap();
    let (store_dir, _) = synth_store(tmp.path(), 4_000, 11);
    let options = EngineOptions::store_only();
    let open = || Engine::open(Some(&store_dir), &options);
    let ask = |year: i32, fractional: bool| Params {
        year: Some(year),
        base_year: Some(year - 6),
        fractional: Some(fractional),
        source: Some("pat".into()),
        ..Params::default()
    };
    let ids = ["K1", "K2", "I4", "I5", "K3", "C4M"];
    let asks = [(2018, false), (2014, false), (2018, true), (2020, false)];
    let warm = open().await.unwrap();
    for (year, fractional) in asks {
        for id in ids {
            let fresh = open().await.unwrap();
            let cold = analysis::run(&fresh, id, &ask(year, fractional))
                .await
                .unwrap();
            assert!(!cold.is_empty());
            let again = analysis::run(&warm, id, &ask(year, fractional))
                .await
                .unwrap();
            assert_eq!(
                format!("{cold:?}"),
                format!("{again:?}"),
                "{id} {year} fractional {fractional}"
            );
        }
    }
    assert!(
        warm.memo().len() >= 4,
        "K1's and I5's series are remembered per convention"
    );
}
