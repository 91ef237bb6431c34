//! I1: large-firm R&D and sales growth by industry group (Fig 16).

use super::common::*;
use super::prelude::*;
use super::record_lists::*;
use innoscope_core::records::{Records, ScoreboardFirm};
use std::collections::{BTreeMap, BTreeSet};

/// Growth of a sum from its parts' own growth rates: Σx / Σ x/(1+g) − 1,
/// over the parts that have both.
fn aggregate_growth<'a>(
    parts: impl Iterator<Item = (Option<f64>, Option<f64>)> + 'a,
) -> Option<f64> {
    let (mut now, mut before) = (0.0, 0.0);
    for (x, g) in parts {
        if let (Some(x), Some(g)) = (x, g)
            && g > -100.0
        {
            now += x;
            before += x / (1.0 + g / 100.0);
        }
    }
    (before > 0.0).then(|| 100.0 * (now / before - 1.0))
}

/// An industry group of I1: id, names, firms, R&D (bn EUR), R&D growth, sales growth.
type GroupRow = (String, Text, usize, f64, Option<f64>, Option<f64>);

pub(super) const I1: Analysis = Analysis {
    id: "I1",
    name: "firm-rd",
    title: w(
        "Large-firm R&D and sales growth by industry group",
        "国际大企业分产业研发支出和收入增长",
    ),
    chapter: "industry",
    params: &[
        use_h(
            "year",
            D::Rule(w("latest financial year in the file", "文件中最新的财年")),
            w("financial year", "财年"),
        ),
        use_h(
            "mapping-file",
            D::Rule(w(
                "data/reference/industry-groups.csv",
                "data/reference/industry-groups.csv",
            )),
            w(
                "ICB sector → industry group (icb_sector,group,group_en,group_zh)",
                "ICB行业→产业组（icb_sector,group,group_en,group_zh）",
            ),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.4", "i1")],
    numbers: &[("I1", Numbering::Figure(16))],
    year_shift: YearShift::Year,
    series: &[],
    run: |e, p| Box::pin(i1(e, p)),
};

/// I1: R&D and sales growth of the top corporate R&D investors by industry group (Fig 16).
pub(crate) async fn i1(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let sets = engine.records("scoreboard")?;
    let Some(set) = sets.first() else {
        return Err(EngineError::missing(
            "no corporate R&D scoreboard in the store",
            "download the EU Industrial R&D Investment Scoreboard (iri.jrc.ec.europa.eu), save its world 2500 sheet as CSV and `innoscope import` it",
        ));
    };
    let Records::Scoreboard(firms) = &set.records else {
        unreachable!("family checked")
    };
    let year = params
        .year
        .or_else(|| firms.iter().map(|f| f.year).max())
        .unwrap_or_default();
    let firms: Vec<&ScoreboardFirm> = firms.iter().filter(|f| f.year == year).collect();
    if firms.is_empty() {
        return Err(EngineError::missing(
            format!(
                "the scoreboard in `{}` has no firms for {year}",
                set.info.manifest.id
            ),
            "choose the financial year the file covers with --year",
        ));
    }
    let map = mapping(
        INDUSTRY_GROUPS,
        params.mapping_file.as_deref(),
        "industry-group",
    )?;
    let mut groups: BTreeMap<String, (Text, Vec<&ScoreboardFirm>)> = BTreeMap::new();
    let mut unmapped: BTreeSet<&str> = BTreeSet::new();
    for f in &firms {
        let (id, names) = match map.get(&f.industry.to_lowercase()) {
            Some(x) => x.clone(),
            None => {
                unmapped.insert(&f.industry);
                ("other".to_string(), Text::new("Other", "其他"))
            }
        };
        groups
            .entry(id)
            .or_insert_with(|| (names, Vec::new()))
            .1
            .push(f);
    }
    let mut rows: Vec<GroupRow> = groups
        .into_iter()
        .map(|(id, (names, fs))| {
            let rd: f64 = fs.iter().map(|f| f.rd).sum();
            let rg = aggregate_growth(fs.iter().map(|f| (Some(f.rd), f.rd_growth)));
            let sg = aggregate_growth(fs.iter().map(|f| (f.sales, f.sales_growth)));
            (id, names, fs.len(), rd / 1000.0, rg, sg)
        })
        .collect();
    rows.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    let mut t = ResultTable::new(
        "I1",
        Text::new(
            format!("Top corporate R&D investors: R&D and sales growth by industry group, {year}"),
            format!("{year}年国际大企业分产业研发支出和收入同比增长率"),
        ),
    );
    t.columns.push(Column::text(
        "group",
        Text::new("Group", "产业组"),
        rows.iter().map(|r| Some(r.0.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_en",
        Text::new("Industry group", "产业组（英）"),
        rows.iter().map(|r| Some(r.1.en.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_zh",
        Text::new("Industry group (zh)", "产业组"),
        rows.iter().map(|r| Some(r.1.zh.clone())).collect(),
    ));
    t.columns.push(Column::int(
        "firms",
        Text::new("Firms", "企业数"),
        None,
        rows.iter().map(|r| Some(r.2 as i64)).collect(),
    ));
    t.columns.push(Column::float(
        "rd",
        Text::new("R&D", "研发支出"),
        Some(Text::new("bn EUR", "十亿欧元")),
        1,
        rows.iter().map(|r| Some(r.3)).collect(),
    ));
    t.columns.push(Column::float(
        "rd_growth",
        Text::new("R&D growth", "研发支出增长率"),
        Some(Text::new("%", "%")),
        1,
        rows.iter().map(|r| r.4).collect(),
    ));
    t.columns.push(Column::float(
        "sales_growth",
        Text::new("Net sales growth", "收入增长率"),
        Some(Text::new("%", "%")),
        1,
        rows.iter().map(|r| r.5).collect(),
    ));
    t.figure = Some(Figure::GroupedBars {
        label: "group".into(),
        series: vec!["rd_growth".into(), "sales_growth".into()],
        unit: Text::new("% vs previous year", "同比增长率（%）"),
    });
    t.basis = vec![
        (
            Text::new("Growth", "增长率"),
            Text::new(
                "of each group's summed R&D (and net sales) over the firms' own one-year growth rates: Σx / Σ x/(1+g) − 1",
                "按各企业一年增长率加总计算：Σx / Σ x/(1+g) − 1",
            ),
        ),
        (
            Text::new("Firms", "企业"),
            Text::new(
                format!("{} ranked firms, financial year {year}", firms.len()),
                format!("{}家上榜企业，{year}财年", firms.len()),
            ),
        ),
        (Text::new("Industry groups", "产业分组"), {
            let f = params
                .mapping_file
                .as_deref()
                .unwrap_or("data/reference/industry-groups.csv");
            Text::new(
                format!("ICB sector → group from {f}"),
                format!("ICB行业→产业组，依据 {f}"),
            )
        }),
    ];
    t.sources = vec![note(set)];
    t.synthetic = set.synthetic();
    if !unmapped.is_empty() {
        let list = unmapped.into_iter().collect::<Vec<_>>().join(", ");
        t.notes.push(Text::new(
            format!("sectors without a group, counted as other: {list}"),
            format!("未归入产业组的行业（计入其他）：{list}"),
        ));
    }
    let up: Vec<&GroupRow> = rows
        .iter()
        .filter(|r| r.4.is_some_and(|g| g > 0.0))
        .collect();
    let down: Vec<&GroupRow> = rows
        .iter()
        .filter(|r| r.4.is_some_and(|g| g < 0.0))
        .collect();
    let fmt = |v: &[&GroupRow], lang: Lang| {
        v.iter()
            .map(|r| format!("{} {}%", r.1.get(lang), signed(r.4.unwrap_or_default())))
            .collect::<Vec<_>>()
            .join(if lang == Lang::En { ", " } else { "，" })
    };
    if !up.is_empty() || !down.is_empty() {
        t.findings.push(Text::new(
            format!(
                "R&D grew in {} and fell in {}.",
                if up.is_empty() {
                    "no group".into()
                } else {
                    fmt(&up, Lang::En)
                },
                if down.is_empty() {
                    "none".into()
                } else {
                    fmt(&down, Lang::En)
                }
            ),
            format!(
                "研发支出增长的产业：{}；下降的产业：{}。",
                if up.is_empty() {
                    "无".into()
                } else {
                    fmt(&up, Lang::Zh)
                },
                if down.is_empty() {
                    "无".into()
                } else {
                    fmt(&down, Lang::Zh)
                }
            ),
        ));
    }
    t.params = given_params(params);
    Ok(vec![t])
}
