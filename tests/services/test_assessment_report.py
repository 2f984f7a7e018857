"""A whole scored interview: the report's lists, evidence and scores all come from one per-point
judgement, gaming answers do not pass, and a missing quote sends the question to a person."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import Interview, InterviewScore, InterviewStatus, JobTemplate, Question, TranscriptEntry, Verdict
from interviewer.services import scoring
from interviewer.services.ai.judgement import NOT_JUDGED_FLAGS, AnswerAssessment, PointAssessment, score_from_statuses
from interviewer.services.ai.offline_provider import OfflineProvider
from interviewer.services.ai.provider import FairProvider
from tests.factories import make_candidate, make_tenant

UPLOADS = ("Design the backend for file uploads that users can share by a link. How do you store files and "
           "expire links?",
           ["Storage: object storage for the files, metadata in a database",
            "Links: presigned or signed URLs",
            "Uploads: chunked or resumable uploads for large files",
            "Validation: size limits, type checks and malware scanning",
            "Expiry: links stop working after a set time"])
QUEUE = ("How would you handle messages that keep failing in a consumer?",
         ["Retries: a limited number of retries with backoff",
          "Dead-letter queue: move poison messages aside for inspection",
          "Idempotency: consumers tolerate duplicate deliveries",
          "Alerting: monitor the dead-letter queue size"])
CACHE = ("What cache invalidation strategies do you know, and what are their trade-offs?",
         ["TTL: entries expire after a time, simple but stale in between",
          "Write-through: update the cache on every write",
          "Cache-aside: the application loads on miss and deletes on write",
          "Consistency: stale reads versus complexity"])
QUESTIONS = [UPLOADS, QUEUE, CACHE]
HEDGED_UPLOAD = ("I would store files in S3 with metadata in Postgres and give out signed links that expire. "
                 "I am not sure; I would look it up and test it.")
GOOD = [
    "Robin here. The files go to an object store like S3, and a row in Postgres keeps the owner, size and name. "
    "Big files are uploaded in chunks so a dropped connection can resume. We check the size and type and run a "
    "virus scan. Each share link is signed and expires after a set time.",
    "I retry a few times with exponential backoff, and after that the message goes to a dead-letter queue so it "
    "stops blocking the others and someone can inspect it. Handlers are idempotent because a message can be "
    "delivered twice, and we alert when the dead-letter queue grows.",
    "A TTL is the simplest: entries expire after some time, but you can read stale data until then. With "
    "write-through every write also updates the cache. With cache-aside the app loads the value on a miss and "
    "deletes the cached entry when it writes. It is always a trade-off between stale reads and complexity.",
]


def key_point_salad(key_points: list[str]) -> str:
    """The key points' own content words strung together with no sentence (a gaming answer)."""
    from interviewer.services.ai.offline.answer_scoring import FUNCTION_WORDS

    words = [w for kp in key_points for w in re.findall(r"[a-z0-9-]+", kp.lower()) if w not in FUNCTION_WORDS]
    return " ".join(dict.fromkeys(words))


def _interview(tenant, answers: list[str], questions=QUESTIONS) -> uuid.UUID:
    cand = make_candidate(tenant.company.id, f"{uuid.uuid4().hex[:8]}@example.test", name="Robin Rivera")
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title="Backend Engineer")
        s.add(job)
        s.flush()
        qs = [Question(job_template_id=job.id, text=text, weight=1, position=i, key_points=list(kps))
              for i, (text, kps) in enumerate(questions)]
        s.add_all(qs)
        iv = Interview(company_id=tenant.company.id, candidate_id=cand.id, job_template_id=job.id,
                       token=uuid.uuid4().hex, status=InterviewStatus.COMPLETED,
                       started_at=utcnow() - timedelta(minutes=12), completed_at=utcnow())
        s.add(iv)
        s.flush()
        seq = 0
        for i, q in enumerate(qs):
            s.add(TranscriptEntry(interview_id=iv.id, seq=seq, question_index=i, kind="question",
                                  speaker="interviewer", text=q.text, started_ms=i * 200_000))
            s.add(TranscriptEntry(interview_id=iv.id, seq=seq + 1, question_index=i, kind="answer",
                                  speaker="candidate", text=answers[i], started_ms=i * 200_000 + 5000,
                                  ended_ms=i * 200_000 + 150_000, confidence=0.92, source="typed"))
            seq += 2
        return iv.id


def _check_consistent(report: dict) -> None:
    """Everything shown for a question derives from its per-point judgement."""
    assert report["scorer"]["provider"] and report["scorer"]["model"] and report["scorer"]["version"]
    total, weights = 0.0, 0
    for q in report["questions"]:
        if q["status"] == "not asked" or NOT_JUDGED_FLAGS & set(q.get("flags") or []):
            continue  # left out of the total: a person reads it (and the verdict says so)
        weights += q["weight"]
        points = q["points"]
        assert [p["point"] for p in points] == q["key_points"]
        if q["status"] != "answered":
            continue
        assert q["score"] == score_from_statuses([(p["status"], p["contradiction"] is not None) for p in points])
        assert q["covered_points"] == [p["point"] for p in points if p["status"] == "covered"]
        assert q["partial_points"] == [p["point"] for p in points if p["status"] == "partial"]
        assert q["missed_points"] == [p["point"] for p in points if p["status"] == "missed"]
        assert q["evidence"] == list(dict.fromkeys(x for p in points if p["status"] != "missed" for x in p["quotes"]))
        for p in points:
            assert all(quote in q["answer"] for quote in p["quotes"])  # verbatim, names restored
            if p["status"] != "missed":
                assert p["quotes"], f"{p['point']} is {p['status']} without a quote"
            elif not p["contradiction"] and not p.get("doubt"):
                assert not p["quotes"]  # a missed point never has evidence that states it (a doubted one
                #                         quotes the sentence the doubt is about)
        total += q["score"] / 5 * q["weight"]
    assert report["score"] == (round(100 * total / weights) if weights else 0)
    if any(NOT_JUDGED_FLAGS & set(q.get("flags") or []) for q in report["questions"]):
        assert report["verdict"] == "REVIEW"


def test_a_good_hedged_typed_answer_keeps_its_quotes_and_score():
    tenant = make_tenant()
    interview_id = _interview(tenant, [HEDGED_UPLOAD, GOOD[1], GOOD[2]])
    report = scoring.score_interview(interview_id)
    first = report["questions"][0]
    assert first["score"] >= 2.0, first["rationale"]  # storage, links and expiry are in it
    assert "no evidence" not in " ".join(first["flags"]) and "evidence_missing" not in first["flags"]
    quoted = " ".join(first["evidence"])
    assert "signed links that expire" in quoted and "S3" in quoted
    assert report["verdict"] != "FAIL"
    _check_consistent(report)


def test_report_lists_evidence_and_score_agree_and_names_are_restored():
    tenant = make_tenant()
    interview_id = _interview(tenant, GOOD)
    report = scoring.score_interview(interview_id)
    _check_consistent(report)
    assert report["verdict"] == "PASS" and report["score"] >= 70
    # the candidate's name was redacted before scoring and is back in the quotes
    assert report["fairness"]["redacted"]["names"] >= 1
    assert any("Robin here." in quote for quote in report["questions"][0]["evidence"]) or \
        "Robin" not in " ".join(report["questions"][0]["evidence"]).replace("Robin here.", "")
    expiry = next(p for p in report["questions"][0]["points"] if p["point"].startswith("Expiry"))
    assert expiry["status"] != "missed" and any("expires after a set time" in q for q in expiry["quotes"])


@pytest.mark.parametrize("prefix", ["", "I don't know. "])
def test_an_interview_of_keyword_salads_does_not_pass(prefix):
    tenant = make_tenant()
    salads = [prefix + key_point_salad(kps) for _, kps in QUESTIONS]
    report = scoring.score_interview(_interview(tenant, salads))
    assert report["verdict"] != "PASS"
    assert report["score"] <= 20
    assert all(q["score"] <= 1.5 for q in report["questions"])
    _check_consistent(report)


def test_an_interview_of_echoed_questions_does_not_pass():
    tenant = make_tenant()
    echoes = [f"So the question is: {text} Yes, that is an important question." for text, _ in QUESTIONS]
    report = scoring.score_interview(_interview(tenant, echoes))
    assert report["verdict"] != "PASS" and report["score"] <= 20


class _NoQuotes(OfflineProvider):
    """Judges like the offline provider but drops every quote, as a model might."""

    def score_answer(self, question, key_points, answer_transcript, red_flags=()):
        judged = super().score_answer(question, key_points, answer_transcript)
        return AnswerAssessment(points=[PointAssessment(point=p.point, status=p.status, quotes=[])
                                        for p in judged.points], flags=judged.flags, rationale=judged.rationale)


def test_a_judgement_without_quotes_goes_to_review_with_the_reason(monkeypatch):
    tenant = make_tenant()
    interview_id = _interview(tenant, GOOD)
    monkeypatch.setattr(scoring, "provider_for_company", lambda session, company_id: FairProvider(_NoQuotes()))
    report = scoring.score_interview(interview_id)
    assert report["verdict"] == "REVIEW"
    assert any("without a quote" in reason for reason in report["quality_gate"])
    assert all("evidence_missing" in q["flags"] for q in report["questions"])
    assert report["questions"][0]["score"] > 0  # not zeroed: a person decides


SPANISH_QUEUE = ("Reintento unas pocas veces con espera exponencial y después el mensaje va a una cola de mensajes "
                 "muertos para que alguien lo revise. Los consumidores son idempotentes porque un mensaje puede "
                 "llegar dos veces, y hay una alerta cuando la cola crece.")


def test_an_answer_in_another_language_goes_to_review_instead_of_failing():
    """The offline analysis reads English only: a right answer in Spanish is not a 0 that fails the
    candidate; the question is sent to a person with the reason."""
    tenant = make_tenant()
    interview_id = _interview(tenant, [GOOD[0], SPANISH_QUEUE, GOOD[2]])
    report = scoring.score_interview(interview_id)
    assert report["verdict"] == "REVIEW"
    assert any("question 2" in r and "not in English" in r for r in report["quality_gate"]), report["quality_gate"]
    second = report["questions"][1]
    assert second["flags"] == ["not_english"] and second["review_reasons"]
    assert all(p["note"] == "Not judged: the answer is not in English." for p in second["points"])
    assert report["questions"][0]["score"] >= 4.0 and report["questions"][2]["score"] >= 4.0  # the rest is judged
    _check_consistent(report)


FEEDBACK = ("Tell me about a time you received critical feedback. How did you respond?",
            ["Situation: the feedback and who gave it", "Response: listened without getting defensive",
             "Action: concrete changes made", "Result: how it improved your work"])
FEEDBACK_STORY = ("In my first review my manager told me my pull requests were too big and hard to review. My first "
                  "instinct was to explain why, but I stopped and asked her for examples instead. After that I split "
                  "my work into small pull requests and wrote a clear description for each. Review times dropped "
                  "from days to hours.")


def test_a_story_is_left_to_a_person_and_out_of_the_total_instead_of_failing():
    """Offline, a real story scored by word similarity against "Situation: the feedback and who gave
    it" came out near 0: the question goes to a person with the reason, the total is the judged
    questions' alone, and the story's points read "not judged", not "missed"."""
    tenant = make_tenant()
    interview_id = _interview(tenant, [GOOD[0], FEEDBACK_STORY, GOOD[2]], questions=[UPLOADS, FEEDBACK, CACHE])
    report = scoring.score_interview(interview_id)
    story = report["questions"][1]
    assert story["flags"] == ["story"] and story["review_reasons"]
    assert all(p["note"].startswith("Not judged") and not p["quotes"] for p in story["points"])
    assert report["verdict"] == "REVIEW"
    assert any(r.startswith("question 2:") and "story" in r for r in report["quality_gate"]), report["quality_gate"]
    first, third = report["questions"][0]["score"], report["questions"][2]["score"]
    assert first >= 4.0 and third >= 4.0
    assert report["score"] == round(100 * (first / 5 + third / 5) / 2)  # the story is not a 0 in the total
    _check_consistent(report)


def test_the_key_points_said_back_to_a_story_question_earn_nothing():
    tenant = make_tenant()
    read_back = ("I received feedback from someone, listened without getting defensive, made concrete changes, "
                 "and it improved my work.")
    interview_id = _interview(tenant, [GOOD[0], read_back, GOOD[2]], questions=[UPLOADS, FEEDBACK, CACHE])
    report = scoring.score_interview(interview_id)
    second = report["questions"][1]
    assert "no_story" in second["flags"] and second["score"] == 0.0
    assert all(p["status"] == "missed" for p in second["points"])
    _check_consistent(report)


def test_a_question_without_key_points_goes_to_review_and_scoring_finishes():
    tenant = make_tenant()
    interview_id = _interview(tenant, GOOD, questions=[UPLOADS, (QUEUE[0], []), CACHE])
    report = scoring.score_interview(interview_id)
    assert report["verdict"] == "REVIEW"
    assert any("no key points" in reason for reason in report["quality_gate"])
    with session_scope() as s:
        assert s.get(Interview, interview_id).scoring_status == "completed"


def test_scoring_the_same_transcript_again_gives_the_same_verdict_and_keeps_history():
    tenant = make_tenant()
    interview_id = _interview(tenant, GOOD)
    first = scoring.score_interview(interview_id)
    again = scoring.score_interview(interview_id, rescore_reason="checking reproducibility", request_id="r1")
    assert (again["score"], again["verdict"]) == (first["score"], first["verdict"])
    assert [q["points"] for q in again["questions"]] == [q["points"] for q in first["questions"]]
    # a redelivered job for the same request writes nothing more
    assert scoring.score_interview(interview_id, rescore_reason="checking reproducibility", request_id="r1") is None
    with session_scope() as s:
        versions = s.exec(select(InterviewScore.version).where(InterviewScore.interview_id == interview_id)).all()
        assert sorted(versions) == [1, 2]
        assert s.get(Interview, interview_id).verdict == Verdict(first["verdict"])


def test_salad_helper_uses_only_the_key_points_own_words():
    salad = key_point_salad(UPLOADS[1])
    words = set(re.findall(r"[a-z0-9-]+", " ".join(UPLOADS[1]).lower()))
    assert set(salad.split()) <= words and len(salad.split()) >= 8


def test_questions_are_scored_in_the_order_they_were_asked_even_with_equal_positions():
    from interviewer.services.live_interview_view import load_questions

    tenant = make_tenant()
    interview_id = _interview(tenant, GOOD)
    with session_scope() as s:
        interview = s.get(Interview, interview_id)
        for q in s.exec(select(Question).where(Question.job_template_id == interview.job_template_id)):
            q.position = 0  # e.g. a reorder that left ties
            s.add(q)
    with session_scope() as s:
        asked = [str(q.id) for q in load_questions(s, s.get(Interview, interview_id))]
    report = scoring.score_interview(interview_id)
    assert [q["question_id"] for q in report["questions"]] == asked


class _Doubting(OfflineProvider):
    """Judges like the offline provider, then doubts the first ``n`` covered points of the answer to
    ``question``: as the offline judge does with a contradiction read from a bare negation."""

    def __init__(self, question: str, n: int) -> None:
        super().__init__()
        self.question, self.n = question, n

    def score_answer(self, question, key_points, answer_transcript, red_flags=()):
        judged = super().score_answer(question, key_points, answer_transcript)
        if question != self.question:
            return judged
        points, left = [], self.n
        for p in judged.points:
            if p.status == "covered" and left:
                left -= 1
                p = p.model_copy(update={"status": "partial", "doubt": "negates it",
                                         "note": "Doubtful: the answer seems to say the opposite."})
            points.append(p)
        return judged.model_copy(update={"points": points})


@pytest.mark.parametrize(("n", "verdict"), [(1, "PASS"), (3, "REVIEW")])
def test_a_verdict_that_rests_on_doubted_readings_goes_to_a_person(monkeypatch, n, verdict):
    """Doubted points count as partly covered; when reading them all as contradicted or all as
    covered would give different verdicts, a person decides and the report says why and how far
    the score could move. One doubt in an otherwise strong interview changes nothing."""
    tenant = make_tenant()
    interview_id = _interview(tenant, GOOD)
    monkeypatch.setattr(scoring, "provider_for_company",
                        lambda session, company_id: FairProvider(_Doubting(CACHE[0], n)))
    report = scoring.score_interview(interview_id)
    third = report["questions"][2]
    assert sum(1 for p in third["points"] if p["doubt"]) == n
    assert third["score"] == score_from_statuses([(p["status"], False) for p in third["points"]])
    as_contradicted = score_from_statuses([("missed", True)] * n + [("covered", False)] * (4 - n))
    assert third["score_if_doubts"] == {"contradicted": as_contradicted, "covered": 5.0}
    assert report["verdict"] == verdict
    doubt_reasons = [r for r in report["quality_gate"] if "doubtful reading" in r]
    if verdict == "REVIEW":
        low = round(100 * (5 + 5 + third["score_if_doubts"]["contradicted"]) / 15)
        assert doubt_reasons == [f"the verdict depends on 3 doubtful reading(s) of a negation (question 3): read as "
                                 f"contradicted the score would be {low}, as covered 100; read the quoted sentences"]
        assert report["score"] >= 70  # the score itself would pass: the doubts, not the score, send it to a person
    else:
        assert doubt_reasons == [] and report["quality_gate"] == []
    _check_consistent(report)


def test_a_doubted_negation_reaches_the_report_with_its_quote():
    """The offline judge's own doubt (a TTL answer that says "readers never see stale values" against
    "simple but stale in between") reaches the stored report: partly covered, quoted, with the
    doubted reading and the scores it could have had."""
    tenant = make_tenant()
    doubted = GOOD[2].replace("A TTL is the simplest: entries expire after some time, but you can read stale data "
                              "until then.", "With a TTL, entries expire after a few minutes, and that means readers "
                              "never see stale values.")
    assert doubted != GOOD[2]
    report = scoring.score_interview(_interview(tenant, [GOOD[0], GOOD[1], doubted]))
    ttl = report["questions"][2]["points"][0]
    assert ttl["status"] == "partial" and ttl["doubt"].startswith('denies "stale"') and ttl["contradiction"] is None
    assert ttl["quotes"] and all(q in doubted for q in ttl["quotes"]) and ttl["note"].startswith("Doubtful:")
    assert report["questions"][2]["score_if_doubts"]["contradicted"] < report["questions"][2]["score"]
    assert report["verdict"] == "PASS" and not report["quality_gate"]
    _check_consistent(report)


NEGATED_KEY_POINTS = [
    "Files are not kept in object storage and metadata is not in a database. Links are not presigned or signed "
    "URLs. Uploads are not chunked or resumable. There are no size limits, type checks or malware scanning. Links "
    "never stop working.",
    "There are no retries with backoff. Poison messages are not moved to a dead-letter queue. Consumers don't "
    "tolerate duplicate deliveries. We don't monitor the dead-letter queue size.",
    "Entries don't expire after a time. We don't update the cache on every write. The application doesn't load on "
    "miss or delete on write. There is no trade-off between stale reads and complexity.",
]


def test_an_interview_of_negated_key_points_does_not_pass():
    """Gaming with the doubt: every key point read back with a negation. Doubted points count as
    partly covered, but no such answer reaches half marks and the interview does not pass: read one
    way it fails, read the other it would pass, so a person decides, with the doubts on the points."""
    tenant = make_tenant()
    report = scoring.score_interview(_interview(tenant, NEGATED_KEY_POINTS))
    assert report["verdict"] == "REVIEW" and report["score"] < 50
    assert any(r.startswith("the verdict depends on") and "as contradicted the score would be 0" in r
               for r in report["quality_gate"]), report["quality_gate"]
    assert all(q["score"] <= 2.5 for q in report["questions"])
    assert sum(1 for q in report["questions"] for p in q["points"] if p["doubt"] or p["contradiction"]) >= 10
    assert not any(p["status"] == "covered" for q in report["questions"] for p in q["points"])
    _check_consistent(report)


def test_a_listed_wrong_idea_in_an_answer_reaches_the_report_and_a_person_decides():
    """HR listed "An index makes inserts and updates faster as well." as a wrong idea: a fluent answer
    that says so is no longer credited with the writes point; the point is doubted and quoted, the
    stored report keeps the list it was scored with, and the verdict, which the doubt could move,
    goes to a person."""
    from tests.ai.test_red_flags import IDEAS, POINTS, QUESTION, WRONG, WRONG_SENTENCE

    tenant = make_tenant()
    interview_id = _interview(tenant, [WRONG], questions=[(QUESTION, POINTS)])
    plain = scoring.score_interview(interview_id)
    assert plain["questions"][0]["points"][1]["status"] == "covered" and "red_flags" in plain["questions"][0]
    with session_scope() as s:
        question = s.exec(select(Question).where(Question.text == QUESTION)
                          .order_by(Question.created_at.desc())).first()
        question.red_flags = list(IDEAS)
        s.add(question)
    report = scoring.score_interview(interview_id, rescore_reason="wrong ideas listed", request_id="rf1")
    q = report["questions"][0]
    assert q["red_flags"] == IDEAS  # the list as it was when scored, beside the key points
    writes = q["points"][1]
    assert writes["status"] == "missed" and writes["contradiction"] is None
    assert writes["doubt"].startswith("resembles a wrong idea listed") and writes["quotes"] == [WRONG_SENTENCE]
    assert q["score"] < plain["questions"][0]["score"]
    assert q["score_if_doubts"]["contradicted"] < q["score"] < q["score_if_doubts"]["covered"]
    assert report["verdict"] == "REVIEW"
    assert any("doubtful reading(s) of a sentence like a wrong idea you listed (question 1)" in r
               for r in report["quality_gate"]), report["quality_gate"]
    _check_consistent(report)
