"""The retro as one person may see it now: the board with what the phase hides from them hidden,
the list of retros, who is here."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from planner_tui.domain.retro import (
    PHASES,
    ActionView,
    Board,
    CardView,
    ColumnView,
    Phase,
    RetroInfo,
    RetroListing,
    ReviewEntry,
    ThemeView,
    cards_hidden,
    dots_hidden,
    ratings_hidden,
)
from planner_tui.services.context import Session
from planner_tui.services.rows import from_row
from planner_tui.store import retro_base, retro_reads
from planner_tui.store.presence import here_at
from planner_tui.store.sql import StoreRow


def place(session_id: int) -> str:
    """Where a terminal showing this retro says it is, for presence."""
    return f"retro:{session_id}"


def listing(session: Session) -> list[RetroListing]:
    """Retros, running ones first."""
    return [from_row(RetroListing, row) for row in retro_reads.list_retros(session.workspace)]


def _info(row: StoreRow) -> RetroInfo:
    return from_row(
        RetroInfo,
        row,
        columns=tuple(json.loads(row["columns"])),
        settings=retro_base.settings_of(row),
    )


def action_views(rows: Iterable[StoreRow]) -> tuple[ActionView, ...]:
    return tuple(from_row(ActionView, row) for row in rows)


def _here(session: Session, session_id: int) -> tuple[str, ...]:
    names = here_at(session.workspace, place(session_id))
    return tuple(sorted(names, key=str.casefold))


def with_presence(session: Session, session_id: int, board: Board) -> Board:
    """`board` with who is here read afresh (a presence change changes nothing else)."""
    return board.model_copy(update={"here": _here(session, session_id)})


def board(session: Session, session_id: int) -> Board:
    """The retro as `session.me` may see it now."""
    ws = session.workspace
    info = _info(retro_reads.board_row(ws, session_id))
    me = session.me.casefold()
    ended = not info.open
    # The same rules keep these values out of every export (store.exchange.dump).
    revealed = not cards_hidden(info.phase, running=info.open)
    shown = not dots_hidden(info.phase, info.settings.hide_totals, running=info.open)
    votes = retro_reads.vote_rows(ws, info.board_id)
    totals: Counter[tuple[str, int]] = Counter()
    mine: Counter[tuple[str, int]] = Counter()
    for vote in votes:
        target = ("card", vote["card_id"]) if vote["card_id"] else ("theme", vote["theme_id"])
        totals[target] += vote["dots"]
        if vote["voter"].casefold() == me:
            mine[target] += vote["dots"]

    def card_view(row: StoreRow) -> CardView:
        own = (row["author"] or "").casefold() == me or row["id"] in session.written_cards
        return CardView(
            id=row["id"],
            column=row["column"],
            text=row["text"],
            author=row["author"] if revealed or own else None,
            mine=own,
            theme_id=row["theme_id"] if revealed else None,
            notes=row["notes"],
            votes=totals[("card", row["id"])] if shown else None,
            my_votes=mine[("card", row["id"])],
        )

    rows = retro_reads.card_rows(ws, info.board_id)
    count = Counter(row["column"] for row in rows)
    visible = [card_view(row) for row in rows]
    if not revealed:
        visible = [card for card in visible if card.mine]
    by_votes = ended or PHASES.index(info.phase) >= PHASES.index(Phase.DISCUSS)
    themes = []
    grouped: dict[int | None, list[CardView]] = {}
    for card in visible:
        grouped.setdefault(card.theme_id, []).append(card)
    for row in retro_reads.theme_rows(ws, info.board_id) if revealed else ():
        cards = tuple(grouped.get(row["id"], ()))
        dots = totals[("theme", row["id"])] + sum(totals[("card", c.id)] for c in cards)
        themes.append(
            ThemeView(
                id=row["id"],
                column=row["column"],
                title=row["title"],
                notes=row["notes"],
                cards=_sorted(cards, by_votes, totals),
                votes=dots if shown else None,
                my_votes=mine[("theme", row["id"])],
            )
        )
    theme_votes = {theme.id: _dots(theme, totals) for theme in themes}
    columns = tuple(
        ColumnView(
            name=name,
            count=count[name],
            themes=tuple(
                sorted(
                    (t for t in themes if t.column == name),
                    key=lambda t: -theme_votes[t.id] if by_votes else 0,
                )
            ),
            cards=_sorted(
                tuple(c for c in grouped.get(None, ()) if c.column == name),
                by_votes,
                totals,
            ),
        )
        for name in info.columns
    )
    spent = sum(mine.values())
    ratings = retro_reads.rating_rows(ws, info.board_id)
    writers = (
        len(set(row["author"] for row in rows if row["author"]))
        if not info.settings.anonymous
        else retro_reads.board_row(ws, session_id)["writers"]
    )
    average = average_rating([r["rating"] for r in ratings])
    return Board(
        info=info,
        viewer=session.me,
        columns=columns,
        card_count=len(rows),
        writers=writers,
        votes_left=max(info.settings.votes_per_person - spent, 0),
        review=tuple(
            from_row(ReviewEntry, row, action_id=row["id"])
            for row in retro_reads.review_rows(ws, info.board_id)
        ),
        actions=action_views(retro_reads.action_rows(ws, info.board_id)),
        here=_here(session, session_id),
        ratings=len(ratings),
        average_rating=None if ratings_hidden(running=info.open) else average,
        my_rating=next((r["rating"] for r in ratings if r["name"].casefold() == me), None),
    )


def average_rating(ratings: list[int]) -> float | None:
    """The average rating, from three ratings on (one of two would tell each the other's)."""
    return sum(ratings) / len(ratings) if len(ratings) >= 3 else None


def _dots(theme: ThemeView, totals: Counter[tuple[str, int]]) -> int:
    return totals[("theme", theme.id)] + sum(totals[("card", c.id)] for c in theme.cards)


def _sorted(
    cards: tuple[CardView, ...], by_votes: bool, totals: Counter[tuple[str, int]]
) -> tuple[CardView, ...]:
    if not by_votes:
        return cards
    return tuple(sorted(cards, key=lambda c: -totals[("card", c.id)]))
