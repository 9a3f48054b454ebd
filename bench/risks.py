"""Risks screen at 1,000, 10,000 and 100,000 risks: open, cursor, filter, a teammate's change.

Usage: python bench/risks.py [--sizes 1000,10000,100000] [--repeat 20]

Each size gets its own workspace and a fresh process (so peak RSS is that size's
alone). Inside it the real app runs headless through Textual's Pilot: time from
the `5` key to the register drawn; the median time of a cursor move (key to
the next frame), of end/home (the list's last page and back), of a status-filter
key (`s`: the list filtered and drawn again) and of a re-read (what a teammate's
change costs an open Risks screen), each to the frame that shows it; and the
process's peak RSS.

Issue 16 targets: open <= 150 ms and every key median <= 2x a bare app's
(~30 ms), at every size.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CATEGORIES = ("technical", "security", "dependency", "scope", "capacity", "tech debt", "other")
STATUSES = ("open", "open", "open", "owned", "mitigated", "accepted", "resolved")


def _prepare(path: Path, count: int) -> None:
    from planner_tui.store.workspace import Workspace

    ws = Workspace.open(path, actor="bench")
    pick = random.Random(16)
    with ws.write() as conn:
        conn.executemany(
            "INSERT INTO risks(title, category, likelihood, impact, status, raised_by, "
            "raised_at, blocking) VALUES (?, ?, ?, ?, ?, 1, '2026-12-01T09:00:00+00:00', ?)",
            [
                (
                    f"Risk {n}: the vendor may slip the API by a sprint",
                    pick.choice(CATEGORIES),
                    pick.randint(1, 5),
                    pick.randint(1, 5),
                    pick.choice(STATUSES),
                    int(pick.random() < 0.02),
                )
                for n in range(count)
            ],
        )
    ws.close()


def _measure(path: str, repeat: int) -> dict[str, float]:
    from _fresh import peak_mib
    from _paint import key_to_paint, next_frame, note_frames
    from textual import events

    from planner_tui.app import PlannerApp, spare_the_collector
    from planner_tui.screens.risks import RisksScreen
    from planner_tui.services.context import open_session
    from planner_tui.widgets.row_view import RowView

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
            app.post_message(events.Key("5", "5"))
            while not isinstance(app.screen, RisksScreen) or not app.screen.shown_count:
                await asyncio.sleep(0)
            figures["open_ms"] = await next_frame(painted, started)  # the register's first
            await pilot.pause()
            screen = app.screen
            view = screen.query_one(RowView)
            figures["cursor_ms"] = statistics.median(
                [await key_to_paint(app, painted, "down") for _ in range(repeat)]
            )
            ends = [await key_to_paint(app, painted, key) for key in ("end", "home") * 5]
            figures["end_ms"] = statistics.median(ends)
            filters = []
            for _ in range(repeat):
                await asyncio.sleep(0.02)
                count = view.row_count
                started = time.perf_counter()
                app.post_message(events.Key("s", "s"))
                while view.row_count == count:  # filtered (in the key's handler) ...
                    await asyncio.sleep(0)
                filters.append(await next_frame(painted, started))  # ... and drawn
            figures["filter_ms"] = statistics.median(filters)
            reloads = []
            for _ in range(repeat):
                await asyncio.sleep(0.02)
                started = time.perf_counter()
                screen.reload()  # what a teammate's change does
                reloads.append(await next_frame(painted, started))
            figures["reread_ms"] = statistics.median(reloads)

    asyncio.run(run())
    session.close()
    figures["peak_mib"] = peak_mib()
    return figures


def main() -> None:
    from _fresh import run_by_size

    run_by_size(
        __file__,
        __doc__.splitlines()[0],
        "1000,10000,100000",
        20,
        "risks",
        _prepare,
        _measure,
        [
            ("open", "open_ms"),
            ("cursor", "cursor_ms"),
            ("end/home", "end_ms"),
            ("filter", "filter_ms"),
            ("re-read", "reread_ms"),
            ("peak", "peak_mib"),
        ],
    )


if __name__ == "__main__":
    main()
