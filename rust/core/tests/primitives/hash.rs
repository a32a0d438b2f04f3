use ferrogate_core::{request_hash, CoreError};

fn hash(body: &str) -> String {
    request_hash(body.as_bytes()).unwrap()
}

#[test]
fn hash_is_32_lowercase_hex_digits() {
    let digest = hash(r#"{"model":"m"}"#);
    assert_eq!(digest.len(), 32);
    assert!(digest
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
}

#[test]
fn key_order_and_whitespace_do_not_matter_at_any_depth() {
    let a = r#"{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":{"b":1,"a":2}}"#;
    let b = r#" { "tools" : { "a" : 2 , "b" : 1 } ,
        "messages" : [ { "content" : "hi" , "role" : "user" } ] , "model" : "m" } "#;
    assert_eq!(hash(a), hash(b));
}

#[test]
fn escape_spelling_does_not_matter() {
    assert_eq!(
        hash(r#"{"content":"café"}"#),
        hash(r#"{"content":"caf\u00e9"}"#)
    );
    assert_eq!(hash(r#"{"content":"a/b"}"#), hash(r#"{"content":"a\/b"}"#));
    assert_eq!(
        hash(r#"{"c\u006fntent":"😀"}"#),
        hash(r#"{"content":"\ud83d\ude00"}"#)
    );
}

#[test]
fn number_spelling_does_not_matter() {
    let ones = ["1", "1.0", "1e0", "10e-1", "0.1e1", "1.000E+0"];
    let hashes: Vec<String> = ones
        .iter()
        .map(|n| hash(&format!(r#"{{"n":{n}}}"#)))
        .collect();
    assert!(hashes.iter().all(|h| *h == hashes[0]), "{hashes:?}");
    assert_eq!(hash(r#"{"t":0.7}"#), hash(r#"{"t":7e-1}"#));
    assert_eq!(hash(r#"{"t":0}"#), hash(r#"{"t":-0.0}"#));
    assert_eq!(
        hash(r#"{"t":100000000000000000000}"#),
        hash(r#"{"t":1e20}"#)
    );
}

#[test]
fn ignored_fields_do_not_matter() {
    let plain = hash(r#"{"model":"m"}"#);
    let extras = r#"{"model":"m","stream":true,"stream_options":{"include_usage":true},
        "user":"u1","metadata":{"k":"v"},"store":false,"service_tier":"auto"}"#;
    assert_eq!(hash(extras), plain);
}

#[test]
fn ignored_field_names_count_when_nested() {
    assert_ne!(hash(r#"{"tools":{"user":1}}"#), hash(r#"{"tools":{}}"#));
}

#[test]
fn every_relevant_change_matters() {
    let base = hash(r#"{"model":"m","temperature":0.5,"messages":["a","b"]}"#);
    let variants = [
        r#"{"model":"n","temperature":0.5,"messages":["a","b"]}"#,
        r#"{"model":"m","temperature":0.6,"messages":["a","b"]}"#,
        r#"{"model":"m","temperature":0.5,"messages":["b","a"]}"#,
        r#"{"model":"m","temperature":0.5,"messages":["a","b"],"seed":1}"#,
        r#"{"model":"m","temperature":"0.5","messages":["a","b"]}"#,
    ];
    for variant in variants {
        assert_ne!(hash(variant), base, "{variant}");
    }
}

#[test]
fn values_of_different_types_never_collide() {
    let bodies = [
        r#"{"v":null}"#,
        r#"{"v":true}"#,
        r#"{"v":1}"#,
        r#"{"v":"1"}"#,
        r#"{"v":[]}"#,
        r#"{"v":{}}"#,
        r#"{"v":[1]}"#,
        r#"{"v":[[1]]}"#,
        r#"{"v":["",""]}"#,
        r#"{"v":[""]}"#,
    ];
    let mut hashes: Vec<String> = bodies.iter().map(|b| hash(b)).collect();
    hashes.sort();
    hashes.dedup();
    assert_eq!(hashes.len(), bodies.len());
}

#[test]
fn invalid_json_and_non_objects_are_rejected() {
    for body in [
        "",
        "{",
        r#"{"a":1,}"#,
        "[]",
        "1",
        "\"s\"",
        "null",
        r#"{"a":1} x"#,
    ] {
        assert!(
            matches!(
                request_hash(body.as_bytes()),
                Err(CoreError::InvalidJson(_))
            ),
            "{body}"
        );
    }
}
