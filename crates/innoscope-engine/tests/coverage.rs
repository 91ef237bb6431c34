//! Coverage-aware years on the bundled data: a ranking of a year in which
//! the largest economies have no data yet says so (figure basis, finding,
//! JSON); the fallback rule shows the latest year the data support and
//! records the year asked; `year=latest` picks the latest adequate year;
//! an explicit member without data is named; no report analysis is lost to
//! a year beyond its data.

use innoscope_core::ResultTable;
use innoscope_engine::analysis::{self, Origin, Params, YearRule};
use innoscope_engine::{Engine, EngineOptions};

async fn engine() -> Engine {
    Engine::open(None, &EngineOptions::default()).await.unwrap()
}

fn params(pairs: &[(&str, &str)]) -> Params {
    Params::from_pairs(pairs.iter().copied(), Origin::CommandLine).unwrap()
}

fn coverage(t: &ResultTable) -> &innoscope_core::Coverage {
    t.coverage
        .as_ref()
        .unwrap_or_else(|| panic!("{} has no coverage", t.id))
}

#[tokio::test]
async fn a_year_without_the_largest_economies_is_flagged() {
    let e = engine().await;
    // The bundled WDI file has R&D intensity for 2024 for a few economies only.
    let ts = analysis::run(&e, "C2", &params(&[("year", "2024")]))
        .await
        .unwrap();
    let c = coverage(&ts[0]);
    assert_eq!(c.year, 2024);
    assert!(!c.adequate, "{c:?}");
    assert!(c.share.unwrap() < 0.9);
    for big in ["USA", "CHN", "JPN"] {
        assert!(
            c.missing.iter().any(|m| m == big),
            "{big} not named: {:?}",
            c.missing
        );
    }
    let basis: Vec<&str> = ts[0].basis.iter().map(|(_, v)| v.en.as_str()).collect();
    assert!(
        basis
            .iter()
            .any(|b| b.contains("no 2024 data for United States, China, Japan")),
        "{basis:?}"
    );
    assert!(
        ts[0]
            .findings
            .iter()
            .any(|f| f.en.contains("United States") && f.en.contains("choose an earlier --year")),
        "{:?}",
        ts[0].findings
    );
    assert!(ts[0].findings.iter().any(|f| f.zh.contains("美国")));
    // The JSON a program reads carries it too.
    assert!(ts[0].to_json().contains("\"adequate\": false"));
    // The report's year is adequate and says so.
    let ts = analysis::run(&e, "C2", &Params::default()).await.unwrap();
    assert!(coverage(&ts[0]).adequate && coverage(&ts[0]).asked.is_none());
}

#[tokio::test]
async fn fallback_and_latest_show_an_adequate_year() {
    let e = engine().await;
    let mut p = params(&[("year", "2024")]);
    p.year_rule = Some(YearRule::Fallback);
    let ts = analysis::run(&e, "C2", &p).await.unwrap();
    let c = coverage(&ts[0]);
    assert!(c.adequate && c.year < 2024, "{c:?}");
    assert_eq!(c.asked, Some(2024));
    assert_eq!(ts[0].params["year"], c.year.to_string());
    assert!(
        ts[0]
            .notes
            .iter()
            .any(|n| n.en.starts_with("2024 was asked"))
    );
    // The year shown is the latest adequate one: the year after it is not.
    let next = analysis::run(&e, "C2", &params(&[("year", &(c.year + 1).to_string())]))
        .await
        .unwrap();
    assert!(!coverage(&next[0]).adequate);
    // `year=latest` finds the same year, without claiming one was asked.
    let latest = analysis::run(&e, "C2", &params(&[("year", "latest")]))
        .await
        .unwrap();
    assert_eq!(coverage(&latest[0]).year, c.year);
    assert_eq!(coverage(&latest[0]).asked, None);
    // An analysis whose dataset ends earlier steps back to its own last year.
    let mut p = params(&[("year", "2023")]);
    p.year_rule = Some(YearRule::Fallback);
    let k1 = analysis::run(&e, "K1", &p).await.unwrap();
    let c = coverage(&k1[0]);
    assert_eq!((c.asked, c.year), (Some(2023), 2022));
    // Asked as given, the same year is an error naming the year.
    let err = analysis::run(&e, "K1", &params(&[("year", "2023")]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("2023"), "{err}");
}

#[tokio::test]
async fn trade_rankings_state_their_coverage_too() {
    let e = engine().await;
    let ts = analysis::run(&e, "C5", &Params::default()).await.unwrap();
    let c = coverage(&ts[0]);
    assert!(c.adequate && c.share.unwrap() > 0.9, "{c:?}");
    assert!(
        ts[0]
            .basis
            .iter()
            .any(|(k, v)| k.en == "Coverage" && v.en.contains("IP receipts and payments"))
    );
}

#[tokio::test]
async fn an_explicit_member_without_data_is_named() {
    let e = engine().await;
    let ts = analysis::run(&e, "C1", &params(&[("economies", "USA,TWN")]))
        .await
        .unwrap();
    let c = coverage(&ts[0]);
    assert_eq!(c.missing, vec!["TWN".to_string()]);
    assert!(
        ts[0].findings.iter().any(|f| f.en.contains("Taiwan")),
        "{:?}",
        ts[0].findings
    );
}

#[tokio::test]
async fn no_report_analysis_is_lost_to_a_year_beyond_its_data() {
    let e = engine().await;
    for entry in analysis::report_plan() {
        let mut p = Params {
            section: entry.params.section.clone(),
            ..Params::default()
        };
        p.year = Some(2023);
        p.year_rule = Some(YearRule::Fallback);
        let r = analysis::run(&e, entry.id, &p).await;
        let ts = r.unwrap_or_else(|e| panic!("{} at 2023: {e}", entry.id));
        assert!(!ts.is_empty(), "{}", entry.id);
    }
}
