"""Tests for the offline ATS analysis (interviewer.services.ai.ats_offline)."""

from __future__ import annotations

from datetime import date

from interviewer.services.ai.ats_offline import (
    ATS_FRIENDLY_MIN_SCORE,
    FORMATTING_PENALTY,
    MAX_FORMATTING_PENALTY,
    SECTION_WEIGHTS,
    analyze_resume_offline,
    compute_overall_score,
    fit_section_score,
    format_score,
    is_blocking_issue,
    with_fit,
)
from interviewer.services.ai.offline import matching
from interviewer.services.ai.offline.matching import match_resume
from interviewer.services.ai.schemas import SECTION_KEYS, ATSAnalysis, ATSResult
from interviewer.services.job_fit import fit_details

TODAY = date(2026, 6, 1)

CONTACT = """Jane Doe
Berlin, Germany | jane.doe@example.com | +49 30 1234 5678 | linkedin.com/in/janedoe | github.com/janedoe
"""
SUMMARY = """Summary
Backend engineer with 7 years of experience building Python and Go services on AWS. I design
reliable distributed systems, lead small teams and care about observability, testing and developer
experience across the whole delivery pipeline.
"""
EXPERIENCE = """Experience
Senior Backend Engineer, Paylane GmbH, Berlin                                   Jan 2022 - Present
• Led the migration of 40 microservices from VMs to Kubernetes, cutting infrastructure cost by 35%.
• Designed an event pipeline on Kafka processing 12,000 requests per second with p99 latency under 80 ms.
• Mentored 5 engineers and introduced code review guidelines adopted by 3 teams.
• Automated CI/CD with GitHub Actions and Terraform, reducing release time from 2 days to 3 hours.
Backend Engineer, Shopwise AG, Munich                                        Mar 2018 - Dec 2021
• Built REST APIs in Python (Django, FastAPI) serving 2M monthly users.
• Improved PostgreSQL query performance by 60% through indexing and query rewrites.
• Implemented Redis caching that reduced page load time by 45%.
• Developed unit testing practices with pytest, raising coverage from 40% to 85%.
• Collaborated with product managers to launch 6 new checkout features.
"""
SKILLS = """Skills
Python, Go, SQL, Django, FastAPI, PostgreSQL, Redis, Kafka, Docker, Kubernetes, Terraform, AWS, Git, Linux
"""
EDUCATION = """Education
BSc Computer Science, Technical University of Munich, 2017
"""
PROJECTS = """Projects
• Created an open-source rate limiter for FastAPI with 1,200 GitHub stars.
• Wrote a series of technical articles on distributed systems and system design.
"""
GOOD = CONTACT + SUMMARY + EXPERIENCE + SKILLS + EDUCATION + PROJECTS

POOR = """JOHN SMITH
I AM LOOKING FOR A JOB IN COMPUTERS AND I AM A HARD WORKER
worked at a shop, helped customers, did some stuff with computers and websites sometimes
also know microsoft office
"""

JD = """Senior Backend Engineer (Berlin)
We are looking for a backend engineer with strong Python and Node.js skills.
You will run our services on Kubernetes (k8s) in AWS, manage infrastructure with Terraform,
and build event streaming on Kafka. Experience with PostgreSQL, CI/CD and Snowflake is a plus.
"""


def _analyze(text: str, jd: str | None = None) -> ATSResult:
    return analyze_resume_offline(text, jd, today=TODAY)


def test_result_has_exactly_the_spec_shape():
    dumped = _analyze(GOOD).model_dump()
    assert set(dumped) == {"score", "summary", "section_scores", "highlights", "improvements", "keywords_found",
                           "keywords_missing", "formatting_issues", "ats_friendly"}
    assert set(dumped["section_scores"]) == set(SECTION_KEYS)
    for section in dumped["section_scores"].values():
        assert set(section) == {"score", "feedback"} and 0 <= section["score"] <= 5 and section["feedback"]
    wrapped = ATSAnalysis(result=_analyze(GOOD), provider="offline", duration_ms=3)
    assert wrapped.model_dump()["provider"] == "offline" and "provider" not in wrapped.result.model_dump()


def test_well_formed_resume_scores_higher_than_a_poor_one():
    good, poor = _analyze(GOOD), _analyze(POOR)
    assert good.score >= 80 and good.ats_friendly
    assert poor.score < 40 and not poor.ats_friendly
    for key in SECTION_KEYS:
        assert getattr(good.section_scores, key).score >= getattr(poor.section_scores, key).score, key
    assert poor.formatting_issues and poor.improvements and good.highlights


def test_overall_score_matches_documented_formula():
    for text in (GOOD, POOR, GOOD.replace(EDUCATION, "")):
        result = _analyze(text, JD)
        sections = {k: getattr(result.section_scores, k).score for k in SECTION_KEYS}
        base = round(sum(SECTION_WEIGHTS[k] * sections[k] / 5 for k in SECTION_KEYS))
        penalty = min(MAX_FORMATTING_PENALTY, FORMATTING_PENALTY * len(result.formatting_issues))
        assert result.score == max(0, min(100, base - penalty))
        assert result.score == compute_overall_score(sections, len(result.formatting_issues))
    assert sum(SECTION_WEIGHTS.values()) == 100


def test_ats_friendly_requires_threshold_and_no_blocking_issue():
    headless = GOOD
    for heading in ("Summary\n", "Experience\n", "Skills\n", "Education\n", "Projects\n"):
        headless = headless.replace(heading, "")
    result = _analyze(headless)
    assert any("section headings" in issue for issue in result.formatting_issues)
    assert not result.ats_friendly
    good = _analyze(GOOD)
    assert good.ats_friendly == (good.score >= ATS_FRIENDLY_MIN_SCORE)


def test_removing_education_drops_its_score():
    assert _analyze(GOOD).section_scores.education.score == 5
    without = _analyze(GOOD.replace(EDUCATION, ""))
    assert without.section_scores.education.score <= 1
    assert "Education" in without.section_scores.education.feedback
    assert without.score < _analyze(GOOD).score


def test_each_section_responds_to_its_evidence():
    good = _analyze(GOOD)
    no_contact = _analyze(GOOD.replace("jane.doe@example.com | ", "").replace(" | linkedin.com/in/janedoe", "")
                          .replace(" | github.com/janedoe", ""))
    assert no_contact.section_scores.contact_info.score < good.section_scores.contact_info.score
    assert "email" in no_contact.section_scores.contact_info.feedback
    assert "Found email" in good.section_scores.contact_info.feedback

    assert _analyze(GOOD.replace(SUMMARY, "")).section_scores.professional_summary.score <= 1
    assert _analyze(GOOD.replace(SKILLS, "")).section_scores.technical_skills.score < \
        good.section_scores.technical_skills.score

    flat = "Experience\nSenior Backend Engineer at Paylane\nWorked on services\nHelped the team\n"
    weak = _analyze(GOOD.replace(EXPERIENCE, flat))
    assert weak.section_scores.work_experience.score <= 2
    feedback = weak.section_scores.work_experience.feedback
    assert "quantified" in feedback and "date ranges" in feedback
    assert good.section_scores.work_experience.score == 5


def test_keywords_found_and_missing_are_the_postings_required_skills():
    result = _analyze(GOOD, JD)
    assert {"Python", "Kubernetes", "AWS", "Terraform", "Kafka", "PostgreSQL", "CI/CD"} <= set(result.keywords_found)
    assert "Node.js" in result.keywords_missing
    assert not set(result.keywords_found) & set(result.keywords_missing)
    # Only skills, never frequent words of the posting ("looking", "services", "plus" ...).
    assert not {"looking", "services", "plus", "Senior", "Berlin"} & set(result.keywords_found + result.keywords_missing)
    assert "Node.js" in result.section_scores.keyword_optimization.feedback
    with_node = _analyze(GOOD.replace("Python, Go,", "Python, Go, nodejs,"), JD)
    assert "Node.js" in with_node.keywords_found
    assert with_node.section_scores.keyword_optimization.score >= result.section_scores.keyword_optimization.score


def test_keyword_section_is_the_fit_to_the_posting_and_moves_with_it():
    """One judgement: the keyword section is the matcher's fit, so an unrelated posting scores lower."""
    own = _analyze(GOOD, JD)
    fit = match_resume(GOOD, JD)
    assert own.section_scores.keyword_optimization.score == fit_section_score(fit.score)
    assert f"fit {fit.score:.0f}/100" in own.section_scores.keyword_optimization.feedback
    nurse = ("Registered Nurse\nWe are hiring a registered nurse for our cardiology ward. You will assess "
             "patients, give medication, keep patient records and educate families. BLS and ACLS "
             "certification and two years of acute care nursing experience required.")
    other = _analyze(GOOD, nurse)
    assert other.section_scores.keyword_optimization.score < own.section_scores.keyword_optimization.score
    assert other.score < own.score
    # The format number does not read the posting.
    sections = lambda r: {k: getattr(r.section_scores, k).score for k in SECTION_KEYS}  # noqa: E731
    assert format_score(sections(own), len(own.formatting_issues)) == \
        format_score(sections(other), len(other.formatting_issues))


NURSE = ("Registered Nurse\nWe are hiring a registered nurse for our cardiology ward. You will assess "
         "patients, give medication, keep patient records and educate families. BLS and ACLS "
         "certification and two years of acute care nursing experience required.")


def test_a_fit_from_another_text_restates_every_figure_of_the_result():
    """The check's fit is taken on the candidate's own text, the provider saw a redacted one: the
    overall score, "ATS-friendly" and the summary's figures must follow the fit that is kept (a
    report read "fit to the posting 7/100" beside a fit of 6)."""
    text = GOOD.replace(EDUCATION, "").replace(SUMMARY, "").replace(CONTACT, "Jane Doe\n")
    own = _analyze(text, JD)
    assert with_fit(own, match_resume(text, JD)) == own  # the same fit changes nothing
    fit = match_resume(text, NURSE)
    other = with_fit(own, fit)
    assert own.score >= ATS_FRIENDLY_MIN_SCORE > other.score  # the posting moved it under the bar
    assert own.ats_friendly and not other.ats_friendly
    points = {k: getattr(other.section_scores, k).score for k in SECTION_KEYS}
    assert other.score == compute_overall_score(points, len(other.formatting_issues))
    assert other.summary.startswith(f"ATS score {other.score}/100 (not ATS-friendly): format and readability ")
    assert f"fit to the posting {fit.score:.0f}/100." in other.summary
    assert f"weakest: keyword optimization ({points['keyword_optimization']}/5)." in other.summary
    assert other.summary.endswith(f"Not ATS-friendly because the score is under {ATS_FRIENDLY_MIN_SCORE}.")
    assert with_fit(other, match_resume(text, JD)) == own  # and back


def test_a_blocking_issue_keeps_a_result_unfriendly_whatever_the_fit():
    garbled = _analyze(GOOD + "\n" + "\ufffd" * 800, JD)
    poor = _analyze(POOR)
    blocking = [m for m in garbled.formatting_issues + poor.formatting_issues if is_blocking_issue(m)]
    assert len(blocking) == 3 and any("garbled" in m for m in blocking)  # headings, too short, garbled
    assert not any(is_blocking_issue(m) for m in poor.formatting_issues if m.startswith("No dates"))
    assert garbled.score >= ATS_FRIENDLY_MIN_SCORE and not garbled.ats_friendly
    again = with_fit(garbled, match_resume(GOOD, JD))
    assert not again.ats_friendly and "because of this: " in again.summary


def test_non_english_posting_is_not_guessed():
    german = ("Wir suchen einen Backend Entwickler für unser Team in Berlin. Sie entwickeln Dienste mit Python "
              "und betreiben sie auf Kubernetes in der Cloud. Sie arbeiten eng mit dem Produktteam zusammen und "
              "sorgen für die Qualität durch Tests und Reviews. Sie haben mindestens drei Jahre Erfahrung und "
              "sprechen gut Deutsch und Englisch. Wir bieten ein nettes Team und flexible Arbeitszeiten.")
    result = _analyze(GOOD, german)
    assert "not supported" in result.summary
    assert "No job description" in result.section_scores.keyword_optimization.feedback
    assert result.keywords_missing == []


def test_non_english_resume_gets_no_fit_as_the_fit_measure_says():
    german_resume = ("Lebenslauf\nIch bin Backend Entwickler in Berlin und arbeite seit fünf Jahren mit Python und "
                     "PostgreSQL. Ich habe Dienste für den Versand entworfen, die auf Kubernetes laufen, und ich "
                     "schreibe Tests mit pytest. Ich arbeite gern im Team und spreche Deutsch und Englisch. Ich "
                     "habe an der Universität studiert und bin offen für neue Aufgaben in der Cloud.")
    posting = ("We are hiring a backend engineer to build our order services in Python with PostgreSQL. You will "
               "design REST APIs, run services in Docker and Kubernetes on AWS, and write tests with pytest. "
               "You have three or more years of experience and you enjoy working with a small team.")
    assert not matching.is_english(german_resume) and matching.is_english(posting)
    result = _analyze(german_resume, posting)
    assert "resume is not in English" in result.summary and "not supported" in result.summary
    assert "No job description" in result.section_scores.keyword_optimization.feedback
    assert result.keywords_missing == []
    # the check's fit measure says the same (services.job_fit.fit_details)
    assert fit_details(matching.profile_document(german_resume),
                       matching.profile_document(posting, role="job"))["supported"] is False


def test_without_job_description_lists_resume_skills():
    result = _analyze(GOOD)
    assert result.keywords_missing == []
    assert {"Python", "Kubernetes", "PostgreSQL", "Terraform"} <= set(result.keywords_found)
    assert "No job description" in result.section_scores.keyword_optimization.feedback


def test_formatting_issues_are_detected():
    shouting = GOOD + "\n" + "\n".join(["THIS LINE IS WRITTEN ENTIRELY IN CAPITAL LETTERS"] * 3)
    assert any("ALL CAPS" in issue for issue in _analyze(shouting).formatting_issues)
    assert any("words" in issue for issue in _analyze(POOR).formatting_issues)
    tables = GOOD + "\nPython | Go | SQL\nDocker | Kubernetes | AWS\nGit | Linux | Redis\n"
    assert any("table" in issue for issue in _analyze(tables).formatting_issues)
    undated = GOOD.replace("2017", "").replace("Jan 2022 - Present", "").replace("Mar 2018 - Dec 2021", "")
    assert any("No dates" in issue for issue in _analyze(undated).formatting_issues)


def test_analysis_is_deterministic_and_handles_empty_input():
    assert _analyze(GOOD, JD) == _analyze(GOOD, JD)
    empty = _analyze("")
    assert empty.score == 0 and not empty.ats_friendly
