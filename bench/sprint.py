"""Sprint screen over a large backlog: open it, redraw it, commit an item.

Usage: python bench/sprint.py [--sizes 1000,100000] [--repeat 10]

Each size gets a workspace with that many backlog items and an active sprint of
30 committed items with five people's capacity. In a fresh process the real app
runs headless through Textual's Pilot, each timed to the frame that shows it: the
`4` key to the Sprint screen, one full re-read and redraw (what a teammate's change
costs every open Sprint screen, median), and `c` on a backlog item to that item
listed in the sprint (answering yes when it asks about capacity, median);
then, typing into the backlog's find box, the median time from a key to the
frame showing the character, and to the frame showing the list it narrows to.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _prepare(path: Path, count: int) -> None:
    from startup import build_large

    from planner_tui.domain.models import CapacityEntry, NewSprint
    from planner_tui.store import sprint_items, sprints
    from planner_tui.store.workspace import Workspace

    build_large(path, count)
    ws = Workspace.open(path, actor="bench")
    start = date.today() - timedelta(days=3)
    sprint_id = sprints.add_sprint(
        ws, NewSprint(name="Sprint 1", start=start, end=start + timedelta(days=13))
    )
    for name in ("ana", "bo", "cy", "di", "ed"):
        sprint_items.set_capacity(ws, sprint_id, CapacityEntry(person=name, days_available=10))
    sprint_items.commit_items(ws, sprint_id, range(1, 31))
    sprints.start_sprint(ws, sprint_id)
    ws.close()


def _measure(path: str, repeat: int) -> dict[str, float]:
    from _paint import next_frame, note_frames
    from textual import events

    from planner_tui.app import PlannerApp, spare_the_collector
    from planner_tui.screens.modal import ConfirmModal
    from planner_tui.screens.sprint import SprintScreen
    from planner_tui.services.context import open_session

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
            app.post_message(events.Key("4", "4"))
            while not isinstance(app.screen, SprintScreen) or app.screen.board is None:
                await asyncio.sleep(0)
            figures["open_ms"] = await next_frame(painted, started)
            await pilot.pause()
            screen = app.screen
            redraws = []
            for _ in range(repeat):
                await asyncio.sleep(0.02)
                started = time.perf_counter()
                screen.reload()  # what a teammate's change does
                redraws.append(await next_frame(painted, started))
            figures["redraw_ms"] = statistics.median(redraws)
            commits = []
            for _ in range(repeat):
                wanted = screen.backlog[0].key

                def committed(key: str = wanted) -> bool:
                    return key in {i.key for i in screen.board.items}

                await asyncio.sleep(0.02)
                started = time.perf_counter()
                app.post_message(events.Key("c", "c"))
                while not committed() and not isinstance(app.screen, ConfirmModal):
                    await asyncio.sleep(0)
                if isinstance(app.screen, ConfirmModal):  # unestimated or over capacity: yes
                    app.post_message(events.Key("y", "y"))
                while not committed():
                    await asyncio.sleep(0)
                commits.append(await next_frame(painted, started))
                await pilot.pause()
            figures["commit_ms"] = statistics.median(commits)
            echoes, lists = [], []
            await pilot.press("slash")
            await pilot.pause()
            for _ in range(max(repeat // 2, 1)):
                for key in ("i", "t", "e", "m", "space", "4", "2"):
                    character = " " if key == "space" else key
                    before = screen.backlog
                    await asyncio.sleep(0.02)
                    started = time.perf_counter()
                    app.post_message(events.Key(key, character))
                    echo = await next_frame(painted, started)  # the character drawn
                    echoes.append(echo)
                    if screen.backlog is not before:  # read with the key, drawn in its frame
                        lists.append(echo)
                        continue
                    while screen.backlog is before:  # the list read for it (in a worker)
                        await asyncio.sleep(0.001)
                    lists.append(await next_frame(painted, started))  # ... and drawn
                await pilot.press(*["backspace"] * 7)
                await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            figures["find_echo_ms"] = statistics.median(echoes)
            figures["find_list_ms"] = statistics.median(lists)

    asyncio.run(run())
    session.close()
    return figures


def main() -> None:
    from _fresh import run_by_size

    run_by_size(
        __file__,
        __doc__.splitlines()[0],
        "1000,100000",
        10,
        "items",
        _prepare,
        _measure,
        [
            ("open", "open_ms"),
            ("redraw", "redraw_ms"),
            ("commit", "commit_ms"),
            ("find key", "find_echo_ms"),
            ("its list", "find_list_ms"),
        ],
    )


if __name__ == "__main__":
    main()
