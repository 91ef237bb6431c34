//! Arrow schemas of the tables the store writes: observations, the four
//! canonical patent tables (their columns are documented in
//! `innoscope_core::patent`) and their analysis-ready facts (documented in
//! [`crate::facts`]). Kept here, beside the Parquet writers, so that the
//! vocabulary crate needs no Arrow.

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

/// Arrow schema of the stored observation table.
pub fn observation() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("indicator", DataType::Utf8, false),
        Field::new("economy", DataType::Utf8, false),
        Field::new("year", DataType::Int32, false),
        Field::new("value", DataType::Float64, false),
    ]))
}

/// Schema of the canonical `appln` table.
pub fn appln() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("appln_id", DataType::Int64, false),
        Field::new("authority", DataType::Utf8, false),
        Field::new("number", DataType::Utf8, true),
        Field::new("kind", DataType::Utf8, true),
        Field::new("filing_year", DataType::Int32, true),
        Field::new("priority_year", DataType::Int32, true),
        Field::new("publication_year", DataType::Int32, true),
        Field::new("family_id", DataType::Int64, true),
        Field::new("title", DataType::Utf8, true),
    ]))
}

/// Schema of the canonical `person` table.
pub fn person() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("person_id", DataType::Int64, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("country", DataType::Utf8, true),
        Field::new("country_raw", DataType::Utf8, true),
        Field::new("harmonised", DataType::Utf8, true),
        Field::new("harmonised_by", DataType::Utf8, true),
        Field::new("sector", DataType::Utf8, true),
    ]))
}

/// Schema of the canonical `party` table.
pub fn party() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("appln_id", DataType::Int64, false),
        Field::new("person_id", DataType::Int64, false),
        Field::new("role", DataType::Utf8, false),
        Field::new("seq", DataType::Int32, false),
    ]))
}

/// Schema of the canonical `class` table.
pub fn class() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("appln_id", DataType::Int64, false),
        Field::new("scheme", DataType::Utf8, false),
        Field::new("symbol", DataType::Utf8, false),
        // As the source wrote it, when that differs from `symbol`.
        Field::new("raw", DataType::Utf8, true),
        Field::new("subclass", DataType::Utf8, false),
        Field::new("main_group", DataType::Utf8, true),
        Field::new("subgroup", DataType::Utf8, true),
    ]))
}

/// Schema of the facts' `app.parquet` ([`crate::facts`]).
pub fn facts_app() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("appln_id", DataType::Int64, false),
        Field::new("authority", DataType::Utf8, true),
        Field::new("filing_year", DataType::Int32, true),
        Field::new("priority_year", DataType::Int32, true),
        Field::new("publication_year", DataType::Int32, true),
    ]))
}

/// Schema of the facts' `app_country.parquet`.
pub fn facts_app_country() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("role", DataType::Utf8, false),
        Field::new("authority", DataType::Utf8, true),
        Field::new("filing_year", DataType::Int32, true),
        Field::new("appln_id", DataType::Int64, false),
        Field::new("country", DataType::Utf8, false),
        Field::new("countries", DataType::Int32, false),
    ]))
}

/// Schema of the facts of one classification, `class-<fingerprint>.parquet`.
pub fn facts_class() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("appln_id", DataType::Int64, false),
        Field::new("category", DataType::Utf8, false),
    ]))
}
