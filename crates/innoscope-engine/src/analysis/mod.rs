//! The analyses of the report, one function per analysis ID (see
//! `shared/spec/ANALYSES.md`). Each takes the [`Engine`] and [`Params`] and
//! returns result tables; defaults reproduce the report's choices, and every
//! choice is a parameter.

mod applicants;
mod common;
mod competition;
mod kb;
mod openness;
mod patents;
mod records;

use serde::{Deserialize, Serialize};

use innoscope_core::{ResultTable, Text};

use crate::Engine;
use crate::error::{EngineError, Result};

pub use common::{EconomySet, PriceBasis};

/// Parameters shared by the analyses. `None` means "the analysis default".
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Reference year.
    pub year: Option<i32>,
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
    /// Price basis for R&D and GDP (C1): ppp, usd, lcu.
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
}

/// A parameter an analysis reads, for `--help`, `analyze --list` and the API.
#[derive(Clone, Debug, Serialize)]
pub struct ParamDoc {
    pub name: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

/// An analysis the engine can run.
#[derive(Clone, Debug, Serialize)]
pub struct AnalysisSpec {
    pub id: &'static str,
    pub name: &'static str,
    pub title: Text,
    pub chapter: &'static str,
    pub params: Vec<ParamDoc>,
}

fn p(name: &'static str, default: &'static str, help: &'static str) -> ParamDoc {
    ParamDoc {
        name,
        default,
        help,
    }
}

/// The parameters every microdata analysis takes: the counting conventions
/// and the patent dataset.
fn with_counting(mut own: Vec<ParamDoc>) -> Vec<ParamDoc> {
    own.extend([
        p("role", "applicants", "microdata: applicants or inventors"),
        p(
            "authority",
            "pct",
            "microdata: pct (WO), any, or an office code",
        ),
        p(
            "year-basis",
            "filing",
            "microdata: filing, priority or publication",
        ),
        p("fractional", "false", "microdata: fractional counting"),
        p(
            "source",
            "first patent dataset (store, else bundled demo)",
            "patent dataset to read",
        ),
    ]);
    own
}

/// The analyses available, in report order.
pub fn list() -> Vec<AnalysisSpec> {
    let mut specs = vec![
        AnalysisSpec {
            id: "C1",
            name: "rd-growth",
            title: Text::new("R&D growth vs GDP growth", "研发支出增长与GDP增长"),
            chapter: "competition",
            params: vec![
                p("year", "2019", "reference year"),
                p("base-year", "2009", "base year of the growth rates"),
                p(
                    "top",
                    "10",
                    "top-N by GERD and by GERD/GDP whose union forms the country set",
                ),
                p("economies", "", "explicit country set instead of the rule"),
                p("preset", "", "report2021: the report's own 15 economies"),
                p(
                    "price-basis",
                    "ppp",
                    "ppp (current PPP $), usd (current US$), lcu (national currency)",
                ),
                p(
                    "min-gerd",
                    "0.5",
                    "minimum GERD (bn PPP $) to enter the intensity ranking",
                ),
            ],
        },
        AnalysisSpec {
            id: "C2",
            name: "rd-level",
            title: Text::new("R&D level, intensity and tiers", "研发支出总额、强度与梯队"),
            chapter: "competition",
            params: vec![
                p("year", "2019", "reference year"),
                p("currency", "CNY", "currency of GERD levels (ISO 4217)"),
                p(
                    "fx-year",
                    "2020",
                    "year of the exchange rate (the report used the 2020-12-31 rate for 2019 data)",
                ),
                p(
                    "level-tiers",
                    "1000,300,100,50",
                    "tier thresholds in billions of the currency",
                ),
                p(
                    "intensity-tiers",
                    "4,3,2,1",
                    "tier thresholds of GERD/GDP in %",
                ),
                p("top", "10", "as C1"),
                p("economies", "", "explicit country set"),
                p("preset", "", "report2021"),
            ],
        },
        AnalysisSpec {
            id: "C4",
            name: "pct-ranking",
            title: Text::new(
                "PCT applications by economy: top-20 then and now",
                "PCT专利申请量前20位经济体对比",
            ),
            chapter: "competition",
            params: vec![
                p("year", "2020", "reference year"),
                p("base-year", "2010", "base year"),
                p("top", "20", "size of the ranking"),
                p(
                    "source",
                    "first dataset holding the indicator",
                    "dataset to read",
                ),
                p(
                    "indicator",
                    "NCSES.PCT.APPL",
                    "series of PCT applications by economy (e.g. a WIPO export)",
                ),
            ],
        },
        AnalysisSpec {
            id: "C5",
            name: "ip-trade",
            title: Text::new("Trade in intellectual property", "知识产权进出口"),
            chapter: "competition",
            params: vec![
                p("year", "2020", "reference year"),
                p(
                    "top",
                    "10",
                    "top-N exporters and importers whose union forms the set",
                ),
                p("source", "wdi", "dataset to read"),
            ],
        },
        AnalysisSpec {
            id: "C6",
            name: "ict-trade",
            title: Text::new("ICT goods trade", "ICT产品贸易"),
            chapter: "competition",
            params: vec![
                p("year", "2020", "reference year"),
                p("top", "10", "top-N exporters and importers"),
                p(
                    "source",
                    "first dataset holding UNCTAD.ICT.EXP, else the high-tech proxy",
                    "dataset to read",
                ),
            ],
        },
        AnalysisSpec {
            id: "F1",
            name: "knowledge-flow",
            title: Text::new(
                "Knowledge flow: IP trade in crisis years",
                "知识流动：危机年份的知识产权贸易变化",
            ),
            chapter: "openness",
            params: vec![
                p(
                    "years",
                    "2009,2020",
                    "years compared with their previous year",
                ),
                p(
                    "base-year",
                    "2010",
                    "base of the long-run multiple (last crisis year vs base)",
                ),
                p("top", "10", "as C5, set chosen in the last crisis year"),
                p("economies", "", "explicit set"),
            ],
        },
        AnalysisSpec {
            id: "F2",
            name: "capital-flow",
            title: Text::new(
                "Capital flow: FDI by economy and group",
                "资金流动：外国直接投资",
            ),
            chapter: "openness",
            params: vec![
                p(
                    "year",
                    "2020",
                    "reference year (compared with the previous year)",
                ),
                p(
                    "top",
                    "10",
                    "top-N by inflows and by outflows whose union forms the set",
                ),
                p("source", "unctad", "dataset to read"),
                p(
                    "indicator",
                    "UNCTAD.FDI.IN",
                    "inflow series (WDI: BX.KLT.DINV.CD.WD)",
                ),
            ],
        },
        AnalysisSpec {
            id: "K1",
            name: "co-applications",
            title: Text::new("International co-applications", "国际合作专利申请"),
            chapter: "cooperation",
            params: with_counting(vec![
                p("year", "2020 (or the data's last year)", "reference year"),
                p("top", "20", "economies in the table and the network"),
                p("seed", "1", "seed of the network layout"),
            ]),
        },
        AnalysisSpec {
            id: "K2",
            name: "field-networks",
            title: Text::new("Field co-patenting networks", "技术领域国际合作网络"),
            chapter: "cooperation",
            params: with_counting(vec![
                p("year", "2020 (or the data's last year)", "reference year"),
                p(
                    "min-weight",
                    "5",
                    "keep pairs with more than this many co-applications",
                ),
                p(
                    "fields-file",
                    "built-in: medical, wireless",
                    "technology fields file",
                ),
                p("seed", "1", "seed of the layout and communities"),
            ]),
        },
        AnalysisSpec {
            id: "K3",
            name: "applicants",
            title: Text::new(
                "Applicants by corporate group and collaboration types",
                "申请人（企业集团）与合作类型",
            ),
            chapter: "cooperation",
            params: with_counting(vec![
                p(
                    "year",
                    "2020 (or the data's last year)",
                    "last year of the period",
                ),
                p("base-year", "year − 4", "first year of the period"),
                p("top", "20", "groups ranked"),
                p(
                    "groups-file",
                    "built-in table",
                    "corporate groups added to or replacing the built-in ones",
                ),
                p("name-rules", "built-in rules", "applicant-name rules added"),
                p(
                    "threshold",
                    "0.93",
                    "Jaro–Winkler similarity to merge names",
                ),
                p("max-nodes", "40", "most nodes drawn per applicant network"),
                p(
                    "fields-file",
                    "built-in: medical, wireless",
                    "technology fields of the same-field networks",
                ),
                p("seed", "1", "seed of the layouts and communities"),
            ]),
        },
        AnalysisSpec {
            id: "C4M",
            name: "applications-micro",
            title: Text::new(
                "Applications by economy and applicant concentration (microdata)",
                "各经济体申请量与申请人集中度（微观数据）",
            ),
            chapter: "competition",
            params: with_counting(vec![
                p("year", "2020 (or the data's last year)", "reference year"),
                p("base-year", "year − 10", "base year"),
                p("top", "20", "size of the rankings"),
            ]),
        },
        AnalysisSpec {
            id: "I4",
            name: "tech-fields",
            title: Text::new("Technology fields", "技术领域"),
            chapter: "industry",
            params: with_counting(vec![
                p("year", "2020 (or the data's last year)", "reference year"),
                p("base-year", "year − 10", "base year"),
                p("top", "10", "fields ranked"),
            ]),
        },
        AnalysisSpec {
            id: "I5",
            name: "green-patents",
            title: Text::new("Green patents", "绿色技术专利"),
            chapter: "industry",
            params: with_counting(vec![
                p("year", "2020 (or the data's last year)", "reference year"),
                p("base-year", "year − 10", "start of the growth comparison"),
                p(
                    "green",
                    "wipo",
                    "method: wipo (IPC Green Inventory), envtech (OECD), y02 (EPO CPC)",
                ),
                p("economies", "CN", "the economy followed over the years"),
                p("top", "10", "economies ranked"),
            ]),
        },
    ]
    .into_iter()
    .chain(record_specs())
    .chain(kb_specs())
    .collect::<Vec<_>>();
    // In the seed report's order.
    let order = [
        "C1", "C2", "C3", "C4", "C4M", "C5", "C6", "K1", "K2", "K3", "F3", "F1", "F2", "I1", "I2",
        "I3", "I4", "I5", "Q1", "Q2", "Q3",
    ];
    specs.sort_by_key(|s| order.iter().position(|o| *o == s.id).unwrap_or(usize::MAX));
    specs
}

fn kb_params(mut own: Vec<ParamDoc>) -> Vec<ParamDoc> {
    own.push(p(
        "kb-dir",
        "<data dir>/kb if present",
        "directory of your own knowledge-base files (TOML), merged over the built-in base",
    ));
    own
}

/// The analyses over record lists and talent flows (C3, I1–I3, F3).
fn record_specs() -> Vec<AnalysisSpec> {
    vec![
        AnalysisSpec {
            id: "C3",
            name: "innovation-actors",
            title: Text::new(
                "High-level innovation actors by economy",
                "全球高水平创新主体分布",
            ),
            chapter: "competition",
            params: vec![
                p(
                    "year",
                    "latest edition of each list",
                    "use each list's latest edition up to this year",
                ),
                p("top", "10", "economies shown"),
                p(
                    "cutoffs",
                    "100,30,100",
                    "ranks counted: universities, research institutions, enterprises",
                ),
            ],
        },
        AnalysisSpec {
            id: "F3",
            name: "talent-flow",
            title: Text::new("Talent flow: visas issued", "人才流动：签证发放"),
            chapter: "openness",
            params: vec![
                p("year", "2020 (or the data's last year)", "reference year"),
                p(
                    "indicator",
                    "TALENT.VISAS.ISSUED",
                    "series of visas issued or migration flows",
                ),
                p("source", "first dataset holding it", "dataset to read"),
                p("economies", "all in the series", "economies shown"),
            ],
        },
        AnalysisSpec {
            id: "I1",
            name: "firm-rd",
            title: Text::new(
                "Large-firm R&D and sales growth by industry group",
                "国际大企业分产业研发支出和收入增长",
            ),
            chapter: "industry",
            params: vec![
                p(
                    "year",
                    "latest financial year in the file",
                    "financial year",
                ),
                p(
                    "mapping-file",
                    "data/reference/industry-groups.csv",
                    "ICB sector → industry group (icb_sector,group,group_en,group_zh)",
                ),
            ],
        },
        AnalysisSpec {
            id: "I2",
            name: "unicorns",
            title: Text::new("Unicorns by sector and economy", "独角兽企业领域与国家分布"),
            chapter: "industry",
            params: vec![
                p(
                    "as-of",
                    "2021-09-30",
                    "count unicorns that joined by this date",
                ),
                p("top", "10", "sectors and economies shown"),
                p(
                    "mapping-file",
                    "data/reference/unicorn-sectors.csv",
                    "industry → sector (industry,sector,sector_en,sector_zh)",
                ),
            ],
        },
        AnalysisSpec {
            id: "I3",
            name: "venture-capital",
            title: Text::new(
                "Early-stage venture capital by sector",
                "早期风险投资领域分布",
            ),
            chapter: "industry",
            params: vec![
                p(
                    "year",
                    "latest year of the deals",
                    "reference year (vs the previous)",
                ),
                p(
                    "stages",
                    "seed,angel,series-a",
                    "rounds counted as early stage",
                ),
                p("top", "10", "sectors shown"),
                p(
                    "indicator",
                    "NCSES.VC.INV",
                    "series of venture capital by economy",
                ),
            ],
        },
    ]
}

/// The knowledge-base analyses (Q1–Q3).
fn kb_specs() -> Vec<AnalysisSpec> {
    vec![
        AnalysisSpec {
            id: "Q1",
            name: "profiles",
            title: Text::new("Economy profiles", "主要经济体创新生态概况"),
            chapter: "institutions",
            params: kb_params(vec![p(
                "economies",
                "all profiles",
                "economies to show (codes or names)",
            )]),
        },
        AnalysisSpec {
            id: "Q2",
            name: "modes",
            title: Text::new(
                "Organisation modes and mechanisms",
                "产业创新组织方式与运行机制",
            ),
            chapter: "institutions",
            params: kb_params(vec![p(
                "section",
                "all of \u{a7}4",
                "report section: 4.1 authorities, 4.2 enterprises, 4.3 intermediaries, 4.4 mechanisms",
            )]),
        },
        AnalysisSpec {
            id: "Q3",
            name: "cases",
            title: Text::new("Trends, policy events and cases", "趋势、政策动态与案例"),
            chapter: "institutions",
            params: kb_params(vec![
                p(
                    "section",
                    "",
                    "report section (1, 2.1, 2.3…): one table per trend or dynamic",
                ),
                p("query", "", "full-text search, Chinese or English"),
                p("economies", "", "cases involving these economies"),
                p("field", "", "field id (quantum, telecom, health…)"),
                p("actor-type", "", "actor type id (government, startup…)"),
                p(
                    "mode",
                    "",
                    "concept id or kind the cases illustrate (authority-mode-2, trend…)",
                ),
                p("base-year", "", "first year of the cases' dates"),
                p("year", "", "last year of the cases' dates"),
            ]),
        },
    ]
}

/// Find an analysis by id (`C1`) or name (`rd-growth`), case-insensitive.
pub fn find(id_or_name: &str) -> Option<AnalysisSpec> {
    list()
        .into_iter()
        .find(|a| a.id.eq_ignore_ascii_case(id_or_name) || a.name.eq_ignore_ascii_case(id_or_name))
}

/// Run one analysis.
pub async fn run(engine: &Engine, id_or_name: &str, params: &Params) -> Result<Vec<ResultTable>> {
    let spec =
        find(id_or_name).ok_or_else(|| EngineError::UnknownAnalysis(id_or_name.to_string()))?;
    tracing::info!(analysis = spec.id, ?params, "running analysis");
    let tables = match spec.id {
        "C1" => vec![competition::c1(engine, params).await?],
        "C2" => competition::c2(engine, params).await?,
        "C4" => vec![competition::c4(engine, params).await?],
        "C5" => vec![competition::c5(engine, params).await?],
        "C6" => competition::c6(engine, params).await?,
        "F1" => vec![openness::f1(engine, params).await?],
        "F2" => openness::f2(engine, params).await?,
        "K1" => patents::k1(engine, params).await?,
        "K2" => patents::k2(engine, params).await?,
        "K3" => applicants::k3(engine, params).await?,
        "C4M" => patents::c4m(engine, params).await?,
        "I4" => patents::i4(engine, params).await?,
        "I5" => patents::i5(engine, params).await?,
        "C3" => records::c3(engine, params).await?,
        "I1" => records::i1(engine, params).await?,
        "I2" => records::i2(engine, params).await?,
        "I3" => records::i3(engine, params).await?,
        "F3" => vec![openness::f3(engine, params).await?],
        "Q1" => kb::q1(engine, params).await?,
        "Q2" => kb::q2(engine, params).await?,
        "Q3" => kb::q3(engine, params).await?,
        other => return Err(EngineError::UnknownAnalysis(other.to_string())),
    };
    for t in &tables {
        t.validate()
            .map_err(|m| EngineError::store("<analysis>", m))?;
    }
    tracing::info!(
        analysis = spec.id,
        tables = tables.len(),
        rows = tables.iter().map(ResultTable::n_rows).sum::<usize>(),
        "analysis done"
    );
    Ok(tables)
}

/// How the seed report numbers a figure or a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// 图 N / Figure N
    Figure(u32),
    /// 表 N / Table N
    Table(u32),
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
    pub numbers: Vec<(&'static str, Numbering)>,
}

/// The sections of `innoscope report`, in the seed report's order: §1 trends,
/// §2 dynamics and profiles, §3.1–3.4 the quantitative chapters, §4 modes.
pub fn report_plan() -> Vec<ReportEntry> {
    use Numbering::{Figure as F, Table as T};
    let section = |s: &str| Params {
        section: Some(s.to_string()),
        ..Params::default()
    };
    let e = |id, sec, anchor, params, numbers| ReportEntry {
        id,
        section: sec,
        anchor,
        params,
        numbers,
    };
    vec![
        e("Q3", "1", "trends", section("1"), vec![]),
        e("Q3", "2.1", "dynamics", section("2.1"), vec![]),
        e(
            "Q1",
            "2.2",
            "profiles",
            Params::default(),
            vec![
                ("Q1.USA", T(1)),
                ("Q1.GBR", T(1)),
                ("Q1.DEU", T(2)),
                ("Q1.FRA", T(2)),
                ("Q1.JPN", T(3)),
                ("Q1.KOR", T(3)),
            ],
        ),
        e("Q3", "2.3", "cooperation-dynamics", section("2.3"), vec![]),
        e("C1", "3.1", "c1", Params::default(), vec![("C1", F(2))]),
        e(
            "C2",
            "3.1",
            "c2",
            Params::default(),
            vec![("C2", F(3)), ("C2.tiers", T(4))],
        ),
        e("C3", "3.1", "c3", Params::default(), vec![("C3", F(4))]),
        e("C4", "3.1", "c4", Params::default(), vec![("C4", F(5))]),
        e("C4M", "3.1", "c4m", Params::default(), vec![]),
        e("C5", "3.1", "c5", Params::default(), vec![("C5", F(6))]),
        e(
            "C6",
            "3.1",
            "c6",
            Params::default(),
            vec![("C6", F(7)), ("C6.categories", F(20))],
        ),
        e("K1", "3.2", "k1", Params::default(), vec![("K1", F(8))]),
        e(
            "K2",
            "3.2",
            "k2",
            Params::default(),
            vec![("K2.medical", F(9)), ("K2.wireless", F(10))],
        ),
        e(
            "K3",
            "3.2",
            "k3",
            Params::default(),
            vec![
                ("K3", F(11)),
                ("K3.intra.net", F(12)),
                ("K3.field.medical", F(13)),
            ],
        ),
        e("F3", "3.3", "f3", Params::default(), vec![]),
        e("F1", "3.3", "f1", Params::default(), vec![("F1", F(14))]),
        e("F2", "3.3", "f2", Params::default(), vec![("F2", F(15))]),
        e("I1", "3.4", "i1", Params::default(), vec![("I1", F(16))]),
        e(
            "I2",
            "3.4",
            "i2",
            Params::default(),
            vec![("I2.cross", F(17))],
        ),
        e("I3", "3.4", "i3", Params::default(), vec![("I3", F(18))]),
        e("I4", "3.4", "i4", Params::default(), vec![("I4", F(19))]),
        e("I5", "3.4", "i5", Params::default(), vec![("I5", F(21))]),
        e("Q2", "4.1", "authorities", section("4.1"), vec![]),
        e("Q2", "4.2", "enterprises", section("4.2"), vec![]),
        e("Q2", "4.3", "intermediaries", section("4.3"), vec![]),
        e("Q2", "4.4", "mechanisms", section("4.4"), vec![]),
    ]
}

/// Parameters of a report section when the user moves the reference year:
/// base years keep the report's distance (ten years), and F1 keeps 2009 as
/// its first crisis year.
pub fn report_params(id: &str, year: Option<i32>) -> Params {
    let Some(y) = year else {
        return Params::default();
    };
    if id.starts_with('Q') {
        // The knowledge base is not re-dated with the reference year.
        return Params::default();
    }
    match id {
        "K3" => Params {
            year: Some(y),
            base_year: Some(y - 4),
            ..Params::default()
        },
        "C1" | "C4" | "C4M" | "I4" | "I5" => Params {
            year: Some(y),
            base_year: Some(y - 10),
            ..Params::default()
        },
        "F1" => Params {
            years: Some(vec![2009, y]),
            base_year: Some(y - 10),
            ..Params::default()
        },
        _ => Params {
            year: Some(y),
            ..Params::default()
        },
    }
}
