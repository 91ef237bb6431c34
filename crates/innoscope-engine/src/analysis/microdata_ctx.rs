//! What the microdata analyses (K1, K2, K3, C4M, I4, I5) share: the
//! counting-convention parameters, the opened patent dataset with its
//! conventions ([`Ctx`]), economy names, the network tables, and the rank
//! columns of then-and-now rankings. Each analysis has its own file.
//!
//! The counting conventions are printed in every table's basis.

use std::collections::{BTreeMap, BTreeSet};

use innoscope_core::classify::{Classification, builtin};
use innoscope_core::network::Network;
use innoscope_core::table::NetworkEdge;
use innoscope_core::{Column, Figure, Registry, ResultTable, SourceNote, Text};

use super::Params;
use super::common::economy_columns;
use super::param::w;
use super::registry::{DefaultValue as D, Use, use_h};
use crate::Engine;
use crate::error::{EngineError, Result};
pub(super) use crate::microdata::Years;
use crate::microdata::{Counting, Microdata};

/// The default reference year of the microdata analyses (or the data's last year).
pub(super) const MICRO_YEAR: i32 = 2020;
/// Seed of network layouts and community detection.
pub(super) const SEED: u64 = 1;

pub(super) const MICRO_YEAR_RULE: D = D::Rule(w(
    "2020 (or the data's last year)",
    "2020（或数据的最后一年）",
));
pub(super) const BASE_RULE: D = D::Rule(w("year − 10", "参考年份－10"));

/// The parameters every microdata analysis takes: the counting conventions
/// (defaults: [`Counting::default`], checked by a test) and the patent dataset.
pub(super) const COUNTING: &[Use] = &[
    use_h(
        "role",
        D::Text("applicants"),
        w(
            "microdata: applicants or inventors",
            "微观数据：申请人或发明人",
        ),
    ),
    use_h(
        "authority",
        D::Text("pct"),
        w(
            "microdata: pct (WO), any, or an office code",
            "微观数据：pct（WO）、any或专利局代码",
        ),
    ),
    use_h(
        "year-basis",
        D::Text("filing"),
        w(
            "microdata: filing, priority or publication",
            "微观数据：申请日、优先权日或公开日",
        ),
    ),
    use_h(
        "fractional",
        D::Flag(false),
        w("microdata: fractional counting", "微观数据：分数计数"),
    ),
    use_h(
        "source",
        D::Rule(w(
            "first patent dataset (store, else bundled demo)",
            "首个专利数据集（先用户存储，后内置演示数据）",
        )),
        w("patent dataset to read", "读取的专利数据集"),
    ),
];

/// The built-in network fields (the report's two).
pub(super) const FIELDS_RULE: D = D::Rule(w("built-in: medical, wireless", "内置：医疗、无线通信"));

/// An opened patent dataset with the counting conventions of the request.
pub(super) struct Ctx {
    pub(super) md: Microdata,
    pub(super) counting: Counting,
    source: SourceNote,
    first_year: Option<i32>,
    last_year: Option<i32>,
    lacks: Vec<Text>,
}

pub(super) fn counting(params: &Params) -> Result<Counting> {
    let mut c = Counting::default();
    if let Some(r) = &params.role {
        c.role = r
            .parse()
            .map_err(|e: String| EngineError::bad_param("role", e))?;
    }
    if let Some(a) = &params.authority {
        c.authority = a
            .parse()
            .map_err(|e: String| EngineError::bad_param("authority", e))?;
    }
    if let Some(y) = &params.year_basis {
        c.year = y
            .parse()
            .map_err(|e: String| EngineError::bad_param("year-basis", e))?;
    }
    c.fractional = params.fractional.unwrap_or(false);
    Ok(c)
}

/// Whether an analysis that can also run on an open statistics table
/// (`indicator`, such as NCSES's families by field) counts patent
/// microdata: `--source` decides when it names a dataset (microdata unless
/// that dataset holds `indicator`); else microdata when the user imported
/// some (the bundled samples are a demo) or when no dataset holds the
/// table.
pub(super) fn counts_microdata(engine: &Engine, params: &Params, indicator: &str) -> bool {
    if let Some(s) = params.source.as_deref() {
        return !engine.dataset(s).is_some_and(|d| {
            d.manifest
                .series
                .iter()
                .any(|x| x.meta.indicator == indicator)
        });
    }
    user_microdata(engine) || engine.datasets_with(indicator).is_empty()
}

/// Whether the store holds patent microdata the user imported (the
/// bundled samples are a synthetic demo).
pub(super) fn user_microdata(engine: &Engine) -> bool {
    engine.patent_datasets().iter().any(|d| {
        d.origin == crate::Origin::Store
            && d.manifest.patents.as_ref().is_some_and(|p| !p.synthetic)
    })
}

/// The finding under a network: its hub, when it has links.
pub(super) fn hub_finding(net: &Network) -> Option<Text> {
    net.hub().map(|h| {
        Text::new(
            format!(
                "{} is the hub of the network (weighted degree {}, {} partners).",
                h.label.en, h.degree, h.partners
            ),
            format!(
                "{}是网络的枢纽（加权度{}，{}个合作伙伴）。",
                h.label.zh, h.degree, h.partners
            ),
        )
    })
}

pub(super) async fn open(engine: &Engine, params: &Params) -> Result<Ctx> {
    let counting = counting(params)?;
    let (tables, info) = engine.patent_tables(params.source.as_deref())?;
    let m = &info.manifest;
    let p = m.patents.clone().unwrap_or_default();
    let formats: BTreeSet<&str> = m.inputs.iter().map(|i| i.format.as_str()).collect();
    let formats: Vec<&str> = formats.into_iter().collect();
    let (y, mo, d) = crate::civil_from_days((m.imported_at / 86_400) as i64);
    let source = SourceNote {
        dataset: m.id.clone(),
        indicators: Vec::new(),
        source: if p.synthetic {
            "innoscope synth patstat (synthetic demo data, PATSTAT layout)".to_string()
        } else {
            format!("patent microdata ({})", formats.join(", "))
        },
        licence: if p.synthetic {
            "generated; no licence needed".to_string()
        } else {
            "as licensed by the data provider".to_string()
        },
        vintage: format!("imported {y:04}-{mo:02}-{d:02}"),
    };
    let lacks = p
        .lacks
        .iter()
        .map(|l| {
            Text::new(
                format!("{} data have no {}: {}.", l.format, l.what, l.rules_out),
                format!("{} 数据缺少{}：{}。", l.format, l.what_zh, l.rules_out_zh),
            )
        })
        .collect();
    let md =
        Microdata::open_on(&tables, &m.id, p.synthetic, engine.exec(), engine.memory()).await?;
    Ok(Ctx {
        md,
        counting,
        source,
        first_year: p.first_year,
        last_year: p.last_year,
        lacks,
    })
}

impl Ctx {
    /// Reference and base years: the parameters, else the report's
    /// (`default`, `default` − 10) clamped to the dataset's years.
    /// The dataset's first year, else `default`.
    pub(super) fn first_year_or(&self, default: i32) -> i32 {
        self.first_year.unwrap_or(default)
    }

    pub(super) fn years(&self, params: &Params, default: i32) -> Result<(i32, i32)> {
        let last = self.last_year.unwrap_or(default);
        let first = self.first_year.unwrap_or(default - 10);
        let year = params.year.unwrap_or(default.min(last));
        if year < first || year > last {
            return Err(EngineError::bad_param(
                "year",
                format!("{year} is outside the dataset's years {first}–{last}"),
            ));
        }
        let base = params.base_year.unwrap_or((year - 10).max(first));
        if base > year {
            return Err(EngineError::bad_param(
                "base-year",
                format!("{base} is after the reference year {year}"),
            ));
        }
        Ok((year, base))
    }

    pub(super) fn table(&self, id: &str, title: Text) -> ResultTable {
        let mut t = ResultTable::new(id, title);
        t.basis
            .push((Text::new("Counting", "计数口径"), self.counting.describe()));
        t.sources.push(self.source.clone());
        t.synthetic = self.md.synthetic;
        if self.md.synthetic {
            t.notes.push(Text::new(
                "Synthetic demo data generated by `innoscope synth patstat`: the numbers show how the analysis works, not the world. Import PATSTAT or an export to analyse real data.",
                "由 `innoscope synth patstat` 生成的合成演示数据：数字仅用于展示分析方法，不反映真实情况。导入 PATSTAT 或检索导出文件以分析真实数据。",
            ));
        }
        t.notes.extend(self.lacks.iter().cloned());
        t
    }
}

/// A per-year series that does not depend on the request's years, as
/// [`crate::memo`] remembers it: looked up first, so that the counting base
/// holds only the years of the details when the series is known.
pub(super) struct Series<T> {
    key: Option<String>,
    value: Option<T>,
}

impl<T: Clone + Send + Sync + 'static> Series<T> {
    /// The series `what` (with the request's counting conventions) of the
    /// request's dataset, if remembered.
    pub(super) fn look_up(engine: &Engine, ctx: &Ctx, what: &str) -> Series<T> {
        let key = ctx.md.memo_key(what, &ctx.counting);
        let value = key.as_deref().and_then(|k| engine.memo().get::<T>(k));
        Series { key, value }
    }

    /// The years the counting base must hold: those of the details when the
    /// series is remembered, else all (the series is computed from it).
    pub(super) fn years(&self, details: Vec<i32>) -> Years {
        match self.value {
            Some(_) => Years::Only(details),
            None => Years::All,
        }
    }

    /// The series: remembered, else computed by `compute` (from a base of
    /// all years) and remembered.
    pub(super) async fn get(
        self,
        engine: &Engine,
        compute: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        if let Some(v) = self.value {
            return Ok(v);
        }
        let v = compute.await?;
        if let Some(k) = self.key {
            engine.memo().put(k, v.clone());
        }
        Ok(v)
    }
}

pub(super) fn a3(code: &str) -> String {
    Registry::bundled()
        .by_code(code)
        .map(|e| e.code.clone())
        .unwrap_or_else(|| code.to_string())
}

pub(super) fn name(code: &str, zh: bool) -> String {
    let t = Registry::bundled().names_of(code);
    if zh { t.zh } else { t.en }
}

pub(super) fn pct(x: f64) -> f64 {
    x * 100.0
}

pub(super) fn params_map(params: &Params, counting: &Counting) -> BTreeMap<String, String> {
    let mut m = super::common::given_params(params);
    m.insert("counting".into(), counting.describe().en);
    m
}

/// The node table of a network, with its figure.
pub(super) fn network_table(ctx: &Ctx, net: &Network, id: &str, unit: Text) -> ResultTable {
    let codes: Vec<String> = net.nodes.iter().map(|n| n.id.clone()).collect();
    node_table(ctx, net, id, unit, economy_columns(&codes), "economy")
}

/// The node table of a network whose nodes are described by `node_columns`
/// (ids first, then names), with its figure labelled by `label`.
pub(super) fn node_table(
    ctx: &Ctx,
    net: &Network,
    id: &str,
    unit: Text,
    node_columns: Vec<Column>,
    label: &str,
) -> ResultTable {
    with_nodes(
        ctx.table(id, net.title.clone()),
        net,
        unit,
        node_columns,
        label,
    )
}

/// `t` with the node columns of `net`, its metrics and its figure.
pub(super) fn with_nodes(
    mut t: ResultTable,
    net: &Network,
    unit: Text,
    node_columns: Vec<Column>,
    label: &str,
) -> ResultTable {
    t.columns = node_columns;
    t.columns.push(Column::float(
        "weight",
        Text::new("Co-applications", "合作申请量"),
        None,
        0,
        net.nodes.iter().map(|n| Some(n.weight)).collect(),
    ));
    t.columns.push(Column::float(
        "weighted_degree",
        Text::new("Weighted degree", "加权度"),
        None,
        0,
        net.nodes.iter().map(|n| Some(n.degree)).collect(),
    ));
    t.columns.push(Column::int(
        "partners",
        Text::new("Partners", "合作伙伴数"),
        None,
        net.nodes.iter().map(|n| Some(n.partners as i64)).collect(),
    ));
    t.columns.push(Column::float(
        "betweenness",
        Text::new("Betweenness", "中介中心性"),
        None,
        4,
        net.nodes.iter().map(|n| Some(n.betweenness)).collect(),
    ));
    t.columns.push(Column::int(
        "community",
        Text::new("Community", "社区"),
        None,
        net.nodes
            .iter()
            .map(|n| Some(n.community as i64 + 1))
            .collect(),
    ));
    t.columns.push(Column::float(
        "x",
        Text::new("Layout x", "布局 x"),
        None,
        4,
        net.nodes.iter().map(|n| Some(n.x)).collect(),
    ));
    t.columns.push(Column::float(
        "y",
        Text::new("Layout y", "布局 y"),
        None,
        4,
        net.nodes.iter().map(|n| Some(n.y)).collect(),
    ));
    t.basis.push((
        Text::new("Network metrics", "网络指标"),
        Text::new(
            "weighted degree = sum of link weights; betweenness on distance 1/weight (normalised); communities by Louvain (seeded)",
            "加权度 = 连线权重之和；中介中心性以 1/权重 为距离（归一化）；社区由 Louvain 算法（固定种子）划分",
        ),
    ));
    t.figure = Some(Figure::Network {
        id: net.id.clone(),
        label: label.into(),
        size: "weight".into(),
        x: "x".into(),
        y: "y".into(),
        group: "community".into(),
        edges: net
            .edges
            .iter()
            .map(|e| NetworkEdge {
                source: net.nodes[e.source].id.clone(),
                target: net.nodes[e.target].id.clone(),
                weight: e.weight,
            })
            .collect(),
        unit,
    });
    t
}

pub(super) fn network_fields(params: &Params) -> Result<Classification> {
    match &params.fields_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                EngineError::bad_param("fields-file", format!("{path}: cannot read: {e}"))
            })?;
            builtin::network_fields_from(path, &text)
                .map_err(|e| EngineError::bad_param("fields-file", e.to_string()))
        }
        None => Ok(builtin::network_fields()),
    }
}

/// Rank rows of (key, value) descending, ties by key.
pub(super) fn ranked(mut v: Vec<(String, f64)>) -> Vec<(String, f64)> {
    v.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
    v
}

/// 1-based rank of `key` in a ranked list.
pub(super) fn pos(ranked: &[(String, f64)], key: &str) -> Option<i64> {
    ranked
        .iter()
        .position(|(x, _)| x == key)
        .map(|i| i as i64 + 1)
}

/// Value of `key` in a ranked list.
pub(super) fn val(ranked: &[(String, f64)], key: &str) -> Option<f64> {
    ranked.iter().find(|(x, _)| x == key).map(|(_, v)| *v)
}

/// The columns of a base-vs-reference ranking: applications and rank in
/// each year, for `keys` (`ranked` lists are sorted descending).
pub(super) fn ranking_columns(
    keys: &[String],
    (base_year, rb): (i32, &[(String, f64)]),
    (year, rr): (i32, &[(String, f64)]),
    decimals: u8,
) -> Vec<Column> {
    let mut out = Vec::new();
    for (y, r, suffix) in [(base_year, rb, "_base"), (year, rr, "")] {
        out.push(Column::float(
            &format!("applications{suffix}"),
            Text::new(format!("Applications {y}"), format!("{y}年申请量")),
            None,
            decimals,
            keys.iter().map(|c| val(r, c)).collect(),
        ));
        out.push(Column::int(
            &format!("rank{suffix}"),
            Text::new(format!("Rank {y}"), format!("{y}年排名")),
            None,
            keys.iter().map(|c| pos(r, c)).collect(),
        ));
    }
    out
}
