//! Clustering harmonised names into entities, and entities into groups.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::groups::GroupTable;
use super::names::{Kind, KindRule, NameRules, Normalised};
use crate::Text;
use crate::cancel::{Cancel, Cancelled};

/// A name to harmonise, as it occurs in the data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameRecord {
    pub name: String,
    /// Two-letter code of the applicant's country, when known.
    pub country: Option<String>,
    /// How often the name occurs (weights the choice of an entity's name).
    pub count: u64,
    /// The source's own harmonised name (PATSTAT `psn_name`, `han_name`,
    /// `doc_std_name`), used instead of `name` when present.
    pub harmonised: Option<String>,
    /// Which field `harmonised` came from.
    pub harmonised_by: Option<String>,
    /// The source's sector (PATSTAT `psn_sector`: INDIVIDUAL, COMPANY …).
    pub sector: Option<String>,
}

impl NameRecord {
    pub fn new(name: &str, country: Option<&str>) -> NameRecord {
        NameRecord {
            name: name.to_string(),
            country: country.and_then(crate::patent::clean_country),
            count: 1,
            ..NameRecord::default()
        }
    }
}

/// Thresholds of the clustering.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterParams {
    /// Jaro–Winkler similarity from which two organisation keys are merged.
    pub threshold: f64,
    /// Neighbours compared in each sorted order.
    pub window: usize,
    /// Pairs within this distance of the threshold are listed for review.
    pub review_band: f64,
}

/// The similarity from which organisation keys merge unless told otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.93;
/// The neighbours compared in each sorted order unless told otherwise.
pub const DEFAULT_WINDOW: usize = 6;

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            threshold: DEFAULT_THRESHOLD,
            window: DEFAULT_WINDOW,
            review_band: 0.04,
        }
    }
}

/// Where a record's key came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// innoscope's rules applied to the raw name.
    Rules,
    /// The source's own harmonised field (e.g. `psn_name`).
    Source(String),
}

impl KeySource {
    pub fn as_str(&self) -> &str {
        match self {
            KeySource::Rules => "innoscope rules",
            KeySource::Source(s) => s,
        }
    }
}

/// Why a record is in its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRule {
    /// The only name of its entity.
    Alone,
    /// Same key after harmonisation as other names of the entity.
    Exact,
    /// Same key once spaces are removed (A9 COM / A9COM).
    Spacing,
    /// Same words in another order.
    WordOrder,
    /// Similar key: Jaro–Winkler at or above the threshold, each word equal or one typo apart.
    Similar,
    /// Two institutions with the same words apart from order, repeats,
    /// qualifiers (regional, federal, degli studi …) and at most one typo.
    Institution,
    /// An institution's name cut by the source's field width: the start of
    /// exactly one longer name of the same (or an unknown) country.
    Truncated,
    /// A person: same name in the same (or an unknown) country.
    Person,
}

impl LinkRule {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkRule::Alone => "alone",
            LinkRule::Exact => "same key",
            LinkRule::Spacing => "same key without spaces",
            LinkRule::WordOrder => "same words in another order",
            LinkRule::Similar => "similar key",
            LinkRule::Institution => {
                "institution: same words apart from order, qualifiers and one typo"
            }
            LinkRule::Truncated => "institution: the cut start of one longer name",
            LinkRule::Person => "person: same name and country",
        }
    }
}

/// The outcome for one input record.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordResult {
    pub key: String,
    pub kind: Kind,
    pub kind_rule: KindRule,
    pub key_source: KeySource,
    pub entity: usize,
    pub rule: LinkRule,
    /// Jaro–Winkler score of a [`LinkRule::Similar`] link.
    pub score: Option<f64>,
    /// The key this record's key was linked to.
    pub linked_to: Option<String>,
}

/// An organisation or a person, as harmonised.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// Stable id: `O` or `P` and twelve hex digits of a hash of the
    /// entity's main key (and, for persons, country).
    pub id: String,
    /// The most frequent raw name.
    pub name: String,
    /// The most frequent key.
    pub key: String,
    pub kind: Kind,
    /// The most frequent known country.
    pub country: Option<String>,
    pub countries: Vec<String>,
    pub records: Vec<usize>,
    pub count: u64,
    pub group: usize,
}

/// A corporate group, or an entity that is a group of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: Text,
    pub home: Option<String>,
    pub entities: Vec<usize>,
    /// Whether the group comes from the group table.
    pub from_table: bool,
    pub kind: Kind,
}

/// A pair of organisation keys near the threshold, for a person to confirm.
#[derive(Clone, Debug, PartialEq)]
pub struct NearPair {
    pub a: String,
    pub b: String,
    pub a_name: String,
    pub b_name: String,
    pub score: f64,
    pub merged: bool,
}

/// The result of harmonising a list of names.
#[derive(Clone, Debug, Default)]
pub struct Harmonised {
    /// One per input record, in input order.
    pub records: Vec<RecordResult>,
    pub entities: Vec<Entity>,
    pub groups: Vec<Group>,
    /// The group-table entry that placed each entity (by entity index), today.
    pub group_entry: Vec<Option<usize>>,
    pub near: Vec<NearPair>,
    /// For entities with dated group rows (mergers, acquisitions): the rows
    /// they match, to find their group in a given year.
    dated: BTreeMap<usize, Vec<usize>>,
    /// The group of its own of each entity with dated rows.
    own_group: BTreeMap<usize, usize>,
    /// The index in `groups` of each table group id.
    group_index: BTreeMap<String, usize>,
    /// The group table the entities were matched against.
    table: GroupTable,
}

impl Harmonised {
    /// Today's groups: those with entities. (An entity with a dated group row
    /// keeps a group of its own for the years outside the row; it has no
    /// entities today and is left out.)
    pub fn groups_today(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter().filter(|g| !g.entities.is_empty())
    }

    /// The group of entity `e` in `year`: a dated group-table row (a merger
    /// from its year) places the entity only in the years it holds.
    pub fn group_at(&self, e: usize, year: i32) -> usize {
        let Some(cands) = self.dated.get(&e) else {
            return self.entities[e].group;
        };
        match self.table.pick(cands.iter().copied(), Some(year)) {
            Some(i) => self.group_index[&self.table.entries[i].group],
            None => self.own_group[&e],
        }
    }
}

/// Names → entities → groups.
#[derive(Clone, Debug)]
pub struct Harmoniser {
    pub rules: NameRules,
    pub groups: GroupTable,
    pub params: ClusterParams,
}

impl Default for Harmoniser {
    fn default() -> Self {
        Harmoniser::builtin()
    }
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n as u32).collect())
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let p = self.0[x as usize];
            self.0[x as usize] = self.0[p as usize];
            x = p;
        }
        x
    }
    /// Joins the sets; the smaller root wins, so the result does not depend
    /// on the order of unions.
    fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        self.0[hi as usize] = lo;
        true
    }
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Two words that differ by at most one edit (two for long words).
fn typo_close(a: &str, b: &str) -> bool {
    let l = a.chars().count().min(b.chars().count());
    if l < 4 {
        return false;
    }
    // NORTHEASTERN and NORTHWESTERN are two universities, not a typo.
    let compass = |w: &str| {
        ["NORTH", "SOUTH", "EAST", "WEST"]
            .iter()
            .filter(|c| w.contains(*c))
            .count()
    };
    if compass(a) > 0 && compass(b) > 0 && (a.contains("EAST") != b.contains("EAST")) {
        return false;
    }
    let d = strsim::osa_distance(a, b);
    d <= 1 || (l >= 9 && d <= 2)
}

/// The similarity of two organisation keys when every word is equal or a
/// typo apart (and numbers are equal); `None` when they are not comparable.
pub(crate) fn similar(a: &str, b: &str) -> Option<f64> {
    if a.chars().count() < 5 || b.chars().count() < 5 || digits(a) != digits(b) {
        return None;
    }
    let (ta, tb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    // One-word names need eight letters: ALFRED and ALFREDO are not one.
    if ta.len() != tb.len() || (ta.len() == 1 && a.chars().count().min(b.chars().count()) < 8) {
        return None;
    }
    let mut typos = 0;
    for (x, y) in ta.iter().zip(&tb) {
        if x == y {
            continue;
        }
        if !typo_close(x, y) {
            return None;
        }
        typos += 1;
    }
    if typos == 0 {
        return None;
    }
    Some(strsim::jaro_winkler(a, b))
}

fn sorted_words(key: &str) -> String {
    let mut w: Vec<&str> = key.split(' ').collect();
    w.sort_unstable();
    w.join(" ")
}

/// Whether two sorted lists share an element.
fn meet(a: &[&str], b: &[&str]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// The most frequent value (ties: the smallest).
fn most_frequent<'a>(counts: impl IntoIterator<Item = (&'a str, u64)>) -> Option<&'a str> {
    let mut m: BTreeMap<&str, u64> = BTreeMap::new();
    for (k, c) in counts {
        *m.entry(k).or_default() += c.max(1);
    }
    m.into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, _)| k)
}

impl Harmoniser {
    /// Built-in rules and groups, default thresholds.
    pub fn builtin() -> Harmoniser {
        let rules = NameRules::builtin();
        let groups = GroupTable::builtin(&rules);
        Harmoniser {
            rules,
            groups,
            params: ClusterParams::default(),
        }
    }

    fn normalise_record(&self, r: &NameRecord) -> (Normalised, KeySource) {
        let (mut n, src) = match (&r.harmonised, &r.harmonised_by) {
            (Some(h), by) if !h.trim().is_empty() => (
                self.rules.normalise(h),
                KeySource::Source(by.clone().unwrap_or_else(|| "source".into())),
            ),
            _ => (self.rules.normalise(&r.name), KeySource::Rules),
        };
        match r.sector.as_deref().map(str::trim) {
            Some("INDIVIDUAL") if n.kind == Kind::Organisation => {
                n.org_key = Some(n.key.clone());
                n.key = super::person_key(&super::words(&super::fold(&r.name)));
                n.kind = Kind::Person;
                n.kind_rule = KindRule::SourceSector;
            }
            Some(s)
                if !s.is_empty()
                    && s != "UNKNOWN"
                    && s != "INDIVIDUAL"
                    && n.kind == Kind::Person =>
            {
                n.key = n.org_key.take().unwrap_or(n.key);
                n.kind = Kind::Organisation;
                n.kind_rule = KindRule::SourceSector;
            }
            _ => {}
        }
        (n, src)
    }

    /// Harmonise `records` (in any order; results come back in the same order).
    pub fn run(&self, records: &[NameRecord]) -> Harmonised {
        match self.run_until(records, &Cancel::new()) {
            Ok(out) => out,
            Err(Cancelled) => unreachable!("nobody else holds this flag"),
        }
    }

    /// [`Harmoniser::run`] that gives up with `Err(Cancelled)` soon after
    /// `cancel` is raised: it checks between its steps and every few
    /// thousand names or keys within them.
    pub fn run_until(
        &self,
        records: &[NameRecord],
        cancel: &Cancel,
    ) -> Result<Harmonised, Cancelled> {
        // How often the long loops look at the flag.
        const EVERY: usize = 4096;
        let checkpoint = |i: usize| {
            if i.is_multiple_of(EVERY) {
                cancel.check()
            } else {
                Ok(())
            }
        };
        // 1. Keys, on all cores (each record is independent).
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let chunk = records.len().div_ceil(threads).max(1);
        let mut norm: Vec<(Normalised, KeySource)> = Vec::with_capacity(records.len());
        std::thread::scope(|s| {
            let handles: Vec<_> = records
                .chunks(chunk)
                .map(|c| {
                    s.spawn(move || {
                        c.iter()
                            .enumerate()
                            .map(|(i, r)| {
                                checkpoint(i)?;
                                Ok(self.normalise_record(r))
                            })
                            .collect::<Result<Vec<_>, Cancelled>>()
                    })
                })
                .collect();
            let mut cancelled = Ok(());
            for h in handles {
                match h.join().expect("harmoniser worker") {
                    Ok(part) => norm.extend(part),
                    Err(c) => cancelled = Err(c),
                }
            }
            cancelled
        })?;
        // 2. A bare name that is also written with a legal form is that organisation.
        let org_keys: std::collections::HashSet<String> = norm
            .iter()
            .filter(|(n, _)| n.kind == Kind::Organisation && n.kind_rule == KindRule::LegalForm)
            .map(|(n, _)| n.key.clone())
            .collect();
        for (n, _) in norm.iter_mut() {
            if n.kind_rule.is_weak_person()
                && let Some(k) = &n.org_key
                && org_keys.contains(k)
            {
                n.key = n.org_key.take().expect("checked");
                n.kind = Kind::Organisation;
                n.kind_rule = KindRule::BareOrganisationName;
            }
        }
        drop(org_keys);

        // 3. Organisation keys.
        let mut keys: Vec<&str> = norm
            .iter()
            .filter(|(n, _)| n.kind == Kind::Organisation)
            .map(|(n, _)| n.key.as_str())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let index: HashMap<&str, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        // Each key's countries, sorted (most keys have one or none: a vector
        // takes a few bytes where a set's first node takes two hundred).
        let mut countries: Vec<Vec<&str>> = vec![Vec::new(); keys.len()];
        let mut institution = vec![false; keys.len()];
        let mut raw_len = vec![0usize; keys.len()];
        let mut complete = vec![false; keys.len()];
        for (r, (n, _)) in records.iter().zip(&norm) {
            if n.kind == Kind::Organisation {
                let i = index[n.key.as_str()] as usize;
                institution[i] |= n.institution;
                raw_len[i] = raw_len[i].max(r.name.chars().count());
                complete[i] |= n.complete;
                if let Some(c) = &r.country
                    && let Err(at) = countries[i].binary_search(&c.as_str())
                {
                    countries[i].insert(at, c);
                }
            }
        }
        let compatible = |i: usize, j: usize| {
            countries[i].is_empty() || countries[j].is_empty() || meet(&countries[i], &countries[j])
        };
        let mut uf = UnionFind::new(keys.len());
        let mut link: Vec<Option<(LinkRule, Option<f64>, u32)>> = vec![None; keys.len()];
        let set_link = |link: &mut Vec<Option<(LinkRule, Option<f64>, u32)>>,
                        i: u32,
                        j: u32,
                        rule: LinkRule,
                        score: Option<f64>| {
            let (lo, hi) = (i.min(j), i.max(j));
            if link[hi as usize].is_none() {
                link[hi as usize] = Some((rule, score, lo));
            } else if link[lo as usize].is_none() {
                link[lo as usize] = Some((rule, score, hi));
            }
        };
        // Same key without spaces; same words in another order.
        let compact: Vec<String> = keys.iter().map(|k| k.replace(' ', "")).collect();
        let sorted: Vec<String> = keys.iter().map(|k| sorted_words(k)).collect();
        for (forms, rule) in [
            (&compact, LinkRule::Spacing),
            (&sorted, LinkRule::WordOrder),
        ] {
            let mut first: HashMap<&str, u32> = HashMap::new();
            for (i, f) in forms.iter().enumerate() {
                let i = i as u32;
                match first.get(f.as_str()) {
                    Some(&j) => {
                        if uf.union(j, i) {
                            set_link(&mut link, j, i, rule, None);
                        }
                    }
                    None => {
                        first.insert(f, i);
                    }
                }
            }
        }
        // Similar keys, by sorted neighbourhood over three orders.
        let p = &self.params;
        let mut near: BTreeMap<(u32, u32), f64> = BTreeMap::new();
        let by_key: Vec<u32> = (0..keys.len() as u32).collect();
        let mut by_compact = by_key.clone();
        by_compact.sort_by(|a, b| {
            compact[*a as usize]
                .cmp(&compact[*b as usize])
                .then(a.cmp(b))
        });
        let mut by_sorted = by_key.clone();
        by_sorted.sort_by(|a, b| sorted[*a as usize].cmp(&sorted[*b as usize]).then(a.cmp(b)));
        let mut candidates: Vec<(u32, u32, f64)> = Vec::new();
        for (order, words_sorted) in [(&by_key, false), (&by_compact, false), (&by_sorted, true)] {
            for x in 0..order.len() {
                checkpoint(x)?;
                for y in x + 1..(x + 1 + p.window).min(order.len()) {
                    let (i, j) = (order[x], order[y]);
                    let (i, j) = (i.min(j), i.max(j));
                    if !compatible(i as usize, j as usize) {
                        continue;
                    }
                    let s = if words_sorted {
                        similar(&sorted[i as usize], &sorted[j as usize])
                    } else {
                        similar(keys[i as usize], keys[j as usize])
                    };
                    if let Some(s) = s {
                        candidates.push((i, j, s));
                    }
                }
            }
        }
        candidates.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
        candidates.dedup_by(|a, b| (a.0, a.1) == (b.0, b.1));
        for (i, j, s) in candidates {
            if s >= p.threshold && uf.union(i, j) {
                set_link(&mut link, i, j, LinkRule::Similar, Some(s));
            }
            if (s - p.threshold).abs() < p.review_band {
                near.insert((i, j), s);
            }
        }
        // What the later steps no longer need goes now, not at the end.
        drop((compact, sorted, by_key, by_compact, by_sorted));

        // Institutions: the same words apart from order, repeats and
        // qualifiers (one typo allowed); then names cut by a field width.
        let core: Vec<Option<String>> = keys
            .iter()
            .zip(&institution)
            .map(|(k, inst)| {
                inst.then(|| {
                    let w: BTreeSet<&str> = k
                        .split(' ')
                        .filter(|t| !self.rules.is_qualifier(t))
                        .collect();
                    w.into_iter().collect::<Vec<_>>().join(" ")
                })
            })
            .collect();
        let mut by_core: Vec<u32> = (0..keys.len() as u32)
            .filter(|&i| core[i as usize].is_some())
            .collect();
        by_core.sort_by(|a, b| core[*a as usize].cmp(&core[*b as usize]).then(a.cmp(b)));
        cancel.check()?;
        for x in 0..by_core.len() {
            checkpoint(x)?;
            for y in x + 1..(x + 1 + p.window).min(by_core.len()) {
                let (i, j) = (by_core[x], by_core[y]);
                let (i, j) = (i.min(j), i.max(j));
                if !compatible(i as usize, j as usize) {
                    continue;
                }
                let (ci, cj) = (
                    core[i as usize].as_deref().unwrap_or(""),
                    core[j as usize].as_deref().unwrap_or(""),
                );
                let score = if ci == cj {
                    Some(1.0)
                } else {
                    similar(ci, cj).filter(|s| *s >= p.threshold)
                };
                if let Some(s) = score
                    && uf.union(i, j)
                {
                    set_link(&mut link, i, j, LinkRule::Institution, Some(s));
                }
            }
        }
        // Longest first, so that a name cut twice (…HUM, …HUMAN SERV) finds
        // its longer forms already joined. A name ending with its
        // institution word (…UNIVERSITY) is complete, not cut.
        for i in (0..keys.len()).rev() {
            checkpoint(i)?;
            let words = keys[i].split(' ').count();
            if !institution[i] || complete[i] || raw_len[i] < 25 || words < 3 {
                continue;
            }
            // The last word may be cut too (…HEALTH AND HUM).
            let partial = keys[i].rsplit(' ').next().is_some_and(|w| w.len() >= 3);
            let stem = if partial {
                keys[i].to_string()
            } else {
                format!("{} ", keys[i])
            };
            let longer: Vec<u32> = (i + 1..keys.len())
                .take_while(|&j| keys[j].starts_with(&stem))
                .filter(|&j| institution[j] && compatible(i, j))
                .map(|j| j as u32)
                .collect();
            let roots: BTreeSet<u32> = longer.iter().map(|&j| uf.find(j)).collect();
            if roots.len() == 1 && uf.union(i as u32, longer[0]) {
                set_link(&mut link, i as u32, longer[0], LinkRule::Truncated, None);
            }
        }
        drop((core, by_core, countries, institution, raw_len, complete));

        cancel.check()?;
        // 4. Entities: organisation clusters, then persons by key and country.
        let mut entity_of_root: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        let mut person_groups: BTreeMap<(&str, Option<&str>), Vec<usize>> = BTreeMap::new();
        let mut person_countries: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for (r, (n, _)) in records.iter().zip(&norm) {
            if n.kind == Kind::Person
                && let Some(c) = &r.country
            {
                person_countries
                    .entry(n.key.as_str())
                    .or_default()
                    .insert(c);
            }
        }
        for (ri, (r, (n, _))) in records.iter().zip(&norm).enumerate() {
            match n.kind {
                Kind::Organisation => {
                    let root = uf.find(index[n.key.as_str()]);
                    entity_of_root.entry(root).or_default().push(ri);
                }
                Kind::Person => {
                    let c = r.country.as_deref().or_else(|| {
                        person_countries
                            .get(n.key.as_str())
                            .filter(|s| s.len() == 1)
                            .and_then(|s| s.iter().next().copied())
                    });
                    person_groups
                        .entry((n.key.as_str(), c))
                        .or_default()
                        .push(ri);
                }
            }
        }
        let mut entities: Vec<Entity> = Vec::new();
        let make = |kind: Kind, members: Vec<usize>, country_hint: Option<&str>| -> Entity {
            let key = most_frequent(
                members
                    .iter()
                    .map(|&i| (norm[i].0.key.as_str(), records[i].count)),
            )
            .unwrap_or("")
            .to_string();
            let name = most_frequent(
                members
                    .iter()
                    .map(|&i| (records[i].name.as_str(), records[i].count)),
            )
            .unwrap_or("")
            .to_string();
            let country =
                country_hint.map(str::to_string).or_else(|| {
                    most_frequent(members.iter().filter_map(|&i| {
                        records[i].country.as_deref().map(|c| (c, records[i].count))
                    }))
                    .map(str::to_string)
                });
            let countries: BTreeSet<String> = members
                .iter()
                .filter_map(|&i| records[i].country.clone())
                .collect();
            let id = match kind {
                Kind::Organisation => format!("O{:012x}", fnv(&key) & 0xffff_ffff_ffff),
                Kind::Person => format!(
                    "P{:012x}",
                    fnv(&format!("{key}|{}", country.as_deref().unwrap_or(""))) & 0xffff_ffff_ffff
                ),
            };
            Entity {
                id,
                name,
                key,
                kind,
                country,
                countries: countries.into_iter().collect(),
                count: members.iter().map(|&i| records[i].count).sum(),
                records: members,
                group: 0,
            }
        };
        for (_, members) in entity_of_root {
            entities.push(make(Kind::Organisation, members, None));
        }
        for ((_, c), members) in person_groups {
            entities.push(make(Kind::Person, members, c));
        }
        entities.sort_by(|a, b| {
            (a.kind, &a.key, &a.country, &a.id).cmp(&(b.kind, &b.key, &b.country, &b.id))
        });
        let mut entity_of_record = vec![0usize; records.len()];
        for (e, ent) in entities.iter().enumerate() {
            for &r in &ent.records {
                entity_of_record[r] = e;
            }
        }

        cancel.check()?;
        // 5. Groups.
        let mut group_entry: Vec<Option<usize>> = vec![None; entities.len()];
        let mut table_groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut dated: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        // The first row of each group id, for its name and home.
        let mut group_row: BTreeMap<String, usize> = BTreeMap::new();
        for (e, ent) in entities.iter().enumerate() {
            let ks: BTreeSet<&str> = ent
                .records
                .iter()
                .map(|&r| norm[r].0.key.as_str())
                .collect();
            let ks: Vec<&str> = ks.into_iter().collect();
            let cands = self.groups.matching(&ks, ent.kind);
            if let Some(i) = self.groups.pick(cands.iter().copied(), None) {
                group_entry[e] = Some(i);
                group_row
                    .entry(self.groups.entries[i].group.clone())
                    .or_insert(i);
                table_groups
                    .entry(self.groups.entries[i].group.clone())
                    .or_default()
                    .push(e);
            }
            if cands.iter().any(|&i| self.groups.entries[i].is_dated()) {
                for &i in &cands {
                    group_row
                        .entry(self.groups.entries[i].group.clone())
                        .or_insert(i);
                    table_groups
                        .entry(self.groups.entries[i].group.clone())
                        .or_default();
                }
                dated.insert(e, cands);
            }
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
        for (gid, members) in table_groups {
            let entry = &self.groups.entries[group_row[&gid]];
            group_index.insert(gid.clone(), groups.len());
            groups.push(Group {
                id: gid,
                name: entry.name.clone(),
                home: entry.home.clone(),
                entities: members,
                from_table: true,
                kind: Kind::Organisation,
            });
        }
        let mut own_group: BTreeMap<usize, usize> = BTreeMap::new();
        for (e, ent) in entities.iter().enumerate() {
            if group_entry[e].is_none() || dated.contains_key(&e) {
                if dated.contains_key(&e) {
                    own_group.insert(e, groups.len());
                }
                groups.push(Group {
                    id: ent.id.clone(),
                    name: Text::same(ent.name.clone()),
                    home: ent.country.clone(),
                    entities: if group_entry[e].is_none() {
                        vec![e]
                    } else {
                        Vec::new()
                    },
                    from_table: false,
                    kind: ent.kind,
                });
            }
        }
        for (g, grp) in groups.iter().enumerate() {
            for &e in &grp.entities {
                entities[e].group = g;
            }
        }

        // 6. Per-record outcome.
        let mut distinct_keys: Vec<usize> = vec![0; entities.len()];
        for (e, ent) in entities.iter().enumerate() {
            let ks: BTreeSet<&str> = ent
                .records
                .iter()
                .map(|&r| norm[r].0.key.as_str())
                .collect();
            distinct_keys[e] = ks.len();
        }
        let out: Vec<RecordResult> = norm
            .iter()
            .enumerate()
            .map(|(ri, (n, src))| {
                let e = entity_of_record[ri];
                let (rule, score, linked_to) = match n.kind {
                    Kind::Person => (
                        if entities[e].records.len() > 1 {
                            LinkRule::Person
                        } else {
                            LinkRule::Alone
                        },
                        None,
                        None,
                    ),
                    Kind::Organisation => {
                        let k = index[n.key.as_str()] as usize;
                        match link[k] {
                            Some((rule, score, other)) => {
                                (rule, score, Some(keys[other as usize].to_string()))
                            }
                            None if distinct_keys[e] > 1 || entities[e].records.len() > 1 => {
                                (LinkRule::Exact, None, None)
                            }
                            None => (LinkRule::Alone, None, None),
                        }
                    }
                };
                RecordResult {
                    key: n.key.clone(),
                    kind: n.kind,
                    kind_rule: n.kind_rule,
                    key_source: src.clone(),
                    entity: e,
                    rule,
                    score,
                    linked_to,
                }
            })
            .collect();
        // The most frequent raw name of each key of a near pair.
        let wanted: BTreeSet<u32> = near.keys().flat_map(|&(i, j)| [i, j]).collect();
        let mut best_name: HashMap<u32, BTreeMap<&str, u64>> = HashMap::new();
        for (r, (n, _)) in records.iter().zip(&norm).take_while(|_| !wanted.is_empty()) {
            if n.kind == Kind::Organisation {
                let i = index[n.key.as_str()];
                if wanted.contains(&i) {
                    *best_name
                        .entry(i)
                        .or_default()
                        .entry(r.name.as_str())
                        .or_default() += r.count.max(1);
                }
            }
        }
        let name_of = |k: u32| {
            best_name[&k]
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default()
        };
        let near = near
            .into_iter()
            .map(|((i, j), s)| NearPair {
                a: keys[i as usize].to_string(),
                b: keys[j as usize].to_string(),
                a_name: name_of(i),
                b_name: name_of(j),
                score: s,
                merged: s >= p.threshold,
            })
            .collect();
        Ok(Harmonised {
            records: out,
            entities,
            groups,
            group_entry,
            near,
            dated,
            own_group,
            group_index,
            table: self.groups.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(names: &[(&str, Option<&str>)]) -> Vec<NameRecord> {
        names.iter().map(|(n, c)| NameRecord::new(n, *c)).collect()
    }

    #[test]
    fn similar_needs_every_word_close() {
        assert!(similar("AGAPE TRADE", "AGAPI TRADE").unwrap() > 0.95);
        assert_eq!(similar("VELTRAX ENERGY", "VELTRON ENERGY"), None);
        assert_eq!(similar("GEN ELEC", "GEN ELEC CAPITAL"), None);
        assert_eq!(similar("3B SOLSTAR", "4B SOLSTAR"), None);
        assert_eq!(similar("SONY", "SONA"), None);
    }

    #[test]
    fn variants_merge_persons_stay_apart() {
        let h = Harmoniser::builtin();
        let r = h.run(&recs(&[
            ("A9.com, Inc.", Some("US")),
            ("A9.COM, INC", None),
            ("A9COM INC", Some("US")),
            ("Agape Trade AG", Some("CH")),
            ("AGAPI TRADE AG", Some("CH")),
            ("ACCENTURE GLOBAL SERVICES GMBH", Some("CH")),
            ("Accenture Global Services Limited", Some("IE")),
            ("ABATE, Valerio", Some("IT")),
            ("ABATE VALERIO", Some("IT")),
            ("ABATE VALERIO", Some("US")),
            ("PIZZA HUT", None),
            ("PIZZA HUT INC", Some("US")),
            ("GENERAL ELECTRIC COMPANY", Some("US")),
            ("GENERAL ELECTRIC CAPITAL CORP", Some("US")),
        ]));
        let e = |i: usize| r.records[i].entity;
        assert_eq!(e(0), e(1));
        assert_eq!(e(0), e(2));
        assert_eq!(r.records[2].rule, LinkRule::Spacing);
        assert_eq!(e(3), e(4));
        assert_eq!(r.records[4].rule, LinkRule::Similar);
        assert_eq!(e(5), e(6));
        assert_eq!(e(7), e(8));
        assert_ne!(e(8), e(9), "same name, other country: another person");
        assert_eq!(e(10), e(11));
        assert_ne!(e(12), e(13));
        for (i, res) in r.records.iter().enumerate() {
            let k = r.entities[res.entity].kind;
            assert_eq!(k, res.kind, "record {i}");
        }
        // Same input, same ids.
        let again = h.run(&recs(&[
            ("A9COM INC", Some("US")),
            ("A9.com, Inc.", Some("US")),
        ]));
        assert_eq!(again.entities[0].id, r.entities[e(0)].id);
    }

    #[test]
    fn institutions_join_across_spellings_and_never_across_universities() {
        let h = Harmoniser::builtin();
        let r = h.run(&recs(&[
            ("CENTRE HOSPITALIER UNIVERSITAIRE DE NICE", Some("FR")),
            (
                "CENTRE HOSPITALIER REGIONAL UNIVERSITAIRE DE NICE",
                Some("FR"),
            ),
            ("TECHNISCHE UNIVERSITAET DRESDEN", Some("DE")),
            ("DRESDEN UNIVERSITY OF TECHNOLOGY", Some("DE")),
            ("UNIVERSITA DEGLI STUDI DI CAGLIARI", Some("IT")),
            ("UNIVERSITA DI CAGLIARI", Some("IT")),
            ("UNIVERSITE PARIS 7", Some("FR")),
            ("UNIVERSITE PARIS 11", Some("FR")),
            ("TU MUENCHEN", Some("DE")),
            ("LMU MUENCHEN", Some("DE")),
            ("TECHNISCHE UNIVERSITAET MUENCHEN", Some("DE")),
            ("KOREA RES INST OF BIOSCIENCE", Some("KR")),
            (
                "KOREA RESEARCH INSTITUTE OF BIOSCIENCE AND BIOTECHNOLOGY",
                Some("KR"),
            ),
            ("NOVOSIBIRSK STATE UNIVERSITY", Some("RU")),
            ("NOVOSIBIRSK STATE UNIVERSITY OF ECONOMICS", Some("RU")),
            ("CENTRE NATIONAL DE LA RECHERCHE SCIENTIFQUE", Some("FR")),
            ("CNRS", Some("FR")),
            ("NORTHEASTERN UNIVERSITY", Some("US")),
            ("NORTHWESTERN UNIVERSITY", Some("US")),
        ]));
        let e = |i: usize| r.records[i].entity;
        assert_eq!(e(0), e(1), "a dropped qualifier");
        let rules = |a: usize, b: usize| [r.records[a].rule, r.records[b].rule];
        assert!(rules(0, 1).contains(&LinkRule::Institution));
        assert_eq!(e(2), e(3), "another word order and language");
        assert_eq!(e(4), e(5), "degli studi");
        assert_ne!(e(6), e(7), "two universities of one city");
        assert_eq!(e(8), e(10));
        assert_ne!(e(8), e(9), "TU and LMU München");
        assert_eq!(e(11), e(12), "a name cut by the field width");
        assert!(rules(11, 12).contains(&LinkRule::Truncated));
        assert_ne!(e(13), e(14), "a complete name is not a cut one");
        assert_eq!(e(15), e(16), "a typo and an acronym");
        assert_ne!(e(17), e(18));
    }

    #[test]
    fn a_raised_flag_stops_the_run_and_a_lowered_one_changes_nothing() {
        let h = Harmoniser::builtin();
        let names: Vec<String> = (0..10_000).map(|i| format!("ACME {i} GMBH")).collect();
        let rs = recs(
            &names
                .iter()
                .map(|n| (n.as_str(), Some("DE")))
                .collect::<Vec<_>>(),
        );
        let cancel = Cancel::new();
        cancel.cancel();
        assert_eq!(h.run_until(&rs, &cancel).err(), Some(Cancelled));
        let free = h.run_until(&rs, &Cancel::new()).expect("not cancelled");
        let plain = h.run(&rs);
        assert_eq!(free.entities.len(), plain.entities.len());
        assert_eq!(
            free.records.iter().map(|r| &r.key).collect::<Vec<_>>(),
            plain.records.iter().map(|r| &r.key).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_merger_joins_names_from_its_year() {
        let h = Harmoniser::builtin();
        let r = h.run(&recs(&[
            ("UNIVERSITE PARIS SUD", Some("FR")),
            ("UNIVERSITE PARIS-SACLAY", Some("FR")),
            ("UNIVERSITE DE PARIS SUD XI", Some("FR")),
            ("TECHNISCHE UNIVERSITAET MUENCHEN", Some("DE")),
        ]));
        let e = |i: usize| r.records[i].entity;
        let saclay = r.entities[e(1)].group;
        assert_eq!(r.groups[saclay].id, "PARIS-SACLAY");
        // Today and from 2020: one group; before: Paris-Sud on its own.
        assert_eq!(r.entities[e(0)].group, saclay);
        assert_eq!(r.group_at(e(0), 2020), saclay);
        assert_eq!(r.group_at(e(2), 2021), saclay);
        let before = r.group_at(e(0), 2019);
        assert_ne!(before, saclay);
        assert_eq!(r.groups[before].id, r.entities[e(0)].id);
        assert_eq!(r.group_at(e(1), 2015), saclay, "undated rows always hold");
        // Entities without dated rows are where they always were.
        assert_eq!(r.group_at(e(3), 2010), r.entities[e(3)].group);
    }

    #[test]
    fn groups_and_source_harmonised_names() {
        let h = Harmoniser::builtin();
        let mut rs = recs(&[
            ("Genentech, Inc.", Some("US")),
            ("CHUGAI SEIYAKU KABUSHIKI KAISHA", Some("JP")),
            ("Acme Widgets", Some("US")),
        ]);
        rs.push(NameRecord {
            name: "F. Hoffmann-La Roche Ltd".into(),
            country: Some("CH".into()),
            count: 3,
            harmonised: Some("HOFFMANN LA ROCHE".into()),
            harmonised_by: Some("psn_name".into()),
            sector: Some("COMPANY".into()),
        });
        let r = h.run(&rs);
        let g = |i: usize| &r.groups[r.entities[r.records[i].entity].group];
        assert_eq!(g(0).id, "ROCHE");
        assert_eq!(g(1).id, "ROCHE");
        assert_eq!(g(3).id, "ROCHE");
        assert_eq!(g(0).entities.len(), 3);
        assert!(!g(2).from_table);
        assert_eq!(
            r.records[3].key_source,
            KeySource::Source("psn_name".into())
        );
    }
}
