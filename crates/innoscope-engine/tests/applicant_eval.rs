//! Quality of the applicant harmoniser on generated names with known true
//! organisations and persons (`synth::name_eval_set`): pairwise F1 ≥ 0.95
//! and no person merged with an organisation.

use std::collections::BTreeMap;

use innoscope_core::applicant::{Harmoniser, NameRecord, pairwise_scores};
use innoscope_engine::synth::name_eval_set;

#[test]
fn synthetic_names_meet_the_quality_goals() {
    for seed in [1u64, 2, 3] {
        let set = name_eval_set(seed, 2_000, 1_000);
        let records: Vec<NameRecord> = set
            .iter()
            .map(|l| NameRecord::new(&l.name, l.country.as_deref()))
            .collect();
        let out = Harmoniser::builtin().run(&records);
        let truth: Vec<&str> = set.iter().map(|l| l.truth.as_str()).collect();
        let predicted: Vec<usize> = out.records.iter().map(|r| r.entity).collect();
        let (p, r, f1) = pairwise_scores(&truth, &predicted);
        let mut mixed: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for (l, e) in set.iter().zip(&predicted) {
            let m = mixed.entry(*e).or_default();
            if l.person {
                m.0 += 1;
            } else {
                m.1 += 1;
            }
        }
        let bad = mixed.values().filter(|(a, b)| *a > 0 && *b > 0).count();
        let msg = format!(
            "seed {seed}: {} names, precision {p:.3}, recall {r:.3}, F1 {f1:.3}, {bad} entities mixing persons and organisations",
            set.len()
        );
        assert!(f1 >= 0.95, "{msg}");
        assert_eq!(bad, 0, "{msg}");
        std::fs::write(
            format!(
                "{}/applicant-eval-synthetic-{seed}.txt",
                env!("CARGO_TARGET_TMPDIR")
            ),
            &msg,
        )
        .unwrap();
    }
}

#[test]
fn the_name_set_is_deterministic() {
    assert_eq!(name_eval_set(7, 50, 20), name_eval_set(7, 50, 20));
    assert_ne!(name_eval_set(7, 50, 20), name_eval_set(8, 50, 20));
}
