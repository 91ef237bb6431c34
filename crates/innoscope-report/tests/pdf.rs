//! The report printed to PDF by headless Chromium, read back: the contents
//! carry the page on which each heading landed (checked against the PDF's
//! own bookmarks), every font is embedded (Chinese included), and the same
//! input prints the same bytes.
//!
//! Needs Chromium (`scripts/setup.sh` installs it, as `scripts/test.sh` does);
//! `INNOSCOPE_CHROMIUM` points at another browser.

use std::path::PathBuf;

use innoscope_core::{Column, Figure, Lang, ResultTable, SourceNote, Text};
use innoscope_report::pdf::{self, Printer};
use innoscope_report::{Number, ReportInput, Section};

fn printer() -> Printer {
    let explicit = std::env::var_os("INNOSCOPE_CHROMIUM").map(PathBuf::from);
    Printer::find(explicit.as_deref())
        .unwrap_or_else(|e| panic!("{e} (hint: {})", e.hint().unwrap_or_default()))
}

fn table(id: &str, rows: usize, synthetic: bool) -> ResultTable {
    let mut t = ResultTable::new(
        id,
        Text::new(format!("Spending {id}"), format!("支出 {id}")),
    );
    let codes: Vec<Option<String>> = (0..rows).map(|i| Some(format!("E{i:02}"))).collect();
    t.columns = vec![
        Column::text("economy", Text::new("Economy", "经济体"), codes),
        Column::float(
            "value",
            Text::new("Value", "数值"),
            Some(Text::new("bn $", "十亿美元")),
            1,
            (0..rows).map(|i| Some(100.0 - i as f64)).collect(),
        ),
    ];
    t.sources.push(SourceNote {
        dataset: "wdi".into(),
        indicators: vec!["X".into()],
        source: "World Bank WDI (national accounts)".into(),
        licence: "CC BY 4.0".into(),
        vintage: "2026-07-01".into(),
    });
    t.findings.push(Text::new("E00 leads.", "E00 居首。"));
    t.synthetic = synthetic;
    t.figure = Some(Figure::GroupedBars {
        label: "economy".into(),
        series: vec!["value".into()],
        unit: Text::new("bn $", "十亿美元"),
    });
    t
}

/// Two parts of several sections, long enough to span many pages.
fn input(synthetic: bool) -> ReportInput {
    let mut sections = Vec::new();
    for k in 0..8 {
        let id = format!("X{k}");
        sections.push(Section {
            analysis: id.clone(),
            anchor: id.to_ascii_lowercase(),
            part: if k < 4 {
                Text::new("1. Input", "一、投入")
            } else {
                Text::new("2. Output", "二、产出")
            },
            chapter: Text::default(),
            heading: Text::new(
                format!("Spending by economy {k}"),
                format!("各经济体支出 {k}"),
            ),
            numbers: vec![(id.clone(), Number::Figure(k + 1))],
            tables: vec![table(&id, 30, synthetic && k == 3)],
            unavailable: None,
            changes: Vec::new(),
        });
    }
    ReportInput {
        title: Text::new("Test report", "测试报告"),
        subtitle: Text::new("For the PDF test.", "用于 PDF 测试。"),
        sections,
        colophon: Vec::new(),
        compared_with: None,
    }
}

/// Every font of the document carries its glyphs: an embedded font program
/// (FontFile, FontFile2, FontFile3) or, for Type 3 fonts, glyph procedures.
fn unembedded_fonts(doc: &lopdf::Document) -> Vec<String> {
    let mut bad = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"Font") {
            continue;
        }
        let subtype = d
            .get(b"Subtype")
            .and_then(|t| t.as_name())
            .unwrap_or_default();
        let embedded = match subtype {
            b"Type3" => d.has(b"CharProcs"),
            // The glyphs are in the descendant font, checked on its own.
            b"Type0" => true,
            _ => d
                .get(b"FontDescriptor")
                .and_then(|r| r.as_reference())
                .and_then(|r| doc.get_dictionary(r))
                .is_ok_and(|fd| {
                    fd.has(b"FontFile") || fd.has(b"FontFile2") || fd.has(b"FontFile3")
                }),
        };
        if !embedded {
            bad.push(format!("{id:?} {}", String::from_utf8_lossy(subtype)));
        }
    }
    bad
}

#[test]
fn contents_carry_the_pages_of_the_bookmarks_and_fonts_are_embedded() {
    let printer = printer();
    for lang in [Lang::Zh, Lang::En] {
        let input = input(true);
        let printed = pdf::report(&input, lang, &printer).unwrap();
        assert!(printed.pdf.starts_with(b"%PDF-"));
        // Every entry found its heading: two parts and eight sections.
        assert_eq!(printed.entries, 10);
        assert_eq!(printed.pages.len(), 10, "{:?}", printed.pages);
        // The pages printed in the contents are those of the bookmarks of
        // the file as written.
        let marks = pdf::outline(&printed.pdf).unwrap();
        for s in &input.sections {
            let title = format!("{} {}", s.heading.get(lang), s.analysis);
            let mark = marks
                .iter()
                .find(|m| m.title == title)
                .unwrap_or_else(|| panic!("no bookmark `{title}` in {marks:?}"));
            assert_eq!(printed.pages[&s.anchor], mark.page, "{title}");
        }
        // Sections follow each other; a part starts on a new page, after
        // the cover and the contents.
        let pages: Vec<u32> = (0..8).map(|k| printed.pages[&format!("x{k}")]).collect();
        assert!(pages.windows(2).all(|w| w[0] <= w[1]), "{pages:?}");
        assert!(pages[0] >= 3 && pages[7] > pages[0], "{pages:?}");
        let doc = lopdf::Document::load_mem(&printed.pdf).unwrap();
        assert!(doc.get_pages().len() as u32 >= pages[7]);
        assert_eq!(unembedded_fonts(&doc), Vec::<String>::new());
        // Chinese headings in the bookmarks of the Chinese report.
        if lang == Lang::Zh {
            assert!(marks.iter().any(|m| m.title == "一、投入"), "{marks:?}");
            assert!(marks.iter().any(|m| m.title == "目录"), "{marks:?}");
        }
        // No creation date: the same input gives the same bytes.
        assert!(!printed.pdf.windows(13).any(|w| w == b"/CreationDate"));
        let again = pdf::report(&input, lang, &printer).unwrap();
        assert!(again.pdf == printed.pdf, "two prints of one report differ");
    }
}
