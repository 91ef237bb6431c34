//! I4: applications by WIPO technology field (Fig 19).

use super::microdata_ctx::*;
use super::prelude::*;
use innoscope_core::classify::builtin;

const I4_TOP: usize = 10;

pub(super) const I4: Analysis = Analysis {
    id: "I4",
    name: "tech-fields",
    title: w("Technology fields", "技术领域"),
    chapter: "industry",
    params: &[
        reference_year(MICRO_YEAR_RULE),
        use_h("base-year", BASE_RULE, w("base year", "基期年份")),
        use_h(
            "top",
            D::Int(I4_TOP as i64),
            w("fields ranked", "排名的技术领域数"),
        ),
    ],
    own: &[],
    shared: COUNTING,
    placements: &[at("3.4", "i4")],
    numbers: &[("I4", Numbering::Figure(19))],
    year_shift: YearShift::YearAndBase(10),
    series: &[],
    run: |e, p| Box::pin(i4(e, p)),
};

/// Which data I4 counts: patent microdata, or the NCSES table of granted
/// international patent families by WIPO field (real open data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Basis {
    Microdata,
    Families,
}

/// The basis I4 runs on ([`counts_microdata`] with the families table).
fn basis(engine: &Engine, params: &Params) -> Basis {
    if counts_microdata(engine, params, &ncses_ipf(0)) {
        Basis::Microdata
    } else {
        Basis::Families
    }
}

fn ncses_ipf(field: u32) -> String {
    innoscope_import::formats::ipf_indicator(field)
}

/// I4: applications (or patent families) per WIPO technology field, base
/// vs reference year: top-N ranks and moves.
pub async fn i4(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    match basis(engine, params) {
        Basis::Microdata => i4_microdata(engine, params).await,
        Basis::Families => i4_families(engine, params).await,
    }
}

/// I4 on the NCSES granted international patent families (SINV-5..40):
/// the world's families by WIPO field, fractional counts by inventor
/// economy, year of first grant.
async fn i4_families(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let n = params.top.unwrap_or(I4_TOP);
    let source = params.source.as_deref();
    let mut series = Vec::new();
    for f in 1..=35 {
        series.push((f, engine.series(&ncses_ipf(f), source).await?));
    }
    let world_years = || {
        series.iter().flat_map(|(_, s)| {
            s.values
                .get("WLD")
                .into_iter()
                .flat_map(|m| m.keys().copied())
        })
    };
    let last = world_years().max().unwrap_or(MICRO_YEAR);
    let first = world_years().min().unwrap_or(MICRO_YEAR - 10);
    let year = params.year.unwrap_or(MICRO_YEAR.min(last));
    let base_year = params.base_year.unwrap_or((year - 10).max(first));
    for (name, y) in [("year", year), ("base-year", base_year)] {
        if y < first || y > last {
            return Err(EngineError::bad_param(
                name,
                format!("{y} is outside the NCSES families' years {first}–{last}"),
            ));
        }
    }
    if base_year >= year {
        return Err(EngineError::bad_param(
            "base-year",
            format!("{base_year} must be before the reference year {year}"),
        ));
    }
    let in_year = |y: i32| {
        ranked(
            series
                .iter()
                .filter_map(|(f, s)| Some((f.to_string(), s.get("WLD", y)?)))
                .collect(),
        )
    };
    let (rb, rr) = (in_year(base_year), in_year(year));
    let fields = builtin::technology_fields();
    let mut t = fields_table(&fields, n, (base_year, &rb), (year, &rr), 1);
    // The counts are families here, not applications.
    for c in &mut t.columns {
        for (name, y) in [("applications_base", base_year), ("applications", year)] {
            if c.name == name {
                c.label = Text::new(format!("Patent families {y}"), format!("{y}年专利族数"));
            }
        }
    }
    t.basis.push((
        Text::new("Counting", "计数口径"),
        Text::new(
            "granted international patent families of the world, fractional counts by inventor economy, year of first grant in the family (NCSES from PATSTAT)",
            "全球已授权国际专利族，按发明人所在经济体分数计数，按专利族首次授权年份（NCSES基于PATSTAT）",
        ),
    ));
    t.basis.push((
        Text::new("Fields", "技术领域"),
        Text::new(
            format!("{} as classified by NCSES (SINV-6..40); a family counts in each field of its classification, fractionally", fields.name.en),
            format!("{}，按NCSES分类（SINV-6..40）；专利族按分数计入其所属各领域", fields.name.zh),
        ),
    ));
    t.notes.push(Text::new(
        "The report counted PCT applications by field; open data have none by field, so this table counts granted international patent families (a later, smaller set: an invention counts once, when first granted).",
        "报告按领域统计PCT申请；公开数据没有按领域的PCT申请量，本表改用已授权国际专利族（口径更晚、更窄：每项发明在首次授权时计一次）。",
    ));
    t.sources = crate::series::merge_sources(&series.iter().map(|(_, s)| s).collect::<Vec<_>>());
    t.params = super::common::given_params(params);
    t.params.insert("year".into(), year.to_string());
    t.params.insert("base_year".into(), base_year.to_string());
    Ok(vec![t])
}

async fn i4_microdata(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, base_year) = ctx.years(params, MICRO_YEAR)?;
    let n = params.top.unwrap_or(I4_TOP);
    let fields = builtin::technology_fields();
    // The table compares two years: the base holds them alone.
    let base = ctx
        .md
        .prepare_years(
            &ctx.counting,
            &[&fields],
            &Years::Only(vec![base_year, year]),
        )
        .await?;
    base.classify("tech", &fields, "sel").await?;
    let per = base.per_category("tech").await?;
    let fractional = ctx.counting.fractional;
    let in_year = |y: i32| {
        ranked(
            per.iter()
                .filter(|r| r.year == y)
                .map(|r| (r.category.clone(), r.count(fractional)))
                .collect(),
        )
    };
    let (rb, rr) = (in_year(base_year), in_year(year));
    let dec = if ctx.counting.fractional { 1 } else { 0 };
    let mut t = fields_table(&fields, n, (base_year, &rb), (year, &rr), dec);
    let head = ctx.table("I4", t.title.clone());
    t.basis = head.basis;
    t.sources = head.sources;
    t.notes = head.notes;
    t.synthetic = head.synthetic;
    t.basis.push(fields_basis(&fields, ctx.counting.fractional));
    t.sources.push(SourceNote {
        dataset: "wipo35".into(),
        indicators: Vec::new(),
        source: fields.source.clone(),
        licence: fields.licence.clone(),
        vintage: "2019-07-10".into(),
    });
    t.params = params_map(params, &ctx.counting);
    Ok(vec![t])
}

fn fields_basis(
    fields: &innoscope_core::classify::Classification,
    fractional: bool,
) -> (Text, Text) {
    (
        Text::new("Fields", "技术领域"),
        Text::new(
            format!(
                "{} ({}); an application counts in every field of its IPC symbols{}",
                fields.name.en,
                fields.source,
                if fractional {
                    ", split equally between them"
                } else {
                    ""
                }
            ),
            format!(
                "{}（{}）；申请计入其IPC分类号所属的每个领域{}",
                fields.name.zh,
                fields.source,
                if fractional {
                    "，并在各领域间平均分配"
                } else {
                    ""
                }
            ),
        ),
    )
}

/// The I4 table from the fields ranked in the base and reference years:
/// the top `n` of the reference year, then those of the base year that
/// left it; ranks, counts, moves, the figure and the findings.
fn fields_table(
    fields: &innoscope_core::classify::Classification,
    n: usize,
    (base_year, rb): (i32, &[(String, f64)]),
    (year, rr): (i32, &[(String, f64)]),
    dec: u8,
) -> ResultTable {
    let top_ref: Vec<String> = rr.iter().take(n).map(|(c, _)| c.clone()).collect();
    let top_base: Vec<String> = rb.iter().take(n).map(|(c, _)| c.clone()).collect();
    let mut ids = top_ref.clone();
    ids.extend(top_base.iter().filter(|c| !top_ref.contains(c)).cloned());
    let cat = |id: &str| fields.categories.iter().find(|c| c.id == id);
    let mut t = ResultTable::new(
        "I4",
        Text::new(
            format!("Technology fields: top {n}, {base_year} and {year}"),
            format!("各技术领域：{base_year}年与{year}年前{n}位"),
        ),
    );
    t.columns.push(Column::text(
        "field",
        Text::new("Field no.", "领域编号"),
        ids.iter().map(|i| Some(i.clone())).collect(),
    ));
    t.columns.push(Column::text(
        "name_en",
        Text::new("Field", "技术领域（英文）"),
        ids.iter()
            .map(|i| cat(i).map(|c| c.name.en.clone()))
            .collect(),
    ));
    t.columns.push(Column::text(
        "name_zh",
        Text::new("Field (zh)", "技术领域"),
        ids.iter()
            .map(|i| cat(i).map(|c| c.name.zh.clone()))
            .collect(),
    ));
    t.columns.push(Column::text(
        "sector_en",
        Text::new("Sector", "部门（英文）"),
        ids.iter()
            .map(|i| cat(i).and_then(|c| c.group.as_ref()).map(|g| g.en.clone()))
            .collect(),
    ));
    t.columns.push(Column::text(
        "sector_zh",
        Text::new("Sector (zh)", "部门"),
        ids.iter()
            .map(|i| cat(i).and_then(|c| c.group.as_ref()).map(|g| g.zh.clone()))
            .collect(),
    ));
    t.columns
        .extend(ranking_columns(&ids, (base_year, rb), (year, rr), dec));
    t.columns.push(Column::int(
        "rank_change",
        Text::new("Places gained", "名次变化"),
        None,
        ids.iter()
            .map(|c| Some(pos(rb, c)? - pos(rr, c)?))
            .collect(),
    ));
    t.figure = Some(Figure::RankChange {
        label: "field".into(),
        rank_from: "rank_base".into(),
        rank_to: "rank".into(),
        from: Text::same(base_year.to_string()),
        to: Text::same(year.to_string()),
    });
    if let Some((lead, v)) = rr.first() {
        let c = cat(lead);
        t.findings.push(Text::new(
            format!(
                "{} is the largest field in {year} ({v:.0}).",
                c.map(|c| c.name.en.as_str()).unwrap_or(lead)
            ),
            format!(
                "{year}年规模最大的技术领域是{}（{v:.0}）。",
                c.map(|c| c.name.zh.as_str()).unwrap_or(lead)
            ),
        ));
    }
    let mut risers: Vec<(i64, &String)> = top_ref
        .iter()
        .filter_map(|c| Some((pos(rb, c)? - pos(rr, c)?, c)))
        .filter(|(d, _)| *d > 0)
        .collect();
    risers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    if let Some((d, c)) = risers.first() {
        let k = cat(c);
        t.findings.push(Text::new(
            format!(
                "{} rose the most among the top {n}: {d} places since {base_year}.",
                k.map(|c| c.name.en.as_str()).unwrap_or(c)
            ),
            format!(
                "前{n}位中{}上升最多：较{base_year}年上升{d}位。",
                k.map(|c| c.name.zh.as_str()).unwrap_or(c)
            ),
        ));
    }
    t
}
