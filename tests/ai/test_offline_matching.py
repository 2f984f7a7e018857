"""Behaviour tests for offline resume <-> job matching (own fixtures, no shared data)."""

from __future__ import annotations

import pytest

from interviewer.services.ai.offline import embeddings
from interviewer.services.ai.offline.matching import (
    MatchResult,
    extract_keywords,
    extract_skills,
    match_resume,
    skill_profile,
)
from interviewer.services.ai.skills_vocab import FIELD_FAMILY, SKILLS

DATA_JD = """Data Engineer
We are hiring a data engineer to build and run our analytics platform.
Responsibilities:
- Build and maintain ETL data pipelines in Python and SQL.
- Orchestrate batch jobs with Airflow and stream events through Kafka.
- Model data in our Snowflake data warehouse and tune Spark jobs.
Requirements: 3+ years with Python, SQL, Spark and Airflow; AWS experience is a plus.
"""

HR_JD = """HR Generalist
Join our people team. You will own recruiting, onboarding and employee relations for 300 staff.
- Run full-cycle recruiting, interview scheduling and background checks.
- Administer benefits enrollment, payroll changes in ADP and the HRIS (Workday).
- Advise managers on performance management and employment law (FMLA, FLSA).
"""

DATA_RESUME = """DATA ENGINEER
Summary
Data engineer with five years of experience building batch and streaming platforms.
Experience
Senior Data Engineer, 2020 - 2024
Built ETL pipelines in Python and SQL that load 2 TB a day into a Snowflake warehouse.
Migrated nightly batch jobs to Airflow and cut failures by half.
Developed Spark jobs on AWS EMR and a Kafka consumer for click events.
Education
BSc Computer Science
"""

HR_RESUME = """HR GENERALIST
Summary
Human resources generalist supporting a 400-person manufacturing site.
Experience
HR Generalist, 2019 - 2024
Managed full-cycle recruiting and onboarding for 120 hires a year.
Handled employee relations cases and investigations; advised on FMLA leave.
Administered payroll in ADP and open enrollment for employee benefits.
Skills
Workday, ADP, interviewing, Microsoft Office
"""

ACCOUNTANT_RESUME = """STAFF ACCOUNTANT
Summary
Accountant with strong general ledger and reconciliation experience.
Experience
Prepared monthly financial statements under GAAP and led bank reconciliation.
Processed accounts payable and supported the external audit.
Skills
QuickBooks, Excel, tax preparation
"""

LISTED_RESUME = """ANALYST
Skills
Python, SQL, Spark, Airflow, Kafka, Snowflake, AWS, ETL
Experience
Office Coordinator, 2018 - 2024
Organised team calendars, ordered supplies and greeted visitors at the front desk.
"""


@pytest.fixture(scope="module")
def use_emb() -> bool:
    return embeddings.is_available()


def test_vocabulary_is_consistent():
    assert len(SKILLS) > 150
    for name, (field_name, aliases) in SKILLS.items():
        assert field_name in FIELD_FAMILY, name
        assert aliases, name


def test_extract_skills_finds_canonical_names_with_special_characters():
    text = "Wrote services in C# and C/C++, a Node.js API, and ASP.NET pages; deployed to Kubernetes."
    skills = set(extract_skills(text))
    assert {"C#", "C", "C++", "Node.js", "ASP.NET", "Kubernetes"} <= skills
    assert "Go" not in extract_skills("Ready to go the extra mile.")
    assert "R" not in extract_skills("R. Smith, references on request")


def test_skill_context_experience_vs_list():
    profile = skill_profile(DATA_RESUME)
    assert profile["Airflow"].context == "experience"
    listed = skill_profile(LISTED_RESUME)
    assert listed["Airflow"].context == "list"
    assert listed["Airflow"].strength < profile["Airflow"].strength


def test_extract_keywords_lists_job_skills_first():
    keywords = extract_keywords(DATA_JD)
    for skill in ("Python", "SQL", "Spark", "Airflow", "Kafka"):
        assert skill in keywords
    assert keywords.index("Python") < len(keywords)
    assert "Recruiting" not in keywords


def test_data_resume_matches_data_job_better_than_hr_resume(use_emb):
    data = match_resume(DATA_RESUME, DATA_JD, use_embeddings=use_emb)
    hr = match_resume(HR_RESUME, DATA_JD, use_embeddings=use_emb)
    assert isinstance(data, MatchResult)
    assert data.score > hr.score + 25
    assert {"Python", "SQL", "Spark", "Airflow", "Kafka"} <= set(data.matched_skills)
    assert "Spark" in hr.missing_skills
    assert 0 <= hr.score <= data.score <= 100


def test_hr_resume_matches_hr_job_better_than_neighbours(use_emb):
    hr = match_resume(HR_RESUME, HR_JD, use_embeddings=use_emb)
    accountant = match_resume(ACCOUNTANT_RESUME, HR_JD, use_embeddings=use_emb)
    data = match_resume(DATA_RESUME, HR_JD, use_embeddings=use_emb)
    assert hr.score > accountant.score and hr.score > data.score
    assert "hr" in hr.resume_fields and "hr" in hr.job_fields


def test_bare_skill_list_weighs_less_than_experience(use_emb):
    worked = match_resume(DATA_RESUME, DATA_JD, use_embeddings=use_emb)
    listed = match_resume(LISTED_RESUME, DATA_JD, use_embeddings=use_emb)
    assert worked.skill_coverage > listed.skill_coverage
    assert worked.score > listed.score
    assert "Airflow" in listed.listed_only_skills
    assert "only listed" in listed.explanation


def test_explanation_names_fields_and_missing_skills():
    result = match_resume(ACCOUNTANT_RESUME, DATA_JD, use_embeddings=False)
    assert "Missing:" in result.explanation and "Field fit" in result.explanation
    assert "finance" in result.resume_fields


def test_matching_is_deterministic():
    a = match_resume(DATA_RESUME, DATA_JD, use_embeddings=False)
    b = match_resume(DATA_RESUME, DATA_JD, use_embeddings=False)
    assert a == b


def test_empty_inputs_do_not_crash():
    result = match_resume("", DATA_JD, use_embeddings=False)
    assert result.score == 0.0 and not result.matched_skills
    assert extract_skills("") == [] and extract_keywords("") == []
