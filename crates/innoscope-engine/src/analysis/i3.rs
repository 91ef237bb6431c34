//! I3: early-stage venture capital by sector, and venture capital by economy (Fig 18).

use super::common::*;
use super::prelude::*;
use super::record_lists::*;
use crate::records::RecordSet;
use innoscope_core::records::{Records, VcRecord};
use std::collections::BTreeMap;

const I3_STAGES: &[&str] = &["seed", "angel", "series-a"];
const I3_INDICATOR: &str = "NCSES.VC.INV";

pub(super) const I3: Analysis = Analysis {
    id: "I3",
    name: "venture-capital",
    title: w(
        "Early-stage venture capital by sector",
        "早期风险投资领域分布",
    ),
    chapter: "industry",
    params: &[
        use_h(
            "year",
            D::Rule(w("latest year of the deals", "交易数据的最新年份")),
            w(
                "reference year (vs the previous)",
                "参考年份（与上一年对比）",
            ),
        ),
        use_h(
            "stages",
            D::Texts(I3_STAGES),
            w("rounds counted as early stage", "计为早期阶段的融资轮次"),
        ),
        use_h(
            "top",
            D::Int(RECORDS_TOP as i64),
            w("sectors shown", "显示的领域数"),
        ),
        use_h(
            "indicator",
            D::Text(I3_INDICATOR),
            w(
                "series of venture capital by economy",
                "各经济体风险投资序列",
            ),
        ),
        dataset_to_read(D::Rule(w(
            "first dataset holding the indicator",
            "首个含有该指标的数据集",
        ))),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.4", "i3")],
    numbers: &[("I3", Numbering::Figure(18))],
    year_shift: YearShift::Year,
    series: &[I3_INDICATOR],
    run: |e, p| Box::pin(i3(e, p)),
};

/// I3: early-stage venture capital by sector (Fig 18), and venture capital by economy.
pub(crate) async fn i3(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let sets = engine.records("venture-capital")?;
    let mut out = Vec::new();
    let stages = params
        .stages
        .clone()
        .unwrap_or_else(|| I3_STAGES.iter().map(|s| s.to_string()).collect());
    if let Some(set) = sets.first() {
        let Records::VentureCapital(rows) = &set.records else {
            unreachable!("family checked")
        };
        out.push(i3_sectors(set, rows, &stages, params)?);
    }
    // Venture capital by economy (NCSES / PitchBook), when present.
    let indicator = params
        .indicator
        .clone()
        .unwrap_or_else(|| I3_INDICATOR.into());
    match engine.series(&indicator, params.source.as_deref()).await {
        Ok(series) => out.push(i3_economies(&series, params)?),
        Err(e) if out.is_empty() => {
            return Err(EngineError::missing(
                format!("no venture-capital deals and no series `{indicator}`: {e}"),
                "import deals or aggregates (date,sector,stage,amount_usd_m,economy[,deals]) or the NCSES table S8-62 with `innoscope import FILE`",
            ));
        }
        Err(_) => {}
    }
    Ok(out)
}

fn i3_sectors(
    set: &RecordSet,
    rows: &[VcRecord],
    stages: &[String],
    params: &Params,
) -> Result<ResultTable> {
    let stages: Vec<String> = stages
        .iter()
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    let year = params
        .year
        .or_else(|| rows.iter().map(|r| r.year).max())
        .unwrap_or_default();
    let base = year - 1;
    let names = mapping(VC_SECTORS, None, "sector")?;
    let mut agg: BTreeMap<String, [f64; 4]> = BTreeMap::new();
    for r in rows.iter().filter(|r| stages.contains(&r.stage)) {
        let slot = if r.year == year {
            0
        } else if r.year == base {
            1
        } else {
            continue;
        };
        let e = agg.entry(r.sector.clone()).or_default();
        e[slot] += r.amount;
        e[slot + 2] += r.deals as f64;
    }
    let mut list: Vec<(String, [f64; 4])> = agg.into_iter().filter(|(_, v)| v[0] > 0.0).collect();
    if list.is_empty() {
        return Err(EngineError::missing(
            format!(
                "no {} deals in {year} in `{}`",
                stages.join("/"),
                set.info.manifest.id
            ),
            "choose --year and --stages the data cover",
        ));
    }
    list.sort_by(|a, b| b.1[0].total_cmp(&a.1[0]).then(a.0.cmp(&b.0)));
    list.truncate(params.top.unwrap_or(RECORDS_TOP));
    let growth = |now: f64, before: f64| (before > 0.0).then(|| 100.0 * (now / before - 1.0));
    let label = |s: &str| {
        names
            .get(&s.to_lowercase())
            .map(|x| x.1.clone())
            .unwrap_or_else(|| Text::same(s))
    };
    let mut t = ResultTable::new(
        "I3",
        Text::new(
            format!(
                "Early-stage venture capital: top {} sectors by amount, {year}",
                list.len()
            ),
            format!("{year}年全球早期风投投资额最多的{}个领域", list.len()),
        ),
    );
    t.columns.push(Column::text(
        "sector",
        Text::new("Sector", "领域代码"),
        list.iter().map(|x| Some(x.0.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_en",
        Text::new("Sector", "领域（英）"),
        list.iter().map(|x| Some(label(&x.0).en)).collect(),
    ));
    t.columns.push(Column::text(
        "name_zh",
        Text::new("Sector (zh)", "领域"),
        list.iter().map(|x| Some(label(&x.0).zh)).collect(),
    ));
    t.columns.push(Column::float(
        "amount",
        Text::new(format!("Amount {year}"), format!("{year}年投资额")),
        Some(Text::new("million USD", "百万美元")),
        1,
        list.iter().map(|x| Some(x.1[0])).collect(),
    ));
    t.columns.push(Column::float(
        "amount_growth",
        Text::new("Amount growth", "投资额增长率"),
        Some(Text::new("%", "%")),
        1,
        list.iter().map(|x| growth(x.1[0], x.1[1])).collect(),
    ));
    t.columns.push(Column::int(
        "deals",
        Text::new(format!("Deals {year}"), format!("{year}年投资笔数")),
        None,
        list.iter().map(|x| Some(x.1[2] as i64)).collect(),
    ));
    t.columns.push(Column::float(
        "deals_growth",
        Text::new("Deals growth", "投资笔数增长率"),
        Some(Text::new("%", "%")),
        1,
        list.iter().map(|x| growth(x.1[2], x.1[3])).collect(),
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "sector".into(),
        bars: "amount".into(),
        bar_unit: Text::new("million USD", "百万美元"),
        line: "amount_growth".into(),
        line_unit: Text::new("% vs previous year", "同比增长率（%）"),
    });
    t.basis = vec![
        (
            Text::new("Early stage", "早期"),
            Text::new(
                format!("rounds: {}", stages.join(", ")),
                format!(
                    "轮次：{}",
                    stages
                        .iter()
                        .map(|s| match s.as_str() {
                            "seed" => "种子轮",
                            "angel" => "天使轮",
                            "series-a" => "A轮",
                            "series-b" => "B轮",
                            "series-c" => "C轮",
                            other => other,
                        })
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            ),
        ),
        (
            Text::new("Growth", "增长率"),
            Text::new(format!("{year} vs {base}"), format!("{year}年对比{base}年")),
        ),
    ];
    t.sources = vec![note(set)];
    t.synthetic = set.synthetic();
    let first = &list[0];
    let fastest = list
        .iter()
        .filter_map(|x| growth(x.1[0], x.1[1]).map(|g| (x, g)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.0.cmp(&a.0.0)));
    let fewer = list.iter().filter(|x| x.1[2] < x.1[3]).count();
    t.findings.push(Text::new(
        format!(
            "{} drew the most ({:.0} million USD, {}%){}; deals fell in {fewer} of the {} sectors, so the average deal grew.",
            label(&first.0).en,
            first.1[0],
            growth(first.1[0], first.1[1]).map(signed).unwrap_or_else(|| "n/a".into()),
            fastest
                .map(|(x, g)| format!("; {} grew fastest ({}%)", label(&x.0).en, signed(g)))
                .unwrap_or_default(),
            list.len()
        ),
        format!(
            "{}投资额最多（{:.0}百万美元，{}%）{}；{}个领域中有{fewer}个投资笔数减少，单笔投资额上升。",
            label(&first.0).zh,
            first.1[0],
            growth(first.1[0], first.1[1]).map(signed).unwrap_or_else(|| "无".into()),
            fastest
                .map(|(x, g)| format!("；{}增长最快（{}%）", label(&x.0).zh, signed(g)))
                .unwrap_or_default(),
            list.len()
        ),
    ));
    t.params = given_params(params);
    Ok(t)
}

fn i3_economies(series: &crate::Series, params: &Params) -> Result<ResultTable> {
    let last = series.last_year().ok_or_else(|| {
        EngineError::missing("the venture-capital series is empty", "re-import it")
    })?;
    let year = params.year.filter(|y| *y <= last).unwrap_or(last);
    let world = series.get("WLD", year);
    let mut vals: Vec<(String, f64)> = series
        .at(year)
        .filter(|(c, _)| {
            Registry::bundled()
                .by_code(c)
                .is_some_and(|e| e.is_country())
        })
        .map(|(c, v)| (c.to_string(), v))
        .collect();
    vals.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    vals.truncate(params.top.unwrap_or(RECORDS_TOP));
    let codes: Vec<String> = vals.iter().map(|x| x.0.clone()).collect();
    let mut t = ResultTable::new(
        "I3.economies",
        Text::new(
            format!("Venture capital investment by economy, {year}"),
            format!("{year}年各经济体风险投资额"),
        ),
    );
    t.columns = economy_columns(&codes);
    t.columns.push(Column::float(
        "amount",
        Text::new(
            format!("Venture capital {year}"),
            format!("{year}年风险投资额"),
        ),
        Some(Text::new("million USD", "百万美元")),
        0,
        vals.iter().map(|x| Some(x.1)).collect(),
    ));
    t.columns.push(Column::float(
        "growth",
        Text::new(
            format!("Change vs {}", year - 1),
            format!("较{}年变化", year - 1),
        ),
        Some(Text::new("%", "%")),
        1,
        codes
            .iter()
            .map(|c| pct_change(series.get(c, year - 1)?, series.get(c, year)?))
            .collect(),
    ));
    t.columns.push(Column::float(
        "world_share",
        Text::new("Share of world", "占全球比重"),
        Some(Text::new("%", "%")),
        1,
        vals.iter()
            .map(|x| world.filter(|w| *w > 0.0).map(|w| 100.0 * x.1 / w))
            .collect(),
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "economy".into(),
        bars: "amount".into(),
        bar_unit: Text::new("million USD", "百万美元"),
        line: "growth".into(),
        line_unit: Text::new("% vs previous year", "同比增长率（%）"),
    });
    t.basis = vec![(
        Text::new("Venture capital", "风险投资"),
        Text::new(
            format!(
                "{} ({}), all stages; economies only, aggregates left out",
                series.meta.name_en, series.indicator
            ),
            format!(
                "{}（{}），全部轮次；仅经济体，不含国家集团",
                series.meta.name_zh_or_en(),
                series.indicator
            ),
        ),
    )];
    t.sources = vec![series.source_note()];
    if let (Some((c, v)), Some(w)) = (vals.first(), world) {
        t.findings.push(Text::new(
            format!(
                "{} received {:.1}% of the world's venture capital in {year}.",
                name(c, Lang::En),
                100.0 * v / w
            ),
            format!(
                "{year}年{}获得全球{:.1}%的风险投资。",
                name(c, Lang::Zh),
                100.0 * v / w
            ),
        ));
    }
    t.params = given_params(params);
    Ok(t)
}
