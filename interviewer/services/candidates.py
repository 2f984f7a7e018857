"""Candidates (spec 5.4, 6.3): tenant-scoped CRUD, search, assignment, invitations and resumes.

Who sees what: HR and admins (``candidates:read``/``candidates:write``) every candidate of their
company; employees (``candidates:read_assigned``) only those assigned to them - anything else is
404, exactly like another company's id; candidates only their own rows (``list_my_candidates``).
Emails are stored lower-cased (all writers normalise), which keeps search and uniqueness simple.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import delete, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.jobs import queue as job_queue
from interviewer.models import Candidate, CandidateStatus, JobTemplate, User, UserRole
from interviewer.models.schemas import (
    AssignRequest as _Unused,  # noqa: F401  (placeholder removed below)
) if False else None  # pragma: no cover
