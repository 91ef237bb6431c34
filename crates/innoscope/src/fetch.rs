//! `fetch`, `update` and `changes`: the yearly refresh from the publishers.
//! The work is in `innoscope-fetch` and the engine; here the arguments are
//! read, base URLs resolved (flag, environment, settings file) and the
//! outcome printed.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use innoscope_fetch::{FetchOptions, FileStatus, Request, SourceId};

use crate::Outcome;
use crate::app::{data_dir, note, open_store, out, settings, warn};
use crate::cli::{ChangesArgs, FetchArgs, Global, LangArg, ReportArgs, ReportFormat, UpdateArgs};
use crate::progress::Bar;

/// The request of `fetch` / `update`: sources, series and each source's
/// base URL (`--base-url` for the one source named, else
/// `INNOSCOPE_<SOURCE>_BASE_URL`, else `[fetch.SOURCE] base_url`, else the
/// publisher's).
fn request(g: &Global, a: &FetchArgs) -> Result<Request> {
    let mut sources = Vec::new();
    for s in &a.sources {
        sources.push(SourceId::parse(s)?);
    }
    if sources.is_empty() && a.base_url.is_some() {
        // A base URL is one publisher's: with no source named, the World
        // Bank's (`update --base-url MIRROR`).
        sources.push(SourceId::Wdi);
    }
    let req = Request {
        sources,
        series: a
            .series
            .iter()
            .map(|s| s.trim().to_ascii_uppercase())
            .collect(),
        years: a.years,
        ..Request::default()
    };
    let mut base_urls = BTreeMap::new();
    let conf = settings(g)?;
    for s in req.sources() {
        let from_env = std::env::var(s.env_var())
            .ok()
            .filter(|v| !v.trim().is_empty());
        let from_conf = conf.fetch.get(s.name()).and_then(|c| c.base_url.clone());
        if let Some(u) = from_env.or(from_conf) {
            base_urls.insert(s, u);
        }
    }
    if let Some(u) = &a.base_url {
        match req.sources().as_slice() {
            [one] => {
                base_urls.insert(*one, u.clone());
            }
            _ => bail!(
                "--base-url goes with one source (`innoscope fetch wdi --base-url URL`); for several, set INNOSCOPE_<SOURCE>_BASE_URL or [fetch.SOURCE] base_url in innoscope.toml"
            ),
        }
    }
    Ok(Request { base_urls, ..req })
}

fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        b => format!("{:.1} KiB", b as f64 / 1024.0),
    }
}

pub(crate) fn fetch(g: &Global, a: FetchArgs) -> Result<Outcome> {
    let req = request(g, &a)?;
    let plan = innoscope_fetch::plan(&req)?;
    if a.plan {
        if a.json {
            out(&format!("{}\n", serde_json::to_string_pretty(&plan)?))?;
            return Ok(Outcome::Done);
        }
        let mut s = String::new();
        for i in &plan.items {
            s.push_str(&format!(
                "{:<12} {:<20} {}  -> {}{}\n",
                i.source.name(),
                i.series.as_deref().unwrap_or("-"),
                i.url,
                i.file,
                if i.paged {
                    "  (then &page=2… as many as its `pages` says)"
                } else {
                    ""
                }
            ));
        }
        for (src, steps) in &plan.manual {
            let what = if plan.items.iter().any(|i| i.source == *src) {
                "the parts with no API: by hand"
            } else {
                "no API: by hand"
            };
            s.push_str(&format!("\n{src} ({what})\n{steps}\n"));
        }
        out(&s)?;
        return Ok(Outcome::Done);
    }
    let store = open_store(g)?;
    // Large downloads: say the sizes first.
    if req.sources().contains(&SourceId::Patentsview) && a.from.is_none() {
        let client = innoscope_fetch::Client::new(Default::default());
        let mut total = 0;
        for i in plan
            .items
            .iter()
            .filter(|i| i.source == SourceId::Patentsview)
        {
            if let Some(n) = client.size("patentsview", &i.url)? {
                note(g, &format!("{}: {}", i.file, size_text(n)));
                total += n;
            }
        }
        note(
            g,
            &format!(
                "PatentsView: {} to download (resumable: a cut download continues where it stopped)",
                size_text(total)
            ),
        );
    }
    let bar = Bar::new(g.quiet);
    let options = FetchOptions {
        from: a.from.clone(),
        ..FetchOptions::default()
    };
    let report = innoscope_fetch::fetch(&store, &req, &options, &bar)?;
    if a.json {
        out(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
    }
    for r in &report.retries {
        note(g, &format!("retry: {r}"));
    }
    for s in &report.sources {
        let downloaded = s
            .files
            .iter()
            .filter(|f| matches!(f.status, FileStatus::Downloaded { .. }))
            .count();
        let unchanged = s
            .files
            .iter()
            .filter(|f| f.status == FileStatus::NotModified)
            .count();
        for w in &s.warnings {
            warn(w);
        }
        let what = if s.unchanged {
            "unchanged since the last fetch; nothing imported".to_string()
        } else {
            format!(
                "dataset `{}`: {} series imported ({} observations in the dataset){}",
                s.dataset,
                s.series.len(),
                s.observations,
                if s.kept_vintage {
                    format!(
                        "; the previous version is kept (`innoscope changes {}`)",
                        s.dataset
                    )
                } else {
                    String::new()
                }
            )
        };
        note(
            g,
            &format!(
                "{}: {} file(s): {downloaded} downloaded, {unchanged} unchanged — {what}",
                s.source,
                s.files.len()
            ),
        );
    }
    for (src, steps) in &report.manual {
        if a.from.is_none() {
            let what = if plan.items.iter().any(|i| i.source == *src) {
                "the parts with no API, by hand"
            } else {
                "no API, by hand"
            };
            out(&format!("{src}: {what}:\n{steps}\n"))?;
        }
    }
    Ok(Outcome::Done)
}

pub(crate) async fn update(g: &Global, a: UpdateArgs) -> Result<Outcome> {
    let store = open_store(g)?;
    let before = store.manifest()?;
    fetch(g, a.fetch)?;
    let report = ReportArgs {
        lang: LangArg::Both,
        out: a.out.clone(),
        year: None,
        compare_with: None,
        save_edition: None,
        kb_dir: None,
        format: vec![ReportFormat::Html],
        preset: None,
        scale: 2.0,
        chromium: None,
    };
    crate::commands::report(g, report).await?;
    // What changed, dataset by dataset, since the version before this update.
    let after = store.manifest()?;
    let mut s = String::new();
    for (id, d) in &after.datasets {
        let updated = before.datasets.get(id).is_some_and(|b| b.dir != d.dir);
        if !updated || d.vintages.is_empty() {
            continue;
        }
        let c = innoscope_engine::vintage::changes(&store, id, 1)?;
        s.push_str(&format!(
            "{id}: {} changed value(s) since the version of {}\n",
            c.changes.len(),
            innoscope_engine::date_of(c.from)
        ));
        for (ind, [r, n, f, dr]) in c.summary() {
            s.push_str(&format!(
                "  {ind:<24} {r} revised, {n} new-year, {f} filled in, {dr} dropped\n"
            ));
        }
    }
    if s.is_empty() {
        s.push_str("no dataset changed\n");
    }
    out(&s)?;
    note(
        g,
        &format!(
            "report in {}; details: innoscope changes DATASET (data dir {})",
            a.out.display(),
            data_dir(g)?.display()
        ),
    );
    Ok(Outcome::Done)
}

pub(crate) fn changes(g: &Global, a: ChangesArgs) -> Result<Outcome> {
    let store = open_store(g)?;
    let c = innoscope_engine::vintage::changes(&store, &a.dataset, usize::from(a.vintage))?;
    let t = c.table();
    crate::commands::emit_tables(g, &[t], &a.output)?;
    Ok(if c.changes.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Done
    })
}
