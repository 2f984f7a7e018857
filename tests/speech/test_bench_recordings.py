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


@pytest.mark.parametrize("name", ["fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
                                  "questions-a", "questions-b", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13",
                                  "fresh14", "fresh15"])
def test_a_fresh_set_loads_with_pauses_in_more_than_half_of_its_answers(name):
    paused, whole, voices, speeds, pauses, _seed = bench.SETS[name]
    assert len(paused) >= 17 and len(paused) + len(whole) >= 30  # the 30 answers, half with a pause
    assert all(len(pair) == 2 and all(part.strip() for part in pair) for pair in paused)
    assert len(voices) == 6 and len(speeds) == 3
    assert all(1.0 <= p <= 3.0 for p in pauses)
    # written apart from the sets before it: no sentence, voice or pause length is shared
    order = ["dev", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
             "questions-a", "questions-b", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15"]
    others = [bench.SETS[other] for other in order[:order.index(name)]]
    assert not {" ".join(p) for p in paused} & {" ".join(p) for o in others for p in o[0]}
    assert not set(voices) & {v for o in others for v in o[2]}
    assert not set(pauses) & {p for o in others for p in o[4]}


def test_a_turn_setting_variant_changes_every_answer_and_a_bad_one_is_refused(monkeypatch):
    from interviewer.live.turn_policy import TurnSettings

    monkeypatch.setattr(TurnSettings, "for_patience", TurnSettings.__dict__["for_patience"])  # restored after
    shipped = TurnSettings.for_patience(3.5)
    bench._apply_turn_settings(["unsure_ms=1200", "likely_ms=800"])
    varied = TurnSettings.for_patience(3.5)
    assert (varied.unsure_ms, varied.likely_ms) == (1200, 800)
    assert varied.patience_ms == shipped.patience_ms == 3500 and varied.complete_ms == shipped.complete_ms
    assert TurnSettings.for_patience(5, unsure_ms=900).unsure_ms == 900  # an explicit override still wins
    for bad in ("patience_ms=100", "unsure_ms=fast", "nonsense=1"):
        with pytest.raises(SystemExit, match="NAME=MS"):
            bench._apply_turn_settings([bad])


def test_a_speech_setting_variant_changes_the_recogniser_and_a_bad_one_is_refused(monkeypatch):
    from interviewer.services.speech import whisper_local

    for name in bench.SPEECH_SETTINGS:
        monkeypatch.setattr(whisper_local, name, getattr(whisper_local, name))  # restored after
    bench._apply_speech_settings(["WINDOW_MIN_FRAMES=1000", "EARLY_AFTER_SILENCE_MS=300"])
    assert (whisper_local.WINDOW_MIN_FRAMES, whisper_local.EARLY_AFTER_SILENCE_MS) == (1000, 300)
    assert whisper_local.window_frames(300) == 1000 and whisper_local.window_frames(1950) == 2050
    for bad in ("SAMPLE_PAD=1", "WINDOW_MIN_FRAMES=big", "nonsense=1"):
        with pytest.raises(SystemExit, match="NAME=N"):
            bench._apply_speech_settings([bad])


def test_content_words_heard_counts_the_words_scoring_reads_and_ignores_the_rest():
    said = "An index makes lookups faster but every write becomes slower."
    assert bench.content_recall(said, said) == 1.0
    assert bench.content_recall(said, "an index make lookup faster but every write become slower") == 1.0  # stems
    assert bench.content_recall(said, "Index makes lookups faster, every write becomes slower.") == 1.0  # stopwords
    # "low cups" for "lookups": one of the seven content stems (index lookup fast everi write becom slow) lost
    assert bench.content_recall(said, "An index makes low cups faster but every write becomes slower.") == 6 / 7
    assert bench.content_recall(said, "") == 0.0
    # counted with multiplicity: the second "cache" is not heard (cach full clear cach -> clear cach)
    assert bench.content_recall("The cache was full so we cleared the cache.", "we cleared the cache") == 0.5
    assert bench.content_recall("It is what it is.", "") == 1.0  # nothing to hear
    assert bench.wer(said, said) == 0.0 and bench.wer("a b", "a c") == 0.5


def test_the_window_bench_refuses_an_unknown_set_or_a_window_whisper_cannot_take(monkeypatch):
    import bench_whisper_window as window_bench

    for argv in (["--sets", "nonsense"], ["--windows", "5000"], ["--windows", "50"]):
        monkeypatch.setattr(sys, "argv", ["bench_whisper_window.py", *argv])
        with pytest.raises(SystemExit, match="--windows between 100 and 3000"):
            window_bench.main()


@pytest.mark.parametrize("name", ["questions-a", "questions-b"])
def test_a_question_set_asks_each_answer_its_own_question(name):
    paused, whole, *_ = bench.SETS[name]
    asked_paused, asked_whole = bench.QUESTIONS[name]
    assert len(asked_paused) == len(paused) and len(asked_whole) == len(whole)
    assert all(q.strip().endswith("?") or q.strip().endswith(".") for q in asked_paused + asked_whole)
    assert len(set(asked_paused + asked_whole)) == len(paused) + len(whole)  # one question per answer
    assert "fresh" not in bench.QUESTIONS and "dev" not in bench.QUESTIONS  # the other sets ask GENERIC_QUESTION


def test_answers_carry_their_question_to_the_interview_and_the_recordings(tmp_path):
    require_tools("espeak-ng", "sox")
    work = tmp_path / "work"
    work.mkdir()
    answers = bench.build_answers(3, work, "questions-a")
    asked_paused, asked_whole = bench.QUESTIONS["questions-a"]
    paused, whole, *_ = bench.SETS["questions-a"]
    for a in answers:  # each answer goes with the question written for it
        if a.paused:
            assert a.question == asked_paused[[" ".join(p) for p in paused].index(a.text)]
        else:
            assert a.question == asked_whole[whole.index(a.text)]
    bench.save_recordings(answers, tmp_path / "rec", "test")
    assert [a.question for a in bench.load_recordings(tmp_path / "rec")] == [a.question for a in answers]
    assert all(a.question == "" for a in bench.build_answers(2, work, "heldout"))


def test_the_addresses_question_variant_waits_only_on_few_words_unrelated_to_the_question():
    import bench_addresses_question as aq

    question = "How would you find a memory leak in a service?"
    assert aq.variant_cue("That's a fair point.", question, 2) == "incomplete"  # nothing of the question yet
    assert aq.variant_cue("That's a fair point.", question, 1) == "complete"  # two content stems > K
    assert aq.variant_cue("I'd watch the memory graph.", question, 3) == "complete"  # shares "memory"
    assert aq.variant_cue("I would profile the heap over a day of traffic.", question, 3) == "complete"  # 4+
    assert aq.variant_cue("I'd start with the", question, 3) == "incomplete"  # already open: unchanged


def test_a_pause_of_any_length_keeps_the_samples_after_it_aligned():
    # int(2.03 * 32000) == 64959: an odd byte count turned the words after such a pause into noise
    assert len(bench._silence(2.03)) == 2 * 32_480 and all(len(bench._silence(s)) % 2 == 0 for s in (0.3, 1.27, 12.0))


def test_a_cue_flag_switches_a_rule_for_the_run_and_a_bad_one_is_refused(monkeypatch):
    from interviewer.live import cues

    monkeypatch.setattr(cues, "WH_STRANDING", True)  # restored after
    bench._apply_cue_flags(["WH_STRANDING=0"])  # the cues before round 11
    assert cues.WH_STRANDING is False
    bench._apply_cue_flags(["WH_STRANDING=1"])
    assert cues.WH_STRANDING is True
    for bad in ("STRANDED_PREPOSITIONS=1", "WH_STRANDING", "WH_STRANDING=yes"):
        with pytest.raises(SystemExit, match="cue-flag"):
            bench._apply_cue_flags([bad])
