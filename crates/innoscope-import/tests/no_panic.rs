//! No input bytes make a reader panic: every format gets arbitrary bytes and
//! mutated real headers.

use std::path::Path;

use innoscope_import::records::{RecordFormat, read_records};
use innoscope_import::{Format, ImportOptions, read_bytes, read_reader};
use proptest::prelude::*;

const HEADERS: [&str; 13] = [
    "Country Name,Country Code,Year,Value\n",
    "\"Data Source\",\"WDI\",\n\n\"Last Updated Date\",\"2026\",\n\n\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2020\",\n",
    "[{\"page\":1},[",
    "region_path,economy,sector,year,applications\n",
    "level,type,Region/economy,2019,2020\n",
    "STRUCTURE,STRUCTURE_ID,REF_AREA,TIME_PERIOD,OBS_VALUE\n",
    "Patent\n\nX\n\nSource: WIPO. Last updated: 2025\n\nOrigin,Origin (Code),Office,Field of technology,2020,\n",
    "economy,indicator,year,value,unit,source\n",
    "unique id,university,year,rank_display,score,link,country,city,region,logo,type\n",
    "rank,name,economy,type,edition,list\n",
    "Company,Valuation,Date Joined,Industry,City,Country,Continent,Year Founded,Funding,Select Investors\n",
    "date,sector,stage,amount_usd_m,economy,deals\n",
    "Rank,Company,Country,ICB3 sector name,R&D 2020 (€million),R&D one-year growth (%)\n",
];

fn run_all(bytes: &[u8]) {
    let opts = ImportOptions {
        indicator: Some("X".into()),
        ..Default::default()
    };
    for f in Format::ALL {
        let mut sink = Vec::new();
        let _ = read_bytes(Path::new("fuzz.csv"), bytes, f, &opts, &mut sink);
        let _ = Format::detect(bytes);
    }
    for f in RecordFormat::ALL {
        let _ = read_records(Path::new("fuzz.csv"), &mut &bytes[..], f);
        let _ = RecordFormat::detect(bytes);
    }
}

/// A reader that hands out its bytes in chunks of varying size, as files and
/// pipes do, and keeps answering 0 after the end.
struct Chunked<'a> {
    bytes: &'a [u8],
    sizes: Vec<usize>,
    i: usize,
}

impl std::io::Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.i % self.sizes.len()]
            .min(buf.len())
            .min(self.bytes.len());
        self.i += 1;
        buf[..want].copy_from_slice(&self.bytes[..want]);
        self.bytes = &self.bytes[want..];
        Ok(want)
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
    #![proptest_config(ProptestConfig { cases: fuzz_cases(256), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_all(&bytes);
    }

    #[test]
    fn header_plus_garbage_never_panics(h in 0usize..HEADERS.len(), tail in "[ -~\\n\\r,\"]{0,300}") {
        let mut bytes = HEADERS[h].as_bytes().to_vec();
        bytes.extend_from_slice(tail.as_bytes());
        run_all(&bytes);
    }

    #[test]
    fn chunked_reads_never_panic_and_agree_with_one_slice(
        h in 0usize..HEADERS.len(),
        tail in "[ -~\\n\\r,\"é中]{0,300}",
        sizes in proptest::collection::vec(1usize..9, 1..5),
    ) {
        let mut bytes = HEADERS[h].as_bytes().to_vec();
        bytes.extend_from_slice(tail.as_bytes());
        let opts = ImportOptions { indicator: Some("X".into()), ..Default::default() };
        for f in Format::ALL {
            let mut whole = Vec::new();
            let a = read_bytes(Path::new("c.csv"), &bytes, f, &opts, &mut whole).map(|s| s.observations);
            let mut chunked = Vec::new();
            let mut r = Chunked { bytes: &bytes, sizes: sizes.clone(), i: 0 };
            let b = read_reader(Path::new("c.csv"), &mut r, f, &opts, &mut chunked).map(|s| s.observations);
            prop_assert_eq!(a.is_ok(), b.is_ok());
            prop_assert_eq!(whole, chunked);
        }
    }

    #[test]
    fn valid_rows_all_come_out(rows in proptest::collection::vec((0usize..4, 1990i32..2025, -1e6f64..1e6), 1..40)) {
        let codes = ["USA", "CHN", "DEU", "JPN"];
        let mut text = String::from("Country Name,Country Code,Year,Value\n");
        let mut seen = std::collections::HashSet::new();
        for (c, y, v) in &rows {
            if seen.insert((c, y)) {
                text.push_str(&format!("x,{},{y},{v}\n", codes[*c]));
            }
        }
        let mut sink = Vec::new();
        let opts = ImportOptions { indicator: Some("X".into()), ..Default::default() };
        let s = read_bytes(Path::new("p.csv"), text.as_bytes(), Format::WdiLong, &opts, &mut sink).unwrap();
        prop_assert_eq!(sink.len(), seen.len());
        prop_assert!(s.rejected.is_empty());
    }
}
