//! Quality of the applicant harmoniser on real names, labelled by hand
//! (`tests/data/*.csv`; see `tests/data/README.md`): pairwise precision,
//! recall and F1 of the entities against the labels, and no person merged
//! with an organisation.
//!
//! Two sets: `applicant-names-real.csv` (mostly companies and persons) and
//! `institution-names-real.csv` (universities, hospitals, public research
//! bodies and government applicants).

use std::collections::{BTreeMap, BTreeSet};

use innoscope_core::applicant::{Harmonised, Harmoniser, Kind, NameRecord, pairwise_scores};

struct Labelled {
    records: Vec<NameRecord>,
    truth: Vec<String>,
    kind: Vec<Kind>,
}

fn load(text: &str) -> Labelled {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut l = Labelled {
        records: Vec::new(),
        truth: Vec::new(),
        kind: Vec::new(),
    };
    for r in rdr.records() {
        let r = r.unwrap();
        let country = Some(&r[2]).filter(|c| !c.is_empty());
        l.records.push(NameRecord::new(&r[1], country));
        l.truth.push(r[3].to_string());
        l.kind.push(if &r[4] == "person" {
            Kind::Person
        } else {
            Kind::Organisation
        });
    }
    l
}

const COMPANIES: &str = include_str!("data/applicant-names-real.csv");
const INSTITUTIONS: &str = include_str!("data/institution-names-real.csv");

/// Scores, and the names of any entity that mixes persons and organisations.
fn evaluate(l: &Labelled, out: &Harmonised) -> ((f64, f64, f64), Vec<Vec<String>>, usize) {
    let predicted: Vec<usize> = out.records.iter().map(|r| r.entity).collect();
    let scores = pairwise_scores(&l.truth, &predicted);
    let mut kinds: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, e) in predicted.iter().enumerate() {
        kinds.entry(*e).or_default().push(i);
    }
    let mixed = kinds
        .values()
        .filter(|m| {
            let persons = m.iter().filter(|&&i| l.kind[i] == Kind::Person).count();
            persons != 0 && persons != m.len()
        })
        .map(|m| m.iter().map(|&i| l.records[i].name.clone()).collect())
        .collect();
    let wrong_kind = out
        .records
        .iter()
        .zip(&l.kind)
        .filter(|(o, k)| o.kind != **k)
        .count();
    (scores, mixed, wrong_kind)
}

fn check(name: &str, text: &str, min_f1: f64, min_precision: f64) {
    let l = load(text);
    let out = Harmoniser::builtin().run(&l.records);
    let ((p, r, f1), mixed, wrong_kind) = evaluate(&l, &out);
    let msg = format!(
        "{name}: {} names, precision {p:.3}, recall {r:.3}, F1 {f1:.3}; {wrong_kind} kinds wrong",
        l.records.len()
    );
    assert!(
        mixed.is_empty(),
        "a person merged with an organisation: {mixed:?}"
    );
    assert!(f1 >= min_f1, "{msg} (goal F1 ≥ {min_f1})");
    assert!(
        p >= min_precision,
        "{msg} (goal precision ≥ {min_precision})"
    );
    // Record the figures where a reader finds them.
    std::fs::write(
        format!("{}/applicant-eval-{name}.txt", env!("CARGO_TARGET_TMPDIR")),
        &msg,
    )
    .unwrap();
}

#[test]
fn real_company_and_person_names_meet_the_quality_goals() {
    assert!(load(COMPANIES).records.len() >= 300);
    // No loss against the figures before the institution rules (F1 0.961, precision 1.000).
    check("companies", COMPANIES, 0.961, 0.999);
}

#[test]
fn real_institution_names_meet_the_quality_goals() {
    let l = load(INSTITUTIONS);
    assert!(
        l.records.len() >= 500,
        "at least 500 labelled institution names"
    );
    check("institutions", INSTITUTIONS, 0.80, 0.95);
}

/// The same set without the rules' alias table (acronyms, legal names):
/// what the string rules reach on their own, since the aliases were
/// written knowing the set. Recorded, and held to the goal too.
#[test]
fn institution_names_without_aliases() {
    use innoscope_core::applicant::{BUILTIN_RULES, GroupTable, NameRules};
    let text: String = BUILTIN_RULES
        .lines()
        .filter(|l| !l.starts_with("alias,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rules = NameRules::default();
    rules.add(&text, "rules without aliases").unwrap();
    let groups = GroupTable::builtin(&rules);
    let h = Harmoniser {
        rules,
        groups,
        params: Default::default(),
    };
    let l = load(INSTITUTIONS);
    let ((p, r, f1), mixed, _) = evaluate(&l, &h.run(&l.records));
    let msg = format!("institutions without aliases: precision {p:.3}, recall {r:.3}, F1 {f1:.3}");
    assert!(mixed.is_empty());
    assert!(f1 >= 0.80 && p >= 0.95, "{msg}");
    std::fs::write(
        format!(
            "{}/applicant-eval-institutions-no-alias.txt",
            env!("CARGO_TARGET_TMPDIR")
        ),
        &msg,
    )
    .unwrap();
}

/// Merged and split entities of both sets, for whoever improves the rules.
#[test]
#[ignore = "diagnostic listing; run with --ignored --nocapture"]
fn list_errors() {
    for (name, text) in [("companies", COMPANIES), ("institutions", INSTITUTIONS)] {
        let l = load(text);
        let out = Harmoniser::builtin().run(&l.records);
        let mut by_e: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, r) in out.records.iter().enumerate() {
            by_e.entry(r.entity).or_default().push(i);
        }
        let mut lines = Vec::new();
        for m in by_e.values() {
            let t: BTreeSet<&str> = m.iter().map(|&i| l.truth[i].as_str()).collect();
            if t.len() > 1 {
                lines.push(format!(
                    "MERGED {:?}",
                    m.iter()
                        .map(|&i| (&l.records[i].name, &out.records[i].key))
                        .collect::<Vec<_>>()
                ));
            }
        }
        let mut by_t: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, t) in l.truth.iter().enumerate() {
            by_t.entry(t).or_default().push(i);
        }
        for m in by_t.values() {
            let e: BTreeSet<usize> = m.iter().map(|&i| out.records[i].entity).collect();
            if e.len() > 1 {
                lines.push(format!(
                    "SPLIT {:?}",
                    m.iter()
                        .map(|&i| (&l.records[i].name, &out.records[i].key, out.records[i].kind))
                        .collect::<Vec<_>>()
                ));
            }
        }
        std::fs::write(
            format!(
                "{}/applicant-eval-errors-{name}.txt",
                env!("CARGO_TARGET_TMPDIR")
            ),
            lines.join("\n"),
        )
        .unwrap();
    }
}
