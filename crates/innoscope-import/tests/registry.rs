//! The committed registry is fresh (rebuilt from the sources it says it comes
//! from) and keeps its invariants.

use std::path::Path;

use innoscope_core::{EconomyKind, Registry};
use innoscope_import::registry_build::{RegistrySources, build};

#[test]
fn committed_registry_is_regenerated_from_its_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/data/country-codes");
    let reg = root.join("data/registry");
    let text = build(&RegistrySources {
        country_codes: &shared.join("country-codes.csv"),
        groupings: &shared.join("coco_groupings.csv"),
        names: &reg.join("names.csv"),
        historical: &reg.join("historical.csv"),
        aggregates: &reg.join("aggregates.csv"),
    })
    .unwrap();
    let committed = std::fs::read_to_string(reg.join("economies.csv")).unwrap();
    assert!(
        text == committed,
        "data/registry/economies.csv is stale: run scripts/regenerate-bundle.sh"
    );
}

#[test]
fn registry_invariants() {
    let r = Registry::bundled();
    assert!(r.countries().count() >= 249);
    // Source names resolve to codes; aggregates are flagged.
    for (name, code) in [
        ("Korea, Rep.", "KOR"),
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("China (incl. Hong Kong)", "CHN"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Russian Federation", "RUS"),
        ("Hong Kong, China", "HKG"),
        ("Taiwan Province of China", "TWN"),
        ("美国", "USA"),
        ("European Union", "EUU"),
        ("OECD members", "OED"),
    ] {
        assert_eq!(
            r.resolve(None, name).map(|e| e.code.as_str()),
            Some(code),
            "{name}"
        );
    }
    assert_eq!(
        r.resolve(Some("unctad"), "World > Developed economies")
            .unwrap()
            .code,
        "UN.DEV"
    );
    assert_eq!(r.by_code("WLD").unwrap().kind, EconomyKind::Aggregate);
    assert_eq!(r.by_code("SU").unwrap().kind, EconomyKind::Historical);
    assert_eq!(r.by_code("DE").unwrap().code, "DEU");
    assert_eq!(r.by_code("KOR").unwrap().member_since("OECD"), Some(1996));
    assert!(r.by_code("ISR").unwrap().member_in("OECD", 2010));
    assert!(!r.by_code("ISR").unwrap().member_in("OECD", 2009));
    assert_eq!(r.by_code("USA").unwrap().name_zh, "美国");
}
