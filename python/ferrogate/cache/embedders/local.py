"""all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, in process, on one CPU thread.

The pipeline is sentence-transformers' for this model: WordPiece tokens cut at 256, mean
pooling of the last hidden state over the attention mask, then L2 normalisation.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from .base import EmbeddingShapeError, normalize_rows
from .model_files import (
    MODEL_SHA256,
    TOKENIZER_SHA256,
    installed_model,
    installed_tokenizer,
    verified,
)

MAX_TOKENS = 256  # the model's sentence-transformers max_seq_length


class LocalEmbedder:
    dim = 384
    name = "all-MiniLM-L6-v2-int8"

    def __init__(self, model_path: Path | None = None, *, pad_to: int | None = None):
        """`model_path` defaults to the installed file; any file must match the pinned digest.

        `pad_to` exists for the benchmark only: the shipped tokenizer.json pads every input to
        128 tokens: one short prompt then takes about 41 ms instead of 6
        (bench/cache_embedding.py).
        """
        self._model_path = model_path
        self._pad_to = pad_to
        self._session: ort.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        # One worker: onnxruntime releases the GIL, so inference leaves the event loop free,
        # and calls to the one session are serialised (the gateway owns the other core).
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-embedder")

    async def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, self._embed_now, list(texts))

    @property
    def loaded(self) -> bool:
        return self._session is not None

    async def warm_up(self) -> None:
        """Load the model and run it once, so the first request pays for neither."""
        await self.embed(["warm up"])

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    def _embed_now(self, texts: list[str]) -> np.ndarray:
        session, tokenizer = self._loaded()
        encodings = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(["last_hidden_state"], feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        return normalize_rows(pooled)

    def _loaded(self) -> tuple[ort.InferenceSession, Tokenizer]:
        # Only ever called on the single worker thread, so loading needs no lock.
        if self._session is None or self._tokenizer is None:
            self._tokenizer = self._load_tokenizer()
            self._session = self._load_session()
        return self._session, self._tokenizer

    def _load_tokenizer(self) -> Tokenizer:
        tokenizer = Tokenizer.from_file(str(verified(installed_tokenizer(), TOKENIZER_SHA256)))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]", length=self._pad_to)
        return tokenizer

    def _load_session(self) -> ort.InferenceSession:
        path = verified(self._model_path or installed_model(), MODEL_SHA256)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        width = session.get_outputs()[0].shape[-1]
        if width != self.dim:
            raise EmbeddingShapeError(f"{path} gives {width}-wide vectors, expected {self.dim}")
        return session
