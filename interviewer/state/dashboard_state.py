"""The staff dashboard (an employee's home included) and everyone's "My profile" page."""

from __future__ import annotations

import dataclasses

import reflex as rx
from pydantic import ValidationError
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import UserRole
from interviewer.models.schemas import UserUpdate
from interviewer.services import dashboard as dashboard_service
from interviewer.services import onboarding as onboarding_service
from interviewer.services import users as users_service
from interviewer.services import ui_queries
from interviewer.services.authz import Actor
from interviewer.services.imports_run import IMPORT_NOTE
from interviewer.state.auth_state import AuthState, validation_message

STAGE_LABELS = {
    "new": "New",
    "screening": "Screening",
    "interview_scheduled": "Interview scheduled",
    "interviewed": "Interviewed",
    "offer": "Offer",
    "hired": "Hired",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}
SCOPE_LABELS = {
    "all": "All companies",
    "company": "All candidates of your company",
    "assigned": "Candidates assigned to you",
    "none": "You have no access to candidates",
}


def stage_label(status: str) -> str:
    return STAGE_LABELS.get(status, status.replace("_", " ").capitalize())


def fmt_when(value) -> str:
    return value.strftime("%d %b, %H:%M UTC") if value else "Not scheduled"


@dataclasses.dataclass
class StageCount:
    status: str = ""
    label: str = ""
    count: int = 0


@dataclasses.dataclass
class FunnelStage:
    status: str = ""
    label: str = ""
    count: int = 0
    width: str = "0%"
    color: str = "gray"
    conversion: str = ""


@dataclasses.dataclass
class UpcomingInterview:
    id: str = ""
    candidate_id: str = ""
    candidate: str = ""
    job: str = ""
    when: str = ""


@dataclasses.dataclass
class ActivityItem:
    candidate_id: str = ""
    candidate: str = ""
    count: int = 1  # > 1: a batch (an import, a bulk move) shown as one row
    summary: str = ""  # the batch in words ('Imported 50 candidates'); '' for a single move
    href: str = ""  # where the row leads: the candidate, or the list of the batch's stage
    from_status: str = ""
    from_label: str = ""
    to_status: str = ""
    to_label: str = ""
    by: str = ""
    when: str = ""


@dataclasses.dataclass
class ReviewItem:
    id: str = ""
    candidate: str = ""
    job: str = ""
    verdict: str = ""
    score: str = ""
    finished: str = ""


@dataclasses.dataclass
class OnboardingItem:
    key: str = ""
    title: str = ""
    description: str = ""
    href: str = ""
    action: str = ""
    done: bool = False
    optional: bool = False


def activity_item(a: dict) -> ActivityItem:
    """One row of recent activity (``dashboard_service.recent_activity``) for the page."""
    n = a["count"]
    if n > 1:
        verb = "Imported" if a["import_batch"] else ("Added" if not a["from_status"] else "Moved")
        summary, href = f"{verb} {n} candidates", f"/candidates?status={a['to_status']}"
    else:
        summary, href = "", f"/candidates/{a['candidate_id']}"
    return ActivityItem(candidate_id=a["candidate_id"], candidate=a["candidate_name"], count=n, summary=summary,
                        href=href, from_status=a["from_status"],
                        from_label=stage_label(a["from_status"]) if a["from_status"] else "",
                        to_status=a["to_status"], to_label=stage_label(a["to_status"]),
                        by=a["by"] or (IMPORT_NOTE if a["import_batch"] else "System"), when=fmt_when(a["at"]))


FUNNEL = ("new", "screening", "interview_scheduled", "interviewed", "offer", "hired")
FUNNEL_COLORS = {"new": "blue", "screening": "cyan", "interview_scheduled": "violet", "interviewed": "iris",
                 "offer": "amber", "hired": "green"}


def funnel_stages(counts: dict[str, int]) -> list[FunnelStage]:
    """The active pipeline in order; bar widths relative to the largest stage."""
    active = sum(counts.get(s, 0) for s in FUNNEL)
    top = max([counts.get(s, 0) for s in FUNNEL] + [1])
    return [FunnelStage(status=s, label=stage_label(s), count=counts.get(s, 0),
                        width=f"{counts.get(s, 0) * 100 / top:.0f}%", color=FUNNEL_COLORS[s] if counts.get(s, 0) else "gray",
                        conversion=f"{counts.get(s, 0) * 100 / active:.0f}% of pipeline" if active else "")
            for s in FUNNEL]


@dataclasses.dataclass
class CandidateRecordRow:
    company: str = ""
    job_title: str = ""
    status: str = ""
    status_label: str = ""
    since: str = ""


class DashboardState(AuthState):
    loaded: bool = False
    stages: list[StageCount] = []
    candidates_total: int = 0
    scope_label: str = ""
    users_total: int = 0
    users_active: int = 0
    jobs_total: int = 0
    interviews_upcoming: int = 0
    awaiting_total: int = 0
    show_awaiting: bool = False
    awaiting: list[ReviewItem] = []
    is_employee: bool = False
    my_slots: int = 0
    my_next_slot: str = ""
    pending_requests: int = 0
    companies_total: int = 0
    show_users: bool = False
    show_jobs: bool = False
    show_interviews: bool = False
    show_admin: bool = False
    funnel: list[FunnelStage] = []
    upcoming: list[UpcomingInterview] = []
    activity: list[ActivityItem] = []
    onboarding: list[OnboardingItem] = []  # the getting-started steps; [] when hidden
    onboarding_done: int = 0
    onboarding_total: int = 0

    def _load_onboarding(self, session: Session, actor: Actor) -> None:
        data = onboarding_service.checklist(session, actor)
        visible = data is not None and data.visible
        self.onboarding = [OnboardingItem(key=s.key, title=s.title, description=s.description, href=s.href,
                                          action=s.action, done=s.done, optional=s.optional)
                           for s in data.steps] if visible else []
        self.onboarding_done = data.done_count if visible else 0
        self.onboarding_total = len(data.required) if visible else 0

    def _load_lists(self, session: Session, actor: Actor, data) -> None:
        self.funnel = funnel_stages(data.candidates_by_status)
        self.upcoming = [UpcomingInterview(id=i["id"], candidate_id=i["candidate_id"], candidate=i["candidate_name"],
                                           job=i["job_title"], when=fmt_when(i["scheduled_at"]))
                         for i in ui_queries.upcoming_interviews(session, actor, limit=5)]
        self.activity = [activity_item(a) for a in dashboard_service.recent_activity(session, actor, limit=10)]
        self.awaiting = [ReviewItem(id=r["id"], candidate=r["candidate_name"], job=r["job_title"], verdict=r["verdict"],
                                    score="" if r["score"] is None else str(r["score"]),
                                    finished=fmt_when(r["completed_at"]))
                         for r in dashboard_service.awaiting_review(session, actor, limit=8)]
        self.is_employee = actor.role == UserRole.EMPLOYEE
        if self.is_employee:
            home = dashboard_service.employee_home(session, actor)
            self.my_slots = home.slots_ahead
            self.my_next_slot = fmt_when(home.next_slot) if home.next_slot else ""

    def _load(self, session: Session, actor: Actor):
        if actor.role == UserRole.CANDIDATE:
            return rx.redirect("/me")
        data = dashboard_service.summary(session, actor)
        self.stages = [StageCount(status=k, label=stage_label(k), count=v)
                       for k, v in data.candidates_by_status.items()]
        self.candidates_total = data.candidates_total
        self.scope_label = SCOPE_LABELS.get(data.scope, "")
        self.show_users = data.users_total is not None
        self.users_total, self.users_active = data.users_total or 0, data.users_active or 0
        self.show_jobs = data.jobs_total is not None
        self.jobs_total = data.jobs_total or 0
        self.show_interviews = data.interviews_upcoming is not None
        self.interviews_upcoming = data.interviews_upcoming or 0
        self.show_awaiting = data.awaiting_review is not None
        self.awaiting_total = data.awaiting_review or 0
        self.show_admin = data.pending_company_requests is not None
        self.pending_requests = data.pending_company_requests or 0
        self.companies_total = data.companies_total or 0
        self._load_lists(session, actor, data)
        self._load_onboarding(session, actor)
        self.loaded = True
        return None

    @rx.event
    def load(self):
        return self._run(self._load, page_load=True)

    @rx.event
    def dismiss_onboarding(self):
        def _work(session: Session, actor: Actor):
            onboarding_service.dismiss(session, actor)
            self.onboarding, self.onboarding_done, self.onboarding_total = [], 0, 0
            return rx.toast.info("The getting-started list is hidden for your company.")

        return self._run(_work)


class MeState(AuthState):
    """/me: anyone's own account (name; the password form is ``ChangePasswordState``'s, shared with
    /account/password) and, for a candidate, their applications."""

    loaded: bool = False
    is_candidate: bool = False
    profile_name: str = ""
    profile_email: str = ""
    records: list[CandidateRecordRow] = []
    n_name: str = ""
    n_error: str = ""

    def _load(self, session: Session, actor: Actor):
        self.is_candidate = actor.role == UserRole.CANDIDATE
        self.profile_name, self.profile_email = actor.name, actor.email
        self.records = []
        if self.is_candidate:
            profile = dashboard_service.candidate_profile(session, actor)
            self.profile_name, self.profile_email = profile.name, profile.email
            self.records = [
                CandidateRecordRow(company=r.company_name, job_title=r.job_title or "", status=r.status.value,
                                   status_label=stage_label(r.status.value), since=r.created_at.strftime("%d %b %Y"))
                for r in profile.records
            ]
        self.n_name, self.n_error = self.profile_name, ""
        self.loaded = True
        return None

    @rx.event
    def load(self):
        return self._run(self._load, page_load=True)

    @rx.event
    def set_n_name(self, value: str):
        self.n_name = value

    @rx.event
    def save_name(self):
        self.n_error = ""
        try:
            data = UserUpdate(name=self.n_name.strip())
        except ValidationError as exc:
            self.n_error = validation_message(exc)
            return None

        def _work(session: Session, actor: Actor):
            try:
                user = users_service.update_user(session, actor, actor.id, data)
            except E.DomainError as exc:
                self.n_error = exc.message
                raise
            self.profile_name = self.n_name = user.name
            self.user = dataclasses.replace(self.user, name=user.name)
            return rx.toast.success("Your name was saved.")

        result = self._run(_work)
        return None if self.n_error else result

