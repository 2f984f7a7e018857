"""The dialogs of /interviews: schedule (with the interviewer's free slots and the resulting
link), reschedule and cancel."""

from __future__ import annotations

import reflex as rx

from interviewer.components.ui import error_callout, field, info_callout
from interviewer.state.interviews_schedule_state import ScheduleState
from interviewer.state.interviews_state import InterviewsState

S = ScheduleState
I = InterviewsState  # noqa: E741
DURATIONS = ["15", "20", "30", "45", "60", "90", "120"]
LINK_DAYS = ["1", "2", "3", "5", "7", "14", "30"]


def _select(items: list[str], value, on_change, suffix: str, **props) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(width="100%", **props),
        rx.select.content(*[rx.select.item(f"{v} {suffix}", value=v) for v in items]),
        value=value, on_change=on_change,
    )


def _when_fields(date, time, duration, days, on, note) -> rx.Component:
    return rx.vstack(
        rx.grid(
            field("Date", rx.input(type="date", value=date, on_change=lambda v: on(0, v), width="100%",
                                   id="schedule-date"), required=True),
            field("Time", rx.input(type="time", value=time, on_change=lambda v: on(1, v), width="100%", step=300,
                                   id="schedule-time"), required=True),
            field("Duration", _select(DURATIONS, duration, lambda v: on(2, v), "minutes")),
            field("Link valid for", _select(LINK_DAYS, days, lambda v: on(3, v), "days"),
                  hint="Counted from the start time."),
            columns={"initial": "1", "sm": "2"}, spacing="3", width="100%",
        ),
        rx.hstack(rx.icon("globe", size=12, color=rx.color("gray", 10)),
                  rx.text("Your time zone: ", I.tz_label,
                          rx.cond(note != "", rx.text.span(" · stored as ", rx.text.strong(note)), rx.fragment()),
                          size="1", color_scheme="gray"),
                  align="center", spacing="1"),
        spacing="2", width="100%",
    )


def _candidate_picker() -> rx.Component:
    chosen = rx.card(
        rx.flex(
            rx.center(rx.icon("user_round", size=16), class_name="q-number"),
            rx.vstack(rx.text(S.s_cand.name, weight="medium", size="2"),
                      rx.text(S.s_cand.email, size="1", color_scheme="gray"), spacing="0"),
            rx.spacer(),
            rx.button("Change", variant="ghost", size="1", on_click=S.clear_candidate, type="button"),
            align="center", spacing="3",
        ),
        size="1", width="100%", id="schedule-candidate-chosen",
    )
    search = rx.vstack(
        rx.input(rx.input.slot(rx.icon("search", size=14)), placeholder="Type a name or email…",
                 value=S.s_query, on_change=S.search_candidates, debounce_timeout=250, width="100%",
                 id="schedule-candidate-search"),
        rx.box(
            rx.cond(
                S.s_matches.length() > 0,
                rx.foreach(S.s_matches, lambda c: rx.box(
                    rx.flex(rx.text(c.name, size="2", weight="medium"), rx.spacer(),
                            rx.text(c.email, size="1", color_scheme="gray"), spacing="2", align="center", wrap="wrap"),
                    on_click=S.pick_candidate(c.id), class_name="pick-option", role="option",
                    aria_label="Choose " + c.name,
                )),
                rx.text("No candidate starts with this name or email.", size="2", color_scheme="gray", padding="0.5em"),
            ),
            class_name="pick-list", role="listbox", width="100%",
        ),
        spacing="2", width="100%",
    )
    return rx.cond(S.s_cand.id != "", chosen, search)


def _slots() -> rx.Component:
    return rx.cond(
        S.s_interviewer != "none",
        rx.vstack(
            rx.text("Free on this day", size="2", weight="medium"),
            rx.cond(S.slots.length() > 0,
                    rx.flex(rx.foreach(S.slots, lambda sl: rx.button(
                        sl.label, size="1", type="button", on_click=S.pick_slot(sl.start),
                        variant=rx.cond(S.s_time == sl.start, "solid", "outline"))), spacing="2", wrap="wrap"),
                    rx.text(S.slots_note, size="2", color_scheme="gray")),
            rx.cond(S.slots.length() > 0,
                    rx.text("Choosing a slot sets its start time; adjust the time inside it if you like.",
                            size="1", color_scheme="gray"), rx.fragment()),
            spacing="2", width="100%", class_name="slot-box",
        ),
        rx.fragment(),
    )


def _schedule_form() -> rx.Component:
    on_when = lambda i, v: S.set_s(["s_date", "s_time", "s_duration", "s_days"][i], v)  # noqa: E731
    return rx.fragment(
        rx.dialog.title("Schedule an interview"),
        rx.dialog.description("The candidate is emailed a personal link and a calendar invitation.", size="2",
                              margin_bottom="1em"),
        rx.vstack(
            field("Candidate", _candidate_picker(), required=True),
            field("Job", rx.select.root(
                rx.select.trigger(placeholder="Choose a job", width="100%", id="schedule-job"),
                rx.select.content(rx.foreach(S.schedule_jobs, lambda o: rx.select.item(o.label, value=o.value))),
                value=S.s_job, on_change=lambda v: S.set_s("s_job", v)), required=True),
            field("Interviewer", rx.select.root(
                rx.select.trigger(width="100%", id="schedule-interviewer"),
                rx.select.content(rx.foreach(S.interviewer_options, lambda o: rx.select.item(o.label, value=o.value))),
                value=S.s_interviewer, on_change=lambda v: S.set_s("s_interviewer", v)),
                hint="Optional: a colleague who follows the interview. Their calendar is checked."),
            _slots(),
            _when_fields(S.s_date, S.s_time, S.s_duration, S.s_days, on_when, S.s_utc_note),
            error_callout(S.s_error),
            spacing="4", width="100%",
        ),
        rx.flex(
            rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
            rx.button(rx.icon("send", size=16), "Schedule and invite", on_click=S.schedule, id="schedule-submit"),
            spacing="3", justify="end", margin_top="1.5em",
        ),
    )


def _schedule_done() -> rx.Component:
    return rx.vstack(
        rx.center(rx.icon("calendar_check", size=28), class_name="result-icon result-icon--green"),
        rx.dialog.title("Interview scheduled", margin="0"),
        rx.text(S.s_cand.name, " · ", S.s_when, size="2", color_scheme="gray", align="center"),
        rx.callout(rx.text.span("Invitation sent to ", rx.text.strong(S.s_email), " with a calendar file."),
                   icon="mail_check", color_scheme="green", width="100%", id="schedule-sent"),
        field("Interview link", rx.hstack(
            rx.input(value=S.s_link, read_only=True, width="100%", id="schedule-link"),
            rx.button(rx.icon("copy", size=14), "Copy", variant="soft", on_click=I.copy_link(S.s_link), type="button"),
            width="100%",
        ), hint="Personal to this candidate. Rescheduling replaces it; cancelling disables it."),
        rx.flex(rx.dialog.close(rx.button("Done", id="schedule-close")), justify="end", width="100%"),
        spacing="3", align="center", width="100%",
    )


def schedule_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(rx.cond(S.s_done, _schedule_done(), _schedule_form()), max_width="640px"),
        open=S.s_open,
        on_open_change=S.set_s_open,
    )


def reschedule_dialog() -> rx.Component:
    on_when = lambda i, v: I.set_r(["r_date", "r_time", "r_duration", "r_days"][i], v)  # noqa: E731
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Reschedule the interview"),
            rx.dialog.description(I.r_label, size="2", color_scheme="gray", margin_bottom="1em"),
            rx.vstack(
                _when_fields(I.r_date, I.r_time, I.r_duration, I.r_days, on_when, I.r_utc_note),
                info_callout("The candidate gets an updated invitation with a new link; the old link stops working.",
                             color="amber"),
                error_callout(I.r_error),
                spacing="4", width="100%",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Keep the current time", variant="soft", color_scheme="gray")),
                rx.button("Reschedule", on_click=I.reschedule, id="reschedule-submit"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="560px",
        ),
        open=I.r_id != "",
        on_open_change=I.close_reschedule,
    )


def cancel_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Cancel this interview?"),
            rx.alert_dialog.description(I.c_label, size="2", color_scheme="gray"),
            rx.vstack(
                info_callout("The candidate is emailed the cancellation (with your reason, if you give one). Their link stops working: "
                             "it will say the interview was cancelled.", color="amber"),
                field("Reason (optional)", rx.text_area(value=I.c_reason, on_change=I.set_c_reason, rows="3",
                                                        width="100%", placeholder="e.g. The position has been filled.",
                                                        id="cancel-reason")),
                error_callout(I.c_error),
                spacing="3", width="100%", margin_top="1em",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.button("Cancel interview", color_scheme="red", on_click=I.cancel, id="cancel-submit"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
        ),
        open=I.c_id != "",
        on_open_change=I.close_cancel,
    )
