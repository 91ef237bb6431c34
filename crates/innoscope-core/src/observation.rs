//! The observation model: one value of one indicator for one economy and year.
//! Importers produce observations; the store keeps them as Parquet with the
//! schema `innoscope_engine::schema::observation`; analyses read them back as series.

use serde::{Deserialize, Serialize};

/// One data point. `economy` is an ISO 3166 alpha-3 code or a registry
/// aggregate code (`WLD`, `EUU`, `UN.DEV`, …), never a free-text name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub indicator: String,
    pub economy: String,
    pub year: i32,
    pub value: f64,
}

/// What is known about one indicator of a dataset: name, unit, source,
/// licence and vintage. Kept with every series, printed on every figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SeriesMeta {
    pub indicator: String,
    pub name_en: String,
    #[serde(default)]
    pub name_zh: String,
    pub unit: String,
    pub source: String,
    pub licence: String,
    #[serde(default)]
    pub vintage: String,
    /// For a series read from an SDMX file: its dimension codes, in the
    /// file's order (the reference area excluded). Analyses that read a
    /// multi-dimensional dataflow (K1's OECD basis, C1's constant prices)
    /// select series by these, never by parsing the indicator code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dims: Vec<Dimension>,
}

/// One dimension of an SDMX series: `COUNTERPART_AREA` = `DEU` ("Germany").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Dimension {
    pub id: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

impl SeriesMeta {
    /// The code of dimension `id`, for a series read from SDMX.
    pub fn dim(&self, id: &str) -> Option<&str> {
        self.dims
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.code.as_str())
    }

    /// The Chinese name, or the English one where the source gave none.
    pub fn name_zh_or_en(&self) -> &str {
        if self.name_zh.is_empty() {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}
