//! The OpenAPI 3.1 document, generated from the analysis registry and the
//! parameter schema, so it cannot drift from what the server accepts: each
//! parameter with its type, range or choices and default, file parameters
//! (command line only) left out.

use innoscope_engine::analysis::param::{Kind, ParamDef};
use innoscope_engine::analysis::registry::{ANALYSES, DefaultValue};
use serde_json::{Value, json};

fn schema(d: &ParamDef, default: &DefaultValue) -> Value {
    let mut s = match d.kind {
        Kind::Int { min, max } => json!({"type": "integer", "minimum": min, "maximum": max}),
        Kind::Float { min, max } => json!({"type": "number", "minimum": min, "maximum": max}),
        Kind::Flag => json!({"type": "boolean"}),
        Kind::Text | Kind::Path => json!({"type": "string", "minLength": 1, "pattern": "\\S"}),
        Kind::Choice { values, .. } => json!({"type": "string", "enum": values}),
        // Lists are arrays written comma-separated (`style: form`, `explode:
        // false` on the parameter): each item checked like a single value.
        Kind::Texts => json!({"type": "array", "minItems": 1,
            "items": {"type": "string", "pattern": "^[^,]*[^,\\s][^,]*$"}}),
        Kind::Ints { min, max } => json!({"type": "array", "minItems": 1,
            "items": {"type": "integer", "minimum": min, "maximum": max}}),
        Kind::Floats { min, max } => json!({"type": "array", "minItems": 1,
            "items": {"type": "number", "minimum": min, "maximum": max}}),
        Kind::Date => json!({"type": "string", "format": "date",
            "pattern": "^(1[89][0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}),
    };
    let literal = match default {
        DefaultValue::Int(v) => Some(json!(v)),
        DefaultValue::Float(v) => Some(json!(v)),
        DefaultValue::Flag(v) => Some(json!(v)),
        DefaultValue::Text(v) => Some(json!(v)),
        DefaultValue::Ints(v) => Some(json!(v)),
        DefaultValue::Floats(v) => Some(json!(v)),
        DefaultValue::Texts(v) => Some(json!(v)),
        DefaultValue::None | DefaultValue::Rule(_) => None,
    };
    if let Some(l) = literal {
        s["default"] = l;
    }
    s
}

fn error_responses() -> Value {
    let error = |description: &str| json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({
        "400": error("a parameter is unknown or malformed: wrong type, out of range, not one of the choices (the error names it)"),
        "422": error("well-formed parameters the data or the other parameters do not allow: an economy or field not in the data, a year outside the data, a base year after the reference year (the error names the parameter)"),
        "404": error("unknown analysis or table, or no data for it"),
        "500": error("internal error (logged by the server)"),
        "503": {
            "description": "the server's memory budget has no room for the analysis now; retry after the seconds in Retry-After",
            "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer", "minimum": 1}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        },
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
    let mut responses = error_responses();
    responses["200"] = json!({"description": "the changed values as a result table", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Table"}}}});
    paths.insert(
        "/api/datasets/{id}/changes".into(),
        json!({"get": {
            "summary": "what changed in a statistics dataset since a version the store kept: revised values, new years, filled-in and dropped values",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "wdi"},
                {"name": "vintage", "in": "query", "required": false, "description": "which earlier version: 1 is the one before the current (default: 1)", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 1}}
            ],
            "responses": responses
        }}),
    );
    for a in ANALYSES {
        let params: Vec<Value> = a
            .params_with_defs()
            .filter(|(d, _)| d.kind != Kind::Path)
            .map(|(d, u)| {
                let help = u.help.unwrap_or(d.help);
                let default = u.default.describe(false);
                let mut p = json!({
                    "name": d.name,
                    "in": "query",
                    "required": false,
                    "description": if default.is_empty() {
                        format!("{} / {}", help.en, help.zh)
                    } else {
                        format!("{} / {} (default: {default})", help.en, help.zh)
                    },
                    "schema": schema(d, &u.default),
                });
                if d.is_list() {
                    p["style"] = json!("form");
                    p["explode"] = json!(false);
                }
                p
            })
            .collect();
        let mut responses = error_responses();
        responses["200"] = json!({"description": "result tables", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}});
        paths.insert(
            format!("/api/analyses/{}", a.id),
            json!({"get": {
                "operationId": format!("run{}", a.id.replace('.', "")),
                "summary": format!("{} / {}", a.title.en, a.title.zh),
                "tags": [a.chapter],
                "parameters": params,
                "responses": responses,
            }}),
        );
    }
    let lang = json!({"name": "lang", "in": "query", "required": false, "schema": {"type": "string", "enum": ["en", "zh"]}});
    let ids: Vec<&str> = ANALYSES.iter().map(|a| a.id).collect();
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ids}, "example": "C5"});
    let file = |d: &str, example: &str| json!({"name": "file", "in": "path", "required": true, "description": d, "schema": {"type": "string"}, "example": example});
    for (path, summary, (f, example), ct, with_lang) in [
        (
            "/api/analyses/{id}/tables/{file}",
            "a result table as CSV with provenance lines",
            ("{table id}.csv", "C5.csv"),
            &["text/csv"][..],
            false,
        ),
        (
            "/api/analyses/{id}/figures/{file}",
            "a result table's figure",
            ("{table id}.svg", "C5.svg"),
            &["image/svg+xml"][..],
            true,
        ),
        (
            "/api/analyses/{id}/networks/{file}",
            "a network table as GEXF or VOSviewer JSON",
            (
                "{table id}.gexf or {table id}.vosviewer.json",
                "K1.network.gexf",
            ),
            &["application/xml", "application/json"][..],
            true,
        ),
    ] {
        let mut ps = vec![id.clone(), file(f, example)];
        if with_lang {
            ps.push(lang.clone());
        }
        let mut responses = error_responses();
        let content: serde_json::Map<String, Value> =
            ct.iter().map(|c| (c.to_string(), json!({}))).collect();
        responses["200"] = json!({"description": "OK", "content": content});
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
        "components": {"schemas": components()}
    })
}

/// The result model (`innoscope_core::ResultTable` as serialised), written
/// out field by field so that clients can rely on it; Schemathesis
/// (`tests/schemathesis/run.sh`) checks every response it gets against it.
fn components() -> Value {
    let text = json!({"type": "object", "required": ["en", "zh"], "additionalProperties": false,
        "properties": {"en": {"type": "string"}, "zh": {"type": "string"}}});
    let nullable = |t: &str| json!({"type": "array", "items": {"type": [t, "null"]}});
    json!({
        "Text": text,
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["status", "kind", "message"], "properties": {
                "status": {"type": "integer"}, "kind": {"type": "string"},
                "param": {"type": "string"}, "message": {"type": "string"},
                "retry_after": {"type": "integer", "minimum": 1}}}}},
        "Values": {"oneOf": [
            {"type": "object", "required": ["type", "data"], "additionalProperties": false,
             "properties": {"type": {"const": "text"}, "data": nullable("string")}},
            {"type": "object", "required": ["type", "data"], "additionalProperties": false,
             "properties": {"type": {"const": "float"}, "data": nullable("number")}},
            {"type": "object", "required": ["type", "data"], "additionalProperties": false,
             "properties": {"type": {"const": "int"}, "data": nullable("integer")}},
            {"type": "object", "required": ["type", "data"], "additionalProperties": false,
             "properties": {"type": {"const": "bool"}, "data": nullable("boolean")}}
        ]},
        "Column": {"type": "object", "required": ["name", "label", "decimals", "values"],
            "additionalProperties": false, "properties": {
                "name": {"type": "string"}, "label": {"$ref": "#/components/schemas/Text"},
                "unit": {"$ref": "#/components/schemas/Text"},
                "decimals": {"type": "integer", "minimum": 0, "maximum": 255},
                "values": {"$ref": "#/components/schemas/Values"},
                "labels": {"type": "object", "description": "what the codes of a text column read as, by code",
                    "additionalProperties": {"$ref": "#/components/schemas/Text"}}}},
        "Source": {"type": "object", "required": ["dataset", "indicators", "source", "source_zh", "licence", "licence_zh", "vintage", "vintage_zh"],
            "additionalProperties": false, "properties": {
                "dataset": {"type": "string"}, "indicators": {"type": "array", "items": {"type": "string"}},
                "source": {"type": "string"}, "source_zh": {"type": "string"}, "licence": {"type": "string"}, "licence_zh": {"type": "string"}, "vintage": {"type": "string"}, "vintage_zh": {"type": "string"}}},
        "Coverage": {"type": "object", "required": ["year", "adequate", "rule"],
            "additionalProperties": false, "properties": {
                "year": {"type": "integer"}, "asked": {"type": "integer"},
                "share": {"type": "number", "minimum": 0, "maximum": 1},
                "missing": {"type": "array", "items": {"type": "string"}},
                "adequate": {"type": "boolean"}, "rule": {"$ref": "#/components/schemas/Text"}}},
        "Figure": {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": [
            "grouped_bars", "bars_with_line", "rank_change", "bubble", "diverging_bars",
            "stacked_bars", "heat_map", "ranked_bars", "network"]}}},
        "Table": {"type": "object",
            "required": ["id", "title", "columns", "basis", "sources", "notes", "findings", "params"],
            "additionalProperties": false, "properties": {
                "id": {"type": "string"}, "title": {"$ref": "#/components/schemas/Text"},
                "columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}},
                "basis": {"type": "array", "items": {"type": "array", "minItems": 2, "maxItems": 2,
                    "items": {"$ref": "#/components/schemas/Text"}}},
                "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}},
                "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Text"}},
                "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Text"}},
                "params": {"type": "object", "additionalProperties": {"type": "string"}},
                "figure": {"$ref": "#/components/schemas/Figure"},
                "synthetic": {"type": "boolean"},
                "coverage": {"$ref": "#/components/schemas/Coverage"}}},
        "Result": {"type": "object", "required": ["analysis", "params", "tables"], "properties": {
            "analysis": {"type": "string"}, "params": {"type": "object"},
            "tables": {"type": "array", "items": {"$ref": "#/components/schemas/Table"}}}}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_analysis_and_every_parameter_but_files_is_documented() {
        let doc = document();
        for a in ANALYSES {
            let op = &doc["paths"][format!("/api/analyses/{}", a.id)]["get"];
            assert!(op.is_object(), "{}", a.id);
            let listed = op["parameters"].as_array().unwrap();
            for (d, _) in a.params_with_defs() {
                let documented = listed.iter().any(|x| x["name"] == d.name);
                assert_eq!(documented, d.kind != Kind::Path, "{} {}", a.id, d.name);
            }
        }
        let top = &doc["paths"]["/api/analyses/C4"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "top")
            .unwrap()["schema"];
        assert_eq!(top["minimum"], 1);
        assert_eq!(top["maximum"], 500);
        assert_eq!(top["default"], 20);
    }
}
