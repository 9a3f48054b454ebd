"""Planning poker with 50, 500 and 5,000 items queued and 50 voters: open, queue, vote, re-read.

Usage: python bench/poker.py [--sizes 50,500,5000] [--repeat 15]

Each size gets a workspace with that many backlog items, all queued in one
running session that `bench` facilitates and votes in, with 49 more voters who
have each played a card face down on the first item (no auto-reveal, no
countdown); and a fresh process (so peak RSS is that size's alone). Inside it
the real app runs headless through Textual's Pilot, each timed to the frame
that shows it: the `3` key (Estimation, which opens the running session) to the
table drawn with its queue; a cursor move in the queue (focused with `l`; ten
`down`, ten `up`, ...); `enter` playing the card its digit picked, to the table
read again with my card on it, 50 of 50 voted (the digit, and backspace taking
my card back before it, untimed); a teammate's card taken back or put down again
(written from this process) to the frame that shows it, noticed and read by the app
by itself ("re-read"); and the process's peak RSS. Keys and re-reads print their
median and p95.

Issue 16 targets: open <= 150 ms, and every key's median <= 2x a bare Textual
app's key (~30 ms) with its p95 <= 50 ms, at every size.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

VOTERS = 50
"""Everyone who votes, `bench` among them."""
CARDS = ("3", "5", "8")
"""Cards of the Fibonacci deck that one digit picks, whatever was typed just before."""


def _prepare(path: Path, count: int) -> None:
    from startup import build_large

    from planner_tui.domain.estimation import PokerSettings
    from planner_tui.services import poker
    from planner_tui.services.context import open_session
    from planner_tui.store import poker_rounds
    from planner_tui.store.workspace import Workspace

    build_large(path, count)
    session = open_session(path, "bench")
    others = [f"voter{number:02d}" for number in range(1, VOTERS)]
    items = [row[0] for row in session.workspace.query("SELECT id FROM items ORDER BY id")]
    settings = PokerSettings(auto_reveal=False, timer_seconds=0)
    session_id = poker.start(session, "Refinement", items, settings, voters=others)
    session.close()
    for number, name in enumerate(others):  # each from their own terminal, face down
        ws = Workspace.open(path, actor=name)
        poker_rounds.cast_vote(ws, session_id, name, CARDS[number % len(CARDS)])
        ws.close()


def _teammate(path: str, n: int) -> None:
    """voter01 takes their card back, or puts it down again: one card on the table turns."""
    from planner_tui.store import poker_rounds
    from planner_tui.store.workspace import Workspace

    ws = Workspace.open(path, actor="voter01")
    try:
        session_id = ws.row("SELECT max(id) FROM sessions WHERE status = 'open'")[0]
        if n % 2 == 0:
            poker_rounds.withdraw_vote(ws, session_id, "voter01")
        else:
            poker_rounds.cast_vote(ws, session_id, "voter01", CARDS[0])
    finally:
        ws.close()


def _measure(path: str, repeat: int) -> dict[str, float]:
    from _fresh import peak_mib
    from _paint import key_to_paint, next_frame, note_frames, p95, rereads_ms, settle
    from textual import events

    from planner_tui.app import PlannerApp, spare_the_collector
    from planner_tui.domain.estimation import PokerTable
    from planner_tui.screens.poker import PokerScreen
    from planner_tui.services.context import open_session
    from planner_tui.widgets.deck_bar import DeckBar
    from planner_tui.widgets.poker_queue import PokerQueue

    painted = note_frames()
    session = open_session(path, "bench")
    app = PlannerApp(session, heartbeat=False)
    spare_the_collector()  # as `planner` does before it runs the app
    figures: dict[str, float] = {}

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await asyncio.sleep(0.2)
            started = time.perf_counter()
            app.post_message(events.Key("3", "3"))
            while not isinstance(app.screen, PokerScreen) or app.screen.table is None:
                await asyncio.sleep(0)  # the list, the table pushed, read and drawn
            figures["open_ms"] = await next_frame(painted, started)
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, PokerScreen)

            def table() -> PokerTable:
                assert screen.table is not None
                return screen.table

            queue, deck = screen.query_one(PokerQueue), screen.query_one(DeckBar)
            await pilot.press("l")  # into the queue
            while not queue.has_focus:
                await pilot.pause()
            moves = (("down", "up")[n // 10 % 2] for n in range(repeat))  # ten down, ten up
            cursor = [await key_to_paint(app, painted, key) for key in moves]
            figures["cursor_ms"] = statistics.median(cursor)
            figures["cursor_p95_ms"] = p95(cursor)
            await pilot.press("l")  # back to the hand
            while not deck.has_focus:
                await pilot.pause()
            votes = []
            for number in range(repeat):
                if table().my_vote is not None:
                    await pilot.press("backspace")  # take the card back: 49 of 50 again
                    await settle(app, pilot)
                card = CARDS[number % len(CARDS)]
                await pilot.press(card)  # the card under the cursor
                await pilot.pause()
                assert deck.current == card, (deck.current, card)

                def played(card: str = card) -> bool:
                    mine = table().my_vote
                    return mine is not None and mine.card == card

                await asyncio.sleep(0.02)
                started = time.perf_counter()
                app.post_message(events.Key("enter", "\r"))
                while not played():  # saved, read again and drawn ...
                    await asyncio.sleep(0)
                votes.append(await next_frame(painted, started))  # ... and on screen
                await settle(app, pilot)
            figures["vote_ms"] = statistics.median(votes)
            figures["vote_p95_ms"] = p95(votes)
            assert table().voted_count == VOTERS, table().voted_count  # "50 of 50 voted"
            reads = await rereads_ms(
                app, pilot, painted, screen, "table", repeat, partial(_teammate, path)
            )
            figures["reread_ms"] = statistics.median(reads)
            figures["reread_p95_ms"] = p95(reads)

    asyncio.run(run())
    session.close()
    figures["peak_mib"] = peak_mib()
    return figures


def main() -> None:
    from _fresh import run_by_size

    run_by_size(
        __file__,
        __doc__.splitlines()[0],
        "50,500,5000",
        15,
        "items",
        _prepare,
        _measure,
        [
            ("open", "open_ms"),
            ("cursor", "cursor_ms"),
            ("p95", "cursor_p95_ms"),
            ("vote", "vote_ms"),
            ("p95", "vote_p95_ms"),
            ("re-read", "reread_ms"),
            ("p95", "reread_p95_ms"),
            ("peak", "peak_mib"),
        ],
    )


if __name__ == "__main__":
    main()
