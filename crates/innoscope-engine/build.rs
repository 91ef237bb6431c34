//! Embeds the bundled default store (`data/bundled/`) into the library, so
//! `innoscope report` works on a fresh machine with no import step and no
//! checkout beside the binary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, base, out);
        } else if let Some(rel) = p.strip_prefix(base).ok().and_then(|r| r.to_str()) {
            out.push((rel.replace('\\', "/"), p.clone()));
        }
    }
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let bundle = manifest_dir.join("../../data/bundled");
    println!("cargo:rerun-if-changed={}", bundle.display());
    let mut files = Vec::new();
    collect(&bundle, &bundle, &mut files);
    for (_, p) in &files {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    let mut code = String::from(
        "/// Files of the bundled store: (path relative to the store, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, p) in &files {
        let abs = p.canonicalize().unwrap();
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled_files.rs");
    std::fs::write(out, code).unwrap();
}
