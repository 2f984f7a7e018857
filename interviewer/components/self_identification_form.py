"""The optional, voluntary self-identification card shown after the interview is complete."""

from __future__ import annotations

import reflex as rx

from interviewer.state.self_identification_state import RACE_CHOICES, SEX_CHOICES
from interviewer.state.self_identification_state import SelfIdentificationState as S

EXPLANATION = ("These two questions are optional. Employers check that their hiring treats every group fairly "
               "by comparing how often people of each group move forward. Your answers are stored separately "
               "from your application, are never shown to the people who decide on it, are never given to the "
               "AI and never change your score: they are only counted in totals. Skipping changes nothing.")


def _question(title: str, choices: list[str], value: rx.Var, on_change, id_: str) -> rx.Component:
    return rx.vstack(
        rx.text(title, size="2", weight="bold", id=f"{id_}-label"),
        rx.radio_group(choices, value=value, on_change=on_change, direction="column", size="2", id=id_,
                       aria_labelledby=f"{id_}-label"),
        spacing="2",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.heading("Optional: help check that hiring is fair", size="4"),
        rx.text(EXPLANATION, size="2", color_scheme="gray"),
        rx.grid(
            _question("Sex", SEX_CHOICES, S.sex, S.set_sex, "selfid-sex"),
            _question("Race / ethnicity", RACE_CHOICES, S.race, S.set_race, "selfid-race"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        rx.hstack(
            rx.button(rx.cond(S.saving, rx.spinner(size="2"), rx.icon("send", size=16)), "Send my answers",
                      on_click=S.submit, disabled=S.saving | ((S.sex == "") & (S.race == "")), id="selfid-submit"),
            rx.button("Skip", variant="soft", color_scheme="gray", on_click=S.skip, disabled=S.saving,
                      id="selfid-skip"),
            spacing="3",
        ),
        spacing="4",
        width="100%",
        id="selfid-form",
    )


def self_identification_card() -> rx.Component:
    return rx.card(
        rx.match(
            S.step,
            ("saved", rx.callout("Thank you. Your answers were saved for the fairness audit only.", icon="check",
                                 color_scheme="green", id="selfid-saved", width="100%")),
            ("skipped", rx.callout("No problem: nothing was recorded.", icon="check", color_scheme="gray",
                                   id="selfid-skipped", width="100%")),
            ("closed", rx.callout(S.message, icon="info", color_scheme="amber", id="selfid-closed", width="100%")),
            _form(),
        ),
        width="100%",
        variant="surface",
    )
