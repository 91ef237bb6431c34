//! Applicants: name harmonisation, entities and corporate groups (K3).
//!
//! The pipeline is deterministic and pure:
//!
//! 1. [`NameRules::normalise`] turns each raw name into a key (case, width,
//!    accents, punctuation, legal forms, abbreviations, "University of X")
//!    and a [`Kind`]: organisation or person.
//! 2. [`Harmoniser::run`] clusters the keys into entities. Organisations:
//!    equal keys; keys equal without spaces or in another word order; then
//!    similar keys (Jaro–Winkler ≥ `threshold`, every word equal or one typo
//!    apart, same or unknown country) found by sorted neighbourhood over
//!    three orderings. Persons: equal keys in the same (or an unknown)
//!    country, and never with an organisation.
//! 3. Each organisation entity is matched to a corporate group from a
//!    [`GroupTable`]; the rest are groups of their own.
//!
//! Every record keeps the rule (and score) that placed it, for the audit
//! trail, `applicants explain` and `applicants review`.

mod cluster;
mod groups;
mod names;

pub use cluster::{
    ClusterParams, DEFAULT_THRESHOLD, DEFAULT_WINDOW, Entity, Group, Harmonised, Harmoniser,
    KeySource, LinkRule, NameRecord, NearPair, RecordResult,
};
pub use groups::{BUILTIN_GROUPS, GroupEntry, GroupTable};
pub use names::{
    BUILTIN_RULES, Kind, KindRule, NameRules, Normalised, Step, fold, is_cjk, person_key, words,
};

/// An error in a rules or groups file, naming file, line and field.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: field `{field}`: {message}")]
pub struct RulesError {
    pub file: String,
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl RulesError {
    pub fn new(file: &str, line: u64, field: &str, message: impl Into<String>) -> RulesError {
        RulesError {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Column positions, then records with their line numbers.
pub(crate) type Sheet = (Vec<Option<usize>>, Vec<(u64, csv::StringRecord)>);

/// Records of an editable reference file: CSV with a header, `#` lines as
/// comments. Returns the positions of `required` then `optional` columns
/// (required ones are always `Some`) and each record with its line number.
pub(crate) fn read_sheet(
    text: &str,
    file: &str,
    required: &[&str],
    optional: &[&str],
    layout: &str,
) -> Result<Sheet, RulesError> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| RulesError::new(file, 1, "header", e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let mut idx = Vec::new();
    for name in required {
        let i = col(name).ok_or_else(|| {
            RulesError::new(file, 1, name, format!("missing column (expected {layout})"))
        })?;
        idx.push(Some(i));
    }
    idx.extend(optional.iter().map(|n| col(n)));
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            RulesError::new(file, line, "row", e.to_string())
        })?;
        rows.push((rec.position().map_or(0, |p| p.line()), rec));
    }
    Ok((idx, rows))
}

/// Pairwise precision, recall and F1 of a clustering against true labels:
/// a pair of records is positive when both are in one cluster.
pub fn pairwise_scores<T: Ord, U: Ord>(truth: &[T], predicted: &[U]) -> (f64, f64, f64) {
    use std::collections::BTreeMap;
    fn pairs(n: u64) -> u64 {
        n * n.saturating_sub(1) / 2
    }
    let mut joint: BTreeMap<(&T, &U), u64> = BTreeMap::new();
    let mut by_t: BTreeMap<&T, u64> = BTreeMap::new();
    let mut by_p: BTreeMap<&U, u64> = BTreeMap::new();
    for (t, p) in truth.iter().zip(predicted) {
        *joint.entry((t, p)).or_default() += 1;
        *by_t.entry(t).or_default() += 1;
        *by_p.entry(p).or_default() += 1;
    }
    let tp: u64 = joint.values().map(|n| pairs(*n)).sum();
    let true_pairs: u64 = by_t.values().map(|n| pairs(*n)).sum();
    let pred_pairs: u64 = by_p.values().map(|n| pairs(*n)).sum();
    let precision = if pred_pairs == 0 {
        1.0
    } else {
        tp as f64 / pred_pairs as f64
    };
    let recall = if true_pairs == 0 {
        1.0
    } else {
        tp as f64 / true_pairs as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_scores_by_hand() {
        // Truth {a,b,c} {d}; predicted {a,b} {c,d}: 3 true pairs, 2 predicted, 1 right.
        let (p, r, f) = pairwise_scores(&[1, 1, 1, 2], &[7, 7, 8, 8]);
        assert_eq!((p, r), (0.5, 1.0 / 3.0));
        assert!((f - 0.4).abs() < 1e-12);
        assert_eq!(pairwise_scores(&[1, 2], &[1, 2]), (1.0, 1.0, 1.0));
    }
}
