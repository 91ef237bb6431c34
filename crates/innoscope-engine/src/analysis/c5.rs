//! C5: trade in intellectual property (Fig 6).

use super::common::*;
use super::prelude::*;
use super::stats::*;
use crate::series::{Series, merge_sources};

pub(super) const C5: Analysis = Analysis {
    id: "C5",
    name: "ip-trade",
    title: w("Trade in intellectual property", "知识产权进出口"),
    chapter: "competition",
    params: &[
        reference_year(D::Int(TRADE_YEAR as i64)),
        use_h(
            "top",
            D::Int(TRADE_TOP as i64),
            w(
                "top-N exporters and importers whose union forms the set",
                "出口与进口各取前N位，其并集为经济体范围",
            ),
        ),
        dataset_to_read(D::Rule(w(
            "first dataset holding the series (WDI)",
            "首个含有该序列的数据集（WDI）",
        ))),
        EXPLICIT_SET,
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c5")],
    numbers: &[("C5", Numbering::Figure(6))],
    year_shift: YearShift::Year,
    series: &["BX.GSR.ROYL.CD", "BM.GSR.ROYL.CD"],
    run: |e, p| Box::pin(async move { Ok(vec![c5(e, p).await?]) }),
};

/// C5: IP trade (charges for the use of intellectual property).
pub async fn c5(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let year = params.year.unwrap_or(TRADE_YEAR);
    let ts = trade_set(
        engine,
        params,
        "BX.GSR.ROYL.CD",
        Some("BM.GSR.ROYL.CD"),
        year,
    )
    .await?;
    let imp = ts.imp.as_ref().expect("imports requested");
    let (w_exp, cov_exp) = world_and_coverage(&ts.exp, year);
    let (w_imp, cov_imp) = world_and_coverage(imp, year);
    let codes = &ts.codes;
    let e: Vec<Option<f64>> = codes
        .iter()
        .map(|c| ts.exp.get(c, year).map(|v| v / 1e9))
        .collect();
    let i: Vec<Option<f64>> = codes
        .iter()
        .map(|c| imp.get(c, year).map(|v| v / 1e9))
        .collect();
    let net: Vec<Option<f64>> = e.iter().zip(&i).map(|(a, b)| Some((*a)? - (*b)?)).collect();
    let share = |v: &[Option<f64>], w: Option<f64>| -> Vec<Option<f64>> {
        v.iter().map(|x| Some((*x)? * 1e9 / w? * 100.0)).collect()
    };
    let mut t = ResultTable::new(
        "C5",
        Text::new(
            format!("Trade in intellectual property, {year}"),
            format!("{year}年知识产权进出口大国分布"),
        ),
    );
    let bn = Some(Text::new("bn US$", "十亿美元"));
    let pct = Some(Text::new("% of world", "占全球%"));
    t.columns = economy_columns(codes);
    t.columns.push(Column::float(
        "exports",
        Text::new("IP exports (receipts)", "知识产权出口"),
        bn.clone(),
        2,
        e.clone(),
    ));
    t.columns.push(Column::float(
        "imports",
        Text::new("IP imports (payments)", "知识产权进口"),
        bn.clone(),
        2,
        i.clone(),
    ));
    t.columns.push(Column::float(
        "net",
        Text::new("Net balance", "净出口"),
        bn,
        2,
        net.clone(),
    ));
    t.columns.push(Column::float(
        "export_share",
        Text::new("Share of world exports", "出口占全球份额"),
        pct.clone(),
        1,
        share(&e, w_exp),
    ));
    t.columns.push(Column::float(
        "import_share",
        Text::new("Share of world imports", "进口占全球份额"),
        pct,
        1,
        share(&i, w_imp),
    ));
    t.columns.push(Column::bool(
        "surplus",
        Text::new("Surplus", "顺差"),
        net.iter().map(|n| n.map(|n| n > 0.0)).collect(),
    ));
    let n = params.top.unwrap_or(TRADE_TOP);
    t.basis.push((Text::new("Economies", "经济体范围"), Text::new(
        format!("union of the top-{n} exporters and top-{n} importers in {year}; aggregates excluded"),
        format!("{year}年出口前{n}位与进口前{n}位的并集，不含国家集团"),
    )));
    t.basis.push((Text::new("World total", "全球总量"), Text::new(
        format!("World Bank World aggregate; countries reporting cover {cov_exp:.0}% of exports and {cov_imp:.0}% of imports"),
        format!("世界银行全球合计；有数据的国家覆盖出口的{cov_exp:.0}%、进口的{cov_imp:.0}%"),
    )));
    t.sources = merge_sources(&[&ts.exp, imp]);
    let sum = |v: &[Option<f64>]| v.iter().flatten().sum::<f64>() * 1e9;
    let (se, si) = (
        w_exp.map(|w| sum(&e) / w * 100.0),
        w_imp.map(|w| sum(&i) / w * 100.0),
    );
    if let (Some(se), Some(si)) = (se, si) {
        t.findings.push(Text::new(
            format!("These {} economies account for {se:.0}% of world IP exports and {si:.0}% of imports.", codes.len()),
            format!("这{}个知识产权进出口大国的出口额占世界总量的{se:.0}%，进口额占{si:.0}%。", codes.len()),
        ));
    }
    let top3 = |s: &Series, w: Option<f64>| -> Option<(Vec<String>, f64)> {
        let r = rank_countries(s.at(year).map(|(e, v)| (e.to_string(), v)));
        let c: Vec<String> = r.iter().take(3).map(|(c, _)| c.clone()).collect();
        Some((
            c,
            r.iter().take(3).map(|(_, v)| v).sum::<f64>() / w? * 100.0,
        ))
    };
    if let (Some((ce, xe)), Some((ci, xi))) = (top3(&ts.exp, w_exp), top3(imp, w_imp)) {
        let (ne, ni) = (name_list(&ce), name_list(&ci));
        t.findings.push(Text::new(
            format!("The top-3 exporters ({}) hold {xe:.0}% of world exports; the top-3 importers ({}) {xi:.0}% of imports.", ne.en, ni.en),
            format!("前三大出口国{}的出口额占世界总量的{xe:.0}%，前三大进口国{}的进口额占{xi:.0}%。", ne.zh, ni.zh),
        ));
    }
    let mut nets: Vec<(String, f64)> = codes
        .iter()
        .cloned()
        .zip(net.iter().copied())
        .filter_map(|(c, v)| Some((c, v?)))
        .collect();
    nets.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if let (Some(hi), Some(lo)) = (nets.first(), nets.last())
        && hi.1 > 0.0
        && lo.1 < 0.0
    {
        t.findings.push(Text::new(
            format!(
                "Largest surplus: {} (US${:.1} bn); largest deficit: {} (US${:.1} bn).",
                name(&hi.0, innoscope_core::Lang::En),
                hi.1,
                name(&lo.0, innoscope_core::Lang::En),
                -lo.1
            ),
            format!(
                "最大顺差国为{}（{:.1}十亿美元），最大逆差国为{}（{:.1}十亿美元）。",
                name(&hi.0, innoscope_core::Lang::Zh),
                hi.1,
                name(&lo.0, innoscope_core::Lang::Zh),
                -lo.1
            ),
        ));
    }
    t.figure = Some(Figure::Bubble {
        label: "economy".into(),
        x: "exports".into(),
        y: "imports".into(),
        size: "net".into(),
        filled: "surplus".into(),
        unit: Text::new("bn US$", "十亿美元"),
    });
    record_params(&mut t, params, &[("year", year.to_string())]);
    super::coverage::apply(
        &mut t,
        ts.coverage(
            year,
            Text::new("IP receipts and payments", "知识产权收入与支出"),
        ),
    );
    Ok(t)
}
