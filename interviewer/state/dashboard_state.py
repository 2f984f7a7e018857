"""The staff dashboard and the candidate's "My profile" page."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from interviewer.models import UserRole
from interviewer.services import dashboard as dashboard_service
from interviewer.services import ui_queries
from interviewer.services.authz import Actor
from interviewer.services.imports_run import IMPORT_NOTE
from interviewer.state.auth_state import AuthState

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
    from_status: str = ""
    from_label: str = ""
    to_status: str = ""
    to_label: str = ""
    by: str = ""
    when: str = ""


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
    pending_requests: int = 0
    companies_total: int = 0
    show_users: bool = False
    show_jobs: bool = False
    show_interviews: bool = False
    show_admin: bool = False
    funnel: list[FunnelStage] = []
    upcoming: list[UpcomingInterview] = []
    activity: list[ActivityItem] = []

    def _load_lists(self, session: Session, actor: Actor, data) -> None:
        self.funnel = funnel_stages(data.candidates_by_status)
        self.upcoming = [UpcomingInterview(id=i["id"], candidate_id=i["candidate_id"], candidate=i["candidate_name"],
                                           job=i["job_title"], when=fmt_when(i["scheduled_at"]))
                         for i in ui_queries.upcoming_interviews(session, actor, limit=5)]
        self.activity = [] if data.scope == "none" else [
            ActivityItem(candidate_id=a["candidate_id"], candidate=a["candidate_name"], from_status=a["from_status"],
                         from_label=stage_label(a["from_status"]) if a["from_status"] else "",
                         to_status=a["to_status"], to_label=stage_label(a["to_status"]),
                         by=a["by"] or (IMPORT_NOTE if a["note"] == IMPORT_NOTE else "System"),
                         when=fmt_when(a["at"]))
            for a in ui_queries.recent_activity(session, actor, limit=10)]

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
        self.show_admin = data.pending_company_requests is not None
        self.pending_requests = data.pending_company_requests or 0
        self.companies_total = data.companies_total or 0
        self._load_lists(session, actor, data)
        self.loaded = True
        return None

    @rx.event
    def load(self):
        return self._run(self._load, page_load=True)


class MeState(AuthState):
    loaded: bool = False
    profile_name: str = ""
    profile_email: str = ""
    records: list[CandidateRecordRow] = []

    def _load(self, session: Session, actor: Actor):
        if actor.role != UserRole.CANDIDATE:
            return rx.redirect("/dashboard")
        profile = dashboard_service.candidate_profile(session, actor)
        self.profile_name, self.profile_email = profile.name, profile.email
        self.records = [
            CandidateRecordRow(company=r.company_name, job_title=r.job_title or "", status=r.status.value,
                               status_label=stage_label(r.status.value), since=r.created_at.strftime("%d %b %Y"))
            for r in profile.records
        ]
        self.loaded = True
        return None

    @rx.event
    def load(self):
        return self._run(self._load, page_load=True)
