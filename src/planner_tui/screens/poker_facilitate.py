"""The poker table's keys for the facilitator: accepting an estimate, notes, cards entered for
people in the room, items added, the session menu (hand over, deck, timer, end)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from planner_tui.domain.estimation import PokerRole
from planner_tui.screens.poker_view import PokerView
from planner_tui.services import poker

if TYPE_CHECKING:
    from planner_tui.screens.poker_menu import MenuChoice
    from planner_tui.screens.poker_modals import Acceptance, CardFor


class PokerFacilitating(PokerView):
    """Running the session."""

    def action_accept(self) -> None:
        from planner_tui.screens.poker_modals import AcceptModal

        table = self.table
        if table is None or table.item is None:
            return
        blocker = next((risk for risk in table.item.risks if risk.blocking), None)
        if blocker is not None:  # say it now, before a rationale is typed for nothing
            from planner_tui.domain.risk import blocked_message

            doing = f"give {table.item.key} a final estimate"
            message = blocked_message(doing, table.item.key, blocker.id, blocker.title)
            self.notify(message + " (escape, then 5)", severity="warning", timeout=10)
            return
        stats = table.round.stats if table.round else None
        self.app.push_screen(
            AcceptModal(table.item.key, self.deck, stats.suggestion if stats else None),
            self._accepted,
        )

    def _accepted(self, answer: Acceptance | None) -> None:
        if answer is not None:
            self._act(
                partial(
                    poker.accept,
                    self.session,
                    self.session_id,
                    answer.card,
                    answer.points,
                    answer.rationale,
                ),
                f"Estimate {answer.card} ({answer.estimate:g} pts) written to the item",
            )

    def action_notes(self) -> None:
        from planner_tui.screens.poker_modals import NotesModal

        table = self.table
        if table is None or table.item is None:
            return
        item = table.item
        self.app.push_screen(
            NotesModal(item.key, item.notes), partial(self._save_notes, item.item_id)
        )

    def _save_notes(self, item_id: int, notes: str | None) -> None:
        if notes is not None:
            self._act(
                partial(poker.set_notes, self.session, self.session_id, item_id, notes),
                "Notes kept",
            )

    def action_enter_for(self) -> None:
        from planner_tui.screens.poker_modals import EnterVoteModal

        table = self.table
        if table is None or table.round is None:
            return
        voted = {vote.voter.casefold() for vote in table.round.votes}
        waiting = [name for name in table.voters if name.casefold() not in voted]
        people = [person.name for person in table.people]
        self.app.push_screen(EnterVoteModal(people, waiting, self.deck), self._entered_for)

    def _entered_for(self, answer: CardFor | None) -> None:
        if answer is not None:
            self._act(
                partial(
                    poker.vote, self.session, self.session_id, answer.card, voter=answer.person
                ),
                f"Card entered for {answer.person}",
            )

    def action_add_item(self) -> None:
        from planner_tui.screens.poker_modals import AddItemsModal

        self.app.push_screen(AddItemsModal(partial(poker.find_items, self.session)), self._add_item)

    def _add_item(self, item_id: int | None) -> None:
        if item_id:
            self._act(
                partial(poker.add_items, self.session, self.session_id, [item_id]),
                lambda added: (
                    "Added to the end of the queue"
                    if added
                    else "That item is already in the queue"
                ),
            )

    def action_menu(self) -> None:
        from planner_tui.screens.poker_menu import SessionMenu

        table = self.table
        if table is None:
            return
        self.app.push_screen(
            SessionMenu(
                facilitating=table.facilitating,
                auto_reveal=table.info.settings.auto_reveal,
                present=table.info.settings.present,
                watching=table.my_role is PokerRole.SPECTATOR,
                facilitator_away=not any(
                    person.here
                    for person in table.people
                    if person.name.casefold() == (table.info.facilitator or "").casefold()
                ),
            ),
            self._menu_chosen,
        )

    def _menu_chosen(self, choice: MenuChoice | None) -> None:
        if choice is None or self.table is None:
            return
        table, sid, session = self.table, self.session_id, self.session
        settings = table.info.settings
        if choice.action == "role":
            role = PokerRole.VOTER if table.my_role is PokerRole.SPECTATOR else PokerRole.SPECTATOR
            self._act(
                partial(poker.join, session, sid, role),
                f"You {'vote' if role is PokerRole.VOTER else 'watch'} now",
            )
        elif choice.action in ("add_voter", "add_spectator"):
            role = PokerRole.VOTER if choice.action == "add_voter" else PokerRole.SPECTATOR
            self._act(
                partial(poker.add_person, session, sid, choice.text, role),
                f"{choice.text} joins as a {role.value}",
            )
        elif choice.action == "take_over":
            self._act(partial(poker.take_over, session, sid), "You facilitate now")
        elif choice.action == "hand_over":
            self._act(
                partial(poker.hand_over, session, sid, choice.text),
                f"{choice.text} facilitates now",
            )
        elif choice.action in ("auto_reveal", "present"):
            flipped = not getattr(settings, choice.action)
            changed = settings.model_copy(update={choice.action: flipped})
            said = ""
            if choice.action == "present":
                said = f"Your screen opens this session in the {'presenter' if flipped else 'usual'} view"
            self._act(partial(poker.update_settings, session, sid, changed), said)
        elif choice.action == "timer":
            self._set_default_timer(choice.text)
        elif choice.action == "end":
            from planner_tui.screens.modal import ConfirmModal

            self.app.push_screen(
                ConfirmModal("End this session? Its summary is kept; nothing more can change."),
                self._end,
            )

    def _set_default_timer(self, text: str) -> None:
        from pydantic import ValidationError

        assert self.table is not None
        try:
            changed = self.table.info.settings.model_copy(update={"timer_seconds": int(text)})
            changed = type(changed).model_validate(changed.model_dump())
        except (ValueError, ValidationError):
            self.notify("A timer is 0 to 3600 seconds", severity="warning")
            return
        self._act(
            partial(poker.update_settings, self.session, self.session_id, changed),
            "Timer set for the next items",
        )

    def _end(self, sure: bool | None) -> None:
        if sure:
            self._act(
                partial(poker.end, self.session, self.session_id), "Session ended; summary kept"
            )
