//! Anthropic's token counts, and the same counts in OpenAI's terms.

use serde_json::{Map, Value};

/// Usage as an OpenAI chunk reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Every input token, the cached ones included.
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// The input tokens read from Anthropic's prompt cache.
    pub cached_tokens: u64,
}

impl Usage {
    pub fn total_tokens(&self) -> u64 {
        self.prompt_tokens.saturating_add(self.completion_tokens)
    }
}

/// Anthropic's counts, which are cumulative: a count in a later event replaces an earlier one.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    input: u64,
    cache_creation: u64,
    cache_read: u64,
    output: u64,
}

impl Counts {
    pub(super) fn update(&mut self, usage: &Map<String, Value>) {
        let fields = [
            ("input_tokens", &mut self.input),
            ("cache_creation_input_tokens", &mut self.cache_creation),
            ("cache_read_input_tokens", &mut self.cache_read),
            ("output_tokens", &mut self.output),
        ];
        for (name, count) in fields {
            if let Some(value) = usage.get(name) {
                *count = value.as_u64().unwrap_or(0); // null: no count, as zero
            }
        }
    }

    /// Anthropic counts cache reads and writes apart from other input; OpenAI's prompt tokens
    /// include them all.
    pub(super) fn openai(&self) -> Usage {
        let prompt = self.input.saturating_add(self.cache_creation);
        Usage {
            prompt_tokens: prompt.saturating_add(self.cache_read),
            completion_tokens: self.output,
            cached_tokens: self.cache_read,
        }
    }
}
