use std::fmt;
use std::str::FromStr;

use bpe_openai::Tokenizer;

use crate::CoreError;

/// An OpenAI byte-pair encoding, named as tiktoken names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// GPT-4, GPT-3.5 and the text-embedding-3 models.
    Cl100kBase,
    /// GPT-4o and later, and the o-series reasoning models.
    O200kBase,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Cl100kBase, Encoding::O200kBase];

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::O200kBase => "o200k_base",
        }
    }

    pub(super) fn tokenizer(self) -> &'static Tokenizer {
        match self {
            Encoding::Cl100kBase => bpe_openai::cl100k_base(),
            Encoding::O200kBase => bpe_openai::o200k_base(),
        }
    }
}

impl FromStr for Encoding {
    type Err = CoreError;

    fn from_str(name: &str) -> Result<Self, CoreError> {
        Encoding::ALL
            .into_iter()
            .find(|encoding| encoding.name() == name)
            .ok_or_else(|| {
                CoreError::InvalidArgument(format!(
                    "unknown encoding {name:?}: expected \"cl100k_base\" or \"o200k_base\""
                ))
            })
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
