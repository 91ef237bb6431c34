//! The built-in knowledge base: complete, valid, and searchable in Chinese
//! and English with real queries.

use std::collections::BTreeSet;
use std::path::Path;

use innoscope_core::Registry;
use innoscope_core::kb::search::Index;
use innoscope_core::kb::{BUILTIN, ConceptKind, Kb};

fn kb() -> Kb {
    Kb::builtin(Registry::bundled()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_file_under_data_kb_is_built_in() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/kb");
    let mut on_disk = BTreeSet::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                on_disk.insert(rel);
            }
        }
    }
    let built_in: BTreeSet<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, built_in, "add new data/kb files to kb::BUILTIN");
}

#[test]
fn the_base_holds_what_the_report_names() {
    let kb = kb();
    let kinds = |k: ConceptKind| kb.concepts.iter().filter(|c| c.kind == k).count();
    assert_eq!(kinds(ConceptKind::Trend), 5, "§1 has five trends");
    assert_eq!(kinds(ConceptKind::Pattern), 3, "§2.2 has three patterns");
    assert_eq!(kinds(ConceptKind::AuthorityType), 3);
    assert_eq!(kinds(ConceptKind::AuthorityMode), 6, "§4.1 six modes");
    assert_eq!(kinds(ConceptKind::EnterpriseMode), 3, "§4.2 three modes");
    assert_eq!(kinds(ConceptKind::Intermediary), 3);
    assert_eq!(kinds(ConceptKind::Mechanism), 5, "§4.4 five mechanisms");
    // Tables 1–3 plus China and the EU from the text.
    let economies: Vec<&str> = kb.profiles.iter().map(|p| p.economy.as_str()).collect();
    assert_eq!(
        economies,
        ["USA", "GBR", "DEU", "FRA", "JPN", "KOR", "CHN", "EUU"]
    );
    let tables: Vec<Option<u32>> = kb.profiles.iter().map(|p| p.table).collect();
    assert_eq!(
        tables[..6],
        [Some(1), Some(1), Some(2), Some(2), Some(3), Some(3)]
    );
    // Each of the six authority modes and three enterprise modes has a case.
    for c in kb.concepts.iter().filter(|c| {
        matches!(
            c.kind,
            ConceptKind::AuthorityMode | ConceptKind::EnterpriseMode | ConceptKind::Trend
        )
    }) {
        assert!(kb.cases_of(&c.id).next().is_some(), "{} has no case", c.id);
    }
    // The cases the issue names.
    for id in [
        "us-arpa-h",
        "uk-aria",
        "hexa-x",
        "nvidia-omniverse",
        "duality-quantum-accelerator",
        "kr-6g-5g-ppp",
    ] {
        assert!(kb.get(id).is_some(), "{id}");
    }
    // Table 1's US supply-side tools, as printed.
    let us = &kb.profiles[0];
    assert_eq!(us.tools.supply.len(), 6);
    assert_eq!(us.tools.supply[0].zh, "加大联邦政府研发支出");
    assert_eq!(us.stages.len(), 5);
}

fn ids(index: &Index, q: &str) -> Vec<String> {
    index.search(q).into_iter().map(|h| h.id).collect()
}

#[test]
fn search_finds_entries_by_chinese_and_english_words() {
    let kb = kb();
    let index = Index::build(&kb, Registry::bundled());
    let disruptive = ids(&index, "颠覆性创新");
    assert!(
        disruptive.contains(&"de-disruptive-agency".to_string()),
        "{disruptive:?}"
    );
    assert!(
        disruptive.contains(&"trend-combinatorial".to_string()) || disruptive.len() >= 2,
        "{disruptive:?}"
    );
    let sandbox = ids(&index, "regulatory sandbox");
    assert_eq!(
        sandbox.first().map(String::as_str),
        Some("regulatory-sandboxes"),
        "{sandbox:?}"
    );
    assert_eq!(
        ids(&index, "监管沙箱").first().map(String::as_str),
        Some("regulatory-sandboxes")
    );
    let sixg = ids(&index, "6G");
    for id in ["hexa-x", "kr-6g-5g-ppp", "etri-6g-core-technology"] {
        assert!(sixg.contains(&id.to_string()), "{id} not in {sixg:?}");
    }
    assert_eq!(ids(&index, "６Ｇ"), sixg, "full-width query");
    // Economy names in either language reach the cases.
    let korea = ids(&index, "Korea 6G");
    assert!(
        korea.contains(&"kr-6g-5g-ppp".to_string()) && !korea.contains(&"hexa-x".to_string()),
        "{korea:?}"
    );
    assert_eq!(ids(&index, "韩国 6G"), korea);
    assert!(ids(&index, "量子").len() >= 6);
    assert!(ids(&index, "no-such-word-anywhere").is_empty());
    // Deterministic order.
    assert_eq!(ids(&index, "量子"), ids(&index, "量子"));
}

#[test]
fn the_entry_filter_of_kb_list() {
    use innoscope_core::kb::{CaseFilter, EntryFilter};
    let kb = kb();
    let count = |f: &EntryFilter| kb.entries().filter(|e| f.matches(&kb, *e)).count();
    let all = count(&EntryFilter::default());
    assert_eq!(all, kb.entries().count());
    // Profiles of one economy: the profile itself, no concepts.
    let usa = EntryFilter {
        kind: Some("profile".into()),
        cases: CaseFilter {
            economies: Some(vec!["USA".into()]),
            ..CaseFilter::default()
        },
        ..EntryFilter::default()
    };
    assert_eq!(count(&usa), 1);
    // A section keeps its subsections only.
    let s41 = EntryFilter {
        section: Some("4.1".into()),
        ..EntryFilter::default()
    };
    assert!(count(&s41) > 0 && count(&s41) < all);
    assert!(
        kb.entries()
            .filter(|e| s41.matches(&kb, *e))
            .all(|e| e.kind() != "profile")
    );
}
