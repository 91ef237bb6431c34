//! `innoscope synth patstat`: a deterministic synthetic patent dataset in
//! PATSTAT's layout, for tests, demos and benchmarks.
//!
//! The four tables of `shared/bench/WORKLOAD.md` (tls201, tls206, tls207,
//! tls209, a subset of PATSTAT's columns with the same names) are written as
//! CSV in PATSTAT's dialect and as Parquet. Output depends only on
//! `(apps, seed)`; memory is bounded by the person pools (about one entry per
//! 30 applications), not by the output.
//!
//! Shape (calibrated loosely on WIPO's published totals): filings 2000–2022
//! growing as PCT filings did; applicant-country shares moving from their
//! 2000 to their 2020 levels; about 5% of PCT applications with applicants
//! from two or more countries; 1–4 applicants, 1–6 inventors, 1–8 IPC
//! symbols per application in technology clusters tilted by country.
//! Traps set on purpose, as in real data: Namibia's code `NA`, unknown
//! countries (NULL), runs of spaces inside IPC symbols, near misses of green
//! prefixes (`C12P   7/64` next to `C12P   7/06`), names with commas, quotes,
//! apostrophes and non-ASCII letters, and organisations spelled several ways
//! under different person ids.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Builder, Int64Builder, RecordBatch, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

use crate::error::{EngineError, Result};

pub use innoscope_core::rng::Rng;

const FIRST_YEAR: i32 = 2000;
/// PCT filings per year 2000–2022 (WIPO, thousands): the shape of the series.
const PCT_VOLUME: [f64; 23] = [
    91.0, 104.0, 114.0, 115.0, 121.0, 136.0, 149.0, 160.0, 163.0, 155.0, 164.0, 182.0, 194.0,
    205.0, 215.0, 218.0, 233.0, 244.0, 253.0, 265.0, 276.0, 278.0, 278.0,
];

/// Country, share of PCT filings in 2000 and 2020 (%, WIPO, rounded),
/// propensity to co-apply abroad, weight as a partner, name style.
const COUNTRIES: [(&str, f64, f64, f64, f64, &str); 30] = [
    ("US", 42.0, 21.5, 1.0, 30.0, "en"),
    ("CN", 0.9, 25.0, 0.7, 12.0, "cn"),
    ("JP", 10.0, 18.0, 0.45, 12.0, "jp"),
    ("KR", 1.7, 7.3, 0.5, 4.0, "kr"),
    ("DE", 13.0, 6.8, 0.9, 6.0, "de"),
    ("FR", 4.0, 2.9, 1.4, 6.0, "fr"),
    ("GB", 6.0, 2.1, 1.7, 7.0, "en"),
    ("CH", 2.0, 1.8, 2.6, 6.0, "de"),
    ("SE", 2.9, 1.6, 1.6, 3.0, "nord"),
    ("NL", 2.8, 1.5, 1.9, 4.0, "nl"),
    ("IT", 1.3, 1.2, 1.2, 2.5, "lat"),
    ("CA", 2.0, 1.0, 2.2, 4.0, "en"),
    ("IN", 0.2, 0.7, 1.6, 2.5, "en"),
    ("IL", 1.2, 0.7, 1.9, 2.2, "en"),
    ("AU", 1.9, 0.65, 1.8, 2.0, "en"),
    ("ES", 0.55, 0.6, 1.4, 1.5, "lat"),
    ("FI", 1.5, 0.6, 1.3, 1.2, "nord"),
    ("DK", 0.9, 0.55, 1.7, 1.3, "nord"),
    ("AT", 0.55, 0.5, 2.0, 1.5, "de"),
    ("BE", 0.7, 0.45, 2.6, 2.0, "fr"),
    ("SG", 0.2, 0.37, 2.8, 2.0, "en"),
    ("SA", 0.02, 0.36, 1.5, 0.8, "en"),
    ("RU", 0.6, 0.36, 1.0, 0.8, "ru"),
    ("NO", 0.55, 0.29, 1.6, 0.8, "nord"),
    ("BR", 0.17, 0.24, 1.2, 0.6, "lat"),
    ("IE", 0.2, 0.2, 2.5, 0.9, "en"),
    ("TR", 0.05, 0.6, 0.8, 0.5, "en"),
    ("PL", 0.05, 0.12, 1.3, 0.5, "lat"),
    ("ZA", 0.4, 0.09, 1.5, 0.3, "en"),
    // Namibia: the code `NA`, which careless CSV readers turn into a missing value.
    ("NA", 0.03, 0.04, 1.5, 0.1, "en"),
];

/// Technology clusters: subclasses with weights.
const CLUSTERS: [(&str, &[(&str, f64)]); 9] = [
    (
        "digital",
        &[
            ("G06F", 30.0),
            ("G06Q", 10.0),
            ("G06N", 8.0),
            ("H04L", 20.0),
            ("H04N", 8.0),
            ("H04W", 5.0),
        ],
    ),
    (
        "wireless",
        &[
            ("H04W", 45.0),
            ("H04L", 30.0),
            ("H04B", 12.0),
            ("H01Q", 4.0),
        ],
    ),
    (
        "semis",
        &[("H01L", 45.0), ("H10K", 5.0), ("G03F", 5.0), ("H05K", 6.0)],
    ),
    (
        "pharma",
        &[
            ("A61K", 40.0),
            ("A61P", 35.0),
            ("C07K", 10.0),
            ("C07D", 12.0),
            ("C12N", 8.0),
        ],
    ),
    (
        "medtech",
        &[
            ("A61B", 35.0),
            ("A61M", 20.0),
            ("A61F", 15.0),
            ("G16H", 8.0),
        ],
    ),
    (
        "energy",
        &[
            ("H01M", 30.0),
            ("H02J", 15.0),
            ("B60L", 12.0),
            ("H02S", 6.0),
            ("F03D", 6.0),
            ("C12P", 4.0),
        ],
    ),
    (
        "vehicles",
        &[
            ("B60W", 15.0),
            ("B60L", 10.0),
            ("B62D", 8.0),
            ("F16H", 10.0),
            ("F02D", 8.0),
        ],
    ),
    (
        "chem",
        &[
            ("C08L", 15.0),
            ("C08K", 10.0),
            ("C09D", 10.0),
            ("B01J", 12.0),
            ("B32B", 10.0),
            ("C12P", 3.0),
        ],
    ),
    (
        "mech",
        &[
            ("B25J", 12.0),
            ("B23K", 10.0),
            ("F16K", 8.0),
            ("B65G", 10.0),
            ("F01D", 8.0),
            ("B29C", 10.0),
        ],
    ),
];

/// Country tilts on clusters (multipliers).
fn tilt(country: &str, cluster: &str) -> f64 {
    match (country, cluster) {
        ("CN", "digital" | "wireless") => 1.5,
        ("US", "pharma" | "medtech" | "digital") => 1.4,
        ("JP", "semis" | "vehicles" | "chem") => 1.4,
        ("KR", "semis" | "wireless" | "energy") => 1.6,
        ("DE", "vehicles" | "mech") => 1.9,
        ("CH" | "BE" | "DK", "pharma") => 1.8,
        ("SE" | "FI", "wireless") => 2.2,
        ("DK", "energy") => 2.5,
        _ => 1.0,
    }
}

/// Main groups and subgroups for a subclass, PATSTAT fixed layout.
fn symbol(rng: &mut Rng, subclass: &str) -> String {
    let (main, sub): (u32, &str) = match subclass {
        "H01M" => *rng.pick(&[
            (8, "04"),
            (8, "02"),
            (8, "1004"),
            (4, "13"),
            (10, "0525"),
            (10, "44"),
            (50, "20"),
            (8, "10"),
            (80, "00"),
        ]),
        "C12P" => *rng.pick(&[
            (7, "06"),
            (7, "065"),
            (7, "64"),
            (7, "649"),
            (7, "10"),
            (19, "02"),
            (21, "02"),
            (1, "00"),
        ]),
        "A61K" => *rng.pick(&[
            (39, "395"),
            (31, "00"),
            (31, "4164"),
            (9, "20"),
            (8, "02"),
            (47, "68"),
            (38, "17"),
        ]),
        "H04W" => *rng.pick(&[
            (72, "04"),
            (4, "00"),
            (24, "02"),
            (56, "001"),
            (74, "08"),
            (88, "02"),
            (36, "14"),
        ]),
        _ => {
            let main = [1, 3, 5, 7, 9, 11, 13, 16, 21, 25, 29, 33, 41, 50][rng.below(14)];
            let sub = [
                "00", "02", "04", "06", "08", "10", "12", "14", "16", "20", "24", "30",
            ][rng.below(12)];
            (main, sub)
        }
    };
    format!("{subclass}{main:>4}/{sub}")
}

const SURNAMES: [(&str, &[&str]); 9] = [
    (
        "en",
        &[
            "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "O'BRIEN", "NGUYEN", "PATEL", "COHEN",
            "MURPHY", "KELLY",
        ],
    ),
    (
        "cn",
        &[
            "WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU",
        ],
    ),
    (
        "jp",
        &[
            "SATO",
            "SUZUKI",
            "TAKAHASHI",
            "TANAKA",
            "WATANABE",
            "ITO",
            "YAMAMOTO",
            "NAKAMURA",
        ],
    ),
    (
        "kr",
        &["KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON"],
    ),
    (
        "de",
        &[
            "MÜLLER",
            "SCHMIDT",
            "SCHNEIDER",
            "FISCHER",
            "WEBER",
            "SCHÄFER",
            "KRÜGER",
            "SCHRÖDER",
        ],
    ),
    (
        "fr",
        &[
            "MARTIN", "BERNARD", "DUBOIS", "LEFÈVRE", "GIRARD", "MOREAU", "D'ARCY",
        ],
    ),
    (
        "nord",
        &[
            "ANDERSSON",
            "JOHANSSON",
            "NIELSEN",
            "VIRTANEN",
            "SØRENSEN",
            "HÄMÄLÄINEN",
            "BJÖRK",
        ],
    ),
    (
        "nl",
        &[
            "DE JONG",
            "JANSEN",
            "DE VRIES",
            "VAN DEN BERG",
            "BAKKER",
            "VISSER",
        ],
    ),
    (
        "lat",
        &[
            "ROSSI",
            "GARCÍA",
            "LÓPEZ",
            "SILVA",
            "NOWAK",
            "PÉREZ",
            "FERNÁNDEZ",
        ],
    ),
];
const GIVEN: [&str; 16] = [
    "Wei",
    "Hiroshi",
    "Min-jun",
    "Jürgen",
    "François",
    "Søren",
    "Maria",
    "John",
    "Priya",
    "Ana",
    "Olga",
    "Lars",
    "Hélène",
    "James",
    "Yuki",
    "Omar",
];
const INDUSTRY: [&str; 10] = [
    "TECHNOLOGIES",
    "ELECTRONICS",
    "PHARMACEUTICALS",
    "THERAPEUTICS",
    "MATERIALS",
    "SYSTEMS",
    "MEDICAL",
    "ENERGY",
    "CHEMICAL",
    "COMMUNICATIONS",
];

fn legal(country: &str) -> &'static [&'static str] {
    match country {
        "US" | "CA" => &["INC.", "CORPORATION", "LLC"],
        "CN" | "KR" => &["CO., LTD."],
        "JP" => &["CORPORATION", "CO., LTD.", "KABUSHIKI KAISHA"],
        "DE" | "AT" | "CH" => &["GMBH", "AG", "GMBH & CO. KG"],
        "FR" | "BE" => &["SAS", "S.A."],
        "GB" | "IE" => &["LIMITED", "PLC"],
        "NL" => &["B.V.", "N.V."],
        "SE" => &["AB", "AB (PUBL)"],
        "DK" | "NO" => &["A/S", "AS"],
        "FI" => &["OY", "OYJ"],
        "IT" => &["S.P.A.", "S.R.L."],
        "RU" => &["OOO"],
        _ => &["LTD", "S.A.", "INC."],
    }
}

/// A made-up word unique to `uid`: three syllables (four from 27,000 on)
/// chosen by a bijection of the index, so that distinct organisations have
/// distinct names, as in real data, without sharing a prefix by country.
fn unique_stem(uid: u64) -> String {
    let (n, space) = if uid < 27_000 {
        (3, 27_000)
    } else {
        (4, 810_000)
    };
    // 7919 is prime and coprime with 30, so this permutes 0..space.
    let mut u = (uid % space * 7919 + 13) % space;
    let mut out = String::new();
    for _ in 0..n {
        out.push_str(SYLLABLES[(u % 30) as usize]);
        u /= 30;
    }
    out
}

fn org_name(rng: &mut Rng, country: &str, uid: u64) -> String {
    let stem = unique_stem(uid);
    let ind = rng.pick(&INDUSTRY);
    let form = *rng.pick(legal(country));
    match (country, rng.below(10)) {
        (_, 0) => format!("UNIVERSITY OF {stem}"),
        (_, 1) => format!("{stem} INSTITUTE OF TECHNOLOGY"),
        ("RU", _) => format!("{form} \"{stem}\""),
        ("US", 2 | 3) => format!("{stem} {ind}, {form}"),
        ("FR", 4) => format!("L'{stem} {ind} {form}"),
        _ => format!("{stem} {ind} {form}"),
    }
}

/// Who a person drawn for an application is.
#[derive(Clone, Copy)]
enum Who {
    Organisation,
    Individual,
    /// Entity `m` of multinational group `g`.
    Member(usize, usize),
}

/// How often each multinational group is drawn (the largest filers first).
const GROUP_WEIGHTS: [f64; 14] = [
    6.0, 5.0, 5.0, 4.0, 4.0, 6.0, 3.0, 4.0, 4.0, 3.0, 2.0, 2.0, 2.0, 3.0,
];

/// Entities of multinational groups (names as their applications write
/// them, and where they are), so that the demo data have subsidiaries to
/// fold into groups (K3). The group of each is in the built-in group table.
const MULTINATIONALS: [(&str, &[(&str, &str)]); 14] = [
    (
        "ROCHE",
        &[
            ("F. HOFFMANN-LA ROCHE AG", "CH"),
            ("GENENTECH, INC.", "US"),
            ("CHUGAI SEIYAKU KABUSHIKI KAISHA", "JP"),
            ("ROCHE DIAGNOSTICS GMBH", "DE"),
            ("HOFFMANN-LA ROCHE INC.", "US"),
        ],
    ),
    (
        "SONY",
        &[
            ("SONY CORPORATION", "JP"),
            ("SONY EUROPE B.V.", "NL"),
            ("SONY ELECTRONICS INC.", "US"),
            ("SONY MOBILE COMMUNICATIONS AB", "SE"),
        ],
    ),
    (
        "SIEMENS",
        &[
            ("SIEMENS AKTIENGESELLSCHAFT", "DE"),
            ("SIEMENS CORPORATION", "US"),
            ("SIEMENS HEALTHCARE GMBH", "DE"),
            ("SIEMENS LTD., CHINA", "CN"),
        ],
    ),
    (
        "UNILEVER",
        &[
            ("UNILEVER PLC", "GB"),
            ("UNILEVER N.V.", "NL"),
            ("CONOPCO, INC., D/B/A UNILEVER", "US"),
            ("HINDUSTAN UNILEVER LIMITED", "IN"),
        ],
    ),
    (
        "ERICSSON",
        &[
            ("TELEFONAKTIEBOLAGET LM ERICSSON (PUBL)", "SE"),
            ("ERICSSON INC.", "US"),
            ("ERICSSON (CHINA) COMMUNICATIONS CO., LTD.", "CN"),
        ],
    ),
    (
        "HUAWEI",
        &[
            ("HUAWEI TECHNOLOGIES CO., LTD.", "CN"),
            ("FUTUREWEI TECHNOLOGIES, INC.", "US"),
            ("HUAWEI TECHNOLOGIES DUESSELDORF GMBH", "DE"),
        ],
    ),
    (
        "BYTEDANCE",
        &[
            ("BEIJING BYTEDANCE NETWORK TECHNOLOGY CO., LTD.", "CN"),
            ("BYTEDANCE INC.", "US"),
            ("TIKTOK PTE. LTD.", "SG"),
        ],
    ),
    (
        "NOVARTIS",
        &[
            ("NOVARTIS AG", "CH"),
            ("NOVARTIS PHARMACEUTICALS CORPORATION", "US"),
            ("SANDOZ AG", "CH"),
        ],
    ),
    (
        "BASF",
        &[
            ("BASF SE", "DE"),
            ("BASF CORPORATION", "US"),
            ("BASF (CHINA) COMPANY LIMITED", "CN"),
        ],
    ),
    (
        "INTEL",
        &[
            ("INTEL CORPORATION", "US"),
            ("INTEL DEUTSCHLAND GMBH", "DE"),
            ("MOBILEYE VISION TECHNOLOGIES LTD.", "IL"),
        ],
    ),
    (
        "ARAMCO",
        &[
            ("SAUDI ARABIAN OIL COMPANY", "SA"),
            ("ARAMCO SERVICES COMPANY", "US"),
        ],
    ),
    (
        "SCHLUMBERGER",
        &[
            ("SCHLUMBERGER TECHNOLOGY CORPORATION", "US"),
            ("SERVICES PETROLIERS SCHLUMBERGER", "FR"),
            ("SCHLUMBERGER CANADA LIMITED", "CA"),
        ],
    ),
    (
        "SABIC",
        &[
            ("SABIC GLOBAL TECHNOLOGIES B.V.", "NL"),
            ("SAUDI BASIC INDUSTRIES CORPORATION", "SA"),
        ],
    ),
    (
        "UC",
        &[("THE REGENTS OF THE UNIVERSITY OF CALIFORNIA", "US")],
    ),
];

/// A spelling variant of an organisation's name, as offices record them.
fn variant(name: &str, k: u32) -> String {
    match k {
        1 => name.replace(",", "").replace('.', ""),
        2 => name
            .replace("CO., LTD.", "COMPANY LIMITED")
            .replace("CORPORATION", "CORP")
            .replace("INC.", "INCORPORATED"),
        _ => format!("THE {name}"),
    }
}

fn person_name(rng: &mut Rng, style: &str) -> String {
    let sur = SURNAMES
        .iter()
        .find(|(s, _)| *s == style)
        .map(|(_, v)| *v)
        .unwrap_or(SURNAMES[0].1);
    format!("{}, {}", rng.pick(sur), rng.pick(&GIVEN))
}

struct Csv {
    w: BufWriter<File>,
}

impl Csv {
    fn create(dir: &Path, name: &str, header: &str) -> Result<Csv> {
        let path = dir.join(format!("{name}.csv"));
        let f = File::create(&path).map_err(|e| EngineError::store(&path, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        writeln!(w, "{header}").map_err(|e| EngineError::store(&path, e))?;
        Ok(Csv { w })
    }

    fn row(&mut self, cells: &[Val<'_>]) -> std::io::Result<()> {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.w.write_all(b",")?;
            }
            match c {
                Val::I(v) => write!(self.w, "{v}")?,
                Val::S(s) => {
                    self.w.write_all(b"\"")?;
                    self.w.write_all(s.replace('"', "\"\"").as_bytes())?;
                    self.w.write_all(b"\"")?;
                }
                Val::D(y, m, d) => write!(self.w, "{y:04}-{m:02}-{d:02}")?,
                Val::Null => {}
            }
        }
        self.w.write_all(b"\n")
    }
}

enum Val<'a> {
    I(i64),
    S(&'a str),
    D(i32, u32, u32),
    Null,
}

/// Days since 1970-01-01 of a date (proleptic Gregorian).
fn days(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

struct Pq {
    w: ArrowWriter<File>,
    schema: SchemaRef,
    cols: Vec<Col>,
    n: usize,
}

enum Col {
    I(Int64Builder),
    S(StringBuilder),
    D(Date32Builder),
}

impl Pq {
    fn create(dir: &Path, name: &str, fields: &[(&str, DataType)]) -> Result<Pq> {
        let schema: SchemaRef = Arc::new(Schema::new(
            fields
                .iter()
                .map(|(n, t)| Field::new(*n, t.clone(), true))
                .collect::<Vec<_>>(),
        ));
        let path = dir.join(format!("{name}.parquet"));
        let f = File::create(&path).map_err(|e| EngineError::store(&path, e))?;
        let props = WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .set_created_by("innoscope synth".to_string())
            .build();
        let cols = fields
            .iter()
            .map(|(_, t)| match t {
                DataType::Int64 => Col::I(Int64Builder::new()),
                DataType::Date32 => Col::D(Date32Builder::new()),
                _ => Col::S(StringBuilder::new()),
            })
            .collect();
        Ok(Pq {
            w: ArrowWriter::try_new(f, schema.clone(), Some(props))?,
            schema,
            cols,
            n: 0,
        })
    }

    fn row(&mut self, cells: &[Val<'_>]) -> Result<()> {
        for (c, v) in self.cols.iter_mut().zip(cells) {
            match (c, v) {
                (Col::I(b), Val::I(x)) => b.append_value(*x),
                (Col::S(b), Val::S(s)) => b.append_value(s),
                (Col::D(b), Val::D(y, m, d)) => b.append_value(days(*y, *m, *d)),
                (Col::I(b), _) => b.append_null(),
                (Col::S(b), _) => b.append_null(),
                (Col::D(b), _) => b.append_null(),
            }
        }
        self.n += 1;
        if self.n >= 64 * 1024 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.n == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self
            .cols
            .iter_mut()
            .map(|c| -> ArrayRef {
                match c {
                    Col::I(b) => Arc::new(b.finish()),
                    Col::S(b) => Arc::new(b.finish()),
                    Col::D(b) => Arc::new(b.finish()),
                }
            })
            .collect();
        self.w
            .write(&RecordBatch::try_new(self.schema.clone(), arrays)?)?;
        self.n = 0;
        Ok(())
    }

    fn close(mut self) -> Result<()> {
        self.flush()?;
        self.w.close()?;
        Ok(())
    }
}

/// One table written as CSV and Parquet side by side.
struct Out {
    csv: Csv,
    pq: Option<Pq>,
}

impl Out {
    fn row(&mut self, cells: &[Val<'_>]) -> Result<()> {
        self.csv
            .row(cells)
            .map_err(|e| EngineError::store("synth output", e))?;
        if let Some(pq) = &mut self.pq {
            pq.row(cells)?;
        }
        Ok(())
    }

    fn close(mut self) -> Result<()> {
        self.csv
            .w
            .flush()
            .map_err(|e| EngineError::store("synth output", e))?;
        if let Some(pq) = self.pq {
            pq.close()?;
        }
        Ok(())
    }
}

/// What was generated.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct SynthSummary {
    pub applications: u64,
    pub pct_applications: u64,
    pub persons: u64,
    pub person_links: u64,
    pub ipc_rows: u64,
}

/// Options of the generator.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    pub apps: u64,
    pub seed: u64,
    /// Also write Parquet (`.parquet` beside each `.csv`).
    pub parquet: bool,
    /// Percentage of applications that are PCT (authority WO); the rest are national.
    pub pct_percent: u8,
    /// Multiplier of the rate of international co-applications (1 = realistic,
    /// about 5% of PCT applications); demos raise it so that a small sample
    /// still has field networks above the report's threshold.
    pub intl_factor: f64,
}

/// Write the four tables into `dir` (created if missing). Files are written
/// under temporary names and renamed when complete.
pub fn patstat(dir: &Path, opts: &SynthOptions) -> Result<SynthSummary> {
    std::fs::create_dir_all(dir).map_err(|e| EngineError::store(dir, e))?;
    let tmp = dir.join(format!(".synth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| EngineError::store(&tmp, e))?;
    let result = generate(&tmp, opts);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
        return result;
    }
    let entries: Vec<_> = std::fs::read_dir(&tmp)
        .map_err(|e| EngineError::store(&tmp, e))?
        .flatten()
        .map(|e| e.path())
        .collect();
    for p in entries {
        let target = dir.join(p.file_name().unwrap_or_default());
        std::fs::rename(&p, &target).map_err(|e| EngineError::store(&target, e))?;
    }
    let _ = std::fs::remove_dir(&tmp);
    result
}

fn generate(dir: &Path, opts: &SynthOptions) -> Result<SynthSummary> {
    use DataType::{Date32, Int64, Utf8};
    let mk = |name: &str, fields: &[(&str, DataType)]| -> Result<Out> {
        let header: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        Ok(Out {
            csv: Csv::create(dir, name, &header.join(","))?,
            pq: if opts.parquet {
                Some(Pq::create(dir, name, fields)?)
            } else {
                None
            },
        })
    };
    let mut t201 = mk(
        "tls201_appln",
        &[
            ("appln_id", Int64),
            ("appln_auth", Utf8),
            ("appln_nr", Utf8),
            ("appln_kind", Utf8),
            ("appln_filing_date", Date32),
            ("appln_filing_year", Int64),
            ("docdb_family_id", Int64),
        ],
    )?;
    let mut t206 = mk(
        "tls206_person",
        &[
            ("person_id", Int64),
            ("person_name", Utf8),
            ("person_ctry_code", Utf8),
        ],
    )?;
    let mut t207 = mk(
        "tls207_pers_appln",
        &[
            ("person_id", Int64),
            ("appln_id", Int64),
            ("applt_seq_nr", Int64),
            ("invt_seq_nr", Int64),
        ],
    )?;
    let mut t209 = mk(
        "tls209_appln_ipc",
        &[
            ("appln_id", Int64),
            ("ipc_class_symbol", Utf8),
            ("ipc_class_level", Utf8),
            ("ipc_version", Date32),
            ("ipc_value", Utf8),
            ("ipc_position", Utf8),
            ("ipc_gener_auth", Utf8),
        ],
    )?;
    let mut rng = Rng::new(opts.seed);
    let n = opts.apps;
    let pool_org: Vec<usize> = COUNTRIES
        .iter()
        .map(|c| {
            ((n as f64 / 30.0) * (c.1 + 2.0 * c.2) / 300.0)
                .round()
                .max(20.0) as usize
        })
        .collect();
    let pool_ind: Vec<usize> = COUNTRIES
        .iter()
        .map(|c| {
            ((n as f64 * 1.2) * (c.1 + 2.0 * c.2) / 300.0)
                .round()
                .max(40.0) as usize
        })
        .collect();
    // (country, kind 0 = organisation / 1 = individual, index, variant) -> person id.
    let mut persons: HashMap<(u8, u8, u32, u8), i64> = HashMap::new();
    let mut org_names: HashMap<(u8, u32), String> = HashMap::new();
    let mut next_person: i64 = 1;
    let mut s = SynthSummary::default();
    let partner_w: Vec<f64> = COUNTRIES.iter().map(|c| c.4).collect();
    let mean_mult: f64 = COUNTRIES.iter().map(|c| c.3 * c.2).sum::<f64>()
        / COUNTRIES.iter().map(|c| c.2).sum::<f64>();
    let nat_auth = ["CN", "US", "JP", "KR", "EP", "DE", "GB", "FR", "IN", "CA"];
    let mut person_of =
        |rng: &mut Rng, t206: &mut Out, s: &mut SynthSummary, c: usize, who: Who| -> Result<i64> {
            let org = match who {
                Who::Member(g, m) => {
                    let (name, code) = MULTINATIONALS[g].1[m];
                    let var = if rng.below(10) == 0 {
                        1 + rng.below(3) as u8
                    } else {
                        0
                    };
                    let key = (c as u8, 2u8, (g * 16 + m) as u32, var);
                    if let Some(id) = persons.get(&key) {
                        return Ok(*id);
                    }
                    let id = next_person;
                    next_person += 1;
                    persons.insert(key, id);
                    let name = if var == 0 {
                        name.to_string()
                    } else {
                        variant(name, var as u32)
                    };
                    t206.row(&[Val::I(id), Val::S(&name), Val::S(code)])?;
                    s.persons += 1;
                    return Ok(id);
                }
                Who::Organisation => true,
                Who::Individual => false,
            };
            let (pool, kind) = if org {
                (pool_org[c], 0u8)
            } else {
                (pool_ind[c], 1u8)
            };
            // Skewed choice: a few organisations file much of a country's output.
            let u = rng.f64();
            let idx = if org {
                (u * u * u * pool as f64) as u32
            } else {
                (u.powf(1.3) * pool as f64) as u32
            };
            let var = if org && rng.below(10) == 0 {
                1 + rng.below(3) as u8
            } else {
                0
            };
            let key = (c as u8, kind, idx, var);
            if let Some(id) = persons.get(&key) {
                return Ok(*id);
            }
            let id = next_person;
            next_person += 1;
            persons.insert(key, id);
            let (code, .., style) = COUNTRIES[c];
            let name = if org {
                let base = org_names
                    .entry((c as u8, idx))
                    .or_insert_with(|| {
                        org_name(
                            &mut Rng::new(opts.seed ^ ((c as u64) << 40) ^ idx as u64),
                            code,
                            idx as u64 * 30 + c as u64,
                        )
                    })
                    .clone();
                if var == 0 {
                    base
                } else {
                    variant(&base, var as u32)
                }
            } else {
                person_name(rng, style)
            };
            // 3% of persons have no country, as in PATSTAT.
            let ctry = if rng.below(100) < 3 {
                Val::Null
            } else {
                Val::S(code)
            };
            t206.row(&[Val::I(id), Val::S(&name), ctry])?;
            s.persons += 1;
            Ok(id)
        };
    let share_w: Vec<Vec<f64>> = (0..PCT_VOLUME.len())
        .map(|yi| {
            let t = (yi as f64 / 20.0).min(1.1);
            COUNTRIES
                .iter()
                .map(|c| c.1.max(0.005).powf(1.0 - t) * c.2.max(0.005).powf(t))
                .collect()
        })
        .collect();
    let mut ipc_rows: Vec<String> = Vec::with_capacity(8);
    for appln_id in 1..=n as i64 {
        let yi = rng.weighted(&PCT_VOLUME);
        let year = FIRST_YEAR + yi as i32;
        let pct = rng.below(100) < opts.pct_percent as usize;
        let c0 = rng.weighted(&share_w[yi]);
        let auth = if pct {
            "WO"
        } else {
            nat_auth[rng.below(nat_auth.len())]
        };
        let (m, d) = (1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let nr = format!("{year}{appln_id:09}");
        t201.row(&[
            Val::I(appln_id),
            Val::S(auth),
            Val::S(&nr),
            Val::S(if pct { "W" } else { "A" }),
            Val::D(year, m, d),
            Val::I(year.into()),
            Val::I(appln_id + 500_000_000),
        ])?;
        s.applications += 1;
        if pct {
            s.pct_applications += 1;
        }
        // Countries of the applicants.
        let mut ctrys = vec![c0];
        let rate = if pct { 0.05 } else { 0.02 } * COUNTRIES[c0].3 / mean_mult * opts.intl_factor;
        if rng.f64() < rate {
            let extra = if rng.below(100) < 85 { 1 } else { 2 };
            for _ in 0..extra {
                let mut w = partner_w.clone();
                for c in &ctrys {
                    w[*c] = 0.0;
                }
                ctrys.push(rng.weighted(&w));
            }
        }
        // A quarter of the international co-applications join entities of
        // one multinational group in two of its economies (intra-group, K3).
        let mut group = 0;
        let mut members: Vec<usize> = Vec::new();
        if ctrys.len() >= 2 && rng.below(100) < 25 {
            group = rng.weighted(&GROUP_WEIGHTS);
            let ms = MULTINATIONALS[group].1;
            let a = rng.below(ms.len());
            let others: Vec<usize> = (0..ms.len()).filter(|&j| ms[j].1 != ms[a].1).collect();
            let b = (!others.is_empty()).then(|| others[rng.below(others.len())]);
            let at = |m: usize| {
                COUNTRIES
                    .iter()
                    .position(|x| x.0 == ms[m].1)
                    .expect("multinationals are located in the generator's economies")
            };
            match b {
                Some(b) => {
                    ctrys[0] = at(a);
                    ctrys[1] = at(b);
                    members = vec![a, b];
                }
                // One-economy group (a university): a partner of the first applicant.
                None if ctrys[0] != at(a) => {
                    ctrys[1] = at(a);
                    members = vec![usize::MAX, a];
                }
                None => {}
            }
            if ctrys.len() > 2 && ctrys[2] == ctrys[0] || ctrys.len() > 2 && ctrys[2] == ctrys[1] {
                ctrys.truncate(2);
            }
        }
        let members: Vec<usize> = members;
        let n_appl = ctrys.len().max([1, 1, 1, 2, 2, 3, 4][rng.below(7)]);
        let mut seen: Vec<i64> = Vec::with_capacity(12);
        let mut seq = 0;
        for k in 0..n_appl {
            let c = if k < ctrys.len() {
                ctrys[k]
            } else {
                ctrys[rng.below(ctrys.len())]
            };
            let org = rng.below(100) < 85;
            let who = match members.get(k) {
                Some(&m) if m != usize::MAX => Who::Member(group, m),
                _ if org => Who::Organisation,
                _ => Who::Individual,
            };
            let pid = person_of(&mut rng, &mut t206, &mut s, c, who)?;
            if seen.contains(&pid) {
                continue;
            }
            seen.push(pid);
            seq += 1;
            // Individual applicants are usually also the inventors.
            let invt = if org { 0 } else { seq };
            t207.row(&[Val::I(pid), Val::I(appln_id), Val::I(seq), Val::I(invt)])?;
            s.person_links += 1;
        }
        let n_inv = 1 + rng.below(6);
        let mut iseq = 0;
        for _ in 0..n_inv {
            let c = ctrys[rng.below(ctrys.len())];
            let pid = person_of(&mut rng, &mut t206, &mut s, c, Who::Individual)?;
            if seen.contains(&pid) {
                continue;
            }
            seen.push(pid);
            iseq += 1;
            t207.row(&[Val::I(pid), Val::I(appln_id), Val::I(0), Val::I(iseq)])?;
            s.person_links += 1;
        }
        // Classification: a cluster tilted by the first country.
        let cw: Vec<f64> = CLUSTERS
            .iter()
            .map(|(name, _)| tilt(COUNTRIES[c0].0, name))
            .collect();
        let (_, subs) = CLUSTERS[rng.weighted(&cw)];
        let sw: Vec<f64> = subs.iter().map(|(_, w)| *w).collect();
        let n_ipc = 1 + [0, 0, 1, 1, 2, 2, 3, 4, 5, 7][rng.below(10)];
        ipc_rows.clear();
        for _ in 0..n_ipc {
            let sub = subs[rng.weighted(&sw)].0;
            let sym = symbol(&mut rng, sub);
            if !ipc_rows.contains(&sym) {
                ipc_rows.push(sym);
            }
        }
        for (i, sym) in ipc_rows.iter().enumerate() {
            t209.row(&[
                Val::I(appln_id),
                Val::S(sym),
                Val::S("A"),
                Val::D(2006, 1, 1),
                Val::S(if i == 0 { "I" } else { "N" }),
                Val::S(if i == 0 { "F" } else { "L" }),
                Val::S("EP"),
            ])?;
            s.ipc_rows += 1;
        }
    }
    for t in [t201, t206, t207, t209] {
        t.close()?;
    }
    Ok(s)
}

/// A name with its true identity, for measuring a harmoniser.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledName {
    pub name: String,
    pub country: Option<String>,
    /// The true organisation or person.
    pub truth: String,
    pub person: bool,
}

const SYLLABLES: [&str; 30] = [
    "KOR", "VA", "TEL", "MI", "RO", "SAN", "DEL", "TA", "LU", "NEX", "BRI", "GO", "FEN", "OR",
    "CA", "ZU", "LIN", "PRA", "DO", "VEX", "AL", "MEN", "TRI", "SO", "QUI", "BER", "NA", "HOL",
    "IS", "WEN",
];

/// A spelling variant as offices, databases and users write organisation
/// names: punctuation, case, legal forms, abbreviations, truncation, typos.
fn org_variant(rng: &mut Rng, base: &str, stem: &str, country: &str) -> String {
    let forms = legal(country);
    match rng.below(12) {
        0 => base.to_string(),
        1..=3 => variant(base, rng.below(3) as u32 + 1),
        4 => base
            .split(' ')
            .map(|w| {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f.to_string() + &c.as_str().to_lowercase(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        5 => {
            let cur = forms.iter().find(|f| base.ends_with(*f));
            match cur {
                Some(f) => format!("{}{}", &base[..base.len() - f.len()], rng.pick(forms)),
                None => base.to_string(),
            }
        }
        6 => match forms.iter().find(|f| base.ends_with(*f)) {
            Some(f) => base[..base.len() - f.len()]
                .trim_end_matches([' ', ','])
                .to_string(),
            None => base.to_string(),
        },
        7 => base
            .replace("TECHNOLOGIES", "TECH")
            .replace("PHARMACEUTICALS", "PHARMA")
            .replace("SYSTEMS", "SYS")
            .replace("CHEMICAL", "CHEM")
            .replace("MEDICAL", "MED")
            .replace("COMMUNICATIONS", "COMM"),
        8 if base.chars().count() > 30 => base.chars().take(30).collect(),
        9 => {
            // One letter of the name's distinctive word mistyped.
            let mut chars: Vec<char> = stem.chars().collect();
            if chars.len() >= 6 {
                let i = 2 + rng.below(chars.len() - 2);
                chars[i] = if chars[i] == 'E' { 'A' } else { 'E' };
            }
            let typo: String = chars.into_iter().collect();
            base.replacen(stem, &typo, 1)
        }
        10 => base.to_lowercase(),
        _ => base.replace(", ", " ").replace(". ", " "),
    }
}

/// A labelled set of applicant names: `orgs` organisations with one to six
/// spellings each and `persons` individuals with one to three, spread over
/// the generator's economies (5% of rows without a country). Deterministic
/// in `seed`. Organisations have distinct names (invented words, so some
/// are a letter apart, as real names are); persons are distinct by name and
/// country. Fewer are made when the name space runs out (about 8 million
/// organisations, 30,000 persons).
pub fn name_eval_set(seed: u64, orgs: usize, persons: usize) -> Vec<LabelledName> {
    let mut rng = Rng::new(seed ^ 0x6e61_6d65);
    let weights: Vec<f64> = COUNTRIES.iter().map(|c| c.2 + 0.5).collect();
    let mut out = Vec::new();
    let mut used = std::collections::HashSet::new();
    let mut made = 0;
    let mut tries = 0;
    while made < orgs && tries < orgs * 50 {
        tries += 1;
        // Two or three syllables; four more for sets beyond 100,000
        // organisations (the space of shorter names runs out).
        let n_syl = 2 + rng.below(if made < 100_000 { 2 } else { 3 });
        let stem: String = (0..n_syl).map(|_| *rng.pick(&SYLLABLES)).collect();
        let c = rng.weighted(&weights);
        let code = COUNTRIES[c].0;
        let ind = rng.pick(&INDUSTRY);
        if !used.insert(format!("{stem} {ind}")) {
            continue;
        }
        let form = rng.pick(legal(code));
        let base = match rng.below(10) {
            0 => format!("UNIVERSITY OF {stem}"),
            1 => format!("{stem} {ind}, {form}"),
            _ => format!("{stem} {ind} {form}"),
        };
        let truth = format!("org{made:05}");
        let n_var = 1 + [0, 0, 1, 1, 2, 3, 5][rng.below(7)];
        for _ in 0..n_var {
            let name = org_variant(&mut rng, &base, &stem, code);
            let country = (rng.below(100) >= 5).then(|| code.to_string());
            out.push(LabelledName {
                name,
                country,
                truth: truth.clone(),
                person: false,
            });
        }
        made += 1;
    }
    let mut made = 0;
    let mut tries = 0;
    while made < persons && tries < persons * 50 {
        tries += 1;
        let c = rng.weighted(&weights);
        let (code, .., style) = COUNTRIES[c];
        let sur = SURNAMES
            .iter()
            .find(|(s, _)| *s == style)
            .map(|(_, v)| *v)
            .unwrap_or(SURNAMES[0].1);
        let (s, g) = (*rng.pick(sur), *rng.pick(&GIVEN));
        if !used.insert(format!("{s}|{g}|{code}")) {
            continue;
        }
        let truth = format!("person{made:05}");
        let n_var = 1 + [0, 0, 1, 2][rng.below(4)];
        for _ in 0..n_var {
            let name = match rng.below(5) {
                0 => format!("{s}, {g}"),
                1 => format!("{s} {}", g.to_uppercase()),
                2 => format!("{s}, {g} {}.", (b'A' + rng.below(26) as u8) as char),
                3 => format!("{g} {s}"),
                _ => format!("{s}, {}", g.to_uppercase()),
            };
            out.push(LabelledName {
                name,
                country: Some(code.to_string()),
                truth: truth.clone(),
                person: true,
            });
        }
        made += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(days(2000, 3, 1), 11_017);
        assert_eq!(days(2024, 1, 1), 19_723);
    }

    #[test]
    fn organisation_stems_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for uid in (0..27_000).chain(27_000..60_000) {
            assert!(seen.insert(unique_stem(uid)), "stem of {uid} repeats");
        }
    }

    #[test]
    fn deterministic_and_well_formed() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let o = SynthOptions {
            apps: 20_000,
            seed: 7,
            parquet: true,
            pct_percent: 40,
            intl_factor: 1.0,
        };
        let sa = patstat(a.path(), &o).unwrap();
        patstat(b.path(), &o).unwrap();
        for f in [
            "tls201_appln.csv",
            "tls206_person.csv",
            "tls207_pers_appln.csv",
            "tls209_appln_ipc.csv",
            "tls201_appln.parquet",
        ] {
            assert_eq!(
                std::fs::read(a.path().join(f)).unwrap(),
                std::fs::read(b.path().join(f)).unwrap(),
                "{f}"
            );
        }
        assert_eq!(sa.applications, 20_000);
        assert!(sa.pct_applications > 7_500 && sa.pct_applications < 8_500);
        let ipc = std::fs::read_to_string(a.path().join("tls209_appln_ipc.csv")).unwrap();
        assert!(ipc.contains("\"H01M   8/"), "fixed-layout spaces kept");
        let people = std::fs::read_to_string(a.path().join("tls206_person.csv")).unwrap();
        assert!(people.contains(",\"NA\"\n"), "Namibia present");
        assert!(
            people.lines().any(|l| l.ends_with(',')),
            "unknown countries present"
        );
    }
}
