"""Offline question generation from the bank: skills, mix, duplicates, determinism, wording."""

from __future__ import annotations

from collections import Counter

import pytest

from interviewer.services.ai.question_bank import BANK, SKILLS, skill_mentions
from interviewer.services.ai.question_gen_offline import MAX_COUNT, detect_skills, generate, is_near_duplicate

DATA_JD = """Data Engineer (Platform team)
You will build batch and streaming pipelines with Apache Spark and Airflow, model our warehouse in
dbt on Snowflake, and write a lot of SQL. Python is our main language; we deploy with Docker.
Experience with Kafka is a plus."""

BACKEND_JD = """We are hiring a Backend Engineer to build our payments platform in Go on PostgreSQL.
You will design REST APIs, run services on Kubernetes and use Redis for caching."""


def test_bank_is_large_valid_and_free_of_internal_duplicates():
    assert len(BANK) >= 120
    assert len({q.id for q in BANK}) == len(BANK)
    for q in BANK:
        assert 3 <= len(q.key_points) <= 6 and q.kind in {"theory", "practice"}
        assert q.difficulty in {"intermediate", "advanced"} and set(q.tags) <= SKILLS.keys()
    counts = Counter(q.tags[0] for q in BANK)
    assert set(counts) == set(SKILLS) and min(counts.values()) >= 3
    texts = [q.text for q in BANK]
    assert not [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:] if is_near_duplicate(a, b)]


def test_skills_are_picked_from_the_job_description():
    skills = detect_skills("Data Engineer", DATA_JD)
    top = list(skills)[:4]
    assert top[0] == "data-engineering"
    assert {"sql", "python"} <= set(skills) and {"docker", "messaging", "data-modelling"} <= set(skills)
    assert "react" not in skills and "hr" not in skills
    topics = {q.topic for q in generate("Data Engineer", DATA_JD, count=8)}
    assert {"Data engineering", "SQL"} <= topics


def test_skill_matcher_aliases_and_case_sensitive_names():
    found = skill_mentions("Go, Rust, k8s, node.js, TypeScript, CI/CD; go to the docs and rusty tools")
    assert found["go"] == 1 and found["rust"] == 1
    assert {"kubernetes", "node", "javascript", "cicd"} <= set(found)
    assert "java" not in skill_mentions("JavaScript only")


@pytest.mark.parametrize("count", [2, 5, 6, 9])
def test_theory_practice_and_difficulty_are_mixed(count):
    questions = generate("Backend Engineer", BACKEND_JD, count=count)
    assert len(questions) == count
    kinds = Counter(q.kind for q in questions)
    levels = Counter(q.difficulty for q in questions)
    assert abs(kinds["theory"] - kinds["practice"]) <= 1
    assert abs(levels["intermediate"] - levels["advanced"]) <= 1
    assert all(3 <= len(q.key_points) <= 6 and all(p.strip() for p in q.key_points) for q in questions)


def test_coverage_is_spread_across_skills():
    questions = generate("Backend Engineer", BACKEND_JD, count=6)
    assert max(Counter(q.topic for q in questions).values()) <= 2
    assert len({q.topic for q in questions}) >= 4


def test_existing_questions_and_their_near_duplicates_are_refused():
    first = generate("Backend Engineer", BACKEND_JD, count=4)
    reworded = [q.text.replace("How would you", "How do you").rstrip("?.") + " in practice?" for q in first[:2]]
    again = generate("Backend Engineer", BACKEND_JD, existing_questions=reworded + [first[2].text], count=4)
    assert len(again) == 4
    for q in again:
        for existing in reworded + [first[2].text]:
            assert not is_near_duplicate(q.text, existing)
    assert not {q.text for q in first[:3]} & {q.text for q in again}


def test_near_duplicate_detection():
    assert is_near_duplicate("Explain the CAP theorem.", "Explain the CAP theorem and its practical meaning.")
    assert is_near_duplicate("In a Backend Engineer role, design a URL shortener.",
                             "Design a URL shortener that handles millions of redirects per day.")
    assert is_near_duplicate("Explain Kafka consumer groups", "Explain Kafka partitions, consumer groups and "
                                                             "ordering guarantees.")
    assert not is_near_duplicate("What is Docker?", "What is the difference between a container and a virtual "
                                                    "machine?")
    assert not is_near_duplicate("Explain the CAP theorem.", "Explain the event loop in JavaScript.")


def test_generation_is_deterministic_and_input_dependent():
    a = generate("Backend Engineer", BACKEND_JD, ["redis"], ["Explain the CAP theorem."], 6, "Focus on scale")
    b = generate("Backend Engineer", BACKEND_JD, ["redis"], ["Explain the CAP theorem."], 6, "Focus on scale")
    assert [q.model_dump() for q in a] == [q.model_dump() for q in b]
    c = generate("Data Engineer", DATA_JD, count=6)
    assert [q.text for q in a] != [q.text for q in c]


def test_hints_and_custom_prompt_steer_the_selection():
    plain = {q.topic for q in generate("Software Engineer", "", count=4)}
    hinted = generate("Software Engineer", "", skills_hint=["rust"], count=4)
    prompted = generate("Software Engineer", "", count=4, custom_prompt="Ask about Kubernetes operations.")
    assert "Rust" not in plain and "Rust" in {q.topic for q in hinted}
    assert "Kubernetes" in {q.topic for q in prompted}


def test_wording_is_adapted_to_the_role():
    questions = generate("Backend Engineer", BACKEND_JD, count=6)
    practice = [q for q in questions if q.kind == "practice"]
    assert practice and all(q.text.startswith("In a Backend Engineer role, ") for q in practice)
    hr = generate("HR Business Partner", "Own recruiting, onboarding and employee relations.", count=4)
    assert {q.topic for q in hr} <= {"People operations", "Behavioural"}
    assert any(q.text.startswith("In an HR Business Partner role, ") for q in hr)
    bare = generate("", "", count=3)
    assert all(not q.text.startswith(("In a", "As a")) for q in bare)


def test_count_bounds_and_generic_fallback():
    assert generate("Backend Engineer", BACKEND_JD, count=0) == []
    many = generate("Backend Engineer", BACKEND_JD, count=500)  # capped; only matching skills are used
    assert 30 <= len(many) <= MAX_COUNT and len({q.text for q in many}) == len(many)
    assert "React" not in {q.topic for q in many} and "People operations" not in {q.topic for q in many}
    nothing_matches = generate("Astronaut", "Zero gravity experience.", count=3)
    assert len(nothing_matches) == 3
    assert {q.topic for q in nothing_matches} <= {SKILLS[t][0] for t in ("system-design", "testing", "git",
                                                                          "behavioural")}


def test_every_bank_question_has_one_wrong_idea_per_key_point():
    """The bank's wrong ideas to watch for (question_bank_red_flags.py) are keyed by the question's text:
    none is lost when a question is reworded in the bank, and each is a sentence, not a copy of its point."""
    from interviewer.services.ai.question_bank import BANK
    from interviewer.services.ai.question_bank_red_flags import RED_FLAGS

    assert set(RED_FLAGS) == {q.text for q in BANK}
    for q in BANK:
        assert len(q.red_flags) == len(q.key_points), q.id
        assert all(5 <= len(f.split()) <= 25 and f not in q.key_points for f in q.red_flags), q.id
