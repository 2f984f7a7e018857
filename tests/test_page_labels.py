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


def test_field_names_its_control_by_id_or_by_aria_label():
    from interviewer.components.ui import field, named

    tied = str(field("Email", rx.input(id="user-email")))
    assert 'jsx("label",{htmlFor:"user-email"}' in tied
    select = str(field("Role", rx.select(["HR", "Employee"])))
    assert 'RadixThemesSelect.Trigger,{"aria-label":"Role"}' in select  # on the trigger a reader reaches
    compound = str(field("Key points", rx.vstack(rx.text("chips"), rx.input(placeholder="Add a point"))))
    assert '"aria-label":"Key points"' in compound  # the first control of a compound field
    assert '"aria-label":"How many"' in str(named(rx.select(["1", "2"]), "How many"))
