"""/outbox: the development outbox (emails are kept here when no SMTP server is configured)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.shell import app_shell
from interviewer.components.ui import empty_state, loading_block, page_header, pagination, status_badge, table_card
from interviewer.state.outbox_state import OutboxState

S = OutboxState


def _mail_row(mail) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(mail.created, size="2", white_space="nowrap")),
        rx.table.cell(mail.recipient),
        rx.table.row_header_cell(rx.hstack(
            rx.link(mail.subject, on_click=S.show(mail.id), weight="medium", class_name="clickable"),
            rx.cond(mail.attachments.length() > 0,
                    rx.tooltip(rx.icon("paperclip", size=14, color="var(--gray-10)", aria_label="Has an attachment"),
                               content="Has an attachment"),
                    rx.fragment()),
            spacing="2", align="center")),
        rx.table.cell(rx.badge(mail.kind, variant="outline", color_scheme="gray")),
        rx.table.cell(status_badge(mail.status)),
        on_click=S.show(mail.id),
        class_name="clickable-row",
        align="center",
    )


def _piece(piece) -> rx.Component:
    """A run of the mail's text: links are real links (opened in a new tab), the rest plain text."""
    return rx.cond(piece.href != "",
                   rx.link(piece.text, href=piece.href, is_external=True, class_name="mail-link"),
                   rx.text.span(piece.text))


def _attachment(mail_id, att) -> rx.Component:
    return rx.hstack(
        rx.cond(att.filename.to(str).endswith(".ics"), rx.icon("calendar", size=16), rx.icon("paperclip", size=16)),
        rx.text(att.filename, size="2", weight="medium"),
        rx.text(att.label, size="1", color_scheme="gray"),
        rx.spacer(),
        rx.button(rx.icon("download", size=14), "Download", size="1", variant="soft",
                  on_click=S.download_attachment(mail_id, att.index), aria_label="Download " + att.filename),
        align="center", spacing="2", width="100%", class_name="mail-attachment",
        padding="0.5em 0.75em", border="1px solid var(--gray-a5)", border_radius="var(--radius-3)",
    )


def _mail_dialog() -> rx.Component:
    mail = S.open_mail
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(mail.subject),
            rx.data_list.root(
                rx.data_list.item(rx.data_list.label("To"), rx.data_list.value(mail.recipient)),
                rx.data_list.item(rx.data_list.label("Kind"), rx.data_list.value(mail.kind)),
                rx.data_list.item(rx.data_list.label("Status"), rx.data_list.value(status_badge(mail.status))),
                rx.data_list.item(rx.data_list.label("Created"), rx.data_list.value(mail.created)),
                size="2",
                margin_y="1em",
            ),
            rx.box(rx.text(rx.foreach(mail.pieces, _piece), size="2", class_name="pre-wrap mail-body"),
                   class_name="mail-box", id="mail-body"),
            rx.cond(mail.attachments.length() > 0,
                    rx.vstack(rx.text("Attachments", size="2", weight="medium"),
                              rx.foreach(mail.attachments, lambda att: _attachment(mail.id, att)),
                              spacing="2", width="100%", margin_top="1em", id="mail-attachments"),
                    rx.fragment()),
            rx.flex(rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")), justify="end",
                    margin_top="1em"),
            max_width="680px",
        ),
        open=S.mail_open,
        on_open_change=S.set_mail_open,
    )


def outbox_page() -> rx.Component:
    table = table_card(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Created", "To", "Subject", "Kind", "Status")])),
            rx.table.body(rx.foreach(S.rows, _mail_row)),
            width="100%",
        ),
    )
    return app_shell(
        "/outbox",
        page_header("Outbox", "Emails the platform wrote. Without an SMTP server they stay here: "
                              "open one to read it and follow its links.",
                    rx.button(rx.icon("refresh_cw", size=16), "Refresh", variant="soft", on_click=S.reload)),
        rx.cond(
            S.loaded,
            rx.cond(S.rows.length() > 0,
                    rx.vstack(table, pagination(S.page, S.pages, S.total, S.change_page(-1), S.change_page(1),
                                                "email"), width="100%"),
                    rx.card(empty_state("mail", "No emails yet"), width="100%")),
            loading_block(),
        ),
        _mail_dialog(),
    )
