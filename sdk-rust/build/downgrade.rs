//! In-memory downgrade of an OpenAPI 3.1 document (as utoipa 6 writes it) to OpenAPI 3.0.3.
//!
//! progenitor 0.15 reads documents through the `openapiv3` 2.x crate, which only models
//! OpenAPI 3.0; 3.1 support is an open request upstream (progenitor issues #762, #1268).
//! Fed a 3.1 document it either rejects it outright or silently mis-reads the schemas, so the
//! build script rewrites the few 3.1 constructs utoipa emits into their 3.0 spelling first.
//!
//! The walk follows the document's structure (paths -> operations -> parameters / bodies /
//! responses -> media types -> schemas) and, inside a schema, descends only into keywords whose
//! values are schemas. So literal data (`example`, `examples`, `default`, `enum`, `const`) is
//! never rewritten, and map keys (property names, schema names, paths, status codes) are never
//! mistaken for keywords.

use serde_json::{Map, Value, json};

type Res = Result<(), String>;
#[rustfmt::skip]
const OPERATIONS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// Schema keywords whose value is one schema.
#[rustfmt::skip]
const SUBSCHEMA: &[&str] = &["items", "additionalProperties", "not", "contains", "if", "then",
    "else", "additionalItems", "unevaluatedItems", "unevaluatedProperties"];
/// Schema keywords whose value is an array of schemas, or a map from NAMES to schemas.
#[rustfmt::skip]
const SUBSCHEMAS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "properties",
    "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// Rewrites an OpenAPI 3.1 document (as utoipa 6 writes it) into the OpenAPI 3.0.3 form progenitor reads.
pub fn downgrade_to_3_0(doc: &mut Value) -> Result<(), String> {
    let root = doc.as_object_mut().ok_or("document is not a JSON object")?;
    // progenitor's version check rejects anything but 3.0.x ("invalid version: 3.1.0").
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.1.") => {}
        other => return Err(format!("/openapi: expected 3.1.x, found {other:?}")),
    }
    root.insert("openapi".into(), json!("3.0.3"));
    // 3.1-only top-level fields: ignored by openapiv3, dropped so the output is clean 3.0.
    root.remove("jsonSchemaDialect");
    root.remove("webhooks");
    if let Some(Value::Object(license)) = root.get_mut("info").and_then(|i| i.get_mut("license")) {
        license.remove("identifier");
    }
    // 3.1 made `paths` optional; in 3.0 it is required.
    let paths = root.entry("paths").or_insert_with(|| json!({}));
    each(paths, "/paths", path_item)?;
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (kind, entries) in components.iter_mut() {
            let p = format!("/components/{}", escape(kind));
            match kind.as_str() {
                "schemas" => each(entries, &p, schema)?,
                "responses" | "parameters" | "requestBodies" | "headers" => each(entries, &p, holder)?,
                "callbacks" => each(entries, &p, callback)?,
                "pathItems" => each(entries, &p, path_item)?,
                _ => {} // examples, securitySchemes, links: no schemas inside
            }
        }
    }
    Ok(())
}

/// Applies `f` to every value of a map (names are not interpreted) or element of an array.
fn each(v: &mut Value, p: &str, f: fn(&mut Value, &str) -> Res) -> Res {
    match v {
        Value::Object(m) => m.iter_mut().try_for_each(|(k, v)| f(v, &format!("{p}/{}", escape(k)))),
        Value::Array(a) => a.iter_mut().enumerate().try_for_each(|(i, v)| f(v, &format!("{p}/{i}"))),
        _ => Ok(()),
    }
}

/// JSON pointer escaping of one path segment (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn callback(v: &mut Value, p: &str) -> Res {
    each(v, p, path_item)
}

/// A path item or an operation (their key sets do not overlap).
fn path_item(v: &mut Value, p: &str) -> Res {
    for (k, v) in v.as_object_mut().into_iter().flatten() {
        let p = format!("{p}/{}", escape(k));
        match k.as_str() {
            op if OPERATIONS.contains(&op) => path_item(v, &p)?,
            "parameters" | "responses" => each(v, &p, holder)?,
            "requestBody" => holder(v, &p)?,
            "callbacks" => each(v, &p, callback)?,
            _ => {}
        }
    }
    Ok(())
}

/// Parameter, header, request body, response, media type or encoding: whatever holds schemas
/// under `schema` / `content` / `headers` / `encoding`. `example(s)` here is literal data.
fn holder(v: &mut Value, p: &str) -> Res {
    for (k, v) in v.as_object_mut().into_iter().flatten() {
        let p = format!("{p}/{}", escape(k));
        match k.as_str() {
            "schema" => schema(v, &p)?,
            "content" | "headers" | "encoding" => each(v, &p, holder)?,
            _ => {}
        }
    }
    Ok(())
}

fn is_null_type(t: Option<&Value>) -> bool {
    t.is_some_and(|t| t == "null" || *t == json!(["null"]))
}

fn schema(v: &mut Value, p: &str) -> Res {
    // Boolean schemas (`true`/`false`) need no rewrite.
    let Some(obj) = v.as_object_mut() else {
        return Ok(());
    };
    // Option<T> as `oneOf/anyOf: [T, {type: null}]`: openapiv3 has no null type and reads the
    // member as an untyped `Any` schema, so progenitor cannot see that T is merely optional.
    // Repeat: a merged member may bring its own oneOf/anyOf.
    while collapse_null(obj, "oneOf", p)? | collapse_null(obj, "anyOf", p)? {}
    // `type: [T, "null"]`: openapiv3 expects `type` to be a string and rejects the schema.
    if let Some(t) = obj.get("type") {
        if is_null_type(Some(t)) {
            return Err(format!("{p}/type: a lone null type has no 3.0 form"));
        }
        if let Value::Array(types) = t {
            let rest: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
            let [only] = rest[..] else {
                return Err(format!("{p}/type: type array {t} has no 3.0 form"));
            };
            let nullable = rest.len() < types.len();
            obj.insert("type".into(), only.clone());
            if nullable {
                obj.insert("nullable".into(), json!(true));
            }
        }
    }
    // Numeric exclusiveMinimum/Maximum: openapiv3 expects a boolean and fails to parse.
    // If an inclusive bound is also present and is tighter, keep that one instead.
    for (excl, bound, tighter) in [("exclusiveMinimum", "minimum", 1.0), ("exclusiveMaximum", "maximum", -1.0)] {
        let Some(n) = obj.get(excl).and_then(Value::as_f64) else {
            continue;
        };
        let inclusive = obj.get(bound).and_then(Value::as_f64);
        if inclusive.is_some_and(|m| (m - n) * tighter > 0.0) {
            obj.remove(excl);
        } else if let Some(n) = obj.insert(excl.into(), json!(true)) {
            obj.insert(bound.into(), n);
        }
    }
    // `const`: unknown to openapiv3, so the constraint would be silently dropped.
    if let Some(c) = obj.remove("const") {
        obj.insert("enum".into(), json!([c]));
    }
    // Schema `examples` (an array): unknown to openapiv3, so the example would be lost.
    if let Some(Value::Array(examples)) = obj.get("examples") {
        let first = examples.first().cloned();
        obj.remove("examples");
        if let (Some(first), false) = (first, obj.contains_key("example")) {
            obj.insert("example".into(), first);
        }
    }
    // 3.1-only; openapiv3 ignores it, dropped for a clean 3.0 document.
    obj.remove("propertyNames");
    for (k, v) in obj.iter_mut() {
        let p = format!("{p}/{}", escape(k));
        match k.as_str() {
            k if SUBSCHEMA.contains(&k) => schema(v, &p)?,
            k if SUBSCHEMAS.contains(&k) => each(v, &p, schema)?,
            _ => {} // literal data (example, default, enum, ...) and annotations
        }
    }
    Ok(())
}

/// Removes `{type: null}` members from `obj[key]`; returns whether it changed anything.
/// One member left: a `$ref` becomes `allOf: [{$ref}]` (3.0 ignores siblings of `$ref`, so
/// `nullable` must sit beside an `allOf`); anything else is merged into `obj`. Outer keys win.
fn collapse_null(obj: &mut Map<String, Value>, key: &str, p: &str) -> Result<bool, String> {
    let Some(Value::Array(members)) = obj.get_mut(key) else {
        return Ok(false);
    };
    let before = members.len();
    members.retain(|m| !is_null_type(m.get("type")));
    if members.len() == before {
        return Ok(false);
    }
    let only = match members.len() {
        0 => return Err(format!("{p}/{key}: only null members: no 3.0 form")),
        1 => members.pop(),
        _ => None, // several real alternatives: keep them, nullable on the parent
    };
    obj.insert("nullable".into(), json!(true));
    if let Some(only) = only {
        let Value::Object(mut only) = only else {
            return Err(format!("{p}/{key}: non-object member beside null"));
        };
        obj.remove(key);
        if let Some(r) = only.remove("$ref") {
            let all_of = obj.entry("allOf").or_insert_with(|| json!([]));
            let all_of = all_of.as_array_mut().ok_or(format!("{p}/allOf: not an array"))?;
            all_of.push(json!({ "$ref": r }));
        }
        for (k, v) in only {
            obj.entry(k).or_insert(v);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::downgrade_to_3_0;
    use serde_json::{Value, json};

    fn doc(schemas: Value) -> Value {
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
               "components": {"schemas": schemas}})
    }

    /// Converts a document holding `schema` as components.schemas.S and returns S.
    fn conv(schema: Value) -> Value {
        let mut d = doc(json!({ "S": schema }));
        downgrade_to_3_0(&mut d).unwrap();
        d["components"]["schemas"]["S"].take()
    }

    fn conv_err(schema: Value) -> String {
        downgrade_to_3_0(&mut doc(json!({ "S": schema }))).unwrap_err()
    }

    #[test]
    fn version_is_rewritten() {
        let mut d = doc(json!({}));
        downgrade_to_3_0(&mut d).unwrap();
        assert_eq!(d["openapi"], "3.0.3");
        d["openapi"] = json!("3.1.1");
        downgrade_to_3_0(&mut d).unwrap();
        assert_eq!(d["openapi"], "3.0.3");
    }

    #[test]
    fn non_3_1_versions_are_errors() {
        for v in [json!("3.0.3"), json!("2.0"), json!("3.10.0"), json!(3.1)] {
            let mut d = doc(json!({}));
            d["openapi"] = v;
            assert!(downgrade_to_3_0(&mut d).unwrap_err().contains("3.1"));
        }
        let mut missing = json!({"info": {}, "paths": {}});
        assert!(downgrade_to_3_0(&mut missing).is_err());
        assert!(downgrade_to_3_0(&mut json!([])).is_err());
    }

    #[test]
    fn nullable_type_arrays() {
        let s = conv(json!({"type": ["string", "null"], "format": "date-time"}));
        assert_eq!(s, json!({"type": "string", "format": "date-time", "nullable": true}));
        assert_eq!(conv(json!({"type": ["null", "integer"]})), json!({"type": "integer", "nullable": true}));
        assert_eq!(conv(json!({"type": ["object"]})), json!({"type": "object"}));
        // Nested: items and properties are walked.
        let s = conv(json!({"type": "array", "items": {"type": ["number", "null"]}}));
        assert_eq!(s["items"], json!({"type": "number", "nullable": true}));
    }

    #[test]
    fn multi_type_arrays_are_errors_with_a_pointer() {
        let e = conv_err(json!({"properties": {"a/b": {"type": ["string", "integer", "null"]}}}));
        assert!(e.starts_with("/components/schemas/S/properties/a~1b/type:"), "{e}");
        assert!(conv_err(json!({"type": ["null"]})).starts_with("/components/schemas/S/type"));
        assert!(conv_err(json!({"type": []})).starts_with("/components/schemas/S/type"));
    }

    #[test]
    fn option_of_ref_becomes_nullable_all_of() {
        let r = json!({"$ref": "#/components/schemas/Customer"});
        let want = json!({"allOf": [r], "nullable": true, "description": "Who"});
        // Description on the outer schema, null member last.
        let s = conv(json!({"oneOf": [r, {"type": "null"}], "description": "Who"}));
        assert_eq!(s, want);
        // Description on the ref member, null member first.
        let s =
            conv(json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Customer", "description": "Who"}]}));
        assert_eq!(s, want);
        // anyOf, other outer keys kept.
        let s = conv(json!({"anyOf": [r, {"type": "null"}], "description": "Who", "readOnly": true}));
        assert_eq!(s, json!({"allOf": [r], "nullable": true, "description": "Who", "readOnly": true}));
        // Outer description wins over the member's.
        let s =
            conv(json!({"oneOf": [{"$ref": "#/x", "description": "inner"}, {"type": "null"}], "description": "outer"}));
        assert_eq!(s["description"], "outer");
    }

    #[test]
    fn option_of_inline_schema_is_merged() {
        let s = conv(json!({"oneOf": [{"type": "null"}, {"type": "string", "enum": ["a", "b"]}], "description": "d"}));
        assert_eq!(s, json!({"type": "string", "enum": ["a", "b"], "nullable": true, "description": "d"}));
        // The merged member is itself converted.
        let s = conv(json!({"anyOf": [{"type": ["integer"], "exclusiveMinimum": 0}, {"type": "null"}]}));
        assert_eq!(s, json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "nullable": true}));
    }

    #[test]
    fn one_of_with_several_members_keeps_them() {
        let s = conv(json!({"oneOf": [{"$ref": "#/a"}, {"type": "null"}, {"$ref": "#/b"}]}));
        assert_eq!(s, json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}], "nullable": true}));
    }

    #[test]
    fn lone_null_schemas_are_errors() {
        let e = conv_err(json!({"properties": {"gone": {"type": "null"}}}));
        assert!(e.starts_with("/components/schemas/S/properties/gone/type"), "{e}");
        assert!(conv_err(json!({"oneOf": [{"type": "null"}]})).starts_with("/components/schemas/S/oneOf"));
        assert!(conv_err(json!({"allOf": [{"type": "null"}]})).starts_with("/components/schemas/S/allOf/0"));
    }

    #[test]
    fn exclusive_bounds() {
        let s = conv(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5}));
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                             "maximum": 1.5, "exclusiveMaximum": true})
        );
        // 3.0 boolean form is left alone.
        let s = json!({"minimum": 1, "exclusiveMinimum": true});
        assert_eq!(conv(s.clone()), s);
        // A tighter inclusive bound wins; a looser one is replaced.
        assert_eq!(conv(json!({"minimum": 5, "exclusiveMinimum": 0})), json!({"minimum": 5}));
        assert_eq!(conv(json!({"maximum": 9, "exclusiveMaximum": 3})), json!({"maximum": 3, "exclusiveMaximum": true}));
    }

    #[test]
    fn const_becomes_enum() {
        assert_eq!(conv(json!({"type": "string", "const": "card"})), json!({"type": "string", "enum": ["card"]}));
        assert_eq!(conv(json!({"const": {"type": ["a", "null"]}})), json!({"enum": [{"type": ["a", "null"]}]}));
    }

    #[test]
    fn schema_examples_become_example() {
        assert_eq!(conv(json!({"type": "string", "examples": ["x", "y"]})), json!({"type": "string", "example": "x"}));
        assert_eq!(conv(json!({"example": "keep", "examples": ["x"]})), json!({"example": "keep"}));
        assert_eq!(conv(json!({"examples": []})), json!({}));
    }

    #[test]
    fn media_type_and_parameter_examples_are_untouched() {
        let examples = json!({"one": {"value": {"type": ["a", "null"], "const": 1}}});
        let mut d = doc(json!({}));
        d["paths"] = json!({"/p": {"get": {
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "examples": examples}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object"}, "examples": examples, "example": {"type": ["a", "null"]}}}}}}}});
        let before = d.clone();
        downgrade_to_3_0(&mut d).unwrap();
        let op = |d: &Value| d["paths"]["/p"]["get"].clone();
        assert_eq!(op(&d)["parameters"][0]["examples"], op(&before)["parameters"][0]["examples"]);
        let (mt, mt0) = (
            &op(&d)["responses"]["200"]["content"]["application/json"],
            &op(&before)["responses"]["200"]["content"]["application/json"],
        );
        assert_eq!(mt["examples"], mt0["examples"]);
        assert_eq!(mt["example"], mt0["example"]);
    }

    #[test]
    fn literal_data_is_not_walked() {
        let lit = json!({"type": ["a", "null"], "const": 1, "examples": [1], "oneOf": [{"type": "null"}]});
        let s = json!({"type": "object", "example": lit, "default": lit, "enum": [lit]});
        assert_eq!(conv(s.clone()), s);
        let s = conv(json!({"type": "string", "examples": [lit]}));
        assert_eq!(s["example"], lit);
    }

    #[test]
    fn names_are_not_keywords() {
        let props = json!({
            "type": {"type": "string"},
            "examples": {"type": "array", "items": {"type": "string"}},
            "const": {"type": ["integer", "null"]},
            "oneOf": {"type": "boolean"},
            "propertyNames": {"type": "string"},
            "exclusiveMinimum": {"type": "number"}
        });
        let s = conv(json!({"type": "object", "properties": props, "required": ["type", "const"]}));
        assert_eq!(s["properties"]["type"], json!({"type": "string"}));
        assert_eq!(s["properties"]["examples"]["items"], json!({"type": "string"}));
        assert_eq!(s["properties"]["const"], json!({"type": "integer", "nullable": true}));
        assert_eq!(s["properties"]["oneOf"], json!({"type": "boolean"}));
        assert_eq!(s["properties"]["propertyNames"], json!({"type": "string"}));
        assert_eq!(s["properties"]["exclusiveMinimum"], json!({"type": "number"}));
        assert_eq!(s["required"], json!(["type", "const"]));
        // Schemas named like keywords; patternProperties keys too.
        let mut d = doc(json!({"type": {"type": ["string", "null"]}, "const": {"const": 1},
                               "P": {"patternProperties": {"examples": {"examples": [2]}}}}));
        downgrade_to_3_0(&mut d).unwrap();
        let s = &d["components"]["schemas"];
        assert_eq!(s["type"], json!({"type": "string", "nullable": true}));
        assert_eq!(s["const"], json!({"enum": [1]}));
        assert_eq!(s["P"]["patternProperties"]["examples"], json!({"example": 2}));
    }

    #[test]
    fn response_and_header_names_are_not_keywords() {
        let mut d = doc(json!({}));
        d["components"]["responses"] = json!({"schema": {"description": "x", "headers": {
            "schema": {"schema": {"type": ["string", "null"]}}},
            "content": {"text/plain": {"schema": {"type": ["string", "null"]}}}}});
        downgrade_to_3_0(&mut d).unwrap();
        let r = &d["components"]["responses"]["schema"];
        assert_eq!(r["headers"]["schema"]["schema"], json!({"type": "string", "nullable": true}));
        assert_eq!(r["content"]["text/plain"]["schema"], json!({"type": "string", "nullable": true}));
    }

    #[test]
    fn three_one_only_fields_are_dropped() {
        let mut d = doc(json!({"M": {"type": "object", "propertyNames": {"pattern": "^a"},
                                     "additionalProperties": {"type": ["string", "null"]}}}));
        d["jsonSchemaDialect"] = json!("https://spec.openapis.org/oas/3.1/dialect/base");
        d["webhooks"] = json!({"w": {}});
        d["info"]["license"] = json!({"name": "MIT", "identifier": "MIT"});
        downgrade_to_3_0(&mut d).unwrap();
        assert!(d.get("jsonSchemaDialect").is_none() && d.get("webhooks").is_none());
        assert_eq!(d["info"]["license"], json!({"name": "MIT"}));
        assert_eq!(
            d["components"]["schemas"]["M"],
            json!({"type": "object",
            "additionalProperties": {"type": "string", "nullable": true}})
        );
    }

    /// A small document shaped like utoipa 6 output, which must parse as openapiv3::OpenAPI.
    #[test]
    fn end_to_end_parses_with_openapiv3() {
        let mut d = json!({
          "openapi": "3.1.0",
          "info": {"title": "kassa", "version": "0.1.0", "license": {"name": "MIT", "identifier": "MIT"}},
          "paths": {"/orders": {"post": {
            "tags": ["orders"], "operationId": "create_order",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}}, "required": true},
            "responses": {
              "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
              "400": {"description": "Bad request", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }}}},
          "components": {"schemas": {
            "Error": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
            "Customer": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "format": "int64", "minimum": 0}}},
            "NewOrder": {"type": "object", "required": ["amount"], "properties": {
              "amount": {"type": "integer", "format": "int64", "minimum": 0, "examples": [1250]},
              "note": {"type": ["string", "null"]},
              "customer": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Customer", "description": "Buyer"}]},
              "kind": {"type": "string", "const": "sale"},
              "discount": {"type": ["number", "null"], "format": "double", "exclusiveMinimum": 0}
            }},
            "Order": {"allOf": [{"$ref": "#/components/schemas/NewOrder"},
                                {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "format": "int64", "minimum": 1}}}]}
          }}
        });
        downgrade_to_3_0(&mut d).unwrap();
        let api: openapiv3::OpenAPI = serde_json::from_value(d).expect("openapiv3 must parse the output");
        assert_eq!(api.openapi, "3.0.3");
        let new_order = api.components.as_ref().unwrap().schemas["NewOrder"].as_item().unwrap();
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(obj)) = &new_order.schema_kind else { panic!() };
        let prop = |n: &str| obj.properties[n].as_item().unwrap().clone();
        assert!(prop("note").schema_data.nullable);
        let customer = prop("customer");
        assert!(customer.schema_data.nullable);
        assert_eq!(customer.schema_data.description.as_deref(), Some("Buyer"));
        assert!(matches!(customer.schema_kind, openapiv3::SchemaKind::AllOf { .. }));
        assert_eq!(prop("amount").schema_data.example, Some(json!(1250)));
        let openapiv3::SchemaKind::Type(openapiv3::Type::Number(n)) = prop("discount").schema_kind else { panic!() };
        assert!(n.exclusive_minimum && n.minimum == Some(0.0));
        let openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) = prop("kind").schema_kind else { panic!() };
        assert_eq!(s.enumeration, vec![Some("sale".to_string())]);
        let op = api.paths.paths["/orders"].as_item().unwrap().post.as_ref().unwrap();
        assert!(op.responses.responses.contains_key(&openapiv3::StatusCode::Code(400)));
    }
}
