"""What the local recogniser's encoder window costs and hears, answer by answer, without the live path.

Usage (from the repository root)::

    .venv/bin/python bench/bench_whisper_window.py [--sets dev,heldout,...] [--windows 1000,2000,3000]
        [--answers 34] [--verbose]

For each answer of each turn-taking set (``bench_turn_latency.py``'s answers: espeak-ng voices, speeds,
mid-answer pauses, room noise), the whole answer (lead-in, speech, pause, speech, 300 ms after the last
word) is transcribed once per encoder window floor (``whisper_local.WINDOW_MIN_FRAMES``) with the prompt
the live path gives a final transcription (the question, then the verbatim-style tail). Figures per
window: the share of the answer's content words heard (the offline scorer's stems: the words an answer
is scored on), the answers missing any, the word error rate, and the seconds a call takes (p50 / p95).
Decoding is beam search with no temperature fallback, so the same audio gives the same
words: windows are compared on identical audio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_turn_latency as turns  # noqa: E402

AFTER_LAST_WORD = 2 * turns.RATE * 300 // 1000  # bytes: 300 ms of the room after the last word


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="dev,heldout")
    parser.add_argument("--windows", default="1000,2000,3000")
    parser.add_argument("--answers", type=int, default=34)
    parser.add_argument("--verbose", action="store_true", help="one line per answer whose words differ")
    args = parser.parse_args()
    from interviewer.services.speech import whisper_local

    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    windows = [int(w) for w in args.windows.split(",") if w.strip()]
    unknown = [s for s in sets if s not in turns.SETS]
    if unknown or not windows or any(not 100 <= w <= 3000 for w in windows):
        raise SystemExit(f"--sets from {', '.join(turns.SETS)}; --windows between 100 and 3000 frames")
    whisper_local.get_model()
    whisper_local.transcribe_pcm(b"\0" * 32_000)  # warm up
    rows: dict[int, list[tuple[float, float, float]]] = {w: [] for w in windows}
    for name in sets:
        with tempfile.TemporaryDirectory(prefix="bench-window-") as tmp:
            answers = turns.build_answers(args.answers, Path(tmp), name)
        for n, answer in enumerate(answers):
            pcm = answer.pcm[:answer.last_word_byte + AFTER_LAST_WORD]
            asked = answer.question or turns.GENERIC_QUESTION.format(n=n + 1)
            prompt = f"{asked} {whisper_local.VERBATIM_STYLE}"
            heard = {}
            for window in windows:
                whisper_local.WINDOW_MIN_FRAMES = window
                result = whisper_local.transcribe_pcm(pcm, prompt=prompt)
                heard[window] = result.text
                rows[window].append((turns.content_recall(answer.text, result.text),
                                     turns.wer(answer.text, result.text), result.seconds))
            if args.verbose and len(set(heard.values())) > 1:
                print(f"{name} #{n + 1} {answer.voice} {answer.speed} pause {answer.paused} {answer.noise or '-'}: "
                      f"{answer.text!r}")
                for window, text in heard.items():
                    print(f"   {window:5d} {turns.content_recall(answer.text, text):.2f} {text!r}")
    print(f"sets {', '.join(sets)}: {len(rows[windows[0]])} answers; tiny.en int8, "
          f"{whisper_local.cpu_threads()} threads")
    print("window  content heard  answers missing any  WER    call p50  call p95")
    for window in windows:
        recall, errors, seconds = zip(*rows[window])
        p50, p95 = turns._pct(list(seconds), .5), turns._pct(list(seconds), .95)
        print(f"{window:6d}  {statistics.mean(recall):13.3f}  {sum(r < 1 for r in recall):19d}  "
              f"{statistics.mean(errors):.3f}  {p50:7.2f}s  {p95:7.2f}s")


if __name__ == "__main__":
    main()
