"""The retro board's keys for running the meeting: phases, time, the facilitator's seat, the
review of earlier actions, dots, notes, actions agreed, the rating and the summary."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from planner_tui.domain.drafts import action_place
from planner_tui.domain.retro import (
    Phase,
    ReviewDecision,
)
from planner_tui.domain.text import count_of, one_line
from planner_tui.screens.retro_board_view import RetroBoardView
from planner_tui.services import directory, retro
from planner_tui.widgets.card_list import CardList
from planner_tui.widgets.retro_column import RetroColumn

if TYPE_CHECKING:
    from planner_tui.screens.retro_close_modals import ActionFields


class RetroBoardMeeting(RetroBoardView):
    """Running the retro."""

    def action_phase(self, by: int) -> None:
        board = self.board
        if board is None:
            return
        if by > 0 and board.info.phase is Phase.CLOSE:
            from planner_tui.screens.modal import ConfirmModal

            self.app.push_screen(
                ConfirmModal(
                    f"End the retro? {count_of(board.ratings, 'person', 'people')} rated it; "
                    "the summary is kept."
                ),
                self._end,
            )
            return
        self._act(partial(retro.move_phase, self.session, self.session_id, by), "")

    def _end(self, sure: bool | None) -> None:
        if sure:
            self._act(
                partial(retro.end, self.session, self.session_id), "Retro ended; summary kept"
            )

    def action_more_time(self, seconds: int) -> None:
        self._act(partial(retro.add_time, self.session, self.session_id, seconds), "")

    def action_take_over(self) -> None:
        self._act(partial(retro.take_over, self.session, self.session_id), "You facilitate now")

    def on_card_list_selected(self, event: CardList.Selected) -> None:
        """Enter on an agreed action edits it (text, owner, due date, status)."""
        event.stop()
        chosen = event.option_id
        board = self.board
        if not chosen.startswith("action:") or board is None or not board.info.open:
            return
        action = next((a for a in board.actions if a.id == int(chosen[7:])), None)
        if action is None:
            return
        from planner_tui.screens.retro_close_modals import ActionFields, ActionModal
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            people = directory.people(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        fields = ActionFields(action.text, action.owner, action.due_date, action.status)
        modal = ActionModal(
            "Edit the action item",
            self.clock(),
            people,
            fields,
            origin=action.prompted_by,
        )
        self.host.push_typing(modal, partial(self._action_edited, action.id))

    def _action_edited(self, action_id: int, fields: ActionFields | None) -> None:
        from planner_tui.screens.retro_close_modals import save_action

        if fields is not None:
            self._act(partial(save_action, self.session, action_id, fields), "Action item saved")

    def action_hand_over(self) -> None:
        from planner_tui.screens.retro_close_modals import HandOverModal

        board = self.board
        others = [n for n in board.here if n.casefold() != self.me.casefold()] if board else []
        self.app.push_screen(HandOverModal(others), self._handed_over)

    def _handed_over(self, name: str | None) -> None:
        if name:
            self._act(
                partial(retro.hand_over, self.session, self.session_id, name),
                f"{name} facilitates now",
            )

    def action_review(self, decision: str) -> None:
        widget = self.query_one("#retro-col--1", RetroColumn)
        chosen = widget.highlighted_id
        if not chosen or not chosen.startswith("review:"):
            return
        action_id = int(chosen.partition(":")[2])
        self._act(
            partial(
                retro.review, self.session, self.session_id, action_id, ReviewDecision(decision)
            ),
            "",
        )
        if widget.highlighted is not None and widget.highlighted + 1 < widget.option_count:
            widget.highlighted += 1

    def action_dot(self) -> None:
        target = self._target()
        if target is not None:
            drawn = self.put_dot(target, 1)  # in this key's frame; saved after it
            self._act(
                partial(retro.dot, self.session, self.session_id, **target),
                lambda left: "" if left else "That was your last vote",  # (the count is shown)
                after_frame=drawn,
            )

    def action_undot(self) -> None:
        target = self._target()
        if target is not None:
            drawn = self.put_dot(target, -1)
            # (no toast: the dot goes and "votes left" rises, in the frame that shows it)
            self._act(
                partial(retro.undot, self.session, self.session_id, **target), "", after_frame=drawn
            )

    def action_notes(self) -> None:
        from planner_tui.screens.poker_modals import NotesModal

        target = self._target()
        board = self.board
        if target is None or board is None:
            return
        if "theme_id" in target:
            theme = board.theme(target["theme_id"])
            title, notes = (theme.title, theme.notes) if theme else ("", "")
        else:
            card = self.card_view(target["card_id"])
            title, notes = (card.text, card.notes) if card else ("", "")
        self.app.push_screen(NotesModal(title, notes), partial(self._noted, target))

    def _noted(self, target: dict[str, int], notes: str | None) -> None:
        if notes is not None:
            self._act(
                partial(retro.set_notes, self.session, self.session_id, notes, **target),
                "Notes kept",
            )

    def action_action(self) -> None:
        from planner_tui.screens.retro_close_modals import ActionModal

        chosen = self._cursor()
        target = {f"{chosen[0]}_id": chosen[1]} if chosen and chosen[0] in ("card", "theme") else {}
        board = self.board
        about = ""
        if board is not None and "card_id" in target:
            card = self.card_view(target["card_id"])
            about = card.text if card else ""
        elif board is not None and "theme_id" in target:
            theme = board.theme(target["theme_id"])
            about = theme.title if theme else ""
        heading = f"An action on “{one_line(about, 30)}”" if about else "An action item"
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            people = directory.people(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        self.host.push_typing(
            ActionModal(
                heading,
                self.clock(),
                people,
                draft=action_place(self.session_id, "-".join(f"{k}{v}" for k, v in target.items())),
            ),
            partial(self._action_added, target),
        )

    def _action_added(self, target: dict[str, int], fields: ActionFields | None) -> None:
        from planner_tui.domain.models import NewAction

        if fields is None:
            return
        action = NewAction(text=fields.text, owner=fields.owner, due=fields.due)
        self._act(
            partial(retro.add_action, self.session, self.session_id, action, **target),
            "Action agreed",
        )

    def action_rate(self) -> None:
        from planner_tui.screens.retro_close_modals import RateModal

        self.app.push_screen(RateModal(), self._rated)

    def _rated(self, rating: int | None) -> None:
        if rating is not None:
            self._act(
                partial(retro.rate, self.session, self.session_id, rating),
                f"You rated it {rating}/5",
            )

    def action_summary(self) -> None:
        from planner_tui.screens.retro_close_modals import SummaryModal

        if self.board is not None:
            self.app.push_screen(SummaryModal(self.board.info.title, self.board.info.summary))
