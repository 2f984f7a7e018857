"""Response schemas for resume ATS analysis.

``ATSResult`` is exactly the public result shape, whichever provider (LLM or offline heuristics)
produced it; ``ATSAnalysis`` wraps it with provenance so the shape itself never grows extra keys.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

SECTION_KEYS = (
    "contact_info",
    "format_structure",
    "professional_summary",
    "work_experience",
    "technical_skills",
    "education",
    "keyword_optimization",
)


class SectionScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=5)
    feedback: str


class SectionScores(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_info: SectionScore
    format_structure: SectionScore
    professional_summary: SectionScore
    work_experience: SectionScore
    technical_skills: SectionScore
    education: SectionScore
    keyword_optimization: SectionScore


class ATSResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=100)
    summary: str
    section_scores: SectionScores
    highlights: list[str]
    improvements: list[str]
    keywords_found: list[str]
    keywords_missing: list[str]
    formatting_issues: list[str]
    ats_friendly: bool


class ATSAnalysis(BaseModel):
    """An ATS result plus where it came from (``provider`` is e.g. ``"offline"``) and how long it took."""

    model_config = ConfigDict(extra="forbid")

    result: ATSResult
    provider: str
    duration_ms: int = Field(ge=0)
