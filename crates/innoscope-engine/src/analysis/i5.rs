//! I5: green patents by method, economy and topic (Fig 21).

use super::common::economy_columns;
use super::microdata_ctx::*;
use super::prelude::*;
use crate::microdata::{GreenCountry, YearTotals};
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
                "method on patent microdata: wipo (IPC Green Inventory), envtech (OECD), y02 (EPO CPC); without imported microdata, NCSES's USPTO categories unless this is given",
                "专利微观数据的口径：wipo（IPC绿色清单）、envtech（OECD）、y02（EPO CPC）；未导入微观数据且未指定时采用NCSES的美国专利类别",
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

/// The economy I5 follows over the years: the first of `--economies`, else
/// China (the report's focus).
fn focus_economy(params: &Params) -> Result<&'static innoscope_core::Economy> {
    let reg = Registry::bundled();
    match params.economies.as_deref() {
        Some([one, ..]) => reg
            .by_code(one)
            .or_else(|| reg.resolve(None, one))
            .ok_or_else(|| EngineError::bad_param("economies", format!("unknown economy `{one}`"))),
        _ => reg
            .by_code(I5_FOCUS)
            .ok_or_else(|| EngineError::bad_param("economies", "no default focus economy")),
    }
}

/// I5: green patents: from patent microdata with the chosen green list, or
/// from the NCSES USPTO table (see [`basis`]).
pub async fn i5(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    match basis(engine, params) {
        Basis::Microdata => i5_microdata(engine, params).await,
        Basis::Uspto => i5_uspto(engine, params).await,
    }
}

/// I5 on microdata: green applications by the chosen method: per year
/// (count, share of all applications, growth against all-field growth),
/// the focus economy's count and share of the world, the top economies,
/// and topics.
async fn i5_microdata(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, base_year) = ctx.years(params, MICRO_YEAR)?;
    let method: GreenMethod = params
        .green
        .as_deref()
        .unwrap_or(I5_GREEN)
        .parse()
        .map_err(|e: String| EngineError::bad_param("green", e))?;
    let green = builtin::green(method);
    // Microdata carry two-letter applicant countries.
    let focus = focus_economy(params)?.iso2.clone();
    // The yearly series (all applications, green ones, the focus
    // economy's) does not depend on the year asked: once known, a request
    // for another year builds the base of that year alone.
    let series = Series::<(Vec<YearTotals>, Vec<GreenCountry>)>::look_up(
        engine,
        &ctx,
        &format!(
            "I5.totals\u{1f}{}\u{1f}{focus}",
            crate::facts::fingerprint(&green)
        ),
    );
    let base = ctx
        .md
        .prepare_years(&ctx.counting, &[&green], &series.years(vec![year]))
        .await?;
    base.classify("green", &green, "sel").await?;
    let gc = base.green_country().await?;
    let (totals, focus_rows) = series
        .get(engine, async {
            let focus_rows = gc.iter().filter(|r| r.ctry == focus).cloned().collect();
            Ok((base.totals(true).await?, focus_rows))
        })
        .await?;
    let focus_of = |y: i64| {
        focus_rows
            .iter()
            .find(|r| i64::from(r.year) == y)
            .map_or(0, |r| r.green_apps)
    };
    let mut t = ctx.table(
        "I5",
        Text::new(
            format!("Green applications per year ({})", method.label().en),
            format!("绿色技术专利申请量（按年，{}）", method.label().zh),
        ),
    );
    let years: Vec<i64> = totals.iter().map(|r| i64::from(r.year)).collect();
    let all: Vec<f64> = totals.iter().map(|r| r.pct_apps as f64).collect();
    // Classified above, so every year has a (possibly zero) green count.
    let gr: Vec<f64> = totals
        .iter()
        .map(|r| r.green_apps.unwrap_or(0) as f64)
        .collect();
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
    let rows: Vec<_> = gc.iter().filter(|r| r.year == year).take(n).collect();
    let codes: Vec<String> = rows.iter().map(|r| a3(&r.ctry)).collect();
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
        rows.iter().map(|r| Some(r.green_apps)).collect(),
    ));
    e.columns.push(Column::float(
        "share_of_world",
        Text::new("Share of the world's green", "占全球绿色专利比重"),
        Some(Text::new("%", "%")),
        2,
        rows.iter()
            .map(|r| Some(r.green_apps as f64 / gy_total * 100.0))
            .collect(),
    ));
    e.columns.push(Column::float(
        "share_of_own",
        Text::new("Share of its own applications", "占本经济体申请比重"),
        Some(Text::new("%", "%")),
        2,
        rows.iter().map(|r| Some(pct(r.share))).collect(),
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
    let trows: Vec<_> = topics.iter().filter(|r| r.year == year).take(15).collect();
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
        trows.iter().map(|r| Some(r.category.clone())).collect(),
    ));
    tp.columns.push(Column::text(
        "name_en",
        Text::new("Topic", "主题（英文）"),
        trows.iter().map(|r| Some(tname(&r.category).en)).collect(),
    ));
    tp.columns.push(Column::text(
        "name_zh",
        Text::new("Topic (zh)", "主题"),
        trows.iter().map(|r| Some(tname(&r.category).zh)).collect(),
    ));
    tp.columns.push(Column::int(
        "applications",
        Text::new("Applications", "申请量"),
        None,
        trows.iter().map(|r| Some(r.apps)).collect(),
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

/// Which data I5 counts: patent microdata (with the chosen green list), or
/// the NCSES table of USPTO patents in environmental technologies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Basis {
    Microdata,
    Uspto,
}

const GREEN_ALL: &str = "NCSES.USPTO.GREEN";

/// NCSES's categories (SINV-B…M): table letter and Chinese name; the
/// English name is the series'.
const CATEGORIES: &[(&str, &str)] = &[
    ("B", "环境管理"),
    ("C", "能源生产、输送或分配相关的气候变化减缓技术"),
    ("D", "温室气体的捕集、封存或处置"),
    ("E", "交通相关的气候变化减缓技术"),
    ("F", "建筑相关的气候变化减缓技术"),
    ("G", "废水处理或废物管理相关的气候变化减缓技术"),
    ("H", "商品生产或加工中的气候变化减缓技术"),
    ("I", "信息通信技术中的气候变化减缓"),
    ("J", "气候变化适应技术"),
    ("K", "可持续海洋经济"),
    ("L", "农业、林业、畜牧业或农产食品生产中的气候变化适应技术"),
    ("M", "农业、畜牧业或农产食品工业相关的气候变化减缓技术"),
];

/// The basis I5 runs on: a `--green` list needs classification symbols
/// (microdata); else [`counts_microdata`] with the USPTO table.
fn basis(engine: &Engine, params: &Params) -> Basis {
    let given_list = params.green.is_some() && params.source.is_none();
    if given_list || counts_microdata(engine, params, GREEN_ALL) {
        Basis::Microdata
    } else {
        Basis::Uspto
    }
}

/// I5 on NCSES's USPTO utility patents in environmental sustainability
/// technologies (SINV-A..M, fractional counts by inventor economy, grant
/// year): the world's long series with the focus economy's count and share,
/// the top economies of the year, and the categories.
async fn i5_uspto(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let source = params.source.as_deref();
    let all = engine.series(GREEN_ALL, source).await?;
    let mut cats = Vec::new();
    for (letter, zh) in CATEGORIES {
        let code = format!("{GREEN_ALL}.{letter}");
        if let Ok(s) = engine.series(&code, source).await {
            cats.push((letter.to_string(), *zh, s));
        }
    }
    let world: Vec<(i32, f64)> = all
        .values
        .get("WLD")
        .map(|m| m.iter().map(|(y, v)| (*y, *v)).collect())
        .unwrap_or_default();
    let (first, last) = match (world.first(), world.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => {
            return Err(EngineError::missing(
                "the NCSES green-patent table has no world totals",
                "import ncses/tidy/uspto_green_patents_by_country_category_1998_2022.csv",
            ));
        }
    };
    let year = params.year.unwrap_or(MICRO_YEAR.min(last));
    let base_year = params.base_year.unwrap_or((year - 10).max(first));
    for (n, y) in [("year", year), ("base-year", base_year)] {
        if y < first || y > last {
            return Err(EngineError::bad_param(
                n,
                format!("{y} is outside the NCSES green patents' years {first}–{last}"),
            ));
        }
    }
    if base_year >= year {
        return Err(EngineError::bad_param(
            "base-year",
            format!("{base_year} must be before the reference year {year}"),
        ));
    }
    let focus = focus_economy(params)?.code.clone();
    let (fen, fzh) = (name(&focus, false), name(&focus, true));
    let counting = Text::new(
        "USPTO utility patents granted, fractional counts by inventor economy, grant year (NCSES from PatentsView)",
        "美国专利商标局授权的发明专利，按发明人所在经济体分数计数，按授权年份（NCSES基于PatentsView）",
    );
    let green_basis = Text::new(
        "environmental sustainability technologies as NCSES classifies them (OECD ENV-TECH and CPC Y02/Y04S based, 12 categories)",
        "NCSES界定的环境可持续技术（基于OECD ENV-TECH与CPC Y02/Y04S，12个类别）",
    );
    let sources = crate::series::merge_sources(
        &std::iter::once(&all)
            .chain(cats.iter().map(|(_, _, s)| s))
            .collect::<Vec<_>>(),
    );
    let head = |id: &str, title: Text| {
        let mut t = ResultTable::new(id, title);
        t.basis
            .push((Text::new("Counting", "计数口径"), counting.clone()));
        t.basis
            .push((Text::new("Green", "绿色技术"), green_basis.clone()));
        t.sources = sources.clone();
        t.params = super::common::given_params(params);
        t.params.insert("year".into(), year.to_string());
        t.params.insert("base_year".into(), base_year.to_string());
        t
    };
    // The long series.
    let mut t = head(
        "I5",
        Text::new(
            format!("Green patents per year, {first}–{last} (USPTO grants)"),
            format!("绿色技术专利（按年，{first}–{last}年，美国授权）"),
        ),
    );
    let gr: Vec<f64> = world.iter().map(|(_, v)| *v).collect();
    let yoy = |i: usize| (i > 0 && gr[i - 1] > 0.0).then(|| (gr[i] / gr[i - 1] - 1.0) * 100.0);
    let focus_v: Vec<Option<f64>> = world.iter().map(|(y, _)| all.get(&focus, *y)).collect();
    t.columns.push(Column::int(
        "year",
        Text::new("Year", "年份"),
        None,
        world.iter().map(|(y, _)| Some(i64::from(*y))).collect(),
    ));
    t.columns.push(Column::float(
        "green_patents",
        Text::new("Green patents (world)", "全球绿色专利"),
        None,
        0,
        gr.iter().map(|v| Some(*v)).collect(),
    ));
    t.columns.push(Column::float(
        "green_growth",
        Text::new("Green growth", "绿色专利增速"),
        Some(Text::new("%", "%")),
        1,
        (0..gr.len()).map(yoy).collect(),
    ));
    t.columns.push(Column::float(
        "focus_patents",
        Text::new(format!("{fen}: green patents"), format!("{fzh}绿色专利")),
        None,
        1,
        focus_v.clone(),
    ));
    t.columns.push(Column::float(
        "focus_share",
        Text::new(
            format!("{fen}: share of the world's green"),
            format!("{fzh}占全球绿色专利比重"),
        ),
        Some(Text::new("%", "%")),
        2,
        focus_v
            .iter()
            .zip(&gr)
            .map(|(f, g)| Some(f.as_ref()? / g * 100.0).filter(|_| *g > 0.0))
            .collect(),
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "year".into(),
        bars: "focus_patents".into(),
        bar_unit: Text::new("patents", "件"),
        line: "focus_share".into(),
        line_unit: Text::new("%", "%"),
    });
    t.notes.push(Text::new(
        "The report counted green applications by the WIPO IPC Green Inventory; the open data count granted USPTO patents in NCSES's categories, and hold no total of all USPTO patents, so no share of all patents is given. Import patent microdata for the report's basis (--green wipo, envtech or y02).",
        "报告按WIPO IPC绿色清单统计绿色专利申请；公开数据为NCSES分类下的美国授权专利，且不含美国全部专利总量，因此不给出占全部专利的比重。导入专利微观数据可采用报告口径（`--green wipo`、`envtech` 或 `y02`）。",
    ));
    let at = |y: i32| world.iter().position(|(x, _)| *x == y);
    if let (Some(b), Some(r)) = (at(base_year), at(year))
        && gr[b] > 0.0
    {
        let g = ((gr[r] / gr[b]).powf(1.0 / f64::from(year - base_year)) - 1.0) * 100.0;
        t.findings.push(Text::new(
            format!("From {base_year} to {year}, USPTO green patents grew {g:.1}% a year ({:.0} → {:.0}).", gr[b], gr[r]),
            format!("{base_year}年至{year}年，美国授权绿色专利年均增长{g:.1}%（{:.0}→{:.0}件）。", gr[b], gr[r]),
        ));
        if let Some(f) = focus_v[r] {
            t.findings.push(Text::new(
                format!(
                    "{fen}: {f:.0} green patents in {year}, {:.1}% of the world's.",
                    f / gr[r] * 100.0
                ),
                format!(
                    "{year}年{fzh}绿色专利{f:.0}件，占全球的{:.1}%。",
                    f / gr[r] * 100.0
                ),
            ));
        }
    }
    // Top economies of the year.
    let n = params.top.unwrap_or(I5_TOP);
    let ranked = super::common::rank_countries(all.at(year).map(|(e, v)| (e.to_string(), v)));
    let top: Vec<(String, f64)> = ranked.into_iter().take(n).collect();
    let codes: Vec<String> = top.iter().map(|(c, _)| c.clone()).collect();
    let w = all.get("WLD", year).unwrap_or(0.0);
    let mut e = head(
        "I5.economies",
        Text::new(
            format!("Green patents by economy, {year} (top {n}; USPTO grants)"),
            format!("{year}年各经济体绿色专利（前{n}位，美国授权）"),
        ),
    );
    e.columns = economy_columns(&codes);
    e.columns.push(Column::float(
        "green_patents",
        Text::new("Green patents", "绿色专利"),
        None,
        1,
        top.iter().map(|(_, v)| Some(*v)).collect(),
    ));
    e.columns.push(Column::float(
        "share_of_world",
        Text::new("Share of the world's green", "占全球绿色专利比重"),
        Some(Text::new("%", "%")),
        2,
        top.iter()
            .map(|(_, v)| (w > 0.0).then(|| v / w * 100.0))
            .collect(),
    ));
    e.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["green_patents".into()],
        unit: Text::new("patents", "件"),
    });
    e.notes.push(Text::new(
        "Patents granted by the USPTO: the United States, as the home office, is over-represented against any other economy.",
        "美国专利商标局授权专利：作为本国局，美国相对其他经济体被高估。",
    ));
    let smallest = top.last().map(|(_, v)| *v);
    super::coverage::apply(
        &mut e,
        super::coverage::of_ranking(
            &all,
            year,
            Text::new("USPTO green patents", "美国授权绿色专利"),
            smallest,
        ),
    );
    if let Some(first_c) = codes.first() {
        e.findings.push(Text::new(
            format!("{} has the most USPTO green patents in {year}; outside the home office's own economy, {} leads.", name(first_c, false), codes.iter().find(|c| *c != "USA").map(|c| name(c, false)).unwrap_or_default()),
            format!("{year}年{}的美国授权绿色专利最多；美国以外，{}领先。", name(first_c, true), codes.iter().find(|c| *c != "USA").map(|c| name(c, true)).unwrap_or_default()),
        ));
    }
    // Categories.
    let mut rows: Vec<(String, Text, f64)> = cats
        .iter()
        .filter_map(|(l, zh, s)| {
            let en = s
                .meta
                .name_en
                .trim_start_matches("USPTO utility patents in ");
            let en = en.split(" (").next().unwrap_or(en).to_string();
            Some((l.clone(), Text::new(en, *zh), s.get("WLD", year)?))
        })
        .collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let mut tp = head(
        "I5.topics",
        Text::new(
            format!("Green patents by category, {year} (world; USPTO grants)"),
            format!("{year}年绿色专利（按类别，全球，美国授权）"),
        ),
    );
    tp.columns.push(Column::text(
        "topic",
        Text::new("Category", "类别编号"),
        rows.iter().map(|r| Some(format!("SINV-{}", r.0))).collect(),
    ));
    tp.columns.push(Column::text(
        "name_en",
        Text::new("Category", "类别（英文）"),
        rows.iter().map(|r| Some(r.1.en.clone())).collect(),
    ));
    tp.columns.push(Column::text(
        "name_zh",
        Text::new("Category (zh)", "类别"),
        rows.iter().map(|r| Some(r.1.zh.clone())).collect(),
    ));
    tp.columns.push(Column::float(
        "patents",
        Text::new("Patents", "专利数"),
        None,
        1,
        rows.iter().map(|r| Some(r.2)).collect(),
    ));
    tp.figure = Some(Figure::GroupedBars {
        label: "topic".into(),
        series: vec!["patents".into()],
        unit: Text::new("patents", "件"),
    });
    tp.notes.push(Text::new(
        "A patent counts in every category it belongs to, so the categories sum to more than the total.",
        "一件专利计入其所属的每个类别，各类别之和大于总数。",
    ));
    Ok(vec![t, e, tp])
}
