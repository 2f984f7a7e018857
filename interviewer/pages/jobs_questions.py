"""The job editor's questions: the ordered list (each with "Try an answer"), the add/edit dialog,
the delete confirmation and the AI generation card."""

from __future__ import annotations

import reflex as rx

from interviewer.components.hiring_ui import chip, provider_label, section, weight_stepper
from interviewer.components.ui import empty_state, error_callout, field, named
from interviewer.pages.jobs_playground import try_answer_button
from interviewer.state.jobs_editor_state import JobEditorState

S = JobEditorState
BUSY = S.gen_running


def _badges(q) -> rx.Component:
    return rx.hstack(
        rx.cond(q.kind != "", rx.badge(q.kind, color_scheme=rx.cond(q.kind == "practice", "cyan", "blue"),
                                       variant="soft"), rx.fragment()),
        rx.cond(q.difficulty != "", rx.badge(q.difficulty, variant="soft",
                                             color_scheme=rx.cond(q.difficulty == "advanced", "crimson", "amber")),
                rx.fragment()),
        rx.cond(q.is_ai, rx.badge(rx.icon("sparkles", size=11), "AI", color_scheme="violet", variant="surface"),
                rx.badge("Manual", color_scheme="gray", variant="surface")),
        rx.cond(q.is_new, rx.badge("New", color_scheme="green", variant="solid"), rx.fragment()),
        rx.cond(q.is_story & (S.provider == "offline"),
                rx.tooltip(rx.badge(rx.icon("book_open", size=11), "Story: you read the answer", color_scheme="amber",
                                    variant="soft", class_name="story-badge"),
                           content="This question asks for the candidate's own experience. The offline analysis "
                                   "does not score stories: such an answer is left to you, out of the total, and "
                                   "the interview goes to REVIEW. An AI provider (Gemini) scores stories."),
                rx.fragment()),
        spacing="2",
        wrap="wrap",
    )


def _actions(q) -> rx.Component:
    return rx.hstack(
        rx.tooltip(rx.icon_button(rx.icon("arrow_up", size=14), size="1", variant="ghost", color_scheme="gray",
                                  disabled=q.is_first, on_click=S.move(q.id, -1),
                                  aria_label="Move question " + q.number.to_string() + " up"), content="Move up"),
        rx.tooltip(rx.icon_button(rx.icon("arrow_down", size=14), size="1", variant="ghost", color_scheme="gray",
                                  disabled=q.is_last, on_click=S.move(q.id, 1),
                                  aria_label="Move question " + q.number.to_string() + " down"), content="Move down"),
        rx.tooltip(rx.icon_button(rx.icon("pencil", size=14), size="1", variant="ghost",
                                  on_click=S.open_question(q.id),
                                  aria_label="Edit question " + q.number.to_string()), content="Edit"),
        rx.tooltip(rx.icon_button(rx.icon("trash_2", size=14), size="1", variant="ghost", color_scheme="red",
                                  on_click=S.ask_delete(q.id),
                                  aria_label="Delete question " + q.number.to_string()), content="Delete"),
        spacing="3",
        align="center",
    )


def _question_card(q) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.center(rx.text(q.number, size="2", weight="bold"), class_name="q-number"),
            rx.vstack(
                rx.flex(
                    rx.text(q.text, size="3", weight="medium", class_name="pre-wrap", flex="1"),
                    rx.cond(S.can_write, _actions(q), rx.fragment()),
                    spacing="3", width="100%", align="start",
                ),
                _badges(q),
                rx.cond(q.key_points.length() > 0,
                        rx.flex(rx.foreach(q.key_points, lambda p: chip(p, icon="check")), spacing="2", wrap="wrap"),
                        rx.text("No key points yet: scoring works best with 3-6 of them.", size="1",
                                color_scheme="amber")),
                rx.cond(q.red_flags.length() > 0,
                        rx.flex(rx.text("Wrong ideas to watch for:", size="1", color_scheme="gray"),
                                rx.foreach(q.red_flags, lambda f: chip(f, icon="ban", color="tomato")),
                                spacing="2", wrap="wrap", align="center", class_name="q-red-flags"),
                        rx.fragment()),
                rx.flex(
                    rx.hstack(
                        rx.text("Weight", size="2", color_scheme="gray"),
                        rx.cond(S.can_write,
                                weight_stepper(q.weight, S.step_weight(q.id, q.weight, -1),
                                               S.step_weight(q.id, q.weight, 1),
                                               label="the weight of question " + q.number.to_string()),
                                rx.text(q.weight, size="2", weight="bold")),
                        align="center", spacing="2",
                    ),
                    rx.spacer(),
                    rx.cond(S.can_write, try_answer_button(q), rx.fragment()),
                    align="center", width="100%", spacing="2", wrap="wrap",
                ),
                spacing="2",
                width="100%",
                min_width="0",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name=rx.cond(q.is_new, "q-card q-card--new", "q-card"),
    )


def questions_section() -> rx.Component:
    return section(
        rx.text("Questions ", rx.text.span("(", S.questions.length(), ")", color_scheme="gray"), as_="span"),
        rx.text("Asked in this order. The weight (1-10) sets how much a question counts in the score.",
                size="2", color_scheme="gray"),
        rx.cond(
            S.questions.length() > 0,
            rx.vstack(rx.foreach(S.questions, _question_card), spacing="3", width="100%", id="question-list"),
            empty_state("list_checks", "No questions yet", "Add your own or generate them with AI."),
        ),
        icon="list_checks",
        actions=rx.cond(S.can_write, rx.button(rx.icon("plus", size=16), "Add question",
                                               on_click=S.open_question(""), id="add-question"), rx.fragment()),
    )


def question_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.q_editing == "", "Add a question", "Edit question")),
            rx.dialog.description("Key points are what a good answer covers; the score and follow-up "
                                  "questions rest on them.", size="2", margin_bottom="1em"),
            rx.vstack(
                field("Question", rx.text_area(value=S.q_text, on_change=S.set_q_text, rows="3", width="100%",
                                               placeholder="How would you design…", id="question-text"),
                      required=True),
                field("Weight", weight_stepper(S.q_weight, S.step_q_weight(-1), S.step_q_weight(1)),
                      hint="1 = a warm-up question, 10 = decides the interview."),
                field("Key points", rx.vstack(
                    rx.flex(rx.foreach(S.q_points, lambda p, i: chip(p, color="indigo", on_remove=S.remove_point(i))),
                            spacing="2", wrap="wrap"),
                    rx.hstack(
                        rx.input(value=S.q_point, on_change=S.set_q_point, on_key_down=S.point_key,
                                 placeholder="e.g. Writes: every write and the storage cost more", width="100%",
                                 id="question-point", max_length=300),
                        rx.button(rx.icon("plus", size=14), "Add", variant="soft", on_click=S.add_point,
                                  type="button"),
                        width="100%",
                    ),
                    spacing="2", width="100%",
                ), hint="Press Enter to add a point; up to 10. Start with a short topic and a colon: follow-up "
                        "questions name only the topic, never the rest."),
                field("Wrong ideas to watch for", rx.vstack(
                      rx.text_area(value=S.q_flags, on_change=S.set_q_flags, rows="3", width="100%",
                                   placeholder="e.g. Adding an index makes inserts and updates faster too.",
                                   id="question-red-flags"),
                      rx.hstack(
                          rx.button(rx.icon("sparkles", size=14), "Suggest with AI", variant="soft", size="1",
                                    type="button", on_click=S.suggest_flags, loading=S.q_suggesting,
                                    id="question-suggest-flags"),
                          rx.text(S.q_flags_note, size="1", color_scheme="gray", id="question-flags-note"),
                          align="center", spacing="2", width="100%",
                      ),
                      spacing="2", width="100%"),
                      hint="Optional, one per line, up to 10: common mistakes, written as a candidate would say "
                           "them. An answer that states one counts against the key point it is about; offline, "
                           "that point is marked doubtful for you to check."),
                error_callout(S.q_error),
                spacing="4",
                width="100%",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(rx.cond(S.q_editing == "", "Add question", "Save question"), on_click=S.save_question,
                          id="question-save"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="620px",
        ),
        open=S.q_open,
        on_open_change=S.set_q_open,
    )


def delete_question_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this question?"),
            rx.alert_dialog.description("Interviews already scored keep their report; future interviews "
                                        "will not ask it.", size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=S.confirm_delete)),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
        open=S.delete_question != "",
        on_open_change=S.set_delete_open,
    )


def generation_card() -> rx.Component:
    progress = rx.cond(
        S.gen_status != "",
        rx.vstack(
            rx.cond(S.gen_running,
                    rx.hstack(rx.spinner(size="1"), rx.text(S.gen_message, size="2"), align="center", spacing="2"),
                    rx.cond(S.gen_status == "finished",
                            rx.callout(S.gen_message, icon="circle_check", color_scheme="green", size="1",
                                       width="100%", id="gen-done"),
                            rx.fragment())),
            rx.cond(S.gen_running | (S.gen_status == "finished"),
                    rx.progress(value=S.gen_percent, max=100, width="100%", size="1"), rx.fragment()),
            rx.cond((S.gen_error != "") & (S.gen_status != "finished"),
                    rx.callout(rx.text.span(rx.cond(S.gen_status == "failed", "Generation failed: ", "Last error: "),
                                            S.gen_error), icon="circle_alert",
                               color_scheme=rx.cond(S.gen_status == "failed", "red", "amber"), size="1", width="100%",
                               role="alert"),
                    rx.fragment()),
            spacing="2", width="100%", role="status",
        ),
        rx.fragment(),
    )
    return section(
        "Generate with AI",
        rx.text("New questions are added at the end, each with its key points; near-duplicates of the "
                "existing ones are skipped.", size="2", color_scheme="gray"),
        rx.hstack(
            rx.text("How many", size="2", weight="medium"),
            named(rx.select([str(n) for n in range(1, 16)], value=S.gen_count.to_string(), on_change=S.set_gen_count,
                            disabled=BUSY, size="2"), "How many questions to generate"),
            rx.spacer(),
            rx.button(rx.cond(BUSY, rx.spinner(size="1"), rx.icon("sparkles", size=16)), "Generate questions",
                      on_click=S.generate, disabled=BUSY, id="generate-questions"),
            align="center", width="100%", wrap="wrap",
        ),
        rx.cond(S.provider == "unavailable",
                rx.callout(rx.text.span("Gemini is selected but no API key is configured, so generation will fail. ",
                                        rx.link("Open AI settings", href="/settings/ai"), "."),
                           icon="triangle_alert", color_scheme="red", size="1", width="100%"),
                rx.fragment()),
        progress,
        icon="sparkles",
        actions=provider_label(S.provider),
    )
