"""The retro board's keys for cards: written (for oneself, someone or the room), edited, taken
back, grouped into themes, moved, themes retitled."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from planner_tui.domain.drafts import card_place
from planner_tui.screens.retro_board_view import RetroBoardView
from planner_tui.services import directory, retro

if TYPE_CHECKING:
    from planner_tui.screens.retro_modals import CardText, GroupChoice

T = TypeVar("T")


class RetroBoardCards(RetroBoardView):
    """Cards and themes."""

    def _column_name(self) -> str | None:
        board = self.board
        if board is None or self.active >= len(board.info.columns):
            self.notify("Move to a column of cards first (← →)", severity="warning", timeout=3)
            return None
        return board.info.columns[self.active]

    def action_write(self) -> None:
        from planner_tui.screens.retro_modals import CardModal

        column = self._column_name()
        if column is not None:
            self.host.push_typing(
                CardModal(column, draft=card_place(self.session_id, column)),
                partial(self._written, column),
            )

    def action_write_for(self) -> None:
        from planner_tui.screens.retro_modals import CardModal
        from planner_tui.services.errors import USER_ERRORS, friendly

        column = self._column_name()
        if column is None:
            return
        anonymous = self.board is None or self.board.info.settings.anonymous
        try:
            people = [] if anonymous else directory.people(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        self.host.push_typing(
            CardModal(
                column,
                for_others=True,
                anonymous=anonymous,
                people=people,
                draft=card_place(self.session_id, column, for_others=True),
            ),
            partial(self._written, column),
        )

    def _written(self, column: str, card: CardText | None) -> None:
        if card is None:
            return
        who = "the room" if card.for_room else card.for_someone
        write = partial(
            retro.write,
            self.session,
            self.session_id,
            column,
            card.text,
            for_someone=card.for_someone,
            for_room=card.for_room,
        )
        self._act(
            partial(_or_say_the_text, write, card.text),
            f"Card from {who} kept, hidden until the reveal" if who else "",
        )

    def action_edit(self) -> None:
        from planner_tui.screens.retro_modals import CardModal

        card_id = self._card()
        card = self.card_view(card_id)
        if card is None:
            return
        if not card.mine:
            self.notify("You can edit only your own cards", severity="warning", timeout=3)
            return
        self.app.push_screen(
            CardModal(card.column, card.text, editing=True), partial(self._edited, card.id)
        )

    def _edited(self, card_id: int, card: CardText | None) -> None:
        if card is not None:
            edit = partial(retro.edit, self.session, self.session_id, card_id, card.text)
            self._act(partial(_or_say_the_text, edit, card.text), "")

    def action_take_back(self) -> None:
        card_id = self._card()
        if card_id is not None:
            self._act(
                partial(retro.delete, self.session, self.session_id, card_id), "Card taken back"
            )

    def action_group(self) -> None:
        from planner_tui.screens.retro_modals import GroupModal

        card_id = self._card()
        board = self.board
        card = self.card_view(card_id)
        if card is None or board is None:
            return
        themes = [
            (theme.id, theme.title, column.name)
            for column in board.columns
            for theme in column.themes
            if theme.id != card.theme_id
        ]
        self.app.push_screen(GroupModal(card.text, themes), partial(self._grouped, card.id))

    def _grouped(self, card_id: int, choice: GroupChoice | None) -> None:
        if choice is not None:
            self._act(
                partial(
                    retro.group,
                    self.session,
                    self.session_id,
                    card_id,
                    theme_id=choice.theme_id,
                    title=choice.title,
                ),
                "",
            )

    def action_ungroup(self) -> None:
        card_id = self._card()
        if card_id is not None:
            self._act(partial(retro.ungroup, self.session, self.session_id, card_id), "")

    def action_move(self, by: int) -> None:
        board = self.board
        card_id = self._card()
        card = self.card_view(card_id)
        if card is None or board is None:
            return
        columns = board.info.columns
        index = columns.index(card.column) + by
        if not 0 <= index < len(columns):
            return
        self._follow = (index, f"card:{card.id}")  # the cursor goes with the card
        self._act(
            partial(retro.move, self.session, self.session_id, card.id, columns[index]),
            f"Moved to {columns[index]}",
        )

    def action_retitle(self) -> None:
        from planner_tui.screens.retro_modals import GroupModal

        chosen = self._cursor()
        theme = (
            self.board.theme(chosen[1]) if self.board and chosen and chosen[0] == "theme" else None
        )
        if theme is None:
            self.notify("Move to a theme's title first", severity="warning", timeout=3)
            return
        modal = GroupModal(theme.title, [], retitle=True)
        self.app.push_screen(modal, partial(self._retitled, theme.id))

    def _retitled(self, theme_id: int, choice: GroupChoice | None) -> None:
        if choice is not None and choice.title:
            self._act(
                partial(retro.rename_theme, self.session, self.session_id, theme_id, choice.title),
                "",
            )


def _or_say_the_text(save: Callable[[], T], text: str) -> T:
    """`save()`; if it is refused (the facilitator moved on to the reveal as enter was
    pressed, the board went), the refusal quotes the card: the dialog has closed and
    its draft is gone, and what was typed must not go with them."""
    from planner_tui.domain.errors import InvalidInput
    from planner_tui.domain.text import one_line
    from planner_tui.services.errors import USER_ERRORS, friendly

    try:
        return save()
    except USER_ERRORS as error:
        said = friendly(error).rstrip(".")
        raise InvalidInput(f"{said}. The card was not saved: {one_line(text, 300)}") from error
