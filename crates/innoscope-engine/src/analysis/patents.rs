//! Analyses on patent microdata: K1 (international co-applications), K2
//! (field co-patenting networks), C4M (applications per economy and
//! applicant concentration), I4 (technology fields) and I5 (green patents).
//!
//! Each is a thin layer over the plans of [`crate::microdata`]: it chooses
//! the counting conventions from [`Params`], runs the plans, and turns the
//! rows into [`ResultTable`]s with findings, basis and sources. The counting
//! conventions are printed in every table's basis.

use std::collections::{BTreeMap, BTreeSet};

use innoscope_core::classify::{Classification, GreenMethod, builtin};
use innoscope_core::network::Network;
use innoscope_core::table::NetworkEdge;
use innoscope_core::{Column, Figure, Registry, ResultTable, SourceNote, Text};

use super::Params;
use super::common::{economy_columns, name_list};
use super::param::w;
use super::registry::Numbering;
use super::registry::{Analysis, DefaultValue as D, Use, YearShift, at, use_h};
use crate::Engine;
use crate::error::{EngineError, Result};
use crate::microdata::{Counting, Microdata, Rows};

/// The default reference year of the microdata analyses (or the data's last year).
pub(super) const MICRO_YEAR: i32 = 2020;
/// Seed of network layouts and community detection.
pub(super) const SEED: u64 = 1;

const MICRO_YEAR_RULE: D = D::Rule(w(
    "2020 (or the data's last year)",
    "2020（或数据的最后一年）",
));
const BASE_RULE: D = D::Rule(w("year − 10", "参考年份－10"));

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

/// An opened patent dataset with the counting conventions of the request.
pub(super) struct Ctx {
    pub(super) md: Microdata,
    pub(super) counting: Counting,
    source: SourceNote,
    first_year: Option<i32>,
    last_year: Option<i32>,
    lacks: Vec<Text>,
}

fn counting(params: &Params) -> Result<Counting> {
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
    let md = Microdata::open_on(&tables, &m.id, p.synthetic, engine.exec()).await?;
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

fn rows_in_year(r: &Rows, year: i32) -> Vec<&Vec<crate::microdata::Cell>> {
    let y = r.col("year");
    r.values
        .iter()
        .filter(|row| row[y].as_i64() == year as i64)
        .collect()
}

const K1_TOP: usize = 20;

pub(super) const K1: Analysis = Analysis {
    id: "K1",
    name: "co-applications",
    title: w("International co-applications", "国际合作专利申请"),
    chapter: "cooperation",
    params: &[
        use_h("year", MICRO_YEAR_RULE, w("reference year", "参考年份")),
        use_h(
            "top",
            D::Int(K1_TOP as i64),
            w(
                "economies in the table and the network",
                "表格与网络中的经济体数",
            ),
        ),
        use_h(
            "seed",
            D::Int(SEED as i64),
            w("seed of the network layout", "网络布局的随机种子"),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.2", "k1")],
    numbers: &[("K1", Numbering::Figure(8))],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(k1(e, p)),
};

/// K1: international co-applications per year; per economy in the
/// reference year (count, share of the world's, rank, partners, largest
/// partner, overlap with the top-N by applications); the pair network.
pub async fn k1(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, _) = ctx.years(params, MICRO_YEAR)?;
    let n = params.top.unwrap_or(K1_TOP);
    let base = ctx.md.prepare(&ctx.counting, &[]).await?;
    let totals = base.totals(false).await?;
    let ci = base.country_intl().await?;
    let pairs = base.pairs().await?;
    let cc = base.country_counts(Some(n)).await?;

    // K1: yearly series.
    let mut t = ctx.table(
        "K1",
        Text::new(
            "International co-applications per year",
            "国际合作专利申请量及占比（按年）",
        ),
    );
    let (ty, tn, ti, ts) = (
        totals.col("year"),
        totals.col("pct_apps"),
        totals.col("intl_apps"),
        totals.col("intl_share"),
    );
    t.columns.push(Column::int(
        "year",
        Text::new("Year", "年份"),
        None,
        totals.values.iter().map(|r| Some(r[ty].as_i64())).collect(),
    ));
    t.columns.push(Column::int(
        "applications",
        Text::new("Applications", "申请量"),
        None,
        totals.values.iter().map(|r| Some(r[tn].as_i64())).collect(),
    ));
    t.columns.push(Column::int(
        "intl_applications",
        Text::new("International co-applications", "国际合作申请量"),
        None,
        totals.values.iter().map(|r| Some(r[ti].as_i64())).collect(),
    ));
    t.columns.push(Column::float(
        "intl_share",
        Text::new("Share of applications", "占申请总量比重"),
        Some(Text::new("%", "%")),
        2,
        totals
            .values
            .iter()
            .map(|r| Some(pct(r[ts].as_f64())))
            .collect(),
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "year".into(),
        bars: "intl_applications".into(),
        bar_unit: Text::new("applications", "件"),
        line: "intl_share".into(),
        line_unit: Text::new("%", "%"),
    });
    let who = ctx.counting.role.noun();
    t.basis.push((
        Text::new("International", "国际合作"),
        Text::new(
            format!(
                "an application whose {} have two or more distinct known country codes",
                who.en
            ),
            format!("{}来自两个及以上不同（已知）国家或地区的申请", who.zh),
        ),
    ));
    if let Some(r) = totals.values.iter().find(|r| r[ty].as_i64() == year as i64) {
        t.findings.push(Text::new(
            format!(
                "In {year}, {} of {} applications ({:.1}%) had {} from two or more economies.",
                r[ti].as_i64(),
                r[tn].as_i64(),
                pct(r[ts].as_f64()),
                who.en
            ),
            format!(
                "{year}年，{}件申请中有{}件（{:.1}%）的{}来自两个及以上经济体。",
                r[tn].as_i64(),
                r[ti].as_i64(),
                pct(r[ts].as_f64()),
                who.zh
            ),
        ));
    }
    t.params = params_map(params, &ctx.counting);
    let k1_series = t;

    // K1.economies: the reference year.
    let rows = rows_in_year(&ci, year);
    let (cc_c, ci_n, ci_s, ci_tp, ci_tpn, ci_p) = (
        ci.col("ctry"),
        ci.col("intl_apps"),
        ci.col("share"),
        ci.col("top_partner"),
        ci.col("top_partner_apps"),
        ci.col("partners"),
    );
    let top: Vec<&Vec<crate::microdata::Cell>> = rows.into_iter().take(n).collect();
    let codes: Vec<String> = top.iter().map(|r| a3(r[cc_c].as_str())).collect();
    let top_apps: BTreeSet<String> = rows_in_year(&cc, year)
        .iter()
        .map(|r| a3(r[cc.col("ctry")].as_str()))
        .collect();
    let mut e = ctx.table(
        "K1.economies",
        Text::new(
            format!("International co-applications by economy, {year} (top {n})"),
            format!("{year}年各经济体国际合作专利申请量（前{n}位）"),
        ),
    );
    e.columns = economy_columns(&codes);
    e.columns.push(Column::int(
        "intl_applications",
        Text::new("International co-applications", "国际合作申请量"),
        None,
        top.iter().map(|r| Some(r[ci_n].as_i64())).collect(),
    ));
    e.columns.push(Column::float(
        "share_of_world",
        Text::new("Share of the world's", "占全球国际合作申请比重"),
        Some(Text::new("%", "%")),
        2,
        top.iter().map(|r| Some(pct(r[ci_s].as_f64()))).collect(),
    ));
    e.columns.push(Column::int(
        "rank",
        Text::new("Rank", "排名"),
        None,
        (1..=top.len() as i64).map(Some).collect(),
    ));
    e.columns.push(Column::int(
        "partners",
        Text::new("Partner economies", "合作经济体数"),
        None,
        top.iter().map(|r| Some(r[ci_p].as_i64())).collect(),
    ));
    let partners: Vec<String> = top.iter().map(|r| a3(r[ci_tp].as_str())).collect();
    e.columns.push(Column::text(
        "top_partner",
        Text::new("Largest partner", "最大合作伙伴"),
        partners.iter().map(|c| Some(c.clone())).collect(),
    ));
    e.columns.push(Column::text(
        "top_partner_en",
        Text::new("Largest partner", "最大合作伙伴（英文）"),
        partners.iter().map(|c| Some(name(c, false))).collect(),
    ));
    e.columns.push(Column::text(
        "top_partner_zh",
        Text::new("Largest partner (zh)", "最大合作伙伴"),
        partners.iter().map(|c| Some(name(c, true))).collect(),
    ));
    e.columns.push(Column::int(
        "top_partner_applications",
        Text::new("Co-applications with it", "与其合作申请量"),
        None,
        top.iter().map(|r| Some(r[ci_tpn].as_i64())).collect(),
    ));
    e.columns.push(Column::bool(
        "in_application_top",
        Text::new(
            format!("In top {n} by applications"),
            format!("位列申请量前{n}"),
        ),
        codes.iter().map(|c| Some(top_apps.contains(c))).collect(),
    ));
    e.basis.push((
        Text::new("Shares", "比重"),
        Text::new(
            "whole counting: each economy counts every co-application it takes part in, so shares add up to more than 100%",
            "整数计数：每个经济体计入其参与的每件合作申请，因此各经济体比重之和超过100%",
        ),
    ));
    if let Some(first) = codes.first() {
        e.findings.push(Text::new(
            format!(
                "{} took part in the most international co-applications in {year} ({}, {:.1}% of the world's).",
                name(first, false),
                top[0][ci_n].as_i64(),
                pct(top[0][ci_s].as_f64())
            ),
            format!(
                "{year}年{}参与的国际合作申请最多（{}件，占全球的{:.1}%）。",
                name(first, true),
                top[0][ci_n].as_i64(),
                pct(top[0][ci_s].as_f64())
            ),
        ));
        let mut freq: BTreeMap<&String, usize> = BTreeMap::new();
        for p in &partners {
            *freq.entry(p).or_default() += 1;
        }
        if let Some((p, k)) = freq.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            e.findings.push(Text::new(
                format!(
                    "{} is the largest partner of {k} of the top {}.",
                    name(p, false),
                    codes.len()
                ),
                format!(
                    "{}是前{}位中{k}个经济体的最大合作伙伴。",
                    name(p, true),
                    codes.len()
                ),
            ));
        }
        let overlap = codes.iter().filter(|c| top_apps.contains(*c)).count();
        e.findings.push(Text::new(
            format!(
                "{overlap} of these {} economies are also in the top {n} by applications.",
                codes.len()
            ),
            format!("其中{overlap}个经济体同时位列申请量前{n}位。"),
        ));
    }
    e.params = params_map(params, &ctx.counting);

    // K1.network: pairs among the top economies.
    let py = rows_in_year(&pairs, year);
    let (pa, pb, pn) = (pairs.col("ctry_a"), pairs.col("ctry_b"), pairs.col("apps"));
    let set: BTreeSet<String> = codes.iter().cloned().collect();
    let edges: Vec<(String, String, f64)> = py
        .iter()
        .map(|r| (a3(r[pa].as_str()), a3(r[pb].as_str()), r[pn].as_f64()))
        .filter(|(a, b, _)| set.contains(a) && set.contains(b))
        .collect();
    let nodes = codes
        .iter()
        .zip(&top)
        .map(|(c, r)| (c.clone(), Registry::bundled().names_of(c), r[ci_n].as_f64()));
    let net = Network::build(
        "K1.network",
        Text::new(
            format!("Co-application network of the top {n}, {year}"),
            format!("{year}年前{n}位经济体国际合作网络"),
        ),
        ctx.counting.describe(),
        nodes,
        edges,
        params.seed.unwrap_or(SEED),
    );
    let mut nt = network_table(
        &ctx,
        &net,
        "K1.network",
        Text::new("co-applications", "合作申请量"),
    );
    nt.params = params_map(params, &ctx.counting);
    if let Some(h) = net.hub() {
        nt.findings.push(Text::new(
            format!(
                "{} is the hub of the network (weighted degree {}, {} partners).",
                h.label.en, h.degree, h.partners
            ),
            format!(
                "{}是网络的枢纽（加权度{}，{}个合作伙伴）。",
                h.label.zh, h.degree, h.partners
            ),
        ));
    }
    Ok(vec![k1_series, e, nt])
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
    let mut t = ctx.table(id, net.title.clone());
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

const K2_MIN_WEIGHT: i64 = 5;

/// The built-in network fields (the report's two).
pub(super) const FIELDS_RULE: D = D::Rule(w("built-in: medical, wireless", "内置：医疗、无线通信"));

pub(super) const K2: Analysis = Analysis {
    id: "K2",
    name: "field-networks",
    title: w("Field co-patenting networks", "技术领域国际合作网络"),
    chapter: "cooperation",
    params: &[
        use_h("year", MICRO_YEAR_RULE, w("reference year", "参考年份")),
        use_h(
            "min-weight",
            D::Int(K2_MIN_WEIGHT),
            w(
                "keep pairs with more than this many co-applications",
                "保留合作申请数多于此值的经济体对",
            ),
        ),
        use_h(
            "fields-file",
            FIELDS_RULE,
            w("technology fields file", "技术领域文件"),
        ),
        use_h(
            "seed",
            D::Int(SEED as i64),
            w(
                "seed of the layout and communities",
                "布局与社区发现的随机种子",
            ),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.2", "k2")],
    numbers: &[
        ("K2.medical", Numbering::Figure(9)),
        ("K2.wireless", Numbering::Figure(10)),
    ],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(k2(e, p)),
};

/// K2: the co-application network of each technology field in the
/// reference year, with pairs above the threshold; the hub.
pub async fn k2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, _) = ctx.years(params, MICRO_YEAR)?;
    let min = params.min_weight.unwrap_or(K2_MIN_WEIGHT);
    let fields = network_fields(params)?;
    let base = ctx.md.prepare(&ctx.counting, &[&fields]).await?;
    let fp = base.field_pairs(&fields, min).await?;
    let nodes = base.field_countries().await?;
    let mut out = Vec::new();
    for cat in &fields.categories {
        let (ff, fa, fb, fn_) = (
            fp.col("field"),
            fp.col("ctry_a"),
            fp.col("ctry_b"),
            fp.col("apps"),
        );
        let edges: Vec<(String, String, f64)> = rows_in_year(&fp, year)
            .into_iter()
            .filter(|r| r[ff].as_str() == cat.id)
            .map(|r| (a3(r[fa].as_str()), a3(r[fb].as_str()), r[fn_].as_f64()))
            .collect();
        let in_net: BTreeSet<&String> = edges.iter().flat_map(|(a, b, _)| [a, b]).collect();
        let (nf, nc, nn) = (nodes.col("field"), nodes.col("ctry"), nodes.col("apps"));
        let node_list: Vec<(String, Text, f64)> = rows_in_year(&nodes, year)
            .into_iter()
            .filter(|r| r[nf].as_str() == cat.id)
            .map(|r| (a3(r[nc].as_str()), r[nn].as_f64()))
            .filter(|(c, _)| in_net.contains(c))
            .map(|(c, w)| (c.clone(), Registry::bundled().names_of(&c), w))
            .collect();
        let net = Network::build(
            &format!("K2.{}", cat.id),
            Text::new(
                format!(
                    "{} co-patenting network, {year} (pairs with more than {min})",
                    cat.name.en
                ),
                format!(
                    "{year}年{}领域国际合作网络（合作申请量大于{min}件的经济体对）",
                    cat.name.zh
                ),
            ),
            ctx.counting.describe(),
            node_list,
            edges,
            params.seed.unwrap_or(SEED),
        );
        let mut t = network_table(
            &ctx,
            &net,
            &format!("K2.{}", cat.id),
            Text::new("co-applications in the field", "该领域合作申请量"),
        );
        let prefixes: Vec<String> = fields
            .rules
            .iter()
            .filter(|(_, i)| fields.categories[*i].id == cat.id)
            .map(|(p, _)| p.display())
            .collect();
        t.basis.push((
            Text::new("Field", "技术领域"),
            Text::new(
                format!(
                    "{}: applications with a symbol starting {}",
                    cat.name.en,
                    prefixes.join(", ")
                ),
                format!(
                    "{}：含以 {} 开头的分类号的申请",
                    cat.name.zh,
                    prefixes.join("、")
                ),
            ),
        ));
        t.basis.push((
            Text::new("Threshold", "阈值"),
            Text::new(
                format!("pairs with more than {min} co-applications"),
                format!("合作申请量大于{min}件的经济体对"),
            ),
        ));
        match net.hub() {
            Some(h) => {
                t.findings.push(Text::new(
                    format!(
                        "{} is the hub of the {} network (weighted degree {}, {} partners).",
                        h.label.en, cat.name.en, h.degree, h.partners
                    ),
                    format!(
                        "{}是{}领域合作网络的枢纽（加权度{}，{}个合作伙伴）。",
                        h.label.zh, cat.name.zh, h.degree, h.partners
                    ),
                ));
                let biggest = net.edges.iter().max_by(|a, b| {
                    a.weight
                        .partial_cmp(&b.weight)
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                if let Some(b) = biggest {
                    let (x, y) = (&net.nodes[b.source], &net.nodes[b.target]);
                    t.findings.push(Text::new(
                        format!(
                            "{} economies and {} links; the strongest tie is {}–{} ({}).",
                            net.nodes.len(),
                            net.edges.len(),
                            x.label.en,
                            y.label.en,
                            b.weight
                        ),
                        format!(
                            "网络含{}个经济体、{}条连线；最强的合作关系为{}—{}（{}件）。",
                            net.nodes.len(),
                            net.edges.len(),
                            x.label.zh,
                            y.label.zh,
                            b.weight
                        ),
                    ));
                }
            }
            None => t.findings.push(Text::new(
                format!(
                    "No pair of economies has more than {min} co-applications in {} in {year}.",
                    cat.name.en
                ),
                format!(
                    "{year}年{}领域没有合作申请量超过{min}件的经济体对。",
                    cat.name.zh
                ),
            )),
        }
        t.params = params_map(params, &ctx.counting);
        out.push(t);
    }
    Ok(out)
}

/// Rank rows of (key, value) descending, ties by key.
fn ranked(mut v: Vec<(String, f64)>) -> Vec<(String, f64)> {
    v.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
    v
}

/// 1-based rank of `key` in a ranked list.
fn pos(ranked: &[(String, f64)], key: &str) -> Option<i64> {
    ranked
        .iter()
        .position(|(x, _)| x == key)
        .map(|i| i as i64 + 1)
}

/// Value of `key` in a ranked list.
fn val(ranked: &[(String, f64)], key: &str) -> Option<f64> {
    ranked.iter().find(|(x, _)| x == key).map(|(_, v)| *v)
}

/// The columns of a base-vs-reference ranking: applications and rank in
/// each year, for `keys` (`ranked` lists are sorted descending).
fn ranking_columns(
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

const C4M_TOP: usize = 20;

pub(super) const C4M: Analysis = Analysis {
    id: "C4M",
    name: "applications-micro",
    title: w(
        "Applications by economy and applicant concentration (microdata)",
        "各经济体申请量与申请人集中度（微观数据）",
    ),
    chapter: "competition",
    params: &[
        use_h("year", MICRO_YEAR_RULE, w("reference year", "参考年份")),
        use_h("base-year", BASE_RULE, w("base year", "基期年份")),
        use_h(
            "top",
            D::Int(C4M_TOP as i64),
            w("size of the rankings", "排名规模"),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.1", "c4m")],
    numbers: &[],
    year_shift: YearShift::YearAndBase(10),
    run: |e, p| Box::pin(c4m(e, p)),
};

/// C4M: applications per economy from microdata (whole or fractional),
/// top-N then and now, top-N share; applicant concentration over years.
pub async fn c4m(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, base_year) = ctx.years(params, MICRO_YEAR)?;
    let n = params.top.unwrap_or(C4M_TOP);
    let base = ctx.md.prepare(&ctx.counting, &[]).await?;
    let cc = base.country_counts(None).await?;
    let value_col = if ctx.counting.fractional {
        "frac_apps"
    } else {
        "apps"
    };
    let (cy, cc_c, cv) = (cc.col("year"), cc.col("ctry"), cc.col(value_col));
    let in_year = |y: i32| {
        ranked(
            cc.values
                .iter()
                .filter(|r| r[cy].as_i64() == y as i64)
                .map(|r| (a3(r[cc_c].as_str()), r[cv].as_f64()))
                .collect(),
        )
    };
    let (rb, rr) = (in_year(base_year), in_year(year));
    let totals = base.totals(false).await?;
    let total = |y: i32| {
        totals
            .values
            .iter()
            .find(|r| r[0].as_i64() == y as i64)
            .map(|r| r[1].as_f64())
            .unwrap_or(0.0)
    };
    let top_ref: Vec<String> = rr.iter().take(n).map(|(c, _)| c.clone()).collect();
    let top_base: Vec<String> = rb.iter().take(n).map(|(c, _)| c.clone()).collect();
    let mut codes = top_ref.clone();
    codes.extend(top_base.iter().filter(|c| !top_ref.contains(c)).cloned());
    let mut t = ctx.table(
        "C4M",
        Text::new(
            format!("Applications by economy from microdata: top {n}, {base_year} and {year}"),
            format!("基于专利微观数据的各经济体申请量：{base_year}年与{year}年前{n}位"),
        ),
    );
    t.columns = economy_columns(&codes);
    let dec = if ctx.counting.fractional { 1 } else { 0 };
    t.columns
        .extend(ranking_columns(&codes, (base_year, &rb), (year, &rr), dec));
    let ty = total(year);
    t.columns.push(Column::float(
        "share",
        Text::new(
            format!("Share of applications {year}"),
            format!("{year}年占申请总量比重"),
        ),
        Some(Text::new("%", "%")),
        2,
        codes
            .iter()
            .map(|c| val(&rr, c).map(|v| v / ty * 100.0))
            .collect(),
    ));
    t.figure = Some(Figure::RankChange {
        label: "economy".into(),
        rank_from: "rank_base".into(),
        rank_to: "rank".into(),
        from: Text::same(base_year.to_string()),
        to: Text::same(year.to_string()),
    });
    let share_top =
        |r: &[(String, f64)], tot: f64| r.iter().take(n).map(|(_, v)| v).sum::<f64>() / tot * 100.0;
    let (sb, sr) = (share_top(&rb, total(base_year)), share_top(&rr, ty));
    if ctx.counting.fractional {
        t.findings.push(Text::new(
            format!("With fractional counting, the top {n} economies hold {sb:.1}% of applications in {base_year} and {sr:.1}% in {year}."),
            format!("按分数计数，前{n}位经济体的申请量占比从{base_year}年的{sb:.1}%变为{year}年的{sr:.1}%。"),
        ));
    } else {
        t.findings.push(Text::new(
            format!("The top {n} economies take part in {sb:.1}% of applications in {base_year} and {sr:.1}% in {year} (whole counting: an application with several economies counts for each)."),
            format!("前{n}位经济体参与的申请占比从{base_year}年的{sb:.1}%变为{year}年的{sr:.1}%（整数计数：多国申请计入每个经济体）。"),
        ));
    }
    if let Some((lead, v)) = rr.first() {
        t.findings.push(Text::new(
            format!(
                "{} leads in {year} with {v:.0} applications.",
                name(lead, false)
            ),
            format!("{year}年{}以{v:.0}件居首。", name(lead, true)),
        ));
    }
    let entered: Vec<String> = top_ref
        .iter()
        .filter(|c| !top_base.contains(c))
        .cloned()
        .collect();
    if !entered.is_empty() {
        let names = name_list(&entered);
        t.findings.push(Text::new(
            format!("New in the top {n} since {base_year}: {}.", names.en),
            format!("{base_year}年以来新进入前{n}位的经济体：{}。", names.zh),
        ));
    }
    t.params = params_map(params, &ctx.counting);

    // Applicant concentration.
    let conc = base.applicant_concentration(n).await?;
    let mut a = ctx.table(
        "C4M.applicants",
        Text::new(
            format!("Share of applications filed by the top {n} applicants"),
            format!("前{n}位申请人的申请量占比"),
        ),
    );
    let (ay, at, atop, ash) = (
        conc.col("year"),
        conc.col("total_apps"),
        conc.col("top_apps"),
        conc.col("share"),
    );
    a.columns.push(Column::int(
        "year",
        Text::new("Year", "年份"),
        None,
        conc.values.iter().map(|r| Some(r[ay].as_i64())).collect(),
    ));
    a.columns.push(Column::int(
        "applications",
        Text::new("Applications", "申请量"),
        None,
        conc.values.iter().map(|r| Some(r[at].as_i64())).collect(),
    ));
    a.columns.push(Column::int(
        "top_applications",
        Text::new(
            format!("With a top-{n} applicant"),
            format!("含前{n}位申请人的申请量"),
        ),
        None,
        conc.values.iter().map(|r| Some(r[atop].as_i64())).collect(),
    ));
    a.columns.push(Column::float(
        "top_share",
        Text::new("Share", "占比"),
        Some(Text::new("%", "%")),
        2,
        conc.values
            .iter()
            .map(|r| Some(pct(r[ash].as_f64())))
            .collect(),
    ));
    a.figure = Some(Figure::BarsWithLine {
        label: "year".into(),
        bars: "applications".into(),
        bar_unit: Text::new("applications", "件"),
        line: "top_share".into(),
        line_unit: Text::new("%", "%"),
    });
    a.basis.push((
        Text::new("Applicants", "申请人"),
        Text::new(
            "persons as the source identifies them (PATSTAT person_id; export name and country), before harmonising names into corporate groups",
            "按数据源识别的申请人（PATSTAT person_id；导出数据的名称与国家），未做名称归并和企业集团合并",
        ),
    ));
    let top_names = base.top_applicants(year, 5).await?;
    if !top_names.is_empty() {
        let names: Vec<String> = top_names
            .values
            .iter()
            .map(|r| format!("{} ({})", r[0].as_str(), r[2].as_i64()))
            .collect();
        a.findings.push(Text::new(
            format!("Largest applicants in {year}: {}.", names.join("; ")),
            format!("{year}年申请量最多的申请人：{}。", names.join("；")),
        ));
    }
    if let (Some(f), Some(l)) = (
        conc.values
            .iter()
            .find(|r| r[ay].as_i64() == base_year as i64),
        conc.values.iter().find(|r| r[ay].as_i64() == year as i64),
    ) {
        a.findings.push(Text::new(
            format!(
                "The top {n} applicants' share moved from {:.1}% in {base_year} to {:.1}% in {year}.",
                pct(f[ash].as_f64()),
                pct(l[ash].as_f64())
            ),
            format!(
                "前{n}位申请人的申请量占比从{base_year}年的{:.1}%变为{year}年的{:.1}%。",
                pct(f[ash].as_f64()),
                pct(l[ash].as_f64())
            ),
        ));
    }
    a.params = params_map(params, &ctx.counting);
    Ok(vec![t, a])
}

const I4_TOP: usize = 10;

pub(super) const I4: Analysis = Analysis {
    id: "I4",
    name: "tech-fields",
    title: w("Technology fields", "技术领域"),
    chapter: "industry",
    params: &[
        use_h("year", MICRO_YEAR_RULE, w("reference year", "参考年份")),
        use_h("base-year", BASE_RULE, w("base year", "基期年份")),
        use_h(
            "top",
            D::Int(I4_TOP as i64),
            w("fields ranked", "排名的技术领域数"),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.4", "i4")],
    numbers: &[("I4", Numbering::Figure(19))],
    year_shift: YearShift::YearAndBase(10),
    run: |e, p| Box::pin(i4(e, p)),
};

/// I4: applications per WIPO technology field, base vs reference year:
/// top-N ranks and moves.
pub async fn i4(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, base_year) = ctx.years(params, MICRO_YEAR)?;
    let n = params.top.unwrap_or(I4_TOP);
    let fields = builtin::technology_fields();
    let base = ctx.md.prepare(&ctx.counting, &[&fields]).await?;
    base.classify("tech", &fields, "sel").await?;
    let per = base.per_category("tech").await?;
    let col = if ctx.counting.fractional {
        "frac_apps"
    } else {
        "apps"
    };
    let (py, pc, pv) = (per.col("year"), per.col("category"), per.col(col));
    let in_year = |y: i32| {
        ranked(
            per.values
                .iter()
                .filter(|r| r[py].as_i64() == y as i64)
                .map(|r| (r[pc].as_str().to_string(), r[pv].as_f64()))
                .collect(),
        )
    };
    let (rb, rr) = (in_year(base_year), in_year(year));
    let top_ref: Vec<String> = rr.iter().take(n).map(|(c, _)| c.clone()).collect();
    let top_base: Vec<String> = rb.iter().take(n).map(|(c, _)| c.clone()).collect();
    let mut ids = top_ref.clone();
    ids.extend(top_base.iter().filter(|c| !top_ref.contains(c)).cloned());
    let cat = |id: &str| fields.categories.iter().find(|c| c.id == id);
    let mut t = ctx.table(
        "I4",
        Text::new(
            format!("Applications by technology field: top {n}, {base_year} and {year}"),
            format!("各技术领域申请量：{base_year}年与{year}年前{n}位"),
        ),
    );
    t.columns.push(Column::text(
        "field",
        Text::new("Field no.", "领域编号"),
        ids.iter().map(|i| Some(i.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_en",
        Text::new("Field", "技术领域（英文）"),
        ids.iter()
            .map(|i| cat(i).map(|c| c.name.en.clone()))
            .collect(),
    ));
    t.columns.push(Column::text(
        "name_zh",
        Text::new("Field (zh)", "技术领域"),
        ids.iter()
            .map(|i| cat(i).map(|c| c.name.zh.clone()))
            .collect(),
    ));
    t.columns.push(Column::text(
        "sector_en",
        Text::new("Sector", "部门（英文）"),
        ids.iter()
            .map(|i| cat(i).and_then(|c| c.group.as_ref()).map(|g| g.en.clone()))
            .collect(),
    ));
    t.columns.push(Column::text(
        "sector_zh",
        Text::new("Sector (zh)", "部门"),
        ids.iter()
            .map(|i| cat(i).and_then(|c| c.group.as_ref()).map(|g| g.zh.clone()))
            .collect(),
    ));
    let dec = if ctx.counting.fractional { 1 } else { 0 };
    t.columns
        .extend(ranking_columns(&ids, (base_year, &rb), (year, &rr), dec));
    t.columns.push(Column::int(
        "rank_change",
        Text::new("Places gained", "名次变化"),
        None,
        ids.iter()
            .map(|c| Some(pos(&rb, c)? - pos(&rr, c)?))
            .collect(),
    ));
    t.figure = Some(Figure::RankChange {
        label: "field".into(),
        rank_from: "rank_base".into(),
        rank_to: "rank".into(),
        from: Text::same(base_year.to_string()),
        to: Text::same(year.to_string()),
    });
    t.basis.push((
        Text::new("Fields", "技术领域"),
        Text::new(
            format!(
                "{} ({}); an application counts in every field of its IPC symbols{}",
                fields.name.en,
                fields.source,
                if ctx.counting.fractional {
                    ", split equally between them"
                } else {
                    ""
                }
            ),
            format!(
                "{}（{}）；申请计入其IPC分类号所属的每个领域{}",
                fields.name.zh,
                fields.source,
                if ctx.counting.fractional {
                    "，并在各领域间平均分配"
                } else {
                    ""
                }
            ),
        ),
    ));
    if let Some((lead, v)) = rr.first() {
        let c = cat(lead);
        t.findings.push(Text::new(
            format!(
                "{} is the largest field in {year} ({v:.0} applications).",
                c.map(|c| c.name.en.as_str()).unwrap_or(lead)
            ),
            format!(
                "{year}年申请量最大的技术领域是{}（{v:.0}件）。",
                c.map(|c| c.name.zh.as_str()).unwrap_or(lead)
            ),
        ));
    }
    let mut risers: Vec<(i64, &String)> = top_ref
        .iter()
        .filter_map(|c| Some((pos(&rb, c)? - pos(&rr, c)?, c)))
        .filter(|(d, _)| *d > 0)
        .collect();
    risers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    if let Some((d, c)) = risers.first() {
        let k = cat(c);
        t.findings.push(Text::new(
            format!(
                "{} rose the most among the top {n}: {d} places since {base_year}.",
                k.map(|c| c.name.en.as_str()).unwrap_or(c)
            ),
            format!(
                "前{n}位中{}上升最多：较{base_year}年上升{d}位。",
                k.map(|c| c.name.zh.as_str()).unwrap_or(c)
            ),
        ));
    }
    t.sources.push(SourceNote {
        dataset: "wipo35".into(),
        indicators: Vec::new(),
        source: fields.source.clone(),
        licence: fields.licence.clone(),
        vintage: "2019-07-10".into(),
    });
    t.params = params_map(params, &ctx.counting);
    Ok(vec![t])
}

const I5_GREEN: &str = "wipo";
const I5_FOCUS: &str = "CN";
const I5_TOP: usize = 10;

pub(super) const I5: Analysis = Analysis {
    id: "I5",
    name: "green-patents",
    title: w("Green patents", "绿色技术专利"),
    chapter: "industry",
    params: &[
        use_h("year", MICRO_YEAR_RULE, w("reference year", "参考年份")),
        use_h(
            "base-year",
            BASE_RULE,
            w("start of the growth comparison", "增长对比的起始年份"),
        ),
        use_h(
            "green",
            D::Text(I5_GREEN),
            w(
                "method: wipo (IPC Green Inventory), envtech (OECD), y02 (EPO CPC)",
                "口径：wipo（IPC绿色清单）、envtech（OECD）、y02（EPO CPC）",
            ),
        ),
        use_h(
            "economies",
            D::Text(I5_FOCUS),
            w("the economy followed over the years", "逐年跟踪的经济体"),
        ),
        use_h(
            "top",
            D::Int(I5_TOP as i64),
            w("economies ranked", "排名的经济体数"),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.4", "i5")],
    numbers: &[("I5", Numbering::Figure(21))],
    year_shift: YearShift::YearAndBase(10),
    run: |e, p| Box::pin(i5(e, p)),
};

/// I5: green applications by the chosen method: per year (count, share
/// of all applications, growth against all-field growth), the focus
/// economy's count and share of the world, the top economies, and topics.
pub async fn i5(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, base_year) = ctx.years(params, MICRO_YEAR)?;
    let method: GreenMethod = params
        .green
        .as_deref()
        .unwrap_or(I5_GREEN)
        .parse()
        .map_err(|e: String| EngineError::bad_param("green", e))?;
    let green = builtin::green(method);
    let focus = match params.economies.as_deref() {
        Some([one, ..]) => Registry::bundled()
            .by_code(one)
            .or_else(|| Registry::bundled().resolve(None, one))
            .map(|e| e.iso2.clone())
            .ok_or_else(|| {
                EngineError::bad_param("economies", format!("unknown economy `{one}`"))
            })?,
        _ => I5_FOCUS.to_string(),
    };
    let base = ctx.md.prepare(&ctx.counting, &[&green]).await?;
    base.classify("green", &green, "sel").await?;
    let totals = base.totals(true).await?;
    let gc = base.green_country().await?;
    let (gy, gcc, gn) = (gc.col("year"), gc.col("ctry"), gc.col("green_apps"));
    let focus_of = |y: i64| {
        gc.values
            .iter()
            .find(|r| r[gy].as_i64() == y && r[gcc].as_str() == focus)
            .map(|r| r[gn].as_i64())
            .unwrap_or(0)
    };
    let (ty, tn, tg) = (
        totals.col("year"),
        totals.col("pct_apps"),
        totals.col("green_apps"),
    );
    let mut t = ctx.table(
        "I5",
        Text::new(
            format!("Green applications per year ({})", method.label().en),
            format!("绿色技术专利申请量（按年，{}）", method.label().zh),
        ),
    );
    let years: Vec<i64> = totals.values.iter().map(|r| r[ty].as_i64()).collect();
    let all: Vec<f64> = totals.values.iter().map(|r| r[tn].as_f64()).collect();
    let gr: Vec<f64> = totals.values.iter().map(|r| r[tg].as_f64()).collect();
    let yoy =
        |v: &[f64], i: usize| (i > 0 && v[i - 1] > 0.0).then(|| (v[i] / v[i - 1] - 1.0) * 100.0);
    let focus_series: Vec<f64> = years.iter().map(|y| focus_of(*y) as f64).collect();
    let focus_a3 = a3(&focus);
    let (fen, fzh) = (name(&focus_a3, false), name(&focus_a3, true));
    t.columns.push(Column::int(
        "year",
        Text::new("Year", "年份"),
        None,
        years.iter().map(|y| Some(*y)).collect(),
    ));
    t.columns.push(Column::float(
        "green_applications",
        Text::new("Green applications", "绿色专利申请量"),
        None,
        0,
        gr.iter().map(|v| Some(*v)).collect(),
    ));
    t.columns.push(Column::float(
        "green_share",
        Text::new("Share of all applications", "占全部申请比重"),
        Some(Text::new("%", "%")),
        2,
        gr.iter()
            .zip(&all)
            .map(|(g, a)| Some(g / a * 100.0))
            .collect(),
    ));
    t.columns.push(Column::float(
        "green_growth",
        Text::new("Green growth", "绿色专利增速"),
        Some(Text::new("%", "%")),
        1,
        (0..years.len()).map(|i| yoy(&gr, i)).collect(),
    ));
    t.columns.push(Column::float(
        "all_growth",
        Text::new("All-field growth", "全领域增速"),
        Some(Text::new("%", "%")),
        1,
        (0..years.len()).map(|i| yoy(&all, i)).collect(),
    ));
    t.columns.push(Column::float(
        "focus_applications",
        Text::new(
            format!("{fen}: green applications"),
            format!("{fzh}绿色专利申请量"),
        ),
        None,
        0,
        focus_series.iter().map(|v| Some(*v)).collect(),
    ));
    t.columns.push(Column::float(
        "focus_share",
        Text::new(
            format!("{fen}: share of the world's green"),
            format!("{fzh}占全球绿色专利比重"),
        ),
        Some(Text::new("%", "%")),
        2,
        focus_series
            .iter()
            .zip(&gr)
            .map(|(f, g)| (*g > 0.0).then(|| f / g * 100.0))
            .collect(),
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "year".into(),
        bars: "focus_applications".into(),
        bar_unit: Text::new("applications", "件"),
        line: "focus_share".into(),
        line_unit: Text::new("%", "%"),
    });
    t.basis.push((
        Text::new("Green", "绿色技术"),
        Text::new(
            format!("{}: an application is green when one of its symbols starts with a listed code ({} codes)", method.label().en, green.rules.len()),
            format!("{}：申请的任一分类号以清单中的代码开头即为绿色专利（共{}个代码）", method.label().zh, green.rules.len()),
        ),
    ));
    t.sources.push(SourceNote {
        dataset: green.id.clone(),
        indicators: Vec::new(),
        source: green.source.clone(),
        licence: green.licence.clone(),
        vintage: match method {
            GreenMethod::EpoY02 => "CPC Y02/Y04S as tagged in the data".into(),
            _ => "list of 2023 (Favot et al.)".into(),
        },
    });
    let idx = |y: i32| years.iter().position(|x| *x == y as i64);
    if let (Some(b), Some(r)) = (idx(base_year), idx(year)) {
        let cg = |v: &[f64]| {
            (v[b] > 0.0)
                .then(|| ((v[r] / v[b]).powf(1.0 / (year - base_year).max(1) as f64) - 1.0) * 100.0)
        };
        if let (Some(g), Some(a)) = (cg(&gr), cg(&all)) {
            t.findings.push(Text::new(
                format!("From {base_year} to {year}, green applications grew {g:.1}% a year against {a:.1}% for all fields."),
                format!("{base_year}年至{year}年，绿色专利申请量年均增长{g:.1}%，全领域为{a:.1}%。"),
            ));
        }
        if gr[r] > 0.0 {
            t.findings.push(Text::new(
                format!(
                    "{fen} filed {:.0} green applications in {year}, {:.1}% of the world's.",
                    focus_series[r],
                    focus_series[r] / gr[r] * 100.0
                ),
                format!(
                    "{year}年{fzh}绿色专利申请量为{:.0}件，占全球的{:.1}%。",
                    focus_series[r],
                    focus_series[r] / gr[r] * 100.0
                ),
            ));
        }
    }
    t.params = params_map(params, &ctx.counting);

    // Top economies in the reference year.
    let n = params.top.unwrap_or(I5_TOP);
    let rows: Vec<_> = rows_in_year(&gc, year).into_iter().take(n).collect();
    let codes: Vec<String> = rows.iter().map(|r| a3(r[gcc].as_str())).collect();
    let gy_total = idx(year).map(|i| gr[i]).unwrap_or(0.0);
    let mut e = ctx.table(
        "I5.economies",
        Text::new(
            format!("Green applications by economy, {year} (top {n})"),
            format!("{year}年各经济体绿色专利申请量（前{n}位）"),
        ),
    );
    e.columns = economy_columns(&codes);
    e.columns.push(Column::int(
        "green_applications",
        Text::new("Green applications", "绿色专利申请量"),
        None,
        rows.iter().map(|r| Some(r[gn].as_i64())).collect(),
    ));
    e.columns.push(Column::float(
        "share_of_world",
        Text::new("Share of the world's green", "占全球绿色专利比重"),
        Some(Text::new("%", "%")),
        2,
        rows.iter()
            .map(|r| Some(r[gn].as_f64() / gy_total * 100.0))
            .collect(),
    ));
    e.columns.push(Column::float(
        "share_of_own",
        Text::new("Share of its own applications", "占本经济体申请比重"),
        Some(Text::new("%", "%")),
        2,
        rows.iter()
            .map(|r| Some(pct(r[gc.col("share")].as_f64())))
            .collect(),
    ));
    e.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["green_applications".into()],
        unit: Text::new("applications", "件"),
    });
    if let Some(first) = codes.first() {
        e.findings.push(Text::new(
            format!(
                "{} filed the most green applications in {year}.",
                name(first, false)
            ),
            format!("{year}年{}的绿色专利申请量最多。", name(first, true)),
        ));
    }
    e.params = params_map(params, &ctx.counting);

    // Topics.
    let topics = base.per_category("green").await?;
    let (tcc, tac) = (topics.col("category"), topics.col("apps"));
    let trows: Vec<_> = rows_in_year(&topics, year).into_iter().take(15).collect();
    let tname = |id: &str| {
        green
            .categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| Text::same(id))
    };
    let mut tp = ctx.table(
        "I5.topics",
        Text::new(
            format!("Green applications by topic, {year}"),
            format!("{year}年绿色专利申请量（按主题）"),
        ),
    );
    tp.columns.push(Column::text(
        "topic",
        Text::new("Topic id", "主题编号"),
        trows
            .iter()
            .map(|r| Some(r[tcc].as_str().to_string()))
            .collect(),
    ));
    tp.columns.push(Column::text(
        "name_en",
        Text::new("Topic", "主题（英文）"),
        trows
            .iter()
            .map(|r| Some(tname(r[tcc].as_str()).en))
            .collect(),
    ));
    tp.columns.push(Column::text(
        "name_zh",
        Text::new("Topic (zh)", "主题"),
        trows
            .iter()
            .map(|r| Some(tname(r[tcc].as_str()).zh))
            .collect(),
    ));
    tp.columns.push(Column::int(
        "applications",
        Text::new("Applications", "申请量"),
        None,
        trows.iter().map(|r| Some(r[tac].as_i64())).collect(),
    ));
    tp.figure = Some(Figure::GroupedBars {
        label: "topic".into(),
        series: vec!["applications".into()],
        unit: Text::new("applications", "件"),
    });
    tp.basis.push((
        Text::new("Topics", "主题"),
        Text::new(
            "an application counts once in every topic of its green symbols; ENV-TECH's list carries no topics, so its topics are IPC/CPC subclasses",
            "申请计入其绿色分类号所属的每个主题；ENV-TECH 清单不含主题，以 IPC/CPC 小类代替",
        ),
    ));
    tp.params = params_map(params, &ctx.counting);
    Ok(vec![t, e, tp])
}
