"""The end of a retro: dot votes, the action items agreed, the rating, the end; and action items
edited anywhere later."""

from __future__ import annotations

from planner_tui.domain.enums import ActionStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewAction
from planner_tui.domain.retro import Phase, check_dot, check_rating
from planner_tui.store.people import person_id

# --- templates ---------------------------------------------------------------------------
from planner_tui.store.retro_base import open_board, settings_of
from planner_tui.store.retro_cards import card_on_board
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now


def dot(
    ws: Workspace, session_id: int, *, card_id: int | None = None, theme_id: int | None = None
) -> int:
    """Put one of the acting person's dots on a card or theme; returns the dots they have left.

    The limit is checked inside the write transaction: two terminals of one
    person voting at the same moment still cannot spend more than the limit.
    """
    me = person_id(ws, ws.actor)
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.VOTE,), doing="vote")
        board_id = row["board_id"]
        settings = settings_of(row)
        if card_id is not None:
            card_on_board(conn, board_id, card_id)
        elif not conn.execute(
            "SELECT 1 FROM retro_themes WHERE id = ? AND board_id = ?", [theme_id, board_id]
        ).fetchone():
            raise NotFound("that theme is no longer on the board")
        # A theme and the cards under it are one topic: a dot on either counts for both.
        if card_id is not None:
            topic = conn.execute(
                "SELECT theme_id FROM retro_cards WHERE id = ?", [card_id]
            ).fetchone()[0]
            cards = [card_id]
        else:
            topic = theme_id
            cards = [
                r[0]
                for r in conn.execute("SELECT id FROM retro_cards WHERE theme_id = ?", [theme_id])
            ]
        marks = ",".join("?" * len(cards)) or "NULL"
        spent, on_target = conn.execute(
            f"""SELECT count(*), coalesce(sum(card_id IN ({marks}) OR theme_id IS ?), 0)
                FROM retro_votes WHERE board_id = ? AND voter_id = ?""",  # marks: ours
            [*cards, topic if topic is not None else -1, board_id, me],
        ).fetchone()
        check_dot(
            limit=settings.votes_per_person,
            several_per_target=settings.several_votes_per_card,
            spent=spent,
            on_target=on_target,
            voter=ws.actor,
        )
        conn.execute(
            "INSERT INTO retro_votes(board_id, voter_id, card_id, theme_id, at) "
            "VALUES (?, ?, ?, ?, ?)",
            [board_id, me, card_id, theme_id, utc_now()],
        )
        ws.log("retro", session_id, "dot")
        return int(settings.votes_per_person - spent - 1)


def undot(
    ws: Workspace, session_id: int, *, card_id: int | None = None, theme_id: int | None = None
) -> None:
    """Take one of the acting person's dots back off a card or theme."""
    me = person_id(ws, ws.actor)
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.VOTE,), doing="take back votes")
        vote = conn.execute(
            """SELECT max(id) FROM retro_votes WHERE board_id = ? AND voter_id = ?
                   AND card_id IS ? AND theme_id IS ?""",
            [row["board_id"], me, card_id, theme_id],
        ).fetchone()[0]
        if vote is None:
            raise InvalidInput("you have no vote there to take back")
        conn.execute("DELETE FROM retro_votes WHERE id = ?", [vote])
        ws.log("retro", session_id, "dot taken back")


def add_action(
    ws: Workspace,
    session_id: int,
    action: NewAction,
    *,
    card_id: int | None = None,
    theme_id: int | None = None,
) -> int:
    """Agree an action item, linked to the card or theme that prompted it."""
    owner_id = person_id(ws, action.owner) if action.owner else None
    when = utc_now()
    with ws.write() as conn:
        row = open_board(
            ws, conn, session_id, phases=(Phase.DISCUSS, Phase.CLOSE), doing="add action items"
        )
        action_id = inserted_id(
            conn.execute(
                """INSERT INTO action_items(text, owner_id, due_date, status, board_id, card_id,
                   theme_id, created_at, created_by, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    action.text,
                    owner_id,
                    action.due.isoformat() if action.due else None,
                    action.status.value,
                    row["board_id"],
                    card_id,
                    theme_id,
                    when,
                    ws.actor,
                    when,
                ],
            )
        )
        ws.log("action", action_id, "added", action.text)
        return action_id


def rate(ws: Workspace, session_id: int, rating: int) -> None:
    """The acting person's 1 to 5 answer to "was this retro worth the time" (changeable)."""
    check_rating(rating)
    me = person_id(ws, ws.actor)
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.CLOSE,), doing="rate the retro")
        conn.execute(
            "INSERT INTO retro_ratings(board_id, person_id, rating) VALUES (?, ?, ?) "
            "ON CONFLICT(board_id, person_id) DO UPDATE SET rating = excluded.rating",
            [row["board_id"], me, rating],
        )
        ws.log("retro", session_id, "rated")


def end(ws: Workspace, session_id: int, summary: str) -> None:
    """End the retro at Close, keeping its summary (facilitator only)."""
    with ws.write() as conn:
        open_board(
            ws,
            conn,
            session_id,
            phases=(Phase.CLOSE,),
            doing="end the retro",
            facilitator_only=True,
        )
        conn.execute(
            "UPDATE sessions SET status = 'closed', ended_at = ?, summary = ? WHERE id = ?",
            [utc_now(), summary, session_id],
        )
        ws.log("session", session_id, "closed")


def update_action(
    ws: Workspace,
    action_id: int,
    *,
    text: str,
    owner: str | None,
    due: str | None,
    status: ActionStatus,
) -> None:
    """Change an action item's text, owner, due date or status."""
    owner_id = person_id(ws, owner) if owner else None
    when = utc_now()
    with ws.write() as conn:
        found = conn.execute(
            "UPDATE action_items SET text = ?, owner_id = ?, due_date = ?, status = ?, "
            "updated_at = ? WHERE id = ?",
            [text, owner_id, due, status.value, when, action_id],
        ).rowcount
        if not found:
            raise NotFound("that action item no longer exists")
        ws.log("action", action_id, "updated", status.value)
