//! F3: talent flow, visas issued by economy.

use super::common::*;
use super::prelude::*;

const F3_YEAR: i32 = 2020;
const F3_INDICATOR: &str = "TALENT.VISAS.ISSUED";

pub(super) const F3: Analysis = Analysis {
    id: "F3",
    name: "talent-flow",
    title: w("Talent flow: visas issued", "人才流动：签证发放"),
    chapter: "openness",
    params: &[
        reference_year(D::Rule(w(
            "2020 (or the data's last year)",
            "2020（或数据的最后一年）",
        ))),
        use_h(
            "indicator",
            D::Text(F3_INDICATOR),
            w(
                "series of visas issued or migration flows",
                "签证发放或移民流动序列",
            ),
        ),
        dataset_to_read(D::Rule(w(
            "first dataset holding it",
            "首个含有该序列的数据集",
        ))),
        use_h(
            "economies",
            D::Rule(w("all in the series", "序列中的全部经济体")),
            w("economies shown", "显示的经济体"),
        ),
    ],
    own: &[],
    shared: &[],
    placements: &[at("3.3", "f3")],
    numbers: &[],
    year_shift: YearShift::Year,
    series: &[F3_INDICATOR],
    run: |e, p| Box::pin(async move { Ok(vec![f3(e, p).await?]) }),
};

/// F3: talent flow — visas issued (or migration flows) by economy, change
/// on the previous year.
pub async fn f3(engine: &Engine, params: &Params) -> Result<ResultTable> {
    let indicator = params
        .indicator
        .clone()
        .unwrap_or_else(|| F3_INDICATOR.into());
    let series = engine
        .series(&indicator, params.source.as_deref())
        .await
        .map_err(|e| match e {
            EngineError::MissingData { message, .. } => EngineError::missing(
                message,
                "import visas issued or migration flows by economy and year as innoscope's tidy CSV (economy,indicator,year,value,unit,source[,licence]) with indicator TALENT.VISAS.ISSUED, or name yours with --indicator",
            ),
            other => other,
        })?;
    let last = series
        .last_year()
        .ok_or_else(|| EngineError::missing("the talent series is empty", "re-import it"))?;
    let year = params.year.unwrap_or(last.min(F3_YEAR));
    let mut codes: Vec<String> = series
        .values
        .keys()
        .filter(|c| series.get(c, year).is_some() && series.get(c, year - 1).is_some())
        .cloned()
        .collect();
    if let Some(explicit) = explicit_set(params, &[])? {
        codes.retain(|c| explicit.codes().contains(c));
    }
    if codes.is_empty() {
        return Err(EngineError::missing(
            format!(
                "no economy has `{indicator}` for both {} and {year}",
                year - 1
            ),
            "choose --year within the data",
        ));
    }
    let change = |c: &str, y: i32| pct_change(series.get(c, y - 1)?, series.get(c, y)?);
    codes.sort_by(|a, b| {
        change(a, year)
            .unwrap_or(0.0)
            .total_cmp(&change(b, year).unwrap_or(0.0))
            .then(a.cmp(b))
    });
    let mut t = ResultTable::new(
        "F3",
        Text::new(
            format!(
                "Talent flow: {} in {year} vs {}",
                series.meta.name_en.to_lowercase(),
                year - 1
            ),
            format!("人才流动：{year}年较{}年变化", year - 1),
        ),
    );
    t.columns = economy_columns(&codes);
    let unit = Some(Text::new(
        series.meta.unit.clone(),
        innoscope_core::provenance::in_lang(&series.meta.unit, innoscope_core::Lang::Zh),
    ));
    for (y, name) in [(year - 1, "previous"), (year, "value")] {
        t.columns.push(Column::float(
            name,
            Text::new(format!("{y}"), format!("{y}年")),
            unit.clone(),
            0,
            codes.iter().map(|c| series.get(c, y)).collect(),
        ));
    }
    let pct = Some(Text::new("%", "%"));
    t.columns.push(Column::float(
        "change",
        Text::new(
            format!("Change {year} vs {}", year - 1),
            format!("{year}年同比变化"),
        ),
        pct.clone(),
        1,
        codes.iter().map(|c| change(c, year)).collect(),
    ));
    t.columns.push(Column::float(
        "change_before",
        Text::new(
            format!("Change {} vs {}", year - 1, year - 2),
            format!("{}年同比变化", year - 1),
        ),
        pct,
        1,
        codes.iter().map(|c| change(c, year - 1)).collect(),
    ));
    t.figure = Some(Figure::DivergingBars {
        label: "economy".into(),
        series: vec!["change".into()],
        unit: Text::new("% vs previous year", "同比变化（%）"),
    });
    t.basis = vec![(
        Text::new("Flow", "流量"),
        Text::new(
            format!(
                "{} ({indicator}), by the issuing economy",
                series.meta.name_en
            ),
            format!(
                "{}（{indicator}），按签发经济体",
                series.meta.name_zh_or_en()
            ),
        ),
    )];
    t.sources = vec![series.source_note()];
    t.synthetic = engine
        .dataset(&series.dataset)
        .and_then(|d| d.manifest.notes.first())
        .is_some_and(|n| n == crate::records::SYNTHETIC_NOTE);
    let over80: Vec<String> = codes
        .iter()
        .filter(|c| change(c, year).is_some_and(|x| x <= -80.0))
        .cloned()
        .collect();
    if let Some(first) = codes.first() {
        t.findings.push(Text::new(
            format!(
                "Largest fall: {} ({}%){}.",
                name(first, Lang::En),
                change(first, year).map(signed).unwrap_or_default(),
                if over80.is_empty() {
                    String::new()
                } else {
                    format!("; {} fell by 80% or more", name_list(&over80).en)
                }
            ),
            format!(
                "降幅最大的是{}（{}%）{}。",
                name(first, Lang::Zh),
                change(first, year).map(signed).unwrap_or_default(),
                if over80.is_empty() {
                    String::new()
                } else {
                    format!("；{}减少80%以上", name_list(&over80).zh)
                }
            ),
        ));
    }
    let mut m = std::collections::BTreeMap::new();
    m.insert("year".to_string(), year.to_string());
    m.insert("indicator".to_string(), indicator);
    t.params = m;
    Ok(t)
}
