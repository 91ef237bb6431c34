//! The one parameter schema. Every parameter an analysis takes is declared
//! here once — name, kind, range or choices, help in English and Chinese —
//! and every path that accepts parameters goes through [`Params::from_pairs`]:
//! the command line (whose flags the binary generates from [`PARAMS`]), the
//! HTTP query parser and the OpenAPI document. The same text gets the same
//! validation, and the same error naming the parameter, on every path.
//!
//! Defaults are not here: they belong to the analysis (one parameter has a
//! different default in C1 and in K3), so each analysis' registry entry
//! ([`super::registry::Analysis`]) lists the parameters it reads with their
//! default ([`Default`]), taken from the constants its code uses.

use serde::Serialize;
use serde_json::{Map, Value};

use super::Params;
use crate::error::{EngineError, Result};

/// A text in both languages, usable in `const` tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Words {
    pub en: &'static str,
    pub zh: &'static str,
}

/// `Words { en, zh }`, shorter.
pub const fn w(en: &'static str, zh: &'static str) -> Words {
    Words { en, zh }
}

/// What a parameter's text must be.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Kind {
    /// A whole number in `min..=max`.
    Int { min: i64, max: i64 },
    /// A finite number in `min..=max`.
    Float { min: f64, max: f64 },
    /// A switch: present (or `true`, `1`, `yes`) or `false`, `0`, `no`.
    Flag,
    /// Free text (a code, an id, a query), not empty.
    Text,
    /// One of `values` (case-insensitive); `aliases` map other spellings to a value.
    Choice {
        values: &'static [&'static str],
        #[serde(skip)]
        aliases: &'static [(&'static str, &'static str)],
    },
    /// Comma-separated texts.
    Texts,
    /// Comma-separated whole numbers, each in `min..=max`.
    Ints { min: i64, max: i64 },
    /// Comma-separated finite numbers, each in `min..=max`.
    Floats { min: f64, max: f64 },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A file or directory on the machine running innoscope: accepted on the
    /// command line only (a server does not read files a client names).
    Path,
}

/// One parameter of the schema.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ParamDef {
    /// The name on the command line (`--base-year`) and in a query string (`base-year=`).
    pub name: &'static str,
    pub kind: Kind,
    pub help: Words,
    /// Placeholder in usage lines (`YYYY-MM-DD`, `FILE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_name: Option<&'static str>,
    /// One of the few an analyst changes most: the dashboard shows an input
    /// for it on every analysis that reads it.
    pub primary: bool,
}

impl ParamDef {
    const fn primary(mut self) -> Self {
        self.primary = true;
        self
    }
}

impl ParamDef {
    /// The field of [`Params`] this parameter fills.
    pub fn field(&self) -> String {
        self.name.replace('-', "_")
    }

    /// Whether a list kind (comma-separated on every path).
    pub fn is_list(&self) -> bool {
        matches!(
            self.kind,
            Kind::Texts | Kind::Ints { .. } | Kind::Floats { .. }
        )
    }
}

const YEARS: Kind = Kind::Int {
    min: 1900,
    max: 2100,
};

const fn def(name: &'static str, kind: Kind, help: Words) -> ParamDef {
    ParamDef {
        name,
        kind,
        help,
        value_name: None,
        primary: false,
    }
}

const fn file(name: &'static str, value_name: &'static str, help: Words) -> ParamDef {
    ParamDef {
        name,
        kind: Kind::Path,
        help,
        value_name: Some(value_name),
        primary: false,
    }
}

/// Every parameter, in the order `--help` lists them. One entry per field of
/// [`Params`] (a test checks both ways).
pub const PARAMS: &[ParamDef] = &[
    def(
        "year",
        YEARS,
        w(
            "Reference year (`latest`: the latest year the data support)",
            "参考年份（`latest`：数据支持的最近年份）",
        ),
    )
    .primary(),
    def(
        "year-rule",
        Kind::Choice {
            values: &["asked", "fallback", "latest"],
            aliases: &[],
        },
        w(
            "asked: the year given, economies without data named; fallback: the year given or the latest earlier year the data support; latest: the latest year the data support",
            "asked：所给年份，并列出缺数据的经济体；fallback：所给年份或数据支持的更早最近年份；latest：数据支持的最近年份",
        ),
    ),
    def(
        "base-year",
        YEARS,
        w(
            "Base year (growth rates, rank comparisons, long-run multiples)",
            "基期年份（增长率、排名对比、长期倍数）",
        ),
    ).primary(),
    def(
        "economies",
        Kind::Texts,
        w(
            "Economies, comma-separated ISO codes or names (overrides the analysis' selection rule)",
            "经济体，以逗号分隔的ISO代码或名称（取代分析自身的选取规则）",
        ),
    ).primary(),
    def(
        "preset",
        Kind::Choice {
            values: &["report2021"],
            aliases: &[],
        },
        w(
            "Named economy set (report2021 = the report's own 15 R&D economies)",
            "预设经济体集合（report2021＝报告所用的15个研发经济体）",
        ),
    )
    .primary(),
    def(
        "top",
        Kind::Int { min: 1, max: 500 },
        w("Size of top-N sets", "前N位集合的规模"),
    ).primary(),
    def(
        "source",
        Kind::Text,
        w("Dataset to read series from", "读取数据的数据集"),
    ),
    def(
        "indicator",
        Kind::Text,
        w(
            "Indicator code overriding the analysis' default series",
            "取代分析默认序列的指标代码",
        ),
    ),
    def(
        "price-basis",
        Kind::Choice {
            values: &["ppp", "usd", "lcu", "constant"],
            aliases: &[("national", "lcu"), ("real", "constant")],
        },
        w(
            "Price basis for R&D and GDP: ppp, usd, lcu, constant",
            "研发与GDP的价格口径：ppp（购买力平价）、usd（美元）、lcu（本币）、constant（不变价）",
        ),
    ),
    def(
        "currency",
        Kind::Text,
        w(
            "Currency of GERD levels (ISO 4217)",
            "研发支出总额的币种（ISO 4217）",
        ),
    ),
    def(
        "fx-year",
        YEARS,
        w(
            "Year of the exchange rate used for currency conversion",
            "货币换算所用汇率的年份",
        ),
    ),
    def(
        "fx-source",
        Kind::Choice {
            values: &["wdi", "fed"],
            aliases: &[],
        },
        w(
            "Exchange-rate source: wdi (official rates) or fed (US Federal Reserve H.10)",
            "汇率来源：wdi（官方汇率）或 fed（美联储H.10）",
        ),
    ),
    def(
        "level-tiers",
        Kind::Floats { min: 0.0, max: 1e9 },
        w(
            "GERD tier thresholds, billions of the currency, descending",
            "研发支出梯队门槛，以该币种十亿计，降序",
        ),
    ),
    def(
        "intensity-tiers",
        Kind::Floats {
            min: 0.0,
            max: 100.0,
        },
        w(
            "R&D intensity tier thresholds in %, descending",
            "研发强度梯队门槛（%），降序",
        ),
    ),
    def(
        "years",
        Kind::Ints {
            min: 1900,
            max: 2100,
        },
        w(
            "Years compared with their previous year (F1)",
            "与上一年对比的年份（F1）",
        ),
    ),
    def(
        "min-gerd",
        Kind::Float { min: 0.0, max: 1e6 },
        w(
            "Minimum GERD in billions of PPP $ to enter the intensity ranking (C1, C2)",
            "进入研发强度排名的最低研发支出（十亿购买力平价美元，C1、C2）",
        ),
    ),
    def(
        "role",
        Kind::Choice {
            values: &["applicants", "inventors"],
            aliases: &[],
        },
        w(
            "Microdata: count the countries of applicants or inventors",
            "微观数据：按申请人或发明人的国家计数",
        ),
    ),
    def(
        "authority",
        Kind::Text,
        w(
            "Microdata: pct (authority WO), any, or a two-letter office code (EP, US, CN…)",
            "微观数据：pct（受理局WO）、any（任意）或两位字母的专利局代码（EP、US、CN…）",
        ),
    ),
    def(
        "year-basis",
        Kind::Choice {
            values: &["filing", "priority", "publication"],
            aliases: &[],
        },
        w(
            "Microdata: year of an application: filing, priority or publication",
            "微观数据：申请的年份口径：申请日、优先权日或公开日",
        ),
    ),
    def(
        "fractional",
        Kind::Flag,
        w(
            "Microdata: fractional counting (an application with k economies gives each 1/k)",
            "微观数据：分数计数（涉及k个经济体的申请各计1/k）",
        ),
    ),
    def(
        "min-weight",
        Kind::Int {
            min: 0,
            max: i64::MAX,
        },
        w(
            "K2: keep pairs with more than this many co-applications",
            "K2：保留合作申请数多于此值的经济体对",
        ),
    ).primary(),
    file(
        "fields-file",
        "FILE",
        w(
            "K2: technology fields file (field,name_en,name_zh,prefixes; see data/reference/network-fields.csv)",
            "K2：技术领域文件（field,name_en,name_zh,prefixes；参见 data/reference/network-fields.csv）",
        ),
    ),
    def(
        "green",
        Kind::Choice {
            values: &["wipo", "envtech", "y02"],
            aliases: &[],
        },
        w(
            "I5: green method: wipo (IPC Green Inventory), envtech (OECD ENV-TECH), y02 (EPO CPC Y02/Y04S)",
            "I5：绿色技术口径：wipo（IPC绿色清单）、envtech（OECD ENV-TECH）、y02（EPO CPC Y02/Y04S）",
        ),
    ),
    def(
        "seed",
        Kind::Int {
            min: 0,
            max: i64::MAX,
        },
        w(
            "Seed of network layouts and community detection",
            "网络布局与社区发现的随机种子",
        ),
    ),
    file(
        "groups-file",
        "FILE",
        w(
            "K3: corporate groups added to or replacing the built-in table (group,name_en,name_zh,home,member,source)",
            "K3：补充或替换内置企业集团表的文件（group,name_en,name_zh,home,member,source）",
        ),
    ),
    file(
        "name-rules",
        "FILE",
        w(
            "K3: applicant-name rules added to the built-in ones (kind,text,canonical,note)",
            "K3：补充内置规则的申请人名称规则（kind,text,canonical,note）",
        ),
    ),
    def(
        "threshold",
        Kind::Float { min: 0.0, max: 1.0 },
        w(
            "K3: Jaro–Winkler similarity from which applicant names merge",
            "K3：申请人名称合并所需的Jaro–Winkler相似度",
        ),
    ),
    def(
        "max-nodes",
        Kind::Int {
            min: 1,
            max: 100_000,
        },
        w(
            "K3: most nodes drawn per applicant network",
            "K3：每个申请人网络最多绘制的节点数",
        ),
    ),
    def(
        "cutoffs",
        Kind::Ints {
            min: 1,
            max: 100_000,
        },
        w(
            "C3: ranks counted for universities, research institutions, enterprises",
            "C3：大学、科研机构、企业各计入的名次",
        ),
    ),
    file(
        "mapping-file",
        "FILE",
        w(
            "I1/I2: mapping file (I1: icb_sector,group,group_en,group_zh; I2: industry,sector,sector_en,sector_zh)",
            "I1/I2：映射文件（I1：icb_sector,group,group_en,group_zh；I2：industry,sector,sector_en,sector_zh）",
        ),
    ),
    ParamDef {
        name: "as-of",
        kind: Kind::Date,
        help: w(
            "I2: count unicorns that joined by this date",
            "I2：统计截至该日期成为独角兽的企业",
        ),
        value_name: Some("YYYY-MM-DD"),
        primary: true,
    },
    def(
        "stages",
        Kind::Texts,
        w(
            "I3: rounds counted as early stage",
            "I3：计为早期阶段的融资轮次",
        ),
    ).primary(),
    def(
        "section",
        Kind::Text,
        w(
            "Q2/Q3: report section (1, 2.1, 2.3, 4.1…)",
            "Q2/Q3：报告章节（1、2.1、2.3、4.1…）",
        ),
    ).primary(),
    def(
        "field",
        Kind::Text,
        w(
            "Q3: field id of the knowledge base (quantum, telecom, health…)",
            "Q3：知识库的领域代码（quantum、telecom、health…）",
        ),
    ).primary(),
    def(
        "actor-type",
        Kind::Text,
        w(
            "Q3: actor type id (government, enterprise, startup, university…)",
            "Q3：主体类型代码（government、enterprise、startup、university…）",
        ),
    ),
    def(
        "mode",
        Kind::Text,
        w(
            "Q3: concept id or kind the cases illustrate (authority-mode-2, trend…)",
            "Q3：案例所体现的概念代码或类别（authority-mode-2、trend…）",
        ),
    ),
    def(
        "query",
        Kind::Text,
        w(
            "Q3: full-text search in Chinese or English",
            "Q3：中文或英文全文检索",
        ),
    ).primary(),
    file(
        "kb-dir",
        "DIR",
        w(
            "Q1–Q3: directory of your own knowledge-base files merged over the built-in base",
            "Q1–Q3：并入内置知识库的用户知识库文件目录",
        ),
    ),
];

/// The parameter named `name` (as on the command line), if any.
pub fn param(name: &str) -> Option<&'static ParamDef> {
    PARAMS.iter().find(|p| p.name == name)
}

/// Where parameter texts come from: the command line may name files, a
/// query string may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    CommandLine,
    Http,
}

fn bad(name: &str, message: impl Into<String>) -> EngineError {
    EngineError::bad_param(name, message)
}

fn int_in(name: &str, s: &str, min: i64, max: i64) -> Result<Value> {
    let s = s.trim();
    let v = s
        .parse::<i64>()
        .map_err(|_| bad(name, format!("`{s}` is not a whole number")))?;
    if v < min || v > max {
        return Err(bad(
            name,
            if max == i64::MAX {
                format!("{v} is less than {min}, the smallest allowed")
            } else {
                format!("{v} is outside {min}..={max}")
            },
        ));
    }
    Ok(Value::from(v))
}

fn float_in(name: &str, s: &str, min: f64, max: f64) -> Result<Value> {
    let s = s.trim();
    let v = s
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| bad(name, format!("`{s}` is not a number")))?;
    if v < min || v > max {
        return Err(bad(name, format!("{s} is outside {min}..={max}")));
    }
    Ok(Value::from(v))
}

fn date(name: &str, s: &str) -> Result<Value> {
    let s = s.trim();
    // A whole date, in the knowledge base's calendar (years 1800–2100),
    // which these dates are compared with.
    let shape = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    if !shape {
        return Err(bad(name, format!("`{s}` is not a date (YYYY-MM-DD)")));
    }
    innoscope_core::kb::KbDate::parse(s).map_err(|e| bad(name, e))?;
    Ok(Value::from(s))
}

/// One parameter's text as the JSON value of its [`Params`] field, checked
/// against its kind.
pub fn value(def: &ParamDef, text: &str) -> Result<Value> {
    let name = def.name;
    let t = text.trim();
    // A list has at least one item, and no item is empty (`USA,,CHN`, a
    // trailing comma): every path refuses the same lists.
    let list = |f: &dyn Fn(&str) -> Result<Value>| -> Result<Value> {
        if t.is_empty() {
            return Err(bad(name, "the list is empty"));
        }
        t.split(',')
            .map(|x| {
                if x.trim().is_empty() {
                    Err(bad(name, format!("`{t}` has an empty item")))
                } else {
                    f(x.trim())
                }
            })
            .collect::<Result<Vec<_>>>()
            .map(Value::from)
    };
    Ok(match def.kind {
        Kind::Int { min, max } => int_in(name, t, min, max)?,
        Kind::Float { min, max } => float_in(name, t, min, max)?,
        Kind::Flag => match t {
            "true" | "1" | "yes" | "" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            o => return Err(bad(name, format!("`{o}` is not true or false"))),
        },
        Kind::Text | Kind::Path => {
            if t.is_empty() {
                return Err(bad(name, "empty value"));
            }
            Value::from(t)
        }
        Kind::Choice { values, aliases } => {
            let l = t.to_ascii_lowercase();
            let hit = values
                .iter()
                .copied()
                .find(|v| *v == l)
                .or_else(|| aliases.iter().find(|(a, _)| *a == l).map(|(_, v)| *v));
            match hit {
                Some(v) => Value::from(v),
                None => {
                    return Err(bad(
                        name,
                        format!("`{t}` is not one of {}", values.join(", ")),
                    ));
                }
            }
        }
        Kind::Texts => list(&|s: &str| Ok(Value::from(s)))?,
        Kind::Ints { min, max } => list(&|s: &str| int_in(name, s, min, max))?,
        Kind::Floats { min, max } => list(&|s: &str| float_in(name, s, min, max))?,
        Kind::Date => date(name, t)?,
    })
}

/// Every parameter name an analysis may be given: the shared schema and
/// the parameters analyses declare for themselves (each name once).
pub fn all_params() -> Vec<&'static ParamDef> {
    let mut v: Vec<&'static ParamDef> = PARAMS.iter().collect();
    for a in super::registry::ANALYSES {
        for d in a.own {
            if !v.iter().any(|x| x.name == d.name) {
                v.push(d);
            }
        }
    }
    v
}

impl Params {
    /// Parameters from `(name, text)` pairs named as on the command line
    /// (`base-year`, `min-weight`…). Unknown names, repeated names, texts of
    /// the wrong kind or out of range, and (over HTTP) file parameters are
    /// [`EngineError::BadParam`] errors naming the parameter.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        origin: Origin,
    ) -> Result<Params> {
        Self::parse(pairs, origin, None)
    }

    /// As [`Params::from_pairs`], also accepting the parameters `analysis`
    /// declares for itself.
    pub fn for_analysis<'a>(
        analysis: &super::registry::Analysis,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        origin: Origin,
    ) -> Result<Params> {
        Self::parse(pairs, origin, Some(analysis))
    }

    fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        origin: Origin,
        analysis: Option<&super::registry::Analysis>,
    ) -> Result<Params> {
        let mut obj = Map::new();
        let mut extra = Map::new();
        for (k, v) in pairs {
            let name = k.trim();
            if name.is_empty() {
                return Err(bad(
                    "query",
                    format!("a value without a parameter name (`={v}`)"),
                ));
            }
            // `year=latest` is `year-rule=latest`.
            if name == "year" && v.trim().eq_ignore_ascii_case("latest") {
                if obj.contains_key("year_rule") {
                    return Err(bad("year-rule", "given with --year latest"));
                }
                obj.insert("year_rule".into(), Value::from("latest"));
                continue;
            }
            // An analysis' own parameter goes to `extra`, a shared one to its field.
            let own = analysis.and_then(|a| a.own.iter().find(|d| d.name == name));
            let (def, map, key) = match own.or_else(|| param(name)) {
                Some(d) if own.is_some() => (d, &mut extra, name.to_string()),
                Some(d) => (d, &mut obj, d.field()),
                None => {
                    return Err(bad(
                        name,
                        "unknown parameter; GET /api/analyses lists each analysis' parameters",
                    ));
                }
            };
            if def.kind == Kind::Path && origin == Origin::Http {
                return Err(bad(
                    name,
                    "file parameters are not accepted over HTTP; use the command line",
                ));
            }
            if map.contains_key(&key) {
                return Err(bad(name, "given more than once"));
            }
            map.insert(key, value(def, v)?);
        }
        if !extra.is_empty() {
            obj.insert("extra".into(), Value::Object(extra));
        }
        serde_json::from_value::<Params>(Value::Object(obj))
            .map_err(|e| bad("query", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<Params> {
        Params::from_pairs(pairs.iter().copied(), Origin::Http)
    }

    fn name(r: Result<Params>) -> String {
        match r {
            Err(EngineError::BadParam { name, .. }) => name,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_field_of_params_is_in_the_schema_and_back() {
        let fields = match serde_json::to_value(Params::default()).unwrap() {
            Value::Object(o) => o
                .keys()
                .filter(|k| *k != "extra")
                .cloned()
                .collect::<Vec<_>>(),
            _ => unreachable!(),
        };
        for f in &fields {
            assert!(
                PARAMS.iter().any(|p| &p.field() == f),
                "{f} has no schema entry"
            );
        }
        assert_eq!(fields.len(), PARAMS.len(), "schema entries without a field");
        let mut names: Vec<_> = PARAMS.iter().map(|p| p.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), PARAMS.len(), "a parameter is declared twice");
    }

    #[test]
    fn names_and_types_as_on_the_command_line() {
        let p = parse(&[
            ("year", "2020"),
            ("base-year", "2010"),
            ("economies", "CHN, USA"),
            ("fractional", "true"),
            ("threshold", "0.95"),
            ("years", "2009,2020"),
            ("price-basis", "National"),
            ("as-of", "2020-02-29"),
        ])
        .unwrap();
        assert_eq!(p.year, Some(2020));
        assert_eq!(p.base_year, Some(2010));
        assert_eq!(p.economies, Some(vec!["CHN".into(), "USA".into()]));
        assert_eq!(p.fractional, Some(true));
        assert_eq!(p.threshold, Some(0.95));
        assert_eq!(p.years, Some(vec![2009, 2020]));
        assert_eq!(p.price_basis, Some(super::super::PriceBasis::Lcu));
        assert_eq!(p.as_of.as_deref(), Some("2020-02-29"));
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(name(parse(&[("year", "twenty")])), "year");
        assert_eq!(name(parse(&[("min-weight", "5.5")])), "min-weight");
        assert_eq!(name(parse(&[("min-weight", "-3")])), "min-weight");
        assert_eq!(name(parse(&[("colour", "red")])), "colour");
        assert_eq!(
            name(parse(&[("fields-file", "/etc/passwd")])),
            "fields-file"
        );
        assert_eq!(name(parse(&[("kb-dir", "/etc")])), "kb-dir");
        assert_eq!(name(parse(&[("top", "5"), ("top", "6")])), "top");
        assert_eq!(name(parse(&[("top", "0")])), "top");
        assert_eq!(name(parse(&[("top", "501")])), "top");
        assert_eq!(name(parse(&[("threshold", "NaN")])), "threshold");
        assert_eq!(name(parse(&[("threshold", "1.5")])), "threshold");
        assert_eq!(name(parse(&[("role", "owners")])), "role");
        assert_eq!(name(parse(&[("as-of", "2021-02-30")])), "as-of");
        assert_eq!(name(parse(&[("cutoffs", "100,0")])), "cutoffs");
        assert_eq!(name(parse(&[("seed", "-1")])), "seed");
    }

    #[test]
    fn files_only_from_the_command_line() {
        let p = Params::from_pairs([("fields-file", "my.csv")], Origin::CommandLine).unwrap();
        assert_eq!(p.fields_file.as_deref(), Some("my.csv"));
    }

    #[test]
    fn out_of_range_messages_state_the_range() {
        let e = parse(&[("top", "0")]).unwrap_err().to_string();
        assert!(e.contains("1..=500"), "{e}");
        let e = parse(&[("min-weight", "-3")]).unwrap_err().to_string();
        assert!(e.contains("-3 is less than 0"), "{e}");
    }
}
