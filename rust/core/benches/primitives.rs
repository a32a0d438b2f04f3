//! Criterion benchmarks of each primitive, and of the choices recorded in why-comments:
//! xxh3 against BLAKE3 for the request hash, and a delta's fast path against the general one
//! in the Anthropic stream translator. Run with `cargo bench -p ferrogate-core`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ferrogate_core::stream::anthropic::StreamOptions;
use ferrogate_core::vector::{dot, dot_batch, normalize};
use ferrogate_core::{
    frame_event, request_hash, AnthropicTranslator, Gcra, KeyedLimiter, Policy, SseParser,
};

const DIM: usize = 1536;

/// A chat request of about 2 KiB: system prompt, three turns and one tool.
fn chat_body() -> Vec<u8> {
    let turn = "Explain how a token bucket differs from a leaky bucket, with an example. ";
    let tool = r#"{"type":"function","function":{"name":"lookup","description":"Find a document",
        "parameters":{"type":"object","properties":{"q":{"type":"string"},"k":{"type":"integer"}},
        "required":["q"]}}}"#;
    format!(
        r#"{{"model":"gpt-4o-mini","temperature":0.2,"top_p":1.0,"max_tokens":512,"stream":true,
        "messages":[{{"role":"system","content":"{sys}"}},{{"role":"user","content":"{turn}"}},
        {{"role":"assistant","content":"{turn}"}},{{"role":"user","content":"{turn}"}}],
        "tools":[{tool}],"user":"u-123"}}"#,
        sys = turn.repeat(12),
        turn = turn.repeat(3),
    )
    .into_bytes()
}

fn sse_stream(events: usize) -> Vec<u8> {
    let chunk = br#"data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello"}}]}"#;
    let mut stream = Vec::new();
    for _ in 0..events {
        stream.extend_from_slice(chunk);
        stream.extend_from_slice(b"\n\n");
    }
    stream
}

fn bench_limiter(c: &mut Criterion) {
    let mut gcra = Gcra::new(Policy::new(1e9, 1e9).unwrap());
    let mut now = 0.0;
    c.bench_function("gcra_try_acquire", |b| {
        b.iter(|| {
            now += 1e-6;
            gcra.try_acquire(black_box(1.0), now)
        })
    });
    let mut keyed = KeyedLimiter::new(100_000).unwrap();
    let keys: Vec<String> = (0..1000).map(|i| format!("key-{i}")).collect();
    let policy = Policy::new(100.0, 100.0).unwrap();
    let mut i = 0;
    c.bench_function("keyed_try_acquire_1000_keys", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            keyed.try_acquire(&keys[i], policy, 1.0, 0.0)
        })
    });
}

fn bench_vectors(c: &mut Criterion) {
    let a: Vec<f32> = (0..DIM).map(|i| (i as f32).sin()).collect();
    let b: Vec<f32> = (0..DIM).map(|i| (i as f32).cos()).collect();
    c.bench_function("dot_1536", |bench| {
        bench.iter(|| dot(black_box(&a), black_box(&b)))
    });
    let mut v = a.clone();
    c.bench_function("normalize_1536", |bench| {
        bench.iter(|| normalize(black_box(&mut v)))
    });
    let matrix: Vec<f32> = (0..1000 * DIM).map(|i| (i as f32).sin()).collect();
    let mut out = vec![0.0; 1000];
    c.bench_function("dot_batch_1000x1536", |bench| {
        bench.iter(|| dot_batch(black_box(&matrix), black_box(&b), &mut out))
    });
}

fn bench_hash(c: &mut Criterion) {
    let body = chat_body();
    c.bench_function("request_hash_2k", |b| {
        b.iter(|| request_hash(black_box(&body)))
    });
    c.bench_function("xxh3_128_2k", |b| {
        b.iter(|| xxhash_rust::xxh3::xxh3_128(black_box(&body)))
    });
    c.bench_function("blake3_2k", |b| b.iter(|| blake3::hash(black_box(&body))));
}

fn bench_sse(c: &mut Criterion) {
    let stream = sse_stream(100);
    c.bench_function("sse_parse_100_events", |b| {
        b.iter(|| SseParser::default().feed(black_box(&stream)))
    });
    let data = br#"{"id":"c1","choices":[{"delta":{"content":"Hello"}}]}"#;
    c.bench_function("frame_event", |b| {
        b.iter(|| frame_event(black_box(data), None, None))
    });
}

/// An Anthropic stream of 200 text deltas, read two events at a time; `spaced` writes the
/// JSON with spaces, which no delta's fast path accepts, so every event is parsed in full.
fn anthropic_reads(spaced: bool) -> Vec<Vec<u8>> {
    let (colon, comma) = if spaced { (": ", ", ") } else { (":", ",") };
    let event = |data: &str| format!("data: {data}\n\n");
    let mut events = vec![
        event(r#"{"type":"message_start","message":{"id":"msg_1","model":"claude-x"}}"#),
        event(r#"{"type":"content_block_start","index":0,"content_block":{"type":"text"}}"#),
    ];
    for text in [" the", r#" \"quoted\""#, " café", r"\n"]
        .iter()
        .cycle()
        .take(200)
    {
        events.push(event(&format!(
            r#"{{"type"{colon}"content_block_delta"{comma}"index"{colon}0{comma}"delta"{colon}{{"type"{colon}"text_delta"{comma}"text"{colon}"{text}"}}}}"#
        )));
    }
    events.push(event(
        r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"}}"#,
    ));
    events.push(event(r#"{"type":"message_stop"}"#));
    let reads = events.chunks(2).map(|pair| pair.concat().into_bytes());
    reads.collect()
}

fn bench_stream(c: &mut Criterion) {
    for (name, spaced) in [
        ("anthropic_200_deltas", false),
        ("anthropic_200_deltas_spaced", true),
    ] {
        let reads = anthropic_reads(spaced);
        c.bench_function(name, |b| {
            b.iter(|| {
                let mut translator = AnthropicTranslator::new(StreamOptions {
                    model: "claude-deployment".into(),
                    include_usage: true,
                    created: 1_700_000_000,
                    json_tool: None,
                });
                let sent: usize = reads
                    .iter()
                    .map(|r| translator.feed(r).unwrap().len())
                    .sum();
                black_box(sent)
            })
        });
    }
}

criterion_group!(
    benches,
    bench_limiter,
    bench_vectors,
    bench_hash,
    bench_sse,
    bench_stream
);
criterion_main!(benches);
