"""Getting started for a new company: the first steps of a hiring process, each checked from the
company's real data, so the dashboard leads a new HR user somewhere other than a wall of zeros.

Every step links to the page where it is done. The checklist is for the people who set the
company up (``company:settings``); it is gone once every required step is done, or when one of
them dismisses it (remembered per company in ``companies.settings["onboarding"]``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, exists, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import (
    Candidate,
    Company,
    Interview,
    JobTemplate,
    User,
    UserRole,
)
from interviewer.models.job import Question
from interviewer.services import audit
from interviewer.services.authz import Actor
from interviewer.services.cache import invalidate_company_settings

SETTINGS_KEY = "onboarding"


@dataclass(frozen=True)
class OnboardingStep:
    key: str
    title: str
    description: str
    href: str  # where the step is done
    action: str  # the link's label
    done: bool
    optional: bool = False


@dataclass(frozen=True)
class Onboarding:
    steps: list[OnboardingStep]
    dismissed: bool

    @property
    def required(self) -> list[OnboardingStep]:
        return [s for s in self.steps if not s.optional]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.required if s.done)

    @property
    def complete(self) -> bool:
        return all(s.done for s in self.required)

    @property
    def visible(self) -> bool:
        """Shown until every required step is done or someone dismissed it."""
        return not (self.complete or self.dismissed)


def _applies(actor: Actor) -> bool:
    return actor.company_id is not None and not actor.is_admin and actor.can("company:settings")


def _exists(session: Session, query) -> bool:
    return bool(session.exec(select(exists(query))).one())


def checklist(session: Session, actor: Actor) -> Onboarding | None:
    """The company's getting-started steps as they stand now; ``None`` for someone it is not for
    (employees, candidates, system admins)."""
    if not _applies(actor):
        return None
    cid = actor.company_id
    company = session.get(Company, cid)
    if company is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    settings = company.settings or {}

    colleague = _exists(session, select(User.id).where(User.company_id == cid, User.id != actor.id,
                                                       User.role != UserRole.CANDIDATE))
    first_job = session.exec(select(JobTemplate.id).where(JobTemplate.company_id == cid)
                             .order_by(col(JobTemplate.created_at).asc(), JobTemplate.id).limit(1)).first()
    with_questions = select(Question.job_template_id).join(JobTemplate, JobTemplate.id == Question.job_template_id) \
        .where(JobTemplate.company_id == cid)
    questions = first_job is not None and _exists(session, with_questions)
    # A job still without questions is where the next step is done (else the first job).
    bare_job = None if questions or first_job is None else session.exec(
        select(JobTemplate.id).where(JobTemplate.company_id == cid, col(JobTemplate.id).not_in(with_questions))
        .order_by(col(JobTemplate.created_at).asc(), JobTemplate.id).limit(1)).first()
    newest_candidate = session.exec(select(Candidate.id).where(Candidate.company_id == cid)
                                    .order_by(col(Candidate.created_at).desc(), Candidate.id).limit(1)).first()
    interview = _exists(session, select(Interview.id).where(Interview.company_id == cid))
    ai = bool(settings.get("ai"))

    job_href = f"/jobs/{bare_job or first_job}" if (bare_job or first_job) else "/jobs"
    steps = [
        OnboardingStep("invite", "Invite a colleague",
                       "Add an HR colleague or an interviewer; they get an email to set their password.",
                       "/users", "Invite", colleague),
        OnboardingStep("job", "Create a job", "A job template holds the role, its description and its questions.",
                       "/jobs", "Create a job", first_job is not None),
        OnboardingStep("questions", "Add or generate its questions",
                       "Write interview questions, or let the AI draft them from the job description.",
                       job_href, "Add questions", questions),
        OnboardingStep("candidates", "Add candidates", "Add one person with their resume, or import a CSV list.",
                       "/candidates", "Add candidates", newest_candidate is not None),
        OnboardingStep("interview", "Schedule the first interview",
                       "Pick a candidate, a time and the job; they get an email with the link.",
                       f"/interviews?schedule={newest_candidate}" if newest_candidate else "/interviews",
                       "Schedule", interview),
        OnboardingStep("ai", "Configure AI (optional)",
                       "The built-in offline analysis works without a key; add a Gemini key for AI-written "
                       "questions and scoring.", "/settings/ai", "AI settings", ai, optional=True),
    ]
    return Onboarding(steps=steps, dismissed=bool((settings.get(SETTINGS_KEY) or {}).get("dismissed_at")))


def dismiss(session: Session, actor: Actor) -> None:
    """Hide the checklist for the whole company (any of its HR users may)."""
    if actor.is_admin or actor.company_id is None:
        raise E.PermissionDeniedError("The getting-started list belongs to a company.", code=E.PERM_DENIED)
    actor.require("company:settings")
    company = session.exec(select(Company).where(Company.id == actor.company_id).with_for_update()).first()
    if company is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    settings = dict(company.settings or {})
    settings[SETTINGS_KEY] = {"dismissed_at": utcnow().isoformat(), "dismissed_by": str(actor.id)}
    company.settings = settings
    session.add(company)
    invalidate_company_settings(company.id, session)
    audit.record(session, actor=actor, action="company.onboarding_dismiss", entity_type="company",
                 entity_id=company.id, company_id=company.id, details={})

