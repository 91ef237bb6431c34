//! C4: PCT applications by economy, top-N then and now (Fig 5).

use super::common::*;
use super::prelude::*;
use super::stats::*;
use crate::series::merge_sources;

/// The counting basis of a PCT series, as its source defines it.
fn pct_basis(indicator: &str) -> Text {
    if indicator.starts_with("NCSES.") {
        Text::new(
            "publication year; economy = receiving office (≈ inventor location); EPO filings counted under the EPO, not their applicants' economies",
            "公布年；经济体为受理局（约等于发明人所在地）；向欧洲专利局提交的申请计入欧洲专利局而非申请人所在国",
        )
    } else if indicator.starts_with("WIPO.") {
        Text::new(
            "as exported from WIPO IPSDC (PCT: filing year, applicant origin)",
            "按WIPO统计数据库导出口径（PCT：申请年、申请人来源国）",
        )
    } else {
        Text::new("as published by the source", "按数据源口径")
    }
}

const C4_YEAR: i32 = 2020;
const C4_BASE: i32 = 2010;
const C4_TOP: usize = 20;
const C4_INDICATOR: &str = "NCSES.PCT.APPL";

pub(super) const C4: Analysis = Analysis {
    id: "C4",
    name: "pct-ranking",
    title: w(
        "PCT applications by economy: top-20 then and now",
        "PCT专利申请量前20位经济体对比",
    ),
    chapter: "competition",
    params: &[
        reference_year(D::Int(C4_YEAR as i64)),
        use_h(
            "base-year",
            D::Int(C4_BASE as i64),
            w("base year", "基期年份"),
        ),
        use_h(
            "top",
            D::Int(C4_TOP as i64),
            w("size of the ranking", "排名规模"),
        ),
        dataset_to_read(D::Rule(w(
            "first dataset holding the indicator",
            "首个含有该指标的数据集",
        ))),
        use_h(
            "indicator",
            D::Text(C4_INDICATOR),
            w(
                "series of PCT applications by economy (e.g. a WIPO export)",
                "各经济体PCT申请量序列（如WIPO导出文件）",
            ),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c4")],
    numbers: &[("C4", Numbering::Figure(5))],
    year_shift: YearShift::YearAndBase(10),
    series: &[C4_INDICATOR],
    run: |e, p| Box::pin(async move { Ok(vec![c4(e, p).await?]) }),
};

/// C4 at economy level: PCT applications, top-N then and now.
pub async fn c4(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let (year, base) = years(params, C4_YEAR, C4_BASE)?;
    let n = params.top.unwrap_or(C4_TOP);
    let indicator = params
        .indicator
        .clone()
        .unwrap_or_else(|| C4_INDICATOR.into());
    let s = engine.series(&indicator, params.source.as_deref()).await?;
    let rank_in = |y: i32| rank_countries(s.at(y).map(|(e, v)| (e.to_string(), v)));
    let (r_base, r_ref) = (rank_in(base), rank_in(year));
    if r_ref.is_empty() || r_base.is_empty() {
        return Err(EngineError::missing(
            format!(
                "{indicator} has no country values for {} ",
                if r_ref.is_empty() { year } else { base }
            ),
            "choose other years with --year/--base-year",
        ));
    }
    let pos =
        |r: &[(String, f64)], c: &str| r.iter().position(|(x, _)| x == c).map(|i| i as i64 + 1);
    let top_ref: Vec<String> = r_ref.iter().take(n).map(|(c, _)| c.clone()).collect();
    let top_base: Vec<String> = r_base.iter().take(n).map(|(c, _)| c.clone()).collect();
    let codes = union(&[&top_ref, &top_base]);
    let world = |y: i32, r: &[(String, f64)]| {
        s.get("WLD", y)
            .unwrap_or_else(|| r.iter().map(|(_, v)| v).sum())
    };
    let (w_base, w_ref) = (world(base, &r_base), world(year, &r_ref));
    let mut t = ResultTable::new(
        "C4",
        Text::new(
            format!("PCT applications: top-{n} economies, {base} and {year}"),
            format!("{base}年和{year}年PCT专利申请排名前{n}位经济体比较"),
        ),
    );
    let rb: Vec<Option<i64>> = codes.iter().map(|c| pos(&r_base, c)).collect();
    let rr: Vec<Option<i64>> = codes.iter().map(|c| pos(&r_ref, c)).collect();
    let status: Vec<Option<String>> = codes
        .iter()
        .map(|c| {
            Some(
                match (top_base.contains(c), top_ref.contains(c)) {
                    (true, true) => "stayed",
                    (false, true) => "entered",
                    _ => "left",
                }
                .to_string(),
            )
        })
        .collect();
    t.columns = economy_columns(&codes);
    t.columns.push(Column::float(
        "applications_base",
        Text::new(format!("Applications {base}"), format!("{base}年申请量")),
        None,
        0,
        codes.iter().map(|c| s.get(c, base)).collect(),
    ));
    t.columns.push(Column::int(
        "rank_base",
        Text::new(format!("Rank {base}"), format!("{base}年排名")),
        None,
        rb.clone(),
    ));
    t.columns.push(Column::float(
        "applications",
        Text::new(format!("Applications {year}"), format!("{year}年申请量")),
        None,
        0,
        codes.iter().map(|c| s.get(c, year)).collect(),
    ));
    t.columns.push(Column::int(
        "rank",
        Text::new(format!("Rank {year}"), format!("{year}年排名")),
        None,
        rr.clone(),
    ));
    t.columns.push(Column::int(
        "rank_change",
        Text::new("Places gained", "名次变化"),
        None,
        rb.iter()
            .zip(&rr)
            .map(|(a, b)| Some((*a)? - (*b)?))
            .collect(),
    ));
    t.columns.push(Column::text(
        "status",
        Text::new(format!("Top-{n} status"), format!("前{n}位变化")),
        status,
    ));
    t.columns.push(Column::float(
        "world_share",
        Text::new(
            format!("Share of world {year}"),
            format!("{year}年占全球份额"),
        ),
        Some(Text::new("%", "%")),
        2,
        codes
            .iter()
            .map(|c| s.get(c, year).map(|v| v / w_ref * 100.0))
            .collect(),
    ));
    let share =
        |r: &[(String, f64)], w: f64| r.iter().take(n).map(|(_, v)| v).sum::<f64>() / w * 100.0;
    let (sb, sr) = (share(&r_base, w_base), share(&r_ref, w_ref));
    t.basis.push((
        Text::new("Counting basis", "统计口径"),
        pct_basis(&indicator),
    ));
    t.basis.push((
        Text::new("World total", "全球总量"),
        if s.get("WLD", year).is_some() {
            Text::new("the source's World row", "数据源的全球合计")
        } else {
            Text::new("sum of the countries in the source", "数据源中各国合计")
        },
    ));
    t.sources = merge_sources(&[&s]);
    if indicator.starts_with("NCSES.") {
        t.notes.push(Text::new(
            "NCSES counts by receiving office: European economies filing through the EPO are undercounted (Germany ≈1.6k instead of ≈18k), so this ranking differs from WIPO's applicant-origin ranking used by the report. Import a WIPO export (`--format wipo`) and pass --indicator to rank by applicant origin.",
            "NCSES按受理局统计：通过欧洲专利局提交申请的欧洲国家被低估（德国约1.6千件而非约1.8万件），因此排名与报告所用WIPO申请人来源国口径不同。可导入WIPO导出文件（--format wipo）并用 --indicator 指定。",
        ));
    }
    let leader = &r_ref[0].0;
    let entered: Vec<String> = codes
        .iter()
        .filter(|c| !top_base.contains(c))
        .cloned()
        .collect();
    let left: Vec<String> = codes
        .iter()
        .filter(|c| !top_ref.contains(c))
        .cloned()
        .collect();
    t.findings.push(Text::new(
        format!("The top-{n} economies filed {sb:.1}% of the world's PCT applications in {base} and {sr:.1}% in {year}."),
        format!("前{n}位经济体的PCT申请量占全球的比重从{base}年的{sb:.1}%变为{year}年的{sr:.1}%。"),
    ));
    let lb = pos(&r_base, leader)
        .map(|p| p.to_string())
        .unwrap_or_else(|| "—".into());
    t.findings.push(Text::new(
        format!(
            "{} ranks first in {year} (rank {lb} in {base}).",
            name(leader, innoscope_core::Lang::En)
        ),
        format!(
            "{year}年{}排名第一（{base}年第{lb}位）。",
            name(leader, innoscope_core::Lang::Zh)
        ),
    ));
    if !entered.is_empty() || !left.is_empty() {
        let (e, l) = (name_list(&entered), name_list(&left));
        t.findings.push(Text::new(
            format!(
                "Entered the top-{n}: {}; left it: {}.",
                or_none(&e.en),
                or_none(&l.en)
            ),
            format!(
                "进入前{n}位：{}；跌出前{n}位：{}。",
                or_none_zh(&e.zh),
                or_none_zh(&l.zh)
            ),
        ));
    }
    t.figure = Some(Figure::RankChange {
        label: "economy".into(),
        rank_from: "rank_base".into(),
        rank_to: "rank".into(),
        from: Text::same(base.to_string()),
        to: Text::same(year.to_string()),
    });
    t.params.insert("top_share_base".into(), format!("{sb:.2}"));
    t.params.insert("top_share".into(), format!("{sr:.2}"));
    record_params(
        &mut t,
        params,
        &[
            ("year", year.to_string()),
            ("base_year", base.to_string()),
            ("indicator", indicator.clone()),
        ],
    );
    Ok(t)
}
