//! I5: green patents by method, economy and topic (Fig 21).

use super::common::economy_columns;
use super::microdata_ctx::*;
use super::prelude::*;
use innoscope_core::classify::{GreenMethod, builtin};

const I5_GREEN: &str = "wipo";
const I5_FOCUS: &str = "CN";
const I5_TOP: usize = 10;

pub(super) const I5: Analysis = Analysis {
    id: "I5",
    name: "green-patents",
    title: w("Green patents", "绿色技术专利"),
    chapter: "industry",
    params: &[
        reference_year(MICRO_YEAR_RULE),
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
    series: &[],
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
    let (gy, gcc, gn) = (gc.col("year")?, gc.col("ctry")?, gc.col("green_apps")?);
    let focus_of = |y: i64| {
        gc.values
            .iter()
            .find(|r| r[gy].as_i64() == y && r[gcc].as_str() == focus)
            .map(|r| r[gn].as_i64())
            .unwrap_or(0)
    };
    let (ty, tn, tg) = (
        totals.col("year")?,
        totals.col("pct_apps")?,
        totals.col("green_apps")?,
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
    let rows: Vec<_> = rows_in_year(&gc, year)?.into_iter().take(n).collect();
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
    let share_c = gc.col("share")?;
    e.columns.push(Column::float(
        "share_of_own",
        Text::new("Share of its own applications", "占本经济体申请比重"),
        Some(Text::new("%", "%")),
        2,
        rows.iter()
            .map(|r| Some(pct(r[share_c].as_f64())))
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
    let (tcc, tac) = (topics.col("category")?, topics.col("apps")?);
    let trows: Vec<_> = rows_in_year(&topics, year)?.into_iter().take(15).collect();
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
