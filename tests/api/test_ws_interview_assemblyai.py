"""A whole interview over the audio WebSocket with speech-to-text through AssemblyAI streaming v3:
the real SDK against the fake server of ``tests/speech/fake_assemblyai.py`` on 127.0.0.1.

Every prompt (questions and the offline provider's follow-ups) is answered with espeak-ng speech
streamed in 100 ms frames and ``done``; the stored answers carry ``source = "assemblyai"`` and the
fake server's words, the last answer completes the interview and ``process_interview`` is queued.
"""

from __future__ import annotations

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    Interview,
    InterviewStatus,
    TranscriptEntry,
)
from interviewer.services import live_interview as live
from tests.api.test_ws_interview import ORIGIN, send_audio, ticket, url
from tests.factories import environment
from tests.services.test_live_interview import (
    Q0,
    Q1,
    Q2,
    high_queue_jobs,
    make_live_interview,
)
from tests.speech.audio import noise, speech_pcm
from tests.speech.fake_assemblyai import API_KEY, FakeAssemblyAI

SPOKEN = "I would use a hash map to count the words"
HEARD = ["i", "would", "use", "a", "hash", "map", "to", "count", "the", "words"]  # what the fake server "recognises"
HEARD_FINAL = "I would use a hash map to count the words."  # its formatted final turn
MAX_TURNS = 12  # 3 questions + at most 2 follow-ups each, with room to spare


@pytest.fixture(scope="module")
def spoken(tmp_path_factory) -> bytes:
    return noise(300) + speech_pcm(SPOKEN, tmp_path_factory.mktemp("ws-aai"), "answer") + noise(500, seed=1)


@pytest.fixture
def assemblyai():
    """The fake AssemblyAI server, and the settings pointing at it (both restored afterwards)."""
    with FakeAssemblyAI(HEARD) as server, environment(ASSEMBLYAI_API_KEY=API_KEY,
                                                      ASSEMBLYAI_STREAMING_HOST=server.host):
        yield server


def answers(interview_id) -> list[TranscriptEntry]:
    with session_scope() as s:
        return list(s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id,
                                                         TranscriptEntry.kind == "answer")
                           .order_by(TranscriptEntry.seq)).all())


def answer_turn(ws, step: dict, pcm: bytes) -> tuple[list[dict], dict]:
    """start_answer, stream the speech, done; returns (messages up to next, next)."""
    ws.send_json({"type": "start_answer", "question_index": step["question_index"]})
    listening = ws.receive_json()
    assert (listening["type"], listening["state"]) == ("ready", "listening"), listening
    assert listening["question_index"] == step["question_index"] and listening["attempt"] == step["attempt"]
    send_audio(ws, pcm)
    ws.send_json({"type": "done"})
    seen = []
    for _ in range(500):
        message = ws.receive_json()
        seen.append(message)
        if message["type"] == "next":
            return seen, message
        assert message["type"] != "error", message
    raise AssertionError(f"no 'next' in {seen}")


def test_whole_interview_through_assemblyai_streaming(api, assemblyai, spoken):
    w = make_live_interview()
    with session_scope() as s:
        live.open_session(s, w.token)
    turns: list[dict] = []  # the step answered and the finals the socket reported for it
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready" and ready["stt"] == "assemblyai"
        step = ready["current"]
        assert step["text"] == Q0
        for _ in range(MAX_TURNS):
            messages, following = answer_turn(ws, step, spoken)
            kinds = [m["type"] for m in messages]
            assert "answer_end" in kinds and kinds.index("answer_end") < kinds.index("final"), kinds
            turns.append({"step": step, "finals": [m for m in messages if m["type"] == "final"],
                          "partials": [m for m in messages if m["type"] == "partial"]})
            step = following
            if step["kind"] == "done":
                break
        else:
            raise AssertionError(f"the interview did not end within {MAX_TURNS} answers")
        with pytest.raises(WebSocketDisconnect) as closed:  # the server closes once the interview is done
            ws.receive_json()
    assert closed.value.code == 1000

    # every prompt was answered, all three questions in order, each answer one formatted final
    asked = [t["step"] for t in turns]
    assert [s["question_index"] for s in asked if s["kind"] == "question"] == [0, 1, 2]
    assert [s["text"] for s in asked if s["kind"] == "question"] == [Q0, Q1, Q2]
    for turn in turns:
        assert [f["text"] for f in turn["finals"]] == [HEARD_FINAL], turn
        assert turn["finals"][0]["source"] == "assemblyai"
        assert turn["partials"] and turn["partials"][0]["text"] == "i"  # the fake's partial turns got through

    # the stored transcript: one assemblyai entry per answered prompt, with the fake's words and timings
    stored = answers(w.interview_id)
    assert len(stored) == len(turns)
    assert {e.source for e in stored} == {"assemblyai"}
    assert [e.text for e in stored] == [HEARD_FINAL] * len(turns)
    assert [e.question_index for e in stored] == [t["step"]["question_index"] for t in turns]
    assert [e.seq for e in stored] == [t["finals"][0]["seq"] for t in turns]
    for entry in stored:
        assert entry.confidence == pytest.approx(0.9)
        assert 0.3 < entry.speech_ratio <= 1  # our VAD's voiced share of the turn, stored for the quality gate
        assert entry.ended_ms - entry.started_ms == 400 * (len(HEARD) - 1) + 350  # the fake's word timings

    # the fake server saw one authenticated, terminated session per answer, with all of its audio
    sessions = [s for s in assemblyai.sessions if s["path"] == "/v3/ws"]
    assert len(sessions) == len(turns)
    assert all(s["auth"] == API_KEY and s["terminated"] and s["audio"] == len(spoken) for s in sessions)

    # completed, with process_interview queued exactly once (complete() again is a no-op)
    with session_scope() as s:
        interview = s.get(Interview, w.interview_id)
        assert interview.status == InterviewStatus.COMPLETED and interview.completed_at is not None
        assert HEARD_FINAL in interview.transcript
        assert s.get(Candidate, w.candidate_id).status == CandidateStatus.INTERVIEWED
    with session_scope() as s:
        assert live.complete(s, w.token)["status"] == "completed"
    assert high_queue_jobs() == ["interviewer.jobs.tasks.process_interview"]
