//! K1: international co-applications per year and per economy, and the pair network (Fig 8).

use super::common::economy_columns;
use super::microdata_ctx::*;
use super::prelude::*;
use crate::microdata::{CountryIntl, YearTotals};
use innoscope_core::network::Network;
use std::collections::{BTreeMap, BTreeSet};

pub(super) const K1_TOP: usize = 20;

pub(super) const K1: Analysis = Analysis {
    id: "K1",
    name: "co-applications",
    title: w("International co-applications", "国际合作专利申请"),
    chapter: "cooperation",
    params: &[
        reference_year(MICRO_YEAR_RULE),
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
    series: &[],
    run: |e, p| Box::pin(k1(e, p)),
};

/// K1: international co-applications per year; per economy in the
/// reference year (count, share of the world's, rank, partners, largest
/// partner, overlap with the top-N by applications); the pair network.
/// Without patent microdata of the user's own, on the OECD's published
/// co-invention indicators when they are in a dataset (`k1_oecd`).
pub async fn k1(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    if super::k1_oecd::applies(engine, params) {
        return super::k1_oecd::k1_oecd(engine, params).await;
    }
    let ctx = open(engine, params).await?;
    let (year, _) = ctx.years(params, MICRO_YEAR)?;
    let n = params.top.unwrap_or(K1_TOP);
    // The yearly series does not depend on the year asked: once known, a
    // request for another year builds the base of that year alone.
    let series = Series::look_up(engine, &ctx, "K1.totals");
    let base = ctx
        .md
        .prepare_years(&ctx.counting, &[], &series.years(vec![year]))
        .await?;
    let totals: Vec<YearTotals> = series.get(engine, base.totals(false)).await?;
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
    t.columns.push(Column::int(
        "year",
        Text::new("Year", "年份"),
        None,
        totals.iter().map(|r| Some(i64::from(r.year))).collect(),
    ));
    t.columns.push(Column::int(
        "applications",
        Text::new("Applications", "申请量"),
        None,
        totals.iter().map(|r| Some(r.pct_apps)).collect(),
    ));
    t.columns.push(Column::int(
        "intl_applications",
        Text::new("International co-applications", "国际合作申请量"),
        None,
        totals.iter().map(|r| Some(r.intl_apps)).collect(),
    ));
    t.columns.push(Column::float(
        "intl_share",
        Text::new("Share of applications", "占申请总量比重"),
        Some(Text::new("%", "%")),
        2,
        totals.iter().map(|r| Some(pct(r.intl_share))).collect(),
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
    if let Some(r) = totals.iter().find(|r| r.year == year) {
        t.findings.push(Text::new(
            format!(
                "In {year}, {} of {} applications ({:.1}%) had {} from two or more economies.",
                r.intl_apps,
                r.pct_apps,
                pct(r.intl_share),
                who.en
            ),
            format!(
                "{year}年，{}件申请中有{}件（{:.1}%）的{}来自两个及以上经济体。",
                r.pct_apps,
                r.intl_apps,
                pct(r.intl_share),
                who.zh
            ),
        ));
    }
    t.params = params_map(params, &ctx.counting);
    let k1_series = t;

    // K1.economies: the reference year.
    let top: Vec<&CountryIntl> = ci.iter().filter(|r| r.year == year).take(n).collect();
    let codes: Vec<String> = top.iter().map(|r| a3(&r.ctry)).collect();
    let top_apps: BTreeSet<String> = cc
        .iter()
        .filter(|r| r.year == year)
        .map(|r| a3(&r.ctry))
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
        top.iter().map(|r| Some(r.intl_apps)).collect(),
    ));
    e.columns.push(Column::float(
        "share_of_world",
        Text::new("Share of the world's", "占全球国际合作申请比重"),
        Some(Text::new("%", "%")),
        2,
        top.iter().map(|r| Some(pct(r.share))).collect(),
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
        top.iter().map(|r| Some(r.partners)).collect(),
    ));
    let partners: Vec<String> = top.iter().map(|r| a3(&r.top_partner)).collect();
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
        top.iter().map(|r| Some(r.top_partner_apps)).collect(),
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
                top[0].intl_apps,
                pct(top[0].share)
            ),
            format!(
                "{year}年{}参与的国际合作申请最多（{}件，占全球的{:.1}%）。",
                name(first, true),
                top[0].intl_apps,
                pct(top[0].share)
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
    let set: BTreeSet<String> = codes.iter().cloned().collect();
    let edges: Vec<(String, String, f64)> = pairs
        .iter()
        .filter(|r| r.year == year)
        .map(|r| (a3(&r.ctry_a), a3(&r.ctry_b), r.apps as f64))
        .filter(|(a, b, _)| set.contains(a) && set.contains(b))
        .collect();
    let nodes = codes.iter().zip(&top).map(|(c, r)| {
        (
            c.clone(),
            Registry::bundled().names_of(c),
            r.intl_apps as f64,
        )
    });
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
    nt.findings.extend(hub_finding(&net));
    Ok(vec![k1_series, e, nt])
}
