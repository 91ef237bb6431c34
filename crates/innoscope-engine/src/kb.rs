//! Loading the knowledge base (Q1–Q3): the built-in base plus the user's
//! entries, from `<data dir>/kb/` when it exists and from any directory
//! given with `--kb-dir`, in that order (later entries replace earlier ones
//! with the same id). Validation is [`innoscope_core::kb`]'s; this module only
//! reads files, so its errors name the path the user knows.

use std::path::{Path, PathBuf};

use innoscope_core::Registry;
use innoscope_core::kb::{BUILTIN, Kb, Source};

use crate::error::{EngineError, Result};

/// Every `*.toml` under `dir`, recursively, sorted by path, with its text.
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>> {
    if !dir.is_dir() {
        return Err(EngineError::store(
            dir,
            "not a directory of knowledge-base files (*.toml)",
        ));
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| EngineError::io(&d, e))?;
        for e in entries {
            let p = e.map_err(|e| EngineError::io(&d, e))?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| EngineError::io(&p, e))?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}

/// The directories merged over the built-in base: `<store>/kb` when it
/// exists, then `extra`.
pub fn user_dirs(store_dir: Option<&Path>, extra: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(s) = store_dir {
        let d = s.join("kb");
        if d.is_dir() {
            dirs.push(d);
        }
    }
    if let Some(e) = extra {
        dirs.push(e.to_path_buf());
    }
    dirs
}

/// The built-in base merged with the user's directories.
pub fn load(dirs: &[PathBuf]) -> Result<Kb> {
    let builtin: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, t)| (format!("data/kb/{n}"), t.to_string()))
        .collect();
    let mut user = Vec::new();
    for d in dirs {
        user.push(read_dir(d)?);
    }
    let mut sources = vec![Source {
        files: &builtin,
        builtin: true,
    }];
    sources.extend(user.iter().map(|files| Source {
        files,
        builtin: false,
    }));
    Ok(Kb::build(&sources, Registry::bundled())?)
}
