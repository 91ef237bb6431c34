//! C1: growth of GERD against growth of GDP (Fig 2).

use super::common::*;
use super::prelude::*;
use super::stats::*;

const C1_YEAR: i32 = 2019;
const C1_BASE: i32 = 2009;

pub(super) const C1: Analysis = Analysis {
    id: "C1",
    name: "rd-growth",
    title: w("R&D growth vs GDP growth", "研发支出增长与GDP增长"),
    chapter: "competition",
    params: &[
        reference_year(D::Int(C1_YEAR as i64)),
        use_h(
            "base-year",
            D::Int(C1_BASE as i64),
            w("base year of the growth rates", "增长率的基期年份"),
        ),
        use_h(
            "top",
            D::Int(RD_TOP as i64),
            w(
                "top-N by GERD and by GERD/GDP whose union forms the country set",
                "按研发支出与研发强度各取前N位，其并集为经济体范围",
            ),
        ),
        use_h(
            "economies",
            D::None,
            w(
                "explicit country set instead of the rule",
                "指定经济体，取代选取规则",
            ),
        ),
        use_h(
            "preset",
            D::None,
            w(
                "report2021: the report's own 15 economies",
                "report2021：报告所用的15个经济体",
            ),
        ),
        use_h(
            "price-basis",
            D::Text("ppp"),
            w(
                "ppp (current PPP $), usd (current US$), lcu (national currency), constant (constant prices and PPPs: OECD MSTI, WDI)",
                "ppp（现价购买力平价美元）、usd（现价美元）、lcu（本币）、constant（不变价购买力平价：OECD MSTI与WDI）",
            ),
        ),
        use_h(
            "min-gerd",
            D::Float(MIN_GERD),
            w(
                "minimum GERD (bn PPP $) to enter the intensity ranking",
                "进入研发强度排名的最低研发支出（十亿购买力平价美元）",
            ),
        ),
        dataset_to_read(D::Rule(w(
            "first dataset holding the series",
            "首个含有该序列的数据集",
        ))),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c1")],
    numbers: &[("C1", Numbering::Figure(2))],
    year_shift: YearShift::YearAndBase(10),
    series: &[RD, GDP, FX, PPP, GDP_CONST],
    run: |e, p| Box::pin(async move { Ok(vec![c1(e, p).await?]) }),
};

/// C1: growth of GERD vs growth of GDP.
pub async fn c1(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let (year, base) = years(params, C1_YEAR, C1_BASE)?;
    let basis = params.price_basis.unwrap_or_default();
    let mut inputs = RdInputs::load(engine, params.source.as_deref()).await?;
    if basis == PriceBasis::Constant {
        inputs = inputs.with_constant(engine).await?;
    }
    let (set, why) = inputs.country_set(params, year)?;
    let codes = set.codes().to_vec();
    let span = year - base;
    let mut gerd_ref = Vec::new();
    let mut intensity = Vec::new();
    let mut g_gerd = Vec::new();
    let mut g_gdp = Vec::new();
    let mut gap = Vec::new();
    let mut outgrew = Vec::new();
    let mut next_gerd = Vec::new();
    let mut next_gdp = Vec::new();
    for c in &codes {
        gerd_ref.push(inputs.gerd(c, year, basis).map(|v| v / 1e9));
        intensity.push(inputs.rd.get(c, year));
        let gg = cagr_of(|y| inputs.gerd(c, y, basis), base, year, span);
        let gd = cagr_of(|y| inputs.gdp(c, y, basis), base, year, span);
        let d = gg.zip(gd).map(|(a, b)| a - b);
        g_gerd.push(gg);
        g_gdp.push(gd);
        gap.push(d);
        outgrew.push(d.map(|d| d > 0.0));
        let change = |f: &dyn Fn(i32) -> Option<f64>| {
            f(year).zip(f(year + 1)).and_then(|(a, b)| pct_change(a, b))
        };
        next_gerd.push(change(&|y| inputs.gerd(c, y, basis)));
        next_gdp.push(change(&|y| inputs.gdp(c, y, basis)));
    }
    let mut t = ResultTable::new(
        "C1",
        Text::new(
            format!("Average annual growth of GERD and GDP, {base}–{year}"),
            format!("{base}-{year}年研发支出和GDP年均增长率"),
        ),
    );
    let unit_name = match basis {
        PriceBasis::Ppp => Text::new("bn PPP $", "十亿购买力平价美元"),
        PriceBasis::Usd => Text::new("bn US$", "十亿美元"),
        PriceBasis::Lcu => Text::new("bn national currency", "十亿本币"),
        PriceBasis::Constant => Text::new("bn constant PPP $", "十亿不变价购买力平价美元"),
    };
    t.columns = economy_columns(&codes);
    t.columns.push(
        Column::text(
            "selected_by",
            Text::new("Selected by", "入选依据"),
            why.iter().map(|(_, w)| Some(w.to_string())).collect(),
        )
        .with_labels(SELECTED_BY),
    );
    let pct = Some(Text::new("%", "%"));
    t.columns.push(Column::float(
        "gerd",
        Text::new(format!("GERD {year}"), format!("{year}年研发支出")),
        Some(unit_name),
        1,
        gerd_ref,
    ));
    t.columns.push(Column::float(
        "rd_intensity",
        Text::new(format!("GERD/GDP {year}"), format!("{year}年研发强度")),
        Some(Text::new("% of GDP", "占GDP%")),
        2,
        intensity,
    ));
    t.columns.push(Column::float(
        "gerd_cagr",
        Text::new("GERD growth (CAGR)", "研发支出年均增长率"),
        pct.clone(),
        2,
        g_gerd.clone(),
    ));
    t.columns.push(Column::float(
        "gdp_cagr",
        Text::new("GDP growth (CAGR)", "GDP年均增长率"),
        pct.clone(),
        2,
        g_gdp,
    ));
    t.columns.push(Column::float(
        "gap_pp",
        Text::new("Gap", "差距"),
        Some(Text::new("pp", "个百分点")),
        2,
        gap.clone(),
    ));
    t.columns.push(Column::bool(
        "rd_outgrew_gdp",
        Text::new("R&D outgrew GDP", "研发增速高于GDP"),
        outgrew.clone(),
    ));
    t.columns.push(Column::float(
        "gerd_change_next",
        Text::new(
            format!("GERD change {} vs {year}", year + 1),
            format!("{}年研发支出变化", year + 1),
        ),
        pct.clone(),
        1,
        next_gerd.clone(),
    ));
    t.columns.push(Column::float(
        "gdp_change_next",
        Text::new(
            format!("GDP change {} vs {year}", year + 1),
            format!("{}年GDP变化", year + 1),
        ),
        pct,
        1,
        next_gdp.clone(),
    ));
    t.basis
        .push((Text::new("Price basis", "价格口径"), basis.describe()));
    t.basis.push((
        Text::new("Years", "年份"),
        Text::new(
            format!("{base}→{year} ({span} annual steps)"),
            format!("{base}→{year}年（{span}个年度）"),
        ),
    ));
    t.basis.push(set_basis(
        &set,
        year,
        params.top.unwrap_or(RD_TOP),
        params.min_gerd.unwrap_or(MIN_GERD),
    ));
    t.basis.extend(inputs.gerd_basis());
    t.sources = inputs.sources();
    let (derived_en, derived_zh) = if inputs.gerd_ppp.is_some() {
        (
            "GERD as published (see GERD above).",
            "研发支出取自数据源（见上文“研发支出”）。",
        )
    } else {
        ("GERD = GERD/GDP × GDP.", "研发支出=研发强度×GDP。")
    };
    if basis == PriceBasis::Constant {
        t.notes.push(Text::new(
            "GERD at constant prices and PPPs as OECD MSTI publishes it (the OECD's base year), GDP in constant 2021 PPP $ (WDI): both growth rates are real, each deflated by its publisher. GERD/GDP is the published ratio. Only economies MSTI covers have growth rates.",
            "研发支出为OECD MSTI公布的不变价购买力平价数据（OECD的基年），GDP为2021年不变价购买力平价美元（世界银行WDI）：两个增长率均为实际增长率，各由其发布机构平减。研发强度为公布值。仅MSTI覆盖的经济体有增长率。",
        ));
    } else {
        t.notes.push(Text::new(
            format!("{derived_en} Both growth rates are in the same current-price basis, so their gap (and whether R&D outgrew GDP) does not depend on the deflator. --price-basis constant gives real growth rates from OECD MSTI (`innoscope fetch oecd`); usd or lcu the other current bases."),
            format!("{derived_zh}两个增长率采用相同的现价口径，因此二者之差（研发是否快于GDP）不受价格平减指数影响。`--price-basis constant` 给出基于OECD MSTI的实际增长率（`innoscope fetch oecd`）；`usd` 或 `lcu` 为其他现价口径。"),
        ));
    }
    // Findings.
    let with_gap: Vec<(String, f64)> = codes
        .iter()
        .cloned()
        .zip(gap.iter().copied())
        .filter_map(|(c, g)| Some((c, g?)))
        .collect();
    let mut ranked = with_gap.clone();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let k = ranked.iter().filter(|(_, g)| *g > 0.0).count();
    let n = ranked.len();
    if n > 0 {
        let top: Vec<(String, f64)> = ranked
            .iter()
            .filter(|(_, g)| *g > 0.0)
            .take(3)
            .cloned()
            .collect();
        let top_en: Vec<String> = top
            .iter()
            .map(|(c, g)| format!("{} ({} pp)", name(c, innoscope_core::Lang::En), signed(*g)))
            .collect();
        let top_zh: Vec<String> = top
            .iter()
            .map(|(c, g)| {
                format!(
                    "{}（高出{:.2}个百分点）",
                    name(c, innoscope_core::Lang::Zh),
                    g
                )
            })
            .collect();
        t.findings.push(Text::new(
            format!("From {base} to {year}, GERD grew faster than GDP in {k} of the {n} economies; the largest gaps: {}.", top_en.join(", ")),
            format!("{base}-{year}年，{n}个经济体中有{k}个研发支出年均增长率高于GDP年均增长率，其中{}。", top_zh.join("，")),
        ));
        let lagging: Vec<String> = ranked
            .iter()
            .filter(|(_, g)| *g <= 0.0)
            .map(|(c, _)| c.clone())
            .collect();
        if !lagging.is_empty() {
            let names = name_list(&lagging);
            t.findings.push(Text::new(
                format!("GERD grew no faster than GDP in {}.", names.en),
                format!("{}的研发支出增速未超过GDP增速。", names.zh),
            ));
        }
    }
    let both: Vec<(String, f64, f64)> = codes
        .iter()
        .zip(next_gerd.iter().zip(next_gdp.iter()))
        .filter_map(|(c, (a, b))| Some((c.clone(), (*a)?, (*b)?)))
        .collect();
    if !both.is_empty() {
        let faster = both.iter().filter(|(_, a, b)| a > b).count();
        t.findings.push(Text::new(
            format!("In {}, GERD rose faster than GDP in {faster} of the {} economies with data for that year.", year + 1, both.len()),
            format!("{}年有数据的{}个经济体中，{faster}个研发支出增速高于GDP。", year + 1, both.len()),
        ));
    }
    t.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["gerd_cagr".into(), "gdp_cagr".into()],
        unit: Text::new("% per year", "年均%"),
    });
    record_params(
        &mut t,
        params,
        &[
            ("year", year.to_string()),
            ("base_year", base.to_string()),
            ("price_basis", format!("{basis:?}").to_lowercase()),
        ],
    );
    super::coverage::apply(&mut t, inputs.coverage(&set, year));
    Ok(t)
}
