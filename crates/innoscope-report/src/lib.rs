//! Pure renderers: result tables to SVG figures and a bilingual,
//! self-contained HTML report (inline SVG, no scripts, no network).
//!
//! [`assemble`] is the I/O layer above them: it runs the registry's report
//! plan on an engine and writes the output directory atomically.
//!
//! Invariant: rendering is a pure function of its input. No clock, no
//! environment, no randomness: the same input gives byte-identical SVG and
//! HTML (checked by the `deterministic_output` test).

pub mod assemble;
pub mod charts;
pub mod export;
mod html;
pub mod pdf;
pub mod svg;

pub use html::{Number, Rendered, ReportInput, Section, render};
