"""Token states of another MiniLM layer for the offline judge's alignment (issue 10).

``token_states(text, layer)`` picks the layer whose word-piece states are aligned; the default
(the last layer) and the sentence embeddings (``encode``: last layer + mean pooling, used by
resume matching) must not change, and each layer is cached under its own key.
"""

from __future__ import annotations

import numpy as np
import pytest

from interviewer.services.ai.offline import embeddings
from interviewer.services.ai.offline.answer_scoring import (
    PARAMS,
    score_answer,
    with_params,
)

TEXT = "A queue hands items out in the order they arrived."


def _last_layer_reference(enc: embeddings.MiniLMEncoder, text: str) -> np.ndarray:
    tok = enc._tokenizer.encode(text)
    n = sum(tok.attention_mask)
    ids = np.array([tok.ids[:n]], dtype=np.int64)
    states = enc._hidden(ids, np.ones_like(ids), np.zeros_like(ids))[0][1:-1]
    return states / np.linalg.norm(states, axis=1, keepdims=True)


def test_default_is_the_last_layer_and_sentence_embeddings_are_unchanged():
    enc = embeddings.MiniLMEncoder(cache_size=64)
    reference = _last_layer_reference(enc, TEXT)
    # another layer first, so a cache keyed by text alone would hand it back for the default
    lower = enc.token_states(TEXT, 3)[2]
    assert not np.allclose(lower, reference, atol=1e-3)
    assert np.allclose(enc.token_states(TEXT)[2], reference, atol=1e-6)
    assert np.allclose(enc.token_states(TEXT, enc.layers)[2], reference, atol=1e-6)
    assert np.allclose(enc.encode_tokens(TEXT)[1], reference, atol=1e-6)
    # the sentence embedding cached by token_states is the last-layer mean-pooled one
    assert np.allclose(enc.encode(TEXT), enc._encode_uncached([TEXT])[0], atol=1e-5)


def test_each_layer_is_cached_under_its_own_key():
    enc = embeddings.MiniLMEncoder(cache_size=64)
    states = {layer: enc.token_states(TEXT, layer)[2] for layer in range(enc.layers + 1)}
    for a in range(enc.layers + 1):
        assert np.allclose(enc.token_states(TEXT, a)[2], states[a])  # from the cache
        for b in range(a + 1, enc.layers + 1):
            assert not np.allclose(states[a], states[b], atol=1e-3)
    mean = enc.token_states(TEXT, (5, 6))[2]
    assert mean.shape == states[6].shape
    assert np.allclose(np.linalg.norm(mean, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(mean, states[6], atol=1e-3) and not np.allclose(mean, states[5], atol=1e-3)
    with pytest.raises(ValueError):
        enc.token_states(TEXT, enc.layers + 1)


def test_judge_layer_parameter_reaches_the_alignment():
    q = "What is a queue?"
    kps = ["A queue is first in, first out"]
    answer = "A queue hands items out in the order they arrived, the oldest one first."
    shipped = score_answer(q, kps, answer).points[0].support
    again = score_answer(q, kps, answer, with_params(token_layer=PARAMS.token_layer)).points[0].support
    other = score_answer(q, kps, answer, with_params(token_layer=2 if PARAMS.token_layer != 2 else 4))
    assert shipped == again
    assert other.points[0].support != shipped
