//! A canonical hash of the cache-relevant fields of a chat completion request.
//!
//! Two bodies hash equal when they differ only in key order, whitespace, string escape spelling
//! or number spelling (`1`, `1.0` and `1e0` are one number), or in the top-level fields that do
//! not change the answer. Every other top-level field counts, including ones added to the API
//! later, so a new parameter can never make two different requests share a cache entry.
//!
//! Numbers are read as an upstream's JSON reader reads them: an integer written as plain digits
//! exactly, any other number as the nearest double. Past 2^53 the two can differ, so
//! `215293977338929250` and `2.1529397733892925e17` hash apart (the double is
//! 215293977338929248); at worst that costs a cache miss, never a wrong hit.

mod canonical;

use serde_json::{Map, Value};

use crate::{CoreError, Result};

/// Top-level fields that change how an answer is delivered, stored or billed, not what it says.
pub const IGNORED_FIELDS: [&str; 6] = [
    "metadata",
    "service_tier",
    "store",
    "stream",
    "stream_options",
    "user",
];

/// The 32-hex-digit (128-bit) canonical hash of a JSON request body.
pub fn request_hash(body: &[u8]) -> Result<String> {
    Ok(format!("{:032x}", request_digest(body)?))
}

/// The canonical hash as a number, for callers that store it without formatting.
///
/// NOTE: xxh3-128 rather than BLAKE3, measured in `benches/primitives.rs` on a 2 KiB chat
/// request: the whole hash takes about 5.3 µs, of which xxh3 is 0.08 µs; BLAKE3 takes 2.2 µs,
/// which would add 40%. A cache key needs no collision resistance against attackers because a
/// hit also requires the same tenant and namespace, which only the key's owner controls.
pub fn request_digest(body: &[u8]) -> Result<u128> {
    let fields = parse_object(body)?;
    let mut encoded = Vec::with_capacity(body.len());
    canonical::encode_object(&mut encoded, cache_relevant(&fields));
    Ok(xxhash_rust::xxh3::xxh3_128(&encoded))
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(other) => Err(CoreError::InvalidJson(format!(
            "expected an object, got {}",
            kind(&other)
        ))),
        Err(err) => Err(CoreError::InvalidJson(err.to_string())),
    }
}

fn cache_relevant(fields: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    fields
        .iter()
        .filter(|(name, _)| !IGNORED_FIELDS.contains(&name.as_str()))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
