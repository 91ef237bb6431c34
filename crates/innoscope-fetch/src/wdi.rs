//! World Bank Indicators API v2: one series for all economies,
//! `GET {base}/country/all/indicator/{CODE}?format=json&per_page=N&page=P`
//! (and `&date=A:B` for a range of years). Each page is
//! `[{"page":P,"pages":…,"per_page":…,"total":…,"sourceid":…,"lastupdated":…},
//! [{"indicator":{"id":…,"value":…},"country":{"id":…,"value":…},
//! "countryiso3code":…,"date":"2020","value":…,…}, …]]`; an error is
//! `[{"message":[{"id":…,"key":…,"value":…}]}]`.
//!
//! Every page is checked against that layout before anything is imported:
//! the metadata fields, the page number, the same `pages` and `total` on
//! every page, the indicator of every record, the fields a record must have
//! and that the records of all pages add up to `total`. A difference is
//! format drift, reported as such.

use std::path::Path;

use serde_json::Value;

use crate::error::{ErrorKind, FetchError, Result};

/// The URL of page `page` of `code`.
pub fn url(base: &str, code: &str, per_page: u32, page: u32, years: Option<(i32, i32)>) -> String {
    let mut u = format!(
        "{}/country/all/indicator/{code}?format=json&per_page={per_page}&page={page}",
        base.trim_end_matches('/')
    );
    if let Some((a, b)) = years {
        u.push_str(&format!("&date={a}:{b}"));
    }
    u
}

/// The cache file of page `page` of `code`: `ny.gdp.mktp.cd.p1.json`.
pub fn file_name(code: &str, page: u32) -> String {
    format!("{}.p{page}.json", code.to_ascii_lowercase())
}

/// What a page says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub page: u64,
    pub pages: u64,
    pub per_page: u64,
    pub total: u64,
    pub records: u64,
    pub last_updated: String,
}

/// A number the API may write as `50` or `"50"`.
fn count(meta: &Value, key: &str) -> Option<u64> {
    match meta.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Check one saved page of `code` (page `expect_page`) and read its metadata.
pub fn check_page(path: &Path, url: &str, code: &str, expect_page: u64) -> Result<Page> {
    let src = "wdi";
    let bytes = std::fs::read(path)
        .map_err(|e| FetchError::new(src, ErrorKind::Io, format!("{}: {e}", path.display())))?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
        FetchError::drift(src, url, format!("the response is not valid JSON ({e})"))
    })?;
    let parts = doc.as_array().ok_or_else(|| {
        FetchError::drift(src, url, "expected a JSON array `[metadata, records]`")
    })?;
    let meta = parts
        .first()
        .ok_or_else(|| FetchError::drift(src, url, "the response array is empty"))?;
    if let Some(msg) = meta.get("message") {
        let text = msg
            .as_array()
            .and_then(|m| m.first())
            .map(|m| {
                let get = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                format!("{} {}", get("key"), get("value"))
                    .trim()
                    .to_string()
            })
            .unwrap_or_else(|| msg.to_string());
        return Err(FetchError::new(
            src,
            ErrorKind::Request,
            format!("the World Bank API refused `{code}`: {text}"),
        )
        .at(url)
        .hint("check the indicator code at https://data.worldbank.org/indicator"));
    }
    let field = |k: &str| {
        count(meta, k)
            .ok_or_else(|| FetchError::drift(src, url, format!("the metadata has no number `{k}`")))
    };
    let (page, pages, per_page, total) = (
        field("page")?,
        field("pages")?,
        field("per_page")?,
        field("total")?,
    );
    if page != expect_page {
        return Err(FetchError::drift(
            src,
            url,
            format!("asked for page {expect_page}, the response says page {page}"),
        ));
    }
    let empty = Vec::new();
    let records = match parts.get(1) {
        Some(Value::Array(r)) => r,
        // A series with no observation in the range: `[{…,"total":0}, null]`.
        Some(Value::Null) | None if total == 0 => &empty,
        _ => {
            return Err(FetchError::drift(
                src,
                url,
                "no record array after the metadata object",
            ));
        }
    };
    if records.len() as u64 > per_page.max(1) {
        return Err(FetchError::drift(
            src,
            url,
            format!(
                "page {page} holds {} records, more than per_page = {per_page}",
                records.len()
            ),
        ));
    }
    for (i, r) in records.iter().enumerate() {
        let n = i + 1;
        let id = r.pointer("/indicator/id").and_then(Value::as_str);
        match id {
            Some(id) if id.eq_ignore_ascii_case(code) => {}
            Some(id) => {
                return Err(FetchError::drift(
                    src,
                    url,
                    format!("record {n} is of indicator `{id}`, not `{code}`"),
                ));
            }
            None => {
                return Err(FetchError::drift(
                    src,
                    url,
                    format!("record {n} has no `indicator.id` (field renamed or removed)"),
                ));
            }
        }
        for key in ["date", "value"] {
            if r.get(key).is_none() {
                return Err(FetchError::drift(
                    src,
                    url,
                    format!("record {n} has no field `{key}` (renamed or removed)"),
                ));
            }
        }
        if r.get("countryiso3code").is_none() && r.pointer("/country/id").is_none() {
            return Err(FetchError::drift(
                src,
                url,
                format!("record {n} has neither `countryiso3code` nor `country.id`"),
            ));
        }
        match &r["value"] {
            Value::Null | Value::Number(_) => {}
            other => {
                return Err(FetchError::drift(
                    src,
                    url,
                    format!("record {n}: `value` is {other}, not a number or null"),
                ));
            }
        }
    }
    Ok(Page {
        page,
        pages,
        per_page,
        total,
        records: records.len() as u64,
        last_updated: meta
            .get("lastupdated")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    })
}

/// Check that the pages of one series agree with each other and add up.
pub fn check_pages(url: &str, pages: &[Page]) -> Result<()> {
    let Some(first) = pages.first() else {
        return Ok(());
    };
    for p in pages {
        if p.pages != first.pages || p.total != first.total {
            return Err(FetchError::drift(
                "wdi",
                url,
                format!(
                    "page {} says {} pages and {} records, page 1 said {} and {}",
                    p.page, p.pages, p.total, first.pages, first.total
                ),
            ));
        }
    }
    let held: u64 = pages.iter().map(|p| p.records).sum();
    if pages.len() as u64 != first.pages.max(1) || held != first.total {
        return Err(FetchError::drift(
            "wdi",
            url,
            format!(
                "the page count does not add up: {} pages and {} records announced, {} pages holding {held} read",
                first.pages,
                first.total,
                pages.len()
            ),
        ));
    }
    Ok(())
}
