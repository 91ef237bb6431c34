//! F1: knowledge flow, IP trade in crisis years (Fig 14).

use super::common::*;
use super::prelude::*;
use super::stats::{TRADE_TOP, trade_set, world_and_coverage};
use crate::series::{Series, merge_sources};

const F1_YEARS: &[i64] = &[2009, 2020];
const F1_BASE: i32 = 2010;

pub(super) const F1: Analysis = Analysis {
    id: "F1",
    name: "knowledge-flow",
    title: w(
        "Knowledge flow: IP trade in crisis years",
        "知识流动：危机年份的知识产权贸易变化",
    ),
    chapter: "openness",
    params: &[
        use_h(
            "years",
            D::Ints(F1_YEARS),
            w(
                "years compared with their previous year",
                "与上一年对比的年份",
            ),
        ),
        use_h(
            "base-year",
            D::Int(F1_BASE as i64),
            w(
                "base of the long-run multiple (last crisis year vs base)",
                "长期倍数的基期（最后一个危机年份相对基期）",
            ),
        ),
        use_h(
            "top",
            D::Int(TRADE_TOP as i64),
            w(
                "as C5, set chosen in the last crisis year",
                "同C5，按最后一个危机年份选取",
            ),
        ),
        EXPLICIT_SET,
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.3", "f1")],
    numbers: &[("F1", Numbering::Figure(14))],
    year_shift: YearShift::CrisisYears {
        first: F1_YEARS[0] as i32,
        back: 10,
    },
    series: &["BX.GSR.ROYL.CD", "BM.GSR.ROYL.CD"],
    run: |e, p| Box::pin(async move { Ok(vec![f1(e, p).await?]) }),
};

/// F1: IP trade change vs the previous year in crisis years, and the long-run multiple.
pub async fn f1(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let years = params
        .years
        .clone()
        .unwrap_or_else(|| F1_YEARS.iter().map(|&y| y as i32).collect());
    if years.is_empty() {
        return Err(EngineError::bad_param("years", "give at least one year"));
    }
    let last = *years.iter().max().expect("non-empty");
    let base = params.base_year.unwrap_or(F1_BASE);
    if base >= last {
        return Err(EngineError::bad_param(
            "base-year",
            format!("{base} must be before {last}"),
        ));
    }
    let ts = trade_set(
        engine,
        params,
        "BX.GSR.ROYL.CD",
        Some("BM.GSR.ROYL.CD"),
        last,
    )
    .await?;
    let imp = ts.imp.as_ref().expect("imports requested");
    let mut codes = vec!["WLD".to_string()];
    codes.extend(ts.codes.iter().cloned());
    let mut t = ResultTable::new(
        "F1",
        Text::new(
            format!(
                "IP trade: change vs previous year in {}",
                years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            format!(
                "知识产权进出口大国{}年进出口额较上一年变化",
                years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join("年和")
            ),
        ),
    );
    t.columns = economy_columns(&codes);
    let pct = Some(Text::new("%", "%"));
    let mut series_cols = Vec::new();
    for y in &years {
        for (s, flow, en, zh) in [
            (&ts.exp, "exports", "Exports", "出口"),
            (imp, "imports", "Imports", "进口"),
        ] {
            let name = format!("{flow}_change_{y}");
            let v: Vec<Option<f64>> = codes
                .iter()
                .map(|c| pct_change(s.get(c, y - 1)?, s.get(c, *y)?))
                .collect();
            t.columns.push(Column::float(
                &name,
                Text::new(format!("{en} {y} vs {}", y - 1), format!("{y}年{zh}变化")),
                pct.clone(),
                2,
                v,
            ));
            series_cols.push(name);
        }
    }
    let mult = |s: &Series, c: &str| Some(s.get(c, last)? / s.get(c, base)?);
    t.columns.push(Column::float(
        "exports_multiple",
        Text::new(
            format!("Exports {last} / {base}"),
            format!("{last}年出口为{base}年的倍数"),
        ),
        Some(Text::new("×", "倍")),
        2,
        codes.iter().map(|c| mult(&ts.exp, c)).collect(),
    ));
    t.columns.push(Column::float(
        "imports_multiple",
        Text::new(
            format!("Imports {last} / {base}"),
            format!("{last}年进口为{base}年的倍数"),
        ),
        Some(Text::new("×", "倍")),
        2,
        codes.iter().map(|c| mult(imp, c)).collect(),
    ));
    t.basis.push((
        Text::new("Economies", "经济体范围"),
        Text::new(
            format!(
                "World, then the C5 set (top-{n} exporters ∪ importers) of {last}",
                n = params.top.unwrap_or(TRADE_TOP)
            ),
            format!(
                "全球，及{last}年知识产权出口和进口前{n}位的并集",
                n = params.top.unwrap_or(TRADE_TOP)
            ),
        ),
    ));
    for y in &years {
        let (_, ce) = world_and_coverage(&ts.exp, *y);
        let (_, ci) = world_and_coverage(imp, *y);
        t.basis.push((Text::new(format!("World coverage {y}"), format!("{y}年全球合计覆盖率")), Text::new(
            format!("reporting countries cover {ce:.0}% of the World exports total and {ci:.0}% of imports; a World change can reflect members missing in one year"),
            format!("有数据国家覆盖全球出口合计的{ce:.0}%、进口的{ci:.0}%；全球变化可能受个别年份成员缺失影响"),
        )));
    }
    t.sources = merge_sources(&[&ts.exp, imp]);
    // Findings: world changes per crisis year; economies that grew both ways in the last year.
    let w = |s: &Series, y: i32| pct_change(s.get("WLD", y - 1)?, s.get("WLD", y)?);
    let parts_en: Vec<String> = years
        .iter()
        .filter_map(|y| {
            Some(format!(
                "{y}: exports {}%, imports {}%",
                signed(w(&ts.exp, *y)?),
                signed(w(imp, *y)?)
            ))
        })
        .collect();
    let parts_zh: Vec<String> = years
        .iter()
        .filter_map(|y| {
            Some(format!(
                "{y}年出口{}%、进口{}%",
                signed(w(&ts.exp, *y)?),
                signed(w(imp, *y)?)
            ))
        })
        .collect();
    if !parts_en.is_empty() {
        t.findings.push(Text::new(
            format!(
                "World IP trade vs the previous year — {}.",
                parts_en.join("; ")
            ),
            format!("全球知识产权贸易较上年变化：{}。", parts_zh.join("；")),
        ));
    }
    let both: Vec<String> = ts
        .codes
        .iter()
        .filter(|c| pct_change_gt0(&ts.exp, c, last) && pct_change_gt0(imp, c, last))
        .cloned()
        .collect();
    if !both.is_empty() {
        let n = name_list(&both);
        t.findings.push(Text::new(
            format!("Exports and imports both grew in {last} in {}.", n.en),
            format!("{last}年{}实现知识产权进出口双增长。", n.zh),
        ));
    }
    if let (Some(m), Some(mw)) = (mult(&ts.exp, "CHN"), mult(&ts.exp, "WLD")) {
        t.findings.push(Text::new(
            format!("China's IP exports in {last} were {m:.1} times their {base} level (world: {mw:.2} times)."),
            format!("中国{last}年知识产权出口额约为{base}年的{m:.1}倍（同期全球为{mw:.2}倍）。"),
        ));
    }
    t.figure = Some(Figure::DivergingBars {
        label: "economy".into(),
        series: series_cols,
        unit: Text::new("% vs previous year", "较上年%"),
    });
    t.params.insert(
        "years".into(),
        years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(","),
    );
    t.params.insert("base_year".into(), base.to_string());
    Ok(t)
}

fn pct_change_gt0(s: &Series, c: &str, y: i32) -> bool {
    s.get(c, y - 1)
        .zip(s.get(c, y))
        .and_then(|(a, b)| pct_change(a, b))
        .is_some_and(|x| x > 0.0)
}
