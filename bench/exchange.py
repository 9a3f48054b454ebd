"""Import and export at 100,000 items: rows per second for each format.

Usage: python bench/exchange.py [--rows 100000]

Writes a Jira CSV export of `--rows` issues the way Jira's issue navigator does
(columns in its order, repeated Labels, Sprint and Comment columns, both story
point fields, multi-line quoted descriptions, locale dates), imports it into a
new workspace with `planner import`'s own code (decode, detect, parse, validate,
one transaction), imports it again (every item matched and found unchanged),
then exports the 100,000-item workspace as CSV, Markdown and JSON.
Targets: import 100,000 Jira CSV rows in < 5 s; export 100,000 items to any format in < 2 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Project key",
    "Project name", "Priority", "Resolution", "Assignee", "Reporter", "Created", "Updated",
    "Resolved", "Due Date", "Sprint", "Sprint", "Labels", "Labels", "Labels", "Component/s",
    "Description", "Parent", "Parent summary", "Custom field (Story Points)",
    "Custom field (Story point estimate)", "Custom field (Epic Link)", "Comment", "Comment",
]  # fmt: skip

TYPES = ("Story", "Bug", "Task", "Story", "Spike")
STATUSES = ("To Do", "In Progress", "Done", "Selected for Development", "To Do")


def jira_csv(rows: int) -> bytes:
    """A Jira issue-navigator CSV export of `rows` issues."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(1, rows + 1):
        points = ("1", "2", "3", "5", "8", "")[n % 6]
        writer.writerow(
            [
                f"Checkout step {n}: remember the card and the address",
                f"SHOP-{n}", str(10_000 + n), "", TYPES[n % 5], STATUSES[n % 5], "SHOP",
                "Shop", "Medium", "", "raj", "maya", "14/Jul/25 3:42 PM", "15/Jul/25 9:05 AM",
                "", "", "SHOP Sprint 14", "SHOP Sprint 15" if n % 7 == 0 else "",
                "checkout", "mobile" if n % 2 else "", "", "Payments",
                f"As a shopper I want step {n} to remember me.\n\nAcceptance:\n- it does",
                "", "", points if n % 2 else "", "" if n % 2 else points, "",
                "14/Jul/25 3:42 PM;maya;Looks right", "",
            ]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from planner_tui.exchange import run
    from planner_tui.store.workspace import Workspace

    data = jira_csv(args.rows)
    print(f"Jira CSV: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "bench.db", actor="bench")

        def timed(label: str, work, count: int, target: float | None = None):
            started = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - started
            verdict = "" if target is None else ("  ok" if seconds < target else "  OVER TARGET")
            print(
                f"{label:<34} {seconds:6.2f} s  {count / seconds:>10,.0f} rows/s"
                f"  (target < {target} s){verdict}"
                if target
                else f"{label:<34} {seconds:6.2f} s  {count / seconds:>10,.0f} rows/s"
            )
            return result

        outcome = timed(
            "import Jira CSV (new items)",
            lambda: run.import_file(ws, data, "jira.csv"),
            args.rows,
            5.0,
        )
        assert len(outcome.summary.added) == args.rows, outcome.summary
        again = timed(
            "import it again (all unchanged)",
            lambda: run.import_file(ws, data, "jira.csv"),
            args.rows,
            5.0,
        )
        assert again.summary.unchanged == args.rows
        for fmt, label in (("csv", "backlog"), ("markdown", "backlog"), ("json", None)):
            text = timed(
                f"export {fmt}" + (f" ({label})" if label else " (whole workspace)"),
                lambda fmt=fmt, label=label: run.export(ws, fmt, what=label),
                args.rows,
                2.0,
            )
            assert len(text) > args.rows * 20
        ws.close()


if __name__ == "__main__":
    sys.exit(main())
