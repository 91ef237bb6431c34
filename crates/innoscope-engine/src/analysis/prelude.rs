//! What an analysis file needs to declare its registry entry and build its
//! tables: `use super::prelude::*;` at the top of `c1.rs` … `kb.rs`.
//! Shared computations stay in their named modules (`stats`,
//! `microdata_ctx`, `record_lists`, `common`) and are imported by name.

pub(super) use super::Params;
pub(super) use super::param::w;
pub(super) use super::registry::{
    Analysis, DefaultValue as D, EXPLICIT_SET, Numbering, Use, YearShift, at, at_section,
    dataset_to_read, reference_year, use_h,
};
pub(super) use crate::Engine;
pub(super) use crate::error::{EngineError, Result};
pub(super) use innoscope_core::{Column, Figure, Lang, Registry, ResultTable, SourceNote, Text};
