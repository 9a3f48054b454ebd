"""The Sprint screen's keys for what is in the sprint: marking and committing backlog items
(asking first when over capacity), done, taken out, owners."""

from __future__ import annotations

from functools import partial

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.sprint import (
    SprintItem,
    show_points,
)
from planner_tui.domain.text import one_line, sentence
from planner_tui.screens.sprint_view import SprintView
from planner_tui.services import directory, sprints
from planner_tui.widgets.row_view import RowView


class SprintCommitting(SprintView):
    """Committing items, and changing the sprint's items."""

    def action_mark(self) -> None:
        candidate = self._current_candidate()
        if candidate is None:
            return
        self.marked ^= {candidate.item_id}
        row = self.query_one("#candidates", RowView).cursor_row or 0
        self._draw_backlog(cursor=row + 1)  # on to the next, as a list of checkboxes does

    def action_commit(self) -> None:
        from planner_tui.screens.modal import ConfirmModal

        board = self.board
        if board is None:
            self.notify("Plan a sprint first: p.", severity="warning")
            return
        if board.sprint.status is SprintStatus.CLOSED:
            self.notify(f"{board.sprint.name} is closed; [ ] shows the others.", severity="warning")
            return
        chosen = [c for c in self.backlog if c.item_id in self.marked]
        if not chosen and (current := self._current_candidate()) is not None:
            chosen = [current]
        refused = [c for c in chosen if c.refusal]
        if refused:
            self._say_refused([c.refusal or "" for c in refused])
            self.marked -= {c.item_id for c in refused}
            self._draw_backlog()
        chosen = [c for c in chosen if not c.refusal]
        if not chosen:
            return
        check = sprints.commit_check(board, chosen)
        warnings = check.warnings
        if board.sprint.status is SprintStatus.ACTIVE:
            warnings.append(
                f"{board.sprint.name} has started: this is scope change, recorded with your name"
            )
        ids = [c.item_id for c in chosen]
        if not warnings:
            self._commit(ids, True)
            return
        keys = ", ".join(c.key for c in chosen[:6]) + (" …" if len(chosen) > 6 else "")
        what = f"Commit {keys} ({show_points(check.points)} points) to {board.sprint.name}?"
        question = what + "\n\n" + "\n".join(f"⚠ {w}" for w in warnings)
        self.app.push_screen(ConfirmModal(question), partial(self._commit, ids))

    def _commit(self, item_ids: list[int], go: bool | None) -> None:
        if not go or self.sprint_id is None:
            return
        sprint_id = self.sprint_id
        self.marked -= set(item_ids)

        def said(result: tuple[list[str], list[str]]) -> str:
            committed, refused = result
            if refused:
                self.app.call_from_thread(self._say_refused, refused)
            return f"Committed {', '.join(committed)}" if committed else ""

        self._act(partial(sprints.commit, self.session, sprint_id, item_ids), said)

    def _say_refused(self, refusals: list[str]) -> None:
        """Say, at length and in red, which items stayed out and how to let them in."""
        more = f"\n… and {len(refusals) - 3} more" if len(refusals) > 3 else ""
        self.notify(
            "\n".join(sentence(r) + "." for r in refusals[:3]) + more,
            title="Not committed",
            severity="error",
            timeout=15,
        )

    def action_done(self) -> None:
        item = self._current_item()
        if item is not None and not item.in_sprint:
            self.notify(f"{item.key} was taken out of the sprint; c on the backlog puts it back.")
            return
        if item is None or self.sprint_id is None:
            return
        done = not item.done
        self._act(
            partial(sprints.set_done, self.session, self.sprint_id, item.item_id, done),
            f"{item.key} {'done' if done else 'not done'}",
        )

    def action_remove(self) -> None:
        from planner_tui.screens.modal import ConfirmModal

        item = self._current_item()
        if item is None or not item.in_sprint or self.sprint is None:
            return
        if self.sprint.status is SprintStatus.ACTIVE:
            question = (
                f"Take {item.key} out of {one_line(self.sprint.name, 30)}? It has started: "
                "this is recorded as scope change, with your name."
            )
            self.app.push_screen(ConfirmModal(question), partial(self._removed, item))
            return
        self._removed(item, True)

    def _removed(self, item: SprintItem, go: bool | None) -> None:
        if not go or self.sprint_id is None:
            return
        self._act(
            partial(sprints.remove, self.session, self.sprint_id, item.item_id),
            f"{item.key} taken out of the sprint",
        )

    def action_owner(self) -> None:
        from planner_tui.screens.sprint_modals import OwnerModal

        item = self._current_item()
        if item is None or not item.in_sprint:
            return
        self.app.push_screen(
            OwnerModal(item.key, item.owner, directory.known_people(self.session)),
            partial(self._owned, item),
        )

    def _owned(self, item: SprintItem, owner: str | None) -> None:
        if owner is None or self.sprint_id is None:
            return
        self._act(
            partial(sprints.set_owner, self.session, self.sprint_id, item.item_id, owner or None),
            f"{item.key}: {one_line(owner, 20) if owner else 'nobody'}",
        )
