//! C2: GERD levels, intensity and tiers in a chosen currency (Fig 3, Table 4).

use super::common::*;
use super::prelude::*;
use super::stats::*;
use crate::series::{Series, merge_sources};

/// A currency as a Chinese reader names it ("十亿元人民币" reads better
/// than "十亿CNY"); other codes as they are.
fn currency_name_zh(code: &str) -> String {
    match code {
        "CNY" => "元人民币",
        "USD" => "美元",
        "EUR" => "欧元",
        "JPY" => "日元",
        "GBP" => "英镑",
        "KRW" => "韩元",
        other => other,
    }
    .to_string()
}

/// Tier of a value: 1 when above the first threshold, …; thresholds.len()+1 below all.
fn tier(value: f64, thresholds: &[f64]) -> i64 {
    thresholds
        .iter()
        .position(|t| value > *t)
        .map_or(thresholds.len() as i64 + 1, |i| i as i64 + 1)
}

fn check_tiers(name: &str, t: &[f64]) -> Result<()> {
    if t.is_empty() || t.windows(2).any(|w| w[0] <= w[1]) || t.iter().any(|x| !x.is_finite()) {
        return Err(EngineError::bad_param(
            name,
            "thresholds must be finite numbers in descending order",
        ));
    }
    Ok(())
}

/// Units of `currency` per US$ in `year` from an exchange-rate series keyed
/// by economy: USD is 1; the euro is read from the euro area (`EMU`) first,
/// then from any member; other currencies from the first country using them.
fn rate_of(fx: &Series, currency: &str, year: i32) -> Option<f64> {
    if currency.is_empty() {
        return None;
    }
    if currency.eq_ignore_ascii_case("USD") {
        return Some(1.0);
    }
    if currency.eq_ignore_ascii_case("EUR")
        && let Some(r) = fx.get("EMU", year)
    {
        return Some(r);
    }
    Registry::bundled()
        .countries()
        .filter(|e| e.currency.eq_ignore_ascii_case(currency))
        .find_map(|e| fx.get(&e.code, year))
}

const C2_YEAR: i32 = 2019;
const C2_CURRENCY: &str = "CNY";
const C2_FX_SOURCE: &str = "wdi";
const C2_LEVEL_TIERS: &[f64] = &[1000.0, 300.0, 100.0, 50.0];
const C2_INTENSITY_TIERS: &[f64] = &[4.0, 3.0, 2.0, 1.0];

pub(super) const C2: Analysis = Analysis {
    id: "C2",
    name: "rd-level",
    title: w("R&D level, intensity and tiers", "研发支出总额、强度与梯队"),
    chapter: "competition",
    params: &[
        reference_year(D::Int(C2_YEAR as i64)),
        use_h(
            "currency",
            D::Text(C2_CURRENCY),
            w(
                "currency of GERD levels (ISO 4217)",
                "研发支出总额的币种（ISO 4217）",
            ),
        ),
        use_h(
            "fx-year",
            D::Rule(w(
                "year + 1 (the report used the 2020-12-31 rate for 2019 data)",
                "参考年份＋1（报告对2019年数据使用2020年12月31日的汇率）",
            )),
            w("year of the exchange rate", "汇率年份"),
        ),
        use_h(
            "fx-source",
            D::Text(C2_FX_SOURCE),
            w(
                "exchange-rate source: wdi (official rates) or fed (US Federal Reserve H.10)",
                "汇率来源：wdi（官方汇率）或 fed（美联储H.10）",
            ),
        ),
        use_h(
            "level-tiers",
            D::Floats(C2_LEVEL_TIERS),
            w(
                "tier thresholds in billions of the currency",
                "梯队门槛，以该币种十亿计",
            ),
        ),
        use_h(
            "intensity-tiers",
            D::Floats(C2_INTENSITY_TIERS),
            w("tier thresholds of GERD/GDP in %", "研发强度梯队门槛（%）"),
        ),
        use_h("top", D::Int(RD_TOP as i64), w("as C1", "同C1")),
        use_h(
            "economies",
            D::None,
            w("explicit country set", "指定经济体"),
        ),
        use_h(
            "preset",
            D::None,
            w(
                "report2021: the report's own 15 economies",
                "report2021：报告所用的15个经济体",
            ),
        ),
        use_h("min-gerd", D::Float(MIN_GERD), w("as C1", "同C1")),
        dataset_to_read(D::Rule(w(
            "first dataset holding the series",
            "首个含有该序列的数据集",
        ))),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.1", "c2")],
    numbers: &[
        ("C2", Numbering::Figure(3)),
        ("C2.tiers", Numbering::Table(4)),
    ],
    year_shift: YearShift::Year,
    series: &[RD, GDP, FX, PPP, "FED.H10.FX"],
    run: |e, p| Box::pin(c2(e, p)),
};

/// C2: GERD level in one currency, intensity, and tiers of both.
pub async fn c2(engine: &Engine, params: &Params) -> Result<Vec<ResultTable>> {
    let year = params.year.unwrap_or(C2_YEAR);
    let fx_year = params.fx_year.unwrap_or(year + 1);
    let currency = params
        .currency
        .clone()
        .unwrap_or_else(|| C2_CURRENCY.into())
        .to_ascii_uppercase();
    let currency_zh = currency_name_zh(&currency);
    let level_t = params
        .level_tiers
        .clone()
        .unwrap_or_else(|| C2_LEVEL_TIERS.to_vec());
    let int_t = params
        .intensity_tiers
        .clone()
        .unwrap_or_else(|| C2_INTENSITY_TIERS.to_vec());
    check_tiers("level-tiers", &level_t)?;
    check_tiers("intensity-tiers", &int_t)?;
    let inputs = RdInputs::load(engine, params.source.as_deref()).await?;
    let (set, _) = inputs.country_set(params, year)?;
    let mut codes = set.codes().to_vec();
    // Exchange rates: WDI's official rates (default) or the Fed's H.10.
    let fx_source = params
        .fx_source
        .clone()
        .unwrap_or_else(|| C2_FX_SOURCE.into());
    let fx_series = match fx_source.as_str() {
        "wdi" => inputs.fx.clone(),
        "fed" => engine.series("FED.H10.FX", None).await?,
        other => {
            return Err(EngineError::bad_param(
                "fx-source",
                format!("unknown exchange-rate source `{other}` (expected wdi or fed)"),
            ));
        }
    };
    let cur_rate = rate_of(&fx_series, &currency, fx_year).ok_or_else(|| {
        EngineError::bad_param(
            "currency",
            format!("no {fx_source} exchange rate for `{currency}` in {fx_year}; choose another --currency, --fx-year or --fx-source"),
        )
    })?;
    let reg = Registry::bundled();
    let currency_of = |c: &str| {
        reg.by_code(c)
            .map(|e| e.currency.clone())
            .unwrap_or_default()
    };
    // The report's method: GERD in national currency of the year, converted at
    // one date's cross rate (national currency → US$ → target currency).
    let level = |c: &str| -> Option<f64> {
        let lcu = inputs.gerd(c, year, PriceBasis::Lcu)?;
        let own_rate = rate_of(&fx_series, &currency_of(c), fx_year)?;
        Some(lcu / own_rate * cur_rate / 1e9)
    };
    let no_rate: Vec<String> = codes
        .iter()
        .filter(|c| {
            inputs.gerd(c, year, PriceBasis::Lcu).is_some()
                && rate_of(&fx_series, &currency_of(c), fx_year).is_none()
        })
        .cloned()
        .collect();
    codes.sort_by(|a, b| {
        level(b)
            .unwrap_or(f64::MIN)
            .total_cmp(&level(a).unwrap_or(f64::MIN))
            .then_with(|| a.cmp(b))
    });
    let levels: Vec<Option<f64>> = codes.iter().map(|c| level(c)).collect();
    let ints: Vec<Option<f64>> = codes.iter().map(|c| inputs.rd.get(c, year)).collect();
    let lt: Vec<Option<i64>> = levels
        .iter()
        .map(|v| v.map(|v| tier(v, &level_t)))
        .collect();
    let it: Vec<Option<i64>> = ints.iter().map(|v| v.map(|v| tier(v, &int_t))).collect();
    let mut t = ResultTable::new(
        "C2",
        Text::new(
            format!("GERD and R&D intensity, {year}"),
            format!("{year}年研发支出总额及占GDP比例"),
        ),
    );
    t.columns = economy_columns(&codes);
    t.columns.push(Column::float(
        "gerd",
        Text::new(format!("GERD {year}"), format!("{year}年研发支出")),
        Some(Text::new(
            format!("bn {currency}"),
            format!("十亿{currency_zh}"),
        )),
        1,
        levels.clone(),
    ));
    t.columns.push(Column::float(
        "rd_intensity",
        Text::new("GERD/GDP", "研发强度"),
        Some(Text::new("% of GDP", "占GDP%")),
        2,
        ints.clone(),
    ));
    t.columns.push(Column::int(
        "level_tier",
        Text::new("Tier by GERD", "总额梯队"),
        None,
        lt.clone(),
    ));
    t.columns.push(Column::int(
        "intensity_tier",
        Text::new("Tier by intensity", "强度梯队"),
        None,
        it.clone(),
    ));
    t.basis.push((Text::new("Currency", "币种"), Text::new(
        format!("{currency}; GERD in national currency of {year} converted at the {fx_year} annual-average rates ({}, cross rate via US$)", fx_series.meta.source),
        format!("{currency}；{year}年本币研发支出按{fx_year}年年均汇率（{}，经美元套算）折算", fx_series.meta.source),
    )));
    t.basis.push(set_basis(
        &set,
        year,
        params.top.unwrap_or(RD_TOP),
        params.min_gerd.unwrap_or(MIN_GERD),
    ));
    t.basis.extend(inputs.gerd_basis());
    t.sources = inputs.sources();
    if fx_source != "wdi" {
        t.sources.extend(merge_sources(&[&fx_series]));
    }
    if !no_rate.is_empty() {
        let n = name_list(&no_rate);
        t.notes.push(Text::new(
            format!("No {fx_year} exchange rate in the chosen source for {}: their GERD level is left empty.", n.en),
            format!("所选汇率来源缺少{}的{fx_year}年汇率，其研发支出总额留空。", n.zh),
        ));
    }
    t.notes.push(Text::new(
        "The report converted at the 31 Dec 2020 central parity (PBoC) and investing.com rates; innoscope uses annual averages from the open WDI series, so levels near a threshold can change tier.",
        "报告采用2020年12月31日人民币汇率中间价等折算；innoscope采用WDI公开年均汇率，接近阈值的经济体梯队可能不同。",
    ));
    t.figure = Some(Figure::BarsWithLine {
        label: "economy".into(),
        bars: "gerd".into(),
        bar_unit: Text::new(format!("bn {currency}"), format!("十亿{currency_zh}")),
        line: "rd_intensity".into(),
        line_unit: Text::new("% of GDP", "占GDP%"),
    });
    let lead: Vec<String> = codes
        .iter()
        .zip(&lt)
        .filter(|(_, t)| **t == Some(1))
        .map(|(c, _)| c.clone())
        .collect();
    let mut by_int: Vec<(String, f64)> = codes
        .iter()
        .cloned()
        .zip(ints.iter().copied())
        .filter_map(|(c, v)| Some((c, v?)))
        .collect();
    by_int.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if !lead.is_empty() {
        let n = name_list(&lead);
        t.findings.push(Text::new(
            format!(
                "First tier by GERD (above {} bn {currency}): {}.",
                level_t[0], n.en
            ),
            format!(
                "研发支出总额第一梯队（超过{}十亿{currency_zh}）：{}。",
                level_t[0], n.zh
            ),
        ));
    }
    if by_int.len() >= 2 {
        let (a, b) = (&by_int[0], &by_int[1]);
        t.findings.push(Text::new(
            format!(
                "By intensity, {} ({:.2}%) and {} ({:.2}%) lead.",
                name(&a.0, innoscope_core::Lang::En),
                a.1,
                name(&b.0, innoscope_core::Lang::En),
                b.1
            ),
            format!(
                "按研发强度，{}（{:.2}%）和{}（{:.2}%）领先。",
                name(&a.0, innoscope_core::Lang::Zh),
                a.1,
                name(&b.0, innoscope_core::Lang::Zh),
                b.1
            ),
        ));
    }
    record_params(
        &mut t,
        params,
        &[
            ("year", year.to_string()),
            ("currency", currency.clone()),
            ("fx_year", fx_year.to_string()),
            ("fx_source", fx_source.clone()),
        ],
    );
    // The tier table (Table 4).
    let n_tiers = level_t.len().max(int_t.len());
    let mut tiers = ResultTable::new(
        "C2.tiers",
        Text::new(
            format!("Tiers of GERD and R&D intensity, {year}"),
            format!("{year}年研发支出总额和强度梯队分布"),
        ),
    );
    let range = |t: &[f64], i: usize, unit: &str| -> String {
        match (i, t.get(i)) {
            (0, Some(lo)) => format!("> {lo}{unit}"),
            (_, Some(lo)) => format!("{lo}–{}{unit}", t[i - 1]),
            _ => String::new(),
        }
    };
    let members = |tiers_of: &[Option<i64>], k: i64| -> Vec<String> {
        codes
            .iter()
            .zip(tiers_of)
            .filter(|(_, t)| **t == Some(k))
            .map(|(c, _)| c.clone())
            .collect()
    };
    let mut col_tier = Vec::new();
    let (mut lr, mut le, mut lz, mut ir, mut ie, mut iz) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..n_tiers {
        col_tier.push(Some(i as i64 + 1));
        let lm = name_list(&members(&lt, i as i64 + 1));
        let im = name_list(&members(&it, i as i64 + 1));
        lr.push(Some(range(&level_t, i, "")));
        le.push(Some(lm.en));
        lz.push(Some(lm.zh));
        ir.push(Some(range(&int_t, i, "%")));
        ie.push(Some(im.en));
        iz.push(Some(im.zh));
    }
    tiers.columns = vec![
        Column::int("tier", Text::new("Tier", "梯队"), None, col_tier),
        Column::text(
            "level_range",
            Text::new(
                format!("GERD range (bn {currency})"),
                format!("总额区间（十亿{currency_zh}）"),
            ),
            lr,
        ),
        Column::text(
            "level_members_en",
            Text::new("By GERD", "按总额（英文）"),
            le,
        ),
        Column::text("level_members_zh", Text::new("By GERD (zh)", "按总额"), lz),
        Column::text(
            "intensity_range",
            Text::new("Intensity range", "强度区间"),
            ir,
        ),
        Column::text(
            "intensity_members_en",
            Text::new("By intensity", "按强度（英文）"),
            ie,
        ),
        Column::text(
            "intensity_members_zh",
            Text::new("By intensity (zh)", "按强度"),
            iz,
        ),
    ];
    super::coverage::apply(&mut t, inputs.coverage(&set, year));
    tiers.basis = t.basis.clone();
    tiers.coverage = t.coverage.clone();
    tiers.sources = t.sources.clone();
    tiers.params = t.params.clone();
    Ok(vec![t, tiers])
}
