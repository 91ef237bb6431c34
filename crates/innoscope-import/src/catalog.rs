//! The indicator catalogue (`data/registry/indicators.csv`): names, units,
//! sources and licences of the series innoscope knows by code.

use std::collections::HashMap;
use std::sync::OnceLock;

use innoscope_core::SeriesMeta;

static CATALOG: OnceLock<HashMap<String, SeriesMeta>> = OnceLock::new();

fn catalog() -> &'static HashMap<String, SeriesMeta> {
    CATALOG.get_or_init(|| {
        let text = include_str!("../../../data/registry/indicators.csv");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut map = HashMap::new();
        for rec in reader.records() {
            let r = rec.expect("indicators.csv is checked by the catalogue test");
            map.insert(
                r[0].to_string(),
                SeriesMeta {
                    indicator: r[0].to_string(),
                    name_en: r[1].to_string(),
                    name_zh: r[2].to_string(),
                    unit: r[3].to_string(),
                    source: r[4].to_string(),
                    licence: r[5].to_string(),
                    vintage: String::new(),
                    dims: Vec::new(),
                },
            );
        }
        map
    })
}

/// Metadata of a known indicator code.
pub fn lookup(code: &str) -> Option<SeriesMeta> {
    catalog().get(code).cloned()
}

/// Metadata for `code`: the catalogue's entry, or one built from what the
/// file says (`name`, `unit`, `source`) when the code is not catalogued.
pub fn meta_or(code: &str, name: &str, unit: &str, source: &str, licence: &str) -> SeriesMeta {
    lookup(code).unwrap_or_else(|| SeriesMeta {
        indicator: code.to_string(),
        name_en: if name.is_empty() {
            code.to_string()
        } else {
            name.to_string()
        },
        name_zh: String::new(),
        unit: unit.to_string(),
        source: source.to_string(),
        licence: licence.to_string(),
        vintage: String::new(),
        dims: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_parses_and_has_the_report_series() {
        for code in [
            "GB.XPD.RSDV.GD.ZS",
            "BX.GSR.ROYL.CD",
            "UNCTAD.FDI.IN",
            "NCSES.PCT.APPL",
        ] {
            assert!(super::lookup(code).is_some(), "{code}");
        }
    }
}
