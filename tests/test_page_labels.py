"""Visible labels of form controls are tied to their control (a click on "I prefer to type my
answers" flips the switch; a screen reader names the control by its label)."""

from __future__ import annotations

import re
from pathlib import Path

import reflex as rx

from interviewer.components.ui import control_label

PAGES = Path(__file__).resolve().parents[1] / "interviewer"


def test_control_label_renders_a_label_element_with_for():
    rendered = str(control_label("Read questions aloud", "live-speak-toggle", size="1"))
    assert rendered.startswith('jsx("label"') and 'htmlFor:"live-speak-toggle"' in rendered
    assert '["htmlFor"]' not in rendered  # not a style property


def test_no_page_builds_a_label_that_reflex_would_turn_into_a_style():
    """``rx.text(as_="label", html_for=...)`` renders ``css: {htmlFor: ...}``: the label looks right
    and is tied to nothing. Every page uses ``control_label`` instead."""
    assert '["htmlFor"]' in str(rx.text("x", as_="label", html_for="y"))  # the trap this guards
    offenders = [f"{path.relative_to(PAGES)}:{n}" for path in PAGES.rglob("*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if "``" not in line and re.search(r"as_=.label.*html_for=|html_for=.*as_=.label", line)]
    assert offenders == []
