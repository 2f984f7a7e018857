"""The Gemini provider through the real google-genai client against a local fake Gemini server."""

from __future__ import annotations

import json
import re

import pytest

from interviewer.core.config import reset_settings_cache
from interviewer.services.ai.gemini import (
    CallSpec,
    GeminiProvider,
    RetryPolicy,
    verbatim,
)
from interviewer.services.ai.judgement import SCORE_RULE, score_from_statuses
from interviewer.services.ai.offline_provider import OfflineProvider
from interviewer.services.ai.provider import (
    AIConfig,
    AIConfigError,
    AIProviderError,
    FairProvider,
    GeneratedQuestion,
    get_provider,
)
from interviewer.services.ai.schemas import ATSResult
from tests.ai.fake_gemini import FakeGemini

QUESTION = "How would you use Redis as a cache in front of PostgreSQL?"
KEY_POINTS = ["Cache-aside: load on miss and store the result",
              "Invalidation: delete or update the key on writes",
              "TTL: expire entries to bound staleness"]


def questions_payload(n: int = 2) -> dict:
    topics = ["caching", "sql", "docker", "testing", "kafka", "linux"]
    return {"questions": [{
        "text": f"Question {i} about {topics[i % 6]}: how would you apply {topics[i % 6]} in production?",
        "key_points": ["first point", "second point", "third point"],
        "kind": "practice" if i % 2 else "theory", "difficulty": "advanced" if i % 2 else "intermediate",
        "topic": topics[i % 6]} for i in range(n)]}


def ats_payload() -> dict:
    sections = {k: {"score": 4, "feedback": f"{k} looks fine."} for k in (
        "contact_info", "format_structure", "professional_summary", "work_experience", "technical_skills",
        "education", "keyword_optimization")}
    return {"score": 12, "summary": "Solid resume.", "section_scores": sections, "highlights": ["Clear"],
            "improvements": ["Quantify"], "keywords_found": ["Python"], "keywords_missing": ["Kubernetes"],
            "formatting_issues": [], "ats_friendly": True}


def judged(point: str, status: str, quotes: list[str] | None = None, *, contradicts: bool = False,
           reason: str = "") -> dict:
    """One item of the model's ``points`` (the AssessmentWire shape)."""
    return {"point": point, "status": status, "quotes": quotes or [], "contradicts": contradicts,
            "reason": reason or f"{status}."}


def assessment_payload(*points: dict, flags: list[str] | None = None, rationale: str = "Judged point by point.") -> dict:
    return {"points": list(points), "flags": flags or [], "rationale": rationale}


@pytest.fixture
def fake():
    server = FakeGemini()
    yield server
    server.close()


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def gemini(fake, waits):
    provider = GeminiProvider(api_key="test-key", base_url=fake.base_url, sleep=waits.append)
    yield provider
    provider.close()


def ask_questions(provider: GeminiProvider, existing: list[str] | None = None, count: int = 2):
    return provider.generate_questions("Backend Engineer", "Python, Redis, PostgreSQL", ["python"],
                                       existing or [], count, None)


# ---------------------------------------------------------------------------------- happy path
def test_good_answer_is_parsed_and_request_is_well_formed(fake, gemini, waits):
    fake.push_json(questions_payload(2))
    questions = ask_questions(gemini)
    assert [type(q) for q in questions] == [GeneratedQuestion, GeneratedQuestion]
    assert questions[0].key_points == ["first point", "second point", "third point"]
    assert {q.kind for q in questions} == {"theory", "practice"}
    assert waits == [] and "test-key" not in repr(gemini)
    (req,) = fake.requests
    assert req.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert req.headers["x-goog-api-key"] == "test-key"
    assert req.headers["x-server-timeout"] == "75"  # explicit per-call timeout (seconds)
    config = req.generation_config
    assert config["temperature"] == 0
    assert config["maxOutputTokens"] == 2048
    assert config["responseMimeType"] == "application/json"
    assert list(config["thinkingConfig"].values()) == [0]  # thinking off (the SDK sends thinking_budget)
    schema = config["responseSchema"]
    assert "questions" in schema["properties"]
    item = schema["properties"]["questions"]["items"]
    assert set(item["properties"]) == {"text", "key_points", "kind", "difficulty", "topic"}
    assert item["properties"]["kind"]["enum"] == ["theory", "practice"]
    assert "additional_properties" not in json.dumps(schema) and "additionalProperties" not in json.dumps(schema)
    assert "Generate 2 technical interview questions" in req.text


def test_ats_uses_8000_tokens_and_the_spec_score_formula(fake, gemini):
    fake.push_json(ats_payload())
    result = gemini.analyze_resume("Jane Roe\nSkills: Python", "Python and Kubernetes")
    assert isinstance(result, ATSResult)
    assert result.score == 80  # sections 4/5 everywhere, no formatting issues: model's 12 replaced
    (req,) = fake.requests
    assert req.generation_config["maxOutputTokens"] == 8000
    assert req.generation_config["temperature"] == 0
    assert set(req.generation_config["responseSchema"]["properties"]) == set(ATSResult.model_fields)
    assert req.headers["x-server-timeout"] == "50"


# ---------------------------------------------------------------------------------- answer scoring
FOUR_POINTS = [*KEY_POINTS, "Stampede: lock or jitter so a hot key is not rebuilt by every request"]
CACHE_ANSWER = ("I would use cache-aside: read Redis first and on a miss load the row from Postgres and store it. "
                "On every write I delete the key so the next read reloads it. Entries also get a TTL, "
                "I think around a minute.")


def statuses(result) -> list[tuple[str, str]]:
    return [(p.point, p.status) for p in result.points]


def test_per_point_reply_gives_the_derived_score_and_the_schema_has_no_score(fake, gemini):
    reply = assessment_payload(
        judged(FOUR_POINTS[0], "covered", ["use cache-aside: read Redis first"]),
        judged(FOUR_POINTS[1], "covered", ["On every write I delete the key"]),
        judged(FOUR_POINTS[2], "partial", ["Entries also get a TTL"]),
        judged(FOUR_POINTS[3], "missed"),
        rationale="Cache-aside and invalidation are explained; the TTL only named.")
    reply["score"] = 5  # a score the model sends anyway is never used
    fake.push_json(reply)
    result = gemini.score_answer(QUESTION, FOUR_POINTS, CACHE_ANSWER)

    assert statuses(result) == list(zip(FOUR_POINTS, ["covered", "covered", "partial", "missed"], strict=True))
    assert result.score == 3.12  # 5 x (2 + 0.5) / 4, by the rule, not the model's 5
    assert result.score == score_from_statuses([("covered", False), ("covered", False), ("partial", False),
                                                ("missed", False)])
    assert result.covered_points == FOUR_POINTS[:2] and result.partial_points == [FOUR_POINTS[2]]
    assert result.missed_points == [FOUR_POINTS[3]]
    assert result.evidence_quotes == ["use cache-aside: read Redis first", "On every write I delete the key",
                                      "Entries also get a TTL"]
    assert all(q in CACHE_ANSWER for q in result.evidence_quotes)
    assert result.flags == [] and result.unsupported_points() == []
    assert result.rationale.startswith("Cache-aside and invalidation")

    (req,) = fake.requests
    assert req.generation_config["maxOutputTokens"] == 2048 and req.generation_config["temperature"] == 0
    assert req.headers["x-server-timeout"] == "25"
    schema = req.generation_config["responseSchema"]
    assert set(schema["properties"]) == {"points", "flags", "rationale"}
    assert "score" not in schema["properties"]
    item = schema["properties"]["points"]["items"]
    assert set(item["properties"]) == {"point", "status", "quotes", "contradicts", "reason"}
    assert item["properties"]["status"]["enum"] == ["covered", "partial", "missed"]
    assert "additionalProperties" not in json.dumps(schema) and "additional_properties" not in json.dumps(schema)
    for kp in FOUR_POINTS:  # the rubric and the rule are in the prompt; the answer is fenced as data
        assert f"- {kp}" in req.text
    assert SCORE_RULE in req.text and f"<answer>\n{CACHE_ANSWER}\n</answer>" in req.text
    # the offline judge's rules for values, two-part points and other languages are the model's too
    from interviewer.services.ai.prompts import (DENIED_PART_RULE, DISMISSAL_RULE, LANGUAGE_RULE, PARTS_RULE,
                                                 STORY_RULE, VALUES_RULE)

    assert VALUES_RULE in req.text and PARTS_RULE in req.text and LANGUAGE_RULE in req.text
    assert STORY_RULE in req.text and DISMISSAL_RULE in req.text and DENIED_PART_RULE in req.text


def test_a_key_point_the_model_skips_is_missed_with_a_note(fake, gemini):
    fake.push_json(assessment_payload(
        judged(FOUR_POINTS[0], "covered", ["use cache-aside"]),
        judged(FOUR_POINTS[1], "covered", ["I delete the key"]),
        judged(FOUR_POINTS[3], "partial", ["I think around a minute"])))  # FOUR_POINTS[2] never judged
    result = gemini.score_answer(QUESTION, FOUR_POINTS, CACHE_ANSWER)
    assert [p.point for p in result.points] == FOUR_POINTS  # every key point, once, in rubric order
    skipped = result.points[2]
    assert skipped.status == "missed" and skipped.quotes == [] and skipped.note == "Not judged by the model."
    assert result.points[3].status == "partial"
    assert result.score == score_from_statuses([("covered", False), ("covered", False), ("missed", False),
                                                ("partial", False)]) == 3.12


def test_an_empty_reply_judges_every_point_missed(fake, gemini):
    fake.push_json(assessment_payload(flags=["not_answered"]))
    result = gemini.score_answer(QUESTION, KEY_POINTS, "I don't know.")
    assert [p.status for p in result.points] == ["missed"] * 3 and result.score == 0.0
    assert result.flags == ["not_answered"]


def test_an_invented_quote_is_dropped_and_flagged(fake, gemini):
    fake.push_json(assessment_payload(
        judged(KEY_POINTS[0], "covered", ["use cache-aside: read Redis first",
                                          "I always benchmark everything first"]),  # not in the answer
        judged(KEY_POINTS[1], "covered", ["I invalidate with pub/sub"]),  # its only quote is invented
        judged(KEY_POINTS[2], "partial", ["“Entries  also get a TTL”"])))  # quote marks, spacing: tolerated
    result = gemini.score_answer(QUESTION, KEY_POINTS, CACHE_ANSWER)
    assert result.points[0].quotes == ["use cache-aside: read Redis first"]
    assert result.points[1].quotes == [] and result.points[2].quotes == ["Entries also get a TTL"]
    assert "unverified_quotes_dropped" in result.flags
    assert result.unsupported_points() == [KEY_POINTS[1]]  # covered on nothing: shown to the scorer as such
    assert all(q in CACHE_ANSWER for p in result.points for q in p.quotes)


def test_verbatim_quotes_raise_no_flag(fake, gemini):
    fake.push_json(assessment_payload(judged(KEY_POINTS[0], "covered", ["use cache-aside", "use cache-aside"]),
                                      judged(KEY_POINTS[1], "missed", ["   "]), judged(KEY_POINTS[2], "missed")))
    result = gemini.score_answer(QUESTION, KEY_POINTS, CACHE_ANSWER)
    assert result.points[0].quotes == ["use cache-aside"] and result.flags == []


def test_a_contradicted_point_is_missed_and_costs_half_a_point(fake, gemini):
    answer = ("Cache-aside: read Redis, on a miss load from Postgres and store it. On writes delete the key. "
              "A TTL is never needed because Redis keeps the cache consistent by itself.")
    wrong_ttl = judged(KEY_POINTS[2], "covered", ["A TTL is never needed"], contradicts=True,
                       reason="Says a TTL is never needed.")
    fake.push_json(assessment_payload(judged(KEY_POINTS[0], "covered", ["on a miss load from Postgres"]),
                                      judged(KEY_POINTS[1], "covered", ["On writes delete the key"]), wrong_ttl,
                                      flags=["contradiction"]))
    result = gemini.score_answer(QUESTION, KEY_POINTS, answer)
    contradicted = result.points[2]
    assert contradicted.status == "missed"  # the model's "covered" does not stand
    assert contradicted.contradiction == "Says a TTL is never needed."
    assert contradicted.quotes == ["A TTL is never needed"]
    assert result.missed_points == [KEY_POINTS[2]] and result.evidence_quotes == [
        "on a miss load from Postgres", "On writes delete the key"]  # the wrong statement is no evidence
    assert result.score == 2.5  # 5 x (1 + 1 - 0.5) / 3
    silent = score_from_statuses([("covered", False), ("covered", False), ("missed", False)])
    assert silent == 3.33 and result.score == round(silent - 5 * 0.5 / 3, 2)  # half a point below silence
    assert "contradiction" in result.flags


def test_contradictions_never_push_the_score_below_zero(fake, gemini):
    fake.push_json(assessment_payload(*(judged(kp, "missed", contradicts=True, reason="wrong") for kp in KEY_POINTS)))
    result = gemini.score_answer(QUESTION, KEY_POINTS, "Redis is a relational database with no expiry.")
    assert result.score == 0.0 and all(p.contradiction == "wrong" for p in result.points)


def test_key_points_are_matched_in_rubric_order_when_the_model_reorders_them(fake, gemini):
    fake.push_json(assessment_payload(
        judged("ttl: expire entries to bound staleness.", "partial", ["Entries also get a TTL"]),  # case, period
        judged("A point the model invented", "covered", ["read Redis first"]),
        judged(KEY_POINTS[1], "missed", reason="Not mentioned."),
        judged("Cache aside: load on miss and store the result", "covered", ["on a miss load the row"])))
    result = gemini.score_answer(QUESTION, KEY_POINTS, CACHE_ANSWER)
    assert statuses(result) == [(KEY_POINTS[0], "covered"), (KEY_POINTS[1], "missed"), (KEY_POINTS[2], "partial")]
    assert result.points[0].quotes == ["on a miss load the row"] and result.points[1].note == "Not mentioned."
    assert "A point the model invented" not in json.dumps(result.model_dump())
    assert result.score == 2.5  # 5 x (1 + 0.5) / 3


def test_follow_up_only_about_a_key_point(fake, gemini):
    fake.push_json({"ask": True, "target_point": KEY_POINTS[2],
                    "question": "How would you bound the staleness of cached entries"})
    fake.push_json({"ask": True, "target_point": "ttl: expire entries to bound staleness",  # same point, loosely
                    "question": "What expiry would you choose."})
    fake.push_json({"ask": True, "target_point": "Your favourite database", "question": "Which database do you like?"})
    fake.push_json({"ask": True, "target_point": "", "question": "Anything else?"})
    fake.push_json({"ask": False, "target_point": "", "question": ""})
    fake.push_json({"ask": True, "target_point": KEY_POINTS[1], "question": "   "})
    assert gemini.follow_up(QUESTION, KEY_POINTS, "cache-aside") == "How would you bound the staleness of cached entries?"
    assert gemini.follow_up(QUESTION, KEY_POINTS, "cache-aside") == "What expiry would you choose?"
    assert gemini.follow_up(QUESTION, KEY_POINTS, "cache-aside") is None  # not a key point of the question
    assert gemini.follow_up(QUESTION, KEY_POINTS, "cache-aside") is None  # no target at all
    assert gemini.follow_up(QUESTION, KEY_POINTS, "everything") is None  # the model says no
    assert gemini.follow_up(QUESTION, KEY_POINTS, "cache-aside") is None  # nothing to ask
    assert len(fake.requests) == 6  # an answer off the rubric is a valid "no", not retried
    schema = fake.requests[0].generation_config["responseSchema"]
    assert set(schema["properties"]) == {"ask", "target_point", "question"}
    assert fake.requests[0].generation_config["maxOutputTokens"] == 512


def test_a_reply_in_the_old_score_shape_is_malformed_and_retried(fake, gemini, waits):
    old = {"score": 4.5, "covered_points": KEY_POINTS, "missed_points": [], "evidence_quotes": ["cache-aside"],
           "flags": [], "rationale": "Good."}
    fake.push_json(old).push_json(assessment_payload(*(judged(kp, "covered", ["cache-aside"]) for kp in KEY_POINTS)))
    result = gemini.score_answer(QUESTION, KEY_POINTS, CACHE_ANSWER)
    assert waits == [3] and len(fake.requests) == 2 and result.score == 5.0


# ---------------------------------------------------------------------------------- retries
def test_two_server_errors_then_success_waits_3_then_6(fake, gemini, waits):
    fake.push_status(500).push_status(503).push_json(questions_payload())
    assert len(ask_questions(gemini)) == 2
    assert waits == [3, 6]
    assert len(fake.requests) == 3


def test_two_rate_limits_then_success_waits_5_then_10(fake, gemini, waits):
    fake.push_status(429).push_status(429).push_json(questions_payload())
    assert len(ask_questions(gemini)) == 2
    assert waits == [5, 10]


def test_wait_follows_the_failure_kind_of_each_attempt(fake, gemini, waits):
    fake.push_status(500).push_status(429).push_json(questions_payload())
    ask_questions(gemini)
    assert waits == [3, 10]


def test_three_server_errors_raise_without_a_wait_after_the_last_attempt(fake, gemini, waits):
    fake.push_status(500).push_status(500).push_status(500).push_json(questions_payload())
    with pytest.raises(AIProviderError) as err:
        ask_questions(gemini)
    assert err.value.code == "AI_502" and err.value.status_code == 502
    assert "after 3 attempts" in err.value.message and "500" in err.value.message
    assert waits == [3, 6]  # 9 s would only follow a 3rd failure if a 4th attempt existed
    assert len(fake.requests) == 3


def test_three_rate_limits_raise(fake, gemini, waits):
    for _ in range(3):
        fake.push_status(429)
    with pytest.raises(AIProviderError):
        ask_questions(gemini)
    assert waits == [5, 10]


def test_fourth_attempt_uses_the_third_wait_of_the_schedule(fake, waits):
    provider = GeminiProvider(api_key="k", base_url=fake.base_url, sleep=waits.append,
                              retry=RetryPolicy(max_attempts=4))
    for _ in range(3):
        fake.push_status(500)
    fake.push_json(questions_payload())
    ask_questions(provider)
    assert waits == [3, 6, 9]


def test_malformed_answers_are_retried(fake, gemini, waits):
    fake.push_text("{not json").push_json({"questions": [{"text": "only text"}]}).push_json(questions_payload())
    assert len(ask_questions(gemini)) == 2
    assert waits == [3, 6]


@pytest.mark.parametrize("script", ["invalid_json", "schema_mismatch", "empty_candidates", "truncated"])
def test_three_malformed_answers_raise_a_clear_error(fake, gemini, waits, script):
    for _ in range(3):
        if script == "invalid_json":
            fake.push_text("Sure! Here are your questions: ...")
        elif script == "schema_mismatch":
            fake.push_json({"questions": [{"text": "Q?", "key_points": ["one"], "kind": "essay"}]})
        elif script == "empty_candidates":
            fake.push_empty()
        else:
            fake.push_text('{"questions": [{"text": "cut o', finish_reason="MAX_TOKENS")
    with pytest.raises(AIProviderError) as err:
        ask_questions(gemini)
    assert "malformed answer" in err.value.message
    assert waits == [3, 6] and len(fake.requests) == 3


def test_a_slow_answer_times_out_and_is_retried(fake, waits):
    calls = {"questions": CallSpec(2048, 0.5)}
    provider = GeminiProvider(api_key="k", base_url=fake.base_url, sleep=waits.append, calls=calls)
    fake.push_slow(questions_payload(), delay=3.0).push_json(questions_payload())
    assert len(ask_questions(provider)) == 2
    assert waits == [3]
    assert fake.requests[0].headers["x-server-timeout"] == "1"


def test_connection_errors_are_retried_then_raise(waits):
    provider = GeminiProvider(api_key="k", base_url="http://127.0.0.1:9", sleep=waits.append)
    with pytest.raises(AIProviderError) as err:
        ask_questions(provider)
    assert "ConnectError" in err.value.message
    assert waits == [3, 6]


def test_client_errors_are_not_retried(fake, gemini, waits):
    fake.push_status(400, "API key not valid")
    with pytest.raises(AIProviderError) as err:
        ask_questions(gemini)
    assert err.value.extra["upstream_status"] == 400
    assert waits == [] and len(fake.requests) == 1


def test_duplicates_of_existing_questions_are_dropped(fake, gemini):
    payload = questions_payload(2)
    payload["questions"][0]["text"] = "Explain the CAP theorem and its practical meaning."
    fake.push_json(payload)
    questions = ask_questions(gemini, existing=["Explain the CAP theorem."])
    assert [q.text for q in questions] == [payload["questions"][1]["text"]]
    assert "Explain the CAP theorem." in fake.requests[0].text  # the model is told, too


# ---------------------------------------------------------------------------------- fairness
def test_the_fake_server_never_sees_personal_details(fake, waits):
    provider = get_provider({"provider": "gemini", "api_key": "company-key"}, base_url=fake.base_url,
                            sleep=waits.append)
    answer = ("Hi, my name is Jane Doe (jane.doe@example.org, +1 415 555 0132). In my last team she and I used "
              "Redis as a cache-aside layer and deleted keys on every write. Jane Doe also set a TTL of a minute.")
    key_points = [*KEY_POINTS, "Explain the trade-off to his manager in plain words"]
    fake.push_json(assessment_payload(
        judged(KEY_POINTS[0], "covered", ["they and I used Redis as a cache-aside layer"]),
        judged(KEY_POINTS[1], "covered", ["deleted keys on every write"]),
        judged(KEY_POINTS[2], "partial", ["[NAME] also set a TTL"]),
        judged("Explain the trade-off to their manager in plain words", "missed")))
    out = provider.score_answer(QUESTION, key_points, answer, candidate_names=["Jane Doe"])

    req = fake.requests[0]
    body = json.dumps(req.body)
    for secret in ("Jane", "Doe", "jane.doe@example.org", "415 555 0132"):
        assert secret not in body
    assert not re.search(r"\b(she|his)\b", body, re.IGNORECASE)
    assert "they and I used Redis" in req.text and "[NAME] also set a TTL" in req.text
    assert req.headers["x-goog-api-key"] == "company-key"
    assert out.provider == "gemini" and out.model == "gemini-2.5-flash"
    assert out.redaction.counts["names"] >= 1 and out.redaction.counts["emails"] == 1
    assert out.redaction.counts["phones"] == 1 and out.redaction.counts["gendered_terms"] == 2

    result = out.result
    assert [p.point for p in result.points] == key_points  # the rubric's own words, "his" included
    assert [p.quotes for p in result.points] == [["she and I used Redis as a cache-aside layer"],
                                                 ["deleted keys on every write"], ["Jane Doe also set a TTL"], []]
    assert all(q in answer for q in result.evidence_quotes)  # the candidate's verbatim words
    assert result.score == 3.12 and result.flags == []  # 5 x (2 + 0.5) / 4


def test_fair_provider_drops_a_quote_the_candidate_never_said(fake, waits):
    with FairProvider(GeminiProvider(api_key="k", base_url=fake.base_url, sleep=waits.append)) as provider:
        fake.push_json(assessment_payload(judged(KEY_POINTS[0], "covered", ["[NAME] loves caching", "cache-aside"]),
                                          judged(KEY_POINTS[1], "missed"), judged(KEY_POINTS[2], "missed")))
        out = provider.score_answer(QUESTION, KEY_POINTS, "Jane Doe here: I use cache-aside with Redis.",
                                    candidate_names=["Jane Doe"])
    assert out.result.points[0].quotes == ["cache-aside"]
    assert out.result.flags == ["unverified_quotes_dropped"]
    assert "Jane" not in fake.requests[0].text


def test_resume_contact_details_are_replaced_by_stand_ins(fake, waits):
    fake.push_json(ats_payload())
    resume = "Jane Doe\njane.doe@example.org | 415-555-0132 | linkedin.com/in/jane-doe-1\nSKILLS\nPython"
    with FairProvider(GeminiProvider(api_key="k", base_url=fake.base_url, sleep=waits.append)) as provider:
        out = provider.analyze_resume(resume, None, candidate_names=["Jane Doe"])
    sent = fake.requests[0].text
    assert "candidate@example.com" in sent and "linkedin.com/in/candidate" in sent
    assert "jane" not in sent.lower() and "415-555-0132" not in sent
    assert out.result.score == 80 and out.redaction.total == 4


def test_auto_mode_falls_back_to_offline_when_gemini_fails(fake, waits):
    provider = get_provider({"api_key": "k"}, base_url=fake.base_url, sleep=waits.append)
    for _ in range(3):
        fake.push_status(500)
    out = provider.generate_questions("Backend Engineer", "Python and PostgreSQL", count=3)
    assert out.provider == "offline" and "gemini failed" in out.fallback_reason
    assert len(out.result) == 3 and waits == [3, 6]


def test_explicit_gemini_does_not_fall_back(fake, waits):
    provider = get_provider({"provider": "gemini", "api_key": "k"}, base_url=fake.base_url, sleep=waits.append)
    for _ in range(3):
        fake.push_status(500)
    with pytest.raises(AIProviderError):
        provider.generate_questions("Backend Engineer", "Python", count=3)


# ---------------------------------------------------------------------------------- factory
@pytest.fixture
def server_key(monkeypatch):
    def set_key(value: str) -> None:
        monkeypatch.setenv("GOOGLE_API_KEY", value)
        reset_settings_cache()
    yield set_key
    monkeypatch.undo()
    reset_settings_cache()


def test_factory_picks_the_provider_from_keys(server_key):
    server_key("")
    assert get_provider().name == "offline"
    assert get_provider({"provider": "auto", "api_key": "  "}).name == "offline"
    assert get_provider({"api_key": "company"}).name == "gemini"
    with pytest.raises(AIConfigError):
        get_provider({"provider": "gemini"})
    server_key("server-key")
    provider = get_provider({"model": "gemini-2.5-pro"})
    assert (provider.name, provider.model) == ("gemini", "gemini-2.5-pro")
    assert isinstance(provider.fallback, OfflineProvider)
    assert get_provider({"provider": "offline"}).name == "offline"


def test_thinking_is_left_alone_on_models_that_cannot_disable_it(fake, waits):
    provider = GeminiProvider(api_key="k", model="gemini-2.5-pro", base_url=fake.base_url, sleep=waits.append)
    fake.push_json(questions_payload())
    ask_questions(provider)
    assert "thinkingConfig" not in fake.requests[0].generation_config
    assert fake.requests[0].model == "gemini-2.5-pro"


def test_ai_config_validation():
    config = AIConfig.model_validate({"thresholds": {"pass": 80, "review": 60}, "custom_prompt": "Be kind"})
    assert config.thresholds.pass_ == 80 and config.thresholds.verdict(79.5) == "REVIEW"
    assert config.thresholds.verdict(80) == "PASS" and config.thresholds.verdict(10) == "FAIL"
    assert AIConfig().thresholds.model_dump(by_alias=True) == {"pass": 70, "review": 50}
    for bad in ({"thresholds": {"pass": 50, "review": 50}}, {"thresholds": {"pass": 101, "review": 50}},
                {"thresholds": {"pass": 70, "review": -1}}, {"provider": "openai"}, {"model": "../etc"},
                {"unknown": 1}):
        with pytest.raises(ValueError):
            AIConfig.model_validate(bad)
    public = AIConfig(api_key="secret").public_dict()
    assert public["api_key_set"] is True and "secret" not in json.dumps(public)


def test_verbatim_tolerates_whitespace_and_quote_marks():
    answer = "First I  check\nthe plan. Then I add an index."
    assert verbatim(answer, "“I check the plan.”") == "I  check\nthe plan."
    assert verbatim(answer, "I always check the plan") is None
    assert verbatim(answer, "I  check\nthe plan") == "I  check\nthe plan"
    assert verbatim(answer, '"check the plan"') == "check\nthe plan"
    assert verbatim(answer, "   ") is None


def test_near_identical_key_points_are_matched_exactly_first(fake, gemini):
    """"Read committed" is 93% like "Read uncommitted": a reordered reply must not swap them."""
    levels = ["Read uncommitted", "Read committed", "Repeatable read", "Serializable"]
    answer = "Read committed only shows committed rows. Serializable behaves as if transactions ran one by one."
    fake.push_json(assessment_payload(
        judged("Serializable", "covered", ["Serializable behaves as if transactions ran one by one"]),
        judged("Read committed", "covered", ["Read committed only shows committed rows"]),
        judged("Repeatable read", "missed"),
        judged("Read uncommitted", "missed")))
    result = gemini.score_answer("Name the SQL isolation levels.", levels, answer)
    assert statuses(result) == [("Read uncommitted", "missed"), ("Read committed", "covered"),
                                ("Repeatable read", "missed"), ("Serializable", "covered")]
    assert result.points[1].quotes == ["Read committed only shows committed rows"]
    assert result.score == 2.5


def test_a_point_judged_twice_keeps_its_first_judgement(fake, gemini):
    levels = ["Read uncommitted", "Read committed"]
    fake.push_json(assessment_payload(judged("Read committed", "covered", ["Read committed hides dirty rows"]),
                                      judged("read committed", "partial")))  # a repeat: not "Read uncommitted"
    result = gemini.score_answer("Name two isolation levels.", levels, "Read committed hides dirty rows.")
    assert statuses(result) == [("Read uncommitted", "missed"), ("Read committed", "covered")]
    assert result.points[0].note == "Not judged by the model."
