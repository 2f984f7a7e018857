"""Demo data (``python -m interviewer seed --demo``). Idempotent: running it again changes nothing.

Every demo account uses the password ``demo-pass-123``: for local demos only, never production.
A candidate listed as "interview scheduled" really has one: HR schedules it through the
interviews service (tomorrow 10:00 UTC), so its invitation, with a working link, is in the Outbox.
The company candidates come with resumes (``seed_resumes.py``), attached as uploads, so the
worker extracts them and each job's "Candidates by fit" is ranked; Casey Morgan, the candidate
account, has none (the list shows how a candidate without a resume appears).

Noah Schmidt has taken his interview already, so a recruiter sees a scored report at once: the seed
schedules it through the service, opens it by its link and types his answers through the same
live-interview service a candidate's browser uses (follow-ups included), then completes it. The
worker scores the transcript like any other (``process_interview``); nothing of the report is
written by the seed. His answers mix a strong one, one with a confident mistake and a hedged one.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from interviewer.core.security import hash_password, utcnow
from interviewer.db import session_scope
from interviewer.models import Candidate, CandidateStatus, Company, JobTemplate, Question, User, UserRole
from interviewer.seed_resumes import DEMO_RESUMES
from interviewer.services import candidates, interviews, live_interview, pipeline
from interviewer.services.authz import actor_for

DEMO_PASSWORD = "demo-pass-123"

# The wrong ideas HR listed for some demo questions (questions.red_flags): the playground and the scorer read them.
WRONG_IDEAS = {
    "How would you design a rate limiter for a public REST API that runs on several servers?": [
        "Each server can keep its own counters in memory; no shared store is needed.",
        "When a client goes over the limit, the API should return a 500 error.",
    ],
    "Explain what a database index is and when adding one makes a query slower overall.": [
        "An index makes inserts and updates faster as well.",
        "Indexing a column with only a few distinct values always speeds up queries a lot.",
    ],
}

COMPANIES = {
    "Acme": {
        "domain": "acme.test",
        "hr": ("hr@acme.test", "Hannah Reyes"),
        "dev": ("dev@acme.test", "Dev Patel"),
        "job": ("Backend Engineer (Python)",
                "Build and operate the REST services behind our logistics platform: Python, FastAPI, "
                "PostgreSQL, Redis, Docker and AWS. You design APIs, write tests and own production."),
        "questions": [
            ("How would you design a rate limiter for a public REST API that runs on several servers?",
             # "Topic: what a good answer says": a follow-up names only the topic, never the rest.
             ["Shared store: the counters live in Redis or a similar store every server uses",
              "Algorithm: fixed or sliding window, or token bucket", "Key: a limit per client or API key",
              "Response: 429 with Retry-After"]),
            ("Explain what a database index is and when adding one makes a query slower overall.",
             ["Structure: an index is a sorted lookup structure such as a B-tree",
              "Reads: it speeds up queries that filter or sort", "Writes: every write and the storage cost more",
              "Selectivity: low-selectivity columns gain little"]),
            ("Walk through how you would find the cause of a sudden rise in API latency in production.",
             ["Signals: check metrics and recent deploys", "Scope: narrow it down by endpoint",
              "Database: look at slow queries", "Fix: reproduce, fix, then verify"]),
        ],
        "candidates": [
            ("Maria Lopez", "maria.lopez@example.test", CandidateStatus.NEW, "referral"),
            ("Tom Becker", "tom.becker@example.test", CandidateStatus.SCREENING, "linkedin"),
            ("Aisha Khan", "aisha.khan@example.test", CandidateStatus.NEW, "careers page"),
            ("Jonas Weber", "jonas.weber@example.test", CandidateStatus.INTERVIEW_SCHEDULED, "agency"),
        ],
    },
    "Globex": {
        "domain": "globex.test",
        "hr": ("hr@globex.test", "Grace Okafor"),
        "dev": ("dev@globex.test", "Diego Santos"),
        "job": ("Data Engineer",
                "Own our batch and streaming pipelines: SQL, Python, Airflow, Spark and Kafka on GCP. "
                "You model data, keep pipelines reliable and work with analysts."),
        "questions": [
            ("What is the difference between a batch and a streaming pipeline, and when would you choose each?",
             ["batch processes bounded data on a schedule", "streaming processes events continuously",
              "latency versus cost and complexity", "example use cases"]),
            ("How do you make a data pipeline idempotent?",
             ["re-running gives the same result", "upserts or overwrite partitions", "deduplication keys",
              "checkpoints"]),
        ],
        "candidates": [
            ("Lena Fischer", "lena.fischer@example.test", CandidateStatus.NEW, "linkedin"),
            ("Omar Haddad", "omar.haddad@example.test", CandidateStatus.SCREENING, "referral"),
            ("Priya Nair", "priya.nair@example.test", CandidateStatus.NEW, "careers page"),
        ],
    },
}
CANDIDATE_ACCOUNT = ("candidate@demo.test", "Casey Morgan")
# The Acme candidate whose interview the demo has already taken: (name, email, source, answers), one
# (answer, reply to a follow-up) per Acme question in order. The replies are written for the
# follow-ups the offline interviewer asks; another provider may ask something else, and a question
# without a scripted reply gets NO_MORE.
COMPLETED = ("Noah Schmidt", "noah.schmidt@example.test", "referral", [
    ("Every server checks the limit against counters in Redis, so all instances share the same count. I'd "
     "count per API key with a sliding window, or a token bucket if bursts should be allowed. When a client "
     "is over the limit the API answers 429 Too Many Requests with a Retry-After header saying when to try "
     "again.", None),
    ("An index is a sorted lookup structure, usually a B-tree, so a query that filters or sorts on the "
     "column finds its rows without scanning the table. Writes are not affected by indexes at all, the "
     "database updates them later in the background.",
     "Nothing special, the database keeps the index up to date on its own."),
    ("I'm not completely sure about the best order, but I would start with the dashboards and check whether "
     "there was a deploy right before the latency went up. Then I'd narrow it down to the endpoints that got "
     "slower, and look at the slow query log for those. Once I can reproduce it, I fix it and verify on the "
     "metrics that latency is back to normal.", None),
])
NO_MORE = "I think I have said what I know about that."


def _tomorrow_at_ten() -> datetime:
    return datetime.combine((utcnow() + timedelta(days=1)).date(), time(10), tzinfo=utcnow().tzinfo)


def _user(session: Session, email: str, name: str, role: UserRole, company_id, password_hash: str) -> User:
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=name, role=role, company_id=company_id, password_hash=password_hash,
                    email_verified=True)
        session.add(user)
        session.flush()
    return user


def seed_demo() -> dict[str, int]:
    created = {"companies": 0, "users": 0, "candidates": 0, "jobs": 0}
    pw = hash_password(DEMO_PASSWORD)
    with session_scope() as session:
        before_users = len(session.exec(select(User.id)).all())
        _user(session, "admin@demo.test", "Sam Admin", UserRole.SYSTEM_ADMIN, None, pw)
        for name, spec in COMPANIES.items():
            company = session.exec(select(Company).where(Company.name == name)).first()
            if company is None:
                company = Company(name=name, domain=spec["domain"])
                session.add(company)
                session.flush()
                created["companies"] += 1
            hr = _user(session, *spec["hr"], UserRole.HR, company.id, pw)
            dev = _user(session, *spec["dev"], UserRole.EMPLOYEE, company.id, pw)
            if dev.manager_id is None:
                dev.manager_id, dev.department = hr.id, "Engineering"
            title, description = spec["job"]
            job = session.exec(select(JobTemplate).where(JobTemplate.company_id == company.id,
                                                         JobTemplate.title == title)).first()
            if job is None:
                job = JobTemplate(company_id=company.id, created_by=hr.id, title=title, description=description)
                session.add(job)
                session.flush()
                created["jobs"] += 1
                for pos, (text, points) in enumerate(spec["questions"]):
                    session.add(Question(job_template_id=job.id, text=text, created_by=hr.id, weight=1,
                                         position=pos, key_points=points, red_flags=WRONG_IDEAS.get(text, [])))
            for i, (cname, email, status, source) in enumerate(spec["candidates"]):
                if session.exec(select(Candidate).where(Candidate.company_id == company.id,
                                                        Candidate.email == email)).first() is None:
                    scheduled = status == CandidateStatus.INTERVIEW_SCHEDULED
                    cand = Candidate(company_id=company.id, name=cname, email=email,
                                     status=CandidateStatus.SCREENING if scheduled else status,
                                     source=source, job_template_id=job.id,
                                     assigned_to=dev.id if i % 2 == 0 else None)
                    session.add(cand)
                    session.flush()
                    pipeline.record_initial(session, cand, None, note="Demo data")
                    created["candidates"] += 1
                    if email in DEMO_RESUMES:  # as an upload: the worker extracts it and ranks the job's fit
                        candidates.attach_resume(session, actor_for(session, hr), cand.id,
                                                 DEMO_RESUMES[email].encode(), "resume.txt")
                    if scheduled:  # the service moves the candidate on and mails the invitation
                        interviews.schedule_interview(session, actor_for(session, hr), interviews.InterviewCreate(
                            candidate_id=cand.id, job_template_id=job.id, scheduled_at=_tomorrow_at_ten(),
                            duration_minutes=30))
        acme = session.exec(select(Company).where(Company.name == "Acme")).one()
        created["candidates"] += _completed_interview(session, acme)
        cand_user = _user(session, *CANDIDATE_ACCOUNT, UserRole.CANDIDATE, None, pw)
        record = session.exec(select(Candidate).where(Candidate.company_id == acme.id,
                                                      Candidate.email == CANDIDATE_ACCOUNT[0])).first()
        if record is None:
            acme_job = session.exec(select(JobTemplate).where(JobTemplate.company_id == acme.id)).first()
            cand = Candidate(company_id=acme.id, name=CANDIDATE_ACCOUNT[1], email=CANDIDATE_ACCOUNT[0],
                             status=CandidateStatus.SCREENING, source="demo", user_id=cand_user.id,
                             job_template_id=acme_job.id if acme_job else None)
            session.add(cand)
            session.flush()
            pipeline.record_initial(session, cand, None, note="Demo data")
            created["candidates"] += 1
        session.flush()
        created["users"] = len(session.exec(select(User.id)).all()) - before_users
    return created


def _completed_interview(session: Session, company: Company) -> int:
    """Noah Schmidt's interview, taken through the live-interview service (see the module doc).
    Returns 1 when it created him, 0 when he was there already."""
    name, email, source, answers = COMPLETED
    if session.exec(select(Candidate).where(Candidate.company_id == company.id, Candidate.email == email)).first():
        return 0
    hr = session.exec(select(User).where(User.company_id == company.id, User.role == UserRole.HR)).first()
    job = session.exec(select(JobTemplate).where(JobTemplate.company_id == company.id)).first()
    if hr is None or job is None:
        return 0
    cand = Candidate(company_id=company.id, name=name, email=email, status=CandidateStatus.SCREENING, source=source,
                     job_template_id=job.id)
    session.add(cand)
    session.flush()
    pipeline.record_initial(session, cand, None, note="Demo data")
    actor = actor_for(session, hr)
    if email in DEMO_RESUMES:
        candidates.attach_resume(session, actor, cand.id, DEMO_RESUMES[email].encode(), "resume.txt")
    interview = interviews.schedule_interview(session, actor, interviews.InterviewCreate(
        candidate_id=cand.id, job_template_id=job.id, scheduled_at=utcnow(), duration_minutes=30))
    token = interviews.link_token_of(interview)  # the link of his invitation in the Outbox
    step = live_interview.open_session(session, token)["current"]
    while step["kind"] != "done":
        answer, reply = answers[step["question_index"]]
        text = answer if step["kind"] == "question" else reply or NO_MORE
        live_interview.record_utterance(session, token, step["question_index"], text, source="typed")
        step = live_interview.finish_answer(session, token, step["question_index"], step["attempt"])
    live_interview.complete(session, token)  # the worker scores it (process_interview, after commit)
    return 1
