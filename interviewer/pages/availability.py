"""/availability: a staff member edits the times they can run interviews."""

from __future__ import annotations

import reflex as rx

from interviewer.components.shell import app_shell
from interviewer.components.ui import (
    empty_state,
    error_callout,
    field,
    loading_block,
    page_header,
    table_card,
)
from interviewer.state.availability_state import AvailabilityState

S = AvailabilityState


def _add_form() -> rx.Component:
    def _input(name: str, label: str, value, kind: str) -> rx.Component:
        return field(label, rx.input(type=kind, value=value, on_change=lambda v: S.set_field(name, v),
                                     id="slot-" + name.removeprefix("a_"), width="100%"), required=True)

    return rx.card(rx.vstack(
        rx.heading("Add a time you are free", size="4"),
        rx.grid(
            _input("a_date", "Day", S.a_date, "date"),
            _input("a_start", "From", S.a_start, "time"),
            _input("a_end", "To", S.a_end, "time"),
            columns={"initial": "1", "sm": "3"}, spacing="3", width="100%",
        ),
        rx.text("Times are in your time zone, ", S.tz_label, ". A slot is at most 24 hours.", size="1",
                color_scheme="gray"),
        error_callout(S.a_error),
        rx.button(rx.icon("plus", size=15), "Add slot", on_click=S.add_slot, type="button", id="slot-add"),
        spacing="3", width="100%",
    ), width="100%")


def _row(slot) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(slot.day, weight="medium")),
        rx.table.cell(slot.start, " – ", slot.end),
        rx.table.cell(slot.hours),
        rx.table.cell(rx.cond(slot.busy > 0,
                              rx.badge(slot.busy, rx.cond(slot.busy == 1, " interview", " interviews"),
                                       color_scheme="violet", variant="soft"),
                              rx.text("free", size="2", color_scheme="gray"))),
        rx.table.cell(rx.icon_button(rx.icon("trash_2", size=15), variant="ghost", color_scheme="red",
                                     on_click=S.delete_slot(slot.id), aria_label="Remove the slot on " + slot.day
                                     + " from " + slot.start, type="button")),
        class_name="slot-row",
    )


def _slots() -> rx.Component:
    return rx.cond(
        S.slots.length() > 0,
        table_card(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Day"),
                rx.table.column_header_cell("Time"),
                rx.table.column_header_cell("Length"),
                rx.table.column_header_cell("Booked"),
                rx.table.column_header_cell(rx.text.span("Remove", class_name="sr-only")),
            )),
            rx.table.body(rx.foreach(S.slots, _row)),
            variant="surface", width="100%", id="slot-table",
        )),
        rx.card(empty_state("calendar_x", "No availability set",
                            "Without slots, HR can book you at any time you have no other interview. Add the times "
                            "you are free and interviews are booked only inside them."), width="100%"),
    )


def availability_page() -> rx.Component:
    body = rx.vstack(
        _add_form(),
        rx.heading("Your slots in the next 60 days", size="5", margin_top="1em"),
        _slots(),
        spacing="3", width="100%",
    )
    return app_shell(
        "/availability",
        page_header("My availability", "When you can run interviews. HR's scheduler only books you inside these "
                                       "times once you have set any."),
        rx.cond(S.loaded, body, loading_block()),
    )
