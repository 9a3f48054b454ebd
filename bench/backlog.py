"""Backlog screen at 1,000, 10,000 and 100,000 items: open, cursor, page down, filter, memory.

Usage: python bench/backlog.py [--sizes 1000,10000,100000] [--repeat 30]

Each size gets its own workspace file and a fresh process (so peak RSS is that
size's alone). Inside it the real app runs headless through Textual's Pilot:
time to open the backlog screen (key press to the list drawn), the median
key-to-repaint time of cursor moves and of page downs and ups, the median time for one
filter keystroke (the list recounted and redrawn), and the process's peak RSS.
Targets at 100,000 items: open < 300 ms, cursor < 16 ms, filter < 100 ms, RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _measure(path: str, repeat: int) -> dict[str, float]:
    from _fresh import peak_mib
    from _paint import key_to_paint as paint_after
    from _paint import note_frames

    from planner_tui.app import PlannerApp, spare_the_collector
    from planner_tui.services.context import open_session
    from planner_tui.widgets.backlog_table import BacklogTable

    painted = note_frames()

    session = open_session(path, "bench")
    app = PlannerApp(session, heartbeat=False)
    spare_the_collector()  # as `planner` does before it runs the app
    figures: dict[str, float] = {}

    async def key_to_paint(key: str, character: str | None = None) -> float:
        return await paint_after(app, painted, key, character)

    async def run() -> None:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            figures["open_ms"] = await key_to_paint("2", "2")
            await pilot.pause()
            table = app.screen.query_one(BacklogTable)
            figures["rows"] = table.row_count
            figures["cursor_ms"] = statistics.median(
                [await key_to_paint("down") for _ in range(repeat)]
            )
            # Down a page and back, in turn: a page down at the end of the list moves
            # nothing, so draws nothing, and would have no frame to time.
            figures["page_down_ms"] = statistics.median(
                [await key_to_paint(("pagedown", "pageup")[n % 2]) for n in range(repeat)]
            )
            await pilot.press("slash")
            letters = [letter for letter in "checkout form" if letter != " "]
            figures["filter_ms"] = statistics.median(
                [await key_to_paint(letter, letter) for letter in letters]
            )

    asyncio.run(run())
    session.close()
    figures["peak_rss_mb"] = peak_mib()
    return figures


def _build(path: Path, count: int) -> None:
    from startup import build_large

    build_large(path, count)


def main() -> None:
    from _fresh import measure_fresh

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.measure, args.repeat)))
        return
    print(f"{'items':>8} {'open':>9} {'cursor':>9} {'page dn':>9} {'filter':>9} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"backlog-{size}.db"
            _build(path, size)
            f = measure_fresh(__file__, path, args.repeat)
            print(
                f"{size:>8,} {f['open_ms']:>7.1f}ms {f['cursor_ms']:>7.2f}ms "
                f"{f['page_down_ms']:>7.2f}ms {f['filter_ms']:>7.1f}ms {f['peak_rss_mb']:>7.0f}MB"
            )
    print("targets at 100,000: open < 300 ms, cursor < 16 ms, filter < 100 ms, RSS < 200 MB")


if __name__ == "__main__":
    main()
