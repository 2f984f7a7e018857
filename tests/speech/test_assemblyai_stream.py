"""AssemblyAI streaming v3 through the real SDK, against a fake server speaking its protocol."""

from __future__ import annotations

import threading

import pytest

from interviewer.services.speech.assemblyai_stream import AssemblyAIStreaming, streaming_host

from .audio import chunks, noise, tone
from .fake_assemblyai import API_KEY, FakeAssemblyAI

WORDS = "i would use a hash map".split()


def collect():
    events, lock = [], threading.Lock()

    def on_event(event):
        with lock:
            events.append(event)
    return events, on_event


def test_turns_map_to_partials_and_one_final():
    events, on_event = collect()
    with FakeAssemblyAI(WORDS) as server:
        stt = AssemblyAIStreaming(api_key=API_KEY, host=server.host)
        session = stt.open(on_event=on_event, prompt="How would you count words?", offset_ms=5000)
        pcm = noise(300) + tone(1500) + noise(500, seed=2)
        for chunk in chunks(pcm, 100):
            session.feed(chunk)
        assert session.flush(10) is True
        received = server.sessions[-1]
    assert received["auth"] == API_KEY and received["query"]["sample_rate"] == "16000"
    assert received["query"]["encoding"] == "pcm_s16le" and received["query"]["format_turns"] == "True"
    assert received["audio"] == len(pcm) and received["terminated"]
    partials = [e for e in events if e.type == "partial"]
    finals = [e for e in events if e.type == "final"]
    assert partials and partials[0].text == "i"
    assert len(finals) == 1  # the unformatted end-of-turn is superseded by the formatted one
    final = finals[0]
    assert final.text == "I would use a hash map."
    assert final.start_ms == 5000 + 300 and final.end_ms == 5000 + 300 + 400 * 5 + 350
    assert final.confidence == pytest.approx(0.9)
    # the voiced share comes from our own VAD: 1.5 s of tone in a 2.35 s turn
    assert 0.45 < final.speech_ratio < 0.8
    assert session.heard_speech and session.audio_ms == 5000 + len(pcm) // 32


def test_wrong_key_is_refused():
    with FakeAssemblyAI(WORDS) as server:
        stt = AssemblyAIStreaming(api_key="wrong", host=server.host)
        with pytest.raises(ConnectionError):
            stt.open(on_event=lambda e: None)


def test_host_comes_from_the_settings(monkeypatch):
    from interviewer.core.config import reset_settings_cache

    monkeypatch.delenv("ASSEMBLYAI_STREAMING_HOST", raising=False)
    reset_settings_cache()
    assert streaming_host() == "streaming.assemblyai.com"
    monkeypatch.setenv("ASSEMBLYAI_STREAMING_HOST", "ws://127.0.0.1:9")
    reset_settings_cache()
    try:
        assert streaming_host() == "ws://127.0.0.1:9"
    finally:
        monkeypatch.delenv("ASSEMBLYAI_STREAMING_HOST")
        reset_settings_cache()


def test_factory_picks_assemblyai_with_a_key(monkeypatch):
    from interviewer.core.config import reset_settings_cache
    from interviewer.services.speech import get_stt

    assert get_stt().name == "whisper"
    monkeypatch.setenv("ASSEMBLYAI_API_KEY", API_KEY)
    reset_settings_cache()
    try:
        assert get_stt().name == "assemblyai"
    finally:
        monkeypatch.delenv("ASSEMBLYAI_API_KEY")
        reset_settings_cache()
