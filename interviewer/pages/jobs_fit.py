"""Job fit on the job page ("Candidates by fit") and on the candidate page (their fit card)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.fit_ui import fit_chips as _chips
from interviewer.components.fit_ui import fit_reasons
from interviewer.components.hiring_ui import section
from interviewer.state.job_fit_state import CandidateFitState, FitView, JobFitState

S = JobFitState
C = CandidateFitState


def _score_badge(v: FitView) -> rx.Component:
    return rx.cond(
        v.has_fit,
        rx.cond(v.supported,
                rx.hstack(rx.badge(v.score, color_scheme=v.color, variant="solid", size="2", class_name="fit-score"),
                          rx.text(v.band, size="1", color_scheme=v.color), spacing="2", align="center"),
                rx.badge("Not supported", color_scheme="gray", variant="soft")),
        rx.cond(v.has_resume, rx.text("Computing…", size="1", color_scheme="gray"),
                rx.badge("No resume", color_scheme="gray", variant="soft")),
    )


def _fit_row(v: FitView) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(v.rank, size="2", color_scheme="gray", width="1.6em", flex_shrink="0"),
            rx.vstack(
                rx.link(v.name, href="/candidates/" + v.candidate_id, weight="medium", class_name="fit-name"),
                rx.text(v.email, size="1", color_scheme="gray", class_name="cell-clip", title=v.email),
                spacing="0", min_width="0", flex="1",
            ),
            rx.box(_score_badge(v), min_width="9em"),
            rx.cond(v.has_fit & v.supported,
                    rx.box(_chips(v.matched[:4], "green", "check"), flex="2", min_width="0",
                           class_name="fit-top-skills"),
                    rx.text(rx.cond(v.has_fit, v.reason,
                                    rx.cond(v.has_resume, "The worker is computing this fit.",
                                            "No resume text yet: upload a resume to rank this candidate.")),
                            size="1", color_scheme="gray", flex="2")),
            rx.cond(v.has_fit & v.supported,
                    rx.button(rx.cond(S.fit_open == v.candidate_id, "Hide reasons", "Why?"), size="1",
                              variant="soft", on_click=S.toggle_reasons(v.candidate_id),
                              aria_label="Why this fit for " + v.name, class_name="fit-why"),
                    rx.fragment()),
            spacing="3", align="center", width="100%",
        ),
        rx.cond(S.fit_open == v.candidate_id,
                rx.box(fit_reasons(v), padding="0.75em 0 0.25em 2.2em", class_name="fit-reasons"), rx.fragment()),
        padding="0.6em 0",
        border_bottom="1px solid var(--gray-a4)",
        class_name="fit-row",
    )


def job_fit_section() -> rx.Component:
    """The job page's ranking (loads itself when shown)."""
    return rx.box(
        section(
            "Candidates by fit",
            rx.callout(S.fit_note, icon="info", size="1", color_scheme="gray", variant="surface"),
            rx.cond(~S.fit_supported,
                    rx.callout("This job's description is not in English. The offline matcher reads English only, "
                               "so candidates are not ranked for it rather than ranked by a guess.",
                               icon="triangle_alert", color_scheme="amber", size="1"),
                    rx.fragment()),
            rx.cond(S.fit_pending > 0,
                    rx.text(rx.spinner(size="1"), " Computing the fit of ", S.fit_pending, " resume",
                            rx.cond(S.fit_pending == 1, "", "s"), "…", size="2", color_scheme="gray",
                            id="fit-pending"),
                    rx.fragment()),
            rx.cond(
                S.fit_total > 0,
                rx.box(rx.foreach(S.fit_rows, _fit_row), width="100%", id="fit-ranking"),
                rx.text("No candidates are assigned to this job yet. Assign candidates to it (their page or the "
                        "list's bulk actions) and upload their resumes to rank them here.", size="2",
                        color_scheme="gray"),
            ),
            rx.cond((S.fit_total > 0) & (S.fit_with_resume < S.fit_total),
                    rx.text(S.fit_total - S.fit_with_resume, " of ", S.fit_total, " candidates ",
                            rx.cond(S.fit_total - S.fit_with_resume == 1, "has", "have"),
                            " no resume text and ", rx.cond(S.fit_total - S.fit_with_resume == 1, "is", "are"),
                            " listed last.", size="1", color_scheme="gray"),
                    rx.fragment()),
            icon="list_ordered",
        ),
        on_mount=S.load_fit,
        width="100%",
        margin_top="1.5em",
        id="job-fit",
    )


def candidate_fit_card() -> rx.Component:
    """The candidate page's fit to their job (nothing when they have no job or resume)."""
    v = C.cfit
    return rx.box(
        rx.cond(
            C.cfit_loaded & v.has_fit,
            section(
                "Fit to their job",
                rx.cond(v.supported,
                        rx.vstack(rx.hstack(_score_badge(v), rx.text("Screening aid: orders review, never "
                                                                      "rejects.", size="1", color_scheme="gray"),
                                            spacing="3", align="center"),
                                  fit_reasons(v), spacing="3", width="100%"),
                        rx.text(v.reason, size="2", color_scheme="gray")),
                icon="target",
            ),
            rx.fragment(),
        ),
        on_mount=C.load_cfit,
        width="100%",
        id="candidate-fit",
    )
