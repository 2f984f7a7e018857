"""Energy VAD: utterance boundaries on synthetic PCM (tone bursts between silences)."""

from __future__ import annotations

import numpy as np

from interviewer.services.speech.vad import Segmenter, rms_dbfs

from .audio import chunks, noise, tone


def segment(pcm: bytes, **kw) -> list:
    seg = Segmenter(**kw)
    out = []
    for chunk in chunks(pcm, 100):
        out += seg.feed(chunk)
    return out + seg.flush()


def test_levels():
    assert rms_dbfs(np.zeros(320, dtype="<i2")) == -100.0
    assert -4 < rms_dbfs(np.frombuffer(tone(20, amp=32767), dtype="<i2")) < -2  # a full-scale sine: -3 dBFS


def test_bursts_give_utterances_with_right_boundaries():
    # 1 s quiet, 0.8 s tone, 0.3 s gap (shorter than the silence window: same utterance), 0.5 s tone,
    # 1.5 s quiet, 1.2 s tone, 1 s quiet
    pcm = (noise(1000) + tone(800) + noise(300, seed=1) + tone(500) + noise(1500, seed=2) + tone(1200)
           + noise(1000, seed=3))
    found = segment(pcm, silence_ms=700, hangover_ms=150, preroll_ms=200)
    assert len(found) == 2
    first, second = found
    assert 800 <= first.start_ms <= 1000 and 2600 <= first.end_ms <= 2800
    assert 3900 <= second.start_ms <= 4100 and 5300 <= second.end_ms <= 5500
    assert len(first.pcm) == (first.end_ms - first.start_ms) * 32
    assert 0.6 < first.speech_ratio <= 1 and 0.7 < second.speech_ratio <= 1


def test_silence_setting_and_offset():
    pcm = noise(500) + tone(600) + noise(400, seed=1) + tone(600) + noise(1000, seed=2)
    assert len(segment(pcm, silence_ms=300)) == 2  # a 400 ms pause ends an utterance at 300 ms
    merged = segment(pcm, silence_ms=700, offset_ms=10_000)
    assert len(merged) == 1 and 10_300 <= merged[0].start_ms <= 10_500


def test_clicks_and_noise_are_not_speech():
    pcm = noise(2000, amp=200) + tone(40) + noise(2000, amp=200, seed=5)  # a 40 ms click in steady noise
    assert segment(pcm) == []


def test_louder_room_raises_the_floor():
    # the room gets louder (about -35 dBFS) for good: the floor follows, and speech 20 dB above
    # the new noise is still found with the right start
    seg = Segmenter()
    quiet_floor = None
    found = []
    pcm = noise(1000) + noise(4000, amp=600, seed=4) + tone(1000, amp=6000) + noise(2000, amp=600, seed=9)
    for i, chunk in enumerate(chunks(pcm, 100)):
        found += seg.feed(chunk)
        if i == 9:
            quiet_floor = seg.noise_floor
    found += seg.flush()
    assert quiet_floor is not None and quiet_floor < -60 < seg.noise_floor
    assert 4800 <= found[-1].start_ms <= 5000 and 5900 <= found[-1].end_ms <= 6200


def test_stream_end_flushes_and_long_speech_is_cut():
    assert len(segment(noise(300) + tone(800))) == 1  # no trailing silence: flush closes it
    syllables = b"".join(tone(200) + noise(60, seed=i) for i in range(20))  # 5.2 s without a pause
    long = segment(noise(300) + syllables, max_utterance_ms=2000)
    assert len(long) >= 2 and all(u.end_ms - u.start_ms <= 2020 for u in long)
