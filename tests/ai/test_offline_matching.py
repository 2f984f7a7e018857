"""Behaviour tests for offline resume <-> job matching (own fixtures, no shared data)."""

from __future__ import annotations

import pytest

from interviewer.services.ai.offline import embeddings
from interviewer.services.ai.offline.matching import (
    MatchResult,
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


def test_the_keywords_shown_are_the_postings_skills():
    """The ATS check's "keywords found / missing" are the posting's vocabulary skills (the matcher's lists)."""
    result = match_resume(HR_RESUME, DATA_JD, use_embeddings=False)
    shown = result.matched_skills + result.missing_skills
    for skill in ("Python", "SQL", "Spark", "Airflow", "Kafka"):
        assert skill in result.missing_skills
    assert "Recruiting" not in shown and len(shown) == len(set(shown))


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
    assert extract_skills("") == []


# ---- job fit additions: seniority, language, pre-processed text, the job's title, derivable score ----
from interviewer.services.ai.offline import matching as M  # noqa: E402
from tests import fit_fixtures as F  # noqa: E402


def test_experience_years_merge_overlapping_roles_and_fall_back_to_claims():
    text = "Engineer, Jan 2015 - Mar 2018\nLead, 2018 - Present\nIntern 06/2012 - 08/2012"
    assert M.experience_years(text, today=(2026, 12)) == 12.2  # Jan 2015 - Dec 2026 once, plus 3 months
    assert M.experience_years("Accountant with 7+ years of experience in audit") == 7.0
    assert M.experience_years("No dates here at all") is None
    assert M.experience_years("Worked 2030 - 2031", today=(2026, 12)) is None  # the future is not experience


def test_required_years_is_the_smallest_minimum_asked():
    assert M.required_years("Minimum 3+ years of relevant experience; 5 years experience with Java preferred") == 3
    assert M.required_years("We value curiosity.") is None


@pytest.mark.parametrize(("text", "years"), [
    ("Senior Backend Engineer. Python, FastAPI, PostgreSQL. 5+ years.", 5),  # a bare "N+ years"
    ("Experience Required : 1+ years", 1),
    ("Experience : 2 - 5 Yrs", 2),  # a range: its low end
    ("Django: 6 years (Required)\nPython: 6 years (Required)", 6),  # a job board's form
    ("Candidate with Minimum 2 years and above in developing production code", 2),
    ("Proven hands-on experience of at least 1 year in development", 1),
    ("Java: 1 year (Preferred)", None),  # preferred is no minimum
    ("We have helped businesses grow for more than 45 years.", None),  # said of the company
    ("Our company was founded 20+ years ago.", None),
    ("Candidates age from 21 to 35 years only apply", None),  # an age, not experience
])
def test_required_years_reads_the_usual_ways_postings_state_a_minimum(text, years):
    assert M.required_years(text) == years


def test_non_english_text_is_recognised_from_function_words():
    assert M.is_english(F.JAVA_JOB) and M.is_english(F.HR_RESUME)
    assert not M.is_english(F.GERMAN_JOB)
    assert M.is_english("Python, SQL")  # too short to tell: assumed English


def test_preprocessed_postings_still_find_punctuated_skills():
    flat = "we need ci cd pipelines asp net core services and node js tooling " * 6
    assert M.is_preprocessed(flat) and not M.is_preprocessed(F.JAVA_JOB)
    found = set(M.extract_skills(flat))
    assert {"CI/CD", "ASP.NET", "Node.js"} <= found


def test_a_run_on_first_line_is_not_a_headline():
    one_line = " ".join(F.LISTED_ONLY_RESUME.split())  # the whole resume on one line
    hits = M.skill_profile(one_line)
    assert not any(h.in_headline for h in hits.values())
    assert M.skill_profile(F.JAVA_RESUME)["Java"].in_headline


def test_the_role_named_in_the_jobs_title_is_required():
    job = M.profile_document(F.JAVA_JOB, role="job", title=F.JAVA_JOB_TITLE, embed=False)
    assert job.core == ("Java",)
    java = M.match_profiles(M.profile_document(F.JAVA_RESUME, embed=False), job, use_embeddings=False)
    python = M.match_profiles(M.profile_document(F.PYTHON_RESUME, embed=False), job, use_embeddings=False)
    assert java.core_factor == 1.0 and python.core_factor == M.CORE_FLOOR
    assert "title asks for Java" in python.explanation
    assert java.score > python.score + 30


def test_fit_score_is_derivable_from_the_parts_shown():
    from interviewer.services import job_fit

    job = M.profile_document(F.JAVA_JOB, role="job", title=F.JAVA_JOB_TITLE)
    for resume in F.RESUMES.values():
        d = job_fit.fit_details(M.profile_document(resume), job)
        w, p = d["weights"], d["parts"]
        rebuilt = 100 * (w["skills"] * p["skills"] + w["field"] * p["field"] + w["text"] * d["text_part"])
        assert abs(rebuilt * d["core"]["factor"] - d["score"]) <= 0.2


def test_same_field_resume_with_the_jobs_own_skills_is_closer_than_one_with_other_skills():
    # Both resumes have the same mass per field (two web skills, one language, all in lines of work):
    # only the skill-by-skill part of field similarity can tell React/Redux/TypeScript from
    # Django/Flask/PHP for a React posting.
    job = "Frontend Developer\n\nBuild user interfaces with React and Redux.\nWrite TypeScript for the web client."
    same = "Developer\n\nExperience\nBuilt dashboards with React and Redux for a client.\nWrote TypeScript modules."
    other = "Developer\n\nExperience\nBuilt dashboards with Django and Flask for a client.\nWrote PHP modules."
    near = match_resume(same, job, use_embeddings=False)
    far = match_resume(other, job, use_embeddings=False)
    assert near.field_similarity >= far.field_similarity + 0.1


def test_the_jobs_title_is_a_chunk_of_its_own_in_text_similarity():
    # the MiniLM weights are a project dependency (make install): no skip when they are missing
    job = M.profile_document(F.JAVA_JOB, role="job", title=F.JAVA_JOB_TITLE)
    untitled = M.profile_document(F.JAVA_JOB, role="job")
    assert job.embeddings.shape[0] == untitled.embeddings.shape[0] + 1
    title = embeddings.get_encoder().encode([F.JAVA_JOB_TITLE.strip()])[0]
    assert float(job.embeddings[0] @ title) > 0.99
    resume = M.profile_document(F.JAVA_RESUME)
    assert resume.embeddings.shape[0] == len(M._chunks(F.JAVA_RESUME))   # a resume is embedded as it is


def test_the_skills_part_is_derivable_from_the_rule_shown_beside_it():
    """The fit card shows "skills of the job found (0.01)" beside "1 of 11 skills": the rule it
    also shows (job_fit.SKILLS_RULE) must give that number from the skills and where they appear."""
    from interviewer.services import job_fit

    for resume, job, title in ((DATA_RESUME, DATA_JD, "Data Engineer"), (LISTED_RESUME, DATA_JD, "Data Engineer"),
                               (HR_RESUME, DATA_JD, ""), (DATA_RESUME, HR_JD, "HR Generalist")):
        r = M.profile_document(resume, embed=False)
        j = M.profile_document(job, embed=False, role="job", title=title)
        shown = job_fit.fit_details(r, j)["parts"]["skills"]
        weights = {s: (M.GENERIC_SKILL_WEIGHT if h.field in M.GENERIC_FIELDS else 1.0)
                   * min(2.0, 1.0 + 0.5 * (h.count - 1)) * (M.CORE_WEIGHT if s in j.core else 1.0)
                   for s, h in j.hits.items()}
        counted = {s: min(1.0, M.CONTEXT_WEIGHT[h.context] + 0.05 * min(4, h.count - 1)) for s, h in r.hits.items()}
        assert shown == pytest.approx(sum(w * counted.get(s, 0.0) for s, w in weights.items()) / sum(weights.values()),
                                      abs=0.0051)
    for constant in (M.GENERIC_SKILL_WEIGHT, M.CORE_WEIGHT, *M.CONTEXT_WEIGHT.values()):
        assert f"{constant:g}" in job_fit.SKILLS_RULE



def test_a_posting_profile_reused_for_many_resumes_scores_each_as_a_fresh_one():
    """A large job's refresh profiles the posting once and meets every candidate with it: the memo of its
    field vectors must give each resume exactly the fit a freshly profiled posting gives."""
    texts = (DATA_RESUME, HR_RESUME, ACCOUNTANT_RESUME, LISTED_RESUME)
    job = M.profile_document(DATA_JD, embed=False, role="job", title="Data Engineer")
    shared = [M.match_profiles(M.profile_document(t, embed=False), job, use_embeddings=False) for t in texts]
    for text, got in zip(texts, shared, strict=True):
        fresh = M.match_profiles(M.profile_document(text, embed=False),
                                 M.profile_document(DATA_JD, embed=False, role="job", title="Data Engineer"),
                                 use_embeddings=False)
        assert got == fresh
    assert shared[0].score > max(shared[1].score, shared[2].score)   # the data engineer leads
    assert job.field_vectors() == M._field_vectors(job.hits)
    assert job.field_vectors(demonstrated=True) == M._field_vectors(job.hits, demonstrated=True)
    assert M._cosine({"a": 3.0, "b": 4.0}, {"a": 3.0, "b": 4.0, "c": 0.0}) == pytest.approx(1.0)
    assert M._cosine({"a": 1.0}, {"b": 1.0}) == 0.0 and M._cosine({}, {"a": 1.0}) == 0.0


@pytest.mark.parametrize(("text", "named", "not_named"), [
    ("Deploy on Tomcat and IIS", {"Apache Tomcat", "Microsoft IIS"}, {"Nginx"}),
    ("Track work in Jira", {"Jira"}, {"Agile"}),
    ("Experience with NoSQL stores such as DynamoDB", {"NoSQL databases", "Amazon DynamoDB"}, {"Cassandra"}),
    ("Dashboards in Qlik and Power BI", {"Qlik", "Power BI"}, {"Tableau"}),
    ("Version control with SVN", {"Apache Subversion (SVN)", "Version control"}, {"Git"}),
    ("Layouts with Bootstrap", {"Bootstrap"}, {"jQuery"}),
    ("Infrastructure with CloudFormation", {"AWS CloudFormation"}, {"Terraform"}),
    ("Write Chef cookbooks", {"Chef"}, {"Ansible"}),
    ("Less than 3 years of experience is fine", set(), {"Less"}),
])
def test_a_different_product_is_a_skill_of_its_own(text, named, not_named):
    """A posting that asks for Tomcat does not ask for Nginx: the keywords shown are the products it names
    (the vocabulary audit, bench/data/vocab_audit.json)."""
    found = set(extract_skills(text))
    assert named <= found and not (not_named & found)
