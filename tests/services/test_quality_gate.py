"""The scoring quality gate reads the voiced time of each spoken utterance (speech_ratio)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from interviewer.core.security import utcnow
from interviewer.models import Interview, TranscriptEntry
from interviewer.services.scoring import quality_gate

WORDS = " ".join(["word"] * 30)


def _interview(minutes: float) -> Interview:
    now = utcnow()
    return Interview(company_id=uuid.uuid4(), candidate_id=uuid.uuid4(), token="t",
                     started_at=now - timedelta(minutes=minutes), completed_at=now)


def _answer(q: int, start_s: float, end_s: float, ratio: float | None, source: str = "whisper") -> TranscriptEntry:
    return TranscriptEntry(interview_id=uuid.uuid4(), seq=q + 1, question_index=q, kind="answer",
                           speaker="candidate", text=WORDS, started_ms=int(start_s * 1000),
                           ended_ms=int(end_s * 1000), confidence=0.9, source=source, speech_ratio=ratio)


def test_long_spans_of_mostly_unvoiced_audio_count_as_silence():
    interview = _interview(10)  # 600 s
    # two 60 s utterances: 20% of the interview by span, but only 5% of it voiced
    entries = [_answer(0, 10, 70, 0.25), _answer(1, 200, 260, 0.25)]
    reasons = quality_gate(interview, entries, asked=2)
    assert any(r.startswith("mostly silence: speech in 5%") for r in reasons)


def test_the_same_spans_with_real_speech_pass_the_gate():
    interview = _interview(10)
    entries = [_answer(0, 10, 70, 0.8), _answer(1, 200, 260, 0.8)]
    assert quality_gate(interview, entries, asked=2) == []


def test_unknown_ratio_counts_the_whole_span_and_typed_answers_skip_the_rule():
    interview = _interview(10)
    assert quality_gate(interview, [_answer(0, 10, 70, None), _answer(1, 200, 260, None)], asked=2) == []
    typed = [_answer(0, 10, 11, 0.1), _answer(1, 12, 13, None, source="typed")]
    assert not any("mostly silence" in r for r in quality_gate(interview, typed, asked=2))
