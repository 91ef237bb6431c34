//! `innoscope applicants …` and `innoscope synth names`.

use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::{Context, Result};
use innoscope_core::applicant::{Harmonised, Harmoniser, NameRecord};
use innoscope_engine::EngineError;
use innoscope_engine::applicants::{
    self as app, HarmoniserOptions, NameScope, TableFormat, dataset_names, harmoniser,
    read_name_list,
};
use innoscope_engine::atomic;

use crate::Outcome;
use crate::app::{note, open_engine, out};
use crate::cli::*;

pub async fn run(g: &Global, c: ApplicantsCommand) -> Result<Outcome> {
    match c {
        ApplicantsCommand::Harmonise(a) => harmonise(g, a),
        ApplicantsCommand::Explain(a) => explain(g, a).await,
        ApplicantsCommand::Review(a) => review(g, a).await,
        ApplicantsCommand::Export(a) => export(g, a).await,
    }
}

fn build(h: &HarmoniserArgs) -> Result<Harmoniser> {
    Ok(harmoniser(&HarmoniserOptions {
        name_rules: h.name_rules.clone(),
        groups_file: h.groups_file.clone(),
        threshold: Some(h.threshold),
        window: Some(h.window),
    })?)
}

/// The names to harmonise and where they came from.
async fn names(g: &Global, from: &NamesFrom) -> Result<(Vec<NameRecord>, String)> {
    if let Some(p) = &from.names {
        return Ok((read_name_list(p)?, p.display().to_string()));
    }
    let engine = open_engine(g).await?;
    let scope = if from.all_persons {
        NameScope::All
    } else {
        NameScope::Applicants
    };
    let (records, id) = dataset_names(&engine, from.source.as_deref(), scope).await?;
    Ok((records, format!("dataset `{id}`")))
}

fn harmonise(g: &Global, a: HarmoniseArgs) -> Result<Outcome> {
    let h = build(&a.h)?;
    let records = read_name_list(&a.file)?;
    let res = h.run(&records);
    let format = match a.format.as_str() {
        "json" => TableFormat::Json,
        _ => TableFormat::Csv,
    };
    // The table is written a slice at a time, straight to its file or to
    // standard output.
    match &a.out {
        Some(p) => {
            atomic::write_buffered(p, |w| app::write_audit(w, format, &h, &records, &res))?;
            note(
                g,
                &format!(
                    "wrote {}: {} names → {} entities, {} groups",
                    p.display(),
                    records.len(),
                    res.entities.len(),
                    res.groups_today().count()
                ),
            );
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            app::write_audit(&mut w, format, &h, &records, &res)?;
            w.flush()?;
        }
    }
    Ok(Outcome::Done)
}

async fn explain(g: &Global, a: ExplainArgs) -> Result<Outcome> {
    let h = build(&a.h)?;
    let (mut records, from) = names(g, &a.from).await?;
    let country = a
        .country
        .as_deref()
        .map(|c| {
            innoscope_core::patent::clean_country(c)
                .with_context(|| format!("--country `{c}` is not a two-letter code"))
        })
        .transpose()?;
    let idx = match records
        .iter()
        .position(|r| r.name == a.name && (country.is_none() || r.country == country))
    {
        Some(i) => i,
        None => {
            let mut r = NameRecord::new(&a.name, None);
            r.country = country.clone();
            r.count = 0;
            records.push(r);
            records.len() - 1
        }
    };
    let res = h.run(&records);
    out(&explanation(&h, &records, &res, idx, &from))?;
    Ok(Outcome::Done)
}

/// The text of `applicants explain`.
fn explanation(
    h: &Harmoniser,
    records: &[NameRecord],
    res: &Harmonised,
    idx: usize,
    from: &str,
) -> String {
    let r = &records[idx];
    let rr = &res.records[idx];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Name: {:?}{}  ({} rows in {from})",
        r.name,
        r.country
            .as_deref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default(),
        r.count
    );
    let source = r.harmonised.as_deref().unwrap_or(&r.name);
    if r.harmonised.is_some() {
        let _ = writeln!(
            s,
            "The source's harmonised name ({}) is used: {:?}",
            rr.key_source.as_str(),
            source
        );
    }
    let (_, steps) = h.rules.trace(source);
    let _ = writeln!(s, "\nHarmonisation:");
    for st in &steps {
        let _ = writeln!(s, "  {:<45} {}", st.what, st.result);
    }
    let _ = writeln!(
        s,
        "\nKind: {} ({})\nKey:  {}",
        rr.kind.as_str(),
        rr.kind_rule.as_str(),
        rr.key
    );
    let e = &res.entities[rr.entity];
    let _ = writeln!(
        s,
        "\nEntity {}: {:?}, {} name(s), {} row(s), countries {}",
        e.id,
        e.name,
        e.records.len(),
        e.count,
        if e.countries.is_empty() {
            "unknown".to_string()
        } else {
            e.countries.join(" ")
        }
    );
    let why = match (&rr.linked_to, rr.score) {
        (Some(k), Some(sc)) => format!("{} to {k:?} (Jaro–Winkler {sc:.3})", rr.rule.as_str()),
        (Some(k), None) => format!("{} as {k:?}", rr.rule.as_str()),
        _ => rr.rule.as_str().to_string(),
    };
    let _ = writeln!(s, "  placed by: {why}");
    let mut others: Vec<usize> = e.records.iter().copied().filter(|i| *i != idx).collect();
    others.sort_by(|a, b| records[*b].count.cmp(&records[*a].count).then(a.cmp(b)));
    for i in others.iter().take(12) {
        let o = &res.records[*i];
        let _ = writeln!(
            s,
            "  also {:?}{} — key {:?}, {}{}",
            records[*i].name,
            records[*i]
                .country
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default(),
            o.key,
            o.rule.as_str(),
            o.score.map(|x| format!(" {x:.3}")).unwrap_or_default()
        );
    }
    if others.len() > 12 {
        let _ = writeln!(s, "  … and {} more", others.len() - 12);
    }
    let grp = &res.groups[e.group];
    match res.group_entry[rr.entity] {
        Some(i) => {
            let en = &h.groups.entries[i];
            let _ = writeln!(
                s,
                "\nGroup {}: {} / {} (home {})\n  matched by pattern {:?} ({}): {}",
                grp.id,
                grp.name.en,
                grp.name.zh,
                grp.home.as_deref().unwrap_or("unknown"),
                en.member,
                en.origin,
                en.source
            );
            if let Some(span) = en.span() {
                let _ = writeln!(
                    s,
                    "  the row holds {span}: analyses by year (K3) keep applications outside those years with the entity's own group"
                );
            }
            for o in grp.entities.iter().filter(|x| **x != rr.entity).take(12) {
                let oe = &res.entities[*o];
                let _ = writeln!(
                    s,
                    "  with entity {} {:?} [{}]",
                    oe.id,
                    oe.name,
                    oe.countries.join(" ")
                );
            }
        }
        None => {
            let _ = writeln!(
                s,
                "\nGroup: none in the group table; the entity is a group of its own.{}",
                if rr.kind == innoscope_core::applicant::Kind::Person {
                    " Persons are never put in corporate groups."
                } else {
                    " Add a row to a --groups-file to fold it into a group."
                }
            );
        }
    }
    s
}

async fn review(g: &Global, a: ReviewArgs) -> Result<Outcome> {
    let h = build(&a.h)?;
    let (records, from) = names(g, &a.from).await?;
    let res = h.run(&records);
    let mut near = res.near.clone();
    near.sort_by(|x, y| {
        (x.score - h.params.threshold)
            .abs()
            .total_cmp(&(y.score - h.params.threshold).abs())
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    if let Some(p) = &a.csv {
        // Atomically: a failed write leaves no half a file.
        atomic::write_buffered(p, |f| {
            let mut w = csv::Writer::from_writer(f);
            let failed =
                |e: csv::Error| EngineError::output("csv", format!("{}: {e}", p.display()));
            w.write_record(["score", "merged", "name_a", "key_a", "name_b", "key_b"])
                .map_err(failed)?;
            for n in &near {
                w.write_record([
                    format!("{:.4}", n.score),
                    n.merged.to_string(),
                    n.a_name.clone(),
                    n.a.clone(),
                    n.b_name.clone(),
                    n.b.clone(),
                ])
                .map_err(failed)?;
            }
            w.flush().map_err(|e| EngineError::io(p, e))
        })?;
    }
    let mut s = format!(
        "{} pair(s) of organisation names within {:.2} of the threshold {:.2} ({} names from {from}); closest to the threshold first.\n\
         merged = the pair was joined; confirm or add a rule (--name-rules) or a group row (--groups-file).\n\n",
        near.len(),
        h.params.review_band,
        h.params.threshold,
        records.len()
    );
    let _ = writeln!(s, "{:>6}  {:<7} {:<45} name", "score", "merged", "name");
    for n in near.iter().take(a.limit) {
        let _ = writeln!(
            s,
            "{:>6.3}  {:<7} {:<45} {}",
            n.score,
            if n.merged { "yes" } else { "no" },
            n.a_name,
            n.b_name
        );
    }
    if near.len() > a.limit {
        let _ = writeln!(
            s,
            "… {} more (--limit, or --csv FILE for all)",
            near.len() - a.limit
        );
    }
    out(&s)?;
    Ok(if near.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Done
    })
}

async fn export(g: &Global, a: ExportArgs) -> Result<Outcome> {
    let h = build(&a.h)?;
    let (records, from) = names(g, &a.from).await?;
    let started = std::time::Instant::now();
    let res = h.run(&records);
    let files = app::write_tables(&a.out, &h, &records, &res)?;
    note(
        g,
        &format!(
            "{} person rows, {} distinct names from {from} → {} entities → {} groups in {:.1}s; wrote {} files to {}",
            records.iter().map(|r| r.count).sum::<u64>(),
            records.len(),
            res.entities.len(),
            res.groups_today().count(),
            started.elapsed().as_secs_f64(),
            files.len(),
            a.out.display()
        ),
    );
    Ok(Outcome::Done)
}

pub fn synth_names(g: &Global, a: SynthNamesArgs) -> Result<Outcome> {
    let set = innoscope_engine::synth::name_eval_set(a.seed, a.orgs, a.persons);
    let tmp = a.out.with_extension("tmp");
    {
        let mut w =
            csv::Writer::from_path(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
        w.write_record(["name", "country", "truth", "kind"])?;
        for l in &set {
            w.write_record([
                l.name.as_str(),
                l.country.as_deref().unwrap_or(""),
                l.truth.as_str(),
                if l.person { "person" } else { "organisation" },
            ])?;
        }
        w.flush()?;
    }
    std::fs::rename(&tmp, &a.out).with_context(|| format!("writing {}", a.out.display()))?;
    note(
        g,
        &format!("wrote {}: {} names (synthetic)", a.out.display(), set.len()),
    );
    Ok(Outcome::Done)
}
