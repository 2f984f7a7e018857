"""The browser voice test's own audio, through the live recogniser session, at every cut the test can produce.

Usage (from the repository root)::

    .venv/bin/python bench/bench_voice_test_audio.py [--settings 3000:300,2000:200,2500:200] [--verbose]

``tests/e2e/test_live_interview_voice.py`` (local Whisper) plays two espeak-ng answers through
Chromium's fake microphone and drops the network about a second into answer 1; the page resumes
the answer and replays what it held. Where that cut lands varies from run to run, and tiny.en
hears a cut-off phrase differently at each cut, so one pass or failure of that test says little
about a recogniser setting. This bench streams the same audio through ``WhisperLocal().open``
(100 ms frames, as the page's worklet sends them; each job finishes before the next frame, as on
an idle host) in every way the test can produce it, and applies the test's own checks to the
words the session finalises:

* answer 1, dropped and resumed: 2 s of room, then the answer at a phase of 0-90 ms in the frame
  grid; the drop falls at the 9th to 15th frame boundary after the speech's onset. Session A gets
  the audio up to the drop and is flushed; session B gets the page's replay as the server feeds it
  (3 s of zeros: audio already transcribed), then the rest and 3 s of room, and is flushed.
* answer 2, whole: 2 s of room, the answer at a phase of 0-95 ms, 3 s of room.

A setting is ``WINDOW_MIN_FRAMES:EARLY_AFTER_SILENCE_MS``; each runs on the same streams.
Pre-registered use: ``bench/data/turn/voice_test_audio_preregistration.txt``.

``--resume-seam``: answer 1's 70 cuts through the live session itself instead (``LiveSession`` with
``WhisperLocal``, the tests' in-memory store): session A hears the audio up to the drop and is
disconnected (it stores what it heard); session B resumes the answer with the page's replay (its
last ``--replay-ms`` of audio) and the rest, then is disconnected. The stored utterances of answer
1 are checked, with ``session.REOPEN_CUT`` off (the replay transcribed from where the stored words
end) and on (the utterance the drop cut heard again and rewritten). Pre-registered use:
``bench/data/turn/resume_seam_preregistration.txt``.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.test_live_interview_voice import (  # noqa: E402  (the test's own words and checks)
    ANSWER_1,
    ANSWER_2,
    ANSWER_2_WORDS,
    OPENING_WORDS,
    Q1,
    Q2,
)

RATE = 16_000
FRAME = RATE // 10  # samples in the page's 100 ms frame
ROOM_S, AFTER_S = 2.0, 3.0


def synthesise(text: str, folder: Path, pad_before: float) -> np.ndarray:
    """The test fixture's synthesis: espeak-ng at 150 wpm, sox to 16 kHz mono 16-bit."""
    raw, out = folder / "raw.wav", folder / "out.raw"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                    str(out), "pad", str(pad_before), "0"], check=True)
    return np.frombuffer(out.read_bytes(), dtype="<i2").copy()


def onset(pcm: np.ndarray) -> int:
    """The first sample of the first 10 ms louder than -48 dBFS (the page's "level > 20")."""
    step = RATE // 100
    for i in range(0, len(pcm) - step, step):
        rms = float(np.sqrt(np.mean(pcm[i:i + step].astype(np.float64) ** 2))) / 32768
        if rms > 10 ** (-48 / 20):
            return i
    raise ValueError("no speech")


def stream(pcm: np.ndarray, prompt: str, *, zeros_first: int = 0, offset_ms: int = 0) -> str:
    """The finals a live session makes of ``pcm`` (after ``zeros_first`` samples of zeros), sent in
    100 ms frames with every job done before the next frame, then flushed."""
    from interviewer.services.speech import whisper_local

    finals: list[str] = []
    lock = threading.Lock()

    def on_event(event) -> None:
        if event.type == "final":
            with lock:
                finals.append(event.text)

    session = whisper_local.WhisperLocal().open(on_event=on_event, prompt=prompt, offset_ms=offset_ms)
    audio = np.concatenate([np.zeros(zeros_first, dtype="<i2"), pcm])
    try:
        for start in range(0, len(audio), FRAME):
            session.feed(audio[start:start + FRAME].tobytes())
            with session._lock:  # an idle host: the job a frame started ends before the next frame
                while session._jobs or session._ticket is not None:
                    session._idle.wait(1.0)
        if not session.flush(60.0):
            raise RuntimeError("the session did not finish")
    finally:
        session.close()
    with lock:
        return " ".join(finals)


async def _fed(session, frames: list[bytes]) -> None:
    """Each frame to the live session as the socket would, its recogniser job done before the next."""
    for frame in frames:
        await session.audio(frame)
        answer, provisional = session.answer, session._provisional
        stt = answer.stt if answer is not None else (provisional.stt if provisional is not None else None)
        if stt is not None:
            await asyncio.to_thread(_idle, stt)


def _idle(stt) -> None:
    with stt._lock:
        while stt._jobs or stt._ticket is not None:
            stt._idle.wait(1.0)


async def resumed(pcm: np.ndarray, cut: int, replay_ms: int, prompt: str) -> list[str]:
    """The stored utterances of an answer whose connection drops at sample ``cut`` (see --resume-seam)."""
    from interviewer.live.session import CollectingOutbox, LiveSession
    from interviewer.services.speech.whisper_local import WhisperLocal
    from tests.live.test_session import FakeStore

    store, stt = FakeStore(questions=2, follow_ups=0), WhisperLocal()
    store.step = lambda _step=store.step: {**_step(), "text": prompt}  # the question is the recogniser's prompt
    frames = [pcm[i:i + FRAME].tobytes() for i in range(0, len(pcm), FRAME)]
    first = LiveSession(store, CollectingOutbox(), stt)
    await first.open()
    await first.start_answer(0)
    await _fed(first, frames[:cut // FRAME])
    await first.disconnected()
    replay = max(0, cut // FRAME - replay_ms // 100)  # the page's held frames: its last replay_ms of audio
    second = LiveSession(store, CollectingOutbox(), stt)
    await second.open()
    await second.start_answer(0, replay * 100, resume=True)
    await _fed(second, frames[replay:])
    await second.disconnected()
    return [u["text"] for u in sorted(store.utterances, key=lambda u: u["seq"]) if u["question_index"] == 0]


def resumed_passes(stored: list[str]) -> tuple[bool, bool]:
    """(the browser test's checks on the stored answer 1, the seam word whole): at least 2 of the
    opening words among its first six, "queue is first in first out" in it and "queue" once; the
    seam: "first out" twice (the drop falls inside "last in first out")."""
    said = " ".join(stored).lower().replace(",", "")
    passes = (len(stored) >= 1 and len(set(words(said)[:6]) & OPENING_WORDS) >= 2
              and "queue is first in first out" in said and said.count("queue") == 1)
    return passes, " ".join(words(said)).count("first out") == 2


def resume_seam(one: np.ndarray, replay_ms: int, verbose: bool) -> None:
    from interviewer.live import session as live_session

    room = int(ROOM_S * RATE)
    after = np.zeros(int(AFTER_S * RATE), dtype="<i2")
    print(f"answer 1 through LiveSession + WhisperLocal, 10 phases x 7 drops, page replay {replay_ms} ms")
    print("reopen   failed (of 70)   seam word split (of 70)   seconds")
    for reopen in (False, True):
        live_session.REOPEN_CUT = reopen
        failed, split, heard, began = 0, 0, [], time.monotonic()
        for phase_ms in range(0, 100, 10):
            full = np.concatenate([np.zeros(room + phase_ms * RATE // 1000, dtype="<i2"), one, after])
            first_boundary = -(-onset(full) // FRAME) * FRAME
            for k in range(9, 16):
                stored = asyncio.run(resumed(full, first_boundary + k * FRAME, replay_ms, Q1))
                passes, whole = resumed_passes(stored)
                failed += not passes
                split += not whole
                if verbose and not (passes and whole):
                    heard.append(f"  phase {phase_ms} ms, drop {k}: {stored!r}")
        print(f"{'on' if reopen else 'off':6s}  {failed:8d}   {split:14d}   {time.monotonic() - began:18.0f}")
        for line in heard:
            print(line)
    live_session.REOPEN_CUT = True


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def answer_1_passes(first: str, rest: str) -> bool:
    """The browser test's checks on answer 1 (stored words of the two sessions)."""
    said = f"{first} {rest}".lower().replace(",", "")
    opening = set(words(first))
    return (bool(first.strip()) and bool(rest.strip()) and len(opening & OPENING_WORDS) >= 2 and "queue" not in opening
            and "queue is first in first out" in said and said.count("queue") == 1)


def answer_2_passes(text: str) -> bool:
    return len(ANSWER_2_WORDS & set(words(text))) >= 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", default="3000:300,2000:200,2500:200",
                        help="WINDOW_MIN_FRAMES:EARLY_AFTER_SILENCE_MS pairs, comma-separated")
    parser.add_argument("--verbose", action="store_true", help="every failing stream's words")
    parser.add_argument("--resume-seam", action="store_true",
                        help="answer 1's cuts through LiveSession, the cut utterance reopened or not")
    parser.add_argument("--replay-ms", type=int, default=10_000, help="the page's replay (REPLAY_MS) for --resume-seam")
    args = parser.parse_args()
    try:
        settings = [tuple(int(v) for v in pair.split(":")) for pair in args.settings.split(",") if pair.strip()]
    except ValueError:
        raise SystemExit("--settings: WINDOW:EARLY pairs such as 3000:300") from None
    if not settings or any(len(s) != 2 or not 100 <= s[0] <= 3000 or not 0 < s[1] < 3000 for s in settings):
        raise SystemExit("--settings: WINDOW_MIN_FRAMES 100-3000 and EARLY_AFTER_SILENCE_MS 1-2999")
    from interviewer.services.speech import whisper_local

    with tempfile.TemporaryDirectory(prefix="bench-voice-test-") as tmp:
        one = synthesise(ANSWER_1, Path(tmp), 0.3)
        two = synthesise(ANSWER_2, Path(tmp), 0.0)
    whisper_local.get_model()
    whisper_local.transcribe_pcm(b"\0" * 32_000)  # warm up
    if args.resume_seam:
        return resume_seam(one, args.replay_ms, args.verbose)
    room = int(ROOM_S * RATE)
    after = np.zeros(int(AFTER_S * RATE), dtype="<i2")
    print(f"tiny.en int8, {whisper_local.cpu_threads()} threads; answer 1: 10 phases x 7 drops; "
          f"answer 2: 20 phases")
    print("window  early   answer 1 failed   answer 2 failed   seconds")
    for window, early in settings:
        whisper_local.WINDOW_MIN_FRAMES, whisper_local.EARLY_AFTER_SILENCE_MS = window, early
        failed_1, failed_2, heard = 0, 0, []
        began = time.monotonic()
        for phase_ms in range(0, 100, 10):
            full = np.concatenate([np.zeros(room + phase_ms * RATE // 1000, dtype="<i2"), one, after])
            first_boundary = -(-onset(full) // FRAME) * FRAME
            for k in range(9, 16):
                cut = first_boundary + k * FRAME
                first = stream(full[:cut], Q1)
                rest = stream(full[cut:], Q1, zeros_first=3 * RATE, offset_ms=cut * 1000 // RATE - 3000)
                if not answer_1_passes(first, rest):
                    failed_1 += 1
                    heard.append(f"  answer 1 phase {phase_ms} ms, drop {k}: {first!r} | {rest!r}")
        for phase_ms in range(0, 100, 5):
            text = stream(np.concatenate([np.zeros(room + phase_ms * RATE // 1000, dtype="<i2"), two, after]), Q2)
            if not answer_2_passes(text):
                failed_2 += 1
                heard.append(f"  answer 2 phase {phase_ms} ms: {text!r}")
        print(f"{window:6d}  {early:5d}  {failed_1:8d} / 70   {failed_2:8d} / 20   {time.monotonic() - began:7.0f}")
        if args.verbose:
            for line in heard:
                print(line)


if __name__ == "__main__":
    main()
