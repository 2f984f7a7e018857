"""Turn-taking of the live interview: how fast the next prompt follows the candidate's last word,
and how often an answer is cut off before it ended, through the real audio WebSocket.

Usage (from the repository root)::

    .venv/bin/python bench/bench_turn_latency.py [--answers 34] [--stt whisper|assemblyai] [--patience 3.5]
        [--set dev|heldout] [--verbose]

No browser: the script plays the candidate. It builds a throw-away app data directory (SQLite +
embedded Redis, no keys: the offline AI), creates an interview with one question per answer (no
follow-ups, so every answer moves on), serves the real API + audio WebSocket with uvicorn on a
free port, and streams each answer in real time (40 ms frames), then keeps streaming the room
(silence or noise) until the server ends the answer itself: no Done button.

Answers: espeak-ng voices (American, British, Scottish, RP, Caribbean, a female variant) at 140,
165 and 190 words per minute; every third has room noise (pink or brown noise, ~20 dB below the
speech) mixed in by sox over the whole stream, pauses and tail included. More than half pause
1-3 s mid-answer at a point where people stop to think (after "and", "so", "because", "um",
"let me think", mid-phrase), then finish the sentence. ``--set heldout`` plays a second set of
answers written after the end-of-turn rules and never used to tune them (other sentences, pause
places, voices, speeds and pause lengths): a rule that only fits the default (dev) set shows here. ``--stt assemblyai`` runs the AssemblyAI
SDK against a local fake server that reports the words as they are spoken (unformatted partials,
word timestamps) and no end-of-turn of its own: our policy alone decides.

Other speech than espeak's (the recogniser's errors on synthetic voices set most of what is left):
``--save-recordings DIR`` writes the answers of a set as 16 kHz mono WAV files with ``manifest.json``
(text, where the last word ends, the mid-answer pause, the word times the fake server reports);
``--recordings DIR`` streams the WAV files of such a folder instead of synthesising, e.g. the same
sentences read by people, each entry giving its ``text`` and ``last_word_s`` (the end of its last
word, to tell a cut-off) and optionally ``paused_s`` and ``words``. ``--real-assemblyai`` streams to
AssemblyAI itself (``ASSEMBLYAI_API_KEY`` from the environment, ``ASSEMBLYAI_STREAMING_HOST`` if set)
instead of the fake server, so the service's own end-of-turn signals take part.

``BENCH_LOG_LEVEL=DEBUG`` (also read by ``bench_interview_capacity.py``, which serves the same app)
lets the served app log at that level on stderr, e.g. each Whisper call's kind, audio and seconds.

Figures: p50 / p95 from the end of the last word (the last non-silent sample of the answer) to the
next prompt received (shown: a provisional prompt that was then settled counts from when it was
shown); the share of answers cut off (the server ended the answer for good before its last word
was sent) and the share taken back (a provisional end the candidate's speech undid: the next
prompt flashed up, then the answer went on); the per-turn budget's parts as the server stored them with each turn
(``transcript_entries.latency``: endpoint = last voice -> end decided, transcript, decision,
send); why each answer ended; the word error rate of the stored transcript.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import wave
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Answers that pause mid-thought: (before the pause, after it). The pause sits where speakers stop
# to think; the sentences are ordinary interview answers, not written for the rules.
PAUSED = [
    ("To count the words I would read the file line by line and", "keep a counter in a dictionary."),
    ("The main difference is that threads share memory, so", "they are cheaper to start than processes."),
    ("I would add an index on the email column because", "most queries filter by it."),
    ("First I would profile the slow endpoint, um,", "then cache the expensive query."),
    ("Let me think.", "I would use a queue to process the jobs in order."),
    ("A hash map stores keys and values, uh,", "and finds them in constant time on average."),
    ("For the deployment I would use", "blue green releases with a quick rollback."),
    ("The tricky part is the", "race condition between the two writers."),
    ("We chose Postgres over MongoDB since", "our data was strongly relational."),
    ("My first step would be to write a failing test, and then", "fix the bug and refactor."),
    ("I think the answer is, let me see,", "a binary search over the sorted array."),
    ("The cache entries should expire after", "five minutes to keep the data fresh."),
    ("If the service goes down, um, we", "retry with exponential backoff."),
    ("The API returns a list of orders which", "the client pages through with a cursor."),
    ("In my last project I led the migration to", "Kubernetes and cut our costs by a third."),
    ("To make it thread safe I would", "protect the counter with a lock."),
    ("It is n log n, because", "we sort the list first."),
    ("Hmm, what is the word,", "idempotent, so every retry has the same effect."),
    ("I would measure the latency with", "histograms and alert on the slowest requests."),
    ("So the first thing I would check is whether", "the database connection pool is exhausted."),
]
WHOLE = [
    "A stack is last in first out and a queue is first in first out.",
    "An index makes lookups faster but every write becomes slower.",
    "I would cache the results in Redis with a short expiry time.",
    "A hash map gives constant time lookups on average.",
    "Database transactions keep the data consistent when two requests run at once.",
    "I would write unit tests first and then refactor the code.",
    "A process has its own memory while threads share the memory of their process.",
    "I would use a load balancer in front of several stateless web servers.",
    "Recursion solves a problem by calling the same function on a smaller input.",
    "We used feature flags so that we could release small changes every day.",
    "Binary search needs a sorted array and runs in logarithmic time.",
    "I would store the sessions in Redis so that any server can read them.",
    "A foreign key makes sure that every order belongs to an existing customer.",
    "I would log every request with an identifier so that errors can be traced.",
]
VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb-scotland", "en-gb-x-rp", "en-029"]
SPEEDS = [140, 165, 190]
PAUSES_S = [1.0, 1.5, 2.0, 2.5, 3.0]

# The held-out set (``--set heldout``): answers written after the end-of-turn rules, never used
# to design or tune them: other sentences, other places to pause (after "or", "but", "of", "an",
# "is", "my", a comma, "like", "uh", "which means"...), other voices (Lancaster, West Midlands,
# New York, variants), slower and faster speech, other pause lengths.
HELDOUT_PAUSED = [
    ("I would keep the user sessions in Redis or", "in a signed cookie if they are small."),
    ("The service was slow because every request opened a new", "database connection."),
    ("We tried caching first but", "the hit rate was too low to matter."),
    ("A linked list is good for inserts in the middle of", "a long sequence."),
    ("Our biggest outage was caused by an", "expired certificate on the load balancer."),
    ("The first thing I check is", "whether the disk is full."),
    ("For example,", "a payment should never be charged twice."),
    ("I think the cleanest way is to, uh,", "pass the clock in as a parameter."),
    ("Then I would write a small script that reads", "the logs and counts the errors per hour."),
    ("My role on that team was mostly", "reviewing the pull requests."),
    ("We split the monolith into services, which means", "each team can deploy on its own."),
    ("To find duplicates you can sort the list and", "compare each item with the next one."),
    ("In Python a generator is", "a function that yields values lazily."),
    ("The trade off is latency versus", "consistency of the replicas."),
    ("I usually ask the product owner about", "the edge cases before I start."),
    ("It's basically like", "a phone book sorted by name."),
    ("If I had more time I would add", "integration tests for the billing flow."),
    ("We used Kafka to stream the events from", "the checkout service to analytics."),
    ("The bug only happened when two users edited the same", "document at the same moment."),
    ("So my approach would be, hmm, to", "start with the simplest thing that works."),
]
HELDOUT_WHOLE = [
    "I would use a priority queue to always pick the cheapest task next.",
    "We deployed on Fridays only with a feature flag turned off.",
    "A mutex lets only one thread into the critical section at a time.",
    "The report was generated every night by a cron job.",
    "I prefer composition over inheritance in most designs.",
    "Our tests ran in under five minutes on every pull request.",
    "A content delivery network keeps static files close to the users.",
    "I would paginate the results with a cursor instead of an offset.",
    "The index was missing, so every query scanned the whole table.",
    "Memory leaks usually come from caches that never evict anything.",
    "We measured success by the number of support tickets per week.",
    "Big O notation describes how the running time grows with the input.",
    "I learned to write the rollback plan before the migration.",
    "Idempotent endpoints make retries safe for the client.",
]
HELDOUT_VOICES = ["en-gb-x-gbclan", "en-us-nyc", "en-gb+f4", "en-gb-x-gbcwmd", "en-us+m7", "en-029+f2"]
HELDOUT_SPEEDS = [125, 175, 210]
HELDOUT_PAUSES_S = [1.2, 3.2, 1.8, 2.8, 2.2]
SETS = {"dev": (PAUSED, WHOLE, VOICES, SPEEDS, PAUSES_S, 7),
        "heldout": (HELDOUT_PAUSED, HELDOUT_WHOLE, HELDOUT_VOICES, HELDOUT_SPEEDS, HELDOUT_PAUSES_S, 11)}


TURN_DATA = Path(__file__).resolve().parent / "data" / "turn"
# sets written as data (bench/data/turn/fresh_set*.json) by helpers who never saw the end-of-turn rules or a
# figure; the *_preregistration.txt files beside them say how each was used
FRESH_SETS = {"fresh": "fresh_set.json", "fresh2": "fresh_set_2.json", "fresh3": "fresh_set_3.json",
              "fresh4": "fresh_set_4.json", "fresh5": "fresh_set_5.json", "fresh6": "fresh_set_6.json",
              "fresh7": "fresh_set_7.json", "fresh8": "fresh_set_8.json", "fresh9": "fresh_set_9.json",
              "fresh10": "fresh_set_10.json", "fresh11": "fresh_set_11.json", "fresh12": "fresh_set_12.json",
              "fresh13": "fresh_set_13.json", "fresh14": "fresh_set_14.json", "fresh15": "fresh_set_15.json",
              # answers to real interview questions, some opening with a reaction before the substance
              "questions-a": "question_set_a.json", "questions-b": "question_set_b.json"}


def _load_set(data: dict) -> tuple:
    """A set in the shape of ``SETS``' entries, from its JSON file's content."""
    return ([tuple(pair) for pair in data["paused"]], list(data["whole"]), list(data["voices"]),
            [int(v) for v in data["speeds"]], [float(v) for v in data["pauses_s"]], int(data["seed"]))


def _load_questions(name: str, data: dict) -> tuple[list[str], list[str]] | None:
    """The questions a set's answers answer (``paused_questions`` / ``whole_questions``, in the answers'
    order), or None for a set of answers to no question in particular."""
    if "paused_questions" not in data:
        return None
    paused, whole = list(data["paused_questions"]), list(data["whole_questions"])
    if len(paused) != len(data["paused"]) or len(whole) != len(data["whole"]):
        raise SystemExit(f"set {name}: one question per answer")
    return paused, whole


_SET_FILES = {name: json.loads((TURN_DATA / file).read_text()) for name, file in FRESH_SETS.items()
              if (TURN_DATA / file).exists()}
SETS.update({name: _load_set(data) for name, data in _SET_FILES.items()})
QUESTIONS = {name: q for name, data in _SET_FILES.items() if (q := _load_questions(name, data)) is not None}
GENERIC_QUESTION = "Question {n}: tell me about it."  # asked for an answer written to no question
NOISES = [("pinknoise", 0.03), ("brownnoise", 0.06)]
FRAME_MS = 40
FRAME = 16 * 2 * FRAME_MS
LEAD_S, TAIL_S = 0.3, 12.0
FAKE_KEY = "bench-assemblyai-key"


@dataclass
class Spoken:
    text: str
    pcm: bytes  # lead-in + speech (+ pause + speech) + tail, noise mixed in when ``noise``
    last_word_byte: int  # offset just after the last non-silent sample of the speech
    paused: float  # seconds of mid-answer pause (0: none)
    voice: str
    speed: int
    noise: str
    words: list[tuple[str, int, int]]  # (word as written, start ms, end ms) in the stream
    question: str = ""  # the question it answers ("": GENERIC_QUESTION is asked)


def _run_cmd(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, timeout=60)


FLITE_WPM = 170  # flite's and festival's own pace at a duration stretch of 1 (about; measured on the dev sentences)


def _speech(text: str, voice: str, speed: int, folder: Path) -> bytes:
    """``voice`` at about ``speed`` wpm, 16 kHz PCM16, silence trimmed at both ends. An espeak-ng voice
    ("en-gb"), or another synthesiser's: "flite:slt" (flite's voices: kal, kal16, awb, rms, slt) or
    "festival:cmu_us_slt_arctic_hts" (any festival voice installed)."""
    raw, out = folder / "raw.wav", folder / "trim.raw"
    engine, _, name = voice.rpartition(":")
    stretch = f"{FLITE_WPM / speed:.3f}"
    if engine == "flite":
        _run_cmd("flite", "-voice", name, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(raw))
    elif engine == "festival":
        source = folder / "text.txt"
        source.write_text(text)
        _run_cmd("text2wave", "-eval", f"(voice_{name})", "-eval", f"(Parameter.set 'Duration_Stretch {stretch})",
                 "-o", str(raw), str(source))
    elif engine:
        raise SystemExit(f"unknown synthesiser {engine!r} in voice {voice!r} (espeak-ng, flite: or festival:)")
    else:
        _run_cmd("espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text)
    _run_cmd("sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", str(out),
             "silence", "1", "0.02", "0.3%", "reverse", "silence", "1", "0.02", "0.3%", "reverse")
    return out.read_bytes()


def _mix_noise(pcm: bytes, kind: str, volume: float, folder: Path, seed: int) -> bytes:
    """sox -m: the clean stream with ``kind`` noise (whole length) mixed in."""
    clean, noise, mixed = folder / "clean.raw", folder / "noise.raw", folder / "mixed.raw"
    clean.write_bytes(pcm)
    fmt = ["-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw"]
    _run_cmd("sox", "-R", "-n", *fmt, str(noise), "synth", f"{len(pcm) / 32000:.3f}", kind, "vol", str(volume))
    _run_cmd("sox", "-m", *fmt, str(clean), *fmt, str(noise), *fmt, str(mixed))
    out = mixed.read_bytes()
    return out[:len(pcm)] + b"\0" * max(0, len(pcm) - len(out))


def _silence(seconds: float) -> bytes:
    """``seconds`` of 16-bit silence, a whole number of samples (an odd byte count would shift every
    sample after it by one byte: int(2.03 * 32000) is 64959)."""
    return b"\0\0" * round(seconds * RATE)


def build_answers(count: int, folder: Path, which: str = "dev", voices: list[str] | None = None) -> list[Spoken]:
    """``count`` answers of the set ``which`` (dev | heldout), more than half with a mid-answer
    pause; voices (the set's, or ``voices``), speeds, noise rotate."""
    paused_set, whole_set, set_voices, speeds, pauses, seed = SETS[which]
    asked_paused, asked_whole = QUESTIONS.get(which) or ([""] * len(paused_set), [""] * len(whole_set))
    voices = voices or set_voices
    paused_count = max(count // 2 + 1, min(len(paused_set), count * 3 // 5))
    plan: list[tuple[str, str | None, str]] = [(*paused_set[i % len(paused_set)], asked_paused[i % len(paused_set)])
                                               for i in range(paused_count)]
    plan += [(whole_set[i % len(whole_set)], None, asked_whole[i % len(whole_set)])
             for i in range(count - paused_count)]
    order = np.random.default_rng(seed).permutation(len(plan))
    answers = []
    for n, index in enumerate(order):
        first, second, question = plan[index]
        voice, speed = voices[n % len(voices)], speeds[(n // 2) % len(speeds)]
        lead = _silence(LEAD_S)
        a = _speech(first, voice, speed, folder)
        words = _timeline(first, len(lead) // 32, len(a) // 32)
        if second is None:
            speech, paused, text = a, 0.0, first
        else:
            paused = pauses[n % len(pauses)]
            b = _speech(second, voice, speed, folder)
            speech = a + _silence(paused) + b
            words += _timeline(second, (len(lead) + len(speech) - len(b)) // 32, len(b) // 32)
            text = f"{first} {second}"
        pcm = lead + speech + _silence(TAIL_S)
        noise = ""
        if n % 3 == 2:
            kind, volume = NOISES[(n // 3) % len(NOISES)]
            pcm, noise = _mix_noise(pcm, kind, volume, folder, n), kind
        answers.append(Spoken(text, pcm, len(lead) + len(speech), paused, voice, speed, noise, words, question))
    return answers


RATE = 16_000


def save_recordings(answers: list[Spoken], folder: Path, about: str) -> None:
    """The answers as 16 kHz mono 16-bit WAV files plus ``manifest.json`` (read by :func:`load_recordings`)."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for n, a in enumerate(answers, 1):
        name = f"answer_{n:02d}.wav"
        with wave.open(str(folder / name), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(a.pcm)
        entries.append({"file": name, "text": a.text, "last_word_s": a.last_word_byte / (2 * RATE),
                        "paused_s": a.paused, "voice": a.voice, "speed": a.speed, "noise": a.noise,
                        "words": [[w, s, e] for w, s, e in a.words], "question": a.question})
    (folder / "manifest.json").write_text(json.dumps({"about": about, "answers": entries}, indent=1))


def load_recordings(folder: Path) -> list[Spoken]:
    """The answers of a recordings folder (``manifest.json`` + WAV files, 16 kHz mono 16-bit). Silence is
    added after a recording that ends less than the bench's tail after its last word, so that the
    server always has the time to end the answer itself."""
    manifest = json.loads((folder / "manifest.json").read_text())
    answers = []
    for entry in manifest["answers"]:
        path = folder / entry["file"]
        with wave.open(str(path), "rb") as wav:
            if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, RATE):
                raise SystemExit(f"{path}: needs 16 kHz mono 16-bit PCM (convert it with "
                                 f"sox IN -r 16000 -c 1 -b 16 {path.name})")
            pcm = wav.readframes(wav.getnframes())
        last_word_byte = 2 * round(entry["last_word_s"] * RATE)
        if not 0 < last_word_byte <= len(pcm):
            raise SystemExit(f"{path}: last_word_s {entry['last_word_s']} is outside the recording")
        pcm += b"\0" * max(0, last_word_byte + int(TAIL_S * 2 * RATE) - len(pcm))
        words = [tuple(w) for w in entry.get("words") or []] or _timeline(entry["text"], 0, last_word_byte // 32)
        answers.append(Spoken(entry["text"], pcm, last_word_byte, float(entry.get("paused_s", 0.0)),
                              entry.get("voice", "recorded"), int(entry.get("speed", 0)), entry.get("noise", ""),
                              words, entry.get("question", "")))
    return answers


def _timeline(text: str, start_ms: int, length_ms: int) -> list[tuple[str, int, int]]:
    """Word times for the fake streaming server: the span shared out by word length."""
    words = text.split()
    total, at, out = sum(len(w) + 1 for w in words), float(start_ms), []
    for w in words:
        span = length_ms * (len(w) + 1) / total
        out.append((w, int(at), int(at + span * 0.85)))
        at += span
    return out


class FakeStreaming:
    """A local stand-in for AssemblyAI streaming v3 that "recognises" the answer being streamed:
    it sends each word as an unformatted partial ``Turn`` once its audio has arrived plus
    ``DELAY_MS`` (recognition lag), ends a turn only after ``MAX_TURN_SILENCE_MS`` without a new
    word (the API's documented ``max_turn_silence`` default; no early "confident" end of turn is
    simulated), and finalises on ``Terminate``. The bench sets ``script`` before each answer."""

    DELAY_MS, MAX_TURN_SILENCE_MS = 300, 1280

    def __init__(self) -> None:
        self.script: Spoken | None = None
        self._progress: tuple[Spoken, int, int] | None = None  # (script, audio ms heard, words reported)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Future | None = None

    @property
    def host(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> FakeStreaming:
        threading.Thread(target=lambda: self._loop.run_until_complete(self._serve()), daemon=True).start()
        assert self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set_result, None)

    async def _serve(self) -> None:
        from websockets.asyncio.server import serve

        self._stop = self._loop.create_future()
        async with serve(self._handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    @staticmethod
    def _turn(order: int, words: list[tuple[str, int, int]], end: bool, formatted: bool) -> str:
        plain = [("".join(c for c in w.lower() if c.isalnum() or c == "'"), s, e) for w, s, e in words]
        text = " ".join(w for w, _, _ in plain)
        if formatted:
            text = " ".join(w for w, _, _ in words)
            text = text[:1].upper() + text[1:].rstrip(",") + ("" if text.endswith((".", "?", "!")) else ".")
        return json.dumps({"type": "Turn", "turn_order": order, "turn_is_formatted": formatted, "end_of_turn": end,
                           "transcript": text, "end_of_turn_confidence": 0.9 if end else 0.2,
                           "words": [{"start": s, "end": e, "confidence": 0.95, "text": w, "word_is_final": end}
                                     for w, s, e in plain]})

    async def _handler(self, ws) -> None:
        script = self.script
        words = list(script.words) if script else []
        await ws.send(json.dumps({"type": "Begin", "id": uuid.uuid4().hex, "expires_at": int(time.time()) + 600}))
        # A second session of the same answer (the live session listens on after a provisional
        # end) hears the audio that follows the first one's: it goes on from there.
        received_ms, order, first, shown = 0, 0, 0, 0  # first: the current turn's first word index
        if self._progress and self._progress[0] is script:
            received_ms, first, shown = self._progress[1], self._progress[2], self._progress[2]
        await self._stream(ws, words, received_ms, order, first, shown, script)

    async def _stream(self, ws, words, received_ms, order, first, shown, script) -> None:
        base = received_ms  # word times go out relative to this session's first byte

        def rel(chunk: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
            return [(w, max(0, s - base), max(0, e - base)) for w, s, e in chunk]

        async def finalise(upto: int) -> None:
            nonlocal order, first
            if upto > first:
                await ws.send(self._turn(order, rel(words[first:upto]), True, False))
                await ws.send(self._turn(order, rel(words[first:upto]), True, True))
                order, first = order + 1, upto

        async for message in ws:
            if isinstance(message, bytes):
                received_ms += len(message) // 32
                heard = sum(1 for _, _, e in words if e <= received_ms - self.DELAY_MS)
                if heard > shown:
                    shown = heard
                    await ws.send(self._turn(order, rel(words[first:heard]), False, False))
                elif heard > first and received_ms - words[heard - 1][2] >= self.MAX_TURN_SILENCE_MS + self.DELAY_MS:
                    await finalise(heard)
                self._progress = (script, received_ms, first)
                continue
            if json.loads(message).get("type") == "Terminate":
                await finalise(shown)
                self._progress = (script, received_ms, shown)
                await ws.send(json.dumps({"type": "Termination", "audio_duration_seconds": received_ms // 1000,
                                          "session_duration_seconds": 1}))
                await ws.close()
                return


def _words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() or c.isspace() else " " for c in text).split()


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = _words(reference), _words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[len(hyp)] / max(1, len(ref))


def content_recall(reference: str, hypothesis: str) -> float:
    """The share of the reference's content words (the offline scorer's own stems, stopwords dropped: the
    words an answer is scored on) that the hypothesis has, counted with multiplicity; 1.0 when it has none."""
    from interviewer.services.ai.offline.text import content_stems

    wanted = Counter(content_stems(reference))
    if not wanted:
        return 1.0
    return sum((wanted & Counter(content_stems(hypothesis))).values()) / sum(wanted.values())


def _prepare(data_dir: Path, port: int, assemblyai_host: str | None, real_assemblyai: bool = False) -> None:
    """The throw-away app: environment, embedded Redis (sets REDIS_URL), migrations. ``real_assemblyai``
    keeps the caller's ``ASSEMBLYAI_API_KEY`` and ``ASSEMBLYAI_STREAMING_HOST``."""
    if real_assemblyai:
        if not os.environ.get("ASSEMBLYAI_API_KEY", "").strip():
            raise SystemExit("--real-assemblyai needs ASSEMBLYAI_API_KEY in the environment")
        stt = {"ASSEMBLYAI_API_KEY": os.environ["ASSEMBLYAI_API_KEY"],
               "ASSEMBLYAI_STREAMING_HOST": os.environ.get("ASSEMBLYAI_STREAMING_HOST", "")}
    else:
        stt = {"ASSEMBLYAI_API_KEY": FAKE_KEY if assemblyai_host else "",
               "ASSEMBLYAI_STREAMING_HOST": assemblyai_host or ""}
    os.environ.update(DATA_DIR=str(data_dir), ENVIRONMENT="development", GOOGLE_API_KEY="", **stt,
                      LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"), CORS_ORIGINS=f"http://127.0.0.1:{port}",
                      PUBLIC_URL=f"http://127.0.0.1:{port}")
    for key in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(key, None)
    from interviewer.core.config import reset_settings_cache
    from interviewer.core.redis import redis_url

    reset_settings_cache()
    redis_url()  # the embedded Redis
    from interviewer.manage import migrate

    migrate()


def _make_interview(turns: int, patience: float, questions: list[str] | None = None) -> tuple[str, uuid.UUID]:
    """An interview of ``turns`` questions (no follow-ups), already opened: (token, id). ``questions``: the
    text of each (:data:`GENERIC_QUESTION` where missing or empty)."""
    from interviewer.core.security import utcnow
    from interviewer.db import session_scope
    from interviewer.models import (
        Candidate,
        Company,
        Interview,
        InterviewStatus,
        JobTemplate,
        Question,
    )
    from interviewer.services.interviews import token_hash  # links are stored as hashes

    token = uuid.uuid4().hex
    with session_scope() as s:
        company = Company(name="Bench", settings={"interview": {"max_follow_ups": 0, "patience_seconds": patience}})
        s.add(company)
        s.flush()
        candidate = Candidate(company_id=company.id, name="Bench Candidate", email="bench@example.test")
        job = JobTemplate(company_id=company.id, title="Bench")
        s.add_all([candidate, job])
        s.flush()
        asked = [(questions[i] if questions and i < len(questions) else "") or GENERIC_QUESTION.format(n=i + 1)
                 for i in range(turns)]
        s.add_all([Question(job_template_id=job.id, text=text, position=i, key_points=["anything"])
                   for i, text in enumerate(asked)])
        now = utcnow()
        interview = Interview(company_id=company.id, candidate_id=candidate.id, job_template_id=job.id,
                              token=token_hash(token),
                              status=InterviewStatus.SCHEDULED, scheduled_at=now, expires_at=now + timedelta(days=1),
                              duration_minutes=120)
        s.add(interview)
        s.flush()
        interview_id = interview.id
    from interviewer.services import live_interview as live

    with session_scope() as s:
        live.open_session(s, token)
    return token, interview_id


def _stored_budgets(interview_id: uuid.UUID) -> dict[int, dict]:
    from sqlmodel import select

    from interviewer.db import session_scope
    from interviewer.models import TranscriptEntry

    with session_scope() as s:
        rows = s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id,
                                                    TranscriptEntry.kind == "answer")).all()
        return {r.question_index: dict(r.latency) for r in rows if r.latency}


def _stored_text(interview_id: uuid.UUID) -> dict[int, str]:
    from sqlmodel import select

    from interviewer.db import session_scope
    from interviewer.models import TranscriptEntry

    with session_scope() as s:
        rows = s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id,
                                                    TranscriptEntry.kind == "answer")
                      .order_by(TranscriptEntry.seq)).all()
        text: dict[int, str] = {}
        for r in rows:
            text[r.question_index] = (text.get(r.question_index, "") + " " + r.text).strip()
        return text


def _serve(port: int) -> None:
    import uvicorn

    from interviewer.api.app import create_api

    config = uvicorn.Config(create_api(), host="127.0.0.1", port=port, log_level="warning", ws="auto")
    threading.Thread(target=uvicorn.Server(config).run, daemon=True).start()


async def _run(token: str, port: int, answers: list[Spoken], fake: FakeStreaming | None) -> list[dict]:
    import urllib.request

    import websockets

    ticket_url = f"http://127.0.0.1:{port}/api/v1/interviews/live/{token}/ticket"

    def issue() -> str:
        with urllib.request.urlopen(urllib.request.Request(ticket_url, method="POST")) as r:
            return json.loads(r.read())["ticket"]

    for _ in range(100):
        try:
            ticket = await asyncio.to_thread(issue)
            break
        except OSError:
            await asyncio.sleep(0.1)
    url = f"ws://127.0.0.1:{port}/ws/interview/{token}?ticket={ticket}"
    results: list[dict] = []
    async with websockets.connect(url, origin=f"http://127.0.0.1:{port}", max_size=None) as ws:
        ready = json.loads(await ws.recv())
        step = ready["current"]
        for answer in answers:
            if fake is not None:
                fake.script = answer
            await ws.send(json.dumps({"type": "start_answer", "question_index": step["question_index"]}))
            marks: dict[str, float] = {}
            ended: dict[str, str] = {}

            async def reader(marks: dict[str, float] = marks, ended: dict[str, str] = ended) -> dict:
                # A provisional end (answer_end / next with "provisional") shows the next prompt but
                # keeps the answer open: the page goes on sending audio until a plain "next" settles
                # it, or "reopened" takes the answer back (the candidate went on).
                while True:
                    message = json.loads(await ws.recv())
                    if message["type"] == "answer_end":
                        marks["answer_end"], ended["reason"] = time.perf_counter(), message.get("reason", "")
                        if not message.get("provisional"):
                            marks["final_end"] = marks["answer_end"]
                    elif message["type"] == "next" and message.get("provisional"):
                        marks["shown"] = time.perf_counter()
                    elif message["type"] == "reopened":
                        marks.pop("shown", None)
                        marks["reopened"] = marks.get("reopened", 0) + 1
                    elif message["type"] == "next":
                        marks["next"] = time.perf_counter()
                        return message
                    elif message["type"] == "ready" and message.get("state") == "listening":
                        marks["listening"] = time.perf_counter()

            task = asyncio.create_task(reader())
            while "listening" not in marks:
                await asyncio.sleep(0.005)
            started, last_word_at = time.perf_counter(), None
            for i, offset in enumerate(range(0, len(answer.pcm), FRAME)):
                if "final_end" in marks or "next" in marks:
                    break  # the page stops sending once the server ends the answer for good
                await ws.send(answer.pcm[offset:offset + FRAME])
                if last_word_at is None and offset + FRAME >= answer.last_word_byte:
                    last_word_at = time.perf_counter()
                await asyncio.sleep(max(0.0, started + (i + 1) * FRAME_MS / 1000 - time.perf_counter()))
            step = await asyncio.wait_for(task, timeout=120)
            cut = last_word_at is None or marks["answer_end"] < last_word_at
            shown_at = marks.get("shown", marks["next"])  # a settled provisional prompt was on screen earlier
            results.append({"question_index": len(results), "answer": answer, "cut": cut,
                            "reason": ended.get("reason", ""), "taken_back": int(marks.get("reopened", 0)),
                            "word_to_next": None if cut else shown_at - last_word_at,
                            "answer_end_to_next": shown_at - marks["answer_end"]})
            if step["kind"] == "done":
                break
    return results


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _warm_up() -> None:
    """Load the models a running server has loaded long before the first answer."""
    from interviewer.services.speech import neural_vad
    from interviewer.services.speech.whisper_local import transcribe_pcm

    transcribe_pcm(b"\0" * 16000)
    detectors = [neural_vad.acquire() for _ in range(2)]
    for detector in detectors:
        if detector is not None:
            detector.release()


def _apply_turn_settings(pairs: list[str]) -> None:
    """``NAME=MS`` overrides for every answer's :class:`TurnSettings` (the served app runs in this process)."""
    if not pairs:
        return
    from dataclasses import fields

    from interviewer.live.turn_policy import TurnSettings

    known = {f.name for f in fields(TurnSettings)} - {"patience_ms"}
    overrides: dict[str, int] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in known or not value.strip().isdigit():
            raise SystemExit(f"--turn-setting {pair!r}: NAME=MS with NAME one of {', '.join(sorted(known))}")
        overrides[name] = int(value)
    original = TurnSettings.for_patience.__func__

    def for_patience(cls, seconds, **extra):
        return original(cls, seconds, **{**overrides, **extra})

    TurnSettings.for_patience = classmethod(for_patience)


SPEECH_SETTINGS = ("EARLY_AFTER_SILENCE_MS", "WINDOW_MIN_FRAMES", "WINDOW_MARGIN_FRAMES", "FINAL_BEAM_SIZE")


def _apply_speech_settings(pairs: list[str]) -> None:
    """``NAME=N`` overrides of the local recogniser's module settings (:data:`SPEECH_SETTINGS`)."""
    from interviewer.services.speech import whisper_local

    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in SPEECH_SETTINGS or not value.strip().isdigit():
            raise SystemExit(f"--speech-setting {pair!r}: NAME=N with NAME one of {', '.join(SPEECH_SETTINGS)}")
        setattr(whisper_local, name, int(value))


# word-cue rules a run can switch (interviewer.live.cues): a variant under measurement is off until adopted
# (WH_STRANDING: on since round 11, PHRASAL_ENDINGS: on since round 15; NAME=0 reruns the cues before it)
CUE_FLAGS = ("WH_STRANDING", "PHRASAL_ENDINGS")


def _apply_cue_flags(pairs: list[str]) -> None:
    """``NAME=0|1`` switches of word-cue rules (:data:`CUE_FLAGS`) for this run; the server runs in this process."""
    from interviewer.live import cues

    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in CUE_FLAGS or value not in ("0", "1"):
            raise SystemExit(f"--cue-flag {pair!r}: NAME=0|1 with NAME one of {', '.join(CUE_FLAGS)}")
        setattr(cues, name, value == "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=34)
    parser.add_argument("--stt", choices=("whisper", "assemblyai"), default="whisper")
    parser.add_argument("--patience", type=float, default=3.5, help="the company's patience (seconds)")
    parser.add_argument("--set", dest="which", choices=tuple(SETS), default="dev",
                        help="dev: the answers the rules were checked on; heldout: answers written after them "
                             "(since used to find bugs); fresh .. fresh15: answers written blind, run as "
                             "pre-registered (bench/data/turn/*_preregistration.txt); questions-a, questions-b: "
                             "answers to real interview questions, each asked as its own question")
    parser.add_argument("--verbose", action="store_true", help="one line per answer")
    parser.add_argument("--save-recordings", metavar="DIR",
                        help="write the set's answers as WAV + manifest.json, and stop")
    parser.add_argument("--recordings", metavar="DIR", help="stream the WAV files of DIR/manifest.json instead")
    parser.add_argument("--voices", default=None,
                        help="comma-separated voices instead of the set's espeak-ng ones, e.g. flite:slt,flite:rms,"
                             "festival:cmu_us_slt_arctic_hts (apt-get install flite festival festvox-us-slt-hts)")
    parser.add_argument("--real-assemblyai", action="store_true",
                        help="stream to AssemblyAI itself (ASSEMBLYAI_API_KEY from the environment), not the fake")
    parser.add_argument("--turn-setting", action="append", default=[], metavar="NAME=MS",
                        help="run with a TurnSettings field changed, e.g. unsure_ms=1200 (a variant to measure; "
                             "repeatable)")
    parser.add_argument("--speech-setting", action="append", default=[], metavar="NAME=N",
                        help="run with a local recogniser setting changed, e.g. WINDOW_MIN_FRAMES=1000 (repeatable)")
    parser.add_argument("--cue-flag", action="append", default=[], metavar="NAME=0|1",
                        help=f"run with a word-cue rule switched on or off ({', '.join(CUE_FLAGS)}; repeatable)")
    args = parser.parse_args()
    if args.real_assemblyai:
        args.stt = "assemblyai"
    _apply_turn_settings(args.turn_setting)
    _apply_speech_settings(args.speech_setting)
    _apply_cue_flags(args.cue_flag)
    voices = [v.strip() for v in args.voices.split(",") if v.strip()] if args.voices else None
    if args.save_recordings:
        with tempfile.TemporaryDirectory(prefix="bench-turn-") as tmp:
            answers = build_answers(args.answers, Path(tmp), args.which, voices)
        save_recordings(answers, Path(args.save_recordings),
                        f"bench_turn_latency.py set {args.which}, voices {', '.join(voices or SETS[args.which][2])}")
        print(f"{len(answers)} answers written to {args.save_recordings}")
        return
    data_dir = Path(tempfile.mkdtemp(prefix="bench-turn-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    redis, fake = None, None
    try:
        answers = (load_recordings(Path(args.recordings))[:args.answers] if args.recordings
                   else build_answers(args.answers, data_dir, args.which, voices))
        if args.stt == "assemblyai" and not args.real_assemblyai:
            fake = FakeStreaming().start()
        _prepare(data_dir, port, fake.host if fake else None, args.real_assemblyai)
        token, interview_id = _make_interview(len(answers), args.patience, [a.question for a in answers])
        redis = os.environ.get("REDIS_URL")
        _serve(port)
        _warm_up()
        results = asyncio.run(_run(token, port, answers, fake))
        budgets, heard = _stored_budgets(interview_id), _stored_text(interview_id)
    finally:
        if fake is not None:
            fake.stop()
        if redis:
            from interviewer.core.redis import stop_embedded_redis

            stop_embedded_redis(redis)
        shutil.rmtree(data_dir, ignore_errors=True)
    _report(args, results, budgets, heard)


def _report(args: argparse.Namespace, results: list[dict], budgets: dict[int, dict], heard: dict[int, str]) -> None:
    paused = [r for r in results if r["answer"].paused]
    noisy = [r for r in results if r["answer"].noise]
    print(f"answers: {len(results)} ({len(paused)} with a 1-3 s mid-answer pause, {len(noisy)} with room noise); "
          f"{'recordings ' + args.recordings if args.recordings else 'set ' + args.which}"
          f"{'; voices ' + args.voices if args.voices and not args.recordings else ''}; "
          f"stt {args.stt}{' (the real service)' if args.real_assemblyai else ''}; patience {args.patience} s; "
          f"offline AI; {os.cpu_count()} CPUs"
          f"{'; turn settings ' + ', '.join(args.turn_setting) if args.turn_setting else ''}"
          f"{'; speech settings ' + ', '.join(args.speech_setting) if args.speech_setting else ''}"
          f"{'; cue flags ' + ', '.join(args.cue_flag) if args.cue_flag else ''}")
    cuts = [r for r in results if r["cut"]]
    print(f"cut off before the last word: {len(cuts)}/{len(results)} = {100 * len(cuts) / max(1, len(results)):.1f}%"
          f"  (paused answers: {sum(r['cut'] for r in paused)}/{len(paused)})")
    for r in cuts:
        print(f"  cut: {r['answer'].text!r} ({r['answer'].voice}, {r['answer'].speed} wpm, pause "
              f"{r['answer'].paused} s, reason {r['reason']}; heard {heard.get(r['question_index'], '')!r})")
    back = [r for r in results if r["taken_back"]]
    print(f"taken back (the next prompt was shown, then the candidate went on and the answer reopened): "
          f"{len(back)}/{len(results)}  (paused answers: {sum(bool(r['taken_back']) for r in paused)}/{len(paused)};"
          f" unpaused: {sum(bool(r['taken_back']) for r in results if not r['answer'].paused)})")
    waits = [r["word_to_next"] for r in results if r["word_to_next"] is not None]
    if waits:
        print(f"last word -> next prompt: p50 {_pct(waits, .5):.2f} s  p95 {_pct(waits, .95):.2f} s  "
              f"max {max(waits):.2f} s  (n={len(waits)})")
        for label, rows in (("clean", [r for r in results if not r["answer"].noise]), ("noisy", noisy),
                            ("paused", paused), ("unpaused", [r for r in results if not r["answer"].paused])):
            w = [r["word_to_next"] for r in rows if r["word_to_next"] is not None]
            if w:
                print(f"  {label:9s} p50 {_pct(w, .5):.2f} s  p95 {_pct(w, .95):.2f} s  (n={len(w)})")
    if len(waits) > 1 and results[-1]["word_to_next"] is not None:
        # the last answer's "done" is shown provisionally like any next prompt (until 2026-12-07 it waited the
        # patience); printed apart so runs before and after that change compare
        rest = [r["word_to_next"] for r in results[:-1] if r["word_to_next"] is not None]
        print(f"  the interview's last answer (its provisional \"done\" shown): "
              f"{results[-1]['word_to_next']:.2f} s; the other answers p50 {_pct(rest, .5):.2f} s  "
              f"p95 {_pct(rest, .95):.2f} s  (n={len(rest)})")
    rows = [budgets[r["question_index"]] for r in results if r["question_index"] in budgets]
    if rows:
        print("per-turn budget stored by the server (ms):")
        for part in ("endpoint_ms", "transcript_ms", "decision_ms", "send_ms", "total_ms"):
            values = [float(b[part]) for b in rows if isinstance(b.get(part), (int, float))]
            print(f"  {part:14s} p50 {_pct(values, .5):6.0f}  p95 {_pct(values, .95):6.0f}")
    print("why answers ended:", dict(Counter(r["reason"] for r in results)))
    if args.verbose:
        for r in results:
            a, w = r["answer"], r["word_to_next"]
            print(f"  {'CUT' if r['cut'] else f'{w:.2f}s':6s} {r['reason']:9s} pause {a.paused:.1f} {a.voice:14s} "
                  f"{a.speed} {a.noise or '-':10s} heard {heard.get(r['question_index'], '')!r}")
    errors = [wer(r["answer"].text, heard.get(r["question_index"], "")) for r in results]
    print(f"WER of the stored transcripts: mean {statistics.mean(errors):.3f}  median {statistics.median(errors):.3f}")
    kept = [content_recall(r["answer"].text, heard.get(r["question_index"], "")) for r in results]
    print(f"content words heard (the words scoring reads): mean {statistics.mean(kept):.3f}  "
          f"answers missing any: {sum(k < 1 for k in kept)}/{len(kept)}")


if __name__ == "__main__":
    main()
