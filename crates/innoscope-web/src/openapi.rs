//! The OpenAPI 3.1 document, generated from the analysis list and the
//! parameter table, so it cannot drift from what the server accepts.

use innoscope_engine::analysis;
use serde_json::{Value, json};

use crate::params::{Kind, PARAMS};

fn schema(kind: Kind) -> Value {
    match kind {
        Kind::Int => json!({"type": "integer"}),
        Kind::Float => json!({"type": "number"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Text => json!({"type": "string"}),
        Kind::Texts => json!({"type": "string", "description": "comma-separated"}),
        Kind::Ints => json!({"type": "string", "description": "comma-separated integers"}),
        Kind::Floats => json!({"type": "string", "description": "comma-separated numbers"}),
    }
}

fn error_responses() -> Value {
    json!({
        "400": {"description": "a parameter is unknown or malformed (the error names it)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "404": {"description": "unknown analysis or table, or no data for it", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "500": {"description": "internal error (logged by the server)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    })
}

/// The document served at `/api/openapi.json`.
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    let simple = |summary: &str| json!({"get": {"summary": summary, "responses": {"200": {"description": "OK", "content": {"application/json": {}}}}}});
    paths.insert("/api/health".into(), simple("liveness"));
    paths.insert(
        "/api/datasets".into(),
        simple("datasets with provenance (source, licence, vintage, coverage)"),
    );
    paths.insert(
        "/api/analyses".into(),
        simple("analyses and their parameters"),
    );
    for spec in analysis::list() {
        let params: Vec<Value> = spec
            .params
            .iter()
            .filter_map(|p| {
                let (_, kind) = PARAMS.iter().find(|(n, _)| *n == p.name)?;
                if p.name.ends_with("-file") || p.name == "name-rules" {
                    return None;
                }
                Some(json!({
                    "name": p.name,
                    "in": "query",
                    "required": false,
                    "description": format!("{} (default: {})", p.help, p.default),
                    "schema": schema(*kind),
                }))
            })
            .collect();
        let mut responses = error_responses();
        responses["200"] = json!({"description": "result tables", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}});
        paths.insert(
            format!("/api/analyses/{}", spec.id),
            json!({"get": {
                "operationId": format!("run{}", spec.id.replace('.', "")),
                "summary": format!("{} / {}", spec.title.en, spec.title.zh),
                "tags": [spec.chapter],
                "parameters": params,
                "responses": responses,
            }}),
        );
    }
    let lang = json!({"name": "lang", "in": "query", "required": false, "schema": {"type": "string", "enum": ["en", "zh"]}});
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
    let file = |d: &str| json!({"name": "file", "in": "path", "required": true, "description": d, "schema": {"type": "string"}});
    for (path, summary, f, ct, with_lang) in [
        (
            "/api/analyses/{id}/tables/{file}",
            "a result table as CSV with provenance lines",
            "{table id}.csv",
            "text/csv",
            false,
        ),
        (
            "/api/analyses/{id}/figures/{file}",
            "a result table's figure",
            "{table id}.svg",
            "image/svg+xml",
            true,
        ),
        (
            "/api/analyses/{id}/networks/{file}",
            "a network table as GEXF or VOSviewer JSON",
            "{table id}.gexf or {table id}.vosviewer.json",
            "application/xml",
            true,
        ),
    ] {
        let mut ps = vec![id.clone(), file(f)];
        if with_lang {
            ps.push(lang.clone());
        }
        let mut responses = error_responses();
        responses["200"] = json!({"description": "OK", "content": {ct: {}}});
        paths.insert(
            path.into(),
            json!({"get": {"summary": format!("{summary}; takes the analysis' parameters too"), "parameters": ps, "responses": responses}}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "innoscope API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read-only API over innoscope's store: the same analyses, parameter names and defaults as the command line.",
            "license": {"name": "MIT OR Apache-2.0"}
        },
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "kind": {"type": "string"}, "param": {"type": "string"}, "message": {"type": "string"}}}}},
            "Result": {"type": "object", "properties": {
                "analysis": {"type": "string"}, "params": {"type": "object"},
                "tables": {"type": "array", "items": {"type": "object", "description": "ResultTable: id, title {en, zh}, columns, basis, sources, notes, findings, params, figure"}}}}
        }}
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_analysis_and_cli_parameter_is_documented() {
        let doc = super::document();
        for spec in innoscope_engine::analysis::list() {
            let op = &doc["paths"][format!("/api/analyses/{}", spec.id)]["get"];
            assert!(op.is_object(), "{}", spec.id);
            for p in &spec.params {
                if p.name.ends_with("-file") || p.name == "name-rules" {
                    continue;
                }
                let documented = op["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["name"] == p.name);
                assert!(documented, "{} {}", spec.id, p.name);
            }
        }
    }
}
