//! The knowledge base of policies, organisation modes and cases (Q1–Q3).
//!
//! The report's qualitative half — economy profiles (Tables 1–3), the trends
//! of §1, the dynamics of §2, the organisation modes and mechanisms of §4 and
//! the dated cases that illustrate them — is data, not code: TOML files under
//! `data/kb/` (compiled in as the built-in base) plus any directory a user
//! adds. This module parses those files from text, merges them (a user entry
//! with a built-in id replaces it), validates every reference (sections,
//! vocabularies, concepts, economies against the registry, dates) and builds
//! a search index that works for Chinese as well as English ([`search`]).
//!
//! Nothing here touches the file system: callers hand in `(file name, text)`
//! pairs, so errors name the file the user knows.

pub mod search;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::economy::Registry;
use crate::text::{Lang, Text};

/// The built-in base: every file under `data/kb/`, by its path there.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "vocabulary.toml",
        include_str!("../../../../data/kb/vocabulary.toml"),
    ),
    (
        "concepts.toml",
        include_str!("../../../../data/kb/concepts.toml"),
    ),
    (
        "profiles/usa.toml",
        include_str!("../../../../data/kb/profiles/usa.toml"),
    ),
    (
        "profiles/gbr.toml",
        include_str!("../../../../data/kb/profiles/gbr.toml"),
    ),
    (
        "profiles/deu.toml",
        include_str!("../../../../data/kb/profiles/deu.toml"),
    ),
    (
        "profiles/fra.toml",
        include_str!("../../../../data/kb/profiles/fra.toml"),
    ),
    (
        "profiles/jpn.toml",
        include_str!("../../../../data/kb/profiles/jpn.toml"),
    ),
    (
        "profiles/kor.toml",
        include_str!("../../../../data/kb/profiles/kor.toml"),
    ),
    (
        "profiles/chn.toml",
        include_str!("../../../../data/kb/profiles/chn.toml"),
    ),
    (
        "profiles/euu.toml",
        include_str!("../../../../data/kb/profiles/euu.toml"),
    ),
    (
        "cases/s1-trends.toml",
        include_str!("../../../../data/kb/cases/s1-trends.toml"),
    ),
    (
        "cases/s2-dynamics.toml",
        include_str!("../../../../data/kb/cases/s2-dynamics.toml"),
    ),
    (
        "cases/s4-modes.toml",
        include_str!("../../../../data/kb/cases/s4-modes.toml"),
    ),
];

/// An entry of a controlled vocabulary (sections, actor types, fields).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: String,
    pub en: String,
    pub zh: String,
}

impl Term {
    pub fn text(&self) -> Text {
        Text::new(self.en.clone(), self.zh.clone())
    }
}

/// What a concept is.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ConceptKind {
    /// §1: a trend of industrial innovation.
    Trend,
    /// §2: a dynamic of national ecosystems.
    Dynamic,
    /// §2.2: a way economies reshape their ecosystems.
    Pattern,
    /// §4.1: one of the three types of organisation by industry authorities.
    AuthorityType,
    /// §4.1: one of the six organisation modes of industry authorities.
    AuthorityMode,
    /// §4.2: one of the three enterprise collaboration modes.
    EnterpriseMode,
    /// §4.3: a new intermediary.
    Intermediary,
    /// §4.4: an operating mechanism.
    Mechanism,
}

impl ConceptKind {
    pub const ALL: [ConceptKind; 8] = [
        ConceptKind::Trend,
        ConceptKind::Dynamic,
        ConceptKind::Pattern,
        ConceptKind::AuthorityType,
        ConceptKind::AuthorityMode,
        ConceptKind::EnterpriseMode,
        ConceptKind::Intermediary,
        ConceptKind::Mechanism,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ConceptKind::Trend => "trend",
            ConceptKind::Dynamic => "dynamic",
            ConceptKind::Pattern => "pattern",
            ConceptKind::AuthorityType => "authority-type",
            ConceptKind::AuthorityMode => "authority-mode",
            ConceptKind::EnterpriseMode => "enterprise-mode",
            ConceptKind::Intermediary => "intermediary",
            ConceptKind::Mechanism => "mechanism",
        }
    }

    pub fn label(self) -> Text {
        match self {
            ConceptKind::Trend => Text::new("trend", "趋势"),
            ConceptKind::Dynamic => Text::new("dynamic", "新动态"),
            ConceptKind::Pattern => Text::new("reshaping pattern", "界变模式"),
            ConceptKind::AuthorityType => Text::new("type of organisation", "组织方式类型"),
            ConceptKind::AuthorityMode => Text::new(
                "organisation mode of industry authorities",
                "产业主管部门组织方式",
            ),
            ConceptKind::EnterpriseMode => {
                Text::new("enterprise collaboration mode", "企业协同模式")
            }
            ConceptKind::Intermediary => Text::new("new intermediary", "新型中间组织"),
            ConceptKind::Mechanism => Text::new("operating mechanism", "生态运行机制"),
        }
    }
}

/// A trend, dynamic, pattern, organisation mode, intermediary or mechanism.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: String,
    pub kind: ConceptKind,
    /// Order within its kind, as the report numbers them.
    pub number: u32,
    /// The authority type of an authority mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub section: String,
    pub name: Text,
    pub summary: Text,
}

/// Where an economy profile comes from.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// One of the report's Tables 1–3.
    Table,
    /// Assembled from the report's text.
    Text,
}

/// Policy tools by type (supply side, demand side, environment side).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tools {
    #[serde(default)]
    pub supply: Vec<Text>,
    #[serde(default)]
    pub demand: Vec<Text>,
    #[serde(default)]
    pub environment: Vec<Text>,
}

/// An economy's innovation-ecosystem profile (Q1).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    /// Registry code (`USA`, `EUU`).
    pub economy: String,
    pub section: String,
    /// The report's table number, for profiles taken from a table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
    pub basis: Basis,
    /// The reshaping pattern (§2.2) the economy follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default)]
    pub features: Vec<Text>,
    #[serde(default)]
    pub stages: Vec<Text>,
    #[serde(default)]
    pub problems: Vec<Text>,
    #[serde(default)]
    pub tools: Tools,
}

/// The aspects of a profile, in the report's column order.
pub const ASPECTS: [&str; 6] = [
    "features",
    "stages",
    "problems",
    "supply",
    "demand",
    "environment",
];

impl Profile {
    /// Items of one aspect (see [`ASPECTS`]).
    pub fn aspect(&self, aspect: &str) -> &[Text] {
        match aspect {
            "features" => &self.features,
            "stages" => &self.stages,
            "problems" => &self.problems,
            "supply" => &self.tools.supply,
            "demand" => &self.tools.demand,
            "environment" => &self.tools.environment,
            _ => &[],
        }
    }

    pub fn aspect_label(aspect: &str) -> Text {
        match aspect {
            "features" => Text::new("Basic features", "基本特征"),
            "stages" => Text::new("Development stages", "主要阶段"),
            "problems" => Text::new("Current problems", "当前问题"),
            "supply" => Text::new("Policy tools: supply side", "主要政策工具：供给面"),
            "demand" => Text::new("Policy tools: demand side", "主要政策工具：需求面"),
            "environment" => Text::new("Policy tools: environment side", "主要政策工具：环境面"),
            other => Text::same(other),
        }
    }
}

/// Where a case's date comes from.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DateFrom {
    /// Printed in the report.
    #[default]
    Report,
    /// Not printed in the report; taken from the public record.
    Public,
}

impl DateFrom {
    fn is_report(&self) -> bool {
        *self == DateFrom::Report
    }
}

/// A date of year, month or day precision (`2021`, `2021-04`, `2021-10-04`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KbDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Days of month `m` (1–12) of year `y` in the Gregorian calendar.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl KbDate {
    pub fn parse(s: &str) -> Result<KbDate, String> {
        let bad = || format!("`{s}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        if !(1800..=2100).contains(&year) {
            return Err(format!("`{s}`: year outside 1800–2100"));
        }
        let num = |p: &str| -> Result<u8, String> {
            if p.len() != 2 {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let month = parts.get(1).map(|p| num(p)).transpose()?;
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!("`{s}`: month {m} does not exist"));
        }
        let day = parts.get(2).map(|p| num(p)).transpose()?;
        if let (Some(m), Some(d)) = (month, day)
            && (d == 0 || u32::from(d) > days_in_month(year, m.into()))
        {
            return Err(format!("`{s}`: day {d} does not exist"));
        }
        Ok(KbDate { year, month, day })
    }
}

impl fmt::Display for KbDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// A dated case or policy event (Q3), or a case of an organisation mode (Q2).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; absent when neither the report nor
    /// the public record dates the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "DateFrom::is_report")]
    pub date_from: DateFrom,
    /// Registry codes.
    pub economies: Vec<String>,
    pub actor_types: Vec<String>,
    #[serde(default)]
    pub actors: Vec<Text>,
    pub fields: Vec<String>,
    /// Concept ids (trends, dynamics, modes…) the case illustrates.
    pub illustrates: Vec<String>,
    pub section: String,
    pub title: Text,
    pub summary: Text,
    /// Where the case is documented. A built-in case without sources
    /// comes from the report ([`Kb::sources_of`] cites it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<CaseSource>,
}

/// A document a case rests on: its citation, its link and its date (of the
/// document, or of access for a web page).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CaseSource {
    /// Publisher and title, as one cites them.
    pub title: String,
    /// `https://…` (or `http://…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl CaseSource {
    /// "title (date), url" as a reference list prints it.
    pub fn cite(&self) -> String {
        let mut s = self.title.clone();
        if let Some(d) = &self.date {
            s.push_str(&format!(" ({d})"));
        }
        if let Some(u) = &self.url {
            s.push_str(&format!(", {u}"));
        }
        s
    }
}

/// The report the built-in cases come from, cited at a section, in both
/// languages; short, as it stands on every row of a case table (the table's
/// source line and the colophon cite the report in full, with its address).
pub fn report_citation(section: &str) -> Text {
    Text::new(
        format!("CAICT 2021 report, §{section}"),
        format!("信通院2021年报告第{section}节"),
    )
}

impl Case {
    /// The parsed date (validated by [`Kb::build`]).
    pub fn date(&self) -> Option<KbDate> {
        self.date.as_deref().and_then(|d| KbDate::parse(d).ok())
    }
}

/// One file of the base: any of the lists, or a profile.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    #[serde(default)]
    section: Vec<Term>,
    #[serde(default)]
    actor_type: Vec<Term>,
    #[serde(default)]
    field: Vec<Term>,
    #[serde(default)]
    concept: Vec<Concept>,
    #[serde(default)]
    case: Vec<Case>,
}

/// A problem in a knowledge-base file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbError {
    pub file: String,
    /// Entry id, when the problem is in one entry.
    pub entry: Option<String>,
    /// Field, when the problem is in one field.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(e) = &self.entry {
            write!(f, ": entry `{e}`")?;
        }
        if let Some(fl) = &self.field {
            write!(f, ": field `{fl}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All the problems found, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbErrors(pub Vec<KbError>);

impl fmt::Display for KbErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KbErrors {}

/// Which file an entry came from, and whether it replaced a built-in one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    pub builtin: bool,
    pub replaced_builtin: bool,
}

/// A validated knowledge base.
#[derive(Clone, Debug, Default)]
pub struct Kb {
    pub sections: Vec<Term>,
    pub actor_types: Vec<Term>,
    pub fields: Vec<Term>,
    pub concepts: Vec<Concept>,
    pub profiles: Vec<Profile>,
    pub cases: Vec<Case>,
    origins: BTreeMap<String, Origin>,
}

/// An entry of any kind, for listing and showing.
#[derive(Clone, Copy, Debug)]
pub enum Entry<'a> {
    Concept(&'a Concept),
    Profile(&'a Profile),
    Case(&'a Case),
}

impl<'a> Entry<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Entry::Concept(c) => &c.id,
            Entry::Profile(p) => &p.id,
            Entry::Case(c) => &c.id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Entry::Concept(c) => c.kind.id(),
            Entry::Profile(_) => "profile",
            Entry::Case(_) => "case",
        }
    }
}

/// A source of entries: its files, in order, and whether it is the built-in base.
pub struct Source<'a> {
    pub files: &'a [(String, String)],
    pub builtin: bool,
}

impl Kb {
    /// The built-in base alone.
    pub fn builtin(registry: &Registry) -> Result<Kb, KbErrors> {
        let files: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, t)| (format!("data/kb/{n}"), t.to_string()))
            .collect();
        Kb::build(
            &[Source {
                files: &files,
                builtin: true,
            }],
            registry,
        )
    }

    /// Parse, merge and validate sources in order: an entry whose id a
    /// later source repeats is replaced by it (users override built-in
    /// entries); the same id twice within one source is an error.
    pub fn build(sources: &[Source<'_>], registry: &Registry) -> Result<Kb, KbErrors> {
        let mut errors = Vec::new();
        let mut kb = Kb::default();
        for source in sources {
            let mut seen: BTreeMap<String, String> = BTreeMap::new();
            for (file, text) in source.files {
                let parsed = match parse_file(file, text) {
                    Ok(p) => p,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                let mut claim = |kind: &str, id: &str, errors: &mut Vec<KbError>| -> bool {
                    let key = format!("{kind}:{id}");
                    if let Some(first) = seen.get(&key) {
                        errors.push(KbError {
                            file: file.clone(),
                            entry: Some(id.to_string()),
                            field: Some("id".into()),
                            message: format!("id already used in {first}"),
                        });
                        return false;
                    }
                    seen.insert(key, file.clone());
                    true
                };
                match parsed {
                    Parsed::Profile(p) => {
                        if claim("entry", &p.id, &mut errors) {
                            kb.put_entry(file, source.builtin, p.id.clone());
                            upsert(&mut kb.profiles, *p, |x| &x.id);
                        }
                    }
                    Parsed::Lists(l) => {
                        for (list, kind) in [
                            (l.section, "section"),
                            (l.actor_type, "actor_type"),
                            (l.field, "field"),
                        ] {
                            for t in list {
                                if claim(kind, &t.id, &mut errors) {
                                    let target = match kind {
                                        "section" => &mut kb.sections,
                                        "actor_type" => &mut kb.actor_types,
                                        _ => &mut kb.fields,
                                    };
                                    upsert(target, t, |x| &x.id);
                                }
                            }
                        }
                        for c in l.concept {
                            if claim("entry", &c.id, &mut errors) {
                                kb.put_entry(file, source.builtin, c.id.clone());
                                upsert(&mut kb.concepts, c, |x| &x.id);
                            }
                        }
                        for c in l.case {
                            if claim("entry", &c.id, &mut errors) {
                                kb.put_entry(file, source.builtin, c.id.clone());
                                upsert(&mut kb.cases, c, |x| &x.id);
                            }
                        }
                    }
                }
            }
        }
        // A concept, profile and case may not share an id (ids are global).
        let mut kinds: BTreeMap<&str, &str> = BTreeMap::new();
        for (id, kind) in kb
            .concepts
            .iter()
            .map(|c| (c.id.as_str(), "concept"))
            .chain(kb.profiles.iter().map(|p| (p.id.as_str(), "profile")))
            .chain(kb.cases.iter().map(|c| (c.id.as_str(), "case")))
        {
            if let Some(other) = kinds.insert(id, kind) {
                errors.push(kb.err(id, "id", format!("also the id of a {other}")));
            }
        }
        kb.validate(registry, &mut errors);
        if errors.is_empty() {
            kb.sort();
            Ok(kb)
        } else {
            Err(KbErrors(errors))
        }
    }

    fn put_entry(&mut self, file: &str, builtin: bool, id: String) {
        let replaced = self.origins.get(&id).is_some_and(|o| o.builtin) && !builtin;
        self.origins.insert(
            id,
            Origin {
                file: file.to_string(),
                builtin,
                replaced_builtin: replaced,
            },
        );
    }

    /// The file an entry came from.
    pub fn origin(&self, id: &str) -> Option<&Origin> {
        self.origins.get(id)
    }

    /// What a case rests on, as cited: its own sources (quoted as given,
    /// in either language), else, for a built-in case, the report at the
    /// case's section; `None` for a user's case without sources (`kb check`
    /// lists them).
    pub fn sources_of(&self, case: &Case) -> Option<Text> {
        if !case.sources.is_empty() {
            let cited: Vec<String> = case.sources.iter().map(CaseSource::cite).collect();
            return Some(Text::same(cited.join("; ")));
        }
        match self.origin(&case.id) {
            Some(o) if o.builtin && !o.replaced_builtin => Some(report_citation(&case.section)),
            _ => None,
        }
    }

    fn err(&self, id: &str, field: &str, message: String) -> KbError {
        KbError {
            file: self
                .origins
                .get(id)
                .map(|o| o.file.clone())
                .unwrap_or_else(|| "<knowledge base>".into()),
            entry: Some(id.to_string()),
            field: Some(field.to_string()),
            message,
        }
    }

    fn validate(&self, registry: &Registry, errors: &mut Vec<KbError>) {
        let sections: BTreeSet<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
        let actor_types: BTreeSet<&str> = self.actor_types.iter().map(|s| s.id.as_str()).collect();
        let fields: BTreeSet<&str> = self.fields.iter().map(|s| s.id.as_str()).collect();
        let concepts: BTreeMap<&str, &Concept> =
            self.concepts.iter().map(|c| (c.id.as_str(), c)).collect();
        let check_id = |id: &str, errors: &mut Vec<KbError>| {
            let ok = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                errors.push(self.err(
                    id,
                    "id",
                    "ids are lower-case ASCII letters, digits and `-`".into(),
                ));
            }
        };
        let check_text = |id: &str, field: &str, t: &Text, errors: &mut Vec<KbError>| {
            if t.en.trim().is_empty() || t.zh.trim().is_empty() {
                errors.push(self.err(id, field, "needs both `en` and `zh` text".into()));
            }
        };
        let check_section = |id: &str, s: &str, errors: &mut Vec<KbError>| {
            if !sections.contains(s) {
                errors.push(self.err(
                    id,
                    "section",
                    format!("`{s}` is not a section of the vocabulary"),
                ));
            }
        };
        let check_economy = |id: &str, field: &str, code: &str, errors: &mut Vec<KbError>| {
            if registry.by_code(code).is_none() {
                let hint = registry
                    .resolve(None, code)
                    .map(|e| format!(" (did you mean `{}`?)", e.code))
                    .unwrap_or_default();
                errors.push(self.err(
                    id,
                    field,
                    format!("`{code}` is not an economy code of the registry{hint}"),
                ));
            }
        };
        for c in &self.concepts {
            check_id(&c.id, errors);
            check_section(&c.id, &c.section, errors);
            check_text(&c.id, "name", &c.name, errors);
            check_text(&c.id, "summary", &c.summary, errors);
            match (&c.parent, c.kind) {
                (Some(p), ConceptKind::AuthorityMode) => match concepts.get(p.as_str()) {
                    Some(parent) if parent.kind == ConceptKind::AuthorityType => {}
                    Some(_) => errors.push(self.err(
                        &c.id,
                        "parent",
                        format!("`{p}` is not an authority-type concept"),
                    )),
                    None => {
                        errors.push(self.err(&c.id, "parent", format!("`{p}` is not a concept")))
                    }
                },
                (None, ConceptKind::AuthorityMode) => errors.push(self.err(
                    &c.id,
                    "parent",
                    "an authority mode needs its authority type".into(),
                )),
                (Some(_), _) => errors.push(self.err(
                    &c.id,
                    "parent",
                    "only authority modes have a parent".into(),
                )),
                (None, _) => {}
            }
        }
        for p in &self.profiles {
            check_id(&p.id, errors);
            check_section(&p.id, &p.section, errors);
            check_economy(&p.id, "economy", &p.economy, errors);
            if p.basis == Basis::Table && p.table.is_none() {
                errors.push(self.err(
                    &p.id,
                    "table",
                    "a profile taken from a table needs the table number".into(),
                ));
            }
            if let Some(pat) = &p.pattern {
                match concepts.get(pat.as_str()) {
                    Some(c) if c.kind == ConceptKind::Pattern => {}
                    _ => errors.push(self.err(
                        &p.id,
                        "pattern",
                        format!("`{pat}` is not a pattern concept"),
                    )),
                }
            }
            for a in ASPECTS {
                for t in p.aspect(a) {
                    check_text(&p.id, a, t, errors);
                }
            }
            if ASPECTS.iter().all(|a| p.aspect(a).is_empty()) {
                errors.push(self.err(&p.id, "features", "the profile is empty".into()));
            }
        }
        for c in &self.cases {
            check_id(&c.id, errors);
            check_section(&c.id, &c.section, errors);
            check_text(&c.id, "title", &c.title, errors);
            check_text(&c.id, "summary", &c.summary, errors);
            for a in &c.actors {
                check_text(&c.id, "actors", a, errors);
            }
            if let Some(d) = &c.date
                && let Err(m) = KbDate::parse(d)
            {
                errors.push(self.err(&c.id, "date", m));
            }
            if c.date.is_none() && c.date_from == DateFrom::Public {
                errors.push(self.err(&c.id, "date_from", "`date_from` without a `date`".into()));
            }
            for src in &c.sources {
                if src.title.trim().is_empty() {
                    errors.push(self.err(&c.id, "sources", "a source without a title".into()));
                }
                if let Some(u) = &src.url
                    && (!(u.starts_with("https://") || u.starts_with("http://"))
                        || u.contains(char::is_whitespace))
                {
                    errors.push(self.err(
                        &c.id,
                        "sources",
                        format!("`{u}` is not a web address (https://…)"),
                    ));
                }
                if let Some(d) = &src.date
                    && let Err(m) = KbDate::parse(d)
                {
                    errors.push(self.err(&c.id, "sources", m));
                }
            }
            if c.economies.is_empty() {
                errors.push(self.err(&c.id, "economies", "no economy".into()));
            }
            for e in &c.economies {
                check_economy(&c.id, "economies", e, errors);
            }
            for a in &c.actor_types {
                if !actor_types.contains(a.as_str()) {
                    errors.push(self.err(
                        &c.id,
                        "actor_types",
                        format!("`{a}` is not an actor type of the vocabulary"),
                    ));
                }
            }
            if c.fields.is_empty() {
                errors.push(self.err(&c.id, "fields", "no field".into()));
            }
            for f in &c.fields {
                if !fields.contains(f.as_str()) {
                    errors.push(self.err(
                        &c.id,
                        "fields",
                        format!("`{f}` is not a field of the vocabulary"),
                    ));
                }
            }
            if c.illustrates.is_empty() {
                errors.push(self.err(
                    &c.id,
                    "illustrates",
                    "a case illustrates at least one concept".into(),
                ));
            }
            for i in &c.illustrates {
                if !concepts.contains_key(i.as_str()) {
                    errors.push(self.err(
                        &c.id,
                        "illustrates",
                        format!("`{i}` is not a concept id"),
                    ));
                }
            }
        }
    }

    fn sort(&mut self) {
        self.concepts
            .sort_by(|a, b| (a.kind, a.number, &a.id).cmp(&(b.kind, b.number, &b.id)));
        // By table number; within a table (and for text-based profiles) in
        // file order, which follows the report's (United States before the UK).
        self.profiles.sort_by_key(|p| p.table.unwrap_or(u32::MAX));
        // Cases by section, then date (undated last within a section), then id.
        self.cases.sort_by(|a, b| {
            (section_key(&a.section), a.date().is_none(), a.date(), &a.id).cmp(&(
                section_key(&b.section),
                b.date().is_none(),
                b.date(),
                &b.id,
            ))
        });
    }

    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Term> {
        self.sections.iter().find(|c| c.id == id)
    }

    /// Any entry by id.
    pub fn get(&self, id: &str) -> Option<Entry<'_>> {
        self.concepts
            .iter()
            .find(|c| c.id == id)
            .map(Entry::Concept)
            .or_else(|| {
                self.profiles
                    .iter()
                    .find(|p| p.id == id)
                    .map(Entry::Profile)
            })
            .or_else(|| self.cases.iter().find(|c| c.id == id).map(Entry::Case))
    }

    /// Every entry, concepts first, then profiles, then cases.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.concepts
            .iter()
            .map(Entry::Concept)
            .chain(self.profiles.iter().map(Entry::Profile))
            .chain(self.cases.iter().map(Entry::Case))
    }

    /// Cases illustrating a concept.
    pub fn cases_of<'a>(&'a self, concept: &'a str) -> impl Iterator<Item = &'a Case> + 'a {
        self.cases
            .iter()
            .filter(move |c| c.illustrates.iter().any(|i| i == concept))
    }

    /// Name of a vocabulary term (field or actor type) in a language.
    pub fn term_name(&self, list: &[Term], id: &str, lang: Lang) -> String {
        list.iter()
            .find(|t| t.id == id)
            .map(|t| t.text().get(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// Entries counted by kind, for summaries.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for e in self.entries() {
            *m.entry(e.kind()).or_default() += 1;
        }
        m
    }
}

/// A selection of cases by economy, field, actor type, mode and year — the
/// one definition behind `analyze Q3` and `kb list|search`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Registry codes; a case passes when it involves any of them.
    pub economies: Option<Vec<String>>,
    pub field: Option<String>,
    pub actor_type: Option<String>,
    /// A concept id the case illustrates, or a concept kind (`trend`).
    pub mode: Option<String>,
    /// Dated from this year (undated cases fail a year range).
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl CaseFilter {
    /// Whether no criterion is set.
    pub fn is_empty(&self) -> bool {
        *self == CaseFilter::default()
    }

    /// Check the ids against the base's vocabularies: `Err((parameter, message))`.
    pub fn check(&self, kb: &Kb) -> Result<(), (&'static str, String)> {
        let ids = |l: &[Term]| {
            l.iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(f) = &self.field
            && !kb.fields.iter().any(|t| &t.id == f)
        {
            return Err((
                "field",
                format!("`{f}` is unknown; known: {}", ids(&kb.fields)),
            ));
        }
        if let Some(a) = &self.actor_type
            && !kb.actor_types.iter().any(|t| &t.id == a)
        {
            return Err((
                "actor-type",
                format!("`{a}` is unknown; known: {}", ids(&kb.actor_types)),
            ));
        }
        if let Some(m) = &self.mode
            && kb.concept(m).is_none()
            && !ConceptKind::ALL.iter().any(|k| k.id() == m)
        {
            return Err((
                "mode",
                format!(
                    "`{m}` is neither a concept id nor a kind ({})",
                    ConceptKind::ALL.map(|k| k.id()).join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// Whether a concept id or kind matches the `mode` criterion.
    pub fn mode_matches(&self, kb: &Kb, concept: &str) -> bool {
        self.mode.as_ref().is_none_or(|m| {
            concept == m
                || kb
                    .concept(concept)
                    .is_some_and(|c| c.kind.id() == m.as_str())
        })
    }

    pub fn matches(&self, kb: &Kb, c: &Case) -> bool {
        self.economies
            .as_ref()
            .is_none_or(|w| c.economies.iter().any(|e| w.contains(e)))
            && self.field.as_ref().is_none_or(|f| c.fields.contains(f))
            && self
                .actor_type
                .as_ref()
                .is_none_or(|a| c.actor_types.contains(a))
            && (self.mode.is_none() || c.illustrates.iter().any(|i| self.mode_matches(kb, i)))
            && ((self.from.is_none() && self.to.is_none())
                || c.date().is_some_and(|d| {
                    self.from.is_none_or(|y| d.year >= y) && self.to.is_none_or(|y| d.year <= y)
                }))
    }
}

/// Sort key of a section id: `2.1.1` → [2, 1, 1].
pub fn section_key(s: &str) -> Vec<u32> {
    s.split('.')
        .map(|p| p.parse().unwrap_or(u32::MAX))
        .collect()
}

/// Which entries `kb list|search` shows: kind and section for every entry;
/// cases by the [`CaseFilter`]; profiles by economy; concepts by mode. A
/// profile or concept is left out when the filter has criteria only cases
/// can meet (field, actor type, years).
#[derive(Clone, Debug, Default)]
pub struct EntryFilter {
    pub kind: Option<String>,
    pub section: Option<String>,
    pub cases: CaseFilter,
}

impl EntryFilter {
    pub fn matches(&self, kb: &Kb, e: Entry<'_>) -> bool {
        if self.kind.as_ref().is_some_and(|k| e.kind() != k) {
            return false;
        }
        let section = match e {
            Entry::Concept(c) => &c.section,
            Entry::Profile(p) => &p.section,
            Entry::Case(c) => &c.section,
        };
        if self
            .section
            .as_ref()
            .is_some_and(|s| !in_section(section, s))
        {
            return false;
        }
        let cases = &self.cases;
        let only_economies_and_mode = || {
            CaseFilter {
                economies: None,
                mode: None,
                ..cases.clone()
            }
            .is_empty()
        };
        match e {
            Entry::Case(c) => cases.matches(kb, c),
            Entry::Profile(p) => {
                cases.mode.is_none()
                    && only_economies_and_mode()
                    && cases
                        .economies
                        .as_ref()
                        .is_none_or(|w| w.contains(&p.economy))
            }
            Entry::Concept(c) => {
                cases.economies.is_none()
                    && only_economies_and_mode()
                    && cases.mode_matches(kb, &c.id)
            }
        }
    }
}

/// Whether `section` is `prefix` or lies under it (`2.1.1` under `2.1` and `2`).
pub fn in_section(section: &str, prefix: &str) -> bool {
    section == prefix
        || section
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn upsert<T>(list: &mut Vec<T>, item: T, id: impl Fn(&T) -> &String) {
    match list.iter().position(|x| id(x) == id(&item)) {
        Some(i) => list[i] = item,
        None => list.push(item),
    }
}

enum Parsed {
    Profile(Box<Profile>),
    Lists(ListFile),
}

fn parse_file(file: &str, text: &str) -> Result<Parsed, KbError> {
    let syntax = |e: toml::de::Error| KbError {
        file: file.to_string(),
        entry: None,
        field: None,
        message: toml_message(text, &e),
    };
    // A profile is a file with a top-level `economy` key; anything else holds lists.
    let table: toml::Table = toml::from_str(text).map_err(syntax)?;
    if table.contains_key("economy") {
        toml::from_str::<Profile>(text)
            .map(|p| Parsed::Profile(Box::new(p)))
            .map_err(syntax)
    } else {
        toml::from_str::<ListFile>(text)
            .map(Parsed::Lists)
            .map_err(syntax)
    }
}

/// toml's message with the line number in front, on one line.
fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> &'static Registry {
        Registry::bundled()
    }

    fn build(files: &[(&str, &str)]) -> Result<Kb, KbErrors> {
        let base: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let user: Vec<(String, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Kb::build(
            &[
                Source {
                    files: &base,
                    builtin: true,
                },
                Source {
                    files: &user,
                    builtin: false,
                },
            ],
            reg(),
        )
    }

    #[test]
    fn builtin_base_validates() {
        let kb = Kb::builtin(reg()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.profiles.len(), 8);
        assert!(kb.cases.len() >= 70, "{} cases", kb.cases.len());
    }

    #[test]
    fn dates_are_checked() {
        assert!(KbDate::parse("2021-02-29").is_err());
        assert!(KbDate::parse("2020-02-29").is_ok());
        assert!(KbDate::parse("2021-13").is_err());
        assert!(KbDate::parse("21").is_err());
        assert_eq!(KbDate::parse("2021-04").unwrap().to_string(), "2021-04");
    }

    #[test]
    fn user_errors_name_file_entry_and_field() {
        let bad = r#"
[[case]]
id = "my-case"
date = "2021-02-30"
economies = ["Narnia"]
actor_types = ["wizards"]
fields = ["health"]
illustrates = ["no-such-mode"]
section = "9.9"
title = { en = "A", zh = "甲" }
summary = { en = "B", zh = "" }
"#;
        let e = build(&[("mine/cases.toml", bad)]).unwrap_err();
        let text = e.to_string();
        for needle in [
            "mine/cases.toml: entry `my-case`: field `date`: `2021-02-30`: day 30 does not exist",
            "field `economies`: `Narnia` is not an economy code",
            "field `actor_types`: `wizards` is not an actor type",
            "field `illustrates`: `no-such-mode` is not a concept id",
            "field `section`: `9.9` is not a section",
            "field `summary`: needs both `en` and `zh` text",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
    }

    #[test]
    fn cases_cite_their_sources_and_built_in_ones_the_report() {
        let case = |id: &str, sources: &str| {
            format!(
                r#"
[[case]]
id = "{id}"
date = "2023-09-21"
economies = ["EUU"]
actor_types = ["government"]
fields = ["cross-cutting"]
illustrates = ["dynamic-new-vehicles"]
section = "2.1.2"
title = {{ en = "A", zh = "甲" }}
summary = {{ en = "B", zh = "乙" }}
{sources}
"#
            )
        };
        let good = case(
            "mine-sourced",
            r#"sources = [{ title = "Official Journal of the EU, L 229", url = "https://eur-lex.europa.eu/eli/reg/2023/1781/oj", date = "2023-09-18" }]"#,
        );
        let kb = build(&[("mine.toml", &good), ("bare.toml", &case("mine-bare", ""))]).unwrap();
        let cite = |id: &str| {
            let Some(Entry::Case(c)) = kb.get(id) else {
                panic!("no case {id}")
            };
            kb.sources_of(c)
        };
        assert_eq!(
            cite("mine-sourced").unwrap().en,
            "Official Journal of the EU, L 229 (2023-09-18), https://eur-lex.europa.eu/eli/reg/2023/1781/oj"
        );
        // A user's case without sources has none; a built-in one cites the
        // report at its section, in each language.
        assert!(cite("mine-bare").is_none());
        let builtin = cite("konfer-platform").unwrap();
        assert_eq!(builtin.en, "CAICT 2021 report, §1.2");
        assert_eq!(builtin.zh, "信通院2021年报告第1.2节");
        // Bad sources are named.
        let bad = case(
            "mine-bad",
            r#"sources = [{ title = " ", url = "www.example.org", date = "2023-02-30" }]"#,
        );
        let e = build(&[("bad.toml", &bad)]).unwrap_err().to_string();
        for needle in [
            "field `sources`: a source without a title",
            "field `sources`: `www.example.org` is not a web address",
            "field `sources`: `2023-02-30`: day 30 does not exist",
        ] {
            assert!(e.contains(needle), "missing {needle:?} in\n{e}");
        }
    }

    #[test]
    fn syntax_and_unknown_fields_give_the_line() {
        let e = build(&[("x.toml", "[[case]]\nid = \"a\"\ncolour = \"red\"\n")]).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("x.toml: line 3: unknown field `colour`"),
            "{text}"
        );
        let e = build(&[("y.toml", "[[case]\n")]).unwrap_err();
        assert!(e.to_string().starts_with("y.toml: line 1:"), "{e}");
    }

    #[test]
    fn user_entries_replace_builtin_ones_and_duplicates_fail() {
        let mine = r#"
[[case]]
id = "uk-aria"
date = "2022-01"
economies = ["GBR"]
actor_types = ["government"]
fields = ["cross-cutting"]
illustrates = ["dynamic-new-vehicles"]
section = "2.1.2"
title = { en = "ARIA is established", zh = "ARIA正式成立" }
summary = { en = "Legislation passed.", zh = "立法通过。" }
"#;
        let kb = build(&[("mine.toml", mine)]).unwrap();
        let Some(Entry::Case(c)) = kb.get("uk-aria") else {
            panic!("no case")
        };
        assert_eq!(c.date.as_deref(), Some("2022-01"));
        assert!(kb.origin("uk-aria").unwrap().replaced_builtin);
        let n = Kb::builtin(reg()).unwrap().cases.len();
        assert_eq!(kb.cases.len(), n);
        let e = build(&[("a.toml", mine), ("b.toml", mine)]).unwrap_err();
        assert!(
            e.to_string()
                .contains("b.toml: entry `uk-aria`: field `id`: id already used in a.toml"),
            "{e}"
        );
    }

    #[test]
    fn case_filter_checks_ids_and_matches() {
        let kb = Kb::builtin(reg()).unwrap();
        let f = CaseFilter {
            economies: Some(vec!["KOR".into()]),
            field: Some("telecom".into()),
            mode: Some("authority-mode".into()),
            from: Some(2021),
            ..CaseFilter::default()
        };
        f.check(&kb).unwrap();
        let ids: Vec<&str> = kb
            .cases
            .iter()
            .filter(|c| f.matches(&kb, c))
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["kr-6g-5g-ppp"]);
        let bad = CaseFilter {
            mode: Some("nope".into()),
            ..CaseFilter::default()
        };
        assert_eq!(bad.check(&kb).unwrap_err().0, "mode");
        assert!(CaseFilter::default().is_empty());
    }

    #[test]
    fn sections_nest() {
        assert!(in_section("2.1.1", "2"));
        assert!(in_section("2.1.1", "2.1"));
        assert!(!in_section("2.10", "2.1"));
        assert!(in_section("4", "4"));
    }
}
