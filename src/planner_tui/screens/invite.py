"""Invite a guest from the app (as `planner invite` does): a name and how long, then the
link and the SSH code to send them."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from planner_tui.screens.modal import Modal
from planner_tui.widgets.host import host_of
from planner_tui.widgets.user_text import StoredInput, safe


class InviteModal(Modal[None]):
    """Name the guest and how long the invitation lasts; enter makes it and shows it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal", id="invite") as box:
            box.border_title = "Invite a guest"
            box.border_subtitle = "enter invites · escape closes"
            yield Label("Guest's name (as the team will see it)")
            yield StoredInput(placeholder="e.g. lena", id="invite-name")
            yield Label("Can be used for (30m, 8h, 2d, 1w)")
            yield StoredInput("1d", id="invite-lasts")
            yield Label("", classes="modal-error")
            yield Static("", id="invite-made")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#invite-name", StoredInput).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#invite-name", StoredInput).stored_value.strip()
        lasts = self.query_one("#invite-lasts", StoredInput).stored_value.strip()
        if not name:
            self._error("Name the guest.")
            return
        self._error("")
        self._invite(name, lasts)

    @work(thread=True, exclusive=True, group="invite")
    def _invite(self, name: str, lasts: str) -> None:
        from planner_tui.services import invitations
        from planner_tui.services.errors import USER_ERRORS, friendly

        session = host_of(self.app).session
        try:
            made = invitations.invite(session, name, invitations.check_lifetime(lasts))
            lines = invitations.how_to_join(session.workspace, made)
        except USER_ERRORS as error:
            self.app.call_from_thread(self._error, friendly(error))
            return
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[str]) -> None:
        self.query_one("#invite-made", Static).update(safe("\n".join(lines)))
        self.query_one("#invite-name", StoredInput).show_stored("")
