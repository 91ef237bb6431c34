//! Openness chapter (§3.3): knowledge flow (F1) and capital flow (F2).

use innoscope_core::{Column, Figure, Lang, Registry, ResultTable, Text};

use super::Params;
use super::common::*;
use super::competition::{TRADE_TOP, trade_set, usd_per_billion, world_and_coverage};
use super::param::w;
use super::registry::Numbering;
use super::registry::{Analysis, DefaultValue as D, YearShift, at, use_h};
use crate::Engine;
use crate::error::{EngineError, Result};
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
        use_h("economies", D::None, w("explicit set", "指定经济体")),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.3", "f1")],
    numbers: &[("F1", Numbering::Figure(14))],
    year_shift: YearShift::CrisisYears {
        first: F1_YEARS[0] as i32,
        back: 10,
    },
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

/// Groups shown in F2 when the source has them (UNCTAD's hierarchy).
const FDI_GROUPS: [&str; 9] = [
    "WLD",
    "UN.DEV",
    "UN.DEV.EUR",
    "UN.DEV.NAM",
    "UN.DVG",
    "UN.DVG.ASI",
    "UN.DVG.AFR",
    "UN.DVG.LAC",
    "UN.LDC",
];

const F2_YEAR: i32 = 2020;
const F2_INDICATOR: &str = "UNCTAD.FDI.IN";

pub(super) const F2: Analysis = Analysis {
    id: "F2",
    name: "capital-flow",
    title: w(
        "Capital flow: FDI by economy and group",
        "资金流动：外国直接投资",
    ),
    chapter: "openness",
    params: &[
        use_h(
            "year",
            D::Int(F2_YEAR as i64),
            w(
                "reference year (compared with the previous year)",
                "参考年份（与上一年对比）",
            ),
        ),
        use_h(
            "top",
            D::Int(TRADE_TOP as i64),
            w(
                "top-N by inflows and by outflows whose union forms the set",
                "流入与流出各取前N位，其并集为经济体范围",
            ),
        ),
        use_h(
            "source",
            D::Rule(w(
                "first dataset holding the indicator (UNCTAD)",
                "首个含有该指标的数据集（UNCTAD）",
            )),
            w("dataset to read", "读取的数据集"),
        ),
        use_h(
            "indicator",
            D::Text(F2_INDICATOR),
            w(
                "inflow series (WDI: BX.KLT.DINV.CD.WD)",
                "流入序列（WDI：BX.KLT.DINV.CD.WD）",
            ),
        ),
        use_h("economies", D::None, w("explicit set", "指定经济体")),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.3", "f2")],
    numbers: &[("F2", Numbering::Figure(15))],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(f2(e, p)),
};

/// F2: FDI by economy and group, reference year vs previous year.
pub async fn f2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let year = params.year.unwrap_or(F2_YEAR);
    let in_ind = params
        .indicator
        .clone()
        .unwrap_or_else(|| F2_INDICATOR.into());
    let out_ind = if in_ind == F2_INDICATOR {
        Some("UNCTAD.FDI.OUT")
    } else {
        None
    };
    let ts = trade_set(engine, params, &in_ind, out_ind, year).await?;
    let mut codes = ts.codes.clone();
    codes.sort_by(|a, b| {
        ts.exp
            .get(b, year)
            .unwrap_or(f64::MIN)
            .total_cmp(&ts.exp.get(a, year).unwrap_or(f64::MIN))
            .then_with(|| a.cmp(b))
    });
    let unit = usd_per_billion(&ts.exp.meta.unit);
    let bn = Some(Text::new("bn US$", "十亿美元"));
    let pct = Some(Text::new("%", "%"));
    let build = |id: &str, title: Text, codes: &[String]| -> ResultTable {
        let mut t = ResultTable::new(id, title);
        t.columns = economy_columns(codes);
        t.columns.push(Column::float(
            "inflows_prev",
            Text::new(
                format!("Inflows {}", year - 1),
                format!("{}年流入", year - 1),
            ),
            bn.clone(),
            1,
            codes
                .iter()
                .map(|c| ts.exp.get(c, year - 1).map(|v| v / unit))
                .collect(),
        ));
        t.columns.push(Column::float(
            "inflows",
            Text::new(format!("Inflows {year}"), format!("{year}年流入")),
            bn.clone(),
            1,
            codes
                .iter()
                .map(|c| ts.exp.get(c, year).map(|v| v / unit))
                .collect(),
        ));
        t.columns.push(Column::float(
            "inflows_change",
            Text::new("Inflow change", "流入变化"),
            pct.clone(),
            1,
            codes
                .iter()
                .map(|c| pct_change(ts.exp.get(c, year - 1)?, ts.exp.get(c, year)?))
                .collect(),
        ));
        if let Some(out) = &ts.imp {
            t.columns.push(Column::float(
                "outflows",
                Text::new(format!("Outflows {year}"), format!("{year}年流出")),
                bn.clone(),
                1,
                codes
                    .iter()
                    .map(|c| out.get(c, year).map(|v| v / unit))
                    .collect(),
            ));
            t.columns.push(Column::float(
                "outflows_change",
                Text::new("Outflow change", "流出变化"),
                pct.clone(),
                1,
                codes
                    .iter()
                    .map(|c| pct_change(out.get(c, year - 1)?, out.get(c, year)?))
                    .collect(),
            ));
        }
        let srcs: Vec<&Series> = std::iter::once(&ts.exp).chain(ts.imp.iter()).collect();
        t.sources = merge_sources(&srcs);
        t.params.insert("year".into(), year.to_string());
        t.params.insert("indicator".into(), in_ind.clone());
        t
    };
    let n = params.top.unwrap_or(TRADE_TOP);
    let mut econ = build(
        "F2",
        Text::new(
            format!("FDI inflows of the largest FDI economies, {year}"),
            format!("{year}年外国直接投资流量大的经济体外资流入情况"),
        ),
        &codes,
    );
    econ.basis.push((
        Text::new("Economies", "经济体范围"),
        Text::new(
            format!("union of the top-{n} economies by FDI inflows and by outflows in {year}"),
            format!("{year}年外资流入前{n}位与流出前{n}位经济体的并集"),
        ),
    ));
    econ.figure = Some(Figure::DivergingBars {
        label: "economy".into(),
        series: vec!["inflows_change".into()],
        unit: Text::new(format!("% vs {}", year - 1), format!("较{}年%", year - 1)),
    });
    let reg = Registry::bundled();
    let top5: Vec<String> = rank_countries(ts.exp.at(year).map(|(e, v)| (e.to_string(), v)))
        .into_iter()
        .take(5)
        .map(|(c, _)| c)
        .collect();
    let asia5 = top5
        .iter()
        .filter(|c| reg.by_code(c).is_some_and(|e| e.region == "Asia"))
        .count();
    let t5 = name_list(&top5);
    econ.findings.push(Text::new(
        format!(
            "The top-5 recipients of FDI in {year} are {}; {asia5} of them are in Asia.",
            t5.en
        ),
        format!(
            "{year}年外资流入排名前五的经济体为{}，其中{asia5}个来自亚洲。",
            t5.zh
        ),
    ));
    let groups: Vec<String> = FDI_GROUPS
        .iter()
        .filter(|g| ts.exp.get(g, year).is_some())
        .map(|g| g.to_string())
        .collect();
    let mut grp = build(
        "F2.groups",
        Text::new(
            format!("FDI inflows by group, {year}"),
            format!("{year}年按经济体类别的外资流入"),
        ),
        &groups,
    );
    grp.basis.push((Text::new("Groups", "经济体类别"), Text::new(
        "UNCTAD's groups as given in the World Investment Report annex hierarchy (developed / developing, by region); groups missing from the source are left out",
        "按《世界投资报告》附表的UNCTAD分组（发达/发展中经济体及地区）；数据源中没有的分组不列出",
    )));
    let change = |c: &str| pct_change(ts.exp.get(c, year - 1)?, ts.exp.get(c, year)?);
    let mut sentences_en = Vec::new();
    let mut sentences_zh = Vec::new();
    for g in &groups {
        if let Some(x) = change(g) {
            sentences_en.push(format!("{} {}%", reg.names_of(g).get(Lang::En), signed(x)));
            sentences_zh.push(format!("{}{}%", reg.names_of(g).get(Lang::Zh), signed(x)));
        }
    }
    if !sentences_en.is_empty() {
        grp.findings.push(Text::new(
            format!(
                "FDI inflows {year} vs {}: {}.",
                year - 1,
                sentences_en.join("; ")
            ),
            format!("{year}年外资流入较上年变化：{}。", sentences_zh.join("；")),
        ));
    }
    econ.findings.extend(grp.findings.iter().cloned());
    Ok(vec![econ, grp])
}

const F3_YEAR: i32 = 2020;
const F3_INDICATOR: &str = "TALENT.VISAS.ISSUED";

pub(super) const F3: Analysis = Analysis {
    id: "F3",
    name: "talent-flow",
    title: w("Talent flow: visas issued", "人才流动：签证发放"),
    chapter: "openness",
    params: &[
        use_h(
            "year",
            D::Rule(w(
                "2020 (or the data's last year)",
                "2020（或数据的最后一年）",
            )),
            w("reference year", "参考年份"),
        ),
        use_h(
            "indicator",
            D::Text(F3_INDICATOR),
            w(
                "series of visas issued or migration flows",
                "签证发放或移民流动序列",
            ),
        ),
        use_h(
            "source",
            D::Rule(w("first dataset holding it", "首个含有该序列的数据集")),
            w("dataset to read", "读取的数据集"),
        ),
        use_h(
            "economies",
            D::Rule(w("all in the series", "序列中的全部经济体")),
            w("economies shown", "显示的经济体"),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.3", "f3")],
    numbers: &[],
    year_shift: YearShift::Year,
    run: |e, p| Box::pin(async move { Ok(vec![f3(e, p).await?]) }),
};

/// F3: talent flow — visas issued (or migration flows) by economy, change
/// on the previous year.
pub async fn f3(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let indicator = params
        .indicator
        .clone()
        .unwrap_or_else(|| F3_INDICATOR.into());
    let series = engine
        .series(&indicator, params.source.as_deref())
        .await
        .map_err(|e| match e {
            EngineError::MissingData { message, .. } => EngineError::missing(
                message,
                "import visas issued or migration flows by economy and year as innoscope's tidy CSV (economy,indicator,year,value,unit,source[,licence]) with indicator TALENT.VISAS.ISSUED, or name yours with --indicator",
            ),
            other => other,
        })?;
    let last = series
        .last_year()
        .ok_or_else(|| EngineError::missing("the talent series is empty", "re-import it"))?;
    let year = params.year.unwrap_or(last.min(F3_YEAR));
    let mut codes: Vec<String> = series
        .values
        .keys()
        .filter(|c| series.get(c, year).is_some() && series.get(c, year - 1).is_some())
        .cloned()
        .collect();
    if let Some(explicit) = explicit_set(params, &[])? {
        codes.retain(|c| explicit.codes().contains(c));
    }
    if codes.is_empty() {
        return Err(EngineError::missing(
            format!(
                "no economy has `{indicator}` for both {} and {year}",
                year - 1
            ),
            "choose --year within the data",
        ));
    }
    let change = |c: &str, y: i32| pct_change(series.get(c, y - 1)?, series.get(c, y)?);
    codes.sort_by(|a, b| {
        change(a, year)
            .unwrap_or(0.0)
            .total_cmp(&change(b, year).unwrap_or(0.0))
            .then(a.cmp(b))
    });
    let mut t = ResultTable::new(
        "F3",
        Text::new(
            format!(
                "Talent flow: {} in {year} vs {}",
                series.meta.name_en.to_lowercase(),
                year - 1
            ),
            format!("人才流动：{year}年较{}年变化", year - 1),
        ),
    );
    t.columns = economy_columns(&codes);
    let unit = Some(Text::same(series.meta.unit.clone()));
    for (y, name) in [(year - 1, "previous"), (year, "value")] {
        t.columns.push(Column::float(
            name,
            Text::new(format!("{y}"), format!("{y}年")),
            unit.clone(),
            0,
            codes.iter().map(|c| series.get(c, y)).collect(),
        ));
    }
    let pct = Some(Text::new("%", "%"));
    t.columns.push(Column::float(
        "change",
        Text::new(
            format!("Change {year} vs {}", year - 1),
            format!("{year}年同比变化"),
        ),
        pct.clone(),
        1,
        codes.iter().map(|c| change(c, year)).collect(),
    ));
    t.columns.push(Column::float(
        "change_before",
        Text::new(
            format!("Change {} vs {}", year - 1, year - 2),
            format!("{}年同比变化", year - 1),
        ),
        pct,
        1,
        codes.iter().map(|c| change(c, year - 1)).collect(),
    ));
    t.figure = Some(Figure::DivergingBars {
        label: "economy".into(),
        series: vec!["change".into()],
        unit: Text::new("% vs previous year", "同比变化（%）"),
    });
    t.basis = vec![(
        Text::new("Flow", "流量"),
        Text::same(format!(
            "{} ({indicator}), by the issuing economy",
            series.meta.name_en
        )),
    )];
    t.sources = vec![series.source_note()];
    t.synthetic = engine
        .dataset(&series.dataset)
        .and_then(|d| d.manifest.notes.first())
        .is_some_and(|n| n == crate::records::SYNTHETIC_NOTE);
    let over80: Vec<String> = codes
        .iter()
        .filter(|c| change(c, year).is_some_and(|x| x <= -80.0))
        .cloned()
        .collect();
    if let Some(first) = codes.first() {
        t.findings.push(Text::new(
            format!(
                "Largest fall: {} ({}%){}.",
                name(first, Lang::En),
                change(first, year).map(signed).unwrap_or_default(),
                if over80.is_empty() {
                    String::new()
                } else {
                    format!("; {} fell by 80% or more", name_list(&over80).en)
                }
            ),
            format!(
                "降幅最大的是{}（{}%）{}。",
                name(first, Lang::Zh),
                change(first, year).map(signed).unwrap_or_default(),
                if over80.is_empty() {
                    String::new()
                } else {
                    format!("；{}减少80%以上", name_list(&over80).zh)
                }
            ),
        ));
    }
    let mut m = std::collections::BTreeMap::new();
    m.insert("year".to_string(), year.to_string());
    m.insert("indicator".to_string(), indicator);
    t.params = m;
    Ok(t)
}
