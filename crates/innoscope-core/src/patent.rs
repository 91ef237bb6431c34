//! The canonical patent model: applications, persons, their roles on
//! applications, and classification symbols.
//!
//! Every patent source (PATSTAT, PatentsView, Lens, Espacenet, PATENTSCOPE,
//! Google Patents) is imported into these four tables, stored as Parquet:
//!
//! | table | one row per | columns |
//! | --- | --- | --- |
//! | `appln` | application | see `innoscope_engine::schema::appln` |
//! | `person` | person (applicant or inventor, as the source identifies them) | `schema::person` |
//! | `party` | person on an application in a role | `schema::party` |
//! | `class` | classification symbol of an application | `schema::class` |
//!
//! The model keeps persons apart from their roles (as PATSTAT does with
//! `tls206_person` and `tls207_pers_appln`) so that importing PATSTAT needs no
//! join: each bulk table streams into one canonical table. Sources that name
//! parties inline (the export formats) get one person per distinct
//! name-and-country within the dataset.
//!
//! Classification symbols are kept as given (`raw`) and in PATSTAT's fixed
//! layout (`symbol`): four-character subclass, main group right-aligned in
//! four characters, `/`, subgroup — `A61K  39/395`, `H01M   8/04`. Matching
//! prefixes against the fixed layout makes `H01M8/04`, `H01M 8/04` and
//! `H01M   8/04` one symbol ([`Symbol::parse`], [`SymbolPrefix::parse`]).

use std::fmt;

/// Role of a person on an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Applicant,
    Inventor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Inventor => "inventor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "applicant" | "applicants" => Some(Role::Applicant),
            "inventor" | "inventors" => Some(Role::Inventor),
            _ => None,
        }
    }
}

/// Classification scheme of a symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Scheme {
    #[serde(rename = "IPC")]
    Ipc,
    #[serde(rename = "CPC")]
    Cpc,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Ipc => "IPC",
            Scheme::Cpc => "CPC",
        }
    }
}

/// An application in the canonical model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Application {
    pub appln_id: i64,
    /// Filing authority: a two-letter office code, `WO` for PCT applications, `EP`.
    pub authority: String,
    /// Application number as the source writes it.
    pub number: Option<String>,
    pub kind: Option<String>,
    pub filing_year: Option<i32>,
    pub priority_year: Option<i32>,
    pub publication_year: Option<i32>,
    pub family_id: Option<i64>,
    /// Title, when the source has it (exports do; the workload tables do not).
    pub title: Option<String>,
}

impl Application {
    /// PCT (international) application: filed with WIPO as receiving authority.
    pub fn is_pct(&self) -> bool {
        self.authority == "WO"
    }
}

/// A person: applicant or inventor, as identified by the source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Person {
    pub person_id: i64,
    pub name: String,
    /// Two-letter country code, trimmed; `None` when unknown or junk
    /// (`--`, `..`, blank). `NA` (Namibia) is a code, never a missing value.
    pub country: Option<String>,
    /// Country code exactly as the source gave it, when it differs from `country`.
    pub country_raw: Option<String>,
    /// The source's own harmonised name (PATSTAT `psn_name`, else `han_name`,
    /// else `doc_std_name`), when the source has one.
    pub harmonised: Option<String>,
    /// Which field `harmonised` came from.
    pub harmonised_by: Option<String>,
    /// The source's sector (PATSTAT `psn_sector`: COMPANY, INDIVIDUAL, UNIVERSITY …).
    pub sector: Option<String>,
}

/// A person on an application in a role.
#[derive(Clone, Debug, PartialEq)]
pub struct Party {
    pub appln_id: i64,
    pub person_id: i64,
    pub role: Role,
    /// Position in the source's list (1-based).
    pub seq: i32,
}

/// A classification symbol of an application.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    pub appln_id: i64,
    pub scheme: Scheme,
    pub symbol: Symbol,
    /// The symbol as the source wrote it.
    pub raw: String,
}

/// Clean a country code as sources deliver it: trimmed, upper case, two
/// ASCII letters; anything else (blank, `--`, `..`, `XX`-like junk of other
/// lengths) is unknown. `NA` stays Namibia.
pub fn clean_country(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        Some(t.to_ascii_uppercase())
    } else {
        None
    }
}

/// A classification symbol (IPC or CPC) in PATSTAT's fixed layout.
///
/// `section` `A`, `class` `A61`, `subclass` `A61K`, `main group` `39`,
/// `subgroup` `395`. A symbol may stop at any level: a bare subclass `H04W`
/// is a valid symbol (some sources classify only that deep).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Symbol {
    fixed: String,
}

/// Why a symbol could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    #[error("empty classification symbol")]
    Empty,
    #[error("`{0}` is not an IPC/CPC symbol (expected e.g. `A61K 39/395` or `H04W`)")]
    Malformed(String),
}

fn is_section(b: u8) -> bool {
    b.is_ascii_uppercase()
}

/// The parts of a symbol or prefix: subclass text and optional main group and subgroup.
struct Parts<'a> {
    head: &'a str,
    main: Option<&'a str>,
    sub: Option<&'a str>,
}

fn split(raw: &str) -> Result<Parts<'_>, SymbolError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(SymbolError::Empty);
    }
    let bad = || SymbolError::Malformed(raw.to_string());
    let bytes = s.as_bytes();
    if !is_section(bytes[0]) {
        return Err(bad());
    }
    // Head: section [+ two-digit class [+ subclass letter]].
    let head_len = match bytes.len() {
        1 => 1,
        2 => return Err(bad()),
        _ => {
            if !(bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit()) {
                return Err(bad());
            }
            if bytes.len() == 3 {
                3
            } else if bytes[3].is_ascii_uppercase() {
                4
            } else {
                return Err(bad());
            }
        }
    };
    let head = &s[..head_len];
    let rest = s[head_len..].trim_start();
    if rest.is_empty() {
        return Ok(Parts {
            head,
            main: None,
            sub: None,
        });
    }
    if head_len < 4 {
        return Err(bad());
    }
    let (main, after) = match rest.find('/') {
        Some(i) => (rest[..i].trim_end(), Some(rest[i + 1..].trim())),
        None => (rest.trim_end(), None),
    };
    if main.is_empty() || main.len() > 4 || !main.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let sub = match after {
        Some("") => None,
        Some(g) if g.bytes().all(|b| b.is_ascii_digit()) => Some(g),
        Some(_) => return Err(bad()),
        None => None,
    };
    Ok(Parts {
        head,
        main: Some(main.trim_start_matches('0')).map(|m| if m.is_empty() { "0" } else { m }),
        sub,
    })
}

impl Symbol {
    /// Read a symbol in any of the usual spellings: `A61K  39/395` (PATSTAT),
    /// `A61K39/395`, `A61K 39/395`, `A61K0039395000`-style CPC with zero
    /// padding is not accepted; `H04W` (subclass only).
    pub fn parse(raw: &str) -> Result<Symbol, SymbolError> {
        let p = split(raw)?;
        let mut fixed = String::with_capacity(16);
        fixed.push_str(p.head);
        if let Some(main) = p.main {
            fixed.push_str(&format!("{main:>4}"));
            fixed.push('/');
            fixed.push_str(p.sub.unwrap_or("00"));
        }
        Ok(Symbol { fixed })
    }

    /// Wrap a symbol already in PATSTAT's fixed layout, as stored. No check
    /// beyond non-emptiness: PATSTAT's own values are kept as delivered.
    pub fn from_fixed(fixed: &str) -> Symbol {
        Symbol {
            fixed: fixed.to_string(),
        }
    }

    /// The fixed layout: `A61K  39/395`.
    pub fn fixed(&self) -> &str {
        &self.fixed
    }

    pub fn section(&self) -> &str {
        self.fixed.get(..1).unwrap_or("")
    }

    pub fn class(&self) -> &str {
        self.fixed.get(..3).unwrap_or("")
    }

    pub fn subclass(&self) -> &str {
        self.fixed.get(..4).unwrap_or("")
    }

    /// Main group number (`39`), when the symbol goes that deep.
    pub fn main_group(&self) -> Option<&str> {
        let rest = self.fixed.get(4..)?;
        let main = rest.split('/').next()?.trim();
        (!main.is_empty()).then_some(main)
    }

    /// Subgroup (`395`), when present.
    pub fn subgroup(&self) -> Option<&str> {
        self.fixed.split_once('/').map(|(_, s)| s.trim())
    }

    /// The compact spelling: `A61K 39/395`.
    pub fn display(&self) -> String {
        match (self.main_group(), self.subgroup()) {
            (Some(m), Some(s)) => format!("{} {m}/{s}", self.subclass()),
            _ => self.fixed.clone(),
        }
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fixed)
    }
}

/// Subclass, main group and subgroup of a symbol in the fixed layout,
/// without allocating (`A61K  39/395` → `A61K`, `39`, `395`).
pub fn symbol_parts(fixed: &str) -> (&str, Option<&str>, Option<&str>) {
    let subclass = fixed.get(..4).unwrap_or(fixed);
    let rest = fixed.get(4..).unwrap_or("");
    match rest.split_once('/') {
        Some((main, sub)) => {
            let main = main.trim();
            let sub = sub.trim();
            (
                subclass,
                (!main.is_empty()).then_some(main),
                (!sub.is_empty()).then_some(sub),
            )
        }
        None => {
            let main = rest.trim();
            (subclass, (!main.is_empty()).then_some(main), None)
        }
    }
}

/// Check that `raw` reads as a symbol, without building it.
pub fn check_symbol(raw: &str) -> Result<(), SymbolError> {
    split(raw).map(|_| ())
}

/// A symbol prefix at any level (section, class, subclass, main group,
/// subgroup), matched as a string prefix of the fixed layout.
///
/// `H01M`, `H01M 8`, `H01M8/`, `H01M   8/` all mean main group 8 of H01M
/// (and so match `H01M   8/04` but not `H01M  80/00`); `C12P 7/06` matches
/// `C12P   7/06` and `C12P   7/065` but not `C12P   7/64`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SymbolPrefix {
    fixed: String,
}

impl SymbolPrefix {
    pub fn parse(raw: &str) -> Result<SymbolPrefix, SymbolError> {
        let p = split(raw)?;
        let mut fixed = p.head.to_string();
        if let Some(main) = p.main {
            fixed.push_str(&format!("{main:>4}"));
            fixed.push('/');
            if let Some(sub) = p.sub {
                fixed.push_str(sub);
            }
        }
        Ok(SymbolPrefix { fixed })
    }

    /// The prefix in the fixed layout, for matching stored symbols with
    /// `starts_with`.
    pub fn fixed(&self) -> &str {
        &self.fixed
    }

    pub fn matches(&self, symbol: &Symbol) -> bool {
        symbol.fixed.starts_with(&self.fixed)
    }

    /// Display spelling: `H01M 8/`, `A61K`.
    pub fn display(&self) -> String {
        match self.fixed.get(4..) {
            Some(rest) if !rest.is_empty() => {
                format!("{} {}", &self.fixed[..4], rest.trim_start())
            }
            _ => self.fixed.clone(),
        }
    }
}

/// The four canonical tables, in a fixed order.
pub const TABLES: [&str; 4] = ["appln", "person", "party", "class"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_one_symbol() {
        let a = Symbol::parse("H01M8/04").unwrap();
        let b = Symbol::parse("H01M 8/04").unwrap();
        let c = Symbol::parse("H01M   8/04").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a.fixed(), "H01M   8/04");
        assert_eq!(a.display(), "H01M 8/04");
        assert_eq!(a.main_group(), Some("8"));
        assert_eq!(a.subgroup(), Some("04"));
        assert_eq!(
            Symbol::parse("A61K  39/395").unwrap().fixed(),
            "A61K  39/395"
        );
        assert_eq!(Symbol::parse("A61K39/395").unwrap().fixed(), "A61K  39/395");
        assert_eq!(Symbol::parse("G06F2203/04").unwrap().fixed(), "G06F2203/04");
        assert_eq!(Symbol::parse("H04W").unwrap().fixed(), "H04W");
        assert_eq!(Symbol::parse("H04W").unwrap().main_group(), None);
        assert_eq!(Symbol::parse("A21D 13").unwrap().fixed(), "A21D  13/00");
    }

    #[test]
    fn parts_without_allocation() {
        assert_eq!(
            symbol_parts("A61K  39/395"),
            ("A61K", Some("39"), Some("395"))
        );
        assert_eq!(symbol_parts("H04W"), ("H04W", None, None));
        assert!(check_symbol("A61K  39/395").is_ok() && check_symbol("A6").is_err());
    }

    #[test]
    fn malformed_symbols_are_errors() {
        for bad in [
            "",
            "  ",
            "h01m",
            "H0",
            "H1M8/04",
            "H01M8/0x",
            "H01M 12345/00",
            "1234",
        ] {
            assert!(Symbol::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn prefixes_match_at_every_level() {
        let sym = |s| Symbol::parse(s).unwrap();
        let pre = |s| SymbolPrefix::parse(s).unwrap();
        for p in [
            "H",
            "H01",
            "H01M",
            "H01M 8",
            "H01M8/",
            "H01M   8/",
            "H01M 8/04",
        ] {
            assert!(pre(p).matches(&sym("H01M8/04")), "{p}");
            assert!(pre(p).matches(&sym("H01M   8/04")), "{p}");
        }
        assert!(!pre("H01M 8").matches(&sym("H01M 80/00")));
        assert!(pre("C12P 7/06").matches(&sym("C12P 7/065")));
        assert!(!pre("C12P 7/06").matches(&sym("C12P 7/64")));
        assert_eq!(pre("H01M 8/").fixed(), "H01M   8/");
        assert_eq!(pre("C12P   7/06").fixed(), "C12P   7/06");
        assert_eq!(pre("H01M 8").display(), "H01M 8/");
    }

    #[test]
    fn country_codes() {
        assert_eq!(clean_country(" NA "), Some("NA".into()));
        assert_eq!(clean_country("us"), Some("US".into()));
        for junk in ["", "  ", "--", "..", "USA", "1A"] {
            assert_eq!(clean_country(junk), None, "{junk:?}");
        }
    }
}
