//! `innoscope kb list|show|search|check`: the knowledge base (Q1–Q3) from
//! the command line. Loading, validation and search are the engine's and
//! core's (the filters too: `EntryFilter`, `CaseFilter`); this module prints.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use innoscope_core::kb::search::Index;
use innoscope_core::kb::{ASPECTS, CaseFilter, Entry, EntryFilter, Kb, Profile};
use innoscope_core::{Lang, Registry, Text};

use crate::Outcome;
use crate::app::{data_dir, note, out};
use crate::cli::*;

pub fn run(g: &Global, c: KbCommand) -> Result<Outcome> {
    match c {
        KbCommand::List(a) => list(g, &a.filters, None, usize::MAX),
        KbCommand::Search(a) => list(g, &a.filters, Some(a.query.join(" ")), a.limit),
        KbCommand::Show(a) => show(g, &a),
        KbCommand::Check(a) => check(g, &a),
    }
}

fn load(g: &Global, dir: &KbDirArg) -> Result<(Kb, Vec<std::path::PathBuf>)> {
    let store = data_dir(g).ok();
    let dirs = innoscope_engine::kb::user_dirs(store.as_deref(), dir.kb_dir.as_deref());
    Ok((innoscope_engine::kb::load(&dirs)?, dirs))
}

fn lang(l: KbLang) -> Lang {
    match l {
        KbLang::En => Lang::En,
        KbLang::Zh => Lang::Zh,
    }
}

fn title(e: Entry<'_>) -> Text {
    match e {
        Entry::Concept(c) => c.name.clone(),
        Entry::Profile(p) => {
            let n = Registry::bundled().names_of(&p.economy);
            Text::new(
                format!("{}: innovation ecosystem", n.en),
                format!("{}的创新生态", n.zh),
            )
        }
        Entry::Case(c) => c.title.clone(),
    }
}

fn list(g: &Global, f: &KbFilters, query: Option<String>, limit: usize) -> Result<Outcome> {
    let (kb, _) = load(g, &f.dir)?;
    let reg = Registry::bundled();
    let economies = match &f.economies {
        Some(list) => Some(
            list.iter()
                .map(|e| match reg.by_code(e).or_else(|| reg.resolve(None, e)) {
                    Some(x) => Ok(x.code.clone()),
                    None => bail!("--economies: unknown economy `{e}`"),
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        None => None,
    };
    let cases = CaseFilter {
        economies,
        field: f.field.clone(),
        actor_type: f.actor_type.clone(),
        mode: f.mode.clone(),
        from: f.from,
        to: f.to,
    };
    if let Err((name, message)) = cases.check(&kb) {
        bail!("--{name}: {message}");
    }
    let hits: Vec<(Entry<'_>, Option<f64>)> = match &query {
        Some(q) => Index::build(&kb, reg)
            .search(q)
            .into_iter()
            .filter_map(|h| kb.get(&h.id).map(|e| (e, Some(h.score))))
            .collect(),
        None => kb.entries().map(|e| (e, None)).collect(),
    };
    let entries = EntryFilter {
        kind: f.kind.clone(),
        section: f.section.clone(),
        cases: cases.clone(),
    };
    let rows: Vec<(Entry<'_>, Option<f64>)> = hits
        .into_iter()
        .filter(|(e, _)| entries.matches(&kb, *e))
        .take(limit)
        .collect();
    let lang = lang(f.lang);
    if f.json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|(e, score)| {
                let mut v = entry_json(*e);
                if let (Some(s), Some(o)) = (score, v.as_object_mut()) {
                    o.insert(
                        "score".into(),
                        serde_json::json!((s * 1000.0).round() / 1000.0),
                    );
                }
                v
            })
            .collect();
        out(&format!("{}\n", serde_json::to_string_pretty(&items)?))?;
    } else {
        let mut s = String::new();
        for (e, _) in &rows {
            let date = match e {
                Entry::Case(c) => c.date.clone().unwrap_or_default(),
                _ => String::new(),
            };
            let econ = match e {
                Entry::Case(c) => c.economies.join(","),
                Entry::Profile(p) => p.economy.clone(),
                Entry::Concept(_) => String::new(),
            };
            let _ = writeln!(
                s,
                "{:<34} {:<15} {:<10} {:<12} {}",
                e.id(),
                e.kind(),
                date,
                econ,
                title(*e).get(lang)
            );
        }
        out(&s)?;
        note(
            g,
            &format!(
                "{} entr{}{}",
                rows.len(),
                if rows.len() == 1 { "y" } else { "ies" },
                query
                    .as_ref()
                    .map(|q| format!(" match \u{201c}{q}\u{201d}"))
                    .unwrap_or_default()
            ),
        );
    }
    Ok(if rows.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Done
    })
}

fn entry_json(e: Entry<'_>) -> serde_json::Value {
    let mut v = match e {
        Entry::Concept(c) => serde_json::to_value(c),
        Entry::Profile(p) => serde_json::to_value(p),
        Entry::Case(c) => serde_json::to_value(c),
    }
    .unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("entry_kind".into(), e.kind().into());
    }
    v
}

fn show(g: &Global, a: &KbShowArgs) -> Result<Outcome> {
    let (kb, _) = load(g, &a.dir)?;
    let Some(e) = kb.get(&a.id) else {
        let close: Vec<&str> = kb
            .entries()
            .map(|e| e.id())
            .filter(|id| id.contains(a.id.as_str()) || a.id.contains(id))
            .take(5)
            .collect();
        bail!(
            "no entry `{}`{}",
            a.id,
            if close.is_empty() {
                "; `innoscope kb list` lists the ids".to_string()
            } else {
                format!("; did you mean {}?", close.join(", "))
            }
        );
    };
    if a.json {
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&entry_json(e))?
        ))?;
        return Ok(Outcome::Done);
    }
    let langs: Vec<Lang> = match a.lang {
        Some(l) => vec![lang(l)],
        None => vec![Lang::Zh, Lang::En],
    };
    let reg = Registry::bundled();
    let mut s = String::new();
    let origin = kb
        .origin(e.id())
        .map(|o| o.file.clone())
        .unwrap_or_default();
    let _ = writeln!(s, "{} ({}) — {origin}", e.id(), e.kind());
    for lang in langs {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", title(e).get(lang));
        match e {
            Entry::Concept(c) => {
                let _ = writeln!(s, "  {}", c.summary.get(lang));
                if let Some(p) = c.parent.as_deref().and_then(|p| kb.concept(p)) {
                    let _ = writeln!(s, "  ↑ {}: {}", p.id, p.name.get(lang));
                }
                for k in kb.cases_of(&c.id) {
                    let _ = writeln!(
                        s,
                        "  • {} {} ({})",
                        k.date.clone().unwrap_or_default(),
                        k.title.get(lang),
                        k.id
                    );
                }
            }
            Entry::Profile(p) => {
                if let Some(c) = p.pattern.as_deref().and_then(|x| kb.concept(x)) {
                    let _ = writeln!(s, "  {}", c.name.get(lang));
                }
                for asp in ASPECTS {
                    let items = p.aspect(asp);
                    if items.is_empty() {
                        continue;
                    }
                    let _ = writeln!(s, "  {}", Profile::aspect_label(asp).get(lang));
                    for (i, t) in items.iter().enumerate() {
                        let _ = writeln!(s, "    {}. {}", i + 1, t.get(lang));
                    }
                }
            }
            Entry::Case(c) => {
                let names: Vec<String> = c
                    .economies
                    .iter()
                    .map(|x| reg.names_of(x).get(lang).to_string())
                    .collect();
                let _ = writeln!(
                    s,
                    "  {} · {} · §{}",
                    c.date.clone().unwrap_or_else(|| "undated".into()),
                    names.join(", "),
                    c.section
                );
                let _ = writeln!(s, "  {}", c.summary.get(lang));
                if !c.actors.is_empty() {
                    let _ = writeln!(
                        s,
                        "  {}: {}",
                        if lang == Lang::Zh { "主体" } else { "actors" },
                        c.actors
                            .iter()
                            .map(|x| x.get(lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                for i in &c.illustrates {
                    if let Some(k) = kb.concept(i) {
                        let _ = writeln!(s, "  → {}: {}", k.id, k.name.get(lang));
                    }
                }
                if let Some(src) = kb.sources_of(c) {
                    let label = if lang == Lang::Zh { "来源" } else { "source" };
                    let _ = writeln!(s, "  {label}: {}", src.get(lang));
                }
            }
        }
    }
    out(&s)?;
    Ok(Outcome::Done)
}

fn check(g: &Global, a: &KbDirArg) -> Result<Outcome> {
    let (kb, dirs) = load(g, a)?;
    let mut s = String::new();
    let counts = kb.counts();
    let _ = writeln!(
        s,
        "knowledge base valid: {}",
        counts
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let dated = kb.cases.iter().filter(|c| c.date.is_some()).count();
    let _ = writeln!(
        s,
        "cases: {} dated ({} from the public record), {} undated",
        dated,
        kb.cases
            .iter()
            .filter(|c| c.date_from == innoscope_core::kb::DateFrom::Public)
            .count(),
        kb.cases.len() - dated
    );
    for d in &dirs {
        let _ = writeln!(s, "merged: {}", d.display());
    }
    let replaced: Vec<&str> = kb
        .entries()
        .map(|e| e.id())
        .filter(|id| kb.origin(id).is_some_and(|o| o.replaced_builtin))
        .collect();
    if !replaced.is_empty() {
        let _ = writeln!(
            s,
            "your entries replace built-in ones: {}",
            replaced.join(", ")
        );
    }
    let unsourced: Vec<&str> = kb
        .cases
        .iter()
        .filter(|c| kb.sources_of(c).is_none())
        .map(|c| c.id.as_str())
        .collect();
    if !unsourced.is_empty() {
        let _ = writeln!(
            s,
            "cases without a source (add `sources = [{{ title = \"…\", url = \"https://…\", date = \"YYYY-MM-DD\" }}]`): {}",
            unsourced.join(", ")
        );
    }
    out(&s)?;
    Ok(Outcome::Done)
}
