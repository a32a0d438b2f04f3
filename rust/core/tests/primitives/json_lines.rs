//! `JsonLines`: each kind of field, a line that fails part-way, and batches of whole lines.

use ferrogate_core::json_lines::{JsonLines, Kind};
use ferrogate_core::CoreError;
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::property_config;

fn one(kind: Kind, write: impl FnOnce(&mut ferrogate_core::json_lines::Line<'_>)) -> Value {
    let mut lines = JsonLines::new(&[("v", kind)]);
    let mut line = lines.line();
    write(&mut line);
    line.end().unwrap();
    let taken = lines.take(usize::MAX);
    assert_eq!(taken.last(), Some(&b'\n'));
    serde_json::from_slice::<Value>(taken).unwrap()["v"].take()
}

#[test]
fn values_keep_their_json_types() {
    assert_eq!(one(Kind::Value, |l| l.null().unwrap()), Value::Null);
    assert_eq!(one(Kind::Value, |l| l.bool(true).unwrap()), json!(true));
    assert_eq!(one(Kind::Value, |l| l.int(-42).unwrap()), json!(-42));
    assert_eq!(
        one(Kind::Value, |l| l.float(0.0000198).unwrap()),
        json!(0.0000198)
    );
    assert_eq!(
        one(Kind::Value, |l| l.float(f64::NAN).unwrap()),
        Value::Null
    );
    let tricky = "quote \" slash \\ newline \n tab \t bell \u{7} é 日本 🦀";
    assert_eq!(one(Kind::Value, |l| l.str(tricky).unwrap()), json!(tricky));
}

#[test]
fn seconds_become_milliseconds_to_the_microsecond() {
    assert_eq!(
        one(Kind::Millis, |l| l.float(0.4213).unwrap()),
        json!(421.3)
    );
    assert_eq!(
        one(Kind::Millis, |l| l.float(0.000_020_4).unwrap()),
        json!(0.02)
    );
    assert_eq!(
        one(Kind::Millis, |l| l.float(0.000_020_6).unwrap()),
        json!(0.021)
    );
    assert_eq!(one(Kind::Millis, |l| l.int(2).unwrap()), json!(2000.0));
    assert_eq!(
        one(Kind::Millis, |l| l.float(-0.000_001_7).unwrap()),
        json!(-0.002)
    );
    assert_eq!(one(Kind::Millis, |l| l.null().unwrap()), Value::Null);
    let map = one(Kind::MillisMap, |l| {
        l.open_map().unwrap();
        l.entry("parse", 0.00002).unwrap();
        l.entry("provider", 0.42).unwrap();
        l.close_map().unwrap();
    });
    assert_eq!(map, json!({"parse": 0.02, "provider": 420.0}));
    let empty = one(Kind::MillisMap, |l| {
        l.open_map().unwrap();
        l.close_map().unwrap();
    });
    assert_eq!(empty, json!({}));
}

#[test]
fn unix_times_are_utc_timestamps() {
    let cases = [
        (0.0, "1970-01-01T00:00:00.000000Z"),
        (1_736_000_000.25, "2025-01-04T14:13:20.250000Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000000Z"), // a leap day in a year divisible by 400
        (1_709_251_199.999_999, "2024-02-29T23:59:59.999999Z"),
        (4_107_542_400.0, "2100-03-01T00:00:00.000000Z"), // 2100 is not a leap year
        (-1.5, "1969-12-31T23:59:58.500000Z"),
    ];
    for (unix, expected) in cases {
        assert_eq!(
            one(Kind::UnixTime, |l| l.float(unix).unwrap()),
            json!(expected),
            "{unix}"
        );
    }
    assert_eq!(
        one(Kind::UnixTime, |l| l.float(f64::INFINITY).unwrap()),
        Value::Null
    );
    assert_eq!(one(Kind::UnixTime, |l| l.float(1e12).unwrap()), Value::Null);
    assert_eq!(
        one(Kind::UnixTime, |l| l.float(f64::NAN).unwrap()),
        Value::Null
    );
    let earliest = -62_167_219_200.0;
    assert_eq!(
        one(Kind::UnixTime, |l| l.float(earliest).unwrap()),
        json!("0000-01-01T00:00:00.000000Z")
    );
}

#[test]
fn a_line_is_one_object_with_the_keys_in_order() {
    let mut lines = JsonLines::new(&[
        ("id", Kind::Value),
        ("ts", Kind::UnixTime),
        ("took_ms", Kind::Millis),
    ]);
    let mut line = lines.line();
    line.str("req-1").unwrap();
    line.float(0.0).unwrap();
    line.float(0.001).unwrap();
    line.end().unwrap();
    assert_eq!(
        lines.take(usize::MAX),
        b"{\"id\":\"req-1\",\"ts\":\"1970-01-01T00:00:00.000000Z\",\"took_ms\":1.0}\n"
    );
}

#[test]
fn a_line_that_fails_part_way_leaves_nothing() {
    let mut lines = JsonLines::new(&[("a", Kind::Value), ("b", Kind::Millis)]);
    let mut line = lines.line();
    line.int(1).unwrap();
    let refused = line.str("not seconds");
    assert!(
        matches!(refused, Err(CoreError::InvalidArgument(_))),
        "{refused:?}"
    );
    drop(line);
    let mut short = lines.line();
    short.int(1).unwrap();
    assert!(short.end().is_err(), "a line missing a field must not end");
    let mut long = lines.line();
    long.int(1).unwrap();
    long.null().unwrap();
    assert!(
        long.null().is_err(),
        "a field past the keys must be refused"
    );
    drop(long);
    assert_eq!((lines.len(), lines.size()), (0, 0));
    assert!(lines.take(usize::MAX).is_empty());
}

#[test]
fn a_map_must_be_opened_and_closed_in_its_field() {
    let mut lines = JsonLines::new(&[("m", Kind::MillisMap), ("n", Kind::Value)]);
    let mut line = lines.line();
    assert!(line.entry("x", 1.0).is_err());
    line.open_map().unwrap();
    assert!(
        line.null().is_err(),
        "the next field cannot start inside the map"
    );
    line.close_map().unwrap();
    assert!(line.close_map().is_err());
    line.null().unwrap();
    line.end().unwrap();
    assert_eq!(lines.take(usize::MAX), b"{\"m\":{},\"n\":null}\n");
}

fn push(lines: &mut JsonLines, text: &str) {
    let mut line = lines.line();
    line.str(text).unwrap();
    line.end().unwrap();
}

#[test]
fn a_take_is_whole_lines_within_its_size_or_one_longer_line() {
    let mut lines = JsonLines::new(&[("t", Kind::Value)]);
    for text in ["a", "bb", "a much longer line than the others", "c"] {
        push(&mut lines, text);
    }
    assert_eq!(lines.len(), 4);
    // {"t":"a"}\n is 10 bytes, {"t":"bb"}\n 11.
    assert_eq!(lines.take(25), b"{\"t\":\"a\"}\n{\"t\":\"bb\"}\n");
    assert_eq!(
        lines.take(5),
        b"{\"t\":\"a much longer line than the others\"}\n"
    );
    assert_eq!(lines.len(), 1);
    push(&mut lines, "d");
    assert_eq!(lines.take(usize::MAX), b"{\"t\":\"c\"}\n{\"t\":\"d\"}\n");
    assert!(lines.is_empty());
    assert_eq!(lines.size(), 0);
}

proptest! {
    #![proptest_config(property_config::cases(256))]

    /// However lines and takes interleave, the takes hold every line once, in order, cut
    /// only between lines and within their size unless one line is longer.
    #[test]
    fn takes_give_back_every_line_in_order(
        steps in prop::collection::vec(
            prop_oneof![
                "[ -~\u{e9}\u{65e5}\n\"\\\\]{0,40}".prop_map(Ok),
                (1usize..120).prop_map(Err),
            ],
            0..60,
        )
    ) {
        let mut lines = JsonLines::new(&[("t", Kind::Value)]);
        let mut pushed = Vec::new();
        let mut taken = Vec::new();
        for step in steps {
            match step {
                Ok(text) => {
                    push(&mut lines, &text);
                    pushed.push(text);
                }
                Err(max_bytes) => {
                    let chunk = lines.take(max_bytes);
                    let count = chunk.iter().filter(|&&byte| byte == b'\n').count();
                    prop_assert!(chunk.is_empty() || chunk.ends_with(b"\n"));
                    prop_assert!(chunk.len() <= max_bytes || count == 1);
                    taken.extend_from_slice(chunk);
                }
            }
        }
        taken.extend_from_slice(lines.take(usize::MAX));
        prop_assert_eq!(lines.len(), 0);
        let back: Vec<String> = taken
            .split(|&byte| byte == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice::<Value>(line).unwrap()["t"].as_str().unwrap().to_owned())
            .collect();
        prop_assert_eq!(back, pushed);
    }
}
