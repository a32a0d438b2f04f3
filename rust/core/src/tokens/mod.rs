//! Token counts of plain text under OpenAI's byte-pair encodings, as tiktoken counts them.
//!
//! The token tables are compiled into the binary (the `bpe-openai` crate), so counting needs
//! no network and no files. Each table is decoded on its first use, once per process.

mod encoding;

pub use encoding::Encoding;

/// The number of tokens `text` encodes to, with special tokens such as `<|endoftext|>` counted
/// as ordinary text (tiktoken's `encode_ordinary`), as a prompt from a user is.
pub fn count_tokens(text: &str, encoding: Encoding) -> usize {
    encoding.tokenizer().count(text)
}
