//! The vocabulary of innoscope, without I/O.
//!
//! Everything here is pure data and pure functions: economies and their
//! registry ([`economy`]), bilingual text ([`text`]), the result table every
//! analysis returns ([`table`]), and the observation model importers produce
//! ([`observation`]). Nothing in this crate reads files, prints or exits; the
//! economy registry is compiled in from `data/registry/economies.csv`.

pub mod applicant;
pub mod cancel;
pub mod classify;
pub mod economy;
pub mod kb;
pub mod network;
pub mod observation;
pub mod patent;
pub mod provenance;
pub mod records;
pub mod rng;
pub mod table;
pub mod text;

pub use economy::{Economy, EconomyKind, Registry};
pub use observation::{Dimension, Observation, SeriesMeta};
pub use table::{Column, Coverage, Figure, ResultTable, SourceNote, Values};
pub use text::{Lang, Text};
