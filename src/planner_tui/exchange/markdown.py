"""Markdown meeting summaries that read well on GitHub and in a wiki.

A planning session or sprint: goal, capacity, committed items, scope change, risks
and decisions. An estimation session: items, final estimates, every round's votes,
notes. A retro: cards by column and theme with votes, action items. The backlog,
risks and actions as tables. Text people typed is escaped, so it shows as typed, and
its control characters show as symbols (a page is read in terminals too). What a
running meeting keeps hidden is not in the document; the page says how much is not.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from planner_tui.domain.backlog import metric_of
from planner_tui.domain.risk import risk_score, severity
from planner_tui.domain.sprint import CapacityLine, capacity, show_points
from planner_tui.domain.stored import texts_of
from planner_tui.domain.text import count_of, visible
from planner_tui.exchange.document import Document, live_items

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md(text: object) -> str:
    """User text for Markdown: one line, special characters escaped, and controls (ESC,
    BEL, C1, DEL, bidi overrides) shown as visible symbols: a page is read in terminals too.
    """
    raw = str(text or "")
    # `visible` leaves printable text as it is; most text is, and the check is much cheaper.
    flat = " ".join((raw if raw.isprintable() else visible(raw)).split())
    return _SPECIAL.sub(r"\\\1", flat)


def md_block(text: object) -> str:
    """Several lines of user text as Markdown lines (hard breaks), each line as `md` makes it."""
    return "  \n".join(md(line) for line in visible(str(text or "")).splitlines())


def page(text: str) -> str:
    """A whole page, with any control character that came in a field not passed through `md`
    (a status or date from a hand-edited file) shown as a symbol too."""
    return text if text.replace("\n", "").isprintable() else visible(text)


def _withheld(count: int, what: str, until: str) -> str:
    """`3 votes are withheld until the reveal.`: `what` is counted already (`3 votes`)."""
    return f"{what} {'is' if count == 1 else 'are'} withheld {until}."


def _points(value: float | None) -> str:
    return "–" if value is None else show_points(value)


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _day(stamp: str | None) -> str:
    return (stamp or "")[:10]


# --- sprint and planning ---------------------------------------------------------------------


def sprint(doc: Document, sprint_id: int, session: dict[str, Any] | None = None) -> str:
    """A sprint's planning summary: goal, capacity, items, scope change, risks, decisions."""
    info = doc.get("sprints", sprint_id)
    if info is None:
        return "# Sprint\n\nThe sprint is not in this export.\n"
    if session is None:  # the sprint's planning meeting, if it had one
        planning = [
            s
            for s in doc.rows("sessions")
            if s["sprint_id"] == sprint_id and s["kind"] == "planning"
        ]
        session = planning[-1] if planning else None
    lines = [f"# {md(info['name'])}", ""]
    if session is not None:
        lines += [f"Planning session: {md(session['title'])}, {_day(session['started_at'])}", ""]
    lines += [
        f"**Goal:** {md(info['goal']) or 'none set'}  ",
        f"**Dates:** {info['start_date']} → {info['end_date']} · **status:** {info['status']}",
        "",
        "## Capacity",
        "",
    ]
    people = []
    lines_of: list[CapacityLine] = []
    for row in doc.rows("sprint_capacity"):
        if row["sprint_id"] != sprint_id:
            continue
        line = CapacityLine(
            person=doc.name(row["person_id"]),
            days_available=row["days_available"],
            days_off=row["days_off"],
            focus_factor=row["focus_factor"],
            points_override=row["points_override"],
        )
        points = line.points(info["points_per_day"])
        lines_of.append(line)
        people.append(
            (
                md(line.person),
                show_points(line.days_available),
                show_points(line.days_off),
                show_points(line.focus_factor),
                show_points(points),
            )
        )
    room = capacity(lines_of, info["points_per_day"], info["reserve_percent"], {})
    if people:  # the same figures as the Sprint screen's, from the same rule
        lines += _table(("Person", "Days", "Days off", "Focus", "Points"), sorted(people))
        lines += [
            "",
            f"Team capacity **{show_points(room.team)}** points; reserve "
            f"{show_points(room.reserve)} ({info['reserve_percent']}%); plannable "
            f"**{show_points(room.plannable)}**.",
        ]
    else:
        lines.append("No capacity entered.")
    committed = [row for row in doc.rows("sprint_items") if row["sprint_id"] == sprint_id]
    live = [row for row in committed if row["removed_at"] is None]
    total = 0.0
    rows = []
    for row in live:
        item = doc.get("items", row["item_id"]) or {}
        total += item.get("estimate") or 0
        mark = " (added after the start)" if row["added_after_start"] else ""
        rows.append(
            (
                md(item.get("key", "")),
                md(item.get("title", "")) + mark,
                _points(item.get("estimate")),
                md(doc.name(row["owner_id"])) or "–",
                "done" if row["done"] else "not done",
            )
        )
    lines += ["", "## Committed items", ""]
    if rows:
        lines += _table(("Key", "Item", "Estimate", "Owner", "Status"), rows)
        lines += ["", f"{len(rows)} items, **{show_points(total)}** points."]
    else:
        lines.append("Nothing committed.")
    if info["completed_points"] is not None:
        lines.append(f"Completed: **{show_points(info['completed_points'])}** points.")
    outcomes = []
    for row in live:
        found = doc.get("items", row["item_id"])
        if found and (said := metric_of(found)[0]):
            outcomes.append(f"- {md(found['key'])} {md(said)}")
    if outcomes:  # what the committed work is for, as measured so far
        lines += ["", "## Outcomes", "", *outcomes]
    changes = [
        event
        for event in doc.rows("sprint_events")
        if event["sprint_id"] == sprint_id
        and event["after_start"]
        and event["kind"] in ("added", "removed")
    ]
    if changes:
        lines += ["", "## Scope change after the start", ""]
        for event in changes:
            verb = "added" if event["kind"] == "added" else "took out"
            lines.append(
                f"- {_day(event['at'])} {md(event['actor'])} {verb} "
                f"{md(doc.item_key(event['item_id']))} ({_points(event['points'])} points)"
            )
    lines += _risks_section(
        doc,
        [
            r
            for r in doc.rows("risks")
            if r["sprint_id"] == sprint_id
            or any(row["item_id"] == r["item_id"] for row in committed)
        ],
    )
    decisions = [
        f"- {md(line)}" for line in (session or {}).get("summary", "").splitlines() if line.strip()
    ]
    if decisions:
        lines += ["", "## Decisions", "", *decisions]
    return "\n".join(lines) + "\n"


def _risks_section(doc: Document, risks: list[dict[str, Any]]) -> list[str]:
    if not risks:
        return []
    lines = ["", "## Risks", ""]
    rows = []
    for risk in sorted(risks, key=lambda r: -risk_score(r["likelihood"], r["impact"])):
        score = risk_score(risk["likelihood"], risk["impact"])
        decided = ""
        if risk["decided_by"]:
            decided = f"{md(risk['decided_by'])} {_day(risk['decided_at'])}"
            if risk["decision_note"]:
                decided += f": {md(risk['decision_note'])}"
        rows.append(
            (
                f"R-{risk['id']}",
                md(risk["title"]),
                f"{score} ({severity(score).value})",
                risk["status"] + (" · blocking" if risk["blocking"] else ""),
                md(doc.item_key(risk["item_id"])) or "–",
                decided or "–",
            )
        )
    lines += _table(("Risk", "Title", "Score", "Status", "Item", "Decision"), rows)
    return lines


# --- estimation ------------------------------------------------------------------------------


def estimation(doc: Document, session: dict[str, Any]) -> str:
    """Items, final estimates, each round's votes and the notes of an estimation session."""
    lines = [
        f"# {md(session['title'])}",
        "",
        f"Estimation session · {_day(session['started_at'])} · facilitated by "
        f"{md(doc.name(session['facilitator_id'])) or 'nobody'} · {session['status']}",
        "",
    ]
    people = [
        f"{md(doc.name(p['person_id']))} ({p['role']})"
        for p in doc.rows("session_people")
        if p["session_id"] == session["id"]
    ]
    if people:
        lines += ["Taking part: " + ", ".join(people), ""]
    if doc.withheld.votes:
        hidden = doc.withheld.votes
        lines += [_withheld(hidden, count_of(hidden, "vote"), "until the reveal"), ""]
    entries = sorted(
        (e for e in doc.rows("session_items") if e["session_id"] == session["id"]),
        key=lambda e: e["position"],
    )
    rows = []
    for entry in entries:
        item = doc.get("items", entry["item_id"]) or {}
        final = md(entry["final_card"]) or _points(entry["final_estimate"])
        rows.append((md(item.get("key", "")), md(item.get("title", "")), final, entry["state"]))
    lines += ["## Items", "", *_table(("Key", "Item", "Final estimate", "State"), rows)]
    rounds = [r for r in doc.rows("estimation_rounds") if r["session_id"] == session["id"]]
    votes = list(doc.rows("votes"))
    for entry in entries:
        item = doc.get("items", entry["item_id"]) or {}
        mine = sorted(
            (r for r in rounds if r["item_id"] == entry["item_id"]), key=lambda r: r["number"]
        )
        if not mine and not entry["notes"] and not entry["rationale"]:
            continue
        lines += ["", f"### {md(item.get('key', ''))} {md(item.get('title', ''))}", ""]
        for round_row in mine:
            cast = sorted(
                f"{md(doc.name(v['person_id']))} {md(v['card'])}"
                for v in votes
                if v["round_id"] == round_row["id"]
            )
            shown = ", ".join(cast) if round_row["revealed_at"] else "not revealed"
            lines.append(f"- Round {round_row['number']}: {shown or 'no votes'}")
        if entry["rationale"]:
            lines.append(f"- Why: {md(entry['rationale'])}")
        if entry["notes"]:
            lines.append(f"- Notes: {md(entry['notes'])}")
    summary = session["summary"] or ""
    head, *_ = summary.splitlines() or [""]
    if _ESTIMATION_KEPT.match(head):  # what planner kept at the end: its items are above
        lines += ["", "## Outcome", "", md(head)]
    elif summary:  # a summary someone wrote
        lines += ["", "## Summary", "", md_block(summary)]
    return "\n".join(lines) + "\n"


_ESTIMATION_KEPT = re.compile(r"^Estimated \d+ of \d+ items, [\d.]+ points\.$")
"""The first line of the summary planner keeps when a session ends (services.poker)."""


# --- retro -----------------------------------------------------------------------------------


def retro(doc: Document, session: dict[str, Any]) -> str:
    """Cards by column (and theme) with their votes, then the action items."""
    board = next((b for b in doc.rows("retro_boards") if b["session_id"] == session["id"]), None)
    lines = [f"# {md(session['title'])}", "", f"Retro · {_day(session['started_at'])}", ""]
    if board is None:
        return "\n".join([*lines, "No board."]) + "\n"
    hidden = doc.withheld
    if hidden.retro_cards or hidden.retro_themes:
        what = count_of(hidden.retro_cards, "card")
        if hidden.retro_themes:
            what += f" and {count_of(hidden.retro_themes, 'theme')}"
        lines += [_withheld(hidden.retro_cards + hidden.retro_themes, what, "until the reveal"), ""]
    if hidden.retro_votes:
        dots = count_of(hidden.retro_votes, "dot")
        lines += [f"Dot totals are withheld until voting ends ({dots} so far).", ""]
    cards = [c for c in doc.rows("retro_cards") if c["board_id"] == board["id"]]
    themes = [t for t in doc.rows("retro_themes") if t["board_id"] == board["id"]]
    votes = [v for v in doc.rows("retro_votes") if v["board_id"] == board["id"]]
    card_votes = Counter(v["card_id"] for v in votes if v["card_id"])
    theme_votes = Counter(v["theme_id"] for v in votes if v["theme_id"])
    columns = list(texts_of(board["columns"])) or sorted({c["column_name"] for c in cards})

    def votes_of(count: int) -> str:
        return f" ({count} vote{'s' if count != 1 else ''})" if count else ""

    for column in columns:
        lines += [f"## {md(column)}", ""]
        here = [c for c in cards if c["column_name"] == column and not c["theme_id"]]
        for theme in [t for t in themes if t["column_name"] == column]:
            grouped = [c for c in cards if c["theme_id"] == theme["id"]]
            total = theme_votes[theme["id"]] + sum(card_votes[c["id"]] for c in grouped)
            lines.append(f"- **{md(theme['title'])}**{votes_of(total)}")
            lines += [f"  - {md(c['text'])}{votes_of(card_votes[c['id']])}" for c in grouped]
        ordered = sorted(here, key=lambda c: (-card_votes[c["id"]], c["id"]))
        lines += [f"- {md(c['text'])}{votes_of(card_votes[c['id']])}" for c in ordered]
        if not here and not any(t["column_name"] == column for t in themes):
            lines.append("- (none shown yet)" if hidden.retro_cards else "- (no cards)")
        lines.append("")
    lines += ["## Action items", ""]
    actions = [a for a in doc.rows("action_items") if a["board_id"] == board["id"]]
    if actions:
        lines += _table(
            ("Action", "Owner", "Due", "Status"),
            [
                (
                    md(a["text"]),
                    md(doc.name(a["owner_id"])) or "–",
                    a["due_date"] or "–",
                    a["status"],
                )
                for a in actions
            ],
        )
    else:
        lines.append("None.")
    summary = session["summary"] or ""
    kept = summary.splitlines()
    if kept and kept[0] == f"{session['title']} ({board['template']})":
        # What planner kept at the end (services.retro): the cards and actions are above;
        # only the review of earlier actions and the rating are not.
        outcome = [line.strip() for line in kept[1:] if _RETRO_OUTCOME.match(line)]
        if outcome:
            lines += ["", "## Outcome", "", *(f"- {md(line)}" for line in outcome)]
    elif summary:  # a summary someone wrote
        lines += ["", "## Summary", "", md_block(summary)]
    return "\n".join(lines) + "\n"


_RETRO_OUTCOME = re.compile(
    r"^(Reviewed \d+ of \d+ earlier actions:|  \S.* — (done|carried over|dropped|not reviewed)$"
    r"|\d+ ratings?(, worth the time: [\d.]+/5| \(the average shows from 3 ratings\))$)"
)
"""The lines of a kept retro summary that the Markdown does not show elsewhere."""


# --- lists -----------------------------------------------------------------------------------


def backlog(doc: Document) -> str:
    """The backlog by rank as a table."""
    rows = [
        (
            md(i["key"]),
            md(i["title"]),
            i["kind"],
            i["status"],
            i["value"] or "–",
            _points(i["estimate"]),
        )
        for i in live_items(doc)
    ]
    lines = [
        "# Backlog",
        "",
        *_table(("Key", "Title", "Kind", "Status", "Value", "Estimate"), rows),
    ]
    return "\n".join(lines) + "\n"


def risks(doc: Document) -> str:
    """Every risk by score."""
    lines = ["# Risks", *(_risks_section(doc, list(doc.rows("risks"))) or ["", "None."])]
    return "\n".join(lines).replace("# Risks\n\n## Risks", "# Risks") + "\n"


def actions(doc: Document) -> str:
    """Every action item with its owner, due date and status."""
    rows = [
        (md(a["text"]), md(doc.name(a["owner_id"])) or "–", a["due_date"] or "–", a["status"])
        for a in doc.rows("action_items")
    ]
    lines = ["# Action items", "", *_table(("Action", "Owner", "Due", "Status"), rows)]
    return "\n".join(lines) + "\n"
