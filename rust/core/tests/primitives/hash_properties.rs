//! Property tests of the canonical request hash: what its documentation promises to ignore
//! (key order, whitespace, escape and number spelling, the delivery-only top-level fields)
//! never changes it, any change of a value that counts does, and no input makes it panic.

use ferrogate_core::hash::IGNORED_FIELDS;
use ferrogate_core::{request_hash, CoreError};
use proptest::prelude::*;

use crate::property_config;
use serde_json::{Map, Number, Value};

/// Integers up to 2^53 are the ones whose float spellings (`n.0`, `ne0`) are the same double.
const EXACT_IN_F64: u64 = 1 << 53;

fn hash_of(value: &Value) -> String {
    request_hash(&serde_json::to_vec(value).unwrap()).unwrap()
}

/// A small deterministic generator, so one proptest seed picks a whole spelling of a value.
struct Choices(u64);

impl Choices {
    fn next(&mut self, below: usize) -> usize {
        // xorshift64*; the seed is made odd so it never sticks at zero.
        self.0 |= 1;
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % below
    }

    fn coin(&mut self) -> bool {
        self.next(2) == 0
    }
}

/// Writes `value` as JSON text with key order, whitespace, string escapes and number
/// spelling all picked by `choices`: one of the many texts that mean the same value.
fn respell(value: &Value, choices: &mut Choices) -> String {
    let mut out = String::new();
    write_value(value, choices, &mut out);
    out
}

fn write_value(value: &Value, choices: &mut Choices, out: &mut String) {
    space(choices, out);
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&spell_number(number, choices)),
        Value::String(text) => write_string(text, choices, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, choices, out);
            }
            space(choices, out);
            out.push(']');
        }
        Value::Object(fields) => {
            let mut entries: Vec<_> = fields.iter().collect();
            for i in (1..entries.len()).rev() {
                entries.swap(i, choices.next(i + 1));
            }
            out.push('{');
            for (i, (name, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(choices, out);
                write_string(name, choices, out);
                space(choices, out);
                out.push(':');
                write_value(item, choices, out);
            }
            space(choices, out);
            out.push('}');
        }
    }
    space(choices, out);
}

fn space(choices: &mut Choices, out: &mut String) {
    for _ in 0..choices.next(3) {
        out.push([' ', '\t', '\n', '\r'][choices.next(4)]);
    }
}

fn write_string(text: &str, choices: &mut Choices, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            _ => None,
        };
        let must_escape = c == '"' || c == '\\' || c < ' ';
        match (short, must_escape || choices.next(4) == 0) {
            (_, false) => out.push(c),
            (Some(short), true) if choices.coin() => out.push_str(short),
            (_, true) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let hex = format!("{unit:04x}");
                    let upper = choices.coin();
                    out.push_str("\\u");
                    out.push_str(&if upper { hex.to_uppercase() } else { hex });
                }
            }
        }
    }
    out.push('"');
}

fn spell_number(number: &Number, choices: &mut Choices) -> String {
    if let Some(int) = number.as_i64().filter(|n| n.unsigned_abs() <= EXACT_IN_F64) {
        return match choices.next(5) {
            0 => format!("{int}.0"),
            1 => format!("{int}e0"),
            2 => format!("{}E-2", int * 100),
            3 => format!("{int}.000e+0"),
            _ => int.to_string(),
        };
    }
    match number.as_f64().filter(|_| number.is_f64()) {
        Some(float) => spell_float(float, choices),
        None => number.to_string(), // an integer past 2^53: only its plain digits are exact
    }
}

/// A double written as Rust's shortest decimal, or in exponent form with the decimal point
/// moved, trailing zeros added, or the exponent zero-padded.
fn spell_float(float: f64, choices: &mut Choices) -> String {
    let exponent_form = format!("{float:e}"); // e.g. -1.2345e-7
    let (mantissa, exponent) = exponent_form.split_once('e').unwrap();
    let exponent: i32 = exponent.parse().unwrap();
    // Past 2^53 the shortest decimal of an integral double (2.1529397733892925e17) written
    // out as digits is an integer the double does not hold, read exactly; see hash/mod.rs.
    let digits_are_exact = float.fract() != 0.0 || float.abs() <= EXACT_IN_F64 as f64;
    match choices.next(5) {
        0 if digits_are_exact => float.to_string(),
        1 => {
            let point = if mantissa.contains('.') { "" } else { "." };
            format!("{mantissa}{point}0e{exponent:+03}")
        }
        2 => {
            let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
            let moved = exponent - fraction.len() as i32;
            format!("{whole}{fraction}E{moved}")
        }
        3 => format!("{mantissa}E+{exponent}").replace("E+-", "E-"),
        _ => exponent_form,
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        (-1000i32..1000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter)
}

/// Top-level names a chat request uses, the ignored ones among them, and any other.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "model",
            "messages",
            "temperature",
            "tools",
            "seed",
            "n"
        ])
        .prop_map(String::from),
        prop::sample::select(IGNORED_FIELDS.to_vec()).prop_map(String::from),
        text(),
    ]
}

fn request_body() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((field_name(), json_value()), 0..6)
        .prop_map(|fields| fields.into_iter().collect())
}

fn is_relevant(name: &str) -> bool {
    !IGNORED_FIELDS.contains(&name)
}

/// Changes one value somewhere inside `value` so that it means something else.
fn change(value: &mut Value, choices: &mut Choices) {
    match value {
        Value::Null => *value = Value::Bool(false),
        Value::Bool(flag) => *flag = !*flag,
        Value::String(text) => text.push('x'),
        Value::Number(number) => *value = other_number(number),
        Value::Array(items) if items.is_empty() || choices.next(4) == 0 => items.push(Value::Null),
        Value::Array(items) => {
            let at = choices.next(items.len());
            change(&mut items[at], choices);
        }
        Value::Object(fields) if fields.is_empty() || choices.next(4) == 0 => {
            let name = (0..)
                .map(|i| format!("new{i}"))
                .find(|n| !fields.contains_key(n));
            fields.insert(name.unwrap(), Value::Null);
        }
        Value::Object(fields) => {
            let at = choices.next(fields.len());
            change(fields.values_mut().nth(at).unwrap(), choices);
        }
    }
}

fn other_number(number: &Number) -> Value {
    if let Some(int) = number.as_i64() {
        return Value::from(int.checked_add(1).unwrap_or(int - 1));
    }
    if let Some(int) = number.as_u64() {
        return Value::from(int - 1); // past i64::MAX, so never zero
    }
    let float = number.as_f64().unwrap();
    let bigger = float + 1.0;
    Value::from(if bigger != float { bigger } else { float / 2.0 })
}

/// JSON-looking text of any shape, valid or not, and bodies nested deeper than any parser
/// limit.
fn json_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\"k\"",
        "1",
        "-",
        "0.5",
        "1e999",
        "-1e-999",
        "1e",
        "true",
        "nul",
        "\\u",
        "\\ud800",
        " ",
        "\u{0}",
        "\u{ff}",
        "18446744073709551616",
    ]);
    prop_oneof![
        prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..100),
        (0usize..5000, prop::sample::select(vec!["[", "{\"a\":"]))
            .prop_map(|(depth, open)| open.repeat(depth).into_bytes()),
    ]
}

proptest! {
    #![proptest_config(property_config::cases(512))]

    #[test]
    fn spelling_never_changes_the_hash(body in request_body(), seed in any::<u64>()) {
        let value = Value::Object(body);
        let text = respell(&value, &mut Choices(seed));
        let respelled = request_hash(text.as_bytes());
        prop_assert_eq!(respelled, Ok(hash_of(&value)), "{}", text);
    }

    #[test]
    fn ignored_fields_never_change_the_hash(
        body in request_body(),
        extras in prop::collection::vec((prop::sample::select(IGNORED_FIELDS.to_vec()), json_value()), 1..4),
    ) {
        let mut with_extras = body.clone();
        with_extras.extend(extras.into_iter().map(|(name, value)| (name.to_string(), value)));
        prop_assert_eq!(hash_of(&Value::Object(with_extras)), hash_of(&Value::Object(body)));
    }

    #[test]
    fn changing_a_relevant_value_changes_the_hash(body in request_body(), seed in any::<u64>()) {
        let mut choices = Choices(seed);
        let relevant: Vec<String> = body.keys().filter(|n| is_relevant(n)).cloned().collect();
        prop_assume!(!relevant.is_empty());
        let mut changed = body.clone();
        let name = &relevant[choices.next(relevant.len())];
        change(changed.get_mut(name).unwrap(), &mut choices);
        let (before, after) = (Value::Object(body), Value::Object(changed));
        prop_assert_ne!(hash_of(&before), hash_of(&after), "{} -> {}", before, after);
    }

    #[test]
    fn adding_or_removing_a_relevant_field_changes_the_hash(
        body in request_body(),
        name in field_name().prop_filter("relevant", |n| is_relevant(n)),
        value in json_value(),
    ) {
        let mut with = body.clone();
        with.insert(name.clone(), value);
        let mut without = body;
        without.remove(&name);
        prop_assert_ne!(hash_of(&Value::Object(with)), hash_of(&Value::Object(without)));
    }

    #[test]
    fn any_input_hashes_or_is_refused_as_invalid_json(body in json_like_bytes()) {
        match request_hash(&body) {
            Ok(digest) => {
                prop_assert_eq!(digest.len(), 32);
                let parsed: Result<Value, _> = serde_json::from_slice(&body);
                prop_assert!(matches!(parsed, Ok(Value::Object(_))));
            }
            Err(CoreError::InvalidJson(message)) => prop_assert!(!message.is_empty()),
            Err(other) => prop_assert!(false, "unexpected error kind {:?}", other),
        }
    }
}
