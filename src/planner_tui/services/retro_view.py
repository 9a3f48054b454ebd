"""The retro as one person may see it now: the board with what the phase hides from them hidden,
the list of retros, who is here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

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
from planner_tui.domain.stored import texts_of
from planner_tui.services.context import Session
from planner_tui.services.pages import Pages
from planner_tui.services.rows import from_row, from_rows
from planner_tui.store import retro_base, retro_reads
from planner_tui.store.people import same_name
from planner_tui.store.presence import here_at
from planner_tui.store.sql import StoreRow
from planner_tui.store.workspace import Workspace


def place(session_id: int) -> str:
    """Where a terminal showing this retro says it is, for presence."""
    return f"retro:{session_id}"


def listing(session: Session) -> list[RetroListing]:
    """Retros, running ones first."""
    return [
        from_row(RetroListing, row, columns=texts_of(row["columns"]))
        for row in retro_reads.list_retros(session.workspace)
    ]


def _info(row: StoreRow) -> RetroInfo:
    return from_row(
        RetroInfo,
        row,
        columns=texts_of(row["columns"]),
        settings=retro_base.settings_of(row),
    )


def action_views(rows: Iterable[StoreRow]) -> tuple[ActionView, ...]:
    return tuple(from_rows(ActionView, rows))


def _here(session: Session, session_id: int) -> tuple[str, ...]:
    names = here_at(session.workspace, place(session_id))
    return tuple(sorted(names, key=str.casefold))


def with_presence(session: Session, session_id: int, board: Board) -> Board:
    """`board` with who is here read afresh (a presence change changes nothing else)."""
    return board.model_copy(update={"here": _here(session, session_id)})


@dataclass(frozen=True)
class _Sight:
    """What one person may see of a board's cards now, and the dots on them."""

    me: str
    written: frozenset[int]
    revealed: bool
    shown: bool
    totals: Counter[tuple[str, int]]
    mine: Counter[tuple[str, int]]

    def view(self, row: StoreRow) -> CardView:
        own = (row["author"] or "").casefold() == self.me or row["id"] in self.written
        revealed = self.revealed
        return CardView(
            id=row["id"],
            column=row["column"],
            text=row["text"],
            author=row["author"] if revealed or own else None,
            mine=own,
            theme_id=row["theme_id"] if revealed else None,
            notes=row["notes"],
            votes=self.totals[("card", row["id"])] if self.shown else None,
            my_votes=self.mine[("card", row["id"])],
        )


@dataclass(frozen=True)
class _Order:
    """A column's loose cards in the order they are listed: `ranked` (the voted ones, most
    dots first, once cards are ordered by votes) and then the rest in order of writing."""

    loose: retro_reads.Loose
    ranked: tuple[int, ...]

    def page(self, ws: Workspace, sight: _Sight, offset: int, limit: int) -> list[CardView]:
        """`limit` cards from the `offset`th on."""
        ranked = self.ranked[offset : offset + limit]
        views = []
        if ranked:
            rows = {
                row["id"]: row for row in retro_reads.cards_by_id(ws, self.loose.board_id, ranked)
            }
            views = [sight.view(rows[card_id]) for card_id in ranked if card_id in rows]
        offset, limit = max(offset - len(self.ranked), 0), limit - len(ranked)
        if limit > 0:
            views += map(sight.view, retro_reads.loose_rows(ws, self.loose, offset, limit))
        return views

    def position(self, ws: Workspace, card_id: int) -> int | None:
        """Where the card is in the list, if it is there."""
        if card_id in self.ranked:
            return self.ranked.index(card_id)
        found = retro_reads.loose_position(ws, self.loose, card_id)
        return None if found is None else len(self.ranked) + found


class CardPages:
    """A board's loose cards past those read with it, read a page at a time per column as
    the column is drawn."""

    def __init__(
        self,
        session: Session,
        sight: _Sight,
        orders: dict[str, _Order],
        first: dict[str, tuple[CardView, ...]],
    ) -> None:
        self._session = session
        self._orders = orders
        self._columns = {
            name: Pages(partial(order.page, session.workspace, sight), first.get(name, ()))
            for name, order in orders.items()
        }

    def at(self, column: str, index: int) -> CardView | None:
        """The `index`th loose card of the column."""
        pages = self._columns.get(column)
        return pages.at(index) if pages is not None else None

    def position(self, column: str, card_id: int) -> int | None:
        """Where a card is among the column's loose cards, if it is one of them."""
        from planner_tui.services.errors import USER_ERRORS

        order = self._orders.get(column)
        try:
            return order.position(self._session.workspace, card_id) if order else None
        except USER_ERRORS:
            return None

    def card(self, card_id: int) -> CardView | None:
        """A card among the pages read so far."""
        return next(
            (
                card
                for pages in self._columns.values()
                for card in pages.read_so_far()
                if card.id == card_id
            ),
            None,
        )


def board(session: Session, session_id: int) -> Board:
    """The retro as `session.me` may see it now, every card read."""
    return board_pages(session, session_id, first=None)[0]


def board_pages(session: Session, session_id: int, *, first: int | None) -> tuple[Board, CardPages]:
    """The retro as `session.me` may see it now, with the first `first` loose cards of each
    column (None: all of them) and the pages that hold the rest."""
    ws = session.workspace
    session.notice_rebuild()
    info = _info(retro_reads.board_row(ws, session_id))
    me = session.me.casefold()
    # The same rules keep these values out of every export (store.exchange.dump).
    revealed = not cards_hidden(info.phase, running=info.open)
    shown = not dots_hidden(info.phase, info.settings.hide_totals, running=info.open)
    totals: Counter[tuple[str, int]] = Counter()
    mine: Counter[tuple[str, int]] = Counter()
    for vote in retro_reads.vote_rows(ws, info.board_id):
        target = ("card", vote["card_id"]) if vote["card_id"] else ("theme", vote["theme_id"])
        totals[target] += vote["dots"]
        if vote["voter"].casefold() == me:
            mine[target] += vote["dots"]
    sight = _Sight(me, frozenset(session.written_cards), revealed, shown, totals, mine)
    by_votes = info.open is False or PHASES.index(info.phase) >= PHASES.index(Phase.DISCUSS)
    themes = []
    grouped: dict[int, list[CardView]] = {}
    for card in map(
        sight.view, retro_reads.themed_card_rows(ws, info.board_id) if revealed else ()
    ):
        grouped.setdefault(card.theme_id or 0, []).append(card)
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
    orders = _orders(session, info, sight, by_votes)
    counts = retro_reads.column_counts(ws, info.board_id)
    columns = []
    for name in info.columns:
        order = orders[name]
        loose = len(order.ranked) + retro_reads.loose_count(ws, order.loose)
        columns.append(
            ColumnView(
                name=name,
                count=counts.get(name, 0),
                themes=tuple(
                    sorted(
                        (t for t in themes if t.column == name),
                        key=lambda t: -theme_votes[t.id] if by_votes else 0,
                    )
                ),
                cards=tuple(order.page(ws, sight, 0, loose if first is None else first)),
                loose=loose,
            )
        )
    spent = sum(mine.values())
    ratings = retro_reads.rating_rows(ws, info.board_id)
    writers = (
        retro_reads.named_writers(ws, info.board_id)
        if not info.settings.anonymous
        else retro_reads.board_row(ws, session_id)["writers"]
    )
    average = average_rating([r["rating"] for r in ratings])
    result = Board(
        info=info,
        viewer=session.me,
        columns=tuple(columns),
        card_count=sum(counts.values()),
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
    first_cards = {column.name: column.cards for column in columns}
    return result, CardPages(session, sight, orders, first_cards)


def _orders(session: Session, info: RetroInfo, sight: _Sight, by_votes: bool) -> dict[str, _Order]:
    """How each column lists its loose cards: while cards are hidden, the viewer's own;
    after, those in no theme, by dots once the board is ordered by votes."""
    ws = session.workspace
    own = None
    if not sight.revealed:
        me = same_name(ws, session.me)
        own = ((me,) if me is not None else (), tuple(sorted(sight.written)))
    ranked: dict[str, list[int]] = {}
    voted = [target for kind, target in sight.totals if kind == "card"]
    if by_votes and sight.revealed and voted:
        for row in retro_reads.card_places(ws, info.board_id, voted):
            if row["theme_id"] is None:
                ranked.setdefault(row["column"], []).append(row["id"])
    orders = {}
    for name in info.columns:
        first = tuple(sorted(ranked.get(name, ()), key=lambda c: (-sight.totals[("card", c)], c)))
        orders[name] = _Order(retro_reads.Loose(info.board_id, name, own, first), first)
    return orders


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
