//! I4 and I5 on real open data by default: the NCSES tables of granted
//! international patent families by WIPO field and of USPTO green patents
//! (bundled from `shared/data/ncses/tidy/`), not the synthetic patent demo;
//! values checked against the source files' rows, basis stated, nothing
//! stamped synthetic. `--green` (a list that needs symbols) keeps the
//! microdata path.

use innoscope_core::ResultTable;
use innoscope_engine::analysis::{self, Params};
use innoscope_engine::{Engine, EngineOptions};

async fn run(id: &str, p: Params) -> Vec<ResultTable> {
    let e = Engine::open(None, &EngineOptions::default()).await.unwrap();
    analysis::run(&e, id, &p)
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn row(t: &ResultTable, col: &str, key: &str) -> usize {
    let c = t.column(col).unwrap();
    (0..t.n_rows())
        .find(|r| c.str_at(*r) == Some(key))
        .unwrap_or_else(|| panic!("{} has no {key}", t.id))
}

fn num(t: &ResultTable, col: &str, r: usize) -> f64 {
    t.column(col).unwrap().f64_at(r).unwrap()
}

#[tokio::test]
async fn i4_ranks_the_ncses_families_by_field() {
    let out = run("I4", Params::default()).await;
    let t = &out[0];
    assert!(!t.synthetic);
    // ipf_granted_by_country_field_1998_2020.csv: World, field 6 (computer
    // technology) 38,290 in 2010 and 95,834 in 2020, the largest field.
    let r = row(t, "field", "6");
    assert_eq!(r, 0);
    assert_eq!(num(t, "applications_base", r), 38_290.0);
    assert_eq!(num(t, "applications", r), 95_834.0);
    assert_eq!(t.column("rank").unwrap().f64_at(r), Some(1.0));
    assert!(t.sources.iter().any(|s| s.source.contains("SINV-5..40")));
    assert!(
        t.basis
            .iter()
            .any(|(_, v)| v.en.contains("granted international patent families"))
    );
    assert!(
        t.column("applications")
            .unwrap()
            .label
            .en
            .starts_with("Patent families")
    );
}

#[tokio::test]
async fn i5_follows_the_ncses_uspto_green_patents() {
    let out = run("I5", Params::default()).await;
    let t = &out[0];
    assert!(!t.synthetic);
    // uspto_green_patents_by_country_category_1998_2022.csv, SINV-A: World
    // 16,312 (2010) and 38,972 (2020); China 2,210 in 2020 (5.67 %).
    let r = row_year(t, 2020);
    assert_eq!(num(t, "green_patents", r), 38_972.0);
    assert_eq!(num(t, "focus_patents", r), 2_210.0);
    assert!((num(t, "focus_share", r) - 2_210.0 / 38_972.0 * 100.0).abs() < 1e-9);
    // The long series reaches back to 1998 (Fig 22).
    assert_eq!(t.column("year").unwrap().f64_at(0), Some(1998.0));
    let g = ((38_972.0f64 / 16_312.0).powf(0.1) - 1.0) * 100.0;
    assert!(
        t.findings[0].en.contains(&format!("{g:.1}% a year")),
        "{}",
        t.findings[0].en
    );
    let e = out.iter().find(|t| t.id == "I5.economies").unwrap();
    assert_eq!(e.column("economy").unwrap().str_at(0), Some("USA"));
    assert!(e.notes.iter().any(|n| n.en.contains("home office")));
    let c = e
        .coverage
        .as_ref()
        .expect("I5.economies states its coverage");
    assert!(c.adequate, "{c:?}");
    let topics = out.iter().find(|t| t.id == "I5.topics").unwrap();
    assert_eq!(topics.n_rows(), 12);
    assert!(
        topics
            .column("name_zh")
            .unwrap()
            .str_at(0)
            .is_some_and(|s| !s.is_ascii())
    );
    // A green list needs classification symbols: the microdata path.
    let p = Params {
        green: Some("y02".into()),
        ..Params::default()
    };
    let out = run("I5", p).await;
    assert!(
        out[0].synthetic,
        "the bundled demo is the microdata at hand"
    );
}

fn row_year(t: &ResultTable, y: i32) -> usize {
    let c = t.column("year").unwrap();
    (0..t.n_rows())
        .find(|r| c.f64_at(*r) == Some(f64::from(y)))
        .unwrap()
}
