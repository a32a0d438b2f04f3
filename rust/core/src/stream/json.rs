//! The few JSON helpers translation needs: Python-style truthiness and compact writing.
//!
//! Output must match, byte for byte, what the Python gateway writes with orjson. For strings,
//! integers, booleans and null serde_json writes the same bytes: the same escapes (`\"`, `\\`,
//! `\b\t\n\f\r`, `\u00XX` in lower-case hex for other control characters) and UTF-8 left as is.
//! Floats and objects can differ (orjson writes `1e+16` and keeps key order), which no field
//! copied from an Anthropic event into a chunk holds in practice.

use serde_json::Value;

/// Python's truth value of the parsed JSON value, which the translation rules are written in.
pub(super) fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(flag)) => *flag,
        Some(Value::Number(number)) => number.as_f64() != Some(0.0),
        Some(Value::String(text)) => !text.is_empty(),
        Some(Value::Array(items)) => !items.is_empty(),
        Some(Value::Object(fields)) => !fields.is_empty(),
    }
}

pub(super) fn write(out: &mut Vec<u8>, value: &Value) {
    // NOTE: writing into a Vec cannot fail, and a parsed Value has only string keys.
    serde_json::to_writer(out, value).expect("a JSON value always serialises into a Vec");
}

pub(super) fn write_str(out: &mut Vec<u8>, text: &str) {
    serde_json::to_writer(out, text).expect("a string always serialises into a Vec");
}

/// The value as Python's `str()` shows it in an f-string, for the scalars an id can be.
pub(super) fn python_str(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn truthiness_follows_python() {
        let falsy = [
            json!(null),
            json!(false),
            json!(0),
            json!(0.0),
            json!(""),
            json!([]),
        ];
        assert!(falsy.iter().all(|value| !truthy(Some(value))));
        assert!(!truthy(None) && !truthy(Some(&json!({}))));
        let truthy_values = [json!(true), json!(-1), json!(0.5), json!(" "), json!([0])];
        assert!(truthy_values.iter().all(|value| truthy(Some(value))));
    }

    #[test]
    fn strings_are_escaped_as_orjson_escapes_them() {
        let mut out = Vec::new();
        write_str(
            &mut out,
            "\"\\/\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}é\u{2028}😀",
        );
        let expected = "\"\\\"\\\\/\\u0001\\b\\t\\n\\f\\r\\u001f\u{7f}é\u{2028}😀\"";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn ids_read_as_python_formats_them() {
        assert_eq!(python_str(&json!("msg_1")), "msg_1");
        assert_eq!(python_str(&json!(null)), "None");
        assert_eq!(python_str(&json!(7)), "7");
    }
}
