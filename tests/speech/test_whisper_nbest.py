"""Local Whisper's n-best list: an open ending the beam search kept is reported instead of a tidy
full stop (Whisper's prose prior drops a trailing "and" at a thinking pause). The model is faked:
these tests pin the rule, not tiny.en's words."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from interviewer.live.turn_policy import DEFAULT_PATIENCE_MS, TurnPolicy
from interviewer.services.speech import whisper_local as wl
from interviewer.services.speech.whisper_local import Hypothesis, keep_open_ending


def test_a_closed_best_with_an_open_alternative_reports_the_open_one():
    hyps = [Hypothesis("I would read the file line by line.", -6.0),
            Hypothesis("I would read the file line by lime.", -6.5),
            Hypothesis("I would read the file line by line and...", -7.0)]
    assert keep_open_ending(hyps) == hyps[2]


def test_the_most_likely_open_alternative_wins():
    hyps = [Hypothesis("the orders to a mortgage wage.", -9.0), Hypothesis("the orders to a mortgage which", -9.5),
            Hypothesis("the orders to a mortgage, and", -9.8)]
    assert keep_open_ending(hyps) == hyps[1]


@pytest.mark.parametrize("hyps", [
    [Hypothesis("line by line.", -6.0), Hypothesis("line by line and...", -9.5)],  # far less likely than the best
    [Hypothesis("line by line and...", -6.0), Hypothesis("line by line.", -6.1)],  # the best is already open
    [Hypothesis("I read the logs.", -4.0), Hypothesis("I read the logs...", -4.2)],  # an ellipsis alone: no
    [Hypothesis("every night in June.", -5.0), Hypothesis("every night in May.", -5.2)],  # a name, not a modal
    [Hypothesis("line by line.", -6.0)],  # greedy (partials): nothing to compare
    [],
])
def test_no_open_alternative_keeps_the_best(hyps):
    assert keep_open_ending(hyps) is None


class _Tokenizer:
    def encode(self, text):
        return [1, 2, 3]

    def decode(self, ids):
        return {(10,): " I would read the file line by line.", (20,): " I would read the file line by line and..."}[
            tuple(ids)]


@pytest.fixture
def fake_whisper(monkeypatch):
    """A model whose beam search returns two hypotheses: a closed best and an open second."""
    calls: list[dict] = []

    class FeatureExtractor:
        nb_max_frames = 3000

        def __call__(self, audio):
            return np.zeros((80, 301), dtype=np.float32)

    def generate(encoder_output, prompts, **kwargs):
        calls.append(kwargs)
        return [SimpleNamespace(sequences_ids=[[10], [20]], scores=[-0.50, -0.60], no_speech_prob=0.01)]

    model = SimpleNamespace(feature_extractor=FeatureExtractor(), max_length=448, encode=lambda features: "encoded",
                            get_prompt=lambda tokenizer, previous, without_timestamps: [0, *previous],
                            model=SimpleNamespace(generate=generate))
    monkeypatch.setattr(wl, "get_model", lambda: model)
    monkeypatch.setattr(wl, "_tokenizer_cache", (_Tokenizer(), [5]))
    return calls


def test_transcribe_pcm_asks_the_beam_for_its_n_best_and_keeps_the_open_ending(fake_whisper):
    result = wl.transcribe_pcm(b"\0" * 3200, prompt="How would you count the words?")
    assert fake_whisper[0]["num_hypotheses"] == fake_whisper[0]["beam_size"] == wl.FINAL_BEAM_SIZE
    assert result.text == "I would read the file line by line and..."
    assert result.best == "I would read the file line by line."
    assert not result.is_noise


def test_the_open_ending_makes_the_turn_wait_through_a_thinking_pause(fake_whisper):
    """The early transcription at a pause, fed to the policy: the closed best would end the turn
    after 650 ms of silence; the open alternative waits for the patience limit."""
    result = wl.transcribe_pcm(b"\0" * 3200, prompt="How would you count the words?")
    for text, expect_wait in ((result.best, 650), (result.text, DEFAULT_PATIENCE_MS)):
        policy = TurnPolicy()
        policy.voice(2000, 2000, False)
        policy.text(text, end_ms=2300, final=False)
        waited = next(t for t in range(2000, 10_000, 20) if policy.decide(t).end) - 2000
        assert expect_wait <= waited <= expect_wait + 20, (text, waited)


def test_a_device_check_reports_the_plain_best(fake_whisper):
    result = wl.transcribe_pcm(b"\0" * 3200, prompt=None, open_endings=False)
    assert result.text == "I would read the file line by line." and result.best == ""


def test_a_greedy_preview_never_lets_the_policy_end_the_turn_early():
    """A periodic partial (beam 1, no n-best) saying "line by line." in the first moments of a
    pause: it reports no speech end, so the policy counts the speech as not transcribed yet and
    waits (here through a 2 s thinking pause) instead of ending after 650 ms."""
    events = []
    session = wl.WhisperSession(on_event=events.append, prompt=None, offset_ms=0, partials=True)
    try:
        session._early = None
        session._emit = events.append  # what _run emits, without the pool
        original = wl.transcribe_pcm
        wl.transcribe_pcm = lambda pcm, **kw: wl.Transcription("line by line.", 0.9, 0.01, 0.1)
        try:
            session._run("partial", 1000, 4000, b"\0" * 3200, None, None)
            session._run("early", 1000, 4300, b"\0" * 3200, None, (1000, 4000))
        finally:
            wl.transcribe_pcm = original
    finally:
        session.close()
    preview, early = events
    assert (preview.start_ms, preview.end_ms) == (1000, 1000) and early.end_ms == 4300
    policy = TurnPolicy()
    policy.voice(4000, 4000, False)
    policy.text(preview.text, end_ms=preview.end_ms, final=False)
    assert policy.cue() == "pending"
    assert not any(policy.decide(t).end for t in range(4000, 6000, 20))  # a 2 s pause: still listening
    policy.text(early.text, end_ms=early.end_ms, final=False)
    assert policy.cue() == "complete"


@pytest.mark.parametrize(("floor", "expected"), [(3000, 3000), (1000, 1000), (200, 400)])
def test_the_encoder_reads_a_window_fitted_to_the_utterance(fake_whisper, monkeypatch, floor, expected):
    """300 frames of audio (3 s with the padding): the encoder gets the floor, or the audio plus a
    second of silence when that is longer, never more than Whisper's 30 s window."""
    seen = []
    model = wl.get_model()
    monkeypatch.setattr(model, "encode", lambda features: seen.append(features.shape) or "encoded")
    monkeypatch.setattr(wl, "WINDOW_MIN_FRAMES", floor)
    wl.transcribe_pcm(b"\0" * 3200, prompt=None)
    assert seen == [(80, expected)]
    assert wl.window_frames(2950, 3000) == 3000  # capped at the full window


@pytest.mark.parametrize(("text", "once"), [
    ("I will do the hash map to count the words. I will do the hash map to count the words.",
     "I will do the hash map to count the words."),
    ("Count them. Count them. Count them.", "Count them. Count them. Count them."),  # two words: not a loop
    ("A stack is last in first out. Last in first out. Last in first out.", "A stack is last in first out."),
    ("we used the cache, the cache, the cache", "we used the cache, the cache, the cache"),
    ("I said it twice: keep it simple, keep it simple", "I said it twice: keep it simple"),
    ("Very very good.", "Very very good."),
])
def test_a_decoder_loop_at_the_end_is_said_once(text, once):
    assert wl.drop_repeats(text) == once
    assert wl.repeats_itself(text) == (once != text)


class _LoopTokenizer(_Tokenizer):
    def decode(self, ids):
        return {(10,): " I would use a hash map. I would use a hash map.", (20,): " I would use a hash map."}[tuple(ids)]


def test_a_looping_best_gives_way_to_the_beams_next_hypothesis(fake_whisper, monkeypatch):
    """A window fitted to the answer sometimes makes the decoder say the answer twice; the beam's
    next hypothesis without the loop is reported (and all loop: the best, said once)."""
    monkeypatch.setattr(wl, "_tokenizer_cache", (_LoopTokenizer(), [5]))
    assert wl.transcribe_pcm(b"\0" * 3200, prompt=None).text == "I would use a hash map."
    monkeypatch.setattr(_LoopTokenizer, "decode", lambda self, ids: " Use a map. Use a map.")
    assert wl.transcribe_pcm(b"\0" * 3200, prompt=None).text == "Use a map."
