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

/// How a PCT series assigns applications to economies, as titles and
/// findings say it (a ranking is only ever stated on its own basis): the
/// title's phrase (" by receiving office", "按受理局统计的") and a finding's
/// lead ("By receiving office, ", "按受理局统计，"); empty for a series whose
/// basis is its source's own.
fn pct_by(indicator: &str) -> (Text, Text) {
    let (en, zh) = if indicator.starts_with("NCSES.") {
        ("receiving office", "受理局")
    } else if is_wipo_pct(indicator) {
        ("applicant origin", "申请人来源国")
    } else {
        return (Text::default(), Text::default());
    };
    (
        Text::new(format!(" by {en}"), format!("按{zh}统计的")),
        Text::new(format!("By {en}, "), format!("按{zh}统计，")),
    )
}

/// `rest` after the finding's `lead`, or on its own with a capital.
fn after_lead(lead: &str, rest: &str) -> String {
    if !lead.is_empty() {
        return format!("{lead}{rest}");
    }
    let mut c = rest.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A WIPO export of PCT applications by origin, all fields (`WIPO.PCT_…`
/// with at most the office after it).
fn is_wipo_pct(indicator: &str) -> bool {
    indicator
        .strip_prefix("WIPO.PCT_INTERNATIONAL_APPLICATIONS")
        .is_some_and(|rest| rest.is_empty() || rest.matches('.').count() == 1)
}

/// The series C4 ranks when none is asked for: a WIPO export by applicant
/// origin when the store holds one (the report's basis), else NCSES's
/// receiving-office counts.
fn default_indicator(engine: &Engine) -> String {
    let mut wipo: Vec<&str> = engine
        .datasets()
        .iter()
        .flat_map(|d| d.manifest.series.iter())
        .map(|s| s.meta.indicator.as_str())
        .filter(|i| is_wipo_pct(i))
        .collect();
    wipo.sort_unstable();
    wipo.first()
        .map_or_else(|| C4_INDICATOR.to_string(), |i| i.to_string())
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
            D::Rule(w(
                "an imported WIPO export of PCT applications by applicant origin, else NCSES.PCT.APPL (by receiving office)",
                "已导入的按申请人来源国统计的WIPO PCT导出序列，否则为NCSES.PCT.APPL（按受理局）",
            )),
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
        .unwrap_or_else(|| default_indicator(engine));
    let (by, lead) = pct_by(&indicator);
    let (lead_en, lead_zh) = (lead.en.as_str(), lead.zh.as_str());
    let by_office = indicator.starts_with("NCSES.");
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
            format!(
                "PCT applications{}: top-{n} economies, {base} and {year}",
                by.en
            ),
            format!(
                "{base}年和{year}年{}PCT专利申请排名前{n}位经济体比较",
                by.zh
            ),
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
    t.columns.push(
        Column::text(
            "status",
            Text::new(format!("Top-{n} status"), format!("前{n}位变化")),
            status,
        )
        .with_labels(&[
            ("stayed", "stayed", "保持"),
            ("entered", "entered", "进入"),
            ("left", "left", "跌出"),
        ]),
    );
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
    if by_office {
        t.notes.push(Text::new(
            "NCSES counts by receiving office: European economies filing through the EPO are undercounted (Germany ≈1.6k instead of ≈18k), so this ranking differs from WIPO's applicant-origin ranking used by the report. Import a WIPO export of PCT applications by origin (`innoscope import FILE --format wipo`) and C4 ranks by applicant origin.",
            "NCSES按受理局统计：通过欧洲专利局提交申请的欧洲国家被低估（德国约1.6千件而非约1.8万件），因此排名与报告所用WIPO申请人来源国口径不同。导入按来源国统计的WIPO PCT导出文件（`innoscope import 文件 --format wipo`）后，C4即按申请人来源国排名。",
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
    let share_finding = if by_office {
        Text::new(
            after_lead(
                lead_en,
                &format!(
                    "the offices of the top-{n} economies received {sb:.1}% of the world's PCT applications in {base} and {sr:.1}% in {year}."
                ),
            ),
            format!(
                "{lead_zh}前{n}位经济体受理的PCT申请量占全球的比重从{base}年的{sb:.1}%变为{year}年的{sr:.1}%。"
            ),
        )
    } else {
        Text::new(
            after_lead(
                lead_en,
                &format!(
                    "the top-{n} economies filed {sb:.1}% of the world's PCT applications in {base} and {sr:.1}% in {year}."
                ),
            ),
            format!(
                "{lead_zh}前{n}位经济体的PCT申请量占全球的比重从{base}年的{sb:.1}%变为{year}年的{sr:.1}%。"
            ),
        )
    };
    t.findings.push(share_finding);
    let lb = pos(&r_base, leader)
        .map(|p| p.to_string())
        .unwrap_or_else(|| "—".into());
    let (caveat_en, caveat_zh) = if by_office {
        (
            "; the ranking by applicant origin needs a WIPO export (`import --format wipo`)",
            "；按申请人来源国的排名需导入WIPO导出文件（`import --format wipo`）",
        )
    } else {
        ("", "")
    };
    t.findings.push(Text::new(
        format!(
            "{lead_en}{} ranks first in {year} (rank {lb} in {base}){caveat_en}.",
            name(leader, innoscope_core::Lang::En)
        ),
        format!(
            "{lead_zh}{year}年{}排名第一（{base}年第{lb}位）{caveat_zh}。",
            name(leader, innoscope_core::Lang::Zh)
        ),
    ));
    if !entered.is_empty() || !left.is_empty() {
        let (e, l) = (name_list(&entered), name_list(&left));
        t.findings.push(Text::new(
            after_lead(
                lead_en,
                &format!(
                    "entered the top-{n}: {}; left it: {}.",
                    or_none(&e.en),
                    or_none(&l.en)
                ),
            ),
            format!(
                "{lead_zh}进入前{n}位：{}；跌出前{n}位：{}。",
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
    let smallest = r_ref.get(n.saturating_sub(1)).map(|(_, v)| *v);
    super::coverage::apply(
        &mut t,
        super::coverage::of_ranking(
            &s,
            year,
            Text::new("PCT applications", "PCT申请量"),
            smallest,
        ),
    );
    Ok(t)
}
