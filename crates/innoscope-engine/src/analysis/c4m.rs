//! C4M: applications per economy and applicant concentration, from patent microdata.

use super::common::{economy_columns, name_list};
use super::microdata_ctx::*;
use super::prelude::*;

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
        reference_year(MICRO_YEAR_RULE),
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
    series: &[],
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
    let fractional = ctx.counting.fractional;
    let in_year = |y: i32| {
        ranked(
            cc.iter()
                .filter(|r| r.year == y)
                .map(|r| (a3(&r.ctry), r.count(fractional)))
                .collect(),
        )
    };
    let (rb, rr) = (in_year(base_year), in_year(year));
    let totals = base.totals(false).await?;
    let total = |y: i32| {
        totals
            .iter()
            .find(|r| r.year == y)
            .map_or(0.0, |r| r.pct_apps as f64)
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
            format!("Counted whole (an application with several economies counts once for each), the top {n} economies' applications add up to {sb:.1}% of all applications in {base_year} and {sr:.1}% in {year}{}.", if sb.max(sr) > 100.0 { "; above 100% because shared applications count more than once (`--fractional` gives shares that add up to 100%)" } else { "" }),
            format!("按整数计数（多国申请计入每个经济体），前{n}位经济体的申请量合计相当于全部申请的{sb:.1}%（{base_year}年）和{sr:.1}%（{year}年）{}。", if sb.max(sr) > 100.0 { "；多国申请重复计入，故可超过100%（`--fractional` 给出合计为100%的份额）" } else { "" }),
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
    a.columns.push(Column::int(
        "year",
        Text::new("Year", "年份"),
        None,
        conc.iter().map(|r| Some(i64::from(r.year))).collect(),
    ));
    a.columns.push(Column::int(
        "applications",
        Text::new("Applications", "申请量"),
        None,
        conc.iter().map(|r| Some(r.total_apps)).collect(),
    ));
    a.columns.push(Column::int(
        "top_applications",
        Text::new(
            format!("With a top-{n} applicant"),
            format!("含前{n}位申请人的申请量"),
        ),
        None,
        conc.iter().map(|r| Some(r.top_apps)).collect(),
    ));
    a.columns.push(Column::float(
        "top_share",
        Text::new("Share", "占比"),
        Some(Text::new("%", "%")),
        2,
        conc.iter().map(|r| Some(pct(r.share))).collect(),
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
            .iter()
            .map(|r| format!("{} ({})", r.name.as_deref().unwrap_or(""), r.apps))
            .collect();
        a.findings.push(Text::new(
            format!("Largest applicants in {year}: {}.", names.join("; ")),
            format!("{year}年申请量最多的申请人：{}。", names.join("；")),
        ));
    }
    if let (Some(f), Some(l)) = (
        conc.iter().find(|r| r.year == base_year),
        conc.iter().find(|r| r.year == year),
    ) {
        a.findings.push(Text::new(
            format!(
                "The top {n} applicants' share moved from {:.1}% in {base_year} to {:.1}% in {year}.",
                pct(f.share),
                pct(l.share)
            ),
            format!(
                "前{n}位申请人的申请量占比从{base_year}年的{:.1}%变为{year}年的{:.1}%。",
                pct(f.share),
                pct(l.share)
            ),
        ));
    }
    a.params = params_map(params, &ctx.counting);
    Ok(vec![t, a])
}
