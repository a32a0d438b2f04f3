//! One test binary for the whole public API, one module per primitive (a single binary links
//! once instead of once per file).

mod anthropic_stream;
mod gcra;
mod hash;
mod hash_properties;
mod json_lines;
mod keyed_limiter;
mod property_config;
mod sse_framer;
mod sse_parser;
mod sse_parser_properties;
mod tokens;
mod vector;
