//! The OpenAPI 3.1 document, generated from the analysis registry and the
//! parameter schema, so it cannot drift from what the server accepts: each
//! parameter with its type, range or choices and default, file parameters
//! (command line only) left out.

use innoscope_engine::analysis::param::{Kind, ParamDef};
use innoscope_engine::analysis::registry::{ANALYSES, DefaultValue};
use serde_json::{Value, json};

fn schema(d: &ParamDef, default: &DefaultValue) -> Value {
    let bound = |v: Value, min: Value, max: Value| {
        let mut v = v;
        v["minimum"] = min;
        if max != Value::Null {
            v["maximum"] = max;
        }
        v
    };
    let mut s = match d.kind {
        Kind::Int { min, max } => bound(
            json!({"type": "integer"}),
            json!(min),
            if max == i64::MAX {
                Value::Null
            } else {
                json!(max)
            },
        ),
        Kind::Float { min, max } => bound(json!({"type": "number"}), json!(min), json!(max)),
        Kind::Flag => json!({"type": "boolean"}),
        Kind::Text | Kind::Path => json!({"type": "string", "minLength": 1}),
        Kind::Choice { values, .. } => json!({"type": "string", "enum": values}),
        Kind::Texts => json!({"type": "string", "description": "comma-separated"}),
        Kind::Ints { min, max } => {
            json!({"type": "string", "pattern": "^\\s*-?[0-9]+\\s*(,\\s*-?[0-9]+\\s*)*$",
            "description": format!("comma-separated whole numbers, each in {min}..={max}")})
        }
        Kind::Floats { min, max } => json!({"type": "string",
            "description": format!("comma-separated numbers, each in {min}..={max}")}),
        Kind::Date => json!({"type": "string", "format": "date"}),
    };
    let literal = match default {
        DefaultValue::Int(v) => Some(json!(v)),
        DefaultValue::Float(v) => Some(json!(v)),
        DefaultValue::Flag(v) => Some(json!(v)),
        DefaultValue::Text(v) => Some(json!(v)),
        DefaultValue::Ints(_) | DefaultValue::Floats(_) | DefaultValue::Texts(_) => {
            Some(json!(default.describe(false)))
        }
        DefaultValue::None | DefaultValue::Rule(_) => None,
    };
    if let Some(l) = literal {
        s["default"] = l;
    }
    s
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
    let mut responses = error_responses();
    responses["200"] = json!({"description": "the changed values as a result table", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Table"}}}});
    paths.insert(
        "/api/datasets/{id}/changes".into(),
        json!({"get": {
            "summary": "what changed in a statistics dataset since a version the store kept: revised values, new years, filled-in and dropped values",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
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
                json!({
                    "name": d.name,
                    "in": "query",
                    "required": false,
                    "description": if default.is_empty() {
                        format!("{} / {}", help.en, help.zh)
                    } else {
                        format!("{} / {} (default: {default})", help.en, help.zh)
                    },
                    "schema": schema(d, &u.default),
                })
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
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
    let file = |d: &str| json!({"name": "file", "in": "path", "required": true, "description": d, "schema": {"type": "string"}});
    for (path, summary, f, ct, with_lang) in [
        (
            "/api/analyses/{id}/tables/{file}",
            "a result table as CSV with provenance lines",
            "{table id}.csv",
            &["text/csv"][..],
            false,
        ),
        (
            "/api/analyses/{id}/figures/{file}",
            "a result table's figure",
            "{table id}.svg",
            &["image/svg+xml"][..],
            true,
        ),
        (
            "/api/analyses/{id}/networks/{file}",
            "a network table as GEXF or VOSviewer JSON",
            "{table id}.gexf or {table id}.vosviewer.json",
            &["application/xml", "application/json"][..],
            true,
        ),
    ] {
        let mut ps = vec![id.clone(), file(f)];
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
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "kind": {"type": "string"}, "param": {"type": "string"}, "message": {"type": "string"}}}}},
            "Table": {"type": "object", "description": "ResultTable: id, title {en, zh}, columns, basis, sources, notes, findings, params, figure"},
            "Result": {"type": "object", "properties": {
                "analysis": {"type": "string"}, "params": {"type": "object"},
                "tables": {"type": "array", "items": {"type": "object", "description": "ResultTable: id, title {en, zh}, columns, basis, sources, notes, findings, params, figure"}}}}
        }}
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
