//! The report as PDF, printed by headless Chromium from the same HTML page
//! with a print stylesheet: the browser's own text shaping and fonts (the CJK
//! fonts are embedded), figures as vector SVG, PDF bookmarks from the
//! headings, a table of contents with page numbers, a running source line
//! and page numbers in the margins.
//!
//! The page numbers of the contents are read back from the printed PDF: the
//! page is printed, the page of each heading is taken from the PDF's outline,
//! and the page is printed again with the numbers in, until the numbers
//! stand (twice in practice: the numbers do not change the length of the
//! contents). The printed file is made byte-deterministic by blanking the
//! two dates Chromium writes into the document information.
//!
//! Chromium is a runtime dependency of this one output only, found as
//! `report --chromium` (or `INNOSCOPE_CHROMIUM`), the settings file's `[report] chromium`, or
//! `chromium`/`chromium-browser`/`google-chrome` on the `PATH`.
//! ARCHITECTURE.md says why a browser rather than a typesetting crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use innoscope_core::Lang;
use innoscope_engine::{EngineError, Result};

use crate::ReportInput;
use crate::html::{Print, render_with};

/// The names Chromium goes by on the `PATH`, in the order tried.
const NAMES: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// A headless Chromium that prints pages to PDF.
#[derive(Clone, Debug, PartialEq)]
pub struct Printer {
    pub chromium: PathBuf,
    /// How long one print may take before it is stopped.
    pub timeout: Duration,
}

impl Printer {
    /// The browser at `explicit` (which must exist), else the first of
    /// `chromium`, `chromium-browser`, `google-chrome`… on the `PATH`.
    pub fn find(explicit: Option<&Path>) -> Result<Printer> {
        let hint = "install Chromium (Debian/Ubuntu: `apt-get install chromium fonts-noto-cjk`; \
                    scripts/setup.sh does it), or point --chromium / INNOSCOPE_CHROMIUM or `[report] chromium` \
                    in innoscope.toml at a Chromium or Chrome binary";
        let chromium = match explicit {
            Some(p) if p.is_file() => p.to_path_buf(),
            Some(p) => {
                return Err(EngineError::missing(
                    format!("PDF output: the browser {} does not exist", p.display()),
                    hint,
                ));
            }
            None => on_path(&NAMES).ok_or_else(|| {
                EngineError::missing(
                    format!(
                        "PDF output needs headless Chromium, and none of {} is on the PATH",
                        NAMES.join(", ")
                    ),
                    hint,
                )
            })?,
        };
        Ok(Printer {
            chromium,
            timeout: Duration::from_secs(300),
        })
    }

    /// Print the page `html` (self-contained) to PDF bytes, working in `work`.
    pub fn print(&self, html: &str, work: &Path) -> Result<Vec<u8>> {
        let page = work.join("page.html");
        let out = work.join("page.pdf");
        let log = work.join("chromium.log");
        std::fs::write(&page, html).map_err(|e| EngineError::io(&page, e))?;
        let _ = std::fs::remove_file(&out);
        let log_file = std::fs::File::create(&log).map_err(|e| EngineError::io(&log, e))?;
        let mut cmd = Command::new(&self.chromium);
        cmd.args([
            "--headless",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(file_url(&page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file);
        // Chromium refuses to start as root with its sandbox on.
        if running_as_root() {
            cmd.arg("--no-sandbox");
        }
        let failed = |what: String| {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail
                .lines()
                .filter(|l| !l.contains("dbus") && !l.trim().is_empty())
                .collect();
            let tail = tail[tail.len().saturating_sub(3)..].join(" | ");
            EngineError::output(
                "pdf",
                format!(
                    "{} {what}{}",
                    self.chromium.display(),
                    if tail.is_empty() {
                        String::new()
                    } else {
                        format!(" ({tail})")
                    }
                ),
            )
        };
        let mut child = cmd
            .spawn()
            .map_err(|e| failed(format!("could not be started: {e}")))?;
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if start.elapsed() > self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(failed(format!(
                        "did not finish printing within {} s",
                        self.timeout.as_secs()
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(failed(format!("could not be waited for: {e}"))),
            }
        };
        let bytes = std::fs::read(&out).unwrap_or_default();
        if !bytes.starts_with(b"%PDF-") {
            return Err(failed(format!("printed no PDF (exit status {status})")));
        }
        Ok(bytes)
    }
}

/// A printed report.
#[derive(Clone, Debug)]
pub struct Printed {
    pub pdf: Vec<u8>,
    /// The page printed beside each entry of the contents, by anchor.
    pub pages: BTreeMap<String, u32>,
    /// How many entries the contents have (an entry whose heading was not
    /// found in the PDF's outline is printed without a page).
    pub entries: usize,
}

/// The report in `lang` as PDF, with its table of contents numbered.
pub fn report(input: &ReportInput, lang: Lang, printer: &Printer) -> Result<Printed> {
    let work = tempdir()?;
    let mut print = Print {
        footer: footer(input, lang),
        pages: BTreeMap::new(),
    };
    // Print, read where each heading landed, print again with the pages in,
    // until they stand.
    for _ in 0..4 {
        let page = render_with(input, lang, Some(&print));
        let bytes = printer.print(&page.html, work.path())?;
        let pages = contents_pages(&page.contents, &outline(&bytes)?);
        if pages == print.pages {
            return Ok(Printed {
                pdf: deterministic(bytes),
                pages,
                entries: page.contents.len(),
            });
        }
        print.pages = pages;
    }
    Err(EngineError::output(
        "pdf",
        "the page numbers of the contents did not settle after four printings",
    ))
}

/// A heading of a printed PDF (its bookmark): title, depth, 1-based page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bookmark {
    pub title: String,
    pub depth: usize,
    pub page: u32,
}

/// The bookmarks of a PDF in document order.
pub fn outline(pdf: &[u8]) -> Result<Vec<Bookmark>> {
    let bad = |m: String| EngineError::output("pdf", format!("reading the printed PDF: {m}"));
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| bad(e.to_string()))?;
    let toc = match doc.get_toc() {
        Ok(t) => t,
        Err(lopdf::Error::NoOutline) => return Ok(Vec::new()),
        Err(e) => return Err(bad(e.to_string())),
    };
    Ok(toc
        .toc
        .into_iter()
        .map(|t| Bookmark {
            title: t.title.split_whitespace().collect::<Vec<_>>().join(" "),
            depth: t.level,
            page: u32::try_from(t.page).unwrap_or(u32::MAX),
        })
        .collect())
}

/// The page of each contents entry: the next bookmark, in document order,
/// titled as its heading. Entries whose heading is not found get no page.
fn contents_pages(contents: &[(String, String)], marks: &[Bookmark]) -> BTreeMap<String, u32> {
    let mut pages = BTreeMap::new();
    let mut at = 0;
    for (anchor, title) in contents {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(k) = marks[at..].iter().position(|m| m.title == title) {
            pages.insert(anchor.clone(), marks[at + k].page);
            at += k + 1;
        }
    }
    pages
}

/// The running line at the foot of each page: the publishers of the data,
/// the most used first (the colophon lists them in full), and, when any
/// table is synthetic or invented, the stamp.
fn footer(input: &ReportInput, lang: Lang) -> String {
    let tables = || input.sections.iter().flat_map(|s| &s.tables);
    // Publisher: the citation up to its first comma, bracket or colon.
    let mut uses: Vec<(String, usize)> = Vec::new();
    for src in tables().flat_map(|t| &t.sources) {
        let source = src.source_in(lang);
        let name = source
            .split([',', '(', ':', '，', '（', '：', ';', '；'])
            .next()
            .unwrap_or_default()
            .trim();
        match uses.iter_mut().find(|(n, _)| n == name) {
            Some((_, k)) => *k += 1,
            None if !name.is_empty() => uses.push((name.to_string(), 1)),
            None => {}
        }
    }
    // Stable: equal counts keep the report's order.
    uses.sort_by_key(|u| std::cmp::Reverse(u.1));
    let names: Vec<&str> = uses.iter().map(|(n, _)| n.as_str()).collect();
    let mut line = match lang {
        Lang::En => format!("innoscope · data: {}", names.join("; ")),
        Lang::Zh => format!("innoscope · 数据来源：{}", names.join("；")),
    };
    if line.chars().count() > 140 {
        line = line.chars().take(139).collect::<String>() + "…";
    }
    if tables().any(|t| t.synthetic) {
        line.push_str(match lang {
            Lang::En => " · contains synthetic or invented demo data, stamped where shown",
            Lang::Zh => " · 含合成或虚构的演示数据，出现处均已标注",
        });
    }
    line
}

/// `pdf` with the creation and modification dates of its document
/// information blanked (spaces of the same length, so every offset of the
/// cross-reference table stays right): the same report prints to the same
/// bytes.
fn deterministic(mut pdf: Vec<u8>) -> Vec<u8> {
    for key in [&b"/CreationDate"[..], &b"/ModDate"[..]] {
        let mut from = 0;
        while let Some(k) = find(&pdf[from..], key) {
            let start = from + k;
            let rest = &pdf[start + key.len()..];
            // `/Key (D:…)`: blank the key and its literal string.
            let open = rest.iter().position(|b| !b.is_ascii_whitespace());
            match open.filter(|&o| rest[o] == b'(') {
                Some(o) => match rest[o..].iter().position(|&b| b == b')') {
                    Some(c) => {
                        let end = start + key.len() + o + c + 1;
                        pdf[start..end].fill(b' ');
                        from = end;
                    }
                    None => break,
                },
                None => from = start + key.len(),
            }
        }
    }
    pdf
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `file://` URL of an absolute path, percent-encoded.
fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// Whether this process runs as root (Linux: the effective uid in
/// /proc/self/status).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// A private working directory, removed when dropped.
fn tempdir() -> Result<tempfile::TempDir> {
    let base = std::env::temp_dir();
    tempfile::Builder::new()
        .prefix("innoscope-pdf-")
        .tempdir_in(&base)
        .map_err(|e| EngineError::io(&base, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(title: &str, page: u32) -> Bookmark {
        Bookmark {
            title: title.into(),
            depth: 1,
            page,
        }
    }

    #[test]
    fn contents_take_the_next_heading_of_their_title() {
        let marks = [
            mark("Report", 1),
            mark("Key findings", 1),
            mark("1. Trends", 3),
            mark("Overview Q1", 4),
            mark("Overview Q1 and tools", 4),
            mark("2. Input", 7),
            mark("R&D input C1", 8),
        ];
        let contents = [
            ("part-0".to_string(), "1. Trends".to_string()),
            ("q1".into(), "Overview  Q1".into()),
            ("part-1".into(), "2. Input".into()),
            ("c1".into(), "R&D input C1".into()),
            ("c9".into(), "Not printed C9".into()),
        ];
        let pages = contents_pages(&contents, &marks);
        assert_eq!(pages.get("part-0"), Some(&3));
        assert_eq!(pages.get("q1"), Some(&4));
        assert_eq!(pages.get("part-1"), Some(&7));
        assert_eq!(pages.get("c1"), Some(&8));
        assert_eq!(pages.get("c9"), None);
    }

    fn section(source: &str, synthetic: bool) -> crate::Section {
        let mut t = innoscope_core::ResultTable::new("X", innoscope_core::Text::same("X"));
        t.synthetic = synthetic;
        t.sources.push(innoscope_core::SourceNote {
            dataset: "d".into(),
            indicators: vec![],
            source: source.into(),
            licence: "CC BY 4.0".into(),
            vintage: "2026".into(),
        });
        crate::Section {
            analysis: "X".into(),
            anchor: "x".into(),
            part: Default::default(),
            chapter: Default::default(),
            heading: Default::default(),
            numbers: vec![],
            tables: vec![t],
            unavailable: None,
            changes: vec![],
        }
    }

    #[test]
    fn the_running_line_names_the_publishers_most_used_first_and_stamps_invented_data() {
        let input = |synthetic| ReportInput {
            title: Default::default(),
            subtitle: Default::default(),
            sections: vec![
                section("UNCTAD, World Investment Report 2022", false),
                section("World Bank WDI (ICP)", false),
                section("World Bank WDI (IMF IFS)", synthetic),
            ],
            colophon: vec![],
            compared_with: None,
        };
        let line = footer(&input(false), Lang::En);
        assert_eq!(line, "innoscope · data: World Bank WDI; UNCTAD");
        let line = footer(&input(true), Lang::En);
        assert!(line.ends_with("contains synthetic or invented demo data, stamped where shown"));
        assert!(footer(&input(true), Lang::Zh).contains("含合成或虚构的演示数据"));
    }

    #[test]
    fn dates_are_blanked_in_place() {
        let pdf = b"<< /Producer (Skia) /CreationDate (D:20261202023600+00'00') /ModDate (D:1) >>"
            .to_vec();
        let out = deterministic(pdf.clone());
        assert_eq!(out.len(), pdf.len());
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("/Producer (Skia)"), "{s}");
        assert!(!s.contains("Date") && !s.contains("D:2026"), "{s}");
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/报告.html")),
            "file:///tmp/a%20b/%E6%8A%A5%E5%91%8A.html"
        );
    }

    #[test]
    fn a_missing_browser_is_named_with_a_hint() {
        let e = Printer::find(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/chromium"), "{e}");
        assert!(e.hint().unwrap().contains("INNOSCOPE_CHROMIUM"));
    }
}
