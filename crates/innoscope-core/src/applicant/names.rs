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
    /// A word that names organisations (Laboratories, Foods …).
    OrganisationWord,
    /// A word that names a university, hospital, public research body or
    /// public authority (Hochschule, Istituto, Klinikum, 大学 …).
    InstitutionWord,
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
            KindRule::InstitutionWord => "institution word",
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
    /// A university, hospital, public research body or public authority:
    /// the key was built with the institution rules, and the clustering
    /// compares it with other institutions' keys word by word.
    pub institution: bool,
    /// An institution's name that ends with its institution word
    /// (…UNIVERSITY): complete, not cut by a field width.
    pub complete: bool,
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
    inst: HashSet<String>,
    inst_stop: HashSet<String>,
    /// Abbreviations used in institutions' names only (CLERMONT-FD).
    inst_abbrev: HashMap<String, String>,
    qualifier: HashSet<String>,
    cuts: Vec<Vec<String>>,
    /// State names as written (words) and their codes, longest first.
    states: Vec<(Vec<String>, String)>,
    cjk_org: Vec<String>,
    /// Aliases as written (name, canonical name, line), in file order.
    alias_raw: Vec<(String, String)>,
    /// Alias key → canonical key, built from `alias_raw` with the other rules.
    alias: HashMap<String, String>,
    /// The canonical forms of abbreviations.
    abbrev_values: HashSet<String>,
    /// Abbreviated words by first letter, for misspelt institution words.
    abbrev_by_first: HashMap<char, Vec<String>>,
}

/// Articles that French and Italian elide before a vowel (L'UNIVERSITE,
/// D'AUVERGNE, DELL'INSUBRIA): the article is dropped and the word kept.
const ELIDED: &[&str] = &[
    "L", "D", "DELL", "DALL", "NELL", "SULL", "ALL", "DEGL", "QU", "LL",
];

/// Words that open a department's name after a state's representation
/// formula (the Secretary of, the Director General of …): dropped.
const OFFICE_WORDS: &[&str] = &[
    "THE",
    "OF",
    "SECRETARY",
    "MINISTER",
    "DIRECTOR",
    "GENERAL",
    "GEN",
    "DEPARTMENT",
    "DEPT",
    "MINISTRY",
    "VAN",
    "DE",
    "DER",
    "DEN",
    "FOR",
    "DU",
    "DES",
    "LA",
    "LE",
    "MINISTERE",
    // Republic of Korea (Management: Rural Development Administration); MAN in Derwent's form.
    "MANAGEMENT",
    "MAN",
];

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

/// `folded` without elided articles: L'UNIVERSITE D'AUVERGNE → UNIVERSITE
/// AUVERGNE. Other apostrophes are left to [`words`] (L'OREAL stays one
/// word only when nothing else is left).
fn drop_elisions(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::with_capacity(folded.len());
    let mut start = 0; // start of the current run of letters in `out`
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '\'' | '’' | '`' | '´')
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
            && ELIDED.contains(&&out[start..])
        {
            out.truncate(start);
            out.push(' ');
            start = out.len();
        } else {
            out.push(c);
            if !c.is_alphanumeric() {
                start = out.len();
            }
        }
        i += 1;
    }
    out
}

/// Parenthesised parts that only repeat the name: an acronym or a short
/// form (`(CHU)`, `(FH)`, `(TU Berlin)`, `(GIST)`) is dropped; an acronym
/// outside and the full name inside (`INSERM (INSTITUT NATIONAL …)`) keeps
/// the full name. Anything else stays as words of the name.
fn simplify_parens(raw: &str) -> String {
    match raw.find('(') {
        Some(open) => simplify_parens_at(raw, open),
        None => raw.to_string(),
    }
}

fn simplify_parens_at(raw: &str, open: usize) -> String {
    let Some(close) = raw[open..].find(')').map(|c| open + c) else {
        return raw.to_string();
    };
    let inside = &raw[open + 1..close];
    let outside = format!("{} {}", &raw[..open], &raw[close + 1..]);
    let iw = words(&fold(inside));
    let ow = words(&fold(&outside));
    if iw.is_empty() || ow.is_empty() {
        return raw.to_string();
    }
    let rest = simplify_parens(&raw[close + 1..]);
    let short = |w: &String| w.chars().count() <= 7 && !w.chars().any(|c| c.is_ascii_digit());
    let repeats = iw.len() <= 3 && iw.iter().all(|w| ow.contains(w) || short(w));
    if ow.len() == 1 && iw.len() >= 3 {
        // INSERM (INSTITUT NATIONAL DE LA SANTE …): the full name.
        format!("{inside} {rest}")
    } else if iw.len() == 1 && short(&iw[0]) || repeats {
        format!("{} {rest}", &raw[..open])
    } else {
        format!("{} {inside} {rest}", &raw[..open])
    }
}

/// A Roman numeral of two letters or more (II, XI, VII): its value.
fn roman(word: &str) -> Option<u32> {
    if word.len() < 2 || word.len() > 5 || !word.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return None;
    }
    let val = |c: char| match c {
        'I' => 1,
        'V' => 5,
        _ => 10,
    };
    let v: Vec<u32> = word.chars().map(val).collect();
    let mut n = 0;
    for (i, x) in v.iter().enumerate() {
        if v.get(i + 1).is_some_and(|y| y > x) {
            n -= *x as i64;
        } else {
            n += *x as i64;
        }
    }
    (1..=39).contains(&n).then_some(n as u32)
}

/// Whether `acronym`'s letters are, in order, initials of `words`.
fn is_initials(acronym: &str, words: &[String]) -> bool {
    let mut initials = words.iter().filter_map(|w| w.chars().next());
    acronym.len() >= 2 && acronym.chars().all(|a| initials.any(|i| i == a))
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
            if toks.is_empty() && kind != "cjk_legal" && kind != "cjk_org" {
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
                "inst" => self.inst.extend(toks),
                "inst_stop" => self.inst_stop.extend(toks),
                "qualifier" => self.qualifier.extend(toks),
                "cut" => self.cuts.push(toks),
                "cjk_org" => self.cjk_org.push(fold(text)),
                "state" | "alias" => {
                    let canon = cc.and_then(|c| rec.get(c)).unwrap_or("").trim();
                    if canon.is_empty() {
                        return Err(RulesError::new(
                            file,
                            line,
                            "canonical",
                            format!("a `{kind}` rule needs its canonical form"),
                        ));
                    }
                    if kind == "state" {
                        self.states.push((toks, fold(canon)));
                    } else {
                        self.alias_raw.push((text.to_string(), canon.to_string()));
                    }
                }
                "abbrev" | "inst_abbrev" => {
                    let canon = cc.and_then(|c| rec.get(c)).unwrap_or("").trim();
                    if canon.is_empty() || toks.len() != 1 {
                        return Err(RulesError::new(
                            file,
                            line,
                            "canonical",
                            "an abbreviation maps one word to a non-empty canonical word",
                        ));
                    }
                    let map = if kind == "abbrev" {
                        &mut self.abbrev
                    } else {
                        &mut self.inst_abbrev
                    };
                    map.insert(toks[0].clone(), fold(canon));
                }
                other => {
                    return Err(RulesError::new(
                        file,
                        line,
                        "kind",
                        format!(
                            "`{other}` is not one of legal, legal_start, cjk_legal, abbrev, stop, prefix, org, inst, inst_stop, inst_abbrev, qualifier, cut, state, alias, cjk_org"
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
        self.abbrev_values = self.abbrev.values().cloned().collect();
        self.abbrev_by_first.clear();
        for k in &self.abbrev_sorted {
            if let Some(c) = k.chars().next() {
                self.abbrev_by_first.entry(c).or_default().push(k.clone());
            }
        }
        longest_first(&mut self.cuts);
        self.states
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        self.states.dedup();
        self.org.extend(self.inst.iter().cloned());
        // Aliases are keys like any other: built with all the other rules.
        self.alias.clear();
        let mut alias = HashMap::new();
        for (text, canon) in &self.alias_raw {
            let (a, c) = (self.org_key_of(text), self.org_key_of(canon));
            if a != c {
                alias.insert(a, c);
            }
        }
        self.alias = alias;
        Ok(())
    }

    /// The organisation key of a name (its key were it an organisation).
    fn org_key_of(&self, raw: &str) -> String {
        let n = self.run(raw, None);
        n.org_key.unwrap_or(n.key)
    }

    /// Whether `word` (canonical) marks an institution.
    pub fn is_inst_word(&self, word: &str) -> bool {
        self.inst.contains(word)
    }

    /// The canonical form of a misspelt long word of an institution's name
    /// (SCIENTIFQUE → SCI): an abbreviation one edit away, same first letter.
    fn abbrev_typo(&self, word: &str) -> Option<&String> {
        let n = word.chars().count();
        if n < 8 {
            return None;
        }
        let first = word.chars().next()?;
        self.abbrev_by_first
            .get(&first)?
            .iter()
            .filter(|k| k.chars().count().abs_diff(n) <= 1)
            .find(|k| strsim::osa_distance(k, word) == 1)
            .map(|k| &self.abbrev[k])
    }

    /// Whether `word` is a qualifier an institution's name may carry or drop.
    pub fn is_qualifier(&self, word: &str) -> bool {
        self.qualifier.contains(word)
    }

    /// The state a name opens with: its number of words and code.
    fn state_at_start(&self, toks: &[String]) -> Option<(usize, &str)> {
        let start = usize::from(toks.first().is_some_and(|t| t == "THE"));
        self.states
            .iter()
            .find(|(w, _)| toks.len() >= start + w.len() && toks[start..start + w.len()] == **w)
            .map(|(w, c)| (start + w.len(), c.as_str()))
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
        let raw_len = raw.chars().count();
        let simpler = match raw.find('(') {
            Some(open) => {
                let s = simplify_parens_at(&raw, open);
                if s != raw {
                    note("parenthesised acronym or short form dropped", s.clone());
                }
                Some(s)
            }
            None => None,
        };
        let raw = raw.as_str();
        let mut folded = fold(simpler.as_deref().unwrap_or(raw));
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
        if folded.contains(['\'', '’', '`', '´']) {
            let unelided = drop_elisions(&folded);
            let t = words(&unelided);
            if t.len() >= 2 && unelided != folded {
                toks = t;
                note("elided articles dropped (L', D', DELL' …)", toks.join(" "));
            }
        }
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
        // A state as applicant: its code and the department that represents it.
        let mut institution = false;
        let cut = (1..toks.len()).find_map(|i| {
            self.cuts
                .iter()
                .find(|c| toks.len() >= i + c.len() && toks[i..i + c.len()] == **c)
                .map(|c| (i, c.len()))
        });
        match (self.state_at_start(&toks), cut) {
            (Some((n, code)), Some((at, len))) if n == at => {
                let dept = toks[at + len..]
                    .iter()
                    .skip_while(|t| OFFICE_WORDS.contains(&t.as_str()));
                toks = std::iter::once(code.to_string())
                    .chain(dept.cloned())
                    .collect();
                institution = true;
                note(
                    "state: its code and the representing department",
                    toks.join(" "),
                );
            }
            (_, Some((at, _))) => {
                toks.truncate(at);
                note("representation or sub-unit formula dropped", toks.join(" "));
            }
            (Some((n, code)), None)
                if n == toks.len()
                    || OFFICE_WORDS[1..].contains(&toks[n].as_str())
                    || toks[n..].iter().any(|t| {
                        self.inst.contains(t.as_str())
                            || self
                                .abbrev
                                .get(t.as_str())
                                .is_some_and(|c| self.inst.contains(c))
                    }) =>
            {
                let dept = toks[n..]
                    .iter()
                    .skip_while(|t| OFFICE_WORDS.contains(&t.as_str()));
                toks = std::iter::once(code.to_string())
                    .chain(dept.cloned())
                    .collect();
                institution = true;
                note(
                    "state: its code and the representing department",
                    toks.join(" "),
                );
            }
            _ => {}
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
        // Institutions: function words of every language dropped, Roman
        // numerals as numbers, a trailing acronym of the name dropped.
        institution = institution || toks.iter().any(|t| self.inst.contains(t.as_str()));
        if institution {
            let kept: Vec<String> = toks
                .iter()
                .filter(|t| !self.inst_stop.contains(t.as_str()))
                .map(|t| match roman(t) {
                    Some(n) => n.to_string(),
                    None => self
                        .inst_abbrev
                        .get(t)
                        .or_else(|| self.abbrev_typo(t))
                        .unwrap_or(t)
                        .clone(),
                })
                .collect();
            if kept.len() > 1 && kept != toks {
                toks = kept;
                note(
                    "institution: function words dropped, numerals as numbers",
                    toks.join(" "),
                );
            }
            if toks.len() > 2
                && let Some(last) = toks.last()
                && last.len() <= 6
                && last.chars().all(|c| c.is_ascii_alphabetic())
                && !self.abbrev_values.contains(last.as_str())
                && is_initials(last, &all[..all.len().saturating_sub(1)])
            {
                toks.pop();
                note(
                    "institution: trailing acronym of the name dropped",
                    toks.join(" "),
                );
            }
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
        let mut org_key = toks.join(" ");
        if let Some(c) = self.alias.get(&org_key) {
            org_key = c.clone();
            institution = institution || org_key.split(' ').any(|t| self.inst.contains(t));
            note(
                "alias: another name of one institution (rules' alias table)",
                org_key.clone(),
            );
        }
        let cjk_org = has_cjk && self.cjk_org.iter().any(|w| folded.contains(w.as_str()));
        institution = institution || cjk_org;
        // Organisation or person.
        let org_word = toks.iter().any(|t| self.org.contains(t.as_str()));
        // A legal form inside the name (AGRICULTURAL CORP HOSU) marks an organisation too.
        let legal = legal || all.iter().any(|t| self.legal_words.contains(t.as_str()));
        let (kind, kind_rule) = if legal {
            (Kind::Organisation, KindRule::LegalForm)
        } else if institution {
            (Kind::Organisation, KindRule::InstitutionWord)
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
                institution,
                complete: institution
                    && all.last().is_some_and(|w| {
                        let w = self.abbrev.get(w).unwrap_or(w);
                        self.inst.contains(w.as_str())
                    }),
            },
            Kind::Person => Normalised {
                key: person_key(&all),
                kind,
                kind_rule,
                org_key: Some(org_key),
                institution: false,
                complete: false,
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
        assert_eq!(key("L'OREAL SA"), ("OREAL".into(), o));
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
    fn institutions_are_organisations_in_every_language() {
        let r = NameRules::builtin();
        for name in [
            "HOCHSCHULE MANNHEIM",
            "FACHHOCHSCHULE AACHEN",
            "PAEDAGOGISCHE HOCHSCHULE FREIBURG",
            "AZIENDA OSPEDALIERA CAREGGI",
            "ISTITUTO GIANNINA GASLINI",
            "FONDAZIONE TELETHON",
            "STIFTUNG CAESAR",
            "KLINIKUM RECHTS DER ISAR",
            "UNIVERSITAETSKLINIKUM FREIBURG",
            "POLITECNICO DI MILANO",
            "ECOLE CENTRALE PARIS",
            "L'UNIVERSITE D'AUVERGNE",
            "CHARITE BERLIN",
            "NEDERLANDEN STAAT",
            "DANMARKS TEKNISKE UNIVERSITET",
            "清华大学",
            "東京大学",
            "서울대학교",
        ] {
            let n = r.normalise(name);
            assert_eq!(n.kind, Kind::Organisation, "{name}: {n:?}");
            assert!(n.institution, "{name}: {n:?}");
        }
        // Persons stay persons.
        assert_eq!(r.normalise("MUELLER, Hans").kind, Kind::Person);
        assert_eq!(r.normalise("ZHANG WEI").kind, Kind::Person);
    }

    #[test]
    fn institution_keys() {
        let k = |s: &str| NameRules::builtin().normalise(s).key;
        // Elided articles are split off before anything else.
        assert_eq!(k("L'UNIVERSITE D'AUVERGNE"), k("UNIVERSITE AUVERGNE"));
        assert_eq!(k("L'UNIVERSITE D'AUVERGNE"), "UNIV AUVERGNE");
        assert_eq!(
            k("UNIVERSITA DEGLI STUDI DELL'INSUBRIA"),
            "UNIV STUDI INSUBRIA"
        );
        // Transliterations and languages.
        assert_eq!(k("UNIVERSITAET KONSTANZ"), k("Universität Konstanz"));
        assert_eq!(k("UNIVERSITAT KONSTANZ"), k("UNIVERSITY OF KONSTANZ"));
        assert_eq!(k("TECHNISCHE UNIVERSITAET MUENCHEN"), "TECH UNIV MUNCHEN");
        assert_eq!(k("TU Muenchen"), k("Technical University of Munich"));
        assert_eq!(k("TU MUENCHEN"), "TECH UNIV MUNCHEN");
        assert_ne!(k("LMU MUENCHEN"), k("TU MUENCHEN"));
        // Representation formulas and sub-units.
        assert_eq!(
            k("UNIVERSITAET STUTTGART, VERTRETEN DURCH DEN REKTOR"),
            k("UNIVERSITAET STUTTGART")
        );
        assert_eq!(
            k("UNIVERSITA DEGLI STUDI DI MILANO - DIPARTIMENTO DI CHIMICA"),
            k("UNIVERSITA DEGLI STUDI DI MILANO")
        );
        assert_eq!(k("HOCHSCHULE ESSLINGEN (FH)"), k("HOCHSCHULE ESSLINGEN"));
        assert_eq!(
            k("CENTRE HOSPITALIER UNIVERSITAIRE DE NICE (CHU)"),
            k("CENTRE HOSPITALIER UNIVERSITAIRE DE NICE")
        );
        assert_eq!(
            k("INSERM (INSTITUT NATIONAL DE LA SANTE ET DE LA RECHERCHE MEDICALE)"),
            k("INSTITUT NATIONAL DE LA SANTE ET DE LA RECHERCHE MEDICALE")
        );
        assert_eq!(
            k("INSERM"),
            k("INSTITUT NATIONAL DE LA SANTE ET DE LA RECHERCHE MEDICALE")
        );
        assert_eq!(
            k("UNIVERSIDADE FEDERAL DE MINAS GERAIS-UFMG"),
            k("UNIVERSIDADE FEDERAL DE MINAS GERAIS")
        );
        // Roman numerals are numbers; different numbers stay different.
        assert_eq!(k("UNIVERSITE PARIS VII"), k("UNIVERSITE PARIS 7"));
        // Abbreviations of institutions' names only.
        assert_eq!(
            k("CENTRE HOSPITALIER UNIVERSITAIRE DE CLERMONT-FD"),
            k("CENTRE HOSPITALIER UNIVERSITAIRE DE CLERMONT-FERRAND")
        );
        assert_eq!(k("FD MEDICAL SYSTEMS"), "FD MED SYS");
        assert_eq!(k("UNIVERSITE DE PARIS SUD XI"), "UNIV PARIS SUD 11");
        assert_ne!(k("UNIVERSITE PARIS 7"), k("UNIVERSITE PARIS 11"));
        // A state's formula keeps the department.
        assert_eq!(
            k("THE UNITED STATES OF AMERICA, AS REPRESENTED BY THE SECRETARY OF THE NAVY"),
            "US NAVY"
        );
        assert_eq!(
            k("The United States of America as represented by the Secretary of Agriculture"),
            k("UNITED STATES DEPARTMENT OF AGRICULTURE")
        );
        assert_eq!(
            k("JAPAN AS REPRESENTED BY THE DIRECTOR GENERAL OF NAT INST OF INFECTIOUS DISEASES"),
            k("JP NAT INST OF INFECTIOUS DISEASES")
        );
        // CJK legal forms of public bodies.
        assert_eq!(k("国立大学法人東京大学"), k("東京大学"));
    }

    #[test]
    fn explain_names_the_institution_steps() {
        let (n, steps) = NameRules::builtin().trace("L'UNIVERSITE MONTPELLIER II");
        assert_eq!(n.key, "UNIV MONTPELLIER 2");
        let what: Vec<&str> = steps.iter().map(|s| s.what).collect();
        assert!(
            what.iter().any(|w| w.starts_with("elided articles")),
            "{what:?}"
        );
        assert!(
            what.iter().any(|w| w.starts_with("institution:")),
            "{what:?}"
        );
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
