"""The interview audio WebSocket through Starlette's TestClient: tickets, Origin, link states,
espeak speech -> a final transcript + a stored entry, drop + resume, flood control, restart."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from interviewer.api import ws as ws_module
from interviewer.live import session as live_session
from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.models import TranscriptEntry
from interviewer.services import live_interview as live
from tests.services.test_live_interview import Q0, make_live_interview, update
from tests.speech.audio import chunks, noise, speech_pcm, word_error_rate

ORIGIN = {"origin": "http://testserver"}
FIRST = "I would use a hash map to count the words"
SECOND = "First I would lowercase every word and remove punctuation"


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("ws-speech")
    return {"first": speech_pcm(FIRST, folder, "first"), "second": speech_pcm(SECOND, folder, "second")}


def ticket(api, token: str) -> str:
    r = api.post(f"/api/v1/interviews/live/{token}/ticket")
    assert r.status_code == 200, r.text
    assert r.json()["expires_in"] == 60
    return r.json()["ticket"]


def url(token: str, ticket_value: str | None) -> str:
    return f"/ws/interview/{token}" + (f"?ticket={ticket_value}" if ticket_value else "")


def refused(api, path: str, headers=ORIGIN) -> tuple[str, int]:
    with api.websocket_connect(path, headers=headers) as ws:
        error = ws.receive_json()
        assert error["type"] == "error", error  # (leaving the block closes an accepted socket)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    return error["code"], closed.value.code


def until(ws, kind: str, limit: int = 200) -> list[dict]:
    seen = []
    for _ in range(limit):
        message = ws.receive_json()
        seen.append(message)
        if message["type"] == kind:
            return seen
    raise AssertionError(f"no {kind!r} message in {seen}")


def send_audio(ws, pcm: bytes) -> None:
    for chunk in chunks(pcm, 100):
        ws.send_bytes(chunk)


def answers(interview_id) -> list[TranscriptEntry]:
    with session_scope() as s:
        return list(s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id,
                                                         TranscriptEntry.kind == "answer")
                           .order_by(TranscriptEntry.seq)).all())


def started() -> object:
    w = make_live_interview()
    with session_scope() as s:
        live.open_session(s, w.token)
    return w


# --- authorisation --------------------------------------------------------------------------------

def test_tickets_are_required_single_use_and_short_lived(api):
    w = started()
    assert refused(api, url(w.token, None)) == ("TICKET_INVALID", 4401)
    assert refused(api, url(w.token, "made-up")) == ("TICKET_INVALID", 4401)
    once = ticket(api, w.token)
    with api.websocket_connect(url(w.token, once), headers=ORIGIN) as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready" and ready["current"]["text"] == Q0 and ready["stt"] == "whisper"
    assert refused(api, url(w.token, once)) == ("TICKET_INVALID", 4401)  # consumed
    stale = ticket(api, w.token)
    get_redis().pexpire(f"live:ticket:{stale}", 20)  # its 60 s have passed
    time.sleep(0.1)
    assert refused(api, url(w.token, stale)) == ("TICKET_INVALID", 4401)


def test_origin_must_be_ours(api):
    w = started()
    assert refused(api, url(w.token, ticket(api, w.token)), {"origin": "https://evil.example"}) == \
        ("ORIGIN_FORBIDDEN", 4403)
    assert refused(api, url(w.token, ticket(api, w.token)), {}) == ("ORIGIN_FORBIDDEN", 4403)


def test_foreign_unknown_and_expired_links_are_refused(api):
    mine, other = started(), make_live_interview(company_name="Globex")
    assert refused(api, url(other.token, ticket(api, mine.token))) == ("TICKET_INVALID", 4401)
    assert api.post(f"/api/v1/interviews/live/{'x' * 43}/ticket").status_code == 404
    pending = ticket(api, other.token)
    update(other.interview_id, expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    assert refused(api, url(other.token, pending)) == ("INTERVIEW_EXPIRED", 4410)
    r = api.post(f"/api/v1/interviews/live/{other.token}/ticket")
    assert r.status_code == 410 and r.json()["error_code"] == "INTERVIEW_EXPIRED"


# --- audio ----------------------------------------------------------------------------------------

def test_speech_through_the_socket_is_transcribed_and_stored(api, speech):
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "start_answer", "question_index": 0})
        listening = ws.receive_json()
        assert (listening["type"], listening["state"], listening["question_index"]) == ("ready", "listening", 0)
        send_audio(ws, noise(400) + speech["first"] + noise(1500, seed=1))
        ws.send_json({"type": "signal", "kind": "tab_hidden", "detail": {"ms": 1200}})
        ws.send_json({"type": "done"})
        messages = until(ws, "next")
    kinds = [m["type"] for m in messages]
    assert "answer_end" in kinds and kinds[-1] == "next"
    finals = [m for m in messages if m["type"] == "final"]
    assert len(finals) == 1 and 1 - word_error_rate(FIRST, finals[0]["text"]) >= 0.6
    step = messages[-1]
    assert step["kind"] == "follow_up" and step["question_index"] == 0 and step["attempt"] == 1
    stored = answers(w.interview_id)
    assert [e.text for e in stored] == [finals[0]["text"]] and stored[0].source == "whisper"
    assert stored[0].seq == finals[0]["seq"] and 0 <= stored[0].started_ms < stored[0].ended_ms


def test_dropped_socket_then_resume_continues_the_same_answer(api, speech):
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        ws.receive_json()
        ws.send_json({"type": "start_answer", "question_index": 0})
        ws.receive_json()
        sent = noise(400) + speech["first"]
        send_audio(ws, sent)  # the connection drops mid-sentence, before any pause
    deadline = time.monotonic() + 60
    while not answers(w.interview_id) and time.monotonic() < deadline:
        time.sleep(0.1)  # the server finalises what was said after the drop
    before = answers(w.interview_id)
    assert len(before) == 1 and 1 - word_error_rate(FIRST, before[0].text) >= 0.6  # finalised on the drop

    sent_ms = len(sent) // 32
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        ready = ws.receive_json()
        assert ready["current"]["question_index"] == 0 and ready["current"]["kind"] == "question"
        # the client replays its last second of audio (already transcribed: skipped), then goes on
        replay = sent[-32_000:]
        ws.send_json({"type": "resume", "question_index": 0, "answer_offset_ms": sent_ms - 1000})
        assert ws.receive_json()["state"] == "listening"
        send_audio(ws, replay + noise(300, seed=3) + speech["second"] + noise(1200, seed=4))
        ws.send_json({"type": "done"})
        messages = until(ws, "next")
    after = answers(w.interview_id)
    assert after[0].id == before[0].id and len(after) == 2
    assert 1 - word_error_rate(SECOND, after[1].text) >= 0.6 and after[1].question_index == 0
    assert after[1].started_ms >= before[0].ended_ms
    assert messages[-1]["kind"] == "follow_up"


def test_oversized_frame_closes_the_socket(api):
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        ws.receive_json()
        ws.send_json({"type": "start_answer", "question_index": 0})
        ws.receive_json()
        ws.send_bytes(b"\0" * (ws_module.MAX_FRAME_BYTES + 2))
        error = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert error["code"] == "FRAME_TOO_LARGE" and closed.value.code == 1009


def test_wrong_question_and_bad_messages_get_errors(api):
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        ws.receive_json()
        ws.send_json({"type": "start_answer", "question_index": 2})
        assert ws.receive_json() | {} == {"type": "next", "kind": "question", "text": Q0, "question_index": 0,
                                         "k": 1, "n": 3, "attempt": 0}
        ws.send_text("not json")
        assert ws.receive_json()["code"] == "BAD_MESSAGE"
        ws.send_json({"type": "done"})  # nothing is being answered: the server says where we are
        assert ws.receive_json()["question_index"] == 0


def test_numbers_out_of_range_are_bad_messages_not_internal_errors(api, caplog):
    """JSON's 1e999 parses as infinity, which no question index or attempt can be: the page is told
    its message is malformed (found by fuzzing the socket; it was a logged INTERNAL_001)."""
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        ws.receive_json()
        for text in ('{"type": "start_answer", "question_index": 1e999}',
                     '{"type": "resume", "question_index": 0, "answer_offset_ms": 1e999}',
                     '{"type": "typed_answer", "question_index": 0, "attempt": -1e999, "text": "x"}'):
            ws.send_text(text)
            assert ws.receive_json()["code"] == "BAD_MESSAGE", text
        ws.send_json({"type": "start_answer", "question_index": 0})  # the socket still works
        assert ws.receive_json()["type"] == "ready"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_server_restart_closes_with_a_resume_hint(api):
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        ws.receive_json()
        api.portal.call(ws_module.close_all_for_restart)
        error = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert error["code"] == "SERVER_RESTART" and error["resume"] is True and closed.value.code == 1012


# --- a database outage mid-interview ---------------------------------------------------------------

def _outage() -> Exception:
    from sqlalchemy.exc import OperationalError

    return OperationalError("SELECT 1", {}, ConnectionError("server closed the connection unexpectedly"))


def flaky(monkeypatch, name: str, failures: int | None) -> list[int]:
    """live.<name> raises a connection error ``failures`` times (None: always), then works."""
    real, calls = getattr(live, name), []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if failures is None or len(calls) <= failures:
            raise _outage()
        return real(*args, **kwargs)
    monkeypatch.setattr(live, name, wrapper)
    return calls


def test_a_short_database_outage_is_waited_out_and_nothing_is_lost(api, speech, monkeypatch):
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        assert ws.receive_json()["type"] == "ready"
        contexts = flaky(monkeypatch, "answer_context", 2)
        utterances = flaky(monkeypatch, "record_utterance", 2)
        finishes = flaky(monkeypatch, "finish_answer", 1)
        ws.send_json({"type": "start_answer", "question_index": 0})
        assert ws.receive_json()["state"] == "listening"  # start_answer survived two failed reads
        send_audio(ws, noise(400) + speech["first"] + noise(1500, seed=1))
        ws.send_json({"type": "done"})
        messages = until(ws, "next")
    assert not [m for m in messages if m["type"] == "error"], messages
    assert len(contexts) == 3 and len(utterances) == 3 and len(finishes) == 2
    finals = [m for m in messages if m["type"] == "final"]
    stored = answers(w.interview_id)
    assert len(finals) == 1 and [e.text for e in stored] == [finals[0]["text"]]  # stored once
    assert messages[-1]["kind"] == "follow_up" and messages[-1]["question_index"] == 0


def test_a_long_outage_is_reported_and_the_socket_stays_usable(api, speech, monkeypatch):
    monkeypatch.setattr(live_session, "OUTAGE_PATIENCE_S", 0.6)
    w = started()
    with api.websocket_connect(url(w.token, ticket(api, w.token)), headers=ORIGIN) as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "start_answer", "question_index": 0})
        assert ws.receive_json()["state"] == "listening"
        flaky(monkeypatch, "finish_answer", None)
        send_audio(ws, noise(400) + speech["first"] + noise(1500, seed=1))
        ws.send_json({"type": "done"})
        messages = until(ws, "error")
        error = messages[-1]
        assert error["code"] == "SVC_001" and error["retry"] is True and "saved" in error["detail"]
        assert len(answers(w.interview_id)) == 1  # what was said is stored all the same
        monkeypatch.undo()  # the database is back: the same socket carries on
        ws.send_json({"type": "done"})
        step = until(ws, "next")[-1]
        assert step["kind"] == "question" and step["question_index"] == 0  # not skipped: asked again
        ws.send_json({"type": "start_answer", "question_index": 0})
        assert ws.receive_json()["state"] == "listening"
        ws.send_json({"type": "done"})
        assert until(ws, "next")[-1]["kind"] == "follow_up"
