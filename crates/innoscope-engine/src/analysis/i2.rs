//! I2: unicorns by sector and economy (Fig 17).

use super::common::*;
use super::prelude::*;
use super::record_lists::*;
use innoscope_core::records::{Records, Unicorn};
use std::collections::{BTreeMap, BTreeSet};

const I2_AS_OF: &str = "2021-09-30";

pub(super) const I2: Analysis = Analysis {
    id: "I2",
    name: "unicorns",
    title: w("Unicorns by sector and economy", "独角兽企业领域与国家分布"),
    chapter: "industry",
    params: &[
        use_h(
            "as-of",
            D::Text(I2_AS_OF),
            w(
                "count unicorns that joined by this date",
                "统计截至该日期成为独角兽的企业",
            ),
        ),
        use_h(
            "top",
            D::Int(RECORDS_TOP as i64),
            w("sectors and economies shown", "显示的领域与经济体数"),
        ),
        use_h(
            "mapping-file",
            D::Rule(w(
                "data/reference/unicorn-sectors.csv",
                "data/reference/unicorn-sectors.csv",
            )),
            w(
                "industry → sector (industry,sector,sector_en,sector_zh)",
                "行业→领域（industry,sector,sector_en,sector_zh）",
            ),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.4", "i2")],
    numbers: &[("I2.cross", Numbering::Figure(17))],
    year_shift: YearShift::Year,
    series: &[],
    run: |e, p| Box::pin(i2(e, p)),
};

/// I2: unicorns by sector and economy as of a date (Fig 17).
pub(crate) async fn i2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let sets = engine.records("unicorns")?;
    let Some(set) = sets.first() else {
        return Err(EngineError::missing(
            "no unicorn list in the store",
            "import CB Insights' unicorn list (Company,Valuation,Date Joined,Industry,City,Country,…) with `innoscope import FILE`",
        ));
    };
    let Records::Unicorns(all) = &set.records else {
        unreachable!("family checked")
    };
    let as_of = params.as_of.clone().unwrap_or_else(|| I2_AS_OF.into());
    if innoscope_core::kb::KbDate::parse(&as_of).is_err() {
        return Err(EngineError::bad_param(
            "as-of",
            format!("`{as_of}` is not a date (YYYY-MM-DD)"),
        ));
    }
    let latest = all.iter().map(|u| u.joined.as_str()).max().unwrap_or("");
    let list: Vec<&Unicorn> = all
        .iter()
        .filter(|u| u.joined.as_str() <= as_of.as_str())
        .collect();
    if list.is_empty() {
        return Err(EngineError::missing(
            format!("no unicorn joined by {as_of}"),
            "choose a later --as-of",
        ));
    }
    let map = mapping(UNICORN_SECTORS, params.mapping_file.as_deref(), "sector")?;
    let sector_of = |u: &Unicorn| -> (String, Text) {
        map.get(&u.industry.to_lowercase())
            .cloned()
            .unwrap_or_else(|| (u.industry.to_lowercase(), Text::same(u.industry.clone())))
    };
    let unmapped: BTreeSet<&str> = list
        .iter()
        .filter(|u| !map.contains_key(&u.industry.to_lowercase()))
        .map(|u| u.industry.as_str())
        .collect();
    let mut by_sector: BTreeMap<String, (Text, i64)> = BTreeMap::new();
    let mut by_economy: BTreeMap<String, i64> = BTreeMap::new();
    let mut cross: BTreeMap<(String, String), i64> = BTreeMap::new();
    for u in &list {
        let (sid, names) = sector_of(u);
        by_sector.entry(sid.clone()).or_insert((names, 0)).1 += 1;
        let e = u.economy.clone().unwrap_or_else(|| "?".into());
        *by_economy.entry(e.clone()).or_default() += 1;
        *cross.entry((sid, e)).or_default() += 1;
    }
    let n = list.len() as i64;
    let top = params.top.unwrap_or(RECORDS_TOP);
    let mut sectors: Vec<(String, Text, i64)> =
        by_sector.into_iter().map(|(k, (t, c))| (k, t, c)).collect();
    sectors.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut economies: Vec<(String, i64)> =
        by_economy.into_iter().filter(|(e, _)| e != "?").collect();
    economies.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let basis = vec![
        (
            Text::new("As of", "截至"),
            Text::new(
                format!(
                    "unicorns that joined the list by {as_of} (the list runs to {latest}); valuations are the list's, not as of that date"
                ),
                format!("截至{as_of}已成为独角兽的企业（名单截至{latest}）；估值为名单所载值"),
            ),
        ),
        (Text::new("Sectors", "领域"), {
            let f = params
                .mapping_file
                .as_deref()
                .unwrap_or("data/reference/unicorn-sectors.csv");
            Text::new(
                format!("industry → sector from {f}"),
                format!("行业→领域，依据 {f}"),
            )
        }),
    ];
    let finish = |mut t: ResultTable| {
        t.basis = basis.clone();
        t.sources = vec![note(set)];
        t.synthetic = set.synthetic();
        t.params = given_params(params);
        if !unmapped.is_empty() {
            let list = unmapped.iter().copied().collect::<Vec<_>>().join(", ");
            t.notes.push(Text::new(
                format!("industries without a mapping, kept as their own sector: {list}"),
                format!("无对应关系的行业（各自单列为领域）：{list}"),
            ));
        }
        t
    };
    // Sectors.
    let mut s = ResultTable::new(
        "I2",
        Text::new(
            format!("Unicorns by sector, as of {as_of}"),
            format!("截至{as_of}全球独角兽企业所处领域分布"),
        ),
    );
    s.columns.push(Column::text(
        "sector",
        Text::new("Sector", "领域代码"),
        sectors.iter().map(|x| Some(x.0.clone())).collect(),
    ));
    s.columns.push(Column::text(
        "name_en",
        Text::new("Sector", "领域（英）"),
        sectors.iter().map(|x| Some(x.1.en.clone())).collect(),
    ));
    s.columns.push(Column::text(
        "name_zh",
        Text::new("Sector (zh)", "领域"),
        sectors.iter().map(|x| Some(x.1.zh.clone())).collect(),
    ));
    s.columns.push(Column::int(
        "unicorns",
        Text::new("Unicorns", "独角兽数量"),
        None,
        sectors.iter().map(|x| Some(x.2)).collect(),
    ));
    s.columns.push(Column::float(
        "share",
        Text::new("Share", "占比"),
        Some(Text::new("%", "%")),
        1,
        sectors
            .iter()
            .map(|x| Some(100.0 * x.2 as f64 / n as f64))
            .collect(),
    ));
    s.figure = Some(Figure::GroupedBars {
        label: "sector".into(),
        series: vec!["unicorns".into()],
        unit: Text::new("unicorns", "家"),
    });
    let top3: Vec<&(String, Text, i64)> = sectors.iter().take(3).collect();
    s.findings.push(Text::new(
        format!(
            "{n} unicorns; the most are in {}.",
            top3.iter()
                .map(|x| format!("{} ({})", x.1.en, x.2))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!(
            "共{n}家独角兽企业，分布最多的领域是{}。",
            top3.iter()
                .map(|x| format!("{}（{}家）", x.1.zh, x.2))
                .collect::<Vec<_>>()
                .join("、")
        ),
    ));
    // Economies.
    let shown: Vec<(String, i64)> = economies.iter().take(top).cloned().collect();
    let codes: Vec<String> = shown.iter().map(|x| x.0.clone()).collect();
    let mut e = ResultTable::new(
        "I2.economies",
        Text::new(
            format!("Unicorns by economy, as of {as_of}: top {top}"),
            format!("截至{as_of}独角兽企业数量前{top}的国家和地区"),
        ),
    );
    e.columns = economy_columns(&codes);
    e.columns.push(Column::int(
        "unicorns",
        Text::new("Unicorns", "独角兽数量"),
        None,
        shown.iter().map(|x| Some(x.1)).collect(),
    ));
    e.columns.push(Column::float(
        "share",
        Text::new("Share", "占比"),
        Some(Text::new("%", "%")),
        1,
        shown
            .iter()
            .map(|x| Some(100.0 * x.1 as f64 / n as f64))
            .collect(),
    ));
    e.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["unicorns".into()],
        unit: Text::new("unicorns", "家"),
    });
    if shown.len() >= 2 {
        let two = shown[0].1 + shown[1].1;
        e.findings.push(Text::new(
            format!(
                "{} ({}) and {} ({}) hold {:.1}% of all unicorns.",
                name(&shown[0].0, Lang::En),
                shown[0].1,
                name(&shown[1].0, Lang::En),
                shown[1].1,
                100.0 * two as f64 / n as f64
            ),
            format!(
                "{}（{}家）和{}（{}家）合计占全部独角兽的{:.1}%。",
                name(&shown[0].0, Lang::Zh),
                shown[0].1,
                name(&shown[1].0, Lang::Zh),
                shown[1].1,
                100.0 * two as f64 / n as f64
            ),
        ));
    }
    // Specialisation: an economy's share of a sector against its share of all.
    let mut special: Vec<(String, String, f64, i64)> = Vec::new();
    for (code, total) in economies.iter().filter(|(_, c)| *c >= 10) {
        let best = sectors
            .iter()
            .filter_map(|(sid, _, sn)| {
                let c = *cross.get(&(sid.clone(), code.clone()))?;
                let lq = (c as f64 / *total as f64) / (*sn as f64 / n as f64);
                (c >= 3 && lq >= 2.0).then_some((sid.clone(), lq, c))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((sid, lq, c)) = best {
            special.push((code.clone(), sid, lq, c));
        }
    }
    let sector_name = |sid: &str, lang: Lang| {
        sectors
            .iter()
            .find(|x| x.0 == sid)
            .map(|x| x.1.get(lang).to_string())
            .unwrap_or_default()
    };
    if !special.is_empty() {
        e.findings.push(Text::new(
            format!(
                "Over-represented sectors (share at least twice the world's): {}.",
                special
                    .iter()
                    .map(|(c, s, lq, k)| format!(
                        "{} in {} ({k}, ×{lq:.1})",
                        name(c, Lang::En),
                        sector_name(s, Lang::En)
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            format!(
                "相对优势领域（占比为全球平均的两倍以上）：{}。",
                special
                    .iter()
                    .map(|(c, s, lq, k)| format!(
                        "{}的{}（{k}家，{lq:.1}倍）",
                        name(c, Lang::Zh),
                        sector_name(s, Lang::Zh)
                    ))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        ));
    }
    // Cross-tab: top sectors × top economies, with the rest of the world.
    let top_sectors: Vec<&(String, Text, i64)> = sectors.iter().take(top).collect();
    let heat_codes: Vec<String> = codes.iter().take(8).cloned().collect();
    let mut x = ResultTable::new(
        "I2.cross",
        Text::new(
            format!("Unicorns by sector and economy, as of {as_of}"),
            format!("截至{as_of}独角兽企业领域与国家分布"),
        ),
    );
    x.columns.push(Column::text(
        "sector",
        Text::new("Sector", "领域代码"),
        top_sectors.iter().map(|s| Some(s.0.clone())).collect(),
    ));
    x.columns.push(Column::text(
        "name_en",
        Text::new("Sector", "领域（英）"),
        top_sectors.iter().map(|s| Some(s.1.en.clone())).collect(),
    ));
    x.columns.push(Column::text(
        "name_zh",
        Text::new("Sector (zh)", "领域"),
        top_sectors.iter().map(|s| Some(s.1.zh.clone())).collect(),
    ));
    let reg = Registry::bundled();
    let mut series = Vec::new();
    for code in &heat_codes {
        let col = format!("n_{}", code.to_ascii_lowercase());
        x.columns.push(Column::int(
            &col,
            reg.names_of(code),
            None,
            top_sectors
                .iter()
                .map(|s| Some(*cross.get(&(s.0.clone(), code.clone())).unwrap_or(&0)))
                .collect(),
        ));
        series.push(col);
    }
    x.columns.push(Column::int(
        "n_rest",
        Text::new("Rest of the world", "其他国家和地区"),
        None,
        top_sectors
            .iter()
            .map(|s| {
                Some(
                    s.2 - heat_codes
                        .iter()
                        .map(|c| *cross.get(&(s.0.clone(), c.clone())).unwrap_or(&0))
                        .sum::<i64>(),
                )
            })
            .collect(),
    ));
    series.push("n_rest".into());
    x.figure = Some(Figure::HeatMap {
        label: "sector".into(),
        series,
        unit: Text::new("unicorns", "家"),
    });
    Ok(vec![finish(s), finish(e), finish(x)])
}
