use ferrogate_core::{count_tokens, CoreError, Encoding};

/// Counts from tiktoken's README and OpenAI's cookbook ("How to count tokens with tiktoken"),
/// which print the same texts under both encodings.
#[test]
fn counts_match_tiktoken_published_examples() {
    let cases = [
        ("hello world", 2, 2),
        ("tiktoken is great!", 6, 6),
        ("antidisestablishmentarianism", 6, 6),
        ("2 + 2 = 4", 7, 7),
        ("お誕生日おめでとう", 9, 8),
    ];
    for (text, cl100k, o200k) in cases {
        assert_eq!(
            count_tokens(text, Encoding::Cl100kBase),
            cl100k,
            "cl100k {text:?}"
        );
        assert_eq!(
            count_tokens(text, Encoding::O200kBase),
            o200k,
            "o200k {text:?}"
        );
    }
}

#[test]
fn empty_text_has_no_tokens() {
    for encoding in Encoding::ALL {
        assert_eq!(count_tokens("", encoding), 0);
    }
}

#[test]
fn special_tokens_count_as_plain_text() {
    // tiktoken's encode_ordinary: a user cannot smuggle in the one-token <|endoftext|>.
    assert!(count_tokens("<|endoftext|>", Encoding::Cl100kBase) > 1);
}

#[test]
fn repeated_text_counts_add_up_across_pretokenizer_pieces() {
    let piece = "The quick brown fox jumps over the lazy dog.\n";
    for encoding in Encoding::ALL {
        let one = count_tokens(piece, encoding);
        assert_eq!(count_tokens(&piece.repeat(1000), encoding), 1000 * one);
    }
}

#[test]
fn encodings_parse_from_their_tiktoken_names() {
    for encoding in Encoding::ALL {
        assert_eq!(encoding.name().parse::<Encoding>(), Ok(encoding));
        assert_eq!(encoding.to_string(), encoding.name());
    }
}

#[test]
fn unknown_encoding_name_is_rejected() {
    for name in ["p50k_base", "O200K_BASE", ""] {
        let Err(CoreError::InvalidArgument(message)) = name.parse::<Encoding>() else {
            panic!("{name:?} parsed");
        };
        assert!(message.contains("o200k_base"), "{message}");
    }
}
