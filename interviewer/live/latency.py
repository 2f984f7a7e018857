"""The latency budget of one turn, from the candidate's last word to the next prompt on screen.

Marks (seconds on one monotonic clock, stamped by the transport):

* ``speech_end`` - the candidate's last voiced audio (the end-of-turn decision knows how long
  ago that was);
* ``turn_end`` - the end of the answer was decided (policy, the Done button, time up);
* ``transcribed`` - the final transcript of the answer is stored;
* ``decided`` - the follow-up / next question / done decision is made and stored;
* ``sent`` - the next prompt went out to the candidate's page.

The page then reports its own part (``LiveSession.prompt_shown``): ``show_ms`` from the ``next``
message to the prompt on screen and, with read-aloud on, ``speak_ms`` to its speech starting;
the stored turn then also has ``shown_total_ms`` / ``spoken_total_ms`` (last word -> prompt seen /
heard), which the report's summary uses when present.

:meth:`TurnLatency.record` turns them into the parts stored with the turn (milliseconds):
``endpoint_ms`` (speech end -> turn end: the silence the policy waited), ``transcript_ms``,
``decision_ms``, ``send_ms`` and ``total_ms``; :func:`summarise` gives the report's median and
worst turn.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

PARTS = ("endpoint_ms", "transcript_ms", "decision_ms", "send_ms")
PAGE_PARTS = ("show_ms", "speak_ms")


def turn_total(record: dict[str, Any]) -> Any:
    """Last word -> the prompt as the candidate got it: heard (read-aloud), seen, else sent."""
    for key in ("spoken_total_ms", "shown_total_ms", "total_ms"):
        if isinstance(record.get(key), (int, float)):
            return record[key]
    return None


@dataclass
class TurnLatency:
    speech_end: float | None
    turn_end: float
    reason: str = ""
    transcribed: float | None = None
    decided: float | None = None
    sent: float | None = None

    def record(self, **extra: Any) -> dict[str, Any] | None:
        """The stored parts, or None when the turn never reached the candidate."""
        if self.sent is None or self.transcribed is None or self.decided is None:
            return None
        start = self.speech_end if self.speech_end is not None else self.turn_end

        def ms(a: float, b: float) -> int:
            return max(0, round((b - a) * 1000))

        return {"endpoint_ms": ms(start, self.turn_end), "transcript_ms": ms(self.turn_end, self.transcribed),
                "decision_ms": ms(self.transcribed, self.decided), "send_ms": ms(self.decided, self.sent),
                "total_ms": ms(start, self.sent), "reason": self.reason, **extra}


def summarise(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Median and worst ``total_ms`` over an interview's turns, and the worst turn's biggest part.
    Turns the candidate ended with the Done button are included: they are turns too. A quick end
    the candidate's speech took back (``taken_back``) was no turn: only counted as such."""
    taken_back = sum(1 for r in records if isinstance(r, dict) and r.get("taken_back"))
    rows = [r for r in records if isinstance(r, dict) and not r.get("taken_back") and turn_total(r) is not None]
    if not rows:
        return None
    worst = max(rows, key=turn_total)
    parts = {p: worst.get(p, 0) for p in (*PARTS, *PAGE_PARTS) if isinstance(worst.get(p), (int, float))}
    return {"turns": len(rows), "median_ms": int(statistics.median(turn_total(r) for r in rows)),
            "worst_ms": int(turn_total(worst)), "worst_part": max(parts, key=parts.get) if parts else None,
            "worst_question_index": worst.get("question_index"), "taken_back": taken_back}


PART_WORDS = {"endpoint_ms": "waiting for the end of the answer", "transcript_ms": "transcription",
              "decision_ms": "choosing the next prompt", "send_ms": "sending",
              "show_ms": "showing the prompt", "speak_ms": "starting to read it aloud"}


def describe(summary: dict[str, Any] | None) -> str:
    """One line for HR's report: "Reply time: median 0.7 s, slowest 1.4 s (question 2; mostly
    transcription)", or "" when no spoken turn was measured."""
    if not summary:
        return ""
    where = []
    if isinstance(summary.get("worst_question_index"), int):
        where.append(f"question {summary['worst_question_index'] + 1}")
    if summary.get("worst_part") in PART_WORDS:
        where.append(f"mostly {PART_WORDS[summary['worst_part']]}")
    tail = f" ({'; '.join(where)})" if where else ""
    back = int(summary.get("taken_back") or 0)
    again = (f"; the interviewer moved on too early {back} time{'s' if back != 1 else ''} and gave the answer back"
             if back else "")
    return (f"Reply time over {summary['turns']} spoken turns: median {summary['median_ms'] / 1000:.1f} s, "
            f"slowest {summary['worst_ms'] / 1000:.1f} s{tail}{again}")
