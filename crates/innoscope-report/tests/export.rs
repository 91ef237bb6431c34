//! The exports analysts paste into, read back: the workbook's cells are
//! numbers where the table has numbers and keep Chinese text, every sheet
//! carries the provenance and the synthetic stamp; the Parquet file has typed
//! columns and the table's provenance in its metadata; the PNG has the
//! figure's size times the scale and draws Chinese glyphs when a CJK font is
//! installed; CSV with a byte-order mark and without provenance lines. Every
//! export gives the same bytes twice.

use std::io::Read;

use innoscope_core::{Column, Figure, Lang, ResultTable, SourceNote, Text};
use innoscope_report::export::{self, CsvOptions};

fn table(synthetic: bool) -> ResultTable {
    let mut t = ResultTable::new("X1", Text::new("Spending, 2019", "2019年支出"));
    t.columns = vec![
        Column::text(
            "economy",
            Text::new("Economy", "经济体"),
            vec![Some("CHN".into()), Some("NAM".into()), Some("USA".into())],
        ),
        Column::text(
            "name_zh",
            Text::new("Name (zh)", "名称"),
            vec![
                Some("中国".into()),
                Some("纳米比亚".into()),
                Some("美国".into()),
            ],
        ),
        Column::float(
            "value",
            Text::new("Value", "数值"),
            Some(Text::new("bn $", "十亿美元")),
            1,
            vec![Some(1234.56), None, Some(7.0)],
        ),
        Column::int(
            "rank",
            Text::new("Rank", "排名"),
            None,
            vec![Some(1), Some(3), Some(2)],
        ),
    ];
    t.basis.push((
        Text::new("Basis", "口径"),
        Text::new("whole counts", "整数计数"),
    ));
    t.sources.push(SourceNote {
        dataset: "wdi".into(),
        indicators: vec!["X".into()],
        source: "World Bank WDI".into(),
        licence: "CC BY 4.0".into(),
        vintage: "2026-07-01".into(),
    });
    t.params.insert("year".into(), "2019".into());
    t.findings.push(Text::new("China leads.", "中国领先。"));
    t.synthetic = synthetic;
    t.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["value".into()],
        unit: Text::new("bn $", "十亿美元"),
    });
    t
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

#[test]
fn workbook_has_numbers_as_numbers_chinese_intact_and_provenance() {
    let tables = [table(false), table(true)];
    let a = export::xlsx(&tables, &[Lang::Zh, Lang::En]).unwrap();
    assert_eq!(a, export::xlsx(&tables, &[Lang::Zh, Lang::En]).unwrap());
    let wb = unzip(&a, "xl/workbook.xml");
    for name in ["contents", "X1", "X1~2"] {
        assert!(wb.contains(&format!("name=\"{name}\"")), "{wb}");
    }
    let strings = unzip(&a, "xl/sharedStrings.xml");
    for s in [
        "纳米比亚",
        "十亿美元",
        "整数计数",
        "World Bank WDI",
        "CC BY 4.0",
        "中国领先。",
        "year=2019",
    ] {
        assert!(
            strings.contains(s),
            "{s} missing from the workbook's strings"
        );
    }
    // The synthetic table's sheet says so, the real one does not.
    assert!(strings.contains(&export::synthetic_stamp().zh));
    let real = unzip(&a, "xl/worksheets/sheet2.xml");
    let synth = unzip(&a, "xl/worksheets/sheet3.xml");
    assert!(synth.len() > real.len());
    // 1234.56 is a number cell (no t="s"), with a one-decimal format.
    let cell = real
        .split("<c ")
        .find(|c| c.contains("<v>1234.56</v>"))
        .expect("the value is written as a number");
    assert!(!cell.contains("t=\"s\""), "{cell}");
    let styles = unzip(&a, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.0\""), "{styles}");
    // The creation date is the newest source vintage, not the clock.
    assert!(unzip(&a, "docProps/core.xml").contains("2026-07-01T00:00:00Z"));
}

#[test]
fn parquet_keeps_types_values_and_provenance() {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let t = table(true);
    let bytes = export::parquet(&t).unwrap();
    assert_eq!(bytes, export::parquet(&t).unwrap());
    let b = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
    let schema = b.schema().clone();
    let meta = schema.metadata();
    let head: ResultTable = serde_json::from_str(&meta["innoscope.table"]).unwrap();
    assert_eq!(head.title, t.title);
    assert_eq!(head.sources, t.sources);
    assert_eq!(head.basis, t.basis);
    assert!(head.synthetic && meta.contains_key("innoscope.synthetic"));
    assert_eq!(
        schema.field_with_name("value").unwrap().metadata()["unit_zh"],
        "十亿美元"
    );
    let batch = b.build().unwrap().next().unwrap().unwrap();
    use arrow::array::{Array, Float64Array, Int64Array, StringArray};
    let v = batch
        .column(2)
        .as_any()
        .downcast_ref::<Float64Array>()
        .unwrap();
    assert_eq!(v.value(0), 1234.56);
    assert!(v.is_null(1));
    let r = batch
        .column(3)
        .as_any()
        .downcast_ref::<Int64Array>()
        .unwrap();
    assert_eq!(r.values().to_vec(), vec![1, 3, 2]);
    let n = batch
        .column(1)
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap();
    assert_eq!(n.value(1), "纳米比亚");
}

#[test]
fn png_has_the_scaled_size_and_draws_chinese_text() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" viewBox="0 0 200 50" font-family="'Noto Sans CJK SC',sans-serif"><text x="10" y="35" font-size="28">中国研发</text></svg>"#;
    let png = export::png(svg, 2.0).unwrap();
    assert_eq!(png, export::png(svg, 2.0).unwrap());
    assert_eq!(&png[1..4], b"PNG");
    let (w, h) = (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    );
    assert_eq!((w, h), (400, 100));
    // A figure from a real renderer draws too.
    let fig = innoscope_report::charts::render(&table(true), Lang::Zh).unwrap();
    assert!(export::png(&fig, 1.0).unwrap().len() > 1000);
    assert!(export::png(svg, 0.0).is_err());
    if export::cjk_font_installed() {
        // With the glyphs drawn, the image holds far more than a blank one.
        let blank = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"></svg>"#;
        assert!(png.len() > export::png(blank, 2.0).unwrap().len() + 500);
    }
}

#[test]
fn csv_with_bom_and_plain() {
    let t = [table(true)];
    let full = export::csv(&t, CsvOptions::default());
    assert!(full.starts_with("# X1 Spending, 2019\n# SYNTHETIC DEMO DATA"));
    assert!(full.contains("# source: World Bank WDI"));
    let plain = export::csv(
        &t,
        CsvOptions {
            bom: true,
            plain: true,
        },
    );
    assert!(
        plain.starts_with("\u{feff}economy,name_zh,value,rank\n"),
        "{plain}"
    );
    assert!(!plain.contains('#'));
    assert!(plain.contains("NAM,纳米比亚,,3\n"));
}
