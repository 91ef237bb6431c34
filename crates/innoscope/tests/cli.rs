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
    assert!(
        s.starts_with("economy,name_en,name_zh,exports,imports,net,"),
        "{s}"
    );
    assert!(s.contains("USA,United States,美国,123.64"));
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

#[test]
fn report_is_written_deterministically_with_figures_and_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let out1 = tmp.path().join("r1");
    let out2 = tmp.path().join("r2");
    for out in [&out1, &out2] {
        let o = innoscope(
            &tmp.path().join("s"),
            &[
                "report",
                "--quiet",
                "--out",
                out.to_str().unwrap(),
                "--compare-with",
                "seed2021",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
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
}
