"""count_tokens: OpenAI token counts of plain text, with the token tables built in."""

import gzip
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrogate.core import count_tokens

ENCODINGS = ("o200k_base", "cl100k_base")
TABLE_URL = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"

# Counts printed by tiktoken's README and OpenAI's cookbook for both encodings.
PUBLISHED = [
    ("hello world", 2, 2),
    ("tiktoken is great!", 6, 6),
    ("antidisestablishmentarianism", 6, 6),
    ("2 + 2 = 4", 7, 7),
    ("お誕生日おめでとう", 9, 8),
]


@pytest.mark.parametrize(("text", "cl100k", "o200k"), PUBLISHED)
def test_counts_match_tiktoken(text, cl100k, o200k):
    assert count_tokens(text, "cl100k_base") == cl100k
    assert count_tokens(text, "o200k_base") == o200k


def test_default_encoding_is_o200k_base():
    assert count_tokens("お誕生日おめでとう") == 8


def test_empty_text_has_no_tokens():
    assert count_tokens("") == 0


def test_special_token_text_is_counted_as_plain_text():
    assert count_tokens("<|endoftext|>", "cl100k_base") > 1


@pytest.mark.parametrize("name", ["p50k_base", "O200K_BASE", "gpt-4o", ""])
def test_unknown_encoding_raises_value_error_naming_the_known_ones(name):
    with pytest.raises(ValueError, match="o200k_base"):
        count_tokens("hello", name)


def test_lone_surrogate_counts_like_a_replacement_character():
    assert count_tokens("a\ud800b") == count_tokens("a\ufffdb")


def test_non_string_text_raises_type_error():
    with pytest.raises(TypeError):
        count_tokens(b"hello")  # type: ignore[arg-type]


def test_long_text_counts_every_repetition():
    line = "The quick brown fox jumps over the lazy dog.\n"
    for encoding in ("o200k_base", "cl100k_base"):
        assert count_tokens(line * 50_000, encoding) == 50_000 * count_tokens(line, encoding)


def test_threads_counting_long_texts_at_once_get_the_same_counts():
    texts = [f"Paragraph {i}: " + "lorem ipsum dolor sit amet " * 2_000 for i in range(8)]
    expected = [count_tokens(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(count_tokens, texts)) == expected


@given(st.text(max_size=200))
def test_count_is_between_one_and_the_byte_length_for_non_empty_text(text):
    # Every token stands for at least one byte.
    for encoding in ("o200k_base", "cl100k_base"):
        count = count_tokens(text, encoding)
        assert (count >= 1) == bool(text)
        assert count <= len(text.encode("utf-8", "surrogatepass"))


@pytest.fixture(scope="session")
def tiktoken_encodings(tmp_path_factory):
    """tiktoken itself, fed the tables the Rust crate embeds (OpenAI's files: tiktoken checks
    their SHA-256), placed in its download cache because this machine has no network."""
    tiktoken = pytest.importorskip("tiktoken")
    cargo_home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    tables = sorted(cargo_home.glob("registry/src/*/bpe-openai-*/data"))
    if not tables:
        pytest.skip("bpe-openai sources not in the cargo registry")
    cache = tmp_path_factory.mktemp("tiktoken")
    for name in ENCODINGS:
        blob = hashlib.sha1(TABLE_URL.format(name).encode()).hexdigest()
        (cache / blob).write_bytes(
            gzip.decompress((tables[-1] / f"{name}.tiktoken.gz").read_bytes())
        )
    previous = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    try:
        return {name: tiktoken.get_encoding(name) for name in ENCODINGS}
    finally:
        if previous is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = previous


# Whitespace runs, contractions and digit groups are where pre-tokenizers disagree.
tricky_text = st.text(alphabet=" \t\r\n'sSlLdD0123456789.,!?é日本\u00a0", max_size=120)


@given(st.one_of(st.text(max_size=300), tricky_text))
def test_counts_equal_tiktoken_encode_ordinary(tiktoken_encodings, text):
    for name, encoding in tiktoken_encodings.items():
        assert count_tokens(text, name) == len(encoding.encode_ordinary(text))
