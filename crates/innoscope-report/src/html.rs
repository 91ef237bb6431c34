//! The HTML report.

use std::fmt::Write as _;

use innoscope_core::{Lang, ResultTable, SourceNote, Text, Values};

use crate::charts;
use crate::svg::{FONT, esc};

/// How the seed report numbers a figure or table (图 N / 表 N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Number {
    Figure(u32),
    Table(u32),
}

impl Number {
    fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Number::Figure(n), Lang::Zh) => format!("图 {n}"),
            (Number::Figure(n), Lang::En) => format!("Figure {n}."),
            (Number::Table(n), Lang::Zh) => format!("表 {n}"),
            (Number::Table(n), Lang::En) => format!("Table {n}."),
        }
    }
}

/// One section of the report: one analysis, its tables, or why it is absent.
#[derive(Clone, Debug)]
pub struct Section {
    /// Analysis id (`C1`).
    pub analysis: String,
    /// Unique anchor in the page.
    pub anchor: String,
    /// Top-level part (一、… / 1. …).
    pub part: Text,
    /// Chapter within the part (（一）… / 3.1 …); empty when the part has none.
    pub chapter: Text,
    /// Heading of the section (the analysis' title).
    pub heading: Text,
    /// The seed report's numbers of this section's tables, by table id.
    pub numbers: Vec<(String, Number)>,
    pub tables: Vec<ResultTable>,
    /// Set when the analysis could not run: what is missing and how to get it.
    pub unavailable: Option<Text>,
    /// What changed against a compared edition.
    pub changes: Vec<Text>,
}

impl Section {
    fn number(&self, table: &str) -> Option<Number> {
        self.numbers
            .iter()
            .find(|(id, _)| id == table)
            .map(|(_, n)| *n)
    }
}

/// Everything the report shows.
#[derive(Clone, Debug)]
pub struct ReportInput {
    pub title: Text,
    pub subtitle: Text,
    pub sections: Vec<Section>,
    /// Datasets used, for the colophon.
    pub colophon: Vec<SourceNote>,
    /// Name of the edition compared with, when any.
    pub compared_with: Option<Text>,
}

/// A rendered report: the HTML page plus each figure as SVG and each table
/// as CSV (file name, contents).
#[derive(Clone, Debug)]
pub struct Rendered {
    pub html: String,
    pub figures: Vec<(String, String)>,
    pub tables: Vec<(String, String)>,
    /// The entries of the table of contents in page order: anchor and the
    /// text of the heading it points to (as a PDF outline titles it).
    pub contents: Vec<(String, String)>,
}

/// The page laid out for print (the PDF): a print stylesheet, a running
/// line at the foot of every page, and the page of each entry of the table
/// of contents (by anchor) once known.
#[derive(Clone, Debug, Default)]
pub(crate) struct Print {
    /// The running line (sources; the synthetic stamp when any).
    pub footer: String,
    pub pages: std::collections::BTreeMap<String, u32>,
}

fn t(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Render the report in one language.
pub fn render(input: &ReportInput, lang: Lang) -> Rendered {
    render_with(input, lang, None)
}

/// Render the report in one language, for the screen or (`print`) for paper.
pub(crate) fn render_with(input: &ReportInput, lang: Lang, print: Option<&Print>) -> Rendered {
    let mut figures = Vec::new();
    let mut contents = Vec::new();
    // A contents line: the link, and in print a dotted leader and its page.
    let toc_line = |anchor: &str, link: String| match print {
        None => link,
        Some(p) => format!(
            "<span class=\"line\">{link}<span class=\"lead\"></span><span class=\"pg\">{}</span></span>",
            p.pages.get(anchor).map(u32::to_string).unwrap_or_default()
        ),
    };
    let mut tables = Vec::new();
    let mut body = String::new();
    let mut toc = String::new();
    let mut part = String::new();
    let mut chapter = String::new();
    for s in &input.sections {
        let p = s.part.get(lang);
        if p != part {
            if !part.is_empty() {
                toc.push_str("</ul></li>\n");
            }
            let id = format!(
                "part-{}",
                input
                    .sections
                    .iter()
                    .position(|x| x.part.get(lang) == p)
                    .unwrap_or(0)
            );
            let _ = writeln!(body, "<h2 id=\"{id}\">{}</h2>", esc(p));
            let _ = writeln!(
                toc,
                "<li class=\"part\">{}<ul>",
                toc_line(&id, format!("<a href=\"#{id}\">{}</a>", esc(p)))
            );
            contents.push((id.clone(), p.to_string()));
            part = p.to_string();
            chapter.clear();
        }
        let ch = s.chapter.get(lang);
        // A section headed by its own chapter (knowledge-base sections) needs
        // no separate chapter line.
        let own_chapter = ch == s.heading.get(lang);
        if own_chapter {
            chapter = ch.to_string();
        }
        if !ch.is_empty() && ch != chapter {
            let _ = writeln!(body, "<h3 class=\"chapter\">{}</h3>", esc(ch));
            let _ = writeln!(toc, "<li class=\"ch\">{}</li>", esc(ch));
            chapter = ch.to_string();
        }
        let anchor = &s.anchor;
        let heading = s.heading.get(lang);
        let mut numbered: Vec<String> = s
            .tables
            .iter()
            .filter_map(|t| s.number(&t.id).map(|n| n.label(lang)))
            .collect();
        // Two profiles share the seed's Table 1: list it once.
        numbered.dedup();
        let link = format!(
            "<a href=\"#{anchor}\">{}</a>{}",
            esc(heading),
            if numbered.is_empty() {
                String::new()
            } else {
                format!(
                    " <span class=\"nums\">{}</span>",
                    esc(&numbered.join(" ").replace('.', ""))
                )
            }
        );
        let _ = writeln!(toc, "<li>{}</li>", toc_line(anchor, link));
        contents.push((anchor.clone(), format!("{heading} {}", s.analysis)));
        let _ = writeln!(
            body,
            "<section id=\"{anchor}\"><h4>{} <span class=\"id\">{}</span></h4>",
            esc(heading),
            esc(&s.analysis)
        );
        if let Some(why) = &s.unavailable {
            let _ = writeln!(
                body,
                "<p class=\"missing\">{}</p></section>",
                esc(why.get(lang))
            );
            continue;
        }
        for table in &s.tables {
            let stem = table.id.to_ascii_lowercase().replace('.', "-");
            let number = s
                .number(&table.id)
                .map(|n| format!("{} ", n.label(lang)))
                .unwrap_or_default();
            // The analysis' main table is the section itself: no second
            // anchor, no second id tag.
            if stem == *anchor {
                let _ = writeln!(
                    body,
                    "<h5>{}{}</h5>",
                    esc(&number),
                    esc(table.title.get(lang))
                );
            } else {
                let _ = writeln!(
                    body,
                    "<h5 id=\"{stem}\">{}{} <span class=\"id\">{}</span></h5>",
                    esc(&number),
                    esc(table.title.get(lang)),
                    esc(&table.id)
                );
            }
            if let Some(svg) = charts::render(table, lang) {
                let name = format!("figures/{stem}.{}.svg", lang.code());
                let _ = writeln!(
                    body,
                    "<figure>{svg}<figcaption><a href=\"{name}\">SVG</a> · <a href=\"tables/{stem}.csv\">CSV</a></figcaption></figure>"
                );
                figures.push((name, svg));
            }
            if !table.findings.is_empty() {
                body.push_str("<ul class=\"findings\">");
                for f in &table.findings {
                    let _ = write!(body, "<li>{}</li>", esc(f.get(lang)));
                }
                body.push_str("</ul>\n");
            }
            body.push_str(&table_html(table, lang));
            body.push_str("<div class=\"method\">");
            for (k, v) in &table.basis {
                let _ = write!(
                    body,
                    "<p><b>{}</b>: {}</p>",
                    esc(k.get(lang)),
                    esc(v.get(lang))
                );
            }
            for n in &table.notes {
                let _ = write!(
                    body,
                    "<p>{} {}</p>",
                    t(lang, "Note:", "注："),
                    esc(n.get(lang))
                );
            }
            for src in &table.sources {
                let [source, licence, vintage, indicators, dataset] = escaped(src, lang);
                let _ = match lang {
                    Lang::En => write!(
                        body,
                        "<p>Source: <cite>{source}</cite> — <code>{indicators}</code> (<code>{dataset}</code>; {licence}, {vintage})</p>"
                    ),
                    Lang::Zh => write!(
                        body,
                        "<p>来源：<cite>{source}</cite> — <code>{indicators}</code>（<code>{dataset}</code>；{licence}，{vintage}）</p>"
                    ),
                };
            }
            body.push_str("</div>\n");
            tables.push((format!("tables/{stem}.csv"), table.to_csv(true)));
        }
        if !s.changes.is_empty() {
            let _ = write!(
                body,
                "<div class=\"changes\"><b>{}</b><ul>",
                esc(&compare_heading(input, lang))
            );
            for c in &s.changes {
                let _ = write!(body, "<li>{}</li>", esc(c.get(lang)));
            }
            body.push_str("</ul></div>\n");
        }
        body.push_str("</section>\n");
    }
    if !part.is_empty() {
        toc.push_str("</ul></li>\n");
    }
    let mut colophon = String::new();
    for s in &input.colophon {
        let [source, licence, vintage, indicators, dataset] = escaped(s, lang);
        let _ = match lang {
            Lang::En => writeln!(
                colophon,
                "<li><code>{dataset}</code> — <code>{indicators}</code>: <cite>{source}</cite> ({licence}; {vintage})</li>"
            ),
            Lang::Zh => writeln!(
                colophon,
                "<li><code>{dataset}</code> — <code>{indicators}</code>：<cite>{source}</cite>（{licence}；{vintage}）</li>"
            ),
        };
    }
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang_attr}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {font}; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.55; }}
h1 {{ font-size: 1.7em; margin-bottom: 0.2em; }}
h2 {{ border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; margin-top: 2em; }}
h3.chapter {{ margin-top: 1.6em; color: #0072B2; }}
h4 {{ margin-top: 1.6em; font-size: 1.15em; }} h5 {{ font-size: 1em; margin: 1.2em 0 0.3em; }}
.nums {{ color: #888; font-size: 0.85em; }}
.id {{ color: #888; font-size: 0.75em; font-weight: normal; }}
figure {{ margin: 1em 0; }} figure svg {{ max-width: 100%; height: auto; }}
figcaption {{ font-size: 0.85em; color: #666; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 3px 8px; vertical-align: top; }} td {{ min-width: 3em; }} td.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
th {{ background: #f4f6f8; text-align: left; }}
.findings li {{ margin: 0.2em 0; }}
.method {{ font-size: 0.82em; color: #555; }} .method p {{ margin: 0.2em 0; }}
.missing {{ background: #fff6e0; padding: 0.6em; border-left: 4px solid #E69F00; }}
.changes {{ background: #eef6fb; padding: 0.6em; font-size: 0.9em; }}
.toc li.part {{ font-weight: bold; list-style: none; margin-top: 0.6em; }} .toc li.part li {{ font-weight: normal; }}
.toc li.ch {{ font-style: italic; list-style: none; margin-top: 0.3em; }}
.summary {{ background: #f4f8fb; padding: 0.2em 1em 0.6em; border-left: 4px solid #0072B2; }} .summary li {{ margin: 0.3em 0; }}
.stamp {{ color: #c0392b; font-weight: bold; font-size: 0.85em; }}
</style>
{print_style}</head>
<body>
<h1>{title}</h1>
<p>{subtitle}</p>
{summary}
{contents_h}<nav class="toc"><ul>
{toc}</ul></nav>
{body}
<h2>{colophon_h}</h2>
<ul class="colophon">
{colophon}</ul>
<p class="method">{made}</p>
</body>
</html>
"#,
        lang_attr = match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        title = esc(input.title.get(lang)),
        subtitle = esc(input.subtitle.get(lang)),
        summary = summary(input, lang),
        print_style = print.map(print_style).unwrap_or_default(),
        // On paper the contents get a page and a heading of their own.
        contents_h = if print.is_some() {
            format!(
                "<h2 class=\"contents\">{}</h2>\n",
                t(lang, "Contents", "目录")
            )
        } else {
            String::new()
        },
        font = FONT,
        colophon_h = t(lang, "Data and licences", "数据与许可"),
        made = t(
            lang,
            "Computed by innoscope from the datasets above; every figure states its basis and sources.",
            "由 innoscope 根据上述数据计算；每幅图均注明口径与来源。"
        ),
    );
    Rendered {
        html,
        figures,
        tables,
        contents,
    }
}

/// The stylesheet of the page on paper: A4, parts on a new page, headings
/// kept with what follows, figures whole, table headers repeated, the
/// contents with leaders and page numbers, and the running line and page
/// number in the page margins (CSS margin boxes).
fn print_style(p: &Print) -> String {
    let footer: String = p
        .footer
        .chars()
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            '\n' | '\r' => vec![' '],
            c => vec![c],
        })
        .collect();
    format!(
        r#"<style>
@page {{ size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-left {{ content: "{footer}"; font-family: {FONT}; font-size: 6.5pt; color: #666; }}
  @bottom-right {{ content: counter(page) " / " counter(pages); width: 18mm; white-space: nowrap; font-family: {FONT}; font-size: 7.5pt; color: #444; }} }}
@page :first {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}
html {{ font-size: 9.5pt; }}
body {{ max-width: none; margin: 0; padding: 0; line-height: 1.45; }}
a {{ color: inherit; text-decoration: none; }}
h2 {{ break-before: page; margin-top: 0; }}
.summary h2 {{ break-before: auto; }}
h2, h3, h4, h5 {{ break-after: avoid; break-inside: avoid; }}
figure {{ break-inside: avoid; margin: 0.4em 0; }}
figure svg {{ max-height: 210mm; }}
figcaption {{ display: none; }}
tr, .findings li, .method p {{ break-inside: avoid; }}
thead {{ display: table-header-group; }}
.toc {{ break-after: page; }} .toc ul {{ padding-left: 1.2em; }} .toc li {{ list-style: none; }}
.toc .line {{ display: flex; align-items: baseline; gap: 0.3em; }}
.toc .lead {{ flex: 1; border-bottom: 1px dotted #aaa; }}
.toc .pg {{ min-width: 2em; text-align: right; font-variant-numeric: tabular-nums; }}
</style>
"#
    )
}

/// The executive summary: the lead finding of each analysis with a figure,
/// in report order, each linked to its section; synthetic ones stamped.
fn summary(input: &ReportInput, lang: Lang) -> String {
    let mut items = String::new();
    for s in input.sections.iter().filter(|s| s.unavailable.is_none()) {
        let Some((table, finding)) = s
            .tables
            .iter()
            .filter(|t| t.figure.is_some())
            .find_map(|t| t.findings.first().map(|f| (t, f)))
        else {
            continue;
        };
        let stamp = if table.synthetic {
            format!(
                " <span class=\"stamp\">{}</span>",
                t(lang, "[synthetic demo data]", "［合成演示数据］")
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            items,
            "<li><a href=\"#{}\">{}</a>：{}{stamp}</li>",
            s.anchor,
            esc(s.heading.get(lang)),
            esc(finding.get(lang))
        );
    }
    if items.is_empty() {
        return String::new();
    }
    let items = match lang {
        Lang::En => items.replace("</a>：", "</a>: "),
        Lang::Zh => items,
    };
    format!(
        "<section class=\"summary\" id=\"summary\"><h2>{}</h2>\n<ul>\n{items}</ul></section>",
        t(lang, "Key findings", "主要发现")
    )
}

fn compare_heading(input: &ReportInput, lang: Lang) -> String {
    match &input.compared_with {
        Some(name) => t(
            lang,
            &format!("Compared with {}", name.en),
            &format!("与{}对比", name.zh),
        ),
        None => String::new(),
    }
}

/// A source's citation, licence, vintage, indicators and dataset, escaped,
/// in the page's language.
fn escaped(s: &innoscope_core::SourceNote, lang: Lang) -> [String; 5] {
    [
        esc(&s.source_in(lang)),
        esc(&s.licence_in(lang)),
        esc(&s.vintage_in(lang)),
        esc(&s.indicators.join(", ")),
        esc(&s.dataset),
    ]
}

/// The data table, with the columns a page shows ([`ResultTable::page_columns`]).
fn table_html(table: &ResultTable, lang: Lang) -> String {
    let cols = table.page_columns(lang);
    let mut s = String::from("<table><thead><tr>");
    for c in &cols {
        let unit = c
            .unit
            .as_ref()
            .map(|u| format!(" ({})", u.get(lang)))
            .unwrap_or_default();
        let _ = write!(s, "<th>{}{}</th>", esc(c.label.get(lang)), esc(&unit));
    }
    s.push_str("</tr></thead><tbody>\n");
    for r in 0..table.n_rows() {
        s.push_str("<tr>");
        for c in &cols {
            let class = if matches!(c.values, Values::Float(_) | Values::Int(_)) {
                " class=\"n\""
            } else {
                ""
            };
            let cell = match (&c.values, c.bool_at(r)) {
                (Values::Bool(_), Some(b)) => t(
                    lang,
                    if b { "yes" } else { "no" },
                    if b { "是" } else { "否" },
                ),
                _ => c.cell_in(r, lang),
            };
            let _ = write!(s, "<td{class}>{}</td>", linkify(&esc(&cell)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
    s
}

/// Web addresses in escaped cell text as links (a case's sources).
fn linkify(escaped: &str) -> String {
    let mut out = String::new();
    let mut rest = escaped;
    while let Some(at) = ["https://", "http://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        out.push_str(&rest[..at]);
        // The address ends at a space, a tag, full-width punctuation, or a
        // `;` that separates citations (one inside `&amp;` does not).
        let tail = &rest[at..];
        let url_len = tail
            .char_indices()
            .find(|&(k, c)| {
                c.is_whitespace()
                    || "<>\"，；。）".contains(c)
                    || (c == ';' && tail[k + 1..].chars().next().is_none_or(char::is_whitespace))
            })
            .map_or(tail.len(), |(k, _)| k);
        // A sentence's final full stop or comma is not part of the address.
        let url = rest[at..at + url_len].trim_end_matches(['.', ',', ')']);
        let _ = write!(out, "<a href=\"{url}\">{url}</a>");
        rest = &rest[at + url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn addresses_in_cells_become_links() {
        assert_eq!(linkify("plain text"), "plain text");
        assert_eq!(
            linkify(
                "CAICT (2021), §1.2, http://www.caict.ac.cn/; Journal (2023), https://e.eu/a?x=1&amp;y=2."
            ),
            "CAICT (2021), §1.2, <a href=\"http://www.caict.ac.cn/\">http://www.caict.ac.cn/</a>; Journal (2023), <a href=\"https://e.eu/a?x=1&amp;y=2\">https://e.eu/a?x=1&amp;y=2</a>."
        );
        assert_eq!(
            linkify("第1.2节，http://www.caict.ac.cn/，其后"),
            "第1.2节，<a href=\"http://www.caict.ac.cn/\">http://www.caict.ac.cn/</a>，其后"
        );
    }
}
