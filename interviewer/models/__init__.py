"""All table models, imported here so SQLModel.metadata (and Alembic) sees every table."""

from interviewer.models.ai import IntegritySignal, JobRunStatus, ResumeCheck, TranscriptEntry

from interviewer.models.candidate import Candidate, CandidateStatusHistory
from interviewer.models.company import Company, CompanyRegistrationRequest
from interviewer.models.email import EmailMessage
from interviewer.models.fairness import SelfIdentification
from interviewer.models.fit import JobFit, ResumeProfile
from interviewer.models.enums import (
    CandidateStatus,
    EmailStatus,
    InterviewStatus,
    RegistrationStatus,
    RoundStatus,
    UserRole,
    Verdict,
)
from interviewer.models.interview import Interview, InterviewRound, InterviewScore
from interviewer.models.job import JobTemplate, Question
from interviewer.models.recruiting import EmployeeAvailability, ImportJob, ImportMode, ImportStatus
from interviewer.models.rights import AccommodationRequest, AccommodationStatus, PrivacyLink
from interviewer.models.user import AuditLog, CustomRole, PasswordResetToken, RefreshToken, User

__all__ = [
    "AccommodationRequest",
    "AccommodationStatus",
    "AuditLog",
    "Candidate",
    "CandidateStatus",
    "CandidateStatusHistory",
    "Company",
    "CompanyRegistrationRequest",
    "CustomRole",
    "EmailMessage",
    "EmailStatus",
    "EmployeeAvailability",
    "ImportJob",
    "ImportMode",
    "ImportStatus",
    "IntegritySignal",
    "JobRunStatus",
    "ResumeCheck",
    "ResumeProfile",
    "SelfIdentification",
    "TranscriptEntry",
    "Interview",
    "InterviewRound",
    "InterviewScore",
    "InterviewStatus",
    "JobFit",
    "JobTemplate",
    "Question",
    "PasswordResetToken",
    "PrivacyLink",
    "RefreshToken",
    "RegistrationStatus",
    "RoundStatus",
    "User",
    "UserRole",
    "Verdict",
]
