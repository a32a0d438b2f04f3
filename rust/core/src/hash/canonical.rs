//! A self-delimiting binary encoding of a JSON value: one tag byte per value, lengths before
//! contents, object keys sorted. Distinct values never share an encoding, so the hash of the
//! encoding is a hash of the value.

use serde_json::{Number, Value};

/// Integral floats up to this magnitude are encoded as integers, so `1.0` and `1` agree.
const MAX_INTEGRAL: f64 = 1.7e38; // just below 2^127, the i128 limit

pub(super) fn encode_object<'a>(
    out: &mut Vec<u8>,
    fields: impl Iterator<Item = (&'a String, &'a Value)>,
) {
    // NOTE: sorted here rather than trusting serde_json's BTreeMap order: another crate in the
    // build enabling serde_json's `preserve_order` feature would silently keep input order.
    let mut fields: Vec<_> = fields.collect();
    fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push(b'o');
    encode_len(out, fields.len());
    for (name, value) in fields {
        encode_str(out, name);
        encode_value(out, value);
    }
}

fn encode_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(b'n'),
        Value::Bool(flag) => out.push(if *flag { b't' } else { b'f' }),
        Value::Number(number) => encode_number(out, number),
        Value::String(text) => {
            out.push(b's');
            encode_str(out, text);
        }
        Value::Array(items) => encode_array(out, items),
        Value::Object(fields) => encode_object(out, fields.iter()),
    }
}

fn encode_array(out: &mut Vec<u8>, items: &[Value]) {
    out.push(b'a');
    encode_len(out, items.len());
    for item in items {
        encode_value(out, item);
    }
}

fn encode_number(out: &mut Vec<u8>, number: &Number) {
    if let Some(int) = number.as_i64() {
        return encode_int(out, i128::from(int));
    }
    if let Some(int) = number.as_u64() {
        return encode_int(out, i128::from(int));
    }
    // Without serde_json's arbitrary_precision every other number is an f64.
    let float = number.as_f64().unwrap_or(f64::NAN);
    if float.fract() == 0.0 && float.abs() < MAX_INTEGRAL {
        return encode_int(out, float as i128);
    }
    out.push(b'd');
    out.extend_from_slice(&float.to_bits().to_le_bytes());
}

fn encode_int(out: &mut Vec<u8>, int: i128) {
    out.push(b'i');
    out.extend_from_slice(&int.to_le_bytes());
}

fn encode_str(out: &mut Vec<u8>, text: &str) {
    encode_len(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn encode_len(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(&(len as u64).to_le_bytes());
}
