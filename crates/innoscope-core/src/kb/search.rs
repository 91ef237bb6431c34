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

    /// Entries containing every token of `query`, or of the query with one
    /// of its terms replaced by a variant or translation ([`SYNONYMS`]:
    /// 监管沙盒 finds 监管沙箱 and "regulatory sandbox"), best first.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let mut best: BTreeMap<String, f64> = BTreeMap::new();
        for q in variants(query) {
            for h in self.search_exact(&q) {
                let s = best.entry(h.id).or_insert(f64::MIN);
                *s = s.max(h.score);
            }
        }
        let mut hits: Vec<Hit> = best
            .into_iter()
            .map(|(id, score)| Hit { id, score })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits
    }

    /// Entries containing every token of `query` itself.
    fn search_exact(&self, query: &str) -> Vec<Hit> {
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

/// Terms that name one thing: variant spellings (监管沙箱 / 监管沙盒),
/// abbreviations and the other language's term. A query holding one is also
/// run with each of the others in its place.
pub const SYNONYMS: &[&[&str]] = &[
    &["监管沙箱", "监管沙盒", "沙盒监管", "regulatory sandbox"],
    &["人工智能", "artificial intelligence", "AI"],
    &["颠覆性创新", "颠覆式创新", "disruptive innovation"],
    &["独角兽", "unicorn"],
    &["风险投资", "风投", "创业投资", "venture capital"],
    &["知识产权", "intellectual property"],
    &["研发", "研究与开发", "R&D", "research and development"],
    &["半导体", "芯片", "集成电路", "semiconductor"],
    &["碳中和", "净零", "carbon neutrality", "net zero"],
    &["数字化转型", "digital transformation"],
    &["工业互联网", "industrial internet"],
    &["产学研", "university-industry", "industry-academia"],
    &["第六代移动通信", "6G"],
    &["第五代移动通信", "5G"],
    &["孵化器", "incubator"],
    &["国家实验室", "national laboratory", "national lab"],
];

/// The query and its rewrites with one synonym group's term replaced by
/// each other term of the group (case-insensitive for Latin terms).
fn variants(query: &str) -> Vec<String> {
    let mut out = vec![query.to_string()];
    let lower = query.to_lowercase();
    for group in SYNONYMS {
        for term in group.iter() {
            let t = term.to_lowercase();
            let Some(at) = lower.find(&t) else { continue };
            // Latin terms match whole words only (`AI` not in `Taiwan`).
            let word = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
            if t.is_ascii()
                && !(word(lower[..at].chars().next_back())
                    && word(lower[at + t.len()..].chars().next()))
            {
                continue;
            }
            for other in group.iter().filter(|o| *o != term) {
                out.push(format!(
                    "{}{}{}",
                    &lower[..at],
                    other,
                    &lower[at + t.len()..]
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
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

    #[test]
    fn synonyms_rewrite_one_term_at_a_time() {
        let v = variants("监管沙盒 英国");
        assert!(v.contains(&"监管沙箱 英国".to_string()), "{v:?}");
        assert!(v.contains(&"regulatory sandbox 英国".to_string()), "{v:?}");
        assert!(variants("Regulatory Sandbox").contains(&"监管沙箱".to_string()));
        // Latin terms only as whole words.
        assert_eq!(variants("Taiwan"), vec!["Taiwan".to_string()]);
        assert!(variants("AI chips").contains(&"人工智能 chips".to_string()));
    }

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
