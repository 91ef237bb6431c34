//! The analysis registry: one table of every analysis, in the seed report's
//! order. Each entry ([`Analysis`]) says what the analysis is (id, names,
//! chapter), where the report places it and how it numbers its figures, which
//! parameters it reads with their defaults, how `report --year` moves them,
//! and the function that runs it. `analyze --list`, `analyze ID`, the report
//! plan, the API routes, the OpenAPI document and the dashboard's inputs are
//! all derived from [`ANALYSES`].
//!
//! Adding an analysis: write its function and its `const` entry in one file
//! under `analysis/`, and add one line to [`ANALYSES`].

use std::future::Future;
use std::pin::Pin;

use innoscope_core::{ResultTable, Text};
use serde::Serialize;

use super::param::{self, ParamDef, Words};
use super::{Params, c1, c2, c3, c4, c4m, c5, c6, f1, f2, f3, i1, i2, i3, i4, i5, k1, k2, k3, kb};
use crate::Engine;
use crate::error::{EngineError, Result};

/// The future an analysis returns.
pub type Tables<'a> = Pin<Box<dyn Future<Output = Result<Vec<ResultTable>>> + Send + 'a>>;

/// The function that runs an analysis.
pub type Run = for<'a> fn(&'a Engine, &'a Params) -> Tables<'a>;

/// Every analysis, in the seed report's order (§3.1 … §4). Adding one is one
/// line here.
pub const ANALYSES: &[&Analysis] = &[
    &c1::C1,
    &c2::C2,
    &c3::C3,
    &c4::C4,
    &c4m::C4M,
    &c5::C5,
    &c6::C6,
    &k1::K1,
    &k2::K2,
    &k3::K3,
    &f3::F3,
    &f1::F1,
    &f2::F2,
    &i1::I1,
    &i2::I2,
    &i3::I3,
    &i4::I4,
    &i5::I5,
    &kb::Q1,
    &kb::Q2,
    &kb::Q3,
];

/// One analysis.
pub struct Analysis {
    /// Id of `shared/spec/ANALYSES.md` (`C1`).
    pub id: &'static str,
    /// Name accepted in place of the id (`rd-growth`).
    pub name: &'static str,
    pub title: Words,
    /// Chapter tag (`competition`, `cooperation`, `openness`, `industry`, `institutions`).
    pub chapter: &'static str,
    /// The parameters it reads, with their defaults, in the order they are listed.
    pub params: &'static [Use],
    /// Parameters only this analysis has, declared here instead of in the
    /// shared schema ([`param::PARAMS`]); list them in `params` too, and read
    /// them with [`Params::own`].
    pub own: &'static [ParamDef],
    /// Parameters shared with a family (the counting conventions, `kb-dir`), listed after `params`.
    pub shared: &'static [Use],
    /// Where `innoscope report` places it (several places for the knowledge base).
    pub placements: &'static [Placement],
    /// The seed report's numbers for its tables, by table id.
    pub numbers: &'static [(&'static str, Numbering)],
    /// How `report --year Y` sets its parameters.
    pub year_shift: YearShift,
    /// The series (indicator codes) it reads by default, first choices and
    /// fallbacks alike: what `innoscope fetch` gets for it.
    pub series: &'static [&'static str],
    pub run: Run,
}

/// A parameter as one analysis reads it.
#[derive(Clone, Copy, Debug)]
pub struct Use {
    pub name: &'static str,
    pub default: DefaultValue,
    /// Help particular to this analysis; else the schema's.
    pub help: Option<Words>,
}

/// A parameter the analysis reads, with the schema's help.
pub const fn use_(name: &'static str, default: DefaultValue) -> Use {
    Use {
        name,
        default,
        help: None,
    }
}

/// A parameter with help particular to this analysis.
pub const fn use_h(name: &'static str, default: DefaultValue, help: Words) -> Use {
    Use {
        name,
        default,
        help: Some(help),
    }
}

/// `year` as "reference year", with this analysis' default.
pub const fn reference_year(default: DefaultValue) -> Use {
    use_h("year", default, param::w("reference year", "参考年份"))
}

/// `source` as "dataset to read", with how its default is found.
pub const fn dataset_to_read(default: DefaultValue) -> Use {
    use_h(
        "source",
        default,
        param::w("dataset to read", "读取的数据集"),
    )
}

/// `economies` as "explicit set", instead of the analysis' selection rule.
pub const EXPLICIT_SET: Use = use_h(
    "economies",
    DefaultValue::None,
    param::w("explicit set", "指定经济体"),
);

/// The default of a parameter in one analysis. Literal defaults are the same
/// constants the analysis' code reads; `Rule` describes a default computed
/// from the data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DefaultValue {
    /// Not set unless given (a filter, an override).
    None,
    Int(i64),
    Float(f64),
    Flag(bool),
    Text(&'static str),
    Ints(&'static [i64]),
    Floats(&'static [f64]),
    Texts(&'static [&'static str]),
    /// Computed from the data or from other parameters, as described.
    Rule(Words),
}

impl DefaultValue {
    /// The default as shown in `--list`, the API and OpenAPI.
    pub fn describe(&self, zh: bool) -> String {
        fn join<T: std::fmt::Display>(xs: &[T]) -> String {
            xs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        }
        match self {
            DefaultValue::None => String::new(),
            DefaultValue::Int(v) => v.to_string(),
            DefaultValue::Float(v) => v.to_string(),
            DefaultValue::Flag(v) => v.to_string(),
            DefaultValue::Text(v) => v.to_string(),
            DefaultValue::Ints(v) => join(v),
            DefaultValue::Floats(v) => join(v),
            DefaultValue::Texts(v) => join(v),
            DefaultValue::Rule(w) => (if zh { w.zh } else { w.en }).to_string(),
        }
    }
}

/// Where the report places an analysis.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    /// Knowledge-base section id of the part and chapter (`2.1`, `3.4`).
    pub section: &'static str,
    /// Unique anchor in the page.
    pub anchor: &'static str,
    /// Whether the analysis is run with `section` as its `section` parameter (Q2, Q3).
    pub by_section: bool,
}

/// A placement in a report section.
pub const fn at(section: &'static str, anchor: &'static str) -> Placement {
    Placement {
        section,
        anchor,
        by_section: false,
    }
}

/// A placement that runs the analysis on that section of the knowledge base.
pub const fn at_section(section: &'static str, anchor: &'static str) -> Placement {
    Placement {
        section,
        anchor,
        by_section: true,
    }
}

/// How `report --year Y` sets an analysis' parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearShift {
    /// Not re-dated (the knowledge base).
    Fixed,
    /// `year = Y`.
    Year,
    /// `year = Y`, `base-year = Y − back`.
    YearAndBase(i32),
    /// `years = first,Y`, `base-year = Y − back` (F1's crisis years).
    CrisisYears { first: i32, back: i32 },
}

impl YearShift {
    fn params(self, y: i32) -> Params {
        match self {
            YearShift::Fixed => Params::default(),
            YearShift::Year => Params {
                year: Some(y),
                ..Params::default()
            },
            YearShift::YearAndBase(back) => Params {
                year: Some(y),
                base_year: Some(y - back),
                ..Params::default()
            },
            YearShift::CrisisYears { first, back } => Params {
                years: Some(vec![first, y]),
                base_year: Some(y - back),
                ..Params::default()
            },
        }
    }
}

/// How the seed report numbers a figure or a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// 图 N / Figure N
    Figure(u32),
    /// 表 N / Table N
    Table(u32),
}

impl Analysis {
    /// The parameters it reads: its own, then the shared ones.
    pub fn uses(&self) -> impl Iterator<Item = &'static Use> {
        self.params.iter().chain(self.shared.iter())
    }

    /// A parameter's schema entry and its use here.
    pub fn params_with_defs(&self) -> impl Iterator<Item = (&'static ParamDef, &'static Use)> {
        let own = self.own;
        self.uses().map(move |u| {
            let d = own
                .iter()
                .find(|d| d.name == u.name)
                .or_else(|| param::param(u.name))
                .expect("registry names only parameters of the schema (a test checks)");
            (d, u)
        })
    }

    pub fn title(&self) -> Text {
        Text::new(self.title.en, self.title.zh)
    }
}

/// Find an analysis by id (`C1`) or name (`rd-growth`), case-insensitive.
pub fn get(id_or_name: &str) -> Option<&'static Analysis> {
    ANALYSES
        .iter()
        .copied()
        .find(|a| a.id.eq_ignore_ascii_case(id_or_name) || a.name.eq_ignore_ascii_case(id_or_name))
}

/// The known id or name closest to `s`, for "did you mean".
pub fn suggest(s: &str) -> Option<&'static str> {
    let s = s.to_ascii_lowercase();
    ANALYSES
        .iter()
        .flat_map(|a| [a.id, a.name])
        .map(|c| (edit_distance(&s, &c.to_ascii_lowercase()), c))
        // One slip in a short id (C11 → C1), a third of a longer name.
        .filter(|(d, c)| *d <= if c.len() <= 3 { 1 } else { c.len() / 3 })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// A parameter an analysis reads, for `--help`, `analyze --list` and the API.
#[derive(Clone, Debug, Serialize)]
pub struct ParamDoc {
    pub name: &'static str,
    pub default: String,
    /// The default in Chinese (a rule's wording; a value as it is).
    pub default_zh: String,
    pub help: &'static str,
    /// In Chinese.
    pub help_zh: &'static str,
    /// A short label for an input (the schema's help up to its first
    /// bracket, colon or comma: "Base year", "基期年份").
    pub label: String,
    pub label_zh: String,
    /// What the value must be (type, range or choices).
    pub kind: param::Kind,
    /// Shown as an input on the dashboard.
    pub primary: bool,
}

/// An analysis as the API lists it.
#[derive(Clone, Debug, Serialize)]
pub struct AnalysisSpec {
    pub id: &'static str,
    pub name: &'static str,
    pub title: Text,
    pub chapter: &'static str,
    pub params: Vec<ParamDoc>,
}

impl From<&Analysis> for AnalysisSpec {
    fn from(a: &Analysis) -> Self {
        AnalysisSpec {
            id: a.id,
            name: a.name,
            title: a.title(),
            chapter: a.chapter,
            params: a
                .params_with_defs()
                .map(|(d, u)| ParamDoc {
                    name: d.name,
                    default: u.default.describe(false),
                    default_zh: u.default.describe(true),
                    help: u.help.unwrap_or(d.help).en,
                    help_zh: u.help.unwrap_or(d.help).zh,
                    label: short_label(d.help.en),
                    label_zh: short_label(d.help.zh),
                    kind: d.kind,
                    primary: d.primary && d.kind != param::Kind::Path,
                })
                .collect(),
        }
    }
}

/// The first words of a help text, for a label.
fn short_label(help: &str) -> String {
    let end = help
        .find(['(', '（', ':', '：', ',', '，', ';', '；'])
        .unwrap_or(help.len());
    help[..end].trim().to_string()
}

/// The analyses available, in report order.
/// Every series some analysis reads by default, sorted, once each.
pub fn series_read() -> Vec<&'static str> {
    let set: std::collections::BTreeSet<&'static str> = ANALYSES
        .iter()
        .flat_map(|a| a.series.iter().copied())
        .collect();
    set.into_iter().collect()
}

pub fn list() -> Vec<AnalysisSpec> {
    ANALYSES.iter().map(|a| AnalysisSpec::from(*a)).collect()
}

/// Find an analysis by id or name.
pub fn find(id_or_name: &str) -> Option<AnalysisSpec> {
    get(id_or_name).map(AnalysisSpec::from)
}

/// Run one analysis: look it up, run it at the year its
/// [`super::YearRule`] picks, and check its tables.
pub async fn run(engine: &Engine, id_or_name: &str, params: &Params) -> Result<Vec<ResultTable>> {
    run_at_rule(engine, id_or_name, params)
        .await
        .map_err(|e| engine.memory().name_limit(e))
}

async fn run_at_rule(
    engine: &Engine,
    id_or_name: &str,
    params: &Params,
) -> Result<Vec<ResultTable>> {
    let rule = params.year_rule.unwrap_or_default();
    if rule == super::YearRule::Asked {
        return run_once(engine, id_or_name, params).await;
    }
    let mut p = params.clone();
    p.year_rule = None;
    let year = p.year.take();
    match rule {
        super::YearRule::Latest => {
            let newest = engine.latest_year();
            falling_back(engine, id_or_name, newest, &p, Fallback::Latest).await
        }
        _ => falling_back(engine, id_or_name, year, &p, Fallback::Asked).await,
    }
}

/// Run one analysis at the parameters as given.
async fn run_once(engine: &Engine, id_or_name: &str, params: &Params) -> Result<Vec<ResultTable>> {
    let a = get(id_or_name).ok_or_else(|| EngineError::UnknownAnalysis(id_or_name.to_string()))?;
    tracing::info!(analysis = a.id, ?params, "running analysis");
    let tables = (a.run)(engine, params).await?;
    for t in &tables {
        t.validate()
            .map_err(|m| EngineError::store("<analysis>", m))?;
    }
    tracing::info!(
        analysis = a.id,
        tables = tables.len(),
        rows = tables.iter().map(ResultTable::n_rows).sum::<usize>(),
        "analysis done"
    );
    Ok(tables)
}

/// One section of the report, in the seed report's order.
#[derive(Clone, Debug)]
pub struct ReportEntry {
    /// Analysis id.
    pub id: &'static str,
    /// Knowledge-base section id of the part and chapter this section sits in
    /// (`2.1`, `3.4`); its names come from the knowledge base's vocabulary.
    pub section: &'static str,
    /// Unique anchor of the section in the page.
    pub anchor: &'static str,
    /// Parameters fixed by the report layout (the section of Q2/Q3).
    pub params: Params,
    /// The seed report's numbers for this section's tables, by table id.
    pub numbers: &'static [(&'static str, Numbering)],
}

fn section_key(s: &str) -> Vec<u32> {
    s.split('.')
        .map(|p| p.parse().unwrap_or(u32::MAX))
        .collect()
}

/// The sections of `innoscope report`, in the seed report's order: every
/// placement of every analysis, by section number, analyses of one section
/// in registry order.
pub fn report_plan() -> Vec<ReportEntry> {
    let mut plan: Vec<ReportEntry> = ANALYSES
        .iter()
        .flat_map(|a| {
            a.placements.iter().map(move |p| ReportEntry {
                id: a.id,
                section: p.section,
                anchor: p.anchor,
                params: Params {
                    section: p.by_section.then(|| p.section.to_string()),
                    ..Params::default()
                },
                numbers: if p.by_section { &[] } else { a.numbers },
            })
        })
        .collect();
    plan.sort_by_key(|e| section_key(e.section));
    plan
}

/// Parameters of a report section when the user moves the reference year
/// (see [`YearShift`]).
/// Most years a fallback ([`YearRule::Fallback`](super::YearRule)) steps back from the year asked.
pub const MAX_FALLBACK: i32 = 10;

impl Analysis {
    /// The reference year it runs at when none is given (its `year`
    /// default, or the last of its `years`), if it has a fixed one.
    pub fn default_year(&self) -> Option<i32> {
        let year = self.uses().find(|u| u.name == "year").map(|u| u.default);
        let years = self.uses().find(|u| u.name == "years").map(|u| u.default);
        match (year, years) {
            (Some(DefaultValue::Int(y)), _) => i32::try_from(y).ok(),
            (_, Some(DefaultValue::Ints(v))) => v.last().and_then(|y| i32::try_from(*y).ok()),
            _ => None,
        }
    }
}

/// Whether an error says the data do not reach the year asked (so an
/// earlier year may work), rather than that something else is wrong.
fn wants_another_year(e: &EngineError) -> bool {
    match e {
        EngineError::MissingData { .. } => true,
        EngineError::BadParam { name, .. } => {
            matches!(name.as_str(), "year" | "base-year" | "years")
        }
        _ => false,
    }
}

/// What a fallback starts from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fallback {
    /// The year the user asked for (or the default year): a fallback says so.
    Asked,
    /// The newest year of any dataset: the year shown is simply the latest.
    Latest,
}

/// Run an analysis at `year` (its default year when `None`), and when the
/// data do not support that year — the run fails for want of data, or a
/// table's [`innoscope_core::Coverage`] says the year is not adequate —
/// step back one year at a time, at most [`MAX_FALLBACK`] years, to the
/// first year that works (`year-rule` `fallback` and `latest`, through
/// [`run`]). The tables of a fallback from an asked year record it and say
/// so in a note and in their coverage line. `params` holds the other
/// parameters; its year fields are replaced. When no year works, the error
/// (or the inadequate tables) of the year asked are returned.
async fn falling_back(
    engine: &Engine,
    id: &str,
    year: Option<i32>,
    params: &Params,
    from: Fallback,
) -> Result<Vec<ResultTable>> {
    let a = get(id).ok_or_else(|| EngineError::UnknownAnalysis(id.to_string()))?;
    let asked = match (year, a.default_year()) {
        (Some(y), _) | (None, Some(y)) if a.year_shift != YearShift::Fixed => y,
        _ => return run_once(engine, id, params).await,
    };
    let at = |y: i32| -> Params {
        if year.is_none() && y == asked {
            return params.clone();
        }
        let shifted = a.year_shift.params(y);
        let mut p = params.clone();
        p.year = shifted.year.or(p.year);
        p.base_year = shifted.base_year.or(p.base_year);
        p.years = shifted.years.or(p.years);
        p
    };
    let first = run_once(engine, id, &at(asked)).await;
    let inadequate = |ts: &[ResultTable]| {
        ts.iter()
            .any(|t| t.coverage.as_ref().is_some_and(|c| !c.adequate))
    };
    match &first {
        Ok(ts) if !inadequate(ts) => return first,
        Err(e) if !wants_another_year(e) => return first,
        _ => {}
    }
    for y in (asked - MAX_FALLBACK..asked).rev() {
        match run_once(engine, id, &at(y)).await {
            Ok(mut ts) if !inadequate(&ts) => {
                if from == Fallback::Asked {
                    for t in &mut ts {
                        super::coverage::mark_fallback(t, asked, y);
                    }
                }
                return Ok(ts);
            }
            Ok(_) => {}
            Err(e) if wants_another_year(&e) => {}
            Err(e) => return Err(e),
        }
    }
    first
}

pub fn report_params(id: &str, year: Option<i32>) -> Params {
    match (year, get(id)) {
        (Some(y), Some(a)) => a.year_shift.params(y),
        _ => Params::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_names_anchors_and_parameters_are_unique_and_known() {
        let mut seen = std::collections::BTreeSet::new();
        for a in ANALYSES {
            assert!(seen.insert(a.id.to_ascii_lowercase()), "{}", a.id);
            assert!(seen.insert(a.name.to_ascii_lowercase()), "{}", a.name);
            let mut names = std::collections::BTreeSet::new();
            for d in a.own {
                assert!(
                    param::param(d.name).is_none(),
                    "{} redeclares {}",
                    a.id,
                    d.name
                );
            }
            for u in a.uses() {
                let known =
                    param::param(u.name).is_some() || a.own.iter().any(|d| d.name == u.name);
                assert!(known, "{} {}", a.id, u.name);
                assert!(names.insert(u.name), "{} lists {} twice", a.id, u.name);
            }
        }
        let mut anchors = std::collections::BTreeSet::new();
        for e in report_plan() {
            assert!(anchors.insert(e.anchor), "{}", e.anchor);
        }
    }

    #[test]
    fn the_plan_follows_the_seed() {
        let plan: Vec<String> = report_plan()
            .iter()
            .map(|e| format!("{}:{}", e.id, e.section))
            .collect();
        assert_eq!(
            plan.join(" "),
            "Q3:1 Q3:2.1 Q1:2.2 Q3:2.3 C1:3.1 C2:3.1 C3:3.1 C4:3.1 C4M:3.1 C5:3.1 C6:3.1 \
             K1:3.2 K2:3.2 K3:3.2 F3:3.3 F1:3.3 F2:3.3 I1:3.4 I2:3.4 I3:3.4 I4:3.4 I5:3.4 \
             Q2:4.1 Q2:4.2 Q2:4.3 Q2:4.4"
        );
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(suggest("C11"), Some("C1"));
        assert_eq!(suggest("rd-grwoth"), Some("rd-growth"));
        assert_eq!(suggest("unicorn"), Some("unicorns"));
        assert_eq!(suggest("completely-else"), None);
        assert_eq!(suggest("Z9"), None);
    }
}
