//! Patent readers on the real export samples in `../shared/data/patent-samples`,
//! on PATSTAT-layout fixtures, and on arbitrary bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use innoscope_core::patent::Role;
use innoscope_import::Rejection;
use innoscope_import::patents::IdAllocator;
use innoscope_import::patents::{
    ApplnRow, ClassRow, PartyRow, PatentFormat, PatentSink, PatentSummary, PersonRow,
    read_patent_file,
};
use proptest::prelude::*;

fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/patent-samples")
        .join(rel)
}

#[derive(Default)]
struct Collected {
    applns: Vec<(i64, String, Option<i32>, Option<String>)>,
    persons: BTreeMap<i64, (String, Option<String>)>,
    parties: Vec<(i64, i64, Role)>,
    classes: Vec<(i64, String)>,
}

impl PatentSink for Collected {
    fn appln(&mut self, r: &ApplnRow<'_>) -> Result<(), String> {
        self.applns.push((
            r.appln_id,
            r.authority.to_string(),
            r.filing_year,
            r.title.map(str::to_string),
        ));
        Ok(())
    }
    fn person(&mut self, r: &PersonRow<'_>) -> Result<(), String> {
        self.persons.insert(
            r.person_id,
            (r.name.to_string(), r.country.map(str::to_string)),
        );
        Ok(())
    }
    fn party(&mut self, r: &PartyRow) -> Result<(), String> {
        self.parties.push((r.appln_id, r.person_id, r.role));
        Ok(())
    }
    fn class(&mut self, r: &ClassRow<'_>) -> Result<(), String> {
        self.classes.push((r.appln_id, r.symbol.to_string()));
        Ok(())
    }
}

fn read(path: &Path, format: PatentFormat) -> (Collected, PatentSummary) {
    let bytes = std::fs::read(path).unwrap();
    let head = &bytes[..bytes.len().min(4096)];
    assert_eq!(
        PatentFormat::detect(path, head),
        Some(format),
        "{}",
        path.display()
    );
    let mut c = Collected::default();
    let s = read_patent_file(
        path,
        &mut bytes.as_slice(),
        format,
        &mut IdAllocator::default(),
        &mut c,
    )
    .unwrap();
    (c, s)
}

#[test]
fn espacenet_mac_roman_cr_only_with_countries() {
    let (c, s) = read(
        &sample("espacenet/pizza_sliced_20002002_319.csv"),
        PatentFormat::Espacenet,
    );
    assert_eq!(s.rows_read, 319);
    assert_eq!(s.rejected_total, 0, "{:?}", s.rejected);
    assert!(s.notes.iter().any(|n| n.contains("macintosh")));
    // `YOU YEN SIL‚Ä‚[KR]` (Mac Roman mojibake of an EN SPACE) → name and KR.
    assert!(
        c.persons
            .values()
            .any(|(n, cc)| n == "YOU YEN SIL" && cc.as_deref() == Some("KR"))
    );
    assert!(
        c.persons
            .values()
            .any(|(_, cc)| cc.as_deref() == Some("US"))
    );
    // `KR20010107868 (A)` → authority KR; IPC `A21D13/00` → fixed layout.
    assert!(c.applns.iter().any(|a| a.1 == "KR" && a.2 == Some(2001)));
    assert!(c.classes.iter().any(|(_, s)| s == "A21D  13/00"));
    // Line numbers count CR-only line ends.
    let (_, s) = read(
        &sample("espacenet/pizza_small.csv"),
        PatentFormat::Espacenet,
    );
    assert_eq!(s.rows_read, 25);
}

#[test]
fn lens_has_no_applicant_country_and_says_so() {
    let (c, s) = read(
        &sample("lens/lens_autonomous_search_2017.csv"),
        PatentFormat::Lens,
    );
    assert_eq!(s.rows_read, 863);
    assert!(c.persons.values().all(|(_, cc)| cc.is_none()));
    assert!(s.lacks.iter().any(|l| l.what == "applicant country"));
    assert!(c.persons.values().any(|(n, _)| n == "FORD GLOBAL TECH LLC"));
    assert!(c.classes.iter().any(|(_, s)| s == "B60W  30/00"));
    // 2017 layout: `9/24/14` → 2014.
    assert!(c.applns.iter().any(|a| a.1 == "DE" && a.2 == Some(2014)));
    let (_, s) = read(
        &sample("lens/pizza_lens_1000_raw_2015.csv"),
        PatentFormat::Lens,
    );
    assert_eq!(s.rows_read, 1000);
}

#[test]
fn patentscope_versioned_symbols_and_junk() {
    let path = sample("patentscope/pizza_medium_2015.csv");
    let (c, s) = read(&path, PatentFormat::Patentscope);
    assert_eq!(s.rows_read, 10_000);
    // `A21D 13/00`, `A47G 21/02 20060101AFI…` and `6 A 21 D 13/02` all read;
    // the few symbols that are not symbols at all are rejected with their line.
    assert!(c.classes.iter().any(|(_, s)| s == "A47G  21/02"));
    assert!(c.classes.iter().any(|(_, s)| s == "A21D  13/02"));
    assert!(s.rejected_total > 0 && s.rejected_total < 10);
    let r = &s.rejected[0];
    assert_eq!(r.field, "IPC");
    assert!(r.line > 1 && r.to_string().starts_with(&format!("{}:", path.display())));
    // PATENTSCOPE's `NA` means "not available" here, never Namibia.
    assert!(c.persons.values().all(|(n, _)| n != "NA"));
}

#[test]
fn google_patents_preamble_and_kinds() {
    let (c, s) = read(
        &sample("google-patents/google_autonomous_search_2017.csv"),
        PatentFormat::GooglePatents,
    );
    assert_eq!(s.rows_read, 316);
    assert!(c.classes.is_empty());
    assert!(s.lacks.iter().any(|l| l.what == "classification symbols"));
    assert!(c.persons.values().any(|(n, _)| n == "Ford Motor Company"));
    assert!(c.applns.iter().all(|a| a.1 == "US" || a.1.len() == 2));
    assert!(c.parties.iter().any(|p| p.2 == Role::Inventor));
}

#[test]
fn patstat_bad_header_names_the_missing_column() {
    let mut c = Collected::default();
    let e = read_patent_file(
        Path::new("tls207_pers_appln_part02.csv"),
        &mut "person_id,appln_id,applt_seq_nr\n1,2,1\n".as_bytes(),
        PatentFormat::Patstat,
        &mut IdAllocator::default(),
        &mut c,
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("invt_seq_nr"));
    assert!(e.to_string().starts_with("tls207_pers_appln_part02.csv:1:"));
}

const NAMES: [&str; 11] = [
    "g_patent.tsv",
    "g_assignee_disambiguated.tsv",
    "g_ipc_at_issue.tsv",
    "tls201_appln.csv",
    "tls206_person.csv",
    "tls207_pers_appln.csv",
    "tls209_appln_ipc.csv",
    "tls224_appln_cpc.csv",
    "lens.csv",
    "espacenet.csv",
    "patentscope.csv",
];

const HEADERS: [&str; 8] = [
    "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n",
    "person_id,person_name,person_ctry_code\n",
    "person_id,appln_id,applt_seq_nr,invt_seq_nr\n",
    "appln_id,ipc_class_symbol\n",
    "#,Jurisdiction,Kind,Publication Number,Lens ID,Publication Date,Publication Year,Application Number,Application Date,Priority Numbers,Title,Applicants,Inventors\n",
    "Title,Publication number,Publication date,Inventor(s),Applicant(s),International classification\n",
    "Publication Number,Publication Date,Title,Priority Data,IPC,Applicants,Inventors,FP Image\n",
    "search URL:,x\nid,title,assignee,inventor/author,priority date,filing/creation date,publication date\n",
];

fn run_all(bytes: &[u8]) {
    for name in NAMES {
        for f in PatentFormat::ALL {
            let mut c = Collected::default();
            let _ = read_patent_file(
                Path::new(name),
                &mut &bytes[..],
                f,
                &mut IdAllocator::default(),
                &mut c,
            );
            let _ = PatentFormat::detect(Path::new(name), bytes);
        }
    }
}

/// Cases per property: `INNOSCOPE_FUZZ_CASES` (`bench/fuzz.sh` runs a
/// million), else `default`.
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("INNOSCOPE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(128), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_all(&bytes);
    }

    #[test]
    fn real_headers_then_garbage_never_panic(
        h in 0usize..HEADERS.len(),
        tail in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = HEADERS[h].as_bytes().to_vec();
        bytes.extend(tail);
        run_all(&bytes);
    }
}

/// The PatentsView fixture tables read in rank order with `ids`: what was
/// written, the rejections and the notes.
fn read_patentsview(mut ids: IdAllocator) -> (Collected, Vec<Rejection>, Vec<String>) {
    use innoscope_import::patents::patentsview::PatentsViewTable;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/patentsview");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort_by_key(|p| {
        PatentsViewTable::from_file_name(p.file_name().unwrap().to_str().unwrap())
            .unwrap()
            .rank()
    });
    let mut c = Collected::default();
    let (mut rejected, mut notes) = (Vec::new(), Vec::new());
    for f in &files {
        let s = read_patent_file(
            f,
            &mut std::fs::File::open(f).unwrap(),
            PatentFormat::PatentsView,
            &mut ids,
            &mut c,
        )
        .unwrap();
        rejected.extend(s.rejected);
        notes.extend(s.notes);
    }
    (c, rejected, notes)
}

#[test]
fn patentsview_keeps_only_the_years_asked_with_their_rows() {
    let (all, _, notes) = read_patentsview(IdAllocator::default());
    assert!(notes.iter().all(|n| !n.contains("left out")), "{notes:?}");
    // Filed 2016, 2017 and 2019: 2017:2019 leaves the 2016 antibody patent out.
    let (c, rejected, notes) = read_patentsview(IdAllocator::with_years(Some((2017, 2019))));
    assert_eq!(all.applns.len(), 3);
    let years: Vec<Option<i32>> = c.applns.iter().map(|a| a.2).collect();
    assert_eq!(years, [Some(2017), Some(2019)]);
    // Its parties and symbols go with it, skipped rather than rejected: the
    // one rejection is the fixture's row naming no patent of g_patent.
    assert!(!c.classes.iter().any(|(_, s)| s == "A61K  39/395"));
    assert!(c.classes.iter().any(|(_, s)| s == "H04W  72/046"));
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert!(rejected[0].reason.contains("99999999"));
    assert!(
        notes
            .contains(&"1 patent filed outside 2017–2019 left out (--years 2017:2019)".to_string()),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| {
        n.contains("of patents filed outside 2017–2019 left out")
            || n.contains("of a patent filed outside 2017–2019 left out")
    }));
}

#[test]
fn patentsview_tables_share_state_in_rank_order() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/patentsview");
    for f in std::fs::read_dir(&dir).unwrap().flatten() {
        let head = std::fs::read(f.path()).unwrap();
        assert_eq!(
            PatentFormat::detect(&f.path(), &head),
            Some(PatentFormat::PatentsView)
        );
    }
    let (c, rejected, _) = read_patentsview(IdAllocator::default());
    assert_eq!(c.applns.len(), 3);
    assert!(c.applns.iter().all(|a| a.1 == "US"));
    assert_eq!(c.applns[0].2, Some(2016), "filing year from g_application");
    let countries: Vec<Option<&str>> = c.persons.values().map(|(_, cc)| cc.as_deref()).collect();
    assert!(countries.contains(&Some("CH")) && countries.contains(&Some("JP")));
    assert!(
        c.persons
            .values()
            .any(|(n, cc)| n == "Doe, Jane" && cc.is_none())
    );
    assert!(c.classes.iter().any(|(_, s)| s == "A61K  39/395"));
    assert!(c.classes.iter().any(|(_, s)| s == "C07K  16/28"));
    assert!(c.classes.iter().any(|(_, s)| s == "H04W  72/046"));
    assert!(c.classes.iter().any(|(_, s)| s == "Y02D  30/70"));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].line, 6);
    assert!(rejected[0].reason.contains("99999999"));
}

fn read_text(name: &str, text: &str, format: PatentFormat) -> (Collected, PatentSummary) {
    let mut c = Collected::default();
    let s = read_patent_file(
        Path::new(name),
        &mut text.as_bytes(),
        format,
        &mut IdAllocator::default(),
        &mut c,
    )
    .unwrap();
    (c, s)
}

/// Issue: two-digit years of the 2015 Lens export were read as 20yy, so a
/// 1939 filing became 2039 and the coverage read 1950–2039.
#[test]
fn two_digit_years_do_not_land_in_the_future() {
    let (c, s) = read(
        &sample("lens/pizza_lens_1000_raw_2015.csv"),
        PatentFormat::Lens,
    );
    let years: Vec<i32> = c.applns.iter().filter_map(|a| a.2).collect();
    assert!(!years.is_empty());
    assert!(years.iter().all(|y| *y <= 2015), "{:?}", years.iter().max());
    assert!(years.contains(&1939), "the 1939 filing is 1939");
    assert_eq!(s.rejected_total, 0, "{:?}", s.rejected);
}

/// Issue: truncated exports were accepted with exit 0 (Lens cut inside a
/// row, Espacenet cut inside a quoted field); a repeated Google Patents
/// header became an application of office "ID"; a Lens year 99999 became
/// an unknown year silently.
#[test]
fn cut_rows_repeated_headers_and_impossible_dates_are_rejected() {
    let text =
        |rel: &str| String::from_utf8_lossy(&std::fs::read(sample(rel)).unwrap()).into_owned();
    let lens = text("lens/lens_autonomous_search_2017.csv");
    let cut = &lens[..lens.len() - lens.lines().last().unwrap().len() * 2 / 3];
    let (_, s) = read_text("lens.csv", cut, PatentFormat::Lens);
    assert_eq!(s.rejected_total, 1, "{:?}", s.rejected);
    assert!(
        s.rejected[0].reason.contains("truncated or malformed line"),
        "{}",
        s.rejected[0]
    );
    let google = text("google-patents/google_autonomous_search_2017.csv");
    let mut lines = google.lines();
    let (first, header) = (lines.next().unwrap(), lines.next().unwrap());
    let rest: Vec<&str> = lines.collect();
    let doubled = format!(
        "{first}\n{header}\n{}\n{header}\n{}\n",
        rest[0],
        rest[1..].join("\n")
    );
    let (c, s) = read_text("google.csv", &doubled, PatentFormat::GooglePatents);
    assert!(c.applns.iter().all(|a| a.1 != "ID"));
    assert!(
        s.rejected
            .iter()
            .any(|r| r.line == 4 && r.reason.contains("header line appears again")),
        "{:?}",
        s.rejected
    );
    let mut l = lens.lines();
    let lh = l.next().unwrap();
    let row = l.next().unwrap().to_string();
    let fields: Vec<&str> = lh.split(',').collect();
    let date_col = fields
        .iter()
        .position(|f| f.trim() == "Application Date")
        .unwrap();
    let mut cells: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(row.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    cells[date_col] = "99999".into();
    let (_, s) = read_text(
        "lens.csv",
        &format!("{lh}\n{}\n", cells.join(",")),
        PatentFormat::Lens,
    );
    assert_eq!(s.rejected_total, 1, "{:?}", s.rejected);
    assert!(
        s.rejected[0].reason.contains("`99999` is not a date"),
        "{}",
        s.rejected[0]
    );
}

/// Issue: after 200 rejected rows an import kept reading a whole GiB of bad
/// rows. It stops once nearly every row is rejected, and says so.
#[test]
fn an_import_of_nothing_but_bad_rows_stops_early() {
    let mut text = String::from("appln_id,ipc_class_symbol\n");
    for i in 0..50_000 {
        text.push_str(&format!("x{i},\"not a symbol\"\n"));
    }
    let e = read_patent_file(
        Path::new("tls209_appln_ipc.csv"),
        &mut text.as_bytes(),
        PatentFormat::Patstat,
        &mut IdAllocator::default(),
        &mut Collected::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("stopped reading after 1000 rejected rows of 1001"),
        "{e}"
    );
    assert!(e.contains("first: tls209_appln_ipc.csv:2"), "{e}");
}

/// A line longer than 16 MiB is refused with the file and the line, before
/// memory grows with it (issue: a 1 GiB single line took 1 GiB).
#[test]
fn an_overlong_line_is_refused_with_file_and_line() {
    let mut text = String::from(
        "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n1,\"WO\",\"1\",\"W\",2020-01-10,2020,1\n2,\"",
    );
    text.push_str(&"X".repeat(innoscope_import::input::MAX_LINE + 10));
    text.push_str("\",\"2\",\"W\",2020-01-10,2020,2\n");
    let mut c = Collected::default();
    let e = read_patent_file(
        Path::new("tls201_appln.csv"),
        &mut text.as_bytes(),
        PatentFormat::Patstat,
        &mut IdAllocator::default(),
        &mut c,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("tls201_appln.csv") && e.contains("line 3 is longer than 16 MiB"),
        "{e}"
    );
    // The statistics readers too.
    let mut wdi = String::from("Country Name,Country Code,Year,Value\nChina,CHN,2020,");
    wdi.push_str(&"9".repeat(innoscope_import::input::MAX_LINE + 1));
    let mut sink = Vec::new();
    let e = innoscope_import::read_bytes(
        Path::new("gb.xpd.rsdv.gd.zs.csv"),
        wdi.as_bytes(),
        innoscope_import::Format::WdiLong,
        &Default::default(),
        &mut sink,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("gb.xpd.rsdv.gd.zs.csv") && e.contains("line 2 is longer than 16 MiB"),
        "{e}"
    );
}
