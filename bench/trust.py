"""What the trust boundary costs: names checked at open, text made safe, hidden values withheld.

Usage: python bench/trust.py [--repeat N]

Prints medians (milliseconds) of:
- opening a workspace as a name already bound to this account (one read), and as a
  new name (the binding's write transaction);
- opening it read-only (what check and export do);
- `visible()` over 100,000 titles, plain and hostile;
- a whole-workspace JSON and the default Markdown export of the demo with 100,000
  more items while a poker round and a retro in Write are running (withholding on).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from planner_tui.domain.estimation import PokerSettings
from planner_tui.domain.identity import Account
from planner_tui.domain.models import NewItem
from planner_tui.domain.text import visible
from planner_tui.exchange import run
from planner_tui.exchange.demo import write_demo_workspace
from planner_tui.services import poker, retro, retro_view
from planner_tui.services.context import open_session
from planner_tui.store.items import add_items
from planner_tui.store.workspace import Workspace

ME = Account.for_uid(424242, "bench")


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    folder = Path(tempfile.mkdtemp(prefix="planner-trust-"))
    path = folder / "team.db"
    write_demo_workspace(path, replace=False, today=date(2026, 11, 24))
    open_session(path, "bench", ME).close()

    print(
        f"open, name already bound   {median_ms(lambda: open_session(path, 'bench', ME).close(), repeat):8.2f} ms"
    )
    counter = iter(range(10_000))
    print(
        f"open, name bound now       "
        f"{median_ms(lambda: open_session(path, f'new{next(counter)}', ME).close(), repeat):8.2f} ms"
    )
    print(
        f"open read-only (check)     "
        f"{median_ms(lambda: Workspace.open(path, actor='reader', readonly=True).close(), repeat):8.2f} ms"
    )

    plain = [f"Story number {n}: save partial checkout forms" for n in range(100_000)]
    hostile = [f"Story {n} \x1b]0;owned\x07 \u202eevil" for n in range(100_000)]
    print(f"visible(), 100k plain      {median_ms(lambda: [visible(t) for t in plain], 5):8.2f} ms")
    print(
        f"visible(), 100k hostile    {median_ms(lambda: [visible(t) for t in hostile], 5):8.2f} ms"
    )

    me = open_session(path, "bench", ME)
    try:
        add_items(me.workspace, [NewItem(title=f"Bulk item {n}") for n in range(100_000)])
        items = [row[0] for row in me.workspace.query("SELECT id FROM items LIMIT 3")]
        estimation = poker.start(me, "Bench", items, PokerSettings(auto_reveal=False))
        poker.vote(me, estimation, "5")
        board = retro.start(
            me, "Bench retro", "Went well / To improve / Actions",
            ("Went well", "To improve", "Actions"),
        )  # fmt: skip
        while retro_view.board(me, board).info.phase != "write":
            retro.move_phase(me, board, 1)
        retro.write(me, board, "Went well", "a hidden card")
        ws = me.workspace
        print(f"JSON export, withholding   {median_ms(lambda: run.export(ws, 'json'), 3):8.2f} ms")
        print(
            f"Markdown, retro in Write   {median_ms(lambda: run.export(ws, 'markdown', session=board), repeat):8.2f} ms"
        )
        print(
            f"Markdown, current sprint   {median_ms(lambda: run.export(ws, 'markdown'), 3):8.2f} ms"
        )
    finally:
        me.close()


if __name__ == "__main__":
    sys.exit(main())
