"""Retro boards: phases, cards, themes, dot votes, reviews of earlier actions, ratings.

Every move is one write transaction that checks its rule inside it (the phase,
who facilitates, the vote limit), so terminals acting at once cannot slip past
each other. On an anonymous board no author is written for a card — not in the
card, not in the change log — so the file cannot tell who wrote what. Hiding
unrevealed cards from other people is the service's job (`services.retro`).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import UTC, datetime
from typing import Any, cast

from planner_tui.domain.enums import ActionStatus, SessionStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewAction
from planner_tui.domain.poker import require_facilitator, seconds_left
from planner_tui.domain.retro import (
    BUILTIN_TEMPLATES,
    DECISION_STATUS,
    NewTemplate,
    Phase,
    RetroSettings,
    ReviewDecision,
    check_dot,
    require_phase,
)
from planner_tui.store.people import person_id
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now

# --- templates ---------------------------------------------------------------------------


def custom_templates(ws: Workspace) -> list[tuple[str, tuple[str, ...]]]:
    """The workspace's own templates, by name."""
    rows = ws.query(
        "SELECT name, columns FROM retro_templates WHERE builtin = 0 ORDER BY name COLLATE NOCASE"
    )
    return [(row[0], tuple(json.loads(row[1]))) for row in rows]


def save_template(ws: Workspace, template: NewTemplate) -> None:
    """Keep a custom template (replacing one of the same name)."""
    if template.name in BUILTIN_TEMPLATES:
        raise InvalidInput(f"{template.name} is a built-in template; give yours another name")
    with ws.write() as conn:
        conn.execute(
            "INSERT INTO retro_templates(name, columns, builtin) VALUES (?, ?, 0) "
            "ON CONFLICT(name) DO UPDATE SET columns = excluded.columns",
            [template.name, json.dumps(list(template.columns), ensure_ascii=False)],
        )
        ws.log("retro", None, "template saved", template.name)


# --- the board ---------------------------------------------------------------------------

_BOARD = """SELECT s.id AS session_id, s.title, s.status, s.started_at, s.ended_at, s.summary,
        s.settings, p.name AS facilitator, b.id AS board_id, b.template, b.columns,
        b.phase, b.phase_started_at, b.phase_seconds, b.writers, b.anonymous,
        sp.name AS sprint
    FROM sessions s JOIN retro_boards b ON b.session_id = s.id
    LEFT JOIN people p ON p.id = s.facilitator_id
    LEFT JOIN sprints sp ON sp.id = b.sprint_id
    WHERE s.id = ? AND s.kind = 'retro'"""


def settings_of(row: sqlite3.Row | dict[str, Any]) -> RetroSettings:
    """A board's settings from its session's stored JSON."""
    try:
        raw = json.loads(row["settings"] or "{}")
    except ValueError:
        raw = {}
    return RetroSettings.model_validate(raw) if raw else RetroSettings()


def _open_board(
    ws: Workspace,
    conn: sqlite3.Connection,
    session_id: int,
    *,
    phases: tuple[Phase, ...] | None = None,
    doing: str,
    facilitator_only: bool = False,
) -> sqlite3.Row:
    """The board row, refusing an ended retro, the wrong phase, or (when asked) a non-facilitator."""
    row = conn.execute(_BOARD, [session_id]).fetchone()
    if row is None:
        raise NotFound("that retro no longer exists")
    if row["status"] != SessionStatus.OPEN.value:
        raise InvalidInput("this retro has ended; its board and summary are kept read-only")
    if facilitator_only:
        require_facilitator(ws.actor, row["facilitator"], doing)
    if phases is not None:
        require_phase(Phase(row["phase"]), phases, doing)
    return cast("sqlite3.Row", row)


def create_retro(
    ws: Workspace,
    title: str,
    template: str,
    columns: tuple[str, ...],
    settings: RetroSettings,
    *,
    sprint_id: int | None = None,
    at: str | None = None,
) -> int:
    """Open a retro run by the acting person; returns the session id.

    The open actions of earlier retros are put on its review list; with none to
    review, the board starts at Write.
    """
    facilitator = person_id(ws, ws.actor)
    when = at or utc_now()
    with ws.write() as conn:
        session_id = inserted_id(
            conn.execute(
                """INSERT INTO sessions(kind, title, facilitator_id, sprint_id, status, started_at,
                   settings) VALUES ('retro', ?, ?, ?, 'open', ?, ?)""",
                [title, facilitator, sprint_id, when, settings.model_dump_json()],
            )
        )
        board_id = inserted_id(
            conn.execute(
                """INSERT INTO retro_boards(session_id, sprint_id, template, columns, anonymous,
                   votes_per_person, several_votes_per_card, hide_totals, phase,
                   phase_started_at, phase_seconds)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'review', ?, ?)""",
                [
                    session_id,
                    sprint_id,
                    template,
                    json.dumps(list(columns), ensure_ascii=False),
                    settings.anonymous,
                    settings.votes_per_person,
                    settings.several_votes_per_card,
                    settings.hide_totals,
                    when,
                    settings.phase_seconds,
                ],
            )
        )
        reviewed = conn.execute(
            """INSERT INTO action_reviews(board_id, action_id)
               SELECT ?, id FROM action_items WHERE status IN ('open', 'in progress')""",
            [board_id],
        ).rowcount
        if not reviewed:
            conn.execute("UPDATE retro_boards SET phase = 'write' WHERE id = ?", [board_id])
        _join(conn, session_id, facilitator, when)
        ws.log("session", session_id, "started", title)
        return session_id


def _join(conn: sqlite3.Connection, session_id: int, person: int, when: str) -> None:
    conn.execute(
        """INSERT INTO session_people(session_id, person_id, role, joined_at)
           VALUES (?, ?, 'voter', ?) ON CONFLICT(session_id, person_id) DO NOTHING""",
        [session_id, person, when],
    )


def join(ws: Workspace, session_id: int) -> None:
    """Take part in the retro (recorded once; rejoining changes nothing)."""
    me = person_id(ws, ws.actor)
    if ws.query_one(
        """SELECT 1 FROM sessions s WHERE s.id = ? AND (s.status != 'open' OR EXISTS
               (SELECT 1 FROM session_people WHERE session_id = s.id AND person_id = ?))""",
        [session_id, me],
    ):
        return  # already in it, or it has ended: there is nothing to join
    with ws.write() as conn:
        _open_board(ws, conn, session_id, doing="join the retro")
        _join(conn, session_id, me, utc_now())
        ws.log("retro", session_id, "joined", ws.actor)


def set_phase(ws: Workspace, session_id: int, phase: Phase) -> None:
    """Move the board to `phase`, forwards or back, restarting its countdown (facilitator only)."""
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, doing="change the phase", facilitator_only=True)
        if row["phase"] == phase.value:
            return
        conn.execute(
            "UPDATE retro_boards SET phase = ?, phase_started_at = ?, phase_seconds = ? "
            "WHERE id = ?",
            [phase.value, utc_now(), settings_of(row).phase_seconds, row["board_id"]],
        )
        ws.log("retro", session_id, "phase", phase.value)


def add_time(ws: Workspace, session_id: int, seconds: int) -> None:
    """Give the phase's countdown `seconds` more from what is left (less when negative)."""
    now = datetime.now(UTC)
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, doing="change the timer", facilitator_only=True)
        started = (
            datetime.fromisoformat(row["phase_started_at"]) if row["phase_started_at"] else None
        )
        left = seconds_left(started, row["phase_seconds"], now) if started else 0
        remaining = min(max(left or 0, 0) + seconds, 3600)
        conn.execute(
            "UPDATE retro_boards SET phase_seconds = ?, phase_started_at = ? WHERE id = ?",
            [max(remaining, 0), now.isoformat(timespec="seconds"), row["board_id"]],
        )
        ws.log("retro", session_id, "timer", f"{seconds:+d}")


# --- review of earlier actions -----------------------------------------------------------


def review(
    ws: Workspace, session_id: int, action_id: int, decision: ReviewDecision, note: str = ""
) -> None:
    """Decide about an earlier action: done and dropped set its status; carried over keeps it open."""
    when = utc_now()
    with ws.write() as conn:
        row = _open_board(
            ws, conn, session_id, phases=(Phase.REVIEW,), doing="review earlier actions"
        )
        found = conn.execute(
            "UPDATE action_reviews SET decision = ?, decided_by = ?, decided_at = ?, note = ? "
            "WHERE board_id = ? AND action_id = ?",
            [decision.value, ws.actor, when, note, row["board_id"], action_id],
        ).rowcount
        if not found:
            raise NotFound("that action is not on this retro's review list")
        status = DECISION_STATUS.get(decision)
        if status is None:  # carried over: still to do, whatever was decided a moment ago
            conn.execute(
                "UPDATE action_items SET status = ? WHERE id = ? AND status IN ('done', 'dropped')",
                [ActionStatus.OPEN.value, action_id],
            )
        else:
            conn.execute(
                "UPDATE action_items SET status = ? WHERE id = ?", [status.value, action_id]
            )
        conn.execute(
            "UPDATE action_items SET decided_by = ?, decided_at = ?, review_note = ?, "
            "updated_at = ? WHERE id = ?",
            [ws.actor, when, note, when, action_id],
        )
        ws.log("action", action_id, "reviewed", decision.value)


# --- cards -------------------------------------------------------------------------------


def add_card(
    ws: Workspace,
    session_id: int,
    column: str,
    text: str,
    *,
    author: str | None,
    new_writer: bool,
) -> int:
    """Write a card. On an anonymous board `author` is dropped here and never reaches the file.

    Args:
        author: who wrote it on a named board; None for a card from the room.
        new_writer: this is the first card of someone not yet counted among the writers.
    """
    author_id = person_id(ws, author) if author else None
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, phases=(Phase.WRITE,), doing="write cards")
        if column not in json.loads(row["columns"]):
            raise InvalidInput(f"the board has no column {column}")
        if not row["anonymous"]:
            card_id = inserted_id(
                conn.execute(
                    "INSERT INTO retro_cards(board_id, column_name, text, author_id, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [row["board_id"], column, text, author_id, utc_now()],
                )
            )
            ws.log("card", card_id, "written")
            return card_id
        card_id = _insert_anonymous(conn, row, column, text)
        if new_writer:
            conn.execute(
                "UPDATE retro_boards SET writers = writers + 1 WHERE id = ?", [row["board_id"]]
            )
        return card_id


def _insert_anonymous(conn: sqlite3.Connection, row: sqlite3.Row, column: str, text: str) -> int:
    """A card with nothing that leads to its writer, not even the order of writing.

    No author; the Write phase's start as its time; a random id, so ids do not
    follow the order cards were written in; and no change-log entry, whose
    sequence could be matched against other entries. Other terminals still see
    the commit (`PRAGMA data_version`) and redraw.
    """
    for _ in range(20):
        card_id = secrets.randbelow(2**53 - 1) + 1
        try:
            conn.execute(
                "INSERT INTO retro_cards(id, board_id, column_name, text, author_id, created_at) "
                "VALUES (?, ?, ?, ?, NULL, ?)",
                [card_id, row["board_id"], column, text, row["phase_started_at"]],
            )
        except sqlite3.IntegrityError:
            continue  # that id is taken (one in millions of millions): draw again
        return card_id
    raise InvalidInput("could not file the card; try again")


def card_author(ws: Workspace, card_id: int) -> str | None:
    """Who wrote a card on a named board (None on an anonymous board: nobody knows)."""
    row = ws.query_one(
        "SELECT p.name FROM retro_cards c JOIN people p ON p.id = c.author_id WHERE c.id = ?",
        [card_id],
    )
    return row[0] if row else None


def _card(conn: sqlite3.Connection, board_id: int, card_id: int) -> sqlite3.Row:
    card = conn.execute(
        "SELECT id, column_name, theme_id, author_id FROM retro_cards WHERE id = ? AND board_id = ?",
        [card_id, board_id],
    ).fetchone()
    if card is None:
        raise NotFound("that card is no longer on the board")
    return cast("sqlite3.Row", card)


def edit_card(ws: Workspace, session_id: int, card_id: int, text: str) -> None:
    """Change a card's text (the service checks it is the editor's own card)."""
    with ws.write() as conn:
        row = _open_board(
            ws,
            conn,
            session_id,
            phases=(Phase.WRITE, Phase.REVEAL, Phase.GROUP),
            doing="edit cards",
        )
        _card(conn, row["board_id"], card_id)
        conn.execute("UPDATE retro_cards SET text = ? WHERE id = ?", [text, card_id])
        if not row["anonymous"]:
            ws.log("card", card_id, "edited")


def delete_card(ws: Workspace, session_id: int, card_id: int) -> None:
    """Take back a card while writing (the service checks it is the writer's own)."""
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, phases=(Phase.WRITE,), doing="take back cards")
        _card(conn, row["board_id"], card_id)
        conn.execute("DELETE FROM retro_cards WHERE id = ?", [card_id])
        if not row["anonymous"]:
            ws.log("card", card_id, "deleted")


def _drop_empty_themes(conn: sqlite3.Connection, board_id: int) -> None:
    conn.execute(
        """DELETE FROM retro_themes WHERE board_id = ? AND NOT EXISTS
               (SELECT 1 FROM retro_cards c WHERE c.theme_id = retro_themes.id)""",
        [board_id],
    )


def move_card(ws: Workspace, session_id: int, card_id: int, column: str) -> None:
    """Move a card to another column; it leaves its theme."""
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, phases=(Phase.GROUP,), doing="move cards")
        if column not in json.loads(row["columns"]):
            raise InvalidInput(f"the board has no column {column}")
        _card(conn, row["board_id"], card_id)
        conn.execute(
            "UPDATE retro_cards SET column_name = ?, theme_id = NULL WHERE id = ?",
            [column, card_id],
        )
        _drop_empty_themes(conn, row["board_id"])
        ws.log("card", card_id, "moved", column)


def group(
    ws: Workspace,
    session_id: int,
    card_id: int,
    *,
    theme_id: int | None = None,
    title: str | None = None,
) -> int:
    """Put a card under an existing theme, or under a new theme titled `title`; returns the theme."""
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, phases=(Phase.GROUP,), doing="group cards")
        card = _card(conn, row["board_id"], card_id)
        if theme_id is None:
            if not title or not title.strip():
                raise InvalidInput("a theme needs a title")
            theme_id = inserted_id(
                conn.execute(
                    "INSERT INTO retro_themes(board_id, column_name, title, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    [row["board_id"], card["column_name"], title.strip(), utc_now()],
                )
            )
            column = card["column_name"]
        else:
            theme = conn.execute(
                "SELECT column_name FROM retro_themes WHERE id = ? AND board_id = ?",
                [theme_id, row["board_id"]],
            ).fetchone()
            if theme is None:
                raise NotFound("that theme is no longer on the board")
            column = theme[0]
        conn.execute(
            "UPDATE retro_cards SET theme_id = ?, column_name = ? WHERE id = ?",
            [theme_id, column, card_id],
        )
        _drop_empty_themes(conn, row["board_id"])
        ws.log("theme", theme_id, "card grouped")
        return theme_id


def ungroup(ws: Workspace, session_id: int, card_id: int) -> None:
    """Take a card out of its theme (a theme left empty goes)."""
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, phases=(Phase.GROUP,), doing="ungroup cards")
        _card(conn, row["board_id"], card_id)
        conn.execute("UPDATE retro_cards SET theme_id = NULL WHERE id = ?", [card_id])
        _drop_empty_themes(conn, row["board_id"])
        ws.log("card", card_id, "ungrouped")


def rename_theme(ws: Workspace, session_id: int, theme_id: int, title: str) -> None:
    """Give a theme another title."""
    if not title.strip():
        raise InvalidInput("a theme needs a title")
    with ws.write() as conn:
        row = _open_board(
            ws, conn, session_id, phases=(Phase.GROUP, Phase.DISCUSS), doing="rename themes"
        )
        found = conn.execute(
            "UPDATE retro_themes SET title = ? WHERE id = ? AND board_id = ?",
            [title.strip(), theme_id, row["board_id"]],
        ).rowcount
        if not found:
            raise NotFound("that theme is no longer on the board")
        ws.log("theme", theme_id, "renamed", title)


def set_notes(
    ws: Workspace,
    session_id: int,
    notes: str,
    *,
    card_id: int | None = None,
    theme_id: int | None = None,
) -> None:
    """What the team said about a theme or card while discussing it."""
    with ws.write() as conn:
        row = _open_board(
            ws, conn, session_id, phases=(Phase.DISCUSS, Phase.CLOSE), doing="write notes"
        )
        table, target = (
            ("retro_themes", theme_id) if theme_id is not None else ("retro_cards", card_id)
        )
        found = conn.execute(
            f"UPDATE {table} SET notes = ? WHERE id = ? AND board_id = ?",  # table is ours
            [notes, target, row["board_id"]],
        ).rowcount
        if not found:
            raise NotFound("that is no longer on the board")
        ws.log("theme" if theme_id is not None else "card", target, "notes")


# --- dot votes ---------------------------------------------------------------------------


def dot(
    ws: Workspace, session_id: int, *, card_id: int | None = None, theme_id: int | None = None
) -> int:
    """Put one of the acting person's dots on a card or theme; returns the dots they have left.

    The limit is checked inside the write transaction: two terminals of one
    person voting at the same moment still cannot spend more than the limit.
    """
    me = person_id(ws, ws.actor)
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, phases=(Phase.VOTE,), doing="vote")
        board_id = row["board_id"]
        settings = settings_of(row)
        if card_id is not None:
            _card(conn, board_id, card_id)
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
        row = _open_board(ws, conn, session_id, phases=(Phase.VOTE,), doing="take back votes")
        vote = conn.execute(
            """SELECT max(id) FROM retro_votes WHERE board_id = ? AND voter_id = ?
                   AND card_id IS ? AND theme_id IS ?""",
            [row["board_id"], me, card_id, theme_id],
        ).fetchone()[0]
        if vote is None:
            raise InvalidInput("you have no vote there to take back")
        conn.execute("DELETE FROM retro_votes WHERE id = ?", [vote])
        ws.log("retro", session_id, "dot taken back")


# --- actions, rating, end ----------------------------------------------------------------


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
        row = _open_board(
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
    if not 1 <= rating <= 5:
        raise InvalidInput("rate the retro from 1 (not worth it) to 5 (well worth it)")
    me = person_id(ws, ws.actor)
    with ws.write() as conn:
        row = _open_board(ws, conn, session_id, phases=(Phase.CLOSE,), doing="rate the retro")
        conn.execute(
            "INSERT INTO retro_ratings(board_id, person_id, rating) VALUES (?, ?, ?) "
            "ON CONFLICT(board_id, person_id) DO UPDATE SET rating = excluded.rating",
            [row["board_id"], me, rating],
        )
        ws.log("retro", session_id, "rated")


def end(ws: Workspace, session_id: int, summary: str) -> None:
    """End the retro at Close, keeping its summary (facilitator only)."""
    with ws.write() as conn:
        _open_board(
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


# --- action items anywhere ---------------------------------------------------------------


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


# --- reading -----------------------------------------------------------------------------


def board_row(ws: Workspace, session_id: int) -> sqlite3.Row:
    """The retro session with its board."""
    row = ws.query_one(_BOARD, [session_id])
    if row is None:
        raise NotFound("that retro no longer exists")
    return row


def list_retros(ws: Workspace, limit: int = 200) -> list[sqlite3.Row]:
    """Retros, running ones first, newest first, with their card and action counts."""
    return ws.query(
        """SELECT s.id AS session_id, s.title, s.status, s.started_at, p.name AS facilitator,
               b.phase,
               (SELECT count(*) FROM retro_cards c WHERE c.board_id = b.id) AS cards,
               (SELECT count(*) FROM action_items a WHERE a.board_id = b.id) AS actions
           FROM sessions s JOIN retro_boards b ON b.session_id = s.id
           LEFT JOIN people p ON p.id = s.facilitator_id
           WHERE s.kind = 'retro' ORDER BY s.status != 'open', s.started_at DESC, s.id DESC
           LIMIT ?""",
        [limit],
    )


def card_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """Every card of the board, oldest first, with its author's name where there is one."""
    return ws.query(
        """SELECT c.id, c.column_name AS column, c.text, c.theme_id, c.notes,
               p.name AS author
           FROM retro_cards c LEFT JOIN people p ON p.id = c.author_id
           WHERE c.board_id = ? ORDER BY c.id""",
        [board_id],
    )


def theme_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """The board's themes, oldest first."""
    return ws.query(
        "SELECT id, column_name AS column, title, notes FROM retro_themes "
        "WHERE board_id = ? ORDER BY id",
        [board_id],
    )


def vote_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """Dots per target and voter."""
    return ws.query(
        """SELECT v.card_id, v.theme_id, p.name AS voter, count(*) AS dots
           FROM retro_votes v JOIN people p ON p.id = v.voter_id
           WHERE v.board_id = ? GROUP BY v.card_id, v.theme_id, v.voter_id""",
        [board_id],
    )


_ACTIONS = """SELECT a.id, a.text, p.name AS owner, a.due_date, a.status, a.created_at,
        coalesce(s.title, '') AS origin, s.id AS session_id,
        coalesce(t.title, c.text, '') AS prompted_by
    FROM action_items a
    LEFT JOIN people p ON p.id = a.owner_id
    LEFT JOIN retro_boards b ON b.id = a.board_id
    LEFT JOIN sessions s ON s.id = b.session_id
    LEFT JOIN retro_themes t ON t.id = a.theme_id
    LEFT JOIN retro_cards c ON c.id = a.card_id"""


def review_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """The earlier actions this board reviews, with what was decided."""
    return ws.query(
        f"""SELECT x.*, r.decision, r.decided_by, r.note FROM action_reviews r
            JOIN ({_ACTIONS}) x ON x.id = r.action_id
            WHERE r.board_id = ? ORDER BY x.due_date IS NULL, x.due_date, x.id""",
        [board_id],
    )


def action_rows(ws: Workspace, board_id: int | None = None) -> list[sqlite3.Row]:
    """Action items of one board, or of every board (open first, then by due date)."""
    if board_id is not None:
        return ws.query(f"{_ACTIONS} WHERE a.board_id = ? ORDER BY a.id", [board_id])
    return ws.query(
        f"""{_ACTIONS} ORDER BY a.status NOT IN ('open', 'in progress'),
                a.due_date IS NULL, a.due_date, a.id"""
    )


def rating_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """Each person's rating of the retro."""
    return ws.query(
        """SELECT p.name, r.rating FROM retro_ratings r JOIN people p ON p.id = r.person_id
           WHERE r.board_id = ?""",
        [board_id],
    )


def named_writers(ws: Workspace, board_id: int) -> int:
    """How many people wrote cards on a named board."""
    row = ws.query_one(
        "SELECT count(DISTINCT author_id) FROM retro_cards WHERE board_id = ?", [board_id]
    )
    return row[0] if row else 0
