"""Retro boards as the screens use them.

Every read is made for one person (`session.me`): before the reveal a board
holds only the viewer's own cards, and other people's are only counted. On an
anonymous board the file does not know who wrote a card, so "own" is what
this process wrote (`Session.written_cards`): a person can edit their cards
for as long as the terminal that wrote them stays open.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from planner_tui.domain.enums import ActionStatus, SessionKind
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import NewAction, NewCard, NewSession
from planner_tui.domain.poker import require_facilitator
from planner_tui.domain.retro import (
    BUILTIN_TEMPLATES,
    ActionView,
    Board,
    CardView,
    NewTemplate,
    Phase,
    RetroSettings,
    ReviewDecision,
    step,
)
from planner_tui.services.context import Session
from planner_tui.services.retro_view import action_views, average_rating, board, place
from planner_tui.store import estimation as sessions_store
from planner_tui.store import retro as store
from planner_tui.store import retro_cards, retro_close, retro_reads
from planner_tui.store.sprint_reads import sprint_id_by_name


def templates(session: Session) -> list[tuple[str, tuple[str, ...]]]:
    """Every template to choose from: the built-in ones, then the workspace's own."""
    return [*BUILTIN_TEMPLATES.items(), *store.custom_templates(session.workspace)]


def start(
    session: Session,
    title: str,
    template: str,
    columns: tuple[str, ...],
    settings: RetroSettings | None = None,
    *,
    sprint: str | None = None,
    save_template: bool = False,
) -> int:
    """Open a retro that `session.me` facilitates; returns its session id.

    With `save_template`, the columns are kept as a template called `template`.
    """
    NewSession(kind=SessionKind.RETRO, title=title, facilitator=session.me)  # validates
    ws = session.workspace
    sprint_id = None
    if sprint:
        sprint_id = sprint_id_by_name(ws, sprint.strip())
        if sprint_id is None:
            raise InvalidInput(f"there is no sprint called {sprint.strip()}", field="sprint")
    if save_template:
        store.save_template(ws, NewTemplate(name=template, columns=columns))
    return store.create_retro(
        ws, title.strip(), template, columns, settings or RetroSettings(), sprint_id=sprint_id
    )


def join(session: Session, session_id: int) -> bool:
    """Take part (once); opening a running retro does this. Whether it joined now."""
    if session.read_only:
        return False  # a reader watches: taking part would write
    return store.join(session.workspace, session_id)


def move_phase(session: Session, session_id: int, by: int) -> Phase:
    """Go `by` phases forwards (or back); returns the phase the board is at."""
    current = Phase(retro_reads.board_row(session.workspace, session_id)["phase"])
    target = step(current, by)
    store.set_phase(session.workspace, session_id, target)
    return target


def set_present(session: Session, session_id: int, present: bool) -> None:
    """Whether the facilitator's screen opens the board in the presenter view."""
    store.set_present(session.workspace, session_id, present)


def add_time(session: Session, session_id: int, seconds: int) -> None:
    """More (or less) time on the phase's countdown."""
    store.add_time(session.workspace, session_id, seconds)


def take_over(session: Session, session_id: int) -> None:
    """Facilitate instead of a facilitator whose terminal has gone."""
    sessions_store.take_over(session.workspace, session_id, place(session_id), "retro")


def hand_over(session: Session, session_id: int, to: str) -> None:
    """Make someone who has joined the retro its facilitator."""
    sessions_store.hand_over(session.workspace, session_id, to.strip(), "retro")


def review(
    session: Session, session_id: int, action_id: int, decision: ReviewDecision, note: str = ""
) -> None:
    """Mark an earlier action done, carried over or dropped."""
    store.review(session.workspace, session_id, action_id, decision, note.strip())


def write(
    session: Session,
    session_id: int,
    column: str,
    text: str,
    *,
    for_someone: str | None = None,
    for_room: bool = False,
) -> int:
    """Write a card as `session.me`, for a named teammate, or for the room (facilitator typing).

    A card for someone else or the room is not the typist's own: they do not
    see it again until the reveal, like everyone else.
    """
    author = for_someone or session.me
    card = NewCard(column=column, text=text.strip(), author=author)
    session.notice_rebuild()
    row = retro_reads.board_row(session.workspace, session_id)
    own = not for_room and for_someone is None
    if not own:
        require_facilitator(session.me, row["facilitator"], "write cards for others")
    card_id = retro_cards.add_card(
        session.workspace,
        session_id,
        card.column,
        card.text,
        author=None if for_room else card.author,
        new_writer=not for_room and (row["board_id"], author) not in session.counted_boards,
    )
    if own:
        session.written_cards.add(card_id)
    if not for_room:
        session.counted_boards.add((row["board_id"], author))
        # Kept privately too: after a dropped connection I still see my cards, counted once.
        session.own.keep_cards(session.written_cards, session.counted_boards)
    return card_id


def _own(session: Session, card_id: int) -> None:
    session.notice_rebuild()
    author = retro_cards.card_author(session.workspace, card_id)
    if card_id in session.written_cards:
        return
    if author is not None and author.casefold() == session.me.casefold():
        return
    raise InvalidInput("you can change only your own cards (on an anonymous board: written here)")


def edit(session: Session, session_id: int, card_id: int, text: str) -> None:
    """Change the text of one of my cards."""
    _own(session, card_id)
    card = NewCard(column="-", text=text.strip())
    retro_cards.edit_card(session.workspace, session_id, card_id, card.text)


def delete(session: Session, session_id: int, card_id: int) -> None:
    """Take back one of my cards while writing."""
    _own(session, card_id)
    retro_cards.delete_card(session.workspace, session_id, card_id)
    session.written_cards.discard(card_id)
    session.own.forget_card(card_id)


def move(session: Session, session_id: int, card_id: int, column: str) -> None:
    """Move a card to another column."""
    retro_cards.move_card(session.workspace, session_id, card_id, column)


def group(
    session: Session,
    session_id: int,
    card_id: int,
    *,
    theme_id: int | None = None,
    title: str | None = None,
) -> int:
    """Put a card under a theme (new when `title` is given)."""
    return retro_cards.group(session.workspace, session_id, card_id, theme_id=theme_id, title=title)


def ungroup(session: Session, session_id: int, card_id: int) -> None:
    """Take a card out of its theme."""
    retro_cards.ungroup(session.workspace, session_id, card_id)


def rename_theme(session: Session, session_id: int, theme_id: int, title: str) -> None:
    """Retitle a theme."""
    retro_cards.rename_theme(session.workspace, session_id, theme_id, title)


def set_notes(
    session: Session,
    session_id: int,
    notes: str,
    *,
    card_id: int | None = None,
    theme_id: int | None = None,
) -> None:
    """Keep what was said about a theme or card."""
    retro_cards.set_notes(session.workspace, session_id, notes, card_id=card_id, theme_id=theme_id)


def dot(
    session: Session, session_id: int, *, card_id: int | None = None, theme_id: int | None = None
) -> int:
    """Spend a dot; returns how many are left."""
    return retro_close.dot(session.workspace, session_id, card_id=card_id, theme_id=theme_id)


def undot(
    session: Session, session_id: int, *, card_id: int | None = None, theme_id: int | None = None
) -> None:
    """Take a dot back."""
    retro_close.undot(session.workspace, session_id, card_id=card_id, theme_id=theme_id)


def add_action(
    session: Session,
    session_id: int,
    action: NewAction,
    *,
    card_id: int | None = None,
    theme_id: int | None = None,
) -> int:
    """Agree an action item, linked to what prompted it."""
    return retro_close.add_action(
        session.workspace, session_id, action, card_id=card_id, theme_id=theme_id
    )


def rate(session: Session, session_id: int, rating: int) -> None:
    """My 1 to 5 rating of the retro."""
    retro_close.rate(session.workspace, session_id, rating)


def end(session: Session, session_id: int) -> Board:
    """End the retro with a summary kept in the workspace; returns the final board."""
    final = board(session, session_id)
    ratings = [
        row["rating"] for row in retro_reads.rating_rows(session.workspace, final.info.board_id)
    ]
    retro_close.end(session.workspace, session_id, summary_text(final, average_rating(ratings)))
    return board(session, session_id)


def summary_text(result: Board, average: float | None) -> str:
    """The plain-text summary kept with the retro: reviews, cards by votes, actions, rating.

    `average` is the rating average (None with fewer than three ratings); the board
    shows it only once the retro has ended, so it cannot be watched as people rate.
    """
    info = result.info
    lines = [f"{info.title} ({info.template})"]
    decided = [entry for entry in result.review if entry.decision]
    if result.review:
        lines.append(f"Reviewed {len(decided)} of {len(result.review)} earlier actions:")
        lines += [
            f"  {entry.text} — {entry.decision.value if entry.decision else 'not reviewed'}"
            for entry in result.review
        ]
    lines.append(f"{result.card_count} cards, [votes] after each")

    def with_notes(line: str, notes: str, indent: str) -> list[str]:
        if not notes:
            return [line]
        first, *rest = notes.splitlines() or [""]
        return [line, f"{indent}  notes: {first}", *(f"{indent}         {more}" for more in rest)]

    def card_line(card: CardView, indent: str) -> list[str]:
        author = f" — {card.author}" if card.author else ""
        return with_notes(f"{indent}{card.text}{author} [{card.votes or 0}]", card.notes, indent)

    for column in result.columns:
        if not column.count:
            continue
        lines.append(f"Column {column.name}:")
        for theme in column.themes:
            lines += with_notes(f"  Theme {theme.title} [{theme.votes or 0}]", theme.notes, "  ")
            for card in theme.cards:
                lines += card_line(card, "    ")
        for card in column.cards:
            lines += card_line(card, "  ")
    if result.actions:
        lines.append("Agreed actions:")
        for action in result.actions:
            owner = action.owner or "no owner"
            due = f", due {action.due_date.isoformat()}" if action.due_date else ""
            about = f" — from: {action.prompted_by}" if action.prompted_by else ""
            lines.append(f"  {action.text} ({owner}{due}){about}")
    if result.ratings:
        worth = (
            f", worth the time: {average:.1f}/5"
            if average is not None
            else " (the average shows from 3 ratings)"
        )
        plural = "s" if result.ratings != 1 else ""
        lines.append(f"{result.ratings} rating{plural}{worth}")
    return "\n".join(lines)


def actions(session: Session) -> list[ActionView]:
    """Every action item across retros: open ones first, by due date."""
    return list(action_views(retro_reads.action_rows(session.workspace)))


def update_action(
    session: Session,
    action_id: int,
    *,
    text: str,
    owner: str | None,
    due: date | None,
    status: ActionStatus,
) -> None:
    """Edit an action item."""
    valid = NewAction(
        text=text.strip(), owner=(owner or "").strip() or None, due=due, status=status
    )
    retro_close.update_action(
        session.workspace,
        action_id,
        text=valid.text,
        owner=valid.owner,
        due=valid.due.isoformat() if valid.due else None,
        status=valid.status,
    )


def add_loose_action(session: Session, action: NewAction) -> int:
    """An action item that came from no retro (added on the Action items screen)."""
    from planner_tui.store import meetings

    return meetings.add_action(session.workspace, action)


def now() -> datetime:
    """The clock the phase timer runs on (UTC)."""
    return datetime.now(UTC)
