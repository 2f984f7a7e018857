"""Counted nouns in user-visible text (issue 13, item 13): "1 candidate", never "1 candidates" or
"candidate(s)". One helper (interviewer.core.wording) and its reactive twin for pages."""

from __future__ import annotations

from datetime import date

import reflex as rx

from interviewer.components.ui import count_noun
from interviewer.core.wording import noun, plural
from interviewer.services.ai.ats_offline import analyze_resume_offline
from interviewer.services.ai.schemas import SECTION_KEYS
from interviewer.services.resume_checks import measures

ONE_OF_EACH = """Jane Doe
jane@example.com
Experience
Backend Engineer, Shopwise AG, Munich                    Mar 2018 - Dec 2021
• Improved PostgreSQL query performance by 60% through indexing and query rewrites.
"""
TWO_OF_EACH = ONE_OF_EACH + """Senior Engineer, Paylane GmbH, Berlin                     Jan 2022 - Present
• Cut infrastructure cost by 35% by moving 40 services to Kubernetes.
Education
BSc Computer Science, Technical University of Munich, 2017
"""


def test_plural_takes_the_singular_for_exactly_one():
    assert [plural(n, "candidate") for n in (0, 1, 2, 100)] == [
        "0 candidates", "1 candidate", "2 candidates", "100 candidates"]
    assert plural(1, "quantified achievement") == "1 quantified achievement"
    assert plural(3, "quantified achievement") == "3 quantified achievements"
    assert (plural(1, "company", "companies"), plural(2, "company", "companies")) == ("1 company", "2 companies")
    assert (noun(1, "was", "were"), noun(0, "was", "were"), noun(5, "was", "were")) == ("was", "were", "were")


def test_count_noun_renders_both_forms_for_a_reactive_count():
    js = str(count_noun(rx.Var.create(1), "candidate"))
    assert '"candidate"' in js and '"candidates"' in js and "1" in js
    js = str(count_noun(rx.Var.create(2), "company", "companies"))
    assert '"company"' in js and '"companies"' in js


def _texts(result) -> list[str]:
    return [result.summary, *result.highlights, *result.improvements, *result.formatting_issues,
            *(getattr(result.section_scores, k).feedback for k in SECTION_KEYS)]


def test_ats_advice_counts_in_the_singular_and_the_plural():
    one = analyze_resume_offline(ONE_OF_EACH, None, today=date(2026, 6, 1))
    assert "26 words, 1 section, 1 formatting issue." in one.summary
    fmt = one.section_scores.format_structure.feedback
    assert "Found 1 recognised section heading;" in fmt
    assert "missing headings for professional summary, technical skills and education" in fmt
    assert "a clean layout (1 formatting issue)" in fmt
    assert "1 dated role;" in one.section_scores.work_experience.feedback
    assert one.highlights[-1].startswith("1 quantified achievement, e.g.")
    assert "1 formatting issue." in measures(ONE_OF_EACH, None, one)["format"]["explanation"]

    two = analyze_resume_offline(TWO_OF_EACH, None, today=date(2026, 6, 1))
    assert ", 2 sections, 1 formatting issue." in two.summary
    assert "2 dated roles" in two.section_scores.work_experience.feedback
    assert "Found 2 recognised section headings;" in two.section_scores.format_structure.feedback
    assert two.highlights[-1].startswith("2 quantified achievements, e.g.")

    for text in _texts(one) + _texts(two):
        assert "(s)" not in text, text
