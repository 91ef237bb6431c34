//! From a raw applicant name to a harmonised key and a kind (organisation or
//! person), by rules kept in an editable file
//! (`data/reference/applicant-name-rules.csv`).

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::RulesError;

/// The built-in rules, compiled in from `data/reference/applicant-name-rules.csv`.
pub const BUILTIN_RULES: &str = include_str!("../../../../data/reference/applicant-name-rules.csv");

/// Organisation or person (an individual applicant or inventor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Organisation,
    Person,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::Person => "person",
        }
    }
}

/// Why a name was taken for an organisation or a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindRule {
    /// A legal form was found (Inc, GmbH, 株式会社 …).
    LegalForm,
    /// A word that names organisations (University, Laboratories, Foods …).
    OrganisationWord,
    /// Digits, an ampersand or a single word: not a personal name.
    NotAPersonalName,
    /// Longer than a personal name (six words or more).
    LongName,
    /// "SURNAME, Given names".
    SurnameComma,
    /// Two to five words without any organisation marker.
    PersonalName,
    /// Two to four Han characters without an organisation suffix.
    CjkPersonalName,
    /// Looks like a personal name, but the same name is written elsewhere
    /// in the data with a legal form.
    BareOrganisationName,
    /// The source says so (PATSTAT `psn_sector`).
    SourceSector,
}

impl KindRule {
    pub fn as_str(self) -> &'static str {
        match self {
            KindRule::LegalForm => "legal form",
            KindRule::OrganisationWord => "organisation word",
            KindRule::NotAPersonalName => "digits, ampersand or a single word",
            KindRule::LongName => "six words or more",
            KindRule::SurnameComma => "SURNAME, given names",
            KindRule::PersonalName => "two to five words, no organisation marker",
            KindRule::CjkPersonalName => "two to four Han characters, no organisation suffix",
            KindRule::BareOrganisationName => {
                "bare name of an organisation written elsewhere with a legal form"
            }
            KindRule::SourceSector => "the source's sector (PATSTAT psn_sector)",
        }
    }

    /// Person rules that later evidence may overturn.
    pub fn is_weak_person(self) -> bool {
        matches!(self, KindRule::PersonalName)
    }
}

/// A harmonised name.
#[derive(Clone, Debug, PartialEq)]
pub struct Normalised {
    /// The harmonised key: upper-case ASCII-folded words without legal forms,
    /// with abbreviations made canonical. For persons, the words of the name
    /// (initials dropped) in sorted order.
    pub key: String,
    pub kind: Kind,
    pub kind_rule: KindRule,
    /// For names taken as persons: the key they would have as an organisation.
    pub org_key: Option<String>,
}

/// One step of the harmonisation of a name, for `applicants explain`.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub what: &'static str,
    pub result: String,
}

/// The rules of the harmoniser.
#[derive(Clone, Debug, Default)]
pub struct NameRules {
    legal_end: Vec<Vec<String>>,
    legal_start: Vec<Vec<String>>,
    cjk_legal: Vec<String>,
    abbrev: HashMap<String, String>,
    /// Abbreviation keys, sorted, for truncated words.
    abbrev_sorted: Vec<String>,
    stop: HashSet<String>,
    prefixes: Vec<Vec<String>>,
    org: HashSet<String>,
    /// One-word legal forms of three letters or more (CORP, GMBH …).
    legal_words: HashSet<String>,
}

/// Upper case, compatibility-normalised (full-width letters become ASCII),
/// accents removed, and the letters without a decomposition spelled out.
pub fn fold(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.nfkc() {
        if c.is_ascii() {
            out.push(c.to_ascii_uppercase());
        } else if is_cjk(c) {
            // Hangul syllables stay composed, as the rules write them.
            out.push(c);
        } else {
            unicode_normalization::char::decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                match d {
                    'ß' => out.push_str("SS"),
                    'ø' | 'Ø' => out.push('O'),
                    'æ' | 'Æ' => out.push_str("AE"),
                    'œ' | 'Œ' => out.push_str("OE"),
                    'ł' | 'Ł' => out.push('L'),
                    'đ' | 'Đ' => out.push('D'),
                    'þ' | 'Þ' => out.push_str("TH"),
                    'ı' => out.push('I'),
                    d if d.is_ascii() => out.push(d.to_ascii_uppercase()),
                    d => out.extend(d.to_uppercase()),
                }
            });
        }
    }
    out
}

/// The name without bracketed source codes (`GENERAL ELECTRIC CO <GE>`).
fn strip_codes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut depth = 0;
    for c in raw.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Whether `c` is a Han, kana or Hangul character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Words of a folded name: letters and digits; `&` is the word AND;
/// apostrophes join (L'OREAL → LOREAL); anything else separates.
pub fn words(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in folded.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else if matches!(c, '\'' | '’' | '`' | '´') {
            continue;
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if c == '&' || c == '＆' {
                out.push("AND".to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn ends_with(tokens: &[String], seq: &[String]) -> bool {
    tokens.len() > seq.len() && tokens[tokens.len() - seq.len()..] == *seq
}

fn starts_with(tokens: &[String], seq: &[String]) -> bool {
    tokens.len() > seq.len() && tokens[..seq.len()] == *seq
}

/// Sort token sequences longest first (then alphabetically) and drop repeats.
fn longest_first(v: &mut Vec<Vec<String>>) {
    v.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    v.dedup();
}

impl NameRules {
    /// The built-in rules.
    pub fn builtin() -> NameRules {
        let mut r = NameRules::default();
        r.add(BUILTIN_RULES, "<builtin>/applicant-name-rules.csv")
            .expect("the built-in name rules parse");
        r
    }

    /// Add the rules of a file in the same layout (`kind,text,canonical,note`).
    pub fn add(&mut self, text: &str, file: &str) -> Result<(), RulesError> {
        let (idx, rows) = super::read_sheet(
            text,
            file,
            &["kind", "text"],
            &["canonical"],
            "kind,text,canonical,note",
        )?;
        let (kc, tc, cc) = (idx[0].unwrap_or(0), idx[1].unwrap_or(0), idx[2]);
        for (line, rec) in rows {
            let kind = rec.get(kc).unwrap_or("").trim();
            let text = rec.get(tc).unwrap_or("").trim();
            if text.is_empty() {
                return Err(RulesError::new(file, line, "text", "empty"));
            }
            let toks = words(&fold(text));
            if toks.is_empty() && kind != "cjk_legal" {
                return Err(RulesError::new(
                    file,
                    line,
                    "text",
                    format!("`{text}` has no letters or digits"),
                ));
            }
            match kind {
                "legal" => self.legal_end.push(toks),
                "legal_start" => {
                    self.legal_end.push(toks.clone());
                    self.legal_start.push(toks);
                }
                "cjk_legal" => self.cjk_legal.push(fold(text)),
                "stop" => self.stop.extend(toks),
                "prefix" => self.prefixes.push(toks),
                "org" => self.org.extend(toks),
                "abbrev" => {
                    let canon = cc.and_then(|c| rec.get(c)).unwrap_or("").trim();
                    if canon.is_empty() || toks.len() != 1 {
                        return Err(RulesError::new(
                            file,
                            line,
                            "canonical",
                            "an abbreviation maps one word to a non-empty canonical word",
                        ));
                    }
                    self.abbrev.insert(toks[0].clone(), fold(canon));
                }
                other => {
                    return Err(RulesError::new(
                        file,
                        line,
                        "kind",
                        format!(
                            "`{other}` is not one of legal, legal_start, cjk_legal, abbrev, stop, prefix, org"
                        ),
                    ));
                }
            }
        }
        longest_first(&mut self.legal_end);
        longest_first(&mut self.legal_start);
        longest_first(&mut self.prefixes);
        self.cjk_legal
            .sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        self.cjk_legal.dedup();
        self.legal_words = self
            .legal_end
            .iter()
            .filter(|f| f.len() == 1 && f[0].len() >= 3)
            .map(|f| f[0].clone())
            .collect();
        self.abbrev_sorted = self.abbrev.keys().cloned().collect();
        self.abbrev_sorted.sort();
        Ok(())
    }

    /// Whether `word` (canonical) marks an organisation.
    pub fn is_org_word(&self, word: &str) -> bool {
        self.org.contains(word)
    }

    /// Harmonise a name.
    pub fn normalise(&self, raw: &str) -> Normalised {
        self.run(raw, None)
    }

    /// Harmonise a name and say what each step did.
    pub fn trace(&self, raw: &str) -> (Normalised, Vec<Step>) {
        let mut steps = Vec::new();
        let n = self.run(raw, Some(&mut steps));
        (n, steps)
    }

    fn run(&self, raw: &str, mut steps: Option<&mut Vec<Step>>) -> Normalised {
        let mut note = |what: &'static str, result: String| {
            if let Some(s) = steps.as_deref_mut() {
                s.push(Step { what, result });
            }
        };
        let raw = strip_codes(raw.trim());
        let raw = raw.as_str();
        let raw_len = raw.chars().count();
        let mut folded = fold(raw);
        note("case, width and accents folded", folded.clone());
        let has_cjk = folded.chars().any(is_cjk);
        let mut cjk_legal = false;
        if has_cjk {
            for f in &self.cjk_legal {
                if folded.contains(f.as_str()) && folded.chars().count() > f.chars().count() {
                    folded = folded.replacen(f.as_str(), " ", 1);
                    cjk_legal = true;
                }
            }
            if cjk_legal {
                note("CJK legal forms removed", folded.trim().to_string());
            }
        }
        let all = words(&folded);
        let mut toks = all.clone();
        let comma = raw.contains(',');
        let amp = raw.contains('&') || raw.contains('＆');
        note("punctuation removed, & as AND", toks.join(" "));
        // Trustee and regent formulas.
        for p in &self.prefixes {
            if starts_with(&toks, p) {
                toks.drain(..p.len());
                note("leading formula removed", toks.join(" "));
                break;
            }
        }
        // Legal forms, repeatedly, at the end (and the forms also written first, at the start).
        let mut legal = cjk_legal;
        loop {
            let mut changed = false;
            while toks.len() > 1 && toks.last().is_some_and(|t| t == "AND") {
                toks.pop();
            }
            if let Some(f) = self.legal_end.iter().find(|f| ends_with(&toks, f)) {
                toks.truncate(toks.len() - f.len());
                legal = true;
                changed = true;
            } else if let Some(f) = self.legal_start.iter().find(|f| starts_with(&toks, f)) {
                toks.drain(..f.len());
                legal = true;
                changed = true;
            } else if toks.len() > 1 && toks[0] == "THE" {
                toks.remove(0);
                changed = true;
            }
            if !changed {
                break;
            }
        }
        // A name cut by the source's field width (30, 35, 40 … characters):
        // a last word that begins a legal form is a truncated legal form.
        if raw_len >= 25
            && toks.len() > 2
            && let Some(last) = toks.last()
            && self
                .legal_end
                .iter()
                .any(|f| f.len() == 1 && f[0].len() > last.len() && f[0].starts_with(last.as_str()))
        {
            toks.pop();
            legal = true;
        }
        if legal {
            note("legal forms removed", toks.join(" "));
        }
        // Abbreviations; a truncated last word of a long name takes the
        // canonical form of the first word it begins.
        let n = toks.len();
        for (i, t) in toks.iter_mut().enumerate() {
            if let Some(c) = self.abbrev.get(t.as_str()) {
                *t = c.clone();
            } else if i + 1 == n && n > 1 && raw_len >= 25 && t.chars().count() >= 4 {
                let start = self
                    .abbrev_sorted
                    .partition_point(|k| k.as_str() < t.as_str());
                if let Some(k) = self.abbrev_sorted.get(start)
                    && k.starts_with(t.as_str())
                {
                    *t = self.abbrev[k].clone();
                }
            }
        }
        note("abbreviations made canonical", toks.join(" "));
        let kept: Vec<String> = toks
            .iter()
            .filter(|t| !self.stop.contains(t.as_str()))
            .cloned()
            .collect();
        if !kept.is_empty() && kept.len() != toks.len() {
            toks = kept;
            note("stop words removed", toks.join(" "));
        }
        // "TSINGHUA UNIV" and "UNIV OF TSINGHUA" are one name: UNIV first.
        if toks.len() > 1 && toks.last().is_some_and(|t| t == "UNIV") {
            let u = toks.pop().expect("non-empty");
            toks.insert(0, u);
            note("university first", toks.join(" "));
        }
        if toks.is_empty() {
            toks = all.clone();
        }
        let org_key = toks.join(" ");
        // Organisation or person.
        let org_word = toks.iter().any(|t| self.org.contains(t.as_str()));
        // A legal form inside the name (AGRICULTURAL CORP HOSU) marks an organisation too.
        let legal = legal || all.iter().any(|t| self.legal_words.contains(t.as_str()));
        let (kind, kind_rule) = if legal {
            (Kind::Organisation, KindRule::LegalForm)
        } else if org_word {
            (Kind::Organisation, KindRule::OrganisationWord)
        } else if has_cjk {
            let han: Vec<char> = org_key.chars().filter(|c| !c.is_whitespace()).collect();
            if (2..=4).contains(&han.len()) && han.iter().all(|c| is_cjk(*c)) {
                (Kind::Person, KindRule::CjkPersonalName)
            } else {
                (Kind::Organisation, KindRule::NotAPersonalName)
            }
        } else if amp || all.len() < 2 || all.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()))
        {
            (Kind::Organisation, KindRule::NotAPersonalName)
        } else if all.len() > 5 {
            (Kind::Organisation, KindRule::LongName)
        } else if comma {
            (Kind::Person, KindRule::SurnameComma)
        } else {
            (Kind::Person, KindRule::PersonalName)
        };
        let normalised = match kind {
            Kind::Organisation => Normalised {
                key: org_key,
                kind,
                kind_rule,
                org_key: None,
            },
            Kind::Person => Normalised {
                key: person_key(&all),
                kind,
                kind_rule,
                org_key: Some(org_key),
            },
        };
        note(
            match kind {
                Kind::Organisation => "organisation: key",
                Kind::Person => "person: key (initials dropped, words sorted)",
            },
            normalised.key.clone(),
        );
        normalised
    }
}

/// A person's key: the words of the name without initials, sorted, so that
/// "ABATE, Valerio" and "VALERIO ABATE" meet.
pub fn person_key(words: &[String]) -> String {
    let mut w: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|t| t.chars().count() > 1)
        .collect();
    // Initials are dropped only when two names remain: ALAN J. E. and
    // ALAN R. stay apart.
    if w.len() < 2 {
        w = words.iter().map(String::as_str).collect();
    }
    w.sort_unstable();
    w.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> (String, Kind) {
        let n = NameRules::builtin().normalise(raw);
        (n.key, n.kind)
    }

    #[test]
    fn legal_forms_and_punctuation() {
        let o = Kind::Organisation;
        assert_eq!(key("A9.com, Inc."), ("A9 COM".into(), o));
        assert_eq!(key("A9.COM, INC"), ("A9 COM".into(), o));
        assert_eq!(
            key("ADVANCED FOOD SYSTEM S.A."),
            ("ADVANCED FOOD SYS".into(), o)
        );
        assert_eq!(
            key("Advanced Food System S A"),
            ("ADVANCED FOOD SYS".into(), o)
        );
        assert_eq!(key("TOYOTA MOTOR CO LTD"), ("TOYOTA MOTOR".into(), o));
        assert_eq!(
            key("TOYOTA JIDOSHA KABUSHIKI KAISHA"),
            ("TOYOTA JIDOSHA".into(), o)
        );
        assert_eq!(key("Kabushiki Kaisha Toshiba"), ("TOSHIBA".into(), o));
        assert_eq!(key("BOSCH GMBH & CO. KG"), ("BOSCH".into(), o));
        assert_eq!(
            key("Telefonaktiebolaget LM Ericsson (publ)"),
            ("TELEFONAKTIEBOLAGET LM ERICSSON".into(), o)
        );
        assert_eq!(
            key("Société des Produits Nestlé S.A."),
            ("STE DES PRODUITS NESTLE".into(), o)
        );
        assert_eq!(key("ＳＯＮＹ ＣＯＲＰ"), ("SONY".into(), o));
        assert_eq!(key("L'Oréal"), ("LOREAL".into(), o));
    }

    #[test]
    fn universities_and_formulas() {
        let k = |s| key(s).0;
        assert_eq!(
            k("The Regents of the University of California"),
            "UNIV CALIFORNIA"
        );
        assert_eq!(k("UNIV CALIFORNIA"), "UNIV CALIFORNIA");
        assert_eq!(k("Tsinghua University"), "UNIV TSINGHUA");
        assert_eq!(k("University of Tsinghua"), "UNIV TSINGHUA");
        assert_eq!(k("Ford Global Technologies, LLC"), "FORD GLOBAL TECH");
        assert_eq!(k("FORD GLOBAL TECH LLC"), "FORD GLOBAL TECH");
    }

    #[test]
    fn truncated_names() {
        let k = |s| key(s).0;
        assert_eq!(
            k("ADVANCED FLEXIBLE COMPOSITES I"),
            "ADVANCED FLEXIBLE COMPOSITES"
        );
        assert_eq!(
            k("ADVANCED DEPOSITION TECHNOLOGI"),
            "ADVANCED DEPOSITION TECH"
        );
        assert_eq!(
            k("Advanced Deposition Technologies, Inc."),
            "ADVANCED DEPOSITION TECH"
        );
    }

    #[test]
    fn cjk_names() {
        let r = NameRules::builtin();
        let n = r.normalise("北京字节跳动网络技术有限公司");
        assert_eq!(
            (n.key.as_str(), n.kind),
            ("北京字节跳动网络技术", Kind::Organisation)
        );
        assert_eq!(r.normalise("株式会社東芝").key, "東芝");
        assert_eq!(r.normalise("삼성전자 주식회사").key, "삼성전자");
        let p = r.normalise("张伟");
        assert_eq!(
            (p.kind, p.kind_rule),
            (Kind::Person, KindRule::CjkPersonalName)
        );
    }

    #[test]
    fn persons() {
        let r = NameRules::builtin();
        let a = r.normalise("ABATE, Valerio");
        let b = r.normalise("ABATE VALERIO");
        assert_eq!(a.key, b.key);
        assert_eq!(
            (a.kind, a.kind_rule),
            (Kind::Person, KindRule::SurnameComma)
        );
        assert_eq!(
            (b.kind, b.kind_rule),
            (Kind::Person, KindRule::PersonalName)
        );
        assert_eq!(
            r.normalise("Adamski-Werner Sara L.").key,
            r.normalise("ADAMSKI-WERNER, Sara").key
        );
        assert_eq!(r.normalise("ABBOTT LAB").kind, Kind::Organisation);
        assert_eq!(r.normalise("GOOGLE").kind, Kind::Organisation);
        assert_eq!(
            r.normalise("3M Innovative Properties").kind,
            Kind::Organisation
        );
    }

    #[test]
    fn bad_rules_name_the_line() {
        let mut r = NameRules::default();
        let e = r
            .add(
                "kind,text,canonical\nlegal,Inc,\nlegl,GmbH,\n",
                "my-rules.csv",
            )
            .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("my-rules.csv:3") && msg.contains("kind") && msg.contains("legl"),
            "{msg}"
        );
    }
}
