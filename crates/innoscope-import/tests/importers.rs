//! Importers on the real files in `../shared/data` and on fixtures of the
//! formats without a public sample, plus the malformed inputs users meet.

use std::path::{Path, PathBuf};

use innoscope_core::Observation;
use innoscope_import::{Format, ImportOptions, ImportSummary, read_bytes, read_file};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(path: &Path, format: Format) -> (ImportSummary, Vec<Observation>) {
    let mut obs = Vec::new();
    let s = read_file(
        path,
        format,
        &ImportOptions::default(),
        &mut obs,
        &innoscope_import::NoProgress,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (s, obs)
}

fn value(obs: &[Observation], indicator: &str, economy: &str, year: i32) -> f64 {
    obs.iter()
        .find(|o| o.indicator == indicator && o.economy == economy && o.year == year)
        .unwrap_or_else(|| panic!("no {indicator} {economy} {year}"))
        .value
}

fn text(
    bytes: &str,
    format: Format,
) -> Result<(ImportSummary, Vec<Observation>), innoscope_import::ImportError> {
    let mut obs = Vec::new();
    let opts = ImportOptions {
        indicator: Some("X.TEST".into()),
        ..Default::default()
    };
    read_bytes(
        Path::new("input.csv"),
        bytes.as_bytes(),
        format,
        &opts,
        &mut obs,
    )
    .map(|s| (s, obs))
}

#[test]
fn wdi_long_real_file() {
    let (s, obs) = read(&shared("wdi/gb.xpd.rsdv.gd.zs.csv"), Format::WdiLong);
    assert_eq!(s.rows_read, 3198);
    assert!(s.rejected.is_empty(), "{:?}", s.rejected);
    assert!(s.unknown_economies.is_empty(), "{:?}", s.unknown_economies);
    assert_eq!(s.series[0].indicator, "GB.XPD.RSDV.GD.ZS");
    assert_eq!(s.series[0].licence, "CC BY 4.0");
    // Values checked against the file by hand (ANALYSES.md data notes: Korea 4.36, Israel 5.36).
    assert!((value(&obs, "GB.XPD.RSDV.GD.ZS", "KOR", 2019) - 4.36).abs() < 0.01);
    assert!((value(&obs, "GB.XPD.RSDV.GD.ZS", "ISR", 2019) - 5.36).abs() < 0.01);
    // Aggregates keep their World Bank codes.
    assert!(obs.iter().any(|o| o.economy == "WLD"));
}

#[test]
fn wdi_wide_fixture_with_bom_crlf_and_trailing_comma() {
    let (s, obs) = read(
        &fixture("API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_123.csv"),
        Format::WdiWide,
    );
    assert_eq!(s.rows_read, 3);
    assert_eq!(s.missing_values, 1);
    assert_eq!(obs.len(), 8);
    assert_eq!(value(&obs, "GB.XPD.RSDV.GD.ZS", "KOR", 2020), 4.80);
    assert_eq!(s.series[0].vintage, "2026-07-01");
    assert_eq!(
        Format::detect(
            &std::fs::read(fixture("API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_123.csv")).unwrap()
        ),
        Some(Format::WdiWide)
    );
}

#[test]
fn wb_api_json_fixture() {
    let (s, obs) = read(&fixture("wb_api.json"), Format::WbApiJson);
    assert_eq!(s.rows_read, 3);
    assert_eq!(s.missing_values, 1);
    assert_eq!(value(&obs, "NY.GDP.MKTP.CD", "CHN", 2020), 14687673892882.0);
    assert_eq!(s.series[0].vintage, "2026-07-01");
}

#[test]
fn ncses_pct_real_file() {
    let (s, obs) = read(
        &shared("ncses/tidy/pct_applications_by_country_sector_2000_2022.csv"),
        Format::Ncses,
    );
    assert!(
        s.rejected.is_empty(),
        "{:?}",
        &s.rejected[..s.rejected.len().min(3)]
    );
    assert!(s.unknown_economies.is_empty(), "{:?}", s.unknown_economies);
    // PROVENANCE: China 2010 = 8,429, 2020 = 60,225; US 2020 = 61,473.
    assert_eq!(value(&obs, "NCSES.PCT.APPL", "CHN", 2010), 8429.0);
    assert_eq!(value(&obs, "NCSES.PCT.APPL", "CHN", 2020), 60225.0);
    assert_eq!(value(&obs, "NCSES.PCT.APPL", "USA", 2020), 61473.0);
    assert!(value(&obs, "NCSES.PCT.APPL", "OFF.EPO", 2020) > 0.0);
    assert!(!s.notes.is_empty(), "the receiving-office caveat is stated");
}

#[test]
fn ncses_gerd_real_file() {
    let (s, obs) = read(
        &shared("ncses/tidy/gerd_74_economies_2019_or_latest_SEI2022.csv"),
        Format::Ncses,
    );
    assert!(s.unknown_economies.is_empty(), "{:?}", s.unknown_economies);
    // The 2021 vintage the report printed: Israel 4.93 %, Korea 4.64 %.
    assert_eq!(value(&obs, "NCSES.GERD.GDP.PCT", "ISR", 2019), 4.93);
    assert_eq!(value(&obs, "NCSES.GERD.GDP.PCT", "KOR", 2019), 4.64);
    assert_eq!(value(&obs, "NCSES.GERD.PPP", "USA", 2019), 668351.2);
}

#[test]
fn unctad_real_files_with_hierarchy() {
    let (s, obs) = read(
        &shared("unctad-wir2022/WIR2022_annex_tab01_fdi_inflows.csv"),
        Format::UnctadWir,
    );
    assert!(s.unknown_economies.is_empty(), "{:?}", s.unknown_economies);
    // PROVENANCE: World 2019 = 1,480,626; 2020 = 963,139; China 2020 = 149,342; US 2020 = 150,828.
    assert!((value(&obs, "UNCTAD.FDI.IN", "WLD", 2020) - 963_138.542_4).abs() < 1e-6);
    assert!((value(&obs, "UNCTAD.FDI.IN", "CHN", 2020) - 149_342.0).abs() < 1.0);
    assert!((value(&obs, "UNCTAD.FDI.IN", "USA", 2020) - 150_828.0).abs() < 1.0);
    assert!(obs.iter().any(|o| o.economy == "UN.DEV"));
    assert!(obs.iter().any(|o| o.economy == "UN.DVG.ASI"));
    let (s2, obs2) = read(
        &shared("unctad-wir2022/WIR2022_annex_tab02_fdi_outflows.csv"),
        Format::UnctadWir,
    );
    assert!(
        s2.unknown_economies.is_empty(),
        "{:?}",
        s2.unknown_economies
    );
    assert!(
        s2.notes.iter().any(|n| n.contains("level 1")),
        "the repaired hierarchy is reported"
    );
    assert!(
        obs2.iter()
            .any(|o| o.economy == "UN.DEV" && o.indicator == "UNCTAD.FDI.OUT")
    );
}

#[test]
fn oecd_sdmx_fixture() {
    let (s, obs) = read(&fixture("oecd_msti.csv"), Format::OecdSdmx);
    assert_eq!(s.rows_read, 4);
    assert_eq!(s.missing_values, 1);
    let ind = &s.series[0].indicator;
    assert_eq!(ind, "OECD.DF_MSTI.A.G.USD_PPP.Q");
    assert_eq!(value(&obs, ind, "KOR", 2020), 95320.1);
    assert_eq!(value(&obs, ind, "OED", 2020), 1_500_000.0);
    assert!(s.series[0].unit.contains("10^6"));
    // The series keeps its dimension codes (the analyses choose by them).
    let dims: Vec<(&str, &str)> = s.series[0]
        .dims
        .iter()
        .map(|d| (d.id.as_str(), d.code.as_str()))
        .collect();
    assert_eq!(
        dims,
        [
            ("FREQ", "A"),
            ("MEASURE", "G"),
            ("UNIT_MEASURE", "USD_PPP"),
            ("PRICE_BASE", "Q")
        ]
    );
    assert_eq!(s.series[0].dims[3].label, "Constant prices");
}

#[test]
fn oecd_co_inventor_fixture_finds_areas_by_label_and_code() {
    let (s, obs) = read(&fixture("oecd_patents_coinventor.csv"), Format::OecdSdmx);
    assert!(s.unknown_economies.is_empty(), "{:?}", s.unknown_economies);
    let world = "OECD.DF_PATENTS_COINVENTOR.9P50_1.A.AP.PATN.PRIORITY.W.INVENTOR";
    // `W` has no registry code: its label "World" finds WLD; `EU27_2020`
    // is a source name of the EU.
    assert_eq!(value(&obs, world, "WLD", 2020), 20000.0);
    assert_eq!(value(&obs, world, "EUU", 2020), 7000.0);
    let partner = s
        .series
        .iter()
        .find(|m| m.indicator.ends_with(".PATN.PRIORITY.DEU.INVENTOR"))
        .unwrap();
    assert!(
        partner
            .dims
            .iter()
            .any(|d| d.id == "COUNTERPART_AREA" && d.code == "DEU" && d.label == "Germany")
    );
}

#[test]
fn wipo_fixture_with_historical_codes() {
    let (s, obs) = read(&fixture("wipo_pct_by_origin.csv"), Format::Wipo);
    assert_eq!(s.rows_read, 4);
    assert!(s.unknown_economies.is_empty(), "{:?}", s.unknown_economies);
    assert_eq!(s.series[0].vintage, "March 2025");
    assert!(s.series[0].licence.contains("not redistributable"));
    let ind = &s.series[0].indicator;
    assert_eq!(value(&obs, ind, "CHN", 2020), 68720.0);
    assert_eq!(
        s.missing_values, 3,
        "Soviet Union row: empty cells are no data"
    );
    assert!(!Format::Wipo.redistributable());
}

#[test]
fn tidy_fixture() {
    let (s, obs) = read(&fixture("tidy.csv"), Format::Tidy);
    assert_eq!(obs.len(), 3);
    assert_eq!(value(&obs, "VISA.ISSUED", "KOR", 2020), 350000.0);
    assert_eq!(s.series[0].licence, "Public domain");
}

#[test]
fn detects_formats_from_headers() {
    for (path, f) in [
        (shared("wdi/ny.gdp.mktp.cd.csv"), Format::WdiLong),
        (
            shared("ncses/tidy/gerd_74_economies_2019_or_latest_SEI2022.csv"),
            Format::Ncses,
        ),
        (
            shared("unctad-wir2022/WIR2022_annex_tab01_fdi_inflows.csv"),
            Format::UnctadWir,
        ),
        (fixture("wb_api.json"), Format::WbApiJson),
        (fixture("oecd_msti.csv"), Format::OecdSdmx),
        (fixture("wipo_pct_by_origin.csv"), Format::Wipo),
        (fixture("tidy.csv"), Format::Tidy),
    ] {
        assert_eq!(
            Format::detect(&std::fs::read(&path).unwrap()),
            Some(f),
            "{}",
            path.display()
        );
    }
}

// --- malformed inputs -------------------------------------------------------

#[test]
fn empty_file_is_an_error() {
    let e = text("", Format::WdiLong).unwrap_err();
    assert!(e.to_string().contains("input.csv: file is empty"), "{e}");
    let e = text("Country Name,Country Code,Year,Value\n", Format::WdiLong).unwrap_err();
    assert!(e.to_string().contains("no data rows"), "{e}");
}

#[test]
fn wrong_header_names_line_and_column() {
    let e = text(
        "Country,Code,Year,Value\nChina,CHN,2020,1\n",
        Format::WdiLong,
    )
    .unwrap_err();
    assert_eq!(e.line, Some(1));
    assert!(
        e.to_string()
            .contains("column 1 is `Country`, expected `Country Name`"),
        "{e}"
    );
    assert!(
        e.hint
            .as_deref()
            .unwrap_or("")
            .contains("Country Name,Country Code,Year,Value")
    );
}

#[test]
fn text_in_number_column_is_rejected_with_line_and_field() {
    let (s, obs) = text(
        "Country Name,Country Code,Year,Value\nChina,CHN,2019,1.5\nChina,CHN,2020,n/a?\n",
        Format::WdiLong,
    )
    .unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(s.rejected.len(), 1);
    assert_eq!(
        s.rejected[0].to_string(),
        "input.csv:3: field \"Value\": `n/a?` is not a number"
    );
}

#[test]
fn duplicate_economy_year_is_rejected() {
    let (s, _) = text(
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1\nChina,CHN,2020,2\n",
        Format::WdiLong,
    )
    .unwrap();
    assert_eq!(s.rejected.len(), 1);
    assert!(s.rejected[0].to_string().contains(
        "input.csv:3: field \"Value\": duplicate value for X.TEST / CHN / 2020 (first on line 2)"
    ));
}

#[test]
fn unknown_economy_is_listed_with_lines() {
    let (s, obs) = text("Country Name,Country Code,Year,Value\nAtlantis,ATL,2020,1\nAtlantis,ATL,2021,1\nChina,CHN,2020,1\n", Format::WdiLong).unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(s.unknown_economies["ATL"], vec![2, 3]);
    assert_eq!(
        s.unknown_economy_lines(),
        vec!["input.csv: unknown economy `ATL` on line(s) 2, 3".to_string()]
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let (s, obs) = text(
        "\u{feff}Country Name,Country Code,Year,Value\r\nChina,CHN,2020,1\r\nJapan,JPN,2020,2\r\n",
        Format::WdiLong,
    )
    .unwrap();
    assert_eq!((s.rows_read, obs.len()), (2, 2));
}

#[test]
fn line_numbers_are_right_for_every_line_end_style() {
    for nl in ["\n", "\r\n", "\r"] {
        let text = [
            "Country Name,Country Code,Year,Value",
            "China,CHN,2020,1",
            "Atlantis,ATL,2020,1",
            "Japan,JPN,2020,abc",
            "",
        ]
        .join(nl);
        let (s, _) = text_ok(&text);
        assert_eq!(s.unknown_economies["ATL"], vec![3], "{nl:?}");
        assert_eq!(s.rejected[0].line, 4, "{nl:?}");
    }
}

fn text_ok(t: &str) -> (ImportSummary, Vec<Observation>) {
    text(t, Format::WdiLong).unwrap()
}

#[test]
fn cr_only_line_ends_are_accepted() {
    let (_, obs) = text(
        "Country Name,Country Code,Year,Value\rChina,CHN,2020,1\rJapan,JPN,2020,2\r",
        Format::WdiLong,
    )
    .unwrap();
    assert_eq!(obs.len(), 2);
}

#[test]
fn truncated_last_line_is_rejected() {
    let (s, obs) = text(
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,1\nJapan,JPN",
        Format::WdiLong,
    )
    .unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(s.rejected[0].line, 3);
    assert!(s.rejected[0].reason.contains("expected 4 fields, found 2"));
}

#[test]
fn unctad_needs_to_know_the_flow() {
    let mut obs = Vec::new();
    let e = read_bytes(
        Path::new("fdi.csv"),
        b"level,type,Region/economy,2020\n1,region,World,1\n",
        Format::UnctadWir,
        &ImportOptions::default(),
        &mut obs,
    )
    .unwrap_err();
    assert!(e.hint.unwrap().contains("--indicator UNCTAD.FDI.IN"));
}

#[test]
fn unctadstat_ict_goods_fixture() {
    let (s, obs) = read(&fixture("unctadstat_ict_goods.csv"), Format::UnctadStat);
    assert_eq!(s.rows_read, 74);
    assert_eq!(s.missing_values, 1);
    assert_eq!(s.unknown_economies["Atlantis"], vec![74]);
    assert_eq!(value(&obs, "UNCTAD.ICT.EXP", "CHN", 2020), 720_800_000.0);
    assert_eq!(value(&obs, "UNCTAD.ICT.IMP", "TWN", 2019), 90_000_000.0);
    assert_eq!(
        value(&obs, "UNCTAD.ICT.EXP", "USA", 2020),
        140_000_000.0,
        "UNCTAD's 842 / label resolve to USA"
    );
    assert_eq!(
        value(&obs, "UNCTAD.ICT.EXP.COMPONENTS", "WLD", 2020),
        900_000_000.0
    );
    assert!(s.series.iter().all(|m| m.unit == "thousand current USD"));
    assert_eq!(
        Format::detect(&std::fs::read(fixture("unctadstat_ict_goods.csv")).unwrap()),
        Some(Format::UnctadStat)
    );
}

/// Issue: a Fed date `1971-13-45` was accepted, an SDMX quarterly period
/// `2019-Q1` was stored as the year 2019, and a World Bank JSON value
/// written as text (`"14,687"`) became 14687.
#[test]
fn impossible_dates_sub_annual_periods_and_numbers_as_text_are_refused() {
    let (s, obs) = text(
        "Date,Country,Exchange rate\n1971-13-45,China,2.46\n1971-01-01,China,2.46\n",
        Format::FedH10,
    )
    .unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(
        (s.rejected[0].line, s.rejected[0].field.as_str()),
        (2, "Date")
    );
    let sdmx = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,MEASURE,TIME_PERIOD,OBS_VALUE\n\
                DATAFLOW,OECD.STI.STP:DSD_MSTI@DF_MSTI(1.3),I,KOR,Q,G,2019-Q1,1.5\n\
                DATAFLOW,OECD.STI.STP:DSD_MSTI@DF_MSTI(1.3),I,KOR,A,G,2019,6.0\n";
    let (s, obs) = text(sdmx, Format::OecdSdmx).unwrap();
    assert_eq!(obs.len(), 1);
    assert!(
        s.rejected[0]
            .reason
            .contains("`2019-Q1` is a quarterly or monthly period"),
        "{}",
        s.rejected[0]
    );
    let json = r#"[{"page":1,"pages":1,"per_page":50,"total":2},[{"indicator":{"id":"NY.GDP.MKTP.CD","value":"GDP"},"country":{"id":"CN","value":"China"},"countryiso3code":"CHN","date":"2020","value":"14,687"},{"indicator":{"id":"NY.GDP.MKTP.CD","value":"GDP"},"country":{"id":"CN","value":"China"},"countryiso3code":"CHN","date":"2019","value":14279}]]"#;
    let (s, obs) = text(json, Format::WbApiJson).unwrap();
    assert_eq!(obs.len(), 1);
    assert_eq!(obs[0].year, 2019);
    assert!(
        s.rejected[0].reason.contains("is not a JSON number"),
        "{}",
        s.rejected[0]
    );
}

/// Issue: after 200 rejected rows an import kept reading every bad row of
/// a large file. It stops once nearly every row is rejected.
#[test]
fn a_file_of_bad_rows_stops_early_with_the_first_rejection() {
    let mut body = String::from("Country Name,Country Code,Year,Value\n");
    for i in 0..20_000 {
        body.push_str(&format!("China,CHN,{},not a number\n", 1900 + i % 100));
    }
    let e = text(&body, Format::WdiLong).unwrap_err().to_string();
    assert!(
        e.contains("stopped reading after 1000 rejected rows of 1000"),
        "{e}"
    );
    assert!(e.contains("first: input.csv:2"), "{e}");
}

/// The API's JSON is read one record at a time: many records, the API's own
/// error and empty answers, and broken documents are told apart.
#[test]
fn wb_api_json_is_streamed_and_its_errors_named() {
    let rec = |y: i32| {
        format!(
            r#"{{"indicator":{{"id":"NY.GDP.MKTP.CD","value":"GDP"}},"country":{{"id":"CN","value":"China"}},"countryiso3code":"CHN","date":"{y}","value":{}}}"#,
            1000 + y
        )
    };
    let many: Vec<String> = (1960..2025).map(rec).collect();
    let json = format!(
        r#"[{{"page":1,"pages":1,"lastupdated":"2026-07-01"}},[{}]]"#,
        many.join(",")
    );
    let (s, obs) = text(&json, Format::WbApiJson).unwrap();
    assert_eq!(obs.len(), 65);
    assert_eq!(s.rows_read, 65);
    assert_eq!(obs[64].year, 2024);
    // The API's error object.
    let e = text(
        r#"[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]"#,
        Format::WbApiJson,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("the API returned an error") && e.contains("Invalid value"),
        "{e}"
    );
    // Nothing matched: the API answers `null` for the records.
    let e = text(
        r#"[{"page":0,"pages":0,"total":0},null]"#,
        Format::WbApiJson,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no record array"), "{e}");
    // Not the API's shape; not JSON at all; cut short.
    let e = text(r#"{"page":1}"#, Format::WbApiJson)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("expected a JSON array `[metadata, records]`"),
        "{e}"
    );
    let cut = &json[..json.len() / 2];
    let e = text(cut, Format::WbApiJson).unwrap_err().to_string();
    assert!(e.contains("not valid JSON"), "{e}");
    assert!(e.starts_with("input.csv:1"), "{e}");
    // Trailing garbage after the array.
    let e = text(&format!("{json} x"), Format::WbApiJson)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not valid JSON"), "{e}");
}
