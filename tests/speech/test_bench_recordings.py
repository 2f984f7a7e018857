"""The turn-taking bench's recordings folder (bench/bench_turn_latency.py ``--save-recordings`` /
``--recordings``): what it writes streams back exactly as synthesised, and a folder of other speech
(people reading the sentences) is read with a clear error when it is not what the bench needs."""

from __future__ import annotations

import json
import sys
import wave
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_turn_latency as bench

from .audio import require_tools


@pytest.fixture
def answers(tmp_path):
    require_tools("espeak-ng", "sox")
    work = tmp_path / "work"
    work.mkdir()
    return bench.build_answers(3, work, "heldout")


def test_saved_answers_stream_back_as_synthesised(answers, tmp_path):
    folder = tmp_path / "recordings"
    bench.save_recordings(answers, folder, "test")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [e["text"] for e in manifest["answers"]] == [a.text for a in answers]
    assert any(a.paused for a in answers), "the set's first answers include a mid-answer pause"

    loaded = bench.load_recordings(folder)
    for a, b in zip(answers, loaded, strict=True):
        assert b.pcm == a.pcm  # the tail was already in the file: nothing added
        assert b.last_word_byte == a.last_word_byte
        assert (b.paused, b.voice, b.speed, b.noise) == (a.paused, a.voice, a.speed, a.noise)
        assert b.words == a.words


def test_a_recording_that_stops_at_its_last_word_gets_the_tail(answers, tmp_path):
    folder = tmp_path / "people"
    folder.mkdir()
    a = answers[0]
    with wave.open(str(folder / "one.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(a.pcm[:a.last_word_byte])
    (folder / "manifest.json").write_text(json.dumps({"answers": [
        {"file": "one.wav", "text": a.text, "last_word_s": a.last_word_byte / 32_000}]}))
    [b] = bench.load_recordings(folder)
    assert b.pcm[:a.last_word_byte] == a.pcm[:a.last_word_byte]
    assert len(b.pcm) == a.last_word_byte + int(bench.TAIL_S * 32_000)
    assert set(b.pcm[a.last_word_byte:]) == {0}
    assert b.paused == 0.0 and b.voice == "recorded"
    # no word times given: the fake server's words are spread over the speech, in order, before its end
    assert [w for w, _, _ in b.words] == a.text.split()
    assert b.words[-1][2] <= a.last_word_byte // 32


def test_a_recording_in_another_format_or_with_a_wrong_end_is_refused(answers, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    with wave.open(str(folder / "stereo.wav"), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44_100)
        out.writeframes(b"\0" * 4 * 44_100)
    (folder / "manifest.json").write_text(json.dumps({"answers": [
        {"file": "stereo.wav", "text": "hello", "last_word_s": 0.5}]}))
    with pytest.raises(SystemExit, match="16 kHz mono 16-bit"):
        bench.load_recordings(folder)

    with wave.open(str(folder / "short.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(answers[0].pcm[:32_000])
    (folder / "manifest.json").write_text(json.dumps({"answers": [
        {"file": "short.wav", "text": "hello", "last_word_s": 5.0}]}))
    with pytest.raises(SystemExit, match="outside the recording"):
        bench.load_recordings(folder)


def test_other_synthesisers_speak_at_the_asked_pace(tmp_path):
    require_tools("flite")
    slow = bench._speech("A hash map gives constant time lookups on average.", "flite:slt", 125, tmp_path)
    fast = bench._speech("A hash map gives constant time lookups on average.", "flite:slt", 210, tmp_path)
    other = bench._speech("A hash map gives constant time lookups on average.", "flite:rms", 210, tmp_path)
    assert len(slow) > 1.4 * len(fast) > 0  # 210 / 125 = 1.68 times the duration
    assert other != fast  # another voice
    with pytest.raises(SystemExit, match="unknown synthesiser"):
        bench._speech("Hello.", "mbrola:us1", 165, tmp_path)
