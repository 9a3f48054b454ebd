"""Every screen on a large workspace: how long each takes to open, and the memory it all takes.

Usage: python bench/screens.py [--items 100000] [--risks 10000] [--actions 5000] [--repeat 5]

The workspace has --items backlog items (bench/startup.py's), --risks risks and
--actions retro action items, plus the demo's sprint, estimation session and
retros. In a fresh process the real app runs headless (120x40) through Textual's
Pilot; it visits Backlog, Estimation, Sprint, Risks, Retros, Actions and Home in
turn, --repeat times, each time from the key to the last frame drawn before the
screen goes quiet (its data included, however late it comes), and prints the
median and the worst for each screen. Then
the process's peak RSS, after every screen has been shown. Then `planner` itself in a
120x40 pseudo-terminal makes the same visits: each key to the end of the first frame it
writes (what a person sees first: each screen draws its data in it) and to the last
frame before it goes quiet.

Issue 16 targets: opening any screen <= 150 ms; peak memory at 100k items + 10k risks
+ 5k actions after every screen <= 100 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SCREENS = (  # in this order, each key leaves another screen (the app opens on Home)
    ("2", "backlog"),
    ("3", "estimation"),
    ("4", "sprint"),
    ("5", "risks"),
    ("6", "retros"),
    ("7", "actions"),
    ("1", "home"),
)


def _prepare(path: Path, items: int, risks: int, actions: int) -> None:
    from startup import build_large

    from planner_tui.exchange.demo import write_demo_workspace
    from planner_tui.store.workspace import Workspace

    write_demo_workspace(path, replace=False, today=date.today())
    build_large(path, items)
    ws = Workspace.open(path, actor="bench")
    pick = random.Random(16)
    with ws.write() as conn:
        conn.executemany(
            "INSERT INTO risks(title, category, likelihood, impact, status, raised_by, "
            "raised_at, blocking) VALUES (?, 'technical', ?, ?, 'open', 1, "
            "'2026-12-01T09:00:00+00:00', 0)",
            [
                (f"Risk {n}: the vendor may slip", pick.randint(1, 5), pick.randint(1, 5))
                for n in range(risks)
            ],
        )
        conn.executemany(
            "INSERT INTO action_items(text, status, due_date, created_at, created_by, "
            "updated_at) VALUES (?, ?, '2026-12-20', '2026-11-20T10:00:00+00:00', 'bench', "
            "'2026-11-20T10:00:00+00:00')",
            [
                (f"Action {n}: pair on the flaky checkout test", pick.choice(("open", "done")))
                for n in range(actions)
            ],
        )
    ws.checkpoint()
    ws.close()


async def _last_frame(painted: list[float], started: float) -> float:
    """Milliseconds from `started` to the last frame before the screen went quiet for
    0.2 s: a screen whose data comes a frame or a worker later is timed to the data."""
    while True:
        frames = len(painted)
        await asyncio.sleep(0.2)
        if len(painted) == frames:
            return (painted[-1] - started) * 1000


def _measure(path: str, repeat: int) -> dict[str, float]:
    from _fresh import peak_mib
    from _paint import next_frame, note_frames
    from textual import events

    from planner_tui.app import PlannerApp, spare_the_collector
    from planner_tui.services.context import open_session

    painted = note_frames()
    session = open_session(path, "bench")
    app = PlannerApp(session, heartbeat=False)
    spare_the_collector()  # as `planner` does before it runs the app
    times: dict[str, list[float]] = {name: [] for _, name in SCREENS}

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for _ in range(repeat):
                for key, name in SCREENS:
                    before = app.screen
                    await asyncio.sleep(0.3)  # what the last screen started settles first
                    started = time.perf_counter()
                    app.post_message(events.Key(key, key))
                    while app.screen is before:
                        await asyncio.sleep(0)
                    await next_frame(painted, started)
                    times[name].append(await _last_frame(painted, started))

    asyncio.run(run())
    session.close()
    figures = {f"{name}_ms": statistics.median(ms) for name, ms in times.items()}
    figures |= {f"{name}_worst_ms": max(ms) for name, ms in times.items()}
    figures["peak_mib"] = peak_mib()
    return figures | _terminal_opens(path, repeat)


def _terminal_opens(path: str, repeat: int) -> dict[str, float]:
    """Each screen opened in a real terminal (`planner` in a 120x40 pseudo-terminal): its key
    to the end of the first frame written after it, and to the last before quiet."""
    from _terminal import FramedTerminal

    planner = str(Path(sys.executable).parent / "planner")
    first: dict[str, list[float]] = {name: [] for _, name in SCREENS}
    last: dict[str, list[float]] = {name: [] for _, name in SCREENS}
    app = FramedTerminal([planner, path, "--as", "bench"])
    try:
        app.start()
        for _ in range(repeat):
            for key, name in SCREENS:
                app.quiet(0.3)
                shown, settled = app.key_frames(key.encode(), gap=0.2)
                first[name].append(shown)
                last[name].append(settled)
    finally:
        app.close()
    figures = {f"{name}_terminal_ms": statistics.median(ms) for name, ms in first.items()}
    return figures | {f"{name}_settled_ms": statistics.median(ms) for name, ms in last.items()}


def main() -> None:
    from _fresh import measure_fresh

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--risks", type=int, default=10_000)
    parser.add_argument("--actions", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.measure, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "screens.db"
        _prepare(path, args.items, args.risks, args.actions)
        f = measure_fresh(__file__, path, args.repeat)
    print(
        f"{args.items:,} items, {args.risks:,} risks, {args.actions:,} actions "
        f"(median and worst of {args.repeat}, key to the screen drawn with its data; in a "
        "terminal, to its first frame and to the last before quiet)"
    )
    print(f"{'screen':>11} {'open':>9} {'worst':>9} {'terminal':>9} {'settled':>9}")
    for _, name in SCREENS:
        cells = [f[f"{name}{part}"] for part in ("_ms", "_worst_ms", "_terminal_ms", "_settled_ms")]
        print(f"{name:>11} " + " ".join(f"{ms:>7.1f}ms" for ms in cells))
    print(f"peak memory after every screen: {f['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
