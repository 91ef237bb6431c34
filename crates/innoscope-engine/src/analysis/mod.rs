//! The analyses of the report, one function per analysis ID (see
//! `shared/spec/ANALYSES.md`). Each takes the [`crate::Engine`] and
//! [`Params`] and returns result tables; defaults reproduce the report's
//! choices, and every choice is a parameter. [`registry`] lists them all;
//! [`param`] is the schema of their parameters.

mod c1;
mod c2;
mod c3;
mod c4;
mod c4m;
mod c5;
mod c6;
mod common;
pub mod coverage;
mod f1;
mod f2;
mod f3;
mod i1;
mod i2;
mod i3;
mod i4;
mod i5;
mod k1;
mod k1_oecd;
mod k2;
mod k3;
mod kb;
mod microdata_ctx;
pub mod param;
mod prelude;
mod record_lists;
pub mod registry;
mod stats;

use serde::{Deserialize, Serialize};

pub use common::{EconomySet, PriceBasis};

pub use param::Origin;
pub use registry::{
    ANALYSES, Analysis, AnalysisSpec, Numbering, ParamDoc, ReportEntry, find, get, list,
    report_params, report_plan, run, suggest,
};

/// Parameters shared by the analyses. `None` means "the analysis default".
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Reference year.
    pub year: Option<i32>,
    /// Which year is shown when the data do not support the one asked.
    pub year_rule: Option<YearRule>,
    /// Base year for growth rates and rank comparisons.
    pub base_year: Option<i32>,
    /// Explicit economies (ISO alpha-3/alpha-2 codes or names), overriding the
    /// analysis' own selection rule.
    pub economies: Option<Vec<String>>,
    /// A named economy set (`report2021`: the report's own list).
    pub preset: Option<String>,
    /// Size of the top-N sets (top-10 for C1/C2/C5/F2, top-20 for C4).
    pub top: Option<usize>,
    /// Dataset to read series from (`wdi`, `ncses`, `unctad`, a user dataset).
    pub source: Option<String>,
    /// Indicator code overriding the analysis' default series.
    pub indicator: Option<String>,
    /// Price basis for R&D and GDP (C1): ppp, usd, lcu, constant.
    pub price_basis: Option<PriceBasis>,
    /// Currency for GERD levels (C2), ISO 4217.
    pub currency: Option<String>,
    /// Year of the exchange rate used for conversion (C2); default the year after the reference year.
    pub fx_year: Option<i32>,
    /// Exchange-rate source (C2): `wdi` (official rates, PA.NUS.FCRF) or `fed` (US Federal Reserve H.10).
    pub fx_source: Option<String>,
    /// Tier thresholds for GERD levels, in billions of the currency, descending (C2).
    pub level_tiers: Option<Vec<f64>>,
    /// Tier thresholds for R&D intensity, % of GDP, descending (C2).
    pub intensity_tiers: Option<Vec<f64>>,
    /// Years to compare with their previous year (F1 crisis years).
    pub years: Option<Vec<i32>>,
    /// Minimum GERD, billions of PPP $, to enter the intensity ranking (C1/C2).
    pub min_gerd: Option<f64>,
    /// Microdata: count applicants' or inventors' countries.
    pub role: Option<String>,
    /// Microdata: pct (authority WO), any, or a two-letter office.
    pub authority: Option<String>,
    /// Microdata: filing, priority or publication year.
    pub year_basis: Option<String>,
    /// Microdata: fractional counting (1/k per economy) instead of whole.
    pub fractional: Option<bool>,
    /// K2: keep pairs with more than this many co-applications.
    pub min_weight: Option<i64>,
    /// K2: file of technology fields (`field,name_en,name_zh,prefixes`).
    pub fields_file: Option<String>,
    /// I5: green method: wipo, envtech or y02.
    pub green: Option<String>,
    /// Seed of network layouts and community detection.
    pub seed: Option<u64>,
    /// K3: applicant-name rules file added to the built-in rules.
    pub name_rules: Option<String>,
    /// K3: corporate-group file overlaid on the built-in table.
    pub groups_file: Option<String>,
    /// K3: Jaro–Winkler similarity from which applicant names merge.
    pub threshold: Option<f64>,
    /// K3: most nodes drawn in an applicant network.
    pub max_nodes: Option<usize>,
    /// C3: rank cut-offs for universities, research institutions, enterprises.
    pub cutoffs: Option<Vec<u32>>,
    /// I1/I2: mapping file (industry → group, industry → sector).
    pub mapping_file: Option<String>,
    /// I2: count unicorns that joined by this date (YYYY-MM-DD).
    pub as_of: Option<String>,
    /// I3: rounds counted as early stage.
    pub stages: Option<Vec<String>>,
    /// Q3: report section whose trends and cases to show (`1`, `2.1`, `4.1`).
    pub section: Option<String>,
    /// Q3: technology or policy field (knowledge-base vocabulary).
    pub field: Option<String>,
    /// Q3: actor type (knowledge-base vocabulary).
    pub actor_type: Option<String>,
    /// Q3: concept id or kind the cases illustrate (`authority-mode-2`, `trend`).
    pub mode: Option<String>,
    /// Q3: full-text query, Chinese or English.
    pub query: Option<String>,
    /// Q1–Q3: directory of the user's knowledge-base files merged over the
    /// built-in base (besides `<data dir>/kb/`).
    pub kb_dir: Option<String>,
    /// Parameters an analysis declares for itself ([`registry::Analysis::own`]),
    /// by name, as checked by the schema; read them with [`Params::own`].
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

/// Which year an analysis shows ([`registry::run`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum YearRule {
    /// The year asked (or the analysis' default year); economies without
    /// data for it are named on the figure, in the findings and the notes.
    #[default]
    Asked,
    /// The year asked, or the latest earlier year the data support (the
    /// report's rule): the tables say which year was asked.
    Fallback,
    /// The latest year the data support.
    Latest,
}

impl Params {
    /// The value of a parameter an analysis declares for itself, if given.
    pub fn own<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.extra
            .get(name)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }
}
