//! Result tables in the formats analysts paste into: Excel workbooks,
//! Parquet files, PNG images of figures, and CSV that Excel and pandas read
//! without guessing.
//!
//! Invariant, as for the renderers: each export is a pure function of the
//! tables (no clock, no environment but the fonts the PNG is drawn with), so
//! the same tables give the same bytes. The workbook's creation date is the
//! newest vintage of its sources, not the time of the run.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use innoscope_core::{Lang, ResultTable, Text, Values};
use innoscope_engine::{EngineError, Result};

/// The line every synthetic table carries, in each export.
pub fn synthetic_stamp() -> Text {
    Text::new(
        "SYNTHETIC DEMO DATA: generated, not real statistics",
        "合成演示数据：程序生成，并非真实统计",
    )
}

/// How CSV is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark, so that Excel reads Chinese text
    /// as UTF-8 when the file is opened by double-click.
    pub bom: bool,
    /// Leave out the `#` provenance lines: one header row, then data, for
    /// readers that take no comment option. The provenance then lives only
    /// in the other formats (JSON, xlsx, Parquet metadata).
    pub plain: bool,
}

/// The tables as CSV: each table's `#` provenance lines (unless `plain`),
/// its header and rows; several tables are separated by a blank line.
pub fn csv(tables: &[ResultTable], o: CsvOptions) -> String {
    let mut s = String::new();
    if o.bom {
        s.push('\u{feff}');
    }
    let body: Vec<String> = tables.iter().map(|t| t.to_csv(!o.plain)).collect();
    s.push_str(&body.join("\n"));
    s
}

/// The provenance of a table as `(label, value)` lines in one language:
/// the synthetic stamp first, then basis, sources, parameters, notes.
pub fn provenance(t: &ResultTable, lang: Lang) -> Vec<(String, String)> {
    let zh = lang == Lang::Zh;
    let mut v = Vec::new();
    if t.synthetic {
        v.push((
            if zh { "警示" } else { "Warning" }.to_string(),
            synthetic_stamp().get(lang).to_string(),
        ));
    }
    for (k, x) in &t.basis {
        v.push((k.get(lang).to_string(), x.get(lang).to_string()));
    }
    for s in &t.sources {
        v.push((
            if zh { "来源" } else { "Source" }.to_string(),
            format!(
                "{} ({}; {} {}; {} {})",
                s.source_in(lang),
                s.dataset,
                if zh { "许可" } else { "licence" },
                s.licence_in(lang),
                if zh { "版本" } else { "vintage" },
                s.vintage_in(lang)
            ),
        ));
    }
    if !t.params.is_empty() {
        let p: Vec<String> = t.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        v.push((
            if zh { "参数" } else { "Parameters" }.to_string(),
            p.join("; "),
        ));
    }
    for n in &t.notes {
        v.push((
            if zh { "注" } else { "Note" }.to_string(),
            n.get(lang).to_string(),
        ));
    }
    v
}

/// Newest `YYYY-MM-DD` found at the start of the tables' source vintages.
fn newest_vintage(tables: &[ResultTable]) -> Option<(u16, u8, u8)> {
    tables
        .iter()
        .flat_map(|t| &t.sources)
        .filter_map(|s| {
            let v = s.vintage.get(..10)?;
            let mut it = v.split('-');
            let y: u16 = it.next()?.parse().ok()?;
            let m: u8 = it.next()?.parse().ok()?;
            let d: u8 = it.next()?.parse().ok()?;
            ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
                .then_some((y, m, d))
        })
        .max()
}

/// A sheet name Excel accepts (≤ 31 characters, none of `[]:*?/\`),
/// unique within the workbook.
fn sheet_name(id: &str, taken: &mut BTreeSet<String>) -> String {
    let clean: String = id
        .chars()
        .map(|c| if "[]:*?/\\'".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let mut name = clean.clone();
    let mut k = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!("~{k}");
        let keep: String = clean.chars().take(31 - suffix.len()).collect();
        name = format!("{keep}{suffix}");
        k += 1;
    }
    name
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> EngineError {
    EngineError::output("xlsx", e)
}

/// An Excel workbook with one sheet per table, labelled in each of `langs`
/// (the first language leads).
///
/// Each sheet opens with the table's id and title, the synthetic stamp when
/// it applies, and its provenance lines (basis, sources with licence and
/// vintage, parameters, notes) in each language; then one header row of
/// labels with units per language, a row of the machine column names (as in
/// CSV and Parquet), and the data, numbers as numbers with the column's
/// decimals as their format. The header is frozen and filtered. A first
/// sheet, `contents`, lists and links the tables.
pub fn xlsx(tables: &[ResultTable], langs: &[Lang]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook};
    let langs: &[Lang] = if langs.is_empty() { &[Lang::En] } else { langs };
    let lead = langs[0];
    let zh = lead == Lang::Zh;
    let mut wb = Workbook::new();
    let (y, m, d) = newest_vintage(tables).unwrap_or((2000, 1, 1));
    let created = ExcelDateTime::from_ymd(y, m, d).map_err(xerr)?;
    let any_synthetic = tables.iter().any(|t| t.synthetic);
    let props = DocProperties::new()
        .set_title(if zh {
            "innoscope 结果表"
        } else {
            "innoscope result tables"
        })
        .set_author("innoscope")
        .set_comment(if any_synthetic {
            synthetic_stamp().get(lead).to_string()
        } else {
            String::new()
        })
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    let title_f = Format::new().set_bold().set_font_size(13);
    let stamp_f = Format::new()
        .set_bold()
        .set_font_color(Color::RGB(0xB00020));
    let label_f = Format::new().set_italic().set_font_color(Color::Gray);
    let head_f = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE8EEF4))
        .set_text_wrap();
    let name_f = Format::new().set_font_color(Color::Gray);
    let mut taken = BTreeSet::new();
    taken.insert("contents".to_string());
    let names: Vec<String> = tables
        .iter()
        .map(|t| sheet_name(&t.id, &mut taken))
        .collect();
    // The contents sheet.
    let ws = wb.add_worksheet();
    ws.set_name("contents").map_err(xerr)?;
    ws.write_string_with_format(0, 0, if zh { "工作表" } else { "Sheet" }, &bold)
        .map_err(xerr)?;
    ws.write_string_with_format(0, 1, if zh { "标题" } else { "Title" }, &bold)
        .map_err(xerr)?;
    ws.write_string_with_format(0, 2, if zh { "行数" } else { "Rows" }, &bold)
        .map_err(xerr)?;
    ws.set_column_width(0, 14).map_err(xerr)?;
    ws.set_column_width(1, 70).map_err(xerr)?;
    for (i, (t, n)) in tables.iter().zip(&names).enumerate() {
        let r = i as u32 + 1;
        let link = rust_xlsxwriter::Url::new(format!("internal:'{n}'!A1")).set_text(n);
        ws.write_url(r, 0, link).map_err(xerr)?;
        let mut title = t.title.get(lead).to_string();
        if t.synthetic {
            title.push_str(if zh {
                "（合成数据）"
            } else {
                " (synthetic)"
            });
        }
        ws.write_string(r, 1, &title).map_err(xerr)?;
        ws.write_number(r, 2, t.n_rows() as f64).map_err(xerr)?;
    }
    for (t, n) in tables.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(n).map_err(xerr)?;
        let mut r = 0u32;
        for &lang in langs {
            ws.write_string_with_format(r, 0, format!("{}  {}", t.id, t.title.get(lang)), &title_f)
                .map_err(xerr)?;
            r += 1;
        }
        for &lang in langs {
            for (i, (k, v)) in provenance(t, lang).into_iter().enumerate() {
                let f = if t.synthetic && i == 0 {
                    &stamp_f
                } else {
                    &label_f
                };
                ws.write_string_with_format(r, 0, &k, f).map_err(xerr)?;
                ws.write_string_with_format(r, 1, &v, f).map_err(xerr)?;
                r += 1;
            }
        }
        r += 1;
        let header = r;
        let names_row = header + langs.len() as u32;
        let first = names_row + 1;
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            let mut width = (0..t.n_rows().min(200))
                .map(|row| innoscope_core::table::display_width(&col.cell(row)))
                .max()
                .unwrap_or(0);
            for (k, &lang) in langs.iter().enumerate() {
                let label = match &col.unit {
                    Some(u) if !u.get(lang).is_empty() => {
                        format!("{} ({})", col.label.get(lang), u.get(lang))
                    }
                    _ => col.label.get(lang).to_string(),
                };
                width = width.max(innoscope_core::table::display_width(&label).min(28));
                ws.write_string_with_format(header + k as u32, c, &label, &head_f)
                    .map_err(xerr)?;
            }
            ws.write_string_with_format(names_row, c, &col.name, &name_f)
                .map_err(xerr)?;
            ws.set_column_width(c, width.clamp(6, 60) as f64 + 2.0)
                .map_err(xerr)?;
            match &col.values {
                Values::Float(v) => {
                    let fmt = if col.decimals == 0 {
                        Format::new().set_num_format("0")
                    } else {
                        Format::new()
                            .set_num_format(format!("0.{}", "0".repeat(col.decimals as usize)))
                    };
                    for (i, x) in v.iter().enumerate() {
                        if let Some(x) = x.filter(|x| x.is_finite()) {
                            ws.write_number_with_format(first + i as u32, c, x, &fmt)
                                .map_err(xerr)?;
                        }
                    }
                }
                Values::Int(v) => {
                    for (i, x) in v.iter().enumerate() {
                        if let Some(x) = x {
                            ws.write_number(first + i as u32, c, *x as f64)
                                .map_err(xerr)?;
                        }
                    }
                }
                Values::Bool(v) => {
                    for (i, x) in v.iter().enumerate() {
                        if let Some(x) = x {
                            ws.write_boolean(first + i as u32, c, *x).map_err(xerr)?;
                        }
                    }
                }
                Values::Text(v) => {
                    for (i, x) in v.iter().enumerate() {
                        if let Some(x) = x {
                            ws.write_string(first + i as u32, c, x).map_err(xerr)?;
                        }
                    }
                }
            }
        }
        if !t.columns.is_empty() {
            ws.set_freeze_panes(first, 0).map_err(xerr)?;
            if t.n_rows() > 0 {
                ws.autofilter(
                    names_row,
                    0,
                    names_row + t.n_rows() as u32,
                    t.columns.len() as u16 - 1,
                )
                .map_err(xerr)?;
            }
        }
        let mut below = first + t.n_rows() as u32 + 1;
        for &lang in langs {
            for f in &t.findings {
                ws.write_string(below, 0, format!("» {}", f.get(lang)))
                    .map_err(xerr)?;
                below += 1;
            }
        }
    }
    wb.save_to_buffer().map_err(xerr)
}

/// One table as a Parquet file: one column per table column (text as
/// UTF-8, floats as f64, integers as i64, booleans), no rows reordered;
/// floats at full precision (the decimals of CSV are for reading); the
/// provenance (title in both languages, basis, sources, parameters, notes,
/// `synthetic`) in the schema's metadata as the table's JSON without its
/// columns, under `innoscope.table`, and column labels and units in each
/// field's metadata.
pub fn parquet(t: &ResultTable) -> Result<Vec<u8>> {
    use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};
    use arrow::record_batch::RecordBatch;
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for c in &t.columns {
        let (dt, a): (DataType, ArrayRef) = match &c.values {
            Values::Text(v) => (DataType::Utf8, Arc::new(StringArray::from(v.clone()))),
            Values::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
            Values::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
            Values::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
        };
        let mut meta = std::collections::HashMap::new();
        meta.insert("label_en".to_string(), c.label.en.clone());
        meta.insert("label_zh".to_string(), c.label.zh.clone());
        if let Some(u) = &c.unit {
            meta.insert("unit_en".to_string(), u.en.clone());
            meta.insert("unit_zh".to_string(), u.zh.clone());
        }
        fields.push(Field::new(&c.name, dt, true).with_metadata(meta));
        arrays.push(a);
    }
    let mut head = t.clone();
    head.columns.clear();
    let mut meta = std::collections::HashMap::new();
    meta.insert(
        "innoscope.table".to_string(),
        serde_json::to_string(&head).map_err(|e| EngineError::output("parquet", e))?,
    );
    if t.synthetic {
        meta.insert("innoscope.synthetic".to_string(), synthetic_stamp().en);
    }
    // In the Arrow schema, which pyarrow, pandas, Polars and DuckDB show as
    // the file's metadata.
    let schema = Arc::new(Schema::new(fields).with_metadata(meta));
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    let props = WriterProperties::builder()
        .set_created_by("innoscope".to_string())
        .build();
    let mut buf = Vec::new();
    let mut w = ArrowWriter::try_new(&mut buf, schema, Some(props))?;
    w.write(&batch)?;
    w.close()?;
    Ok(buf)
}

/// The named families of the figures' font stack, in order (the generic
/// `sans-serif` left out).
fn font_stack() -> impl Iterator<Item = &'static str> {
    crate::svg::FONT
        .split(',')
        .map(|f| f.trim().trim_matches('\''))
        .filter(|f| *f != "sans-serif")
}

/// The fonts figures are drawn with: the system's (fontconfig's
/// directories), with the generic `sans-serif` mapped to the first CJK
/// font of the figures' font stack that is installed, so the PNG shows the
/// same glyphs as the browser.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        let families: Vec<String> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        let stack = crate::svg::FONT
            .split(',')
            .map(|f| f.trim().trim_matches('\''))
            .filter(|f| *f != "sans-serif");
        if let Some(f) = stack.into_iter().find(|f| families.iter().any(|n| n == f)) {
            db.set_sans_serif_family(f.to_string());
        }
        Arc::new(db)
    })
    .clone()
}

/// Whether a font for the figures' Chinese labels is installed (PNG output
/// of a Chinese figure without one would show empty boxes).
pub fn cjk_font_installed() -> bool {
    let db = fonts();
    font_stack().any(|f| {
        db.faces()
            .any(|face| face.families.iter().any(|(n, _)| n == f))
    })
}

/// A figure's SVG drawn as PNG at `scale` × its size (2 for slides, 1 for
/// the screen), on white.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    if !(0.1..=10.0).contains(&scale) {
        return Err(EngineError::bad_param(
            "scale",
            format!("{scale} is outside 0.1..=10"),
        ));
    }
    let opt = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| EngineError::output("png", e))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| EngineError::output("png", format!("cannot draw {w}×{h} pixels")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| EngineError::output("png", e))
}
