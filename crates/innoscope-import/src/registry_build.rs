//! Builds the economy registry (`data/registry/economies.csv`) from the
//! upstream code lists and innoscope's curated files:
//!
//! - `country-codes.csv` (ISO 3166 / UN M49 / UNTERM, datasets/country-codes):
//!   codes, official English and Chinese names, M49 region, currency;
//! - `coco_groupings.csv` (country_converter): OECD, EU27, G7, G20, BRIC, APEC
//!   membership with accession year;
//! - `names.csv` (curated): short display names in English and Chinese, and
//!   the names sources use (`Korea, Rep.`, `South Korea`…);
//! - `historical.csv`, `aggregates.csv` (curated): former entities and the
//!   aggregates of World Bank, UNCTAD, NCSES and patent offices.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use innoscope_core::economy::REGISTRY_COLUMNS;

use crate::ImportError;
use crate::input::decode_head;

/// Paths of the inputs.
pub struct RegistrySources<'a> {
    pub country_codes: &'a Path,
    pub groupings: &'a Path,
    pub names: &'a Path,
    pub historical: &'a Path,
    pub aggregates: &'a Path,
}

type Row = HashMap<String, String>;

fn read_rows(path: &Path) -> Result<Vec<(u64, Row)>, ImportError> {
    let bytes =
        std::fs::read(path).map_err(|e| ImportError::new(path, format!("cannot read: {e}")))?;
    let text = decode_head(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::new(path, e.to_string()).at_line(1))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            ImportError::new(path, e.to_string()).at_line(line)
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let row = headers
            .iter()
            .cloned()
            .zip(rec.iter().map(|s| s.trim().to_string()))
            .collect();
        out.push((line, row));
    }
    Ok(out)
}

fn get<'r>(row: &'r Row, path: &Path, line: u64, col: &str) -> Result<&'r str, ImportError> {
    row.get(col).map(String::as_str).ok_or_else(|| {
        ImportError::new(path, format!("missing column `{col}`"))
            .at_line(line)
            .field(col)
    })
}

/// Build the registry CSV text. Output rows are sorted by kind then code, so
/// the file is byte-identical for identical inputs.
pub fn build(src: &RegistrySources<'_>) -> Result<String, ImportError> {
    const GROUPS: [&str; 6] = ["OECD", "EU27", "G7", "G20", "BRIC", "APEC"];
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    for (line, row) in read_rows(src.groupings)? {
        let iso3 = get(&row, src.groupings, line, "ISO3")?.to_string();
        let mut g = Vec::new();
        for name in GROUPS {
            let v = get(&row, src.groupings, line, name)?;
            if v.is_empty() {
                continue;
            }
            // Columns hold the accession year, or the group's name as a plain
            // membership flag (recorded as year 0: accession year not given).
            if v.eq_ignore_ascii_case(name) {
                g.push(format!("{name}:0"));
            } else {
                let year: f64 = v.parse().map_err(|_| {
                    ImportError::new(
                        src.groupings,
                        format!("`{v}` is neither an accession year nor `{name}`"),
                    )
                    .at_line(line)
                    .field(name)
                })?;
                g.push(format!("{name}:{}", year as u16));
            }
        }
        groups.insert(iso3, g);
    }
    let mut names: HashMap<String, (String, String, String)> = HashMap::new();
    for (line, row) in read_rows(src.names)? {
        names.insert(
            get(&row, src.names, line, "code")?.to_string(),
            (
                get(&row, src.names, line, "short_en")?.to_string(),
                get(&row, src.names, line, "short_zh")?.to_string(),
                get(&row, src.names, line, "aliases")?.to_string(),
            ),
        );
    }
    let mut out: BTreeMap<(u8, String), Vec<String>> = BTreeMap::new();
    for (line, row) in read_rows(src.country_codes)? {
        let p = src.country_codes;
        let code = get(&row, p, line, "ISO3166-1-Alpha-3")?.to_string();
        if code.is_empty() {
            continue;
        }
        let official_en = get(&row, p, line, "official_name_en")?.to_string();
        let cldr = get(&row, p, line, "CLDR display name")?.to_string();
        let official_zh = get(&row, p, line, "official_name_cn")?.to_string();
        let unterm_zh = get(&row, p, line, "UNTERM Chinese Short")?.to_string();
        let (short_en, short_zh, aliases) = names.get(&code).cloned().unwrap_or_default();
        let name_en = [short_en, cldr.clone(), official_en.clone()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| code.clone());
        let name_zh = [short_zh, unterm_zh, official_zh.clone()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| name_en.clone());
        let mut alias_list: Vec<String> = aliases
            .split('|')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        for extra in [
            cldr,
            get(&row, p, line, "UNTERM English Short")?.to_string(),
            official_zh,
        ] {
            if !extra.is_empty() && !alias_list.contains(&extra) {
                alias_list.push(extra);
            }
        }
        out.insert(
            (0, code.clone()),
            vec![
                code.clone(),
                get(&row, p, line, "ISO3166-1-Alpha-2")?.to_string(),
                get(&row, p, line, "ISO3166-1-numeric")?.to_string(),
                "country".into(),
                String::new(),
                name_en,
                name_zh,
                get(&row, p, line, "Region Name")?.to_string(),
                get(&row, p, line, "Sub-region Name")?.to_string(),
                get(&row, p, line, "ISO4217-currency_alphabetic_code")?.to_string(),
                groups.get(&code).map(|g| g.join("|")).unwrap_or_default(),
                String::new(),
                official_en,
                alias_list.join("|"),
            ],
        );
    }
    for (line, row) in read_rows(src.historical)? {
        let p = src.historical;
        let code = get(&row, p, line, "code")?.to_string();
        out.insert(
            (1, code.clone()),
            vec![
                code,
                get(&row, p, line, "iso2")?.to_string(),
                get(&row, p, line, "numeric")?.to_string(),
                "historical".into(),
                String::new(),
                get(&row, p, line, "name_en")?.to_string(),
                get(&row, p, line, "name_zh")?.to_string(),
                get(&row, p, line, "region")?.to_string(),
                String::new(),
                String::new(),
                String::new(),
                get(&row, p, line, "ended")?.to_string(),
                String::new(),
                get(&row, p, line, "source_names")?.to_string(),
            ],
        );
    }
    for (line, row) in read_rows(src.aggregates)? {
        let p = src.aggregates;
        let code = get(&row, p, line, "code")?.to_string();
        out.insert(
            (2, code.clone()),
            vec![
                code,
                String::new(),
                String::new(),
                "aggregate".into(),
                get(&row, p, line, "family")?.to_string(),
                get(&row, p, line, "name_en")?.to_string(),
                get(&row, p, line, "name_zh")?.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                get(&row, p, line, "source_names")?.to_string(),
            ],
        );
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(REGISTRY_COLUMNS).expect("in-memory write");
    for ((kind, code), row) in &out {
        if *kind == 0 && out.contains_key(&(2, code.clone())) {
            return Err(ImportError::new(
                src.aggregates,
                format!("aggregate code `{code}` collides with a country code"),
            ));
        }
        w.write_record(row).expect("in-memory write");
    }
    let bytes = w.into_inner().expect("in-memory write");
    Ok(String::from_utf8(bytes).expect("inputs were UTF-8"))
}
