"""The scoring benchmarks' ``--provider`` path (bench/provider_judge.py): answers judged through the
product's provider (redaction, the real google-genai client against the local fake Gemini, quote
restoration), the score derived by the product's rule, and a cache that makes a repeated run call
nothing and never keeps a failed call."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from interviewer.core.config import reset_settings_cache
from interviewer.services.ai.offline.answer_scoring import score_answer
from interviewer.services.ai.provider import AIProviderError
from tests.ai.fake_gemini import FakeGemini
from tests.ai.test_gemini_provider import KEY_POINTS, QUESTION, assessment_payload, judged

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import provider_judge  # noqa: E402

ANSWER = "On a miss I load the row from Postgres and store it in Redis with a TTL of five minutes."


def options(provider: str, cache: Path, **extra) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    provider_judge.add_arguments(parser)
    return parser.parse_args(["--provider", provider, "--cache", str(cache),
                              *(x for k, v in extra.items() for x in (f"--{k}", str(v)))])


@pytest.fixture
def fake(monkeypatch):
    server = FakeGemini()
    monkeypatch.setenv("GOOGLE_API_KEY", "bench-key")
    monkeypatch.setenv("GEMINI_BASE_URL", server.base_url)
    reset_settings_cache()
    yield server
    server.close()
    reset_settings_cache()


def test_gemini_judgement_goes_through_the_product_path_and_is_cached(fake, tmp_path):
    cache = tmp_path / "gemini.jsonl"
    fake.push_json(assessment_payload(
        judged(KEY_POINTS[0], "covered", ["On a miss I load the row from Postgres and store it in Redis"]),
        judged(KEY_POINTS[1], "missed"),
        judged(KEY_POINTS[2], "partial", ["with a TTL of five minutes"])))
    provider = provider_judge.from_args(options("gemini", cache))
    assert provider.name == "gemini"

    first = provider.judge(QUESTION, KEY_POINTS, ANSWER)
    assert len(fake.requests) == 1
    assert QUESTION in fake.requests[0].text and ANSWER in fake.requests[0].text
    # the product's rule on the statuses: 5 x (1 + 0.5) / 3
    assert first.score == pytest.approx(2.5)
    assert [p.status for p in first.points] == ["covered", "missed", "partial"]
    assert first.points[0].quotes == ["On a miss I load the row from Postgres and store it in Redis"]
    assert provider.calls == 1 and provider.hits == 0

    again = provider_judge.from_args(options("gemini", cache))  # a new run reads the same file
    second = again.judge(QUESTION, KEY_POINTS, ANSWER)
    assert len(fake.requests) == 1, "a cached judgement must not call the provider again"
    assert again.hits == 1 and again.calls == 0
    assert second.score == first.score
    assert [p.model_dump() for p in second.points] == [p.model_dump() for p in first.points]

    # another answer, or the same answer with a wrong idea listed, is another judgement
    fake.push_json(assessment_payload(*(judged(kp, "missed") for kp in KEY_POINTS)))
    other = again.judge(QUESTION, KEY_POINTS, ANSWER, red_flags=["Redis is the source of truth"])
    assert len(fake.requests) == 2 and other.score == 0
    assert "Redis is the source of truth" in fake.requests[1].text
    assert len(cache.read_text().splitlines()) == 2


def test_a_failed_call_stops_the_run_and_is_not_cached(fake, tmp_path, monkeypatch):
    cache = tmp_path / "gemini.jsonl"
    provider = provider_judge.from_args(options("gemini", cache))
    monkeypatch.setattr(provider.inner.inner, "sleep", lambda seconds: None)  # the provider's own retries
    for _ in range(3):
        fake.push_status(500)
    with pytest.raises(AIProviderError):
        provider.judge(QUESTION, KEY_POINTS, ANSWER)
    assert len(fake.requests) == 3
    assert not cache.exists() or not cache.read_text().strip()
    assert provider.calls == 0


def test_offline_through_the_provider_path_matches_the_judge_called_directly(tmp_path):
    provider = provider_judge.from_args(options("offline", tmp_path / "offline.jsonl"))
    direct = score_answer(QUESTION, KEY_POINTS, ANSWER)
    through = provider.judge(QUESTION, KEY_POINTS, ANSWER)
    assert through.score == pytest.approx(direct.score)
    assert [p.status for p in through.points] == [p.status for p in direct.points]
    entry = json.loads((tmp_path / "offline.jsonl").read_text().splitlines()[0])
    assert entry["provider"] == "offline" and entry["assessment"]["points"][0]["point"] == KEY_POINTS[0]


def test_pace_spaces_calls(tmp_path, monkeypatch):
    provider = provider_judge.from_args(options("offline", tmp_path / "o.jsonl", rpm=30))
    now = [100.0]
    waits: list[float] = []
    monkeypatch.setattr(provider_judge.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(provider_judge.time, "sleep", lambda s: (waits.append(s), now.__setitem__(0, now[0] + s)))
    provider.judge(QUESTION, KEY_POINTS, ANSWER)
    provider.judge(QUESTION, KEY_POINTS, ANSWER + " Writes delete the key.")
    provider.judge(QUESTION, KEY_POINTS, ANSWER)  # cached: no call, no wait
    assert waits == [pytest.approx(2.0)]
