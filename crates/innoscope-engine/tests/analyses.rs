//! Analyses on the bundled data, checked against values computed by hand
//! from the source files in `shared/data/wdi` (arithmetic in the comments;
//! re-done independently with a spreadsheet-style script when written).

use innoscope_core::ResultTable;
use innoscope_engine::analysis::{self, Params, PriceBasis};
use innoscope_engine::{Engine, EngineOptions};

async fn run(id: &str, params: Params) -> Vec<ResultTable> {
    let engine = Engine::open(None, &EngineOptions::default()).await.unwrap();
    analysis::run(&engine, id, &params)
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn cell(t: &ResultTable, economy: &str, col: &str) -> f64 {
    let keys = t.column("economy").unwrap();
    let row = (0..t.n_rows())
        .find(|r| keys.str_at(*r) == Some(economy))
        .unwrap_or_else(|| panic!("{} has no {economy}", t.id));
    t.column(col)
        .unwrap()
        .f64_at(row)
        .unwrap_or_else(|| panic!("{} {economy} {col} empty", t.id))
}

fn economies(t: &ResultTable) -> Vec<String> {
    let c = t.column("economy").unwrap();
    (0..t.n_rows())
        .map(|r| c.str_at(r).unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn c1_growth_gap_matches_hand_computation() {
    let t = &run("C1", Params::default()).await[0];
    // GERD(PPP) = RD% / 100 × GDP(US$) × FCRF / PPP; CAGR over 2009→2019.
    // Belgium: GERD 9.6819 %/yr, GDP 4.7604 %/yr, gap 4.9215 pp (report: 4.92).
    assert!((cell(t, "BEL", "gerd_cagr") - 9.6819).abs() < 1e-3);
    assert!((cell(t, "BEL", "gdp_cagr") - 4.7604).abs() < 1e-3);
    assert!((cell(t, "BEL", "gap_pp") - 4.9215).abs() < 1e-3);
    // Korea 3.9217 pp (report 4.21, before Korea's GDP benchmark revision); China 3.2566 (report 3.35).
    assert!((cell(t, "KOR", "gap_pp") - 3.9217).abs() < 1e-3);
    assert!((cell(t, "CHN", "gap_pp") - 3.2566).abs() < 1e-3);
    // The rule: top-10 by GERD ∪ top-10 by intensity, countries only.
    let set = economies(t);
    assert_eq!(set.len(), 16);
    assert!(set.iter().all(|c| c.len() == 3 && c != "WLD" && c != "EUU"));
    assert!(
        !set.contains(&"LIE".to_string()),
        "micro-states are below the GERD floor"
    );
    assert!(
        t.findings
            .iter()
            .any(|f| f.en.contains("Belgium") && f.zh.contains("比利时"))
    );
    assert!(
        t.basis
            .iter()
            .any(|(k, v)| k.en == "Price basis" && v.en.contains("PPP"))
    );
}

#[tokio::test]
async fn c1_preset_and_price_basis() {
    let p = Params {
        preset: Some("report2021".into()),
        price_basis: Some(PriceBasis::Usd),
        ..Params::default()
    };
    let t = &run("C1", p).await[0];
    assert_eq!(
        economies(t),
        [
            "USA", "CHN", "JPN", "DEU", "KOR", "FRA", "GBR", "ISR", "NLD", "RUS", "SWE", "BEL",
            "AUT", "DNK", "FIN"
        ]
    );
    assert!(t.basis[0].1.en.contains("US$ at market exchange rates"));
}

#[tokio::test]
async fn c2_level_in_cny_and_tiers() {
    let tables = run(
        "C2",
        Params {
            preset: Some("report2021".into()),
            ..Params::default()
        },
    )
    .await;
    let t = &tables[0];
    // Germany: 3.11 % × GDP 2019 (US$) × EUR/US$ 2019 → EUR; × CNY/US$ 2020 ÷ EUR/US$ 2020 → 867.81 bn CNY.
    assert!((cell(t, "DEU", "gerd") - 867.81).abs() < 0.01);
    // Table 4 of the report, by totals: all 15 tiers match on World Bank data.
    for (tier, codes) in [
        (1.0, vec!["USA", "CHN", "JPN"]),
        (2.0, vec!["DEU", "KOR", "FRA", "GBR"]),
        (3.0, vec!["ISR", "NLD", "RUS", "SWE", "BEL"]),
        (4.0, vec!["AUT", "DNK", "FIN"]),
    ] {
        for c in codes {
            assert_eq!(cell(t, c, "level_tier"), tier, "{c}");
        }
    }
    assert_eq!(tables[1].id, "C2.tiers");
    assert_eq!(tables[1].n_rows(), 4);
}

#[tokio::test]
async fn c2_on_the_ncses_gerd_table() {
    let tables = run(
        "C2",
        Params {
            source: Some("ncses-gerd".into()),
            ..Params::default()
        },
    )
    .await;
    let t = &tables[0];
    // NCSES SEI 2022 Table RD-5: United States 2019, GERD 668,351.2 million
    // PPP $ and 3.13 % of GDP. PPP factor and exchange rate of the US are 1,
    // so GERD = 668.3512 bn US$; × CNY/US$ 2020 (WDI PA.NUS.FCRF, 6.9008)
    // = 4612.1 bn CNY.
    assert!((cell(t, "USA", "gerd") - 4612.1).abs() < 0.1);
    assert_eq!(cell(t, "USA", "rd_intensity"), 3.13);
    // China: 2.23 % as NCSES printed it (WDI's current vintage says 2.24).
    assert_eq!(cell(t, "CHN", "rd_intensity"), 2.23);
    assert!(
        t.basis.iter().any(|(k, v)| k.en == "GERD"
            && v.en.contains("ncses-gerd")
            && v.en.contains("PPP factor")),
        "{:?}",
        t.basis
    );
    assert!(t.sources.iter().any(|s| s.source.contains("NCSES")));
    assert_eq!(cell(t, "USA", "level_tier"), 1.0);
}

#[tokio::test]
async fn c4_ranks_entrants_and_world_share() {
    let t = &run("C4", Params::default()).await[0];
    // NCSES publication-year counts: China 60,225 of World 264,604 … share checked against the World row.
    assert_eq!(cell(t, "CHN", "applications"), 60225.0);
    assert_eq!(cell(t, "USA", "rank"), 1.0);
    assert_eq!(cell(t, "TUR", "rank_base"), 27.0);
    let status = t.column("status").unwrap();
    let keys = economies(t);
    let tur = keys.iter().position(|c| c == "TUR").unwrap();
    assert_eq!(status.str_at(tur), Some("entered"));
    assert!(
        t.basis[0].1.en.contains("receiving office"),
        "the counting basis is stated"
    );
    let c = t.coverage.as_ref().expect("C4 states its coverage");
    assert_eq!(c.year, 2020);
    assert!(c.adequate && c.missing.is_empty(), "{c:?}");
    assert!(t.basis.iter().any(|(k, _)| k.en == "Coverage"));
}

#[tokio::test]
async fn c5_ip_trade_matches_hand_computation() {
    let t = &run("C5", Params::default()).await[0];
    // USA: receipts − payments 2020 = 78.159 bn US$ (report 73.4); China −29.288 (report −29.2).
    assert!((cell(t, "USA", "net") - 78.159).abs() < 1e-3);
    assert!((cell(t, "CHN", "net") + 29.288).abs() < 1e-3);
    assert_eq!(economies(t).len(), 11, "11 economies, as in the report");
    assert!(
        economies(t).contains(&"IRL".to_string()),
        "Ireland replaces Sweden on today's data"
    );
}

#[tokio::test]
async fn f1_world_change_and_f2_groups() {
    let t = &run("F1", Params::default()).await[0];
    // World IP payments 2020 vs 2019: +1.2127 % on today's data (report −22.66 %).
    assert!((cell(t, "WLD", "imports_change_2020") - 1.2127).abs() < 1e-3);
    let f2 = run("F2", Params::default()).await;
    // UNCTAD WIR 2022: world −35 %, developed economies −58 %, as printed in the report.
    assert!((cell(&f2[1], "WLD", "inflows_change") + 34.95).abs() < 0.1);
    assert!((cell(&f2[1], "UN.DEV", "inflows_change") + 58.2).abs() < 0.1);
    assert!((cell(&f2[0], "USA", "inflows_change") + 33.0).abs() < 0.1);
}

#[tokio::test]
async fn bad_parameters_are_named() {
    let engine = Engine::open(None, &EngineOptions::default()).await.unwrap();
    let e = analysis::run(
        &engine,
        "C1",
        &Params {
            economies: Some(vec!["Atlantis".into()]),
            ..Params::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "parameter `economies`: unknown economy `Atlantis`"
    );
    let e = analysis::run(
        &engine,
        "C1",
        &Params {
            base_year: Some(2030),
            ..Params::default()
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("base-year"));
    let e = analysis::run(
        &engine,
        "C2",
        &Params {
            level_tiers: Some(vec![1.0, 5.0]),
            ..Params::default()
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("descending"));
    assert!(
        analysis::run(&engine, "Z9", &Params::default())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn every_report_analysis_runs_and_is_deterministic() {
    let engine = Engine::open(None, &EngineOptions::default()).await.unwrap();
    for entry in analysis::report_plan() {
        let a = analysis::run(&engine, entry.id, &Params::default())
            .await
            .unwrap();
        let b = analysis::run(&engine, entry.id, &Params::default())
            .await
            .unwrap();
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.to_csv(true), y.to_csv(true));
            assert!(!x.sources.is_empty(), "{} names its sources", x.id);
            assert!(!x.basis.is_empty(), "{} states its basis", x.id);
        }
    }
}

#[tokio::test]
async fn c6_from_an_unctadstat_file_and_the_proxy_without_one() {
    // Without ICT goods data, C6 is the labelled high-tech proxy.
    let t = &run("C6", Params::default()).await[0];
    assert!(t.title.en.contains("proxy"));
    assert!(t.basis[0].1.en.starts_with("PROXY"));
    // With a user's UNCTADstat file (fixture, thousands of US$).
    let tmp = tempfile::tempdir().unwrap();
    let store = innoscope_engine::Store::open(tmp.path()).unwrap();
    let f = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../innoscope-import/tests/fixtures/unctadstat_ict_goods.csv");
    store
        .import(
            "unctadstat",
            &[(f, innoscope_import::Format::UnctadStat)],
            &Default::default(),
            innoscope_engine::RejectPolicy::Strict,
            &innoscope_import::NoProgress,
        )
        .unwrap();
    let engine = Engine::open(Some(tmp.path()), &EngineOptions::default())
        .await
        .unwrap();
    let tables = analysis::run(&engine, "C6", &Params::default())
        .await
        .unwrap();
    let t = &tables[0];
    // Top-10 exporters ∪ top-10 importers of 2020: 12 economies, 8 in Asia (as in the report).
    assert_eq!(
        economies(t),
        [
            "CHN", "HKG", "TWN", "KOR", "SGP", "USA", "VNM", "DEU", "MYS", "MEX", "NLD", "JPN"
        ]
    );
    assert!(
        t.findings[0]
            .en
            .starts_with("8 of the 12 economies are in Asia")
    );
    // China: exports 680.0 → 720.8 bn (+6.0 %), imports 500 → 555 bn (+11.0 %), balance 165.8 bn.
    assert!((cell(t, "CHN", "exports") - 720.8).abs() < 1e-9);
    assert!((cell(t, "CHN", "export_growth") - 6.0).abs() < 1e-9);
    assert!((cell(t, "CHN", "import_growth") - 11.0).abs() < 1e-9);
    assert!((cell(t, "CHN", "balance") - 165.8).abs() < 1e-9);
    // Categories (Fig 20): electronic components 820 → 900 bn = +9.756 %.
    let cat = &tables[1];
    assert_eq!(cat.id, "C6.categories");
    let growth = cat.column("export_growth").unwrap().f64_at(0).unwrap();
    assert!((growth - 9.756_097_560_975_61).abs() < 1e-9);
    assert!(
        cat.findings[0]
            .en
            .contains("computers and peripheral equipment (+10.6%)")
    );
}

#[tokio::test]
async fn c2_exchange_rate_source_is_a_parameter() {
    let p = Params {
        preset: Some("report2021".into()),
        fx_source: Some("fed".into()),
        ..Params::default()
    };
    let t = &run("C2", p).await[0];
    // Fed H.10 2020: CNY 6.9042 per US$, EUR 0.8755 (euro area): Germany's 2019 GERD in CNY
    // = GERD(EUR, WDI 2019) / 0.8755 × 6.9042 — within 0.1 % of the WDI-rate figure (867.81).
    assert!((cell(t, "DEU", "gerd") - 867.4).abs() < 1.0);
    // H.10 has no pound or shekel: those levels are empty, and the note says so.
    let keys = economies(t);
    let gbr = keys.iter().position(|c| c == "GBR").unwrap();
    assert_eq!(t.column("gerd").unwrap().f64_at(gbr), None);
    assert!(
        t.notes
            .iter()
            .any(|n| n.en.contains("United Kingdom") && n.en.contains("left empty"))
    );
    assert!(
        t.sources
            .iter()
            .any(|s| s.source.contains("Federal Reserve"))
    );
    let engine = Engine::open(None, &EngineOptions::default()).await.unwrap();
    let e = analysis::run(
        &engine,
        "C2",
        &Params {
            fx_source: Some("ecb".into()),
            ..Params::default()
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("fx-source"));
}

#[tokio::test]
async fn c6_from_the_wdi_ict_shares_times_merchandise_trade() {
    // The four WDI series `innoscope fetch wdi` gets for C6, written as the
    // World Bank's long CSV: shares in % of merchandise trade, trade in US$.
    let tmp = tempfile::tempdir().unwrap();
    let series = [
        (
            "tx.val.ictg.zs.un",
            [
                ("CHN", 2019, 26.0),
                ("CHN", 2020, 27.0),
                ("USA", 2019, 9.0),
                ("USA", 2020, 10.0),
            ],
        ),
        (
            "tm.val.ictg.zs.un",
            [
                ("CHN", 2019, 20.0),
                ("CHN", 2020, 22.0),
                ("USA", 2019, 13.0),
                ("USA", 2020, 14.0),
            ],
        ),
        (
            "tx.val.mrch.cd.wt",
            [
                ("CHN", 2019, 2.5e12),
                ("CHN", 2020, 2.6e12),
                ("USA", 2019, 1.6e12),
                ("USA", 2020, 1.4e12),
            ],
        ),
        (
            "tm.val.mrch.cd.wt",
            [
                ("CHN", 2019, 2.1e12),
                ("CHN", 2020, 2.0e12),
                ("USA", 2019, 2.5e12),
                ("USA", 2020, 2.4e12),
            ],
        ),
    ];
    let mut inputs = Vec::new();
    for (name, rows) in series {
        let mut text = String::from("Country Name,Country Code,Year,Value\n");
        for (c, y, v) in rows {
            text.push_str(&format!("{c},{c},{y},{v}\n"));
        }
        let p = tmp.path().join(format!("{name}.csv"));
        std::fs::write(&p, text).unwrap();
        inputs.push((p, innoscope_import::Format::WdiLong));
    }
    let store = innoscope_engine::Store::open(&tmp.path().join("store")).unwrap();
    store
        .import(
            "wdi",
            &inputs,
            &Default::default(),
            innoscope_engine::RejectPolicy::Strict,
            &innoscope_import::NoProgress,
        )
        .unwrap();
    let engine = Engine::open(Some(&tmp.path().join("store")), &EngineOptions::default())
        .await
        .unwrap();
    let params = Params {
        year: Some(2020),
        ..Params::default()
    };
    let t = &analysis::run(&engine, "C6", &params).await.unwrap()[0];
    assert!(!t.title.en.contains("proxy"), "{}", t.title.en);
    assert!(t.basis[0].1.en.contains("TX.VAL.ICTG.ZS.UN"));
    assert_eq!(economies(t), ["CHN", "USA"]);
    // China 2020: 27% × 2.6 tn = 702 bn; 2019: 26% × 2.5 tn = 650 bn → +8.0 %.
    // Imports 22% × 2.0 tn = 440 bn (2019: 420 bn → +4.76 %); balance 262 bn.
    assert!((cell(t, "CHN", "exports") - 702.0).abs() < 1e-6);
    assert!((cell(t, "CHN", "export_growth") - 8.0).abs() < 1e-9);
    assert!((cell(t, "CHN", "imports") - 440.0).abs() < 1e-6);
    assert!((cell(t, "CHN", "import_growth") - 100.0 * (440.0 / 420.0 - 1.0)).abs() < 1e-9);
    assert!((cell(t, "CHN", "balance") - 262.0).abs() < 1e-6);
    // USA: 10% × 1.4 tn = 140 bn exports, 14% × 2.4 tn = 336 bn imports.
    assert!((cell(t, "USA", "balance") + 196.0).abs() < 1e-6);
    let sources: Vec<&str> = t
        .sources
        .iter()
        .flat_map(|s| s.indicators.iter().map(String::as_str))
        .collect();
    for s in [
        "TX.VAL.ICTG.ZS.UN",
        "TX.VAL.MRCH.CD.WT",
        "TM.VAL.ICTG.ZS.UN",
        "TM.VAL.MRCH.CD.WT",
    ] {
        assert!(sources.contains(&s), "{s} in the sources: {sources:?}");
    }
}

/// A store holding the OECD co-inventor fixture (and nothing of the bundle
/// shadowed: the bundled demo microdata stay, as on a user's machine).
async fn engine_with_oecd_coinventors(dir: &std::path::Path) -> Engine {
    let store = innoscope_engine::Store::open(dir).unwrap();
    let f = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../innoscope-import/tests/fixtures/oecd_patents_coinventor.csv");
    store
        .import(
            "oecd",
            &[(f, innoscope_import::Format::OecdSdmx)],
            &Default::default(),
            innoscope_engine::RejectPolicy::Strict,
            &innoscope_import::NoProgress,
        )
        .unwrap();
    Engine::open(Some(dir), &EngineOptions::default())
        .await
        .unwrap()
}

#[tokio::test]
async fn k1_on_the_oecd_co_inventor_indicators_without_microdata() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_oecd_coinventors(tmp.path()).await;
    let tables = analysis::run(&engine, "K1", &Params::default())
        .await
        .unwrap();
    let (t, e, net) = (&tables[0], &tables[1], &tables[2]);
    // Not the synthetic demo: the OECD basis, stated.
    for x in &tables {
        assert!(!x.synthetic, "{}", x.id);
        assert!(
            x.basis[0].1.en.contains("OECD Patent Statistics"),
            "{}",
            x.id
        );
        assert!(x.basis[0].1.en.contains("PCT applications, priority date"));
        assert_eq!(x.params.get("basis").map(String::as_str), Some("oecd"));
    }
    // Yearly: the world row W, and its share (PT_PATN).
    assert_eq!(t.column("year").unwrap().f64_at(1), Some(2020.0));
    assert_eq!(
        t.column("intl_applications").unwrap().f64_at(1),
        Some(20000.0)
    );
    assert_eq!(t.column("intl_share").unwrap().f64_at(1), Some(8.5));
    // By economy in 2020: countries only (EU27_2020 = 7000 is an aggregate),
    // ranked by their total over partners.
    assert_eq!(economies(e), ["USA", "CHN", "DEU", "GBR", "JPN"]);
    assert_eq!(cell(e, "USA", "intl_applications"), 9000.0);
    // 9000 / 20000 of the world's.
    assert!((cell(e, "USA", "share_of_world") - 45.0).abs() < 1e-9);
    assert_eq!(cell(e, "GBR", "share_of_own"), 30.2);
    // Partners of China: USA 2100, DEU 300, GBR 250, JPN 200.
    assert_eq!(cell(e, "CHN", "partners"), 4.0);
    assert_eq!(cell(e, "CHN", "top_partner_applications"), 2100.0);
    let keys = e.column("economy").unwrap();
    let chn = (0..e.n_rows())
        .find(|r| keys.str_at(*r) == Some("CHN"))
        .unwrap();
    assert_eq!(e.column("top_partner").unwrap().str_at(chn), Some("USA"));
    // The network: USA–CHN is the mean of 2000 and 2100; JPN–DEU has no
    // value either way, so no link.
    let Some(innoscope_core::Figure::Network { edges, .. }) = &net.figure else {
        panic!("K1.network has no network figure");
    };
    let w = |a: &str, b: &str| {
        edges
            .iter()
            .find(|x| (x.source == a && x.target == b) || (x.source == b && x.target == a))
            .map(|x| x.weight)
    };
    assert_eq!(w("USA", "CHN"), Some(2050.0));
    assert_eq!(w("DEU", "GBR"), Some(500.0));
    assert_eq!(w("JPN", "DEU"), None);
    // Each node row is its own economy's: weight = its total.
    assert_eq!(cell(net, "USA", "weight"), 9000.0);
    assert_eq!(cell(net, "JPN", "weight"), 2000.0);
    // Byte-identical on a second run.
    let again = analysis::run(&engine, "K1", &Params::default())
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_string(&tables).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
}

#[tokio::test]
async fn k1_on_the_oecd_indicators_refuses_what_they_cannot_tell() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_oecd_coinventors(tmp.path()).await;
    let run = |p: Params| {
        let engine = &engine;
        async move {
            analysis::run(engine, "K1", &p)
                .await
                .unwrap_err()
                .to_string()
        }
    };
    // Applicants: the OECD counts co-inventors.
    let e = run(Params {
        role: Some("applicants".into()),
        ..Params::default()
    })
    .await;
    assert!(e.contains("co-inventors"), "{e}");
    // An authority the file does not have: the codes it has are listed.
    let e = run(Params {
        authority: Some("ep".into()),
        ..Params::default()
    })
    .await;
    assert!(
        e.contains("9P50_1 (Patent Co-operation Treaty (PCT))"),
        "{e}"
    );
    // Publication year: not an OECD date type.
    let e = run(Params {
        year_basis: Some("publication".into()),
        ..Params::default()
    })
    .await;
    assert!(e.contains("APPLICATION") && e.contains("PRIORITY"), "{e}");
    assert!(
        run(Params {
            fractional: Some(true),
            ..Params::default()
        })
        .await
        .contains("fractional")
    );
    // Filing year picks the application-date series (USA 9100), which has
    // no world total: the yearly table says it sums economies.
    let tables = analysis::run(
        &engine,
        "K1",
        &Params {
            year_basis: Some("filing".into()),
            ..Params::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(cell(&tables[1], "USA", "intl_applications"), 9100.0);
    assert!(
        tables[0]
            .notes
            .iter()
            .any(|n| n.en.contains("no world total"))
    );
    // The demo microdata are still there when asked for by name.
    let demo = analysis::run(
        &engine,
        "K1",
        &Params {
            source: Some("patents-demo".into()),
            ..Params::default()
        },
    )
    .await
    .unwrap();
    assert!(demo[0].synthetic);
    assert!(demo[0].basis[0].1.en.contains("applicants"));
}

#[tokio::test]
async fn c1_at_constant_prices_from_oecd_msti_and_wdi_constant_gdp() {
    let tmp = tempfile::tempdir().unwrap();
    let store = innoscope_engine::Store::open(tmp.path()).unwrap();
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../innoscope-import/tests/fixtures");
    let params = Params {
        economies: Some(vec!["KOR".into()]),
        year: Some(2020),
        base_year: Some(2019),
        price_basis: Some(PriceBasis::Constant),
        ..Params::default()
    };
    // Without MSTI: a clear error naming what to fetch.
    let engine = Engine::open(Some(tmp.path()), &EngineOptions::default())
        .await
        .unwrap();
    let e = analysis::run(&engine, "C1", &params)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("no dataset holds OECD MSTI"), "{e}");
    store
        .import(
            "oecd",
            &[(
                fixtures.join("oecd_msti.csv"),
                innoscope_import::Format::OecdSdmx,
            )],
            &Default::default(),
            innoscope_engine::RejectPolicy::KeepGoing,
            &innoscope_import::NoProgress,
        )
        .unwrap();
    // GDP, PPP (constant 2021 international $), written for the test.
    let gdp = tmp.path().join("gdp_const.csv");
    std::fs::write(
        &gdp,
        "economy,indicator,year,value,unit,source,licence\n\
         KOR,NY.GDP.MKTP.PP.KD,2019,2.50e12,constant 2021 international $,test,test\n\
         KOR,NY.GDP.MKTP.PP.KD,2020,2.48e12,constant 2021 international $,test,test\n",
    )
    .unwrap();
    store
        .import(
            "gdp-const",
            &[(gdp, innoscope_import::Format::Tidy)],
            &Default::default(),
            innoscope_engine::RejectPolicy::Strict,
            &innoscope_import::NoProgress,
        )
        .unwrap();
    let engine = Engine::open(Some(tmp.path()), &EngineOptions::default())
        .await
        .unwrap();
    let t = &analysis::run(&engine, "C1", &params).await.unwrap()[0];
    // GERD 91 720.5 → 95 320.1 million constant PPP $: +3.9245 %;
    // GDP 2.50 → 2.48 trillion: −0.8 %; gap 4.7245 pp.
    assert!((cell(t, "KOR", "gerd") - 95.3201).abs() < 1e-9);
    assert!((cell(t, "KOR", "gerd_cagr") - (95320.1 / 91720.5 - 1.0) * 100.0).abs() < 1e-9);
    assert!((cell(t, "KOR", "gdp_cagr") - -0.8).abs() < 1e-9);
    assert_eq!(
        t.params.get("price_basis").map(String::as_str),
        Some("constant")
    );
    assert!(t.basis.iter().any(|(_, b)| b.en.contains("OECD MSTI")));
    assert!(t.sources.iter().any(|s| s.dataset == "oecd"));
}
