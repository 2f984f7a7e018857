"""The ATS result as HR reads it on a candidate's page.

The analysis (offline rules or the AI) writes its advice to the person who owns the resume: "your
target role", "needs a summary". A recruiter reads the same findings about someone else, so on
the candidate page the texts are put in the third person and "needs" becomes "lacks"; the
candidate's own /me/ats keeps the original wording. Only the words change, never a finding.
"""

from __future__ import annotations

import dataclasses
import re

from interviewer.state.ats_state import AtsView

# (pattern, replacement), applied in order; the first ones are the specific phrases.
_RULES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in (
    (r"^Offline heuristic ATS score", "ATS score"),  # checks stored before the headline changed
    (r"\byour target role\b", "the target role"),
    (r"\bYour resume\b", "The resume"),
    (r"\byour resume\b", "the resume"),
    (r"\bYou have\b", "The candidate has"),
    (r"\byou have\b", "the candidate has"),
    (r"\bYou are\b", "The candidate is"),
    (r"\byou are\b", "the candidate is"),
    (r"\bYour\b", "The candidate's"),
    (r"\byour\b", "the candidate's"),
    (r"\byourself\b", "themselves"),
    (r"\bYou\b", "The candidate"),
    (r"\byou\b", "the candidate"),
    (r"\): needs\b", "): lacks"),
    (r"^Keyword optimization: needs\b", "Keyword optimization: lacks"),
)]


def recruiter_text(text: str) -> str:
    """One advice text in HR's voice (third person, findings rather than instructions)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def for_recruiter(view: AtsView) -> AtsView:
    """``view`` with every advice text in HR's voice (a new object; the scores are untouched)."""
    sections = [dataclasses.replace(s, feedback=recruiter_text(s.feedback)) for s in view.sections]
    return dataclasses.replace(
        view, summary=recruiter_text(view.summary), sections=sections,
        improvements=[recruiter_text(t) for t in view.improvements],
        highlights=[recruiter_text(t) for t in view.highlights],
        formatting_issues=[recruiter_text(t) for t in view.formatting_issues],
    )
