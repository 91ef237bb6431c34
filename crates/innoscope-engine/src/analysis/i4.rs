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

/// I4: applications per WIPO technology field, base vs reference year:
/// top-N ranks and moves.
pub async fn i4(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let ctx = open(engine, params).await?;
    let (year, base_year) = ctx.years(params, MICRO_YEAR)?;
    let n = params.top.unwrap_or(I4_TOP);
    let fields = builtin::technology_fields();
    let base = ctx.md.prepare(&ctx.counting, &[&fields]).await?;
    base.classify("tech", &fields, "sel").await?;
    let per = base.per_category("tech").await?;
    let col = if ctx.counting.fractional {
        "frac_apps"
    } else {
        "apps"
    };
    let (py, pc, pv) = (per.col("year")?, per.col("category")?, per.col(col)?);
    let in_year = |y: i32| {
        ranked(
            per.values
                .iter()
                .filter(|r| r[py].as_i64() == y as i64)
                .map(|r| (r[pc].as_str().to_string(), r[pv].as_f64()))
                .collect(),
        )
    };
    let (rb, rr) = (in_year(base_year), in_year(year));
    let top_ref: Vec<String> = rr.iter().take(n).map(|(c, _)| c.clone()).collect();
    let top_base: Vec<String> = rb.iter().take(n).map(|(c, _)| c.clone()).collect();
    let mut ids = top_ref.clone();
    ids.extend(top_base.iter().filter(|c| !top_ref.contains(c)).cloned());
    let cat = |id: &str| fields.categories.iter().find(|c| c.id == id);
    let mut t = ctx.table(
        "I4",
        Text::new(
            format!("Applications by technology field: top {n}, {base_year} and {year}"),
            format!("各技术领域申请量：{base_year}年与{year}年前{n}位"),
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
    let dec = if ctx.counting.fractional { 1 } else { 0 };
    t.columns
        .extend(ranking_columns(&ids, (base_year, &rb), (year, &rr), dec));
    t.columns.push(Column::int(
        "rank_change",
        Text::new("Places gained", "名次变化"),
        None,
        ids.iter()
            .map(|c| Some(pos(&rb, c)? - pos(&rr, c)?))
            .collect(),
    ));
    t.figure = Some(Figure::RankChange {
        label: "field".into(),
        rank_from: "rank_base".into(),
        rank_to: "rank".into(),
        from: Text::same(base_year.to_string()),
        to: Text::same(year.to_string()),
    });
    t.basis.push((
        Text::new("Fields", "技术领域"),
        Text::new(
            format!(
                "{} ({}); an application counts in every field of its IPC symbols{}",
                fields.name.en,
                fields.source,
                if ctx.counting.fractional {
                    ", split equally between them"
                } else {
                    ""
                }
            ),
            format!(
                "{}（{}）；申请计入其IPC分类号所属的每个领域{}",
                fields.name.zh,
                fields.source,
                if ctx.counting.fractional {
                    "，并在各领域间平均分配"
                } else {
                    ""
                }
            ),
        ),
    ));
    if let Some((lead, v)) = rr.first() {
        let c = cat(lead);
        t.findings.push(Text::new(
            format!(
                "{} is the largest field in {year} ({v:.0} applications).",
                c.map(|c| c.name.en.as_str()).unwrap_or(lead)
            ),
            format!(
                "{year}年申请量最大的技术领域是{}（{v:.0}件）。",
                c.map(|c| c.name.zh.as_str()).unwrap_or(lead)
            ),
        ));
    }
    let mut risers: Vec<(i64, &String)> = top_ref
        .iter()
        .filter_map(|c| Some((pos(&rb, c)? - pos(&rr, c)?, c)))
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
