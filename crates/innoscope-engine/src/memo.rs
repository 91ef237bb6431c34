//! Results that do not depend on a request's years, remembered for the
//! life of an [`crate::Engine`].
//!
//! A microdata analysis shows a per-year series (K1's co-applications per
//! year, I5's green applications per year) beside the details of one or two
//! years (the economies, the network, the topics). The series needs the
//! counting base of every year; the details need only their years'. The
//! first request of a counting convention builds the whole base and
//! remembers the series here; a request for another year then builds the
//! base of its years alone ([`crate::microdata::Microdata::prepare_years`])
//! and takes the series from here. Both give the same tables: the base's
//! rows for a year do not depend on which other years it holds (tested).
//!
//! Keys name the tables' content ([`crate::microdata::Microdata::memo_key`]:
//! the dataset directory with its application table's size and
//! modification time, so a re-import is a new key), the result and the
//! counting conventions. Entries are small (one row per year); the memo
//! holds at most [`CAP`] and starts afresh when full.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most entries held at once.
pub const CAP: usize = 512;

/// A process-wide memo of small, year-independent results.
#[derive(Default)]
pub struct Memo {
    entries: Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>,
}

impl Memo {
    /// The value remembered under `key`, if it has type `T`.
    pub fn get<T: Clone + Send + Sync + 'static>(&self, key: &str) -> Option<T> {
        let entries = self.entries.lock().ok()?;
        entries.get(key)?.downcast_ref::<T>().cloned()
    }

    /// Remember `value` under `key`.
    pub fn put<T: Send + Sync + 'static>(&self, key: String, value: T) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAP && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, Arc::new(value));
        }
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_key_and_type_and_starts_afresh_when_full() {
        let m = Memo::default();
        assert_eq!(m.get::<Vec<i32>>("a"), None);
        m.put("a".to_string(), vec![1, 2]);
        assert_eq!(m.get::<Vec<i32>>("a"), Some(vec![1, 2]));
        assert_eq!(m.get::<String>("a"), None, "another type is not it");
        for i in 0..CAP - 1 {
            m.put(format!("k{i}"), i);
        }
        assert_eq!(m.len(), CAP);
        m.put("a".to_string(), vec![3]);
        assert_eq!(m.len(), CAP, "replacing a key keeps the others");
        m.put("new".to_string(), 0usize);
        assert_eq!(m.len(), 1, "a new key in a full memo starts afresh");
        assert_eq!(m.get::<usize>("new"), Some(0));
    }
}
