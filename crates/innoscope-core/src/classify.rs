//! Reference classifications over IPC/CPC symbols: WIPO's 35 technology
//! fields, three green-technology methods, and the user-editable technology
//! fields of the co-patenting networks.
//!
//! Each is a list of `(symbol prefix, category)` rows in PATSTAT's fixed
//! layout ([`SymbolPrefix`]), so that the engine can match them with plain
//! prefix joins. The built-in tables are compiled in from `data/reference/`
//! in their published formats; users may pass their own files in the same
//! formats.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::patent::{Scheme, SymbolPrefix};
use crate::text::Text;

/// An error in a reference file, naming file, line and field.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {field}: {message}")]
pub struct ReferenceError {
    pub file: String,
    pub line: u64,
    pub field: String,
    pub message: String,
}

fn err(file: &str, line: u64, field: &str, message: impl Into<String>) -> ReferenceError {
    ReferenceError {
        file: file.to_string(),
        line,
        field: field.to_string(),
        message: message.into(),
    }
}

/// One category of a classification (a technology field, a green topic).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Category {
    /// Stable id: the WIPO field number, a topic slug, a network field id.
    pub id: String,
    pub name: Text,
    /// Grouping above the category (WIPO sector), if any.
    pub group: Option<Text>,
}

/// A classification: categories and the symbol prefixes that define them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Classification {
    pub id: String,
    pub name: Text,
    /// Which scheme the symbols belong to (ENV-TECH and WIPO lists mix IPC
    /// and CPC-only codes; `None` = match symbols of any scheme).
    pub scheme: Option<Scheme>,
    pub categories: Vec<Category>,
    /// `(prefix, index into categories)`, sorted and free of duplicates.
    pub rules: Vec<(SymbolPrefix, usize)>,
    pub source: String,
    pub licence: String,
}

impl Classification {
    /// Categories a fixed-layout symbol belongs to (a reference implementation
    /// for tests and small inputs; the engine matches with joins).
    pub fn categories_of(&self, fixed_symbol: &str) -> Vec<&Category> {
        let mut idx: Vec<usize> = self
            .rules
            .iter()
            .filter(|(p, _)| fixed_symbol.starts_with(p.fixed()))
            .map(|(_, i)| *i)
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter().map(|i| &self.categories[i]).collect()
    }

    fn finish(mut self) -> Classification {
        self.rules.sort();
        self.rules.dedup();
        self
    }
}

fn records(
    file: &str,
    text: &str,
    has_header: bool,
) -> Result<Vec<(u64, csv::StringRecord)>, ReferenceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(has_header)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            err(file, line, "-", e.to_string())
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.push((line, rec));
    }
    Ok(out)
}

fn prefix(file: &str, line: u64, field: &str, raw: &str) -> Result<SymbolPrefix, ReferenceError> {
    SymbolPrefix::parse(raw.trim_end_matches('%'))
        .map_err(|e| err(file, line, field, e.to_string()))
}

/// WIPO's IPC–technology concordance (35 fields in 5 sectors, Schmoch 2008)
/// from its published CSV layout (`Field_number,Sector_en,…,IPC_code,…`),
/// with Chinese names from a `field,sector_zh,field_zh` file.
pub fn wipo_technology_fields(
    file: &str,
    text: &str,
    zh_file: &str,
    zh_text: &str,
) -> Result<Classification, ReferenceError> {
    let mut zh: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (line, rec) in records(zh_file, zh_text, true)? {
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        if get(0).is_empty() {
            return Err(err(zh_file, line, "field", "empty"));
        }
        zh.insert(get(0), (get(1), get(2)));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| err(file, 1, "-", e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| err(file, 1, name, "column missing"))
    };
    let (c_num, c_sector, c_field, c_ipc) = (
        col("Field_number")?,
        col("Sector_en")?,
        col("Field_en")?,
        col("IPC_code")?,
    );
    let mut categories: Vec<Category> = Vec::new();
    let mut index: BTreeMap<u32, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            err(
                file,
                e.position().map(|p| p.line()).unwrap_or(0),
                "-",
                e.to_string(),
            )
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let num_raw = rec.get(c_num).unwrap_or("").trim();
        let num: u32 = num_raw.parse().map_err(|_| {
            err(
                file,
                line,
                "Field_number",
                format!("`{num_raw}` is not a number"),
            )
        })?;
        let i = match index.get(&num) {
            Some(i) => *i,
            None => {
                let (sector_zh, field_zh) = zh.get(&num.to_string()).cloned().ok_or_else(|| {
                    err(
                        zh_file,
                        0,
                        "field",
                        format!("no Chinese name for field {num}"),
                    )
                })?;
                categories.push(Category {
                    id: num.to_string(),
                    name: Text::new(rec.get(c_field).unwrap_or("").trim(), field_zh),
                    group: Some(Text::new(rec.get(c_sector).unwrap_or("").trim(), sector_zh)),
                });
                index.insert(num, categories.len() - 1);
                categories.len() - 1
            }
        };
        rules.push((
            prefix(file, line, "IPC_code", rec.get(c_ipc).unwrap_or(""))?,
            i,
        ));
    }
    // Categories in field-number order.
    let mut order: Vec<usize> = (0..categories.len()).collect();
    order.sort_by_key(|&i| categories[i].id.parse::<u32>().unwrap_or(u32::MAX));
    let remap: BTreeMap<usize, usize> = order.iter().enumerate().map(|(n, &o)| (o, n)).collect();
    let categories = order.iter().map(|&i| categories[i].clone()).collect();
    let rules = rules.into_iter().map(|(p, i)| (p, remap[&i])).collect();
    Ok(Classification {
        id: "wipo35".into(),
        name: Text::new("WIPO technology fields (35)", "WIPO 35 个技术领域"),
        scheme: Some(Scheme::Ipc),
        categories,
        rules,
        source: "WIPO IPC–Technology concordance (Schmoch 2008, updated 2019)".into(),
        licence: "WIPO, free for statistical use".into(),
    }
    .finish())
}

/// Green-technology method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GreenMethod {
    /// WIPO IPC Green Inventory.
    WipoInventory,
    /// OECD ENV-TECH.
    OecdEnvtech,
    /// EPO Y02/Y04S tagging of CPC.
    EpoY02,
}

impl GreenMethod {
    pub const ALL: [GreenMethod; 3] = [
        GreenMethod::WipoInventory,
        GreenMethod::OecdEnvtech,
        GreenMethod::EpoY02,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GreenMethod::WipoInventory => "wipo",
            GreenMethod::OecdEnvtech => "envtech",
            GreenMethod::EpoY02 => "y02",
        }
    }

    pub fn label(self) -> Text {
        match self {
            GreenMethod::WipoInventory => {
                Text::new("WIPO IPC Green Inventory", "WIPO 绿色技术清单（IPC）")
            }
            GreenMethod::OecdEnvtech => Text::new("OECD ENV-TECH", "OECD 环境相关技术（ENV-TECH）"),
            GreenMethod::EpoY02 => Text::new("EPO Y02/Y04S (CPC)", "EPO Y02/Y04S 标引（CPC）"),
        }
    }
}

impl fmt::Display for GreenMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GreenMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "wipo" | "wipo-inventory" => Ok(GreenMethod::WipoInventory),
            "envtech" | "oecd" | "oecd-envtech" => Ok(GreenMethod::OecdEnvtech),
            "y02" | "epo" | "epo-y02" => Ok(GreenMethod::EpoY02),
            _ => Err(format!(
                "unknown green method `{s}` (expected wipo, envtech or y02)"
            )),
        }
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The WIPO IPC Green Inventory, one `symbol,topic` row per IPC symbol (no
/// header; a bare subclass means the whole subclass). Chinese topic names
/// come from a `topic_en,topic_zh` file; a topic missing there keeps its
/// English name in both languages.
pub fn green_wipo(
    file: &str,
    text: &str,
    zh_file: &str,
    zh_text: &str,
) -> Result<Classification, ReferenceError> {
    // The published list writes some topics with no-break spaces.
    let key = |t: &str| t.replace('\u{a0}', " ");
    let mut zh: BTreeMap<String, String> = BTreeMap::new();
    for (line, rec) in records(zh_file, zh_text, true)? {
        let (en, z) = (
            rec.get(0).unwrap_or("").trim(),
            rec.get(1).unwrap_or("").trim(),
        );
        if en.is_empty() || z.is_empty() {
            return Err(err(zh_file, line, "topic_zh", "empty"));
        }
        zh.insert(key(en), z.to_string());
    }
    let mut categories: Vec<Category> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for (line, rec) in records(file, text, false)? {
        let sym = rec.get(0).unwrap_or("");
        let topic = rec.get(1).unwrap_or("").trim();
        if topic.is_empty() {
            return Err(err(file, line, "topic", "empty"));
        }
        let id = slug(topic);
        let i = *index.entry(id.clone()).or_insert_with(|| {
            let en = key(topic);
            let name = match zh.get(&en) {
                Some(z) => Text::new(en.clone(), z.clone()),
                None => Text::same(en.clone()),
            };
            categories.push(Category {
                id,
                name,
                group: None,
            });
            categories.len() - 1
        });
        rules.push((prefix(file, line, "symbol", sym)?, i));
    }
    Ok(Classification {
        id: "green-wipo".into(),
        name: GreenMethod::WipoInventory.label(),
        scheme: Some(Scheme::Ipc),
        categories,
        rules,
        source: "WIPO IPC Green Inventory, as expanded by Favot et al. (2023)".into(),
        licence: "CC-BY-4.0".into(),
    }
    .finish())
}

/// OECD ENV-TECH as a `Code` list in PATSTAT's layout. The list carries no
/// domains, so topics are the IPC/CPC subclasses of the codes.
pub fn green_envtech(file: &str, text: &str) -> Result<Classification, ReferenceError> {
    let mut categories: Vec<Category> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for (line, rec) in records(file, text, true)? {
        let p = prefix(file, line, "Code", rec.get(0).unwrap_or(""))?;
        let sub = p.fixed().get(..4).unwrap_or(p.fixed()).to_string();
        let i = *index.entry(sub.clone()).or_insert_with(|| {
            categories.push(Category {
                id: sub.clone(),
                name: Text::same(&sub),
                group: None,
            });
            categories.len() - 1
        });
        rules.push((p, i));
    }
    Ok(Classification {
        id: "green-envtech".into(),
        name: GreenMethod::OecdEnvtech.label(),
        scheme: None,
        categories,
        rules,
        source: "OECD ENV-TECH (Haščič & Migotto 2015), list by Favot et al. (2023)".into(),
        licence: "CC-BY-4.0".into(),
    }
    .finish())
}

/// A `prefix,topic_en,topic_zh` table (EPO Y02/Y04S) or a
/// `field,name_en,name_zh,prefixes` table (network fields): categories with
/// bilingual names and one or more prefixes each.
pub fn prefix_table(
    id: &str,
    name: Text,
    scheme: Option<Scheme>,
    file: &str,
    text: &str,
    source: &str,
    licence: &str,
) -> Result<Classification, ReferenceError> {
    let mut categories = Vec::new();
    let mut rules = Vec::new();
    let mut seen = BTreeMap::new();
    for (line, rec) in records(file, text, true)? {
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        // `field,name_en,name_zh,prefixes` (several prefixes separated by
        // spaces) or `prefix,name_en,name_zh` (one prefix, spaces significant).
        let (cat_id, prefixes): (String, Vec<String>) = if rec.len() >= 4 {
            (
                get(0).to_string(),
                get(3)
                    .split([' ', ';', ','])
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect(),
            )
        } else {
            (
                get(0).to_string(),
                vec![rec.get(0).unwrap_or("").to_string()],
            )
        };
        if cat_id.is_empty() {
            return Err(err(file, line, "field", "empty id"));
        }
        if seen.insert(cat_id.clone(), line).is_some() {
            return Err(err(
                file,
                line,
                "field",
                format!("`{cat_id}` defined twice"),
            ));
        }
        if get(1).is_empty() {
            return Err(err(file, line, "name_en", "empty"));
        }
        categories.push(Category {
            id: cat_id,
            name: Text::new(get(1), if get(2).is_empty() { get(1) } else { get(2) }),
            group: None,
        });
        let i = categories.len() - 1;
        let mut any = false;
        for p in &prefixes {
            rules.push((prefix(file, line, "prefixes", p)?, i));
            any = true;
        }
        if !any {
            return Err(err(file, line, "prefixes", "no symbol prefix given"));
        }
    }
    if categories.is_empty() {
        return Err(err(file, 0, "-", "no entries"));
    }
    Ok(Classification {
        id: id.to_string(),
        name,
        scheme,
        categories,
        rules,
        source: source.to_string(),
        licence: licence.to_string(),
    }
    .finish())
}

/// Built-in reference tables, compiled in from `data/reference/`.
pub mod builtin {
    use super::*;

    pub const WIPO_IPC_TECHNOLOGY: &str =
        include_str!("../../../data/reference/wipo-ipc-technology.csv");
    pub const WIPO_FIELDS_ZH: &str =
        include_str!("../../../data/reference/wipo-technology-fields-zh.csv");
    pub const GREEN_WIPO: &str = include_str!("../../../data/reference/green-wipo-inventory.csv");
    pub const GREEN_WIPO_ZH: &str =
        include_str!("../../../data/reference/green-wipo-topics-zh.csv");
    pub const GREEN_ENVTECH: &str = include_str!("../../../data/reference/green-oecd-envtech.csv");
    pub const GREEN_Y02: &str = include_str!("../../../data/reference/green-epo-y02.csv");
    pub const NETWORK_FIELDS: &str = include_str!("../../../data/reference/network-fields.csv");

    /// WIPO's 35 technology fields.
    pub fn technology_fields() -> Classification {
        wipo_technology_fields(
            "data/reference/wipo-ipc-technology.csv",
            WIPO_IPC_TECHNOLOGY,
            "data/reference/wipo-technology-fields-zh.csv",
            WIPO_FIELDS_ZH,
        )
        .expect("built-in WIPO concordance is valid (checked by tests)")
    }

    /// The green classification of a method.
    pub fn green(method: GreenMethod) -> Classification {
        match method {
            GreenMethod::WipoInventory => green_wipo(
                "data/reference/green-wipo-inventory.csv",
                GREEN_WIPO,
                "data/reference/green-wipo-topics-zh.csv",
                GREEN_WIPO_ZH,
            ),
            GreenMethod::OecdEnvtech => {
                green_envtech("data/reference/green-oecd-envtech.csv", GREEN_ENVTECH)
            }
            GreenMethod::EpoY02 => prefix_table(
                "green-y02",
                GreenMethod::EpoY02.label(),
                Some(Scheme::Cpc),
                "data/reference/green-epo-y02.csv",
                GREEN_Y02,
                "EPO CPC Y02/Y04S tagging scheme",
                "EPO, free to use",
            ),
        }
        .expect("built-in green lists are valid (checked by tests)")
    }

    /// The default technology fields of the co-patenting networks (K2).
    pub fn network_fields() -> Classification {
        network_fields_from("data/reference/network-fields.csv", NETWORK_FIELDS)
            .expect("built-in network fields are valid (checked by tests)")
    }

    /// Network fields from a user's file in the same format.
    pub fn network_fields_from(file: &str, text: &str) -> Result<Classification, ReferenceError> {
        prefix_table(
            "network-fields",
            Text::new("Technology fields of the networks", "合作网络技术领域"),
            None,
            file,
            text,
            file,
            "user-defined",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_parse() {
        let t = builtin::technology_fields();
        assert_eq!(t.categories.len(), 35);
        assert_eq!(t.rules.len(), 764);
        let names: Vec<_> = t
            .categories_of("H04W  72/04")
            .iter()
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(names, vec!["4"]);
        // A61K 8 is cosmetics (field 34? no: "Organic fine chemistry" 14), A61K 39 is pharma (16).
        assert_eq!(t.categories_of("A61K   8/02")[0].id, "14");
        assert_eq!(t.categories_of("A61K  39/395")[0].id, "16");
        assert_eq!(t.categories[0].name.zh, "电机、电气装置、能源");

        let g = builtin::green(GreenMethod::WipoInventory);
        assert_eq!(g.rules.len(), 1214);
        // Every topic has a Chinese name.
        for c in &g.categories {
            assert_ne!(c.name.en, c.name.zh, "no Chinese name for `{}`", c.name.en);
        }
        assert!(!g.categories_of("B01D  53/14").is_empty());
        let e = builtin::green(GreenMethod::OecdEnvtech);
        assert_eq!(e.rules.len(), 3150);
        let y = builtin::green(GreenMethod::EpoY02);
        assert_eq!(y.categories_of("Y02E  10/50")[0].id, "Y02E");
        assert!(y.categories_of("Y04B  10/00").is_empty());

        let f = builtin::network_fields();
        assert_eq!(f.categories.len(), 2);
        assert_eq!(f.categories_of("C07K  16/28")[0].id, "medical");
    }

    #[test]
    fn user_fields_report_file_line_field() {
        let e = builtin::network_fields_from("f.csv", "field,name_en,name_zh,prefixes\nx,X,,H0\n")
            .unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.field.as_str()),
            ("f.csv", 2, "prefixes")
        );
        let e = builtin::network_fields_from("f.csv", "field,name_en,name_zh,prefixes\nx,X,,\n")
            .unwrap_err();
        assert_eq!(e.field, "prefixes");
    }
}
