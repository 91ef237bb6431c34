//! K3 on a tiny PATSTAT dataset (with PATSTAT's own `psn_name` and
//! `psn_sector` columns) whose answers are worked out by hand below. All
//! applications are PCT, filed in 2020.
//!
//! | appln | applicants (country) | symbols |
//! | --- | --- | --- |
//! | 1 | GENENTECH, INC. (US), F. HOFFMANN-LA ROCHE AG (CH) | A61K 39/00 |
//! | 2 | Genentech Inc (US), UNIV TOKYO (JP) | A61K 38/00 |
//! | 3 | CHUGAI SEIYAKU KK (JP), UNIV TOKYO (JP), ROCHE DIAGNOSTICS GMBH (DE) | A61P 35/00 |
//! | 4 | UNIV TOKYO (JP), SIEMENS AG (DE) | A61K 49/00 |
//! | 5 | UNIV TOKYO (JP), ACME WIDGETS LLC (US) | H04W 4/00 |
//! | 6 | UNIV TOKYO (JP), TANAKA, Hiroshi (US, psn_sector INDIVIDUAL) | A61K 31/00 |
//! | 7 | ROCHE DIAGNOSTICS GMBH (DE) only (one economy: not international) | A61K 1/00 |
//!
//! Harmonised: Genentech (two spellings), Hoffmann-La Roche, Chugai and Roche
//! Diagnostics are four entities of the ROCHE group; the University of Tokyo
//! is written `UNIV TOKYO` here but its psn_name is `UNIVERSITY OF TOKYO`.
//!
//! - ROCHE: international co-applications 1, 2, 3 → 3. Intra-group: app 1
//!   (US, CH) and app 3 (JP, DE) → 2. Partners: UNIV TOKYO on 2 and 3 → one
//!   partner with 2 links; effective partners 1.
//! - UNIV TOKYO: apps 2, 3, 4, 5, 6 → 5; partners ROCHE (2), SIEMENS (1),
//!   ACME (1), the person TANAKA (1): four partners, shares 2/5, 1/5, 1/5,
//!   1/5 → effective 1 / (0.16 + 3 × 0.04) = 3.571…; largest share 40%.
//! - Rank: UNIV TOKYO 5, ROCHE 3, then ACME and SIEMENS with 1 (by id).
//! - Medical field (A61K/A61P/C07K): apps 1, 2, 3, 4, 6; group network
//!   ROCHE–UNIV TOKYO (2), UNIV TOKYO–SIEMENS (1); the person is not a node.
//!   UNIV TOKYO lies between ROCHE and SIEMENS: the hub, with two partners
//!   (fewer than three: the multi-institution pattern does not hold).

mod common;

use std::path::Path;

use common::table;
use innoscope_core::ResultTable;
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
             4,\"WO\",\"4\",\"W\",2020-04-10,2020,4\n\
             5,\"WO\",\"5\",\"W\",2020-05-10,2020,5\n\
             6,\"WO\",\"6\",\"W\",2020-06-10,2020,6\n\
             7,\"WO\",\"7\",\"W\",2020-07-10,2020,7\n",
        ),
        (
            "tls206_person.csv",
            "person_id,person_name,person_ctry_code,psn_name,psn_sector\n\
             10,\"GENENTECH, INC.\",\"US\",,\n\
             11,\"F. HOFFMANN-LA ROCHE AG\",\"CH\",,\n\
             12,\"Genentech Inc\",\"US\",,\n\
             13,\"UNIV TOKYO\",\"JP\",\"UNIVERSITY OF TOKYO\",\"UNIVERSITY\"\n\
             14,\"CHUGAI SEIYAKU KK\",\"JP\",,\n\
             15,\"ROCHE DIAGNOSTICS GMBH\",\"DE\",,\n\
             16,\"SIEMENS AG\",\"DE\",,\n\
             17,\"ACME WIDGETS LLC\",\"US\",,\n\
             18,\"TANAKA, Hiroshi\",\"US\",,\"INDIVIDUAL\"\n",
        ),
        (
            "tls207_pers_appln.csv",
            "person_id,appln_id,applt_seq_nr,invt_seq_nr\n\
             10,1,1,0\n11,1,2,0\n\
             12,2,1,0\n13,2,2,0\n\
             14,3,1,0\n13,3,2,0\n15,3,3,0\n\
             13,4,1,0\n16,4,2,0\n\
             13,5,1,0\n17,5,2,0\n\
             13,6,1,0\n18,6,2,0\n\
             15,7,1,0\n",
        ),
        (
            "tls209_appln_ipc.csv",
            "appln_id,ipc_class_symbol\n\
             1,\"A61K  39/00\"\n2,\"A61K  38/00\"\n3,\"A61P  35/00\"\n4,\"A61K  49/00\"\n5,\"H04W   4/00\"\n6,\"A61K  31/00\"\n7,\"A61K   1/00\"\n",
        ),
    ];
    common::engine_with(dir, &files).await
}

fn cells(t: &ResultTable, col: &str) -> Vec<String> {
    let c = t.column(col).unwrap_or_else(|| panic!("no column {col}"));
    (0..t.n_rows()).map(|r| c.cell(r)).collect()
}

#[tokio::test]
async fn k3_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    let params = Params {
        year: Some(2020),
        base_year: Some(2020),
        ..Params::default()
    };
    let tables = analysis::run(&e, "K3", &params).await.unwrap();

    let k3 = table(&tables, "K3");
    let names = cells(k3, "name_en");
    assert_eq!(names[0], "UNIV TOKYO", "{names:?}");
    assert_eq!(names[1], "Roche");
    assert_eq!(cells(k3, "id")[1], "ROCHE");
    assert_eq!(cells(k3, "intl_apps")[..2], ["5", "3"]);
    assert_eq!(cells(k3, "entities")[1], "4");
    assert_eq!(cells(k3, "intra_apps")[1], "2");
    assert_eq!(cells(k3, "home")[1], "CHE");
    assert_eq!(cells(k3, "partners")[0], "4");
    let eff = k3.column("effective_partners").unwrap().f64_at(0).unwrap();
    assert!((eff - 1.0 / (0.16 + 3.0 * 0.04)).abs() < 1e-9, "{eff}");
    assert_eq!(
        k3.column("top_partner_share").unwrap().f64_at(0),
        Some(40.0)
    );
    // The person is never ranked; the one-economy application is not counted.
    assert!(!names.iter().any(|n| n.contains("TANAKA")));
    assert_eq!(k3.n_rows(), 4, "{names:?}");
    // The source's harmonised name was used, and said so.
    assert!(
        k3.notes.iter().any(|n| n
            .en
            .contains("1 names used the source's own harmonised name")),
        "{:?}",
        k3.notes
    );
    assert!(
        k3.findings[0].en.starts_with("UNIV TOKYO leads with 5"),
        "{:?}",
        k3.findings
    );

    let intra = table(&tables, "K3.intra");
    assert_eq!(cells(intra, "id"), ["ROCHE"]);
    assert_eq!(cells(intra, "intra_economies"), ["CH DE JP US"]);
    let net = table(&tables, "K3.intra.net");
    assert_eq!(net.n_rows(), 4, "four Roche entities in four economies");

    let med = table(&tables, "K3.field.medical");
    let ids = cells(med, "id");
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(
        med.findings[0].en.contains("is the hub"),
        "{:?}",
        med.findings
    );
    assert!(med.findings[0].en.contains("UNIV TOKYO"));
    assert!(med.findings[0].en.contains("fewer than three"));
    // Wireless: one link, no node between others.
    let wl = table(&tables, "K3.field.wireless");
    assert!(wl.findings[0].en.contains("no group lies between"));

    let disp = table(&tables, "K3.dispersed");
    assert_eq!(cells(disp, "name_en"), ["UNIV TOKYO"]);
    assert_eq!(cells(disp, "dispersed"), ["false"]);

    // Deterministic.
    let again = analysis::run(&e, "K3", &params).await.unwrap();
    assert_eq!(tables, again);
}

#[tokio::test]
async fn k3_rejects_inventor_counting_and_a_bad_groups_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    let err = analysis::run(
        &e,
        "K3",
        &Params {
            role: Some("inventors".into()),
            ..Params::default()
        },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("role"), "{err}");
    let bad = dir.path().join("groups.csv");
    std::fs::write(&bad, "group,name_en,home,member\nACME,Acme,XYZ,Acme*\n").unwrap();
    let err = analysis::run(
        &e,
        "K3",
        &Params {
            groups_file: Some(bad.display().to_string()),
            ..Params::default()
        },
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("groups.csv:2") && err.contains("home"),
        "{err}"
    );
}

#[tokio::test]
async fn a_users_group_file_folds_a_company_in() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path()).await;
    let groups = dir.path().join("groups.csv");
    std::fs::write(
        &groups,
        "group,name_en,name_zh,home,member,source\nSIEMENS,Siemens,西门子,DE,Siemens*,test\nSIEMENS,Siemens,西门子,DE,Acme Widgets*,test: pretend Siemens bought Acme\n",
    )
    .unwrap();
    let tables = analysis::run(
        &e,
        "K3",
        &Params {
            year: Some(2020),
            base_year: Some(2020),
            groups_file: Some(groups.display().to_string()),
            ..Params::default()
        },
    )
    .await
    .unwrap();
    let k3 = table(&tables, "K3");
    let ids = cells(k3, "id");
    let i = ids.iter().position(|x| x == "SIEMENS").unwrap();
    assert_eq!(cells(k3, "intl_apps")[i], "2");
    assert_eq!(cells(k3, "entities")[i], "2");
    assert!(
        !ids.iter()
            .any(|x| x.starts_with('O') && cells(k3, "name_en")[i].contains("ACME"))
    );
}

/// A merger joins names from its year: Université Paris-Sud merged into
/// Université Paris-Saclay on 1 January 2020 (a dated row of the built-in
/// group table).
///
/// | appln | year | applicants (country) |
/// | --- | --- | --- |
/// | 1 | 2018 | UNIVERSITE PARIS SUD (FR), ACME WIDGETS LLC (US) |
/// | 2 | 2019 | UNIVERSITE PARIS SUD (FR), ACME WIDGETS LLC (US) |
/// | 3 | 2020 | UNIVERSITE PARIS-SUD (FR), SIEMENS AG (DE) |
/// | 4 | 2021 | UNIVERSITE PARIS-SACLAY (FR), SIEMENS AG (DE) |
///
/// Over 2018–2021: PARIS-SACLAY has apps 3 and 4 (two entities, partner
/// Siemens only); Paris-Sud's own group has apps 1 and 2 (partner Acme).
#[tokio::test]
async fn k3_places_a_merged_university_in_its_new_group_from_the_merger() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "tls201_appln.csv",
            "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n\
             1,\"WO\",\"1\",\"W\",2018-01-10,2018,1\n\
             2,\"WO\",\"2\",\"W\",2019-02-10,2019,2\n\
             3,\"WO\",\"3\",\"W\",2020-03-10,2020,3\n\
             4,\"WO\",\"4\",\"W\",2021-04-10,2021,4\n",
        ),
        (
            "tls206_person.csv",
            "person_id,person_name,person_ctry_code\n\
             10,\"UNIVERSITE PARIS SUD\",\"FR\"\n\
             11,\"UNIVERSITE PARIS-SUD\",\"FR\"\n\
             12,\"UNIVERSITE PARIS-SACLAY\",\"FR\"\n\
             13,\"ACME WIDGETS LLC\",\"US\"\n\
             14,\"SIEMENS AG\",\"DE\"\n",
        ),
        (
            "tls207_pers_appln.csv",
            "person_id,appln_id,applt_seq_nr,invt_seq_nr\n\
             10,1,1,0\n13,1,2,0\n\
             10,2,1,0\n13,2,2,0\n\
             11,3,1,0\n14,3,2,0\n\
             12,4,1,0\n14,4,2,0\n",
        ),
        (
            "tls209_appln_ipc.csv",
            "appln_id,ipc_class_symbol\n\
             1,\"A61K  39/00\"\n2,\"A61K  38/00\"\n3,\"A61P  35/00\"\n4,\"A61K  49/00\"\n",
        ),
    ];
    let e = common::engine_with(dir.path(), &files).await;
    let params = Params {
        year: Some(2021),
        base_year: Some(2018),
        ..Params::default()
    };
    let tables = analysis::run(&e, "K3", &params).await.unwrap();
    let k3 = table(&tables, "K3");
    let ids = cells(k3, "id");
    let apps = cells(k3, "intl_apps");
    let at = |id: &str| {
        ids.iter()
            .position(|x| x == id)
            .unwrap_or_else(|| panic!("{id} in {ids:?}"))
    };
    let saclay = at("PARIS-SACLAY");
    assert_eq!(apps[saclay], "2");
    assert_eq!(cells(k3, "entities")[saclay], "2");
    assert_eq!(cells(k3, "partners")[saclay], "1", "Siemens only");
    // Paris-Sud before 2020: its own group (the entity's id), with Acme.
    let own: Vec<usize> = (0..ids.len())
        .filter(|&i| ids[i].starts_with('O') && cells(k3, "name_en")[i].contains("PARIS"))
        .collect();
    assert_eq!(own.len(), 1, "{ids:?}");
    assert_eq!(apps[own[0]], "2");
    assert_eq!(k3.n_rows(), 4, "{ids:?}");
}
