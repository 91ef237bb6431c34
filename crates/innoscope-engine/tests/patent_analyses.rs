//! K1, K2, C4M, I4 and I5 on a tiny PATSTAT dataset whose answers are
//! worked out by hand below.
//!
//! | appln | auth | year | applicants (country) | symbols |
//! | --- | --- | --- | --- | --- |
//! | 1 | WO | 2020 | A (US), B (JP) | A61K 39/395, H01M 8/04 |
//! | 2 | WO | 2020 | A (US), C (CN), F (DE) | H04W 72/04 |
//! | 3 | WO | 2020 | D (US), A (US) | A61P 35/00 |
//! | 4 | WO | 2019 | B (JP), C (CN) | F03D 1/00 |
//! | 5 | EP | 2020 | A (US), B (JP) | — (not PCT: ignored by default) |
//! | 6 | WO | 2020 | E (unknown); C as inventor only | G06F 3/01 |

mod common;

use std::path::Path;

use common::table;
use innoscope_core::ResultTable;
use innoscope_core::classify::{GreenMethod, builtin};
use innoscope_engine::Engine;
use innoscope_engine::analysis::{self, Params};

async fn engine(dir: &Path) -> Engine {
    let files = [
        (
            "tls201_appln.csv",
            "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n\
             1,\"WO\",\"1\",\"W\",2020-01-10,2020,1\n\
             2,\"WO\",\"2\",\"W\",2020-02-10,2020,2\n\
             3,\"WO\",\"3\",\"W\",2020-03-10,2020,3\n\
             4,\"WO\",\"4\",\"W\",2019-04-10,2019,4\n\
             5,\"EP\",\"5\",\"A\",2020-05-10,2020,5\n\
             6,\"WO\",\"6\",\"W\",2020-06-10,2020,6\n",
        ),
        (
            "tls206_person.csv",
            "person_id,person_name,person_ctry_code\n\
             10,\"A\",\"US\"\n11,\"B\",\"JP\"\n12,\"C\",\"CN\"\n13,\"D\",\"US\"\n14,\"E\",\n15,\"F\",\"DE\"\n",
        ),
        (
            "tls207_pers_appln.csv",
            "person_id,appln_id,applt_seq_nr,invt_seq_nr\n\
             10,1,1,0\n11,1,2,0\n\
             10,2,1,0\n12,2,2,0\n15,2,3,0\n\
             13,3,1,0\n10,3,2,0\n\
             11,4,1,0\n12,4,2,0\n\
             10,5,1,0\n11,5,2,0\n\
             14,6,1,0\n12,6,0,1\n",
        ),
        (
            "tls209_appln_ipc.csv",
            "appln_id,ipc_class_symbol\n\
             1,\"A61K  39/395\"\n1,\"H01M   8/04\"\n2,\"H04W  72/04\"\n3,\"A61P  35/00\"\n4,\"F03D   1/00\"\n6,\"G06F   3/01\"\n",
        ),
    ];
    common::engine_with(dir, &files).await
}

fn row(t: &ResultTable, key_col: &str, key: &str) -> usize {
    let c = t.column(key_col).unwrap();
    (0..t.n_rows())
        .find(|&r| c.cell(r) == key)
        .unwrap_or_else(|| panic!("{}: no row {key}", t.id))
}

fn num(t: &ResultTable, col: &str, r: usize) -> f64 {
    t.column(col).unwrap().f64_at(r).unwrap()
}

fn text(t: &ResultTable, col: &str, r: usize) -> String {
    t.column(col).unwrap().cell(r)
}

fn params(year: i32) -> Params {
    Params {
        year: Some(year),
        base_year: Some(2019),
        ..Params::default()
    }
}

#[tokio::test]
async fn k1_counts_shares_partners() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    let out = analysis::run(&e, "K1", &params(2020)).await.unwrap();
    let k1 = table(&out, "K1");
    let r = row(k1, "year", "2020");
    assert_eq!(num(k1, "applications", r), 4.0, "apps 1, 2, 3, 6");
    assert_eq!(num(k1, "intl_applications", r), 2.0, "apps 1 and 2");
    assert_eq!(num(k1, "intl_share", r), 50.0);
    let r19 = row(k1, "year", "2019");
    assert_eq!(num(k1, "intl_share", r19), 100.0);

    let e_t = table(&out, "K1.economies");
    let us = row(e_t, "economy", "USA");
    assert_eq!(num(e_t, "intl_applications", us), 2.0);
    assert_eq!(num(e_t, "share_of_world", us), 100.0);
    assert_eq!(num(e_t, "rank", us), 1.0);
    assert_eq!(num(e_t, "partners", us), 3.0);
    // US partners CN, DE, JP once each: the tie goes to the smaller code.
    assert_eq!(text(e_t, "top_partner", us), "CHN");
    let cn = row(e_t, "economy", "CHN");
    assert_eq!(text(e_t, "top_partner", cn), "DEU");
    assert_eq!(num(e_t, "share_of_world", cn), 50.0);
    assert_eq!(e_t.n_rows(), 4);
    // Largest partners: US → CN, JP → US, CN → DE, DE → CN.
    assert!(
        e_t.findings[1]
            .en
            .contains("China is the largest partner of 2 of the top 4"),
        "{}",
        e_t.findings[1].en
    );

    let net = table(&out, "K1.network");
    assert_eq!(net.n_rows(), 4);
    match net.figure.as_ref().unwrap() {
        innoscope_core::Figure::Network { edges, .. } => {
            // JP–US (app 1); CN–DE, CN–US, DE–US (app 2).
            assert_eq!(edges.len(), 4);
            assert!(edges.iter().all(|e| e.weight == 1.0));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn k2_field_networks_and_hub() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    let p = Params {
        min_weight: Some(0),
        ..params(2020)
    };
    let out = analysis::run(&e, "K2", &p).await.unwrap();
    let med = table(&out, "K2.medical");
    assert_eq!(
        med.n_rows(),
        2,
        "JP–US from app 1 (app 3 is not international)"
    );
    assert_eq!(num(med, "weight", row(med, "economy", "JPN")), 1.0);
    assert!(
        med.findings[0].en.starts_with("Japan is the hub"),
        "ties go to the smaller code"
    );
    let wl = table(&out, "K2.wireless");
    assert_eq!(wl.n_rows(), 3);
    for c in ["CHN", "DEU", "USA"] {
        assert_eq!(num(wl, "weighted_degree", row(wl, "economy", c)), 2.0);
    }
    // The default threshold (more than 5) leaves nothing, and says so.
    let out = analysis::run(&e, "K2", &params(2020)).await.unwrap();
    assert_eq!(table(&out, "K2.medical").n_rows(), 0);
    assert!(table(&out, "K2.medical").findings[0].en.contains("No pair"));
}

#[tokio::test]
async fn c4m_whole_and_fractional() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    let out = analysis::run(&e, "C4M", &params(2020)).await.unwrap();
    let t = table(&out, "C4M");
    let us = row(t, "economy", "USA");
    assert_eq!(num(t, "applications", us), 3.0, "apps 1, 2, 3");
    assert_eq!(num(t, "rank", us), 1.0);
    assert_eq!(num(t, "share", us), 75.0);
    // Whole counts of several economies can add up to more than the
    // applications; the finding says what the sum is, not a share taken part in.
    let f = &t.findings[0].en;
    assert!(
        f.starts_with("Counted whole") && f.contains("add up to"),
        "{f}"
    );
    assert!(!f.contains("take part"), "{f}");
    let frac = Params {
        fractional: Some(true),
        ..params(2020)
    };
    let out = analysis::run(&e, "C4M", &frac).await.unwrap();
    let t = table(&out, "C4M");
    // US: 1/2 (app 1) + 1/3 (app 2) + 1 (app 3).
    let us = row(t, "economy", "USA");
    assert!((num(t, "applications", us) - (0.5 + 1.0 / 3.0 + 1.0)).abs() < 1e-9);
    assert!(t.basis[0].1.en.contains("fractional"));
    // Applicant concentration: top-1 applicant (A) is on 3 of 4 applications in 2020.
    let conc = Params {
        top: Some(1),
        ..params(2020)
    };
    let out = analysis::run(&e, "C4M", &conc).await.unwrap();
    let a = table(&out, "C4M.applicants");
    assert_eq!(num(a, "top_share", row(a, "year", "2020")), 75.0);
    // Counting any authority adds the EP application 5.
    let any = Params {
        authority: Some("any".into()),
        ..params(2020)
    };
    let out = analysis::run(&e, "C4M", &any).await.unwrap();
    let t = table(&out, "C4M");
    assert_eq!(num(t, "applications", row(t, "economy", "USA")), 4.0);
}

#[tokio::test]
async fn i4_fields_and_i5_green() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    let out = analysis::run(&e, "I4", &params(2020)).await.unwrap();
    let t = table(&out, "I4");
    // Field 16 (pharmaceuticals): apps 1 and 3; fields 1, 4, 6 one each.
    let pharma = row(t, "field", "16");
    assert_eq!(num(t, "applications", pharma), 2.0);
    assert_eq!(num(t, "rank", pharma), 1.0);
    assert_eq!(num(t, "rank", row(t, "field", "1")), 2.0);
    assert_eq!(text(t, "name_zh", pharma), "制药");
    let frac = Params {
        fractional: Some(true),
        ..params(2020)
    };
    let out = analysis::run(&e, "I4", &frac).await.unwrap();
    let t = table(&out, "I4");
    assert_eq!(
        num(t, "applications", row(t, "field", "16")),
        1.5,
        "app 1 splits over two fields"
    );

    let green = builtin::green(GreenMethod::WipoInventory);
    assert!(
        !green.categories_of("H01M   8/04").is_empty()
            && !green.categories_of("F03D   1/00").is_empty()
    );
    let p = Params {
        economies: Some(vec!["USA".into()]),
        ..params(2020)
    };
    let out = analysis::run(&e, "I5", &p).await.unwrap();
    let t = table(&out, "I5");
    let r = row(t, "year", "2020");
    assert_eq!(num(t, "green_applications", r), 1.0, "app 1 (fuel cell)");
    assert_eq!(num(t, "green_share", r), 25.0);
    assert_eq!(num(t, "focus_applications", r), 1.0);
    assert_eq!(num(t, "focus_share", r), 100.0);
    assert_eq!(
        num(t, "green_applications", row(t, "year", "2019")),
        1.0,
        "app 4 (wind)"
    );
    let econ = table(&out, "I5.economies");
    assert_eq!(econ.n_rows(), 2, "US and JP on app 1");
    // EPO Y02 finds nothing: the data have IPC symbols only.
    let y02 = Params {
        green: Some("y02".into()),
        ..params(2020)
    };
    let out = analysis::run(&e, "I5", &y02).await.unwrap();
    assert_eq!(num(table(&out, "I5"), "green_applications", r), 0.0);
}

#[tokio::test]
async fn bad_parameters_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    for (p, name) in [
        (
            Params {
                authority: Some("mars".into()),
                ..Params::default()
            },
            "authority",
        ),
        (
            Params {
                year: Some(1990),
                ..Params::default()
            },
            "year",
        ),
        (
            Params {
                green: Some("teal".into()),
                ..Params::default()
            },
            "green",
        ),
    ] {
        let err = analysis::run(&e, "I5", &p).await.unwrap_err();
        assert!(
            err.to_string().starts_with(&format!("parameter `{name}`")),
            "{err}"
        );
    }
}
