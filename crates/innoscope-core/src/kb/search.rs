//! Full-text search over the knowledge base, in Chinese and English.
//!
//! Chinese has no spaces between words, so a whitespace tokenizer finds
//! nothing in it. Text is cut into tokens by script instead:
//! - runs of Han, kana or Hangul become overlapping character bigrams
//!   (`颠覆性创新` → 颠覆 覆性 性创 创新), the standard n-gram approach to CJK
//!   retrieval that needs no dictionary; a one-character run is a unigram;
//! - runs of letters and digits become lower-cased words with a light English
//!   plural folding (`sandboxes` → `sandbox`, `policies` → `policy`), so
//!   `6G`, `ARPA-H` and `regulatory sandbox` match as users type them.
//!
//! A query matches an entry when every query token occurs in it; matches are
//! ranked by BM25 (k1 = 1.2, b = 0.75) and then by id, so results are
//! deterministic. The base holds hundreds of entries, so the index is built
//! in memory on demand (well under a millisecond per entry) rather than kept
//! on disk; a dedicated engine such as tantivy would add a large dependency
//! for no gain at this size.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use super::{ASPECTS, Entry, Kb, Profile};
use crate::economy::Registry;
use crate::text::Lang;

/// Tokens of a text (see the module docs).
pub fn tokens(text: &str) -> Vec<String> {
    let norm: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut cjk: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(fold_plural(word));
            word.clear();
        }
    };
    let flush_cjk = |cjk: &mut Vec<char>, out: &mut Vec<String>| {
        match cjk.len() {
            0 => {}
            1 => out.push(cjk[0].to_string()),
            _ => {
                for w in cjk.windows(2) {
                    out.push(w.iter().collect());
                }
            }
        }
        cjk.clear();
    };
    for ch in norm.chars() {
        if is_cjk(ch) {
            flush_word(&mut word, &mut out);
            cjk.push(ch);
        } else if ch.is_alphanumeric() {
            flush_cjk(&mut cjk, &mut out);
            word.push(ch);
        } else {
            flush_word(&mut word, &mut out);
            flush_cjk(&mut cjk, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_cjk(&mut cjk, &mut out);
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // kana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FA1F) // extensions B–F
}

/// `policies` → `policy`, `sandboxes` → `sandbox`, `modes` → `mode`; leaves
/// `glass`, `us`, `analysis`, `gas` and short words alone.
fn fold_plural(w: &str) -> String {
    let n = w.chars().count();
    if n <= 3 || !w.is_ascii() {
        return w.to_string();
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["sses", "xes", "ches", "shes"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// A hit: the entry's id and its score.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub score: f64,
}

/// An in-memory inverted index over every entry of a base.
pub struct Index {
    ids: Vec<String>,
    lengths: Vec<usize>,
    postings: BTreeMap<String, Vec<(usize, u32)>>,
    avg_len: f64,
}

impl Index {
    /// Index every entry's text in both languages, with the names of its
    /// economies, fields, actor types and the concepts it illustrates.
    pub fn build(kb: &Kb, registry: &Registry) -> Index {
        let mut ids = Vec::new();
        let mut lengths = Vec::new();
        let mut postings: BTreeMap<String, Vec<(usize, u32)>> = BTreeMap::new();
        for entry in kb.entries() {
            let doc = ids.len();
            ids.push(entry.id().to_string());
            let text = document_text(kb, registry, entry);
            let toks = tokens(&text);
            lengths.push(toks.len());
            let mut tf: BTreeMap<String, u32> = BTreeMap::new();
            for t in toks {
                *tf.entry(t).or_default() += 1;
            }
            for (t, n) in tf {
                postings.entry(t).or_default().push((doc, n));
            }
        }
        let avg_len = if lengths.is_empty() {
            1.0
        } else {
            lengths.iter().sum::<usize>() as f64 / lengths.len() as f64
        };
        Index {
            ids,
            lengths,
            postings,
            avg_len,
        }
    }

    /// Entries containing every token of `query`, best first.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let mut terms = tokens(query);
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            return Vec::new();
        }
        let n = self.ids.len() as f64;
        let mut scores: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
        for t in &terms {
            let Some(list) = self.postings.get(t) else {
                return Vec::new();
            };
            let idf = ((n - list.len() as f64 + 0.5) / (list.len() as f64 + 0.5) + 1.0).ln();
            for &(doc, tf) in list {
                let tf = f64::from(tf);
                let norm = 1.2 * (1.0 - 0.75 + 0.75 * self.lengths[doc] as f64 / self.avg_len);
                let s = idf * tf * 2.2 / (tf + norm);
                let e = scores.entry(doc).or_insert((0, 0.0));
                e.0 += 1;
                e.1 += s;
            }
        }
        let mut hits: Vec<Hit> = scores
            .into_iter()
            .filter(|(_, (matched, _))| *matched == terms.len())
            .map(|(doc, (_, score))| Hit {
                id: self.ids[doc].clone(),
                score,
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits
    }
}

/// All the searchable text of an entry, both languages.
fn document_text(kb: &Kb, registry: &Registry, entry: Entry<'_>) -> String {
    let mut s = String::new();
    let mut push = |t: &str| {
        s.push_str(t);
        s.push('\n');
    };
    let economy = |code: &str, push: &mut dyn FnMut(&str)| {
        push(code);
        if let Some(e) = registry.by_code(code) {
            push(e.name(Lang::En));
            push(e.name(Lang::Zh));
        }
    };
    match entry {
        Entry::Concept(c) => {
            push(&c.id);
            push(&c.name.en);
            push(&c.name.zh);
            push(&c.summary.en);
            push(&c.summary.zh);
            let kind = c.kind.label();
            push(&kind.en);
            push(&kind.zh);
        }
        Entry::Profile(p) => {
            push(&p.id);
            economy(&p.economy, &mut push);
            for a in ASPECTS {
                let label = Profile::aspect_label(a);
                push(&label.en);
                push(&label.zh);
                for t in p.aspect(a) {
                    push(&t.en);
                    push(&t.zh);
                }
            }
        }
        Entry::Case(c) => {
            push(&c.id);
            push(&c.title.en);
            push(&c.title.zh);
            push(&c.summary.en);
            push(&c.summary.zh);
            for a in &c.actors {
                push(&a.en);
                push(&a.zh);
            }
            for e in &c.economies {
                economy(e, &mut push);
            }
            for f in &c.fields {
                push(&kb.term_name(&kb.fields, f, Lang::En));
                push(&kb.term_name(&kb.fields, f, Lang::Zh));
            }
            for a in &c.actor_types {
                push(&kb.term_name(&kb.actor_types, a, Lang::En));
                push(&kb.term_name(&kb.actor_types, a, Lang::Zh));
            }
            for i in &c.illustrates {
                if let Some(con) = kb.concept(i) {
                    push(&con.name.en);
                    push(&con.name.zh);
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_cut_into_bigrams_and_latin_into_words() {
        assert_eq!(tokens("颠覆性创新"), ["颠覆", "覆性", "性创", "创新"]);
        assert_eq!(
            tokens("Regulatory Sandboxes, 6G & ARPA-H"),
            ["regulatory", "sandbox", "6g", "arpa", "h"]
        );
        assert_eq!(
            tokens("英国ARIA（高级研究）"),
            ["英国", "aria", "高级", "级研", "研究"]
        );
        // Full-width letters fold to ASCII (NFKC).
        assert_eq!(tokens("６Ｇ"), ["6g"]);
        assert_eq!(fold_plural("policies"), "policy");
        assert_eq!(fold_plural("analysis"), "analysis");
        assert_eq!(fold_plural("glass"), "glass");
    }
}
