//! Corporate groups: which harmonised names belong to one group, from an
//! editable table (`data/reference/corporate-groups.csv`).

use std::collections::BTreeSet;

use super::RulesError;
use super::names::{Kind, NameRules};
use crate::Text;

/// The built-in group table, compiled in from `data/reference/corporate-groups.csv`.
pub const BUILTIN_GROUPS: &str = include_str!("../../../../data/reference/corporate-groups.csv");

/// One member pattern of a group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupEntry {
    pub group: String,
    pub name: Text,
    pub home: Option<String>,
    /// The pattern as written.
    pub member: String,
    /// The pattern harmonised like the applicants' names.
    pub key: String,
    /// `*`: matches names that start with `key`'s words.
    pub prefix: bool,
    pub source: String,
    /// `builtin` or the file it came from.
    pub origin: String,
    /// First year of membership (a merger's or an acquisition's year);
    /// `None`: always.
    pub valid_from: Option<i32>,
    /// Last year of membership (a split, a sale); `None`: to this day.
    pub valid_to: Option<i32>,
}

impl GroupEntry {
    /// Whether the row holds in `year`; `None` is today (rows without an end).
    pub fn valid_in(&self, year: Option<i32>) -> bool {
        match year {
            None => self.valid_to.is_none(),
            Some(y) => {
                self.valid_from.is_none_or(|f| f <= y) && self.valid_to.is_none_or(|t| y <= t)
            }
        }
    }

    /// Whether the row is limited in time.
    pub fn is_dated(&self) -> bool {
        self.valid_from.is_some() || self.valid_to.is_some()
    }

    /// The years the row holds, for audit tables: `from 2020`, `2001–2009`,
    /// `to 2009`; `None` for rows that always hold.
    pub fn span(&self) -> Option<String> {
        match (self.valid_from, self.valid_to) {
            (None, None) => None,
            (Some(f), None) => Some(format!("from {f}")),
            (None, Some(t)) => Some(format!("to {t}")),
            (Some(f), Some(t)) => Some(format!("{f}–{t}")),
        }
    }

    /// Whether the harmonised organisation key `key` is a member.
    pub fn matches(&self, key: &str) -> bool {
        if !self.prefix {
            return key == self.key;
        }
        match key.strip_prefix(self.key.as_str()) {
            Some("") => true,
            // Words: SONY matches SONY CORP, not SONYA; CJK names have no
            // spaces, so their patterns match by characters.
            Some(rest) => {
                rest.starts_with(' ') || self.key.chars().last().is_some_and(super::is_cjk)
            }
            None => false,
        }
    }
}

/// The group table: the built-in entries, then the user's.
#[derive(Clone, Debug, Default)]
pub struct GroupTable {
    pub entries: Vec<GroupEntry>,
    /// Entries by the first word of their key (a member's key starts with
    /// it), and those matched by characters (CJK prefixes), for
    /// [`matching`](Self::matching); built for `indexed` entries.
    by_first: std::collections::HashMap<String, Vec<usize>>,
    by_chars: Vec<usize>,
    indexed: usize,
}

impl GroupTable {
    /// The built-in table.
    pub fn builtin(rules: &NameRules) -> GroupTable {
        GroupTable::parse(BUILTIN_GROUPS, "builtin", rules)
            .expect("the built-in group table parses")
    }

    /// Parse a table in the layout
    /// `group,name_en,name_zh,home,member,source[,valid_from,valid_to]`.
    pub fn parse(text: &str, origin: &str, rules: &NameRules) -> Result<GroupTable, RulesError> {
        let (idx, rows) = super::read_sheet(
            text,
            origin,
            &["group", "name_en", "member"],
            &["name_zh", "home", "source", "valid_from", "valid_to"],
            "group,name_en,name_zh,home,member,source,valid_from,valid_to",
        )?;
        let (fc, tc) = (idx[6], idx[7]);
        let (gc, ec, mc) = (
            idx[0].unwrap_or(0),
            idx[1].unwrap_or(0),
            idx[2].unwrap_or(0),
        );
        let (zc, hc, sc) = (idx[3], idx[4], idx[5]);
        let mut entries = Vec::new();
        for (line, rec) in rows {
            let get =
                |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
            let group = get(Some(gc));
            if group.is_empty() || group.contains(char::is_whitespace) {
                return Err(RulesError::new(
                    origin,
                    line,
                    "group",
                    "an id without spaces is needed",
                ));
            }
            let en = get(Some(ec));
            if en.is_empty() {
                return Err(RulesError::new(origin, line, "name_en", "empty"));
            }
            let zh = get(zc);
            let home = get(hc);
            let home = if home.is_empty() {
                None
            } else {
                match crate::patent::clean_country(&home) {
                    Some(h) => Some(h),
                    None => {
                        return Err(RulesError::new(
                            origin,
                            line,
                            "home",
                            format!("`{home}` is not a two-letter economy code"),
                        ));
                    }
                }
            };
            let member = get(Some(mc));
            let (pat, prefix) = match member.strip_suffix('*') {
                Some(p) => (p.trim(), true),
                None => (member.as_str(), false),
            };
            let n = rules.normalise(pat);
            // Patterns are organisation names even when they look like a person's.
            let key = n.org_key.unwrap_or(n.key);
            if key.is_empty() {
                return Err(RulesError::new(
                    origin,
                    line,
                    "member",
                    "no letters or digits",
                ));
            }
            let year = |c: Option<usize>, field: &str| -> Result<Option<i32>, RulesError> {
                let v = get(c);
                if v.is_empty() {
                    return Ok(None);
                }
                match v.parse::<i32>() {
                    Ok(y) if (1800..=2100).contains(&y) => Ok(Some(y)),
                    _ => Err(RulesError::new(
                        origin,
                        line,
                        field,
                        format!("`{v}` is not a year (1800–2100)"),
                    )),
                }
            };
            let (valid_from, valid_to) = (year(fc, "valid_from")?, year(tc, "valid_to")?);
            if let (Some(f), Some(t)) = (valid_from, valid_to)
                && f > t
            {
                return Err(RulesError::new(
                    origin,
                    line,
                    "valid_to",
                    format!("{t} is before valid_from {f}"),
                ));
            }
            entries.push(GroupEntry {
                valid_from,
                valid_to,
                name: Text::new(en.clone(), if zh.is_empty() { en } else { zh }),
                group,
                home,
                member: member.clone(),
                key,
                prefix,
                source: get(sc),
                origin: origin.to_string(),
            });
        }
        let mut t = GroupTable {
            entries,
            ..GroupTable::default()
        };
        t.index();
        Ok(t)
    }

    /// Add a user's table: its groups replace the built-in entries of the
    /// same id; new ids are added.
    pub fn overlay(&mut self, user: GroupTable) {
        let ids: BTreeSet<&str> = user.entries.iter().map(|e| e.group.as_str()).collect();
        self.entries.retain(|e| !ids.contains(e.group.as_str()));
        self.entries.extend(user.entries);
        self.index();
    }

    fn index(&mut self) {
        self.by_first.clear();
        self.by_chars.clear();
        for (i, e) in self.entries.iter().enumerate() {
            if e.prefix && e.key.chars().last().is_some_and(super::is_cjk) {
                self.by_chars.push(i);
            } else {
                let first = e.key.split(' ').next().unwrap_or("").to_string();
                self.by_first.entry(first).or_default().push(i);
            }
        }
        self.indexed = self.entries.len();
    }

    /// The entry a set of harmonised organisation keys matches: the longest
    /// pattern, exact before prefix, earliest in the table. A name whose
    /// best patterns tie across groups is left to none.
    pub fn best(&self, keys: &[&str], kind: Kind) -> Option<usize> {
        self.pick(self.matching(keys, kind), None)
    }

    /// The entries a set of keys matches, whatever their years.
    pub fn matching(&self, keys: &[&str], kind: Kind) -> Vec<usize> {
        if kind != Kind::Organisation {
            return Vec::new();
        }
        if self.indexed != self.entries.len() {
            // Entries changed since the index was built: look at all of them.
            return (0..self.entries.len())
                .filter(|&i| keys.iter().any(|k| self.entries[i].matches(k)))
                .collect();
        }
        let mut out: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.by_first.get(k.split(' ').next().unwrap_or("")))
            .flatten()
            .chain(&self.by_chars)
            .copied()
            .filter(|&i| keys.iter().any(|k| self.entries[i].matches(k)))
            .collect();
        // Table order decides ties.
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The best of `candidates` (entry indices) that hold in `year`.
    pub fn pick(
        &self,
        candidates: impl IntoIterator<Item = usize>,
        year: Option<i32>,
    ) -> Option<usize> {
        let mut best: Option<(usize, bool, usize)> = None;
        let mut tie = false;
        for i in candidates {
            let e = &self.entries[i];
            if !e.valid_in(year) {
                continue;
            }
            let rank = (e.key.chars().count(), !e.prefix);
            match best {
                Some((len, exact, j)) if (len, exact) == rank => {
                    if self.entries[j].group != e.group {
                        tie = true;
                    }
                }
                Some((len, exact, _)) if (len, exact) > rank => {}
                _ => {
                    best = Some((rank.0, rank.1, i));
                    tie = false;
                }
            }
        }
        if tie { None } else { best.map(|b| b.2) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_groups_match_subsidiaries() {
        let r = NameRules::builtin();
        let g = GroupTable::builtin(&r);
        let group_of = |raw: &str| {
            let n = r.normalise(raw);
            g.best(&[n.key.as_str()], n.kind)
                .map(|i| g.entries[i].group.clone())
        };
        assert_eq!(group_of("Genentech, Inc.").as_deref(), Some("ROCHE"));
        assert_eq!(
            group_of("CHUGAI SEIYAKU KABUSHIKI KAISHA").as_deref(),
            Some("ROCHE")
        );
        assert_eq!(
            group_of("F. HOFFMANN-LA ROCHE AG").as_deref(),
            Some("ROCHE")
        );
        assert_eq!(group_of("Roche Diagnostics GmbH").as_deref(), Some("ROCHE"));
        assert_eq!(group_of("SONY CORP").as_deref(), Some("SONY"));
        assert_eq!(group_of("SONYA INC"), None);
        assert_eq!(
            group_of("Siemens Gamesa Renewable Energy A/S").as_deref(),
            Some("SIEMENS-ENERGY")
        );
        assert_eq!(
            group_of("SIEMENS AKTIENGESELLSCHAFT").as_deref(),
            Some("SIEMENS")
        );
        assert_eq!(
            group_of("北京字节跳动网络技术有限公司").as_deref(),
            Some("BYTEDANCE")
        );
        assert_eq!(group_of("TikTok Inc.").as_deref(), Some("BYTEDANCE"));
        assert_eq!(
            group_of("The Regents of the University of California").as_deref(),
            Some("UC")
        );
        assert_eq!(group_of("California State University"), None);
        assert_eq!(
            group_of("Conopco, Inc., d/b/a Unilever").as_deref(),
            Some("UNILEVER")
        );
        assert_eq!(group_of("NESTEC S.A.").as_deref(), Some("NESTLE"));
        assert_eq!(group_of("Merck Patent GmbH").as_deref(), Some("MERCK-KGAA"));
        assert_eq!(
            group_of("Merck Sharp & Dohme Corp.").as_deref(),
            Some("MSD")
        );
        // A person called Roche is not Roche.
        assert_eq!(group_of("ROCHE, Jean"), None);
    }

    #[test]
    fn user_entries_replace_a_group_and_add_new_ones() {
        let r = NameRules::builtin();
        let mut g = GroupTable::builtin(&r);
        let user = GroupTable::parse(
            "group,name_en,name_zh,home,member,source\nSONY,Sony,索尼,JP,Sony Group*,mine\nACME,Acme,艾克米,US,Acme*,mine\n",
            "my-groups.csv",
            &r,
        )
        .unwrap();
        g.overlay(user);
        assert_eq!(g.entries.iter().filter(|e| e.group == "SONY").count(), 1);
        let n = r.normalise("ACME WIDGETS LLC");
        assert_eq!(g.entries[g.best(&[&n.key], n.kind).unwrap()].group, "ACME");
        let dated = GroupTable::parse(
            "group,name_en,member,valid_from,valid_to\nX,X,Old Name,2001,2009\n",
            "g.csv",
            &r,
        )
        .unwrap();
        let row = &dated.entries[0];
        assert!(!row.valid_in(Some(2000)) && row.valid_in(Some(2001)) && row.valid_in(Some(2009)));
        assert!(!row.valid_in(Some(2010)) && !row.valid_in(None));
        for (text, field) in [
            (
                "group,name_en,member,valid_from\nX,X,Y,20x1\n",
                "valid_from",
            ),
            (
                "group,name_en,member,valid_from,valid_to\nX,X,Y,2010,2001\n",
                "valid_to",
            ),
        ] {
            let e = GroupTable::parse(text, "g.csv", &r)
                .unwrap_err()
                .to_string();
            assert!(e.contains("g.csv:2") && e.contains(field), "{e}");
        }
        let bad =
            GroupTable::parse("group,name_en,home,member\nX,X,ZZZ,X*\n", "g.csv", &r).unwrap_err();
        assert!(
            bad.to_string().contains("g.csv:2") && bad.to_string().contains("home"),
            "{bad}"
        );
    }
}
