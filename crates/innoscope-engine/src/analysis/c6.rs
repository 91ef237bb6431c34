//! C6: ICT goods trade, or the high-technology exports proxy (Figs 7 and 20).

use super::common::*;
use super::prelude::*;
use super::stats::*;
use crate::series::{Series, merge_sources};

pub(super) const C6: Analysis = Analysis {
    id: "C6",
    name: "ict-trade",
    title: w("ICT goods trade", "ICT产品贸易"),
    chapter: "competition",
    params: &[
        reference_year(D::Int(TRADE_YEAR as i64)),
        use_h(
            "top",
            D::Int(TRADE_TOP as i64),
            w("top-N exporters and importers", "出口与进口各取前N位"),
        ),
        dataset_to_read(D::Rule(w(
            "first dataset holding UNCTAD.ICT.EXP, else the high-tech proxy",
            "首个含有UNCTAD.ICT.EXP的数据集，否则用高技术产品出口替代",
        ))),
        EXPLICIT_SET,
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c6")],
    numbers: &[
        ("C6", Numbering::Figure(7)),
        ("C6.categories", Numbering::Figure(20)),
    ],
    year_shift: YearShift::Year,
    series: &[
        "UNCTAD.ICT.EXP",
        "UNCTAD.ICT.IMP",
        ICT_EXP_SHARE,
        ICT_IMP_SHARE,
        MERCH_EXP,
        MERCH_IMP,
        "TX.VAL.TECH.CD",
    ],
    run: |e, p| Box::pin(c6(e, p)),
};

/// C6: ICT goods trade from UNCTAD series when imported, else the World
/// Bank's high-technology exports as a clearly labelled proxy.
pub async fn c6(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let year = params.year.unwrap_or(TRADE_YEAR);
    let has = |s: &str| !engine.datasets_with(s).is_empty();
    let basis = if has("UNCTAD.ICT.EXP") {
        Basis::Unctad
    } else if [ICT_EXP_SHARE, ICT_IMP_SHARE, MERCH_EXP, MERCH_IMP]
        .iter()
        .all(|s| has(s))
    {
        Basis::WdiShares
    } else {
        Basis::Proxy
    };
    let proxy = basis == Basis::Proxy;
    let source = params.source.as_deref();
    let (ts, inputs) = match basis {
        Basis::Unctad => {
            let ts = trade_set(
                engine,
                params,
                "UNCTAD.ICT.EXP",
                Some("UNCTAD.ICT.IMP"),
                year,
            )
            .await?;
            let inputs = std::iter::once(ts.exp.clone())
                .chain(ts.imp.clone())
                .collect();
            (ts, inputs)
        }
        Basis::WdiShares => {
            let mut got = Vec::new();
            for s in [ICT_EXP_SHARE, MERCH_EXP, ICT_IMP_SHARE, MERCH_IMP] {
                got.push(engine.series(s, source).await?);
            }
            let exp = share_of(&got[0], &got[1], "WDI.ICT.EXP", "ICT goods exports");
            let imp = share_of(&got[2], &got[3], "WDI.ICT.IMP", "ICT goods imports");
            (trade_set_of(params, exp, Some(imp), year)?, got)
        }
        Basis::Proxy => {
            let ts = trade_set(engine, params, "TX.VAL.TECH.CD", None, year).await?;
            let inputs = vec![ts.exp.clone()];
            (ts, inputs)
        }
    };
    let codes = &ts.codes;
    let scale = usd_per_billion(&ts.exp.meta.unit);
    let e: Vec<Option<f64>> = codes
        .iter()
        .map(|c| ts.exp.get(c, year).map(|v| v / scale))
        .collect();
    let eg: Vec<Option<f64>> = codes
        .iter()
        .map(|c| pct_change(ts.exp.get(c, year - 1)?, ts.exp.get(c, year)?))
        .collect();
    let reg = Registry::bundled();
    let region: Vec<Option<String>> = codes
        .iter()
        .map(|c| reg.by_code(c).map(|e| e.region.clone()))
        .collect();
    let title = if proxy {
        Text::new(
            format!("High-technology exports (proxy for ICT goods trade), {year}"),
            format!("{year}年高技术产品出口（ICT产品贸易的替代指标）"),
        )
    } else {
        Text::new(
            format!("ICT goods trade, {year}"),
            format!("{year}年ICT产品贸易大国进出口情况"),
        )
    };
    let mut t = ResultTable::new("C6", title);
    let bn = Some(Text::new("bn US$", "十亿美元"));
    let pct = Some(Text::new("%", "%"));
    t.columns = economy_columns(codes);
    t.columns.push(Column::text(
        "region_en",
        Text::new("Region", "地区（英文）"),
        region.clone(),
    ));
    t.columns.push(Column::text(
        "region_zh",
        Text::new("Region (zh)", "地区"),
        region.iter().map(|r| r.as_deref().map(region_zh)).collect(),
    ));
    t.columns.push(Column::float(
        "exports",
        Text::new("Exports", "出口"),
        bn.clone(),
        1,
        e,
    ));
    t.columns.push(Column::float(
        "export_growth",
        Text::new(format!("Export growth vs {}", year - 1), "出口增速"),
        pct.clone(),
        1,
        eg,
    ));
    if let Some(imp) = &ts.imp {
        let i: Vec<Option<f64>> = codes
            .iter()
            .map(|c| imp.get(c, year).map(|v| v / scale))
            .collect();
        let ig: Vec<Option<f64>> = codes
            .iter()
            .map(|c| pct_change(imp.get(c, year - 1)?, imp.get(c, year)?))
            .collect();
        let bal: Vec<Option<f64>> = codes
            .iter()
            .map(|c| Some((ts.exp.get(c, year)? - imp.get(c, year)?) / scale))
            .collect();
        t.columns.push(Column::float(
            "imports",
            Text::new("Imports", "进口"),
            bn.clone(),
            1,
            i,
        ));
        t.columns.push(Column::float(
            "import_growth",
            Text::new(format!("Import growth vs {}", year - 1), "进口增速"),
            pct,
            1,
            ig,
        ));
        t.columns.push(Column::float(
            "balance",
            Text::new("Balance", "差额"),
            bn,
            1,
            bal,
        ));
    }
    let n = params.top.unwrap_or(TRADE_TOP);
    if proxy {
        t.basis.push((Text::new("Series", "指标"), Text::new(
            "PROXY: World Bank high-technology exports (UN Comtrade, SITC high-tech list), exports only — not UNCTAD's ICT goods. For the real series run `innoscope fetch wdi` (ICT goods shares × merchandise trade) or import an UNCTADstat ICT goods file.",
            "替代指标：世界银行高技术产品出口（仅出口），并非UNCTAD的ICT产品贸易数据。运行`innoscope fetch wdi`（ICT产品占比×货物贸易额）或导入UNCTADstat ICT产品贸易文件后使用真实数据。",
        )));
        t.basis.push((
            Text::new("Economies", "经济体范围"),
            Text::new(
                format!("top-{n} exporters in {year}"),
                format!("{year}年出口前{n}位"),
            ),
        ));
    } else {
        if basis == Basis::WdiShares {
            t.basis.push((
                Text::new("Series", "指标"),
                Text::new(
                    format!("ICT goods trade = UNCTAD's ICT goods share of merchandise trade ({ICT_EXP_SHARE}, {ICT_IMP_SHARE}, via the World Bank WDI) × merchandise exports and imports ({MERCH_EXP}, {MERCH_IMP})"),
                    format!("ICT产品贸易额 = UNCTAD的ICT产品占货物贸易比重（{ICT_EXP_SHARE}、{ICT_IMP_SHARE}，经世界银行WDI）× 货物出口与进口额（{MERCH_EXP}、{MERCH_IMP}）"),
                ),
            ));
        }
        t.basis.push((
            Text::new("Economies", "经济体范围"),
            Text::new(
                format!("union of the top-{n} exporters and importers in {year}"),
                format!("{year}年出口前{n}位与进口前{n}位的并集"),
            ),
        ));
    }
    let asia = region
        .iter()
        .filter(|r| r.as_deref() == Some("Asia"))
        .count();
    t.findings.push(Text::new(
        format!("{asia} of the {} economies are in Asia.", codes.len()),
        format!("{}个经济体中有{asia}个来自亚洲。", codes.len()),
    ));
    let srcs: Vec<&Series> = inputs.iter().collect();
    t.sources = merge_sources(&srcs);
    t.figure = Some(Figure::DivergingBars {
        label: "economy".into(),
        series: if proxy {
            vec!["export_growth".into()]
        } else {
            vec!["export_growth".into(), "import_growth".into()]
        },
        unit: Text::new(format!("% vs {}", year - 1), format!("较{}年%", year - 1)),
    });
    record_params(&mut t, params, &[("year", year.to_string())]);
    super::coverage::apply(
        &mut t,
        ts.coverage(year, Text::new("ICT goods trade", "ICT货物贸易")),
    );
    let mut out = vec![t];
    if basis == Basis::Unctad
        && let Some(cat) = ict_categories(engine, params, year).await?
    {
        out.push(cat);
    }
    Ok(out)
}

/// UNCTAD's ICT goods shares of merchandise exports and imports, % (the
/// World Bank serves them in WDI), and the merchandise trade they apply to.
const ICT_EXP_SHARE: &str = "TX.VAL.ICTG.ZS.UN";
const ICT_IMP_SHARE: &str = "TM.VAL.ICTG.ZS.UN";
const MERCH_EXP: &str = "TX.VAL.MRCH.CD.WT";
const MERCH_IMP: &str = "TM.VAL.MRCH.CD.WT";

/// Which series C6 stands on, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Basis {
    /// UNCTADstat's ICT goods trade, imported.
    Unctad,
    /// UNCTAD's ICT shares (WDI) × merchandise trade (WDI).
    WdiShares,
    /// The World Bank's high-technology exports: exports only, a proxy.
    Proxy,
}

/// `share` (% of `total`) × `total`, economy by economy and year by year,
/// where both have a value: a flow in the unit of `total`.
fn share_of(share: &Series, total: &Series, indicator: &str, name_en: &str) -> Series {
    let mut values = std::collections::BTreeMap::new();
    for (eco, years) in &share.values {
        let Some(tot) = total.values.get(eco) else {
            continue;
        };
        let v: std::collections::BTreeMap<i32, f64> = years
            .iter()
            .filter_map(|(y, s)| Some((*y, s / 100.0 * tot.get(y)?)))
            .collect();
        if !v.is_empty() {
            values.insert(eco.clone(), v);
        }
    }
    let mut meta = total.meta.clone();
    meta.indicator = indicator.to_string();
    meta.name_en = format!("{name_en} ({} × {})", share.indicator, total.indicator);
    Series {
        indicator: indicator.to_string(),
        dataset: share.dataset.clone(),
        meta,
        vintage: share.vintage.clone(),
        values,
    }
}

/// ICT goods categories of UNCTADstat, in the report's order (Fig 20).
const ICT_CATEGORIES: [(&str, &str, &str); 5] = [
    ("COMPONENTS", "Electronic components", "电子元件"),
    (
        "COMPUTERS",
        "Computers and peripheral equipment",
        "计算机及周边设备",
    ),
    ("COMMUNICATION", "Communication equipment", "通信设备"),
    ("CONSUMER", "Consumer electronic equipment", "消费电子设备"),
    ("OTHER", "Other ICT goods", "其他ICT产品"),
];

/// C6 by category: world exports and imports per ICT category and their growth.
async fn ict_categories(
    engine: &Engine,
    params: &Params,
    year: i32,
) -> Result<Option<ResultTable>> {
    let world = "WLD";
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for (code, en, zh) in ICT_CATEGORIES {
        let (e, i) = (
            format!("UNCTAD.ICT.EXP.{code}"),
            format!("UNCTAD.ICT.IMP.{code}"),
        );
        if engine.datasets_with(&e).is_empty() || engine.datasets_with(&i).is_empty() {
            continue;
        }
        let es = engine.series(&e, params.source.as_deref()).await?;
        let is = engine.series(&i, params.source.as_deref()).await?;
        rows.push((
            code,
            en,
            zh,
            es.get(world, year),
            es.get(world, year - 1),
            is.get(world, year),
            is.get(world, year - 1),
            usd_per_billion(&es.meta.unit),
        ));
        series.push(es);
        series.push(is);
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let mut t = ResultTable::new(
        "C6.categories",
        Text::new(
            format!("World ICT goods trade by category, {year}"),
            format!("{year}年全球ICT产品按分类进出口情况"),
        ),
    );
    let bn = Some(Text::new("bn US$", "十亿美元"));
    let pct = Some(Text::new("%", "%"));
    t.columns = vec![
        Column::text(
            "category",
            Text::new("Category code", "分类代码"),
            rows.iter().map(|r| Some(r.0.to_string())).collect(),
        ),
        Column::text(
            "name_en",
            Text::new("Category", "分类（英文）"),
            rows.iter().map(|r| Some(r.1.to_string())).collect(),
        ),
        Column::text(
            "name_zh",
            Text::new("Category (zh)", "分类"),
            rows.iter().map(|r| Some(r.2.to_string())).collect(),
        ),
        Column::float(
            "exports",
            Text::new(format!("World exports {year}"), format!("{year}年全球出口")),
            bn.clone(),
            1,
            rows.iter().map(|r| r.3.map(|v| v / r.7)).collect(),
        ),
        Column::float(
            "export_growth",
            Text::new(format!("Export growth vs {}", year - 1), "出口增速"),
            pct.clone(),
            1,
            rows.iter().map(|r| pct_change(r.4?, r.3?)).collect(),
        ),
        Column::float(
            "imports",
            Text::new(format!("World imports {year}"), format!("{year}年全球进口")),
            bn,
            1,
            rows.iter().map(|r| r.5.map(|v| v / r.7)).collect(),
        ),
        Column::float(
            "import_growth",
            Text::new(format!("Import growth vs {}", year - 1), "进口增速"),
            pct,
            1,
            rows.iter().map(|r| pct_change(r.6?, r.5?)).collect(),
        ),
    ];
    t.basis.push((
        Text::new("Scope", "范围"),
        Text::new(
            "World totals of UNCTADstat's ICT goods categories",
            "UNCTADstat ICT产品分类的全球合计",
        ),
    ));
    let refs: Vec<&Series> = series.iter().collect();
    t.sources = merge_sources(&refs);
    let mut growth: Vec<(String, String, f64)> = rows
        .iter()
        .filter_map(|r| Some((r.1.to_string(), r.2.to_string(), pct_change(r.4?, r.3?)?)))
        .collect();
    growth.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    if let (Some(hi), Some(lo)) = (growth.first(), growth.last()) {
        t.findings.push(Text::new(
            format!(
                "World exports grew fastest in {} ({}%) and slowest in {} ({}%).",
                hi.0.to_lowercase(),
                signed(hi.2),
                lo.0.to_lowercase(),
                signed(lo.2)
            ),
            format!(
                "全球出口增长最快的是{}（{}%），最慢的是{}（{}%）。",
                hi.1,
                signed(hi.2),
                lo.1,
                signed(lo.2)
            ),
        ));
    }
    t.figure = Some(Figure::DivergingBars {
        label: "category".into(),
        series: vec!["export_growth".into(), "import_growth".into()],
        unit: Text::new(format!("% vs {}", year - 1), format!("较{}年%", year - 1)),
    });
    t.params.insert("year".into(), year.to_string());
    Ok(Some(t))
}
