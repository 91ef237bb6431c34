//! F2: capital flow, FDI by economy and group (Fig 15).

use super::common::*;
use super::prelude::*;
use super::stats::{TRADE_TOP, trade_set, usd_per_billion};
use crate::series::{Series, merge_sources};

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
        dataset_to_read(D::Rule(w(
            "first dataset holding the indicator (UNCTAD)",
            "首个含有该指标的数据集（UNCTAD）",
        ))),
        use_h(
            "indicator",
            D::Text(F2_INDICATOR),
            w(
                "inflow series (WDI: BX.KLT.DINV.CD.WD)",
                "流入序列（WDI：BX.KLT.DINV.CD.WD）",
            ),
        ),
        EXPLICIT_SET,
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.3", "f2")],
    numbers: &[("F2", Numbering::Figure(15))],
    year_shift: YearShift::Year,
    series: &[F2_INDICATOR, "UNCTAD.FDI.OUT"],
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
    super::coverage::apply(
        &mut econ,
        ts.coverage(year, Text::new("FDI flows", "外国直接投资流量")),
    );
    Ok(vec![econ, grp])
}
