"""Voluntary self-identification for bias audits (sex, race/ethnicity), kept apart from candidates.

A row belongs to the *interview* after which the candidate answered, not to the candidate: it has
no candidate id, name or email, so a query over candidates (lists, detail pages, exports, the AI
inputs) cannot pick it up by joining on ``candidates.id``. Only ``services/fairness.py`` reads the
table, and only to count people per category (``compliance:read``).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from interviewer.models.base import created_at_field, fk
from interviewer.models.types import enum_column_type


class SexCategory(str, enum.Enum):
    FEMALE = "female"
    MALE = "male"
    ANOTHER = "another"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class RaceCategory(str, enum.Enum):
    """The EEO-1 race/ethnicity categories (Hispanic or Latino first, as EEO-1 counts it)."""

    HISPANIC_LATINO = "hispanic_latino"
    WHITE = "white"
    BLACK = "black"
    NATIVE_HAWAIIAN_PACIFIC_ISLANDER = "native_hawaiian_pacific_islander"
    ASIAN = "asian"
    AMERICAN_INDIAN_ALASKA_NATIVE = "american_indian_alaska_native"
    TWO_OR_MORE = "two_or_more"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


SEX_LABELS: dict[str, str] = {
    SexCategory.FEMALE.value: "Female",
    SexCategory.MALE.value: "Male",
    SexCategory.ANOTHER.value: "Another sex or gender",
    SexCategory.PREFER_NOT_TO_SAY.value: "Prefer not to say",
}
RACE_LABELS: dict[str, str] = {
    RaceCategory.HISPANIC_LATINO.value: "Hispanic or Latino",
    RaceCategory.WHITE.value: "White",
    RaceCategory.BLACK.value: "Black or African American",
    RaceCategory.NATIVE_HAWAIIAN_PACIFIC_ISLANDER.value: "Native Hawaiian or Other Pacific Islander",
    RaceCategory.ASIAN.value: "Asian",
    RaceCategory.AMERICAN_INDIAN_ALASKA_NATIVE.value: "American Indian or Alaska Native",
    RaceCategory.TWO_OR_MORE.value: "Two or more races",
    RaceCategory.PREFER_NOT_TO_SAY.value: "Prefer not to say",
}


class SelfIdentification(SQLModel, table=True):
    __tablename__ = "self_identifications"
    __table_args__ = (sa.Index("idx_self_identifications_company", "company_id"),)

    # One answer per interview; deleting the interview (or its candidate) deletes the answer.
    interview_id: uuid.UUID = Field(foreign_key="interviews.id", ondelete="CASCADE", primary_key=True)
    company_id: uuid.UUID = fk("companies.id", nullable=False)
    sex: SexCategory | None = Field(default=None, sa_type=enum_column_type(SexCategory, "self_id_sex"))
    race_ethnicity: RaceCategory | None = Field(default=None,
                                                sa_type=enum_column_type(RaceCategory, "self_id_race"))
    created_at: datetime = created_at_field()
