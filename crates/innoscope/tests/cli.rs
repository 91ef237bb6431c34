//! The binary, run from outside in temporary directories: exit codes,
//! stderr messages, and the report's files.

use std::path::Path;
use std::process::{Command, Output};

fn innoscope(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_innoscope"))
        .args(args)
        .env("INNOSCOPE_DATA_DIR", data_dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_documents_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let o = innoscope(tmp.path(), &["--help"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(
        s.contains("0  success") && s.contains("1  no result") && s.contains("2  error"),
        "{s}"
    );
}

#[test]
fn analyze_csv_has_a_header_and_bad_params_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let o = innoscope(tmp.path(), &["analyze", "C5", "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.starts_with("# C5 "), "provenance first: {s}");
    assert!(
        s.contains("\neconomy,name_en,name_zh,exports,imports,net,"),
        "{s}"
    );
    assert!(s.contains("USA,United States,美国,123.64"));
    // The plain mode: one header row, then the data.
    let o = innoscope(
        tmp.path(),
        &["analyze", "C5", "--format", "csv", "--csv-plain", "--bom"],
    );
    let s = stdout(&o);
    assert!(
        s.starts_with("\u{feff}economy,name_en,name_zh,exports,imports,net,") && !s.contains('#'),
        "{s}"
    );
    let o = innoscope(
        tmp.path(),
        &["analyze", "C1", "--economies", "USA,Atlantis"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error: parameter `economies`: unknown economy `Atlantis`"),
        "{}",
        stderr(&o)
    );
    let o = innoscope(tmp.path(), &["analyze", "Z9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hint: `innoscope analyze --list`"));
    // A near miss gets a suggestion; a range error states the range.
    let o = innoscope(tmp.path(), &["analyze", "c11"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `C1`?"), "{}", stderr(&o));
    let o = innoscope(tmp.path(), &["analyze", "K2", "--min-weight", "-3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("parameter `min-weight`: -3 is less than 0"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn import_errors_name_file_line_and_leave_the_store_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("store");
    let bad = tmp.path().join("bx.gsr.royl.cd.csv");
    std::fs::write(
        &bad,
        "Country Name,Country Code,Year,Value\nChina,CHN,2020,12\nChina,CHN,2021,twelve\n",
    )
    .unwrap();
    let o = innoscope(&data, &["import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("bx.gsr.royl.cd.csv:3: field \"Value\": `twelve` is not a number"),
        "{e}"
    );
    assert!(
        e.contains("store was left unchanged") && e.contains("hint:"),
        "{e}"
    );
    assert!(!data.join("manifest.json").exists());
    // --keep-going imports the valid row; the analysis then uses the user's data.
    let o = innoscope(&data, &["import", "--keep-going", bad.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = innoscope(&data, &["datasets"]);
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("wdi") && l.contains("store")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn unknown_economies_are_warned_with_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("x.test.csv");
    std::fs::write(
        &f,
        "Country Name,Country Code,Year,Value\nAtlantis,ATL,2020,1\nChina,CHN,2020,2\n",
    )
    .unwrap();
    let o = innoscope(&tmp.path().join("s"), &["import", f.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("unknown economy `ATL` on line(s) 2"),
        "{}",
        stderr(&o)
    );
}

/// `innoscope report --quiet --out OUT EXTRA…` over `store`.
fn report_with(store: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["report", "--quiet", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    innoscope(store, &args)
}

/// `innoscope report --compare-with seed2021` into `out` (store under `dir`).
fn report_compared_with_the_seed(dir: &Path, out: &Path) {
    let o = report_with(&dir.join("s"), out, &["--compare-with", "seed2021"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn report_is_written_deterministically_with_figures_and_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let out1 = tmp.path().join("r1");
    let out2 = tmp.path().join("r2");
    for out in [&out1, &out2] {
        report_compared_with_the_seed(tmp.path(), out);
    }
    for name in [
        "report.zh.html",
        "report.en.html",
        "figures/c1.zh.svg",
        "figures/c5.en.svg",
        "tables/c2-tiers.csv",
        "tables/f2-groups.csv",
    ] {
        let a = std::fs::read(out1.join(name)).unwrap_or_else(|_| panic!("{name} missing"));
        let b = std::fs::read(out2.join(name)).unwrap();
        assert_eq!(a, b, "{name} differs between runs");
    }
    let zh = std::fs::read_to_string(out1.join("report.zh.html")).unwrap();
    assert!(zh.contains("图 2") && zh.contains("研发支出") && zh.contains("<svg"));
    assert!(zh.contains("与中国信通院"), "the seed comparison is shown");
    // The executive summary opens the page, each finding linked to its
    // figure; a synthetic one is stamped.
    let summary = zh
        .split("<section class=\"summary\" id=\"summary\"><h2>主要发现</h2>")
        .nth(1)
        .and_then(|r| r.split("</section>").next())
        .expect("a summary");
    assert!(zh.find("id=\"summary\"") < zh.find("<nav class=\"toc\">"));
    assert!(summary.contains("<li><a href=\"#c1\">"), "{summary}");
    let k1 = summary
        .lines()
        .find(|l| l.contains("href=\"#k1\""))
        .expect("K1 in the summary");
    assert!(k1.contains("合成演示数据"), "{k1}");
    // Every anchor once (links and the table of contents depend on it).
    let mut ids: Vec<&str> = zh
        .split(" id=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids in the zh report");
    assert!(
        !zh.contains("http://")
            || zh
                .matches("http://")
                .all(|_| zh.contains("http://www.w3.org/2000/svg")),
        "no network resources"
    );
    let csv = std::fs::read_to_string(out1.join("tables/c5.csv")).unwrap();
    assert!(
        csv.starts_with("# C5 ") && csv.contains("\neconomy,name_en,"),
        "provenance lines then a header row"
    );
}

/// The page's text with tags, styles, scripts, citations (`<cite>`, a
/// publication's own title), codes (`<code>`, backticks) and figures left out.
fn prose(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [
        ("<style", "</style>"),
        ("<script", "</script>"),
        ("<svg", "</svg>"),
        ("<cite>", "</cite>"),
        ("<code>", "</code>"),
    ] {
        while let Some(a) = s.find(open) {
            let b = s[a..].find(close).map_or(s.len(), |b| a + b + close.len());
            s.replace_range(a..b, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push('\n');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    // Backtick spans are commands and parameters.
    text.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// Lower-case English words (three letters or more) in `text` that are not
/// part of a code, an id or a path (`ncses-gerd`, `data/kb`, `K2.medical`).
fn english_words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphabetic() {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let glued = |c: Option<&char>| {
            c.is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/' | '_' | '='))
        };
        // A web address's scheme (`http://`) is part of a code too.
        let scheme = chars[i..].starts_with(&[':', '/', '/']);
        let part_of_code =
            scheme || glued(start.checked_sub(1).and_then(|p| chars.get(p))) || glued(chars.get(i));
        if word.len() >= 3
            && word.chars().all(|c| c.is_ascii_lowercase())
            && !part_of_code
            && word != "innoscope"
        {
            out.push(word);
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// One language per page: no English prose on the Chinese report and its
/// figures (names, codes, commands and cited titles apart), no Chinese on
/// the English ones; with the comparison against the seed's figures too.
#[test]
fn report_pages_read_in_one_language() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    report_compared_with_the_seed(tmp.path(), &out);
    // The scanner finds what it should and nothing else.
    assert_eq!(
        english_words(&prose(
            "<p>原为 stayed，K2.medical ncses-gerd `import x` GDP 2019年 <cite>World data</cite></p>"
        )),
        ["stayed"]
    );
    let zh = prose(&std::fs::read_to_string(out.join("report.zh.html")).unwrap());
    let words = english_words(&zh);
    assert!(words.is_empty(), "English on the zh page: {words:?}");
    let en = prose(&std::fs::read_to_string(out.join("report.en.html")).unwrap());
    let han: String = en.chars().filter(|c| is_cjk(*c)).take(40).collect();
    assert!(han.is_empty(), "Chinese on the en page: {han}");
    let mut figures = 0;
    for f in std::fs::read_dir(out.join("figures")).unwrap() {
        let path = f.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let svg = std::fs::read_to_string(&path).unwrap();
        // Each text element of the figure; the source lines cite titles.
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| t.split_once('>').and_then(|(_, r)| r.split_once("</text>")))
            .map(|(t, _)| t)
            .collect();
        if name.ends_with(".zh.svg") {
            figures += 1;
            let mut in_sources = false;
            for t in texts {
                in_sources |= t.starts_with("来源");
                if in_sources {
                    continue;
                }
                let w = english_words(&prose(t));
                assert!(w.is_empty(), "{name}: English {w:?} in {t:?}");
            }
        } else if name.ends_with(".en.svg") {
            for t in texts {
                assert!(!t.chars().any(is_cjk), "{name}: Chinese in {t:?}");
            }
        }
    }
    assert!(figures > 20, "{figures} zh figures scanned");
}

#[test]
fn report_with_a_missing_series_explains_what_to_import() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = innoscope(
        &tmp.path().join("s"),
        &[
            "report",
            "--quiet",
            "--no-bundled",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "no data: no result");
    let en = std::fs::read_to_string(out.join("report.en.html")).unwrap();
    assert!(en.contains("Not available with the data at hand") && en.contains("innoscope import"));
    // The knowledge-base chapters need no data; the record chapters say
    // which file enables them.
    assert!(en.contains("Table 1.") && en.contains("ARPA-H"));
    assert!(en.contains("unicorn list") && en.contains("TALENT.VISAS.ISSUED"));
}

#[test]
fn the_report_follows_the_seed_from_trends_to_modes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = innoscope(
        &tmp.path().join("s"),
        &["report", "--quiet", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let zh = std::fs::read_to_string(out.join("report.zh.html")).unwrap();
    // Parts and chapters in the seed's order.
    let order = [
        "一、数字时代产业创新的新趋势",
        "二、世界主要国家和地区产业创新生态建设的新动态",
        "表 1",
        "三、全球产业创新生态发展的新格局",
        "图 2",
        "图 4",
        "图 8",
        "图 14",
        "图 16",
        "图 17",
        "图 18",
        "四、产业部门推动创新生态演进的四大方向",
        "（四）生态运行机制",
    ];
    let body = &zh[zh.find("<h2").unwrap()..];
    let mut at = 0;
    for needle in order {
        let i = body[at..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} missing or out of order"));
        at += i;
    }
    // Every section of the plan renders from the bundled data.
    assert!(!zh.contains("现有数据无法计算"), "a section is unavailable");
    for anchor in [
        "trends",
        "profiles",
        "c3",
        "f3",
        "i1",
        "i2",
        "i3",
        "authorities",
        "mechanisms",
    ] {
        assert!(
            zh.contains(&format!("<section id=\"{anchor}\"")),
            "{anchor}"
        );
    }
    assert!(out.join("figures/i2-cross.zh.svg").is_file());
    assert!(out.join("tables/q1-usa.csv").is_file());
}

#[test]
fn kb_search_show_and_check() {
    let tmp = tempfile::tempdir().unwrap();
    let o = innoscope(tmp.path(), &["kb", "search", "颠覆性创新"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("de-disruptive-agency"),
        "{}",
        stdout(&o)
    );
    let o = innoscope(tmp.path(), &["kb", "search", "regulatory", "sandbox"]);
    assert!(
        stdout(&o).starts_with("regulatory-sandboxes"),
        "{}",
        stdout(&o)
    );
    let o = innoscope(
        tmp.path(),
        &[
            "kb",
            "list",
            "--kind",
            "case",
            "--field",
            "telecom",
            "--economies",
            "KR",
        ],
    );
    let s = stdout(&o);
    assert!(s.contains("kr-6g-5g-ppp") && !s.contains("hexa-x"), "{s}");
    let o = innoscope(tmp.path(), &["kb", "show", "hexa-x", "--lang", "zh"]);
    assert!(stdout(&o).contains("诺基亚"), "{}", stdout(&o));
    let o = innoscope(tmp.path(), &["kb", "search", "nothing-like-this"]);
    assert_eq!(o.status.code(), Some(1));
    // A broken user file: exit 2, file and field named.
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x.toml"), "[[concept]]\nid = \"m\"\nkind = \"trend\"\nnumber = 6\nsection = \"1.9\"\nname = { en = \"a\", zh = \"甲\" }\nsummary = { en = \"b\", zh = \"乙\" }\n").unwrap();
    let o = innoscope(
        tmp.path(),
        &["kb", "check", "--kb-dir", dir.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("x.toml: entry `m`: field `section`: `1.9` is not a section"),
        "{}",
        stderr(&o)
    );
    // A newer case of the user's own: valid, and listed while it has no source.
    std::fs::write(dir.join("x.toml"), "[[case]]\nid = \"my-2024-case\"\ndate = \"2024-05\"\neconomies = [\"GBR\"]\nactor_types = [\"government\"]\nfields = [\"cross-cutting\"]\nillustrates = [\"dynamic-new-vehicles\"]\nsection = \"2.1.2\"\ntitle = { en = \"a\", zh = \"甲\" }\nsummary = { en = \"b\", zh = \"乙\" }\n").unwrap();
    let o = innoscope(
        tmp.path(),
        &["kb", "check", "--kb-dir", dir.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("cases without a source") && stdout(&o).ends_with("my-2024-case\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn record_lists_import_and_analyse() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/fixtures");
    let o = innoscope(
        tmp.path(),
        &[
            "import",
            "--synthetic",
            fixtures
                .join("eu-scoreboard-2021-fixture.csv")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("imported dataset `scoreboard`: 58"),
        "{}",
        stderr(&o)
    );
    let o = innoscope(
        tmp.path(),
        &["analyze", "I1", "--format", "csv", "--no-bundled"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("digital,Digital,数字,25,232.4,16.2,"),
        "{}",
        stdout(&o)
    );
}

/// `applicants harmonise` on the name list `names` written to `file`: the
/// input's path, the output's header and rows, and its text.
fn harmonise(
    dir: &Path,
    file: &str,
    names: &str,
) -> (
    std::path::PathBuf,
    csv::StringRecord,
    Vec<csv::StringRecord>,
    String,
) {
    let input = dir.join(file);
    std::fs::write(&input, names).unwrap();
    let o = innoscope(dir, &["applicants", "harmonise", input.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    let mut r = csv::Reader::from_reader(s.as_bytes());
    let h = r.headers().unwrap().clone();
    let rows = r.records().map(|x| x.unwrap()).collect();
    (input, h, rows, s)
}

#[test]
fn applicants_harmonise_keeps_rows_in_order_and_names_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, h, rows, _) = harmonise(
        tmp.path(),
        "names.csv",
        "name,country\n\"Genentech, Inc.\",US\n\"F. Hoffmann-La Roche AG\",CH\nGENENTECH INC,\n\"SMITH, John\",GB\nAcme Widgets LLC,US\n",
    );
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert_eq!(rows.len(), 5);
    let names: Vec<&str> = rows.iter().map(|x| &x[col("name")]).collect();
    assert_eq!(
        names,
        [
            "Genentech, Inc.",
            "F. Hoffmann-La Roche AG",
            "GENENTECH INC",
            "SMITH, John",
            "Acme Widgets LLC"
        ]
    );
    assert_eq!(rows[0][col("entity_id")], rows[2][col("entity_id")]);
    assert_eq!(&rows[0][col("group_id")], "ROCHE");
    assert_eq!(&rows[1][col("group_id")], "ROCHE");
    assert_eq!(&rows[0][col("group_pattern")], "Genentech*");
    assert_eq!(&rows[3][col("kind")], "person");
    assert_eq!(&rows[4][col("group_id")], &rows[4][col("entity_id")]);
    // JSON too.
    let o = innoscope(
        tmp.path(),
        &[
            "applicants",
            "harmonise",
            input.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    assert_eq!(v[1]["group_zh"], "罗氏");
    // A file without a name column, and a bad country code.
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, "firm,country\nAcme,US\n").unwrap();
    let o = innoscope(
        tmp.path(),
        &["applicants", "harmonise", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.csv") && stderr(&o).contains("name"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&bad, "name,country\nAcme,US\nBeta,Narnia\n").unwrap();
    let o = innoscope(
        tmp.path(),
        &["applicants", "harmonise", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("bad.csv:3") && e.contains("country") && e.contains("Narnia"),
        "{e}"
    );
}

#[test]
fn applicants_harmonise_institutions_and_dated_groups() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, h, rows, s) = harmonise(
        tmp.path(),
        "inst.csv",
        "name,country\nL'UNIVERSITE MONTPELLIER II,FR\nUNIVERSITE MONTPELLIER 2,FR\nUNIVERSITE PARIS SUD,FR\nTU MUENCHEN,DE\nLMU MUENCHEN,DE\nHOCHSCHULE MANNHEIM,DE\n",
    );
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert_eq!(rows[0][col("entity_id")], rows[1][col("entity_id")], "{s}");
    assert_eq!(&rows[0][col("kind_rule")], "institution word");
    assert_eq!(&rows[0][col("group_id")], "UMONTPELLIER");
    assert!(rows[0][col("group_source")].contains("from 2015"), "{s}");
    assert_eq!(&rows[2][col("group_id")], "PARIS-SACLAY");
    assert_ne!(rows[3][col("entity_id")], rows[4][col("entity_id")]);
    assert_eq!(&rows[5][col("kind")], "organisation", "{s}");
    // explain names the institution steps.
    let o = innoscope(
        tmp.path(),
        &[
            "applicants",
            "explain",
            "L'UNIVERSITE MONTPELLIER II",
            "--names",
            input.to_str().unwrap(),
        ],
    );
    let s = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(s.contains("elided articles dropped"), "{s}");
    assert!(s.contains("the row holds from 2015"), "{s}");
}

#[test]
fn applicants_explain_and_review_on_real_sample_names() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/patent-samples/patentscope/pizza_medium_2015.csv");
    if !sample.is_file() {
        return; // the shared samples sit beside the clone in CI
    }
    let o = innoscope(
        tmp.path(),
        &[
            "import",
            "--keep-going",
            "-q",
            "--dataset",
            "pizza",
            sample.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = innoscope(
        tmp.path(),
        &[
            "applicants",
            "explain",
            "Agapy Trade AG",
            "--source",
            "pizza",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("legal forms removed"), "{s}");
    assert!(s.contains("Kind: organisation (legal form)"), "{s}");
    assert!(
        s.contains("AGAPI TRADE AG"),
        "the other spellings are listed: {s}"
    );
    assert!(s.contains("similar key"), "{s}");
    let o = innoscope(
        tmp.path(),
        &["applicants", "review", "--source", "pizza", "--limit", "5"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("of the threshold 0.93"), "{s}");
    // Every pair to a CSV file: a header, then a row per pair listed.
    let review_to = |csv: &Path| {
        innoscope(
            tmp.path(),
            &[
                "applicants",
                "review",
                "--source",
                "pizza",
                "--csv",
                csv.to_str().unwrap(),
            ],
        )
    };
    let pairs = tmp.path().join("pairs.csv");
    let o = review_to(&pairs);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = s
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .expect("the pair count leads the listing");
    let text = std::fs::read_to_string(&pairs).unwrap();
    assert!(
        text.starts_with("score,merged,name_a,key_a,name_b,key_b\n"),
        "{text}"
    );
    assert_eq!(
        csv::Reader::from_reader(text.as_bytes()).records().count(),
        listed
    );
    // Into a missing directory: the file asked for is named, nothing is left.
    let o = review_to(&tmp.path().join("no/such/pairs.csv"));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no/such/pairs.csv"), "{}", stderr(&o));
    let o = innoscope(
        tmp.path(),
        &[
            "applicants",
            "export",
            "--source",
            "pizza",
            "--out",
            tmp.path().join("x").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["applicant-names", "applicant-entities", "applicant-groups"] {
        assert!(tmp.path().join("x").join(format!("{f}.csv")).is_file());
        assert!(tmp.path().join("x").join(format!("{f}.parquet")).is_file());
    }
}

#[test]
fn analyze_and_report_write_xlsx_parquet_and_png() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    let dir = tmp.path().join("out");
    std::fs::create_dir_all(&dir).unwrap();
    let at = |n: &str| dir.join(n).to_str().unwrap().to_string();
    for (format, file) in [
        ("xlsx", "c2.xlsx"),
        ("parquet", "c2.parquet"),
        ("png", "c2.png"),
    ] {
        let o = innoscope(
            &store,
            &[
                "analyze",
                "C2",
                "--format",
                format,
                "--out",
                &at(file),
                "--lang",
                "zh",
            ],
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("wrote {}", at(file))),
            "{}",
            stderr(&o)
        );
    }
    // Two tables: the second Parquet file takes the part's name; the tier
    // table has no figure, so one PNG.
    assert!(dir.join("c2.tiers.parquet").is_file());
    assert!(!dir.join("c2.tiers.png").exists());
    assert_eq!(&std::fs::read(dir.join("c2.xlsx")).unwrap()[..2], b"PK");
    assert_eq!(
        &std::fs::read(dir.join("c2.parquet")).unwrap()[..4],
        b"PAR1"
    );
    assert_eq!(&std::fs::read(dir.join("c2.png")).unwrap()[1..4], b"PNG");
    // A binary format needs a file; no temporary file is left behind.
    let o = innoscope(&store, &["analyze", "C2", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out PATH"), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // The report: the workbook beside the pages, a PNG beside every SVG.
    let out = tmp.path().join("r");
    let o = report_with(&store, &out, &["--format", "html,xlsx,png", "--scale", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("report.xlsx").is_file() && out.join("report.zh.html").is_file());
    let svgs: Vec<_> = std::fs::read_dir(out.join("figures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert!(svgs.len() > 20);
    for svg in &svgs {
        assert!(
            svg.with_extension("png").is_file(),
            "{} has no PNG",
            svg.display()
        );
    }
}

#[test]
fn report_prints_to_pdf_in_both_languages_and_a_missing_browser_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    let out = tmp.path().join("r");
    let o = report_with(&store, &out, &["--format", "html,pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for lang in ["zh", "en"] {
        let pdf = std::fs::read(out.join(format!("report.{lang}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // Bookmarks for every part of the report, in the page's language,
        // each on a page after the cover and the contents.
        let marks = innoscope_report::pdf::outline(&pdf).unwrap();
        let parts: Vec<_> = marks.iter().filter(|m| m.depth == 2).collect();
        let first = if lang == "zh" { "一、" } else { "1. " };
        assert!(
            parts
                .iter()
                .any(|m| m.title.starts_with(first) && m.page >= 3),
            "{marks:?}"
        );
        assert!(marks.len() > 60, "{}", marks.len());
    }
    let before = std::fs::read(out.join("report.zh.pdf")).unwrap();
    // A browser that is not there: a clear error, and the report as it was.
    let o = Command::new(env!("CARGO_BIN_EXE_innoscope"))
        .args(["--data-dir", store.to_str().unwrap(), "report", "--quiet"])
        .args(["--format", "pdf", "--out", out.to_str().unwrap()])
        .env("INNOSCOPE_CHROMIUM", "/nonexistent/chromium")
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("/nonexistent/chromium") && err.contains("INNOSCOPE_CHROMIUM"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("report.zh.pdf")).unwrap(), before);
}

#[test]
fn report_takes_the_seed_economy_set_as_a_preset() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = innoscope(
        &tmp.path().join("s"),
        &[
            "report",
            "--quiet",
            "--lang",
            "en",
            "--preset",
            "report2021",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for table in ["c1", "c2"] {
        let csv = std::fs::read_to_string(out.join(format!("tables/{table}.csv"))).unwrap();
        assert!(
            csv.contains("# Economies: preset `report2021`"),
            "{table}: {csv}"
        );
        let rows = csv.lines().filter(|l| !l.starts_with('#')).count() - 1;
        assert_eq!(rows, 15, "{table}: the report's 15 R&D economies");
    }
    // Analyses without presets run as before.
    let c5 = std::fs::read_to_string(out.join("tables/c5.csv")).unwrap();
    assert!(c5.contains("# Economies: union of the top-10"), "{c5}");
}

/// `report --compare-with vintage:PREV`: what changed since the store's
/// previous version of a dataset, per figure, a revision told apart from a
/// new year.
#[test]
fn report_compares_with_the_previous_vintage() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let wdi = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/wdi/gb.xpd.rsdv.gd.zs.csv");
    let o = innoscope(&store, &["import", "--quiet", wdi.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The next download: the US 2019 value revised, a 2025 value for China.
    let text = std::fs::read_to_string(&wdi).unwrap();
    let mut next: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("United States,USA,2019,") {
                "United States,USA,2019,3.25".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    next.push("China,CHN,2025,2.70".into());
    let again = tmp.path().join("gb.xpd.rsdv.gd.zs.csv");
    std::fs::write(&again, next.join("\n") + "\n").unwrap();
    let o = innoscope(&store, &["import", "--quiet", again.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("r");
    let o = report_with(&store, &out, &["--compare-with", "vintage:PREV"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let en = std::fs::read_to_string(out.join("report.en.html")).unwrap();
    let c1 = en
        .split("id=\"c1\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        c1.contains(
            "United States · GB.XPD.RSDV.GD.ZS 2019: revised: 3.14297 then, 3.25 now (wdi)"
        ),
        "{c1}"
    );
    assert!(
        c1.contains("China · GB.XPD.RSDV.GD.ZS 2025: new year: 2.7 (wdi)"),
        "{c1}"
    );
    let zh = std::fs::read_to_string(out.join("report.zh.html")).unwrap();
    assert!(zh.contains("美国·GB.XPD.RSDV.GD.ZS 2019年：修订：原为3.14297，现为3.25（wdi）"));
    // A version that is not kept is an error naming what is there.
    let o = report_with(&store, &out, &["--compare-with", "vintage:0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("vintage:PREV or vintage:N"),
        "{}",
        stderr(&o)
    );
}
