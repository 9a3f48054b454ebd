"""Hidden means hidden in every export: what a running meeting keeps to its owner (an
unrevealed poker card, a retro card before the reveal, hidden dots, ratings) is in no
Markdown, JSON or CSV file, from the command line or the app, until the reveal or the
end; the export says how many values it left out. Markdown keeps no terminal control.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from planner_tui.cli import main
from planner_tui.domain.enums import Confidence
from planner_tui.domain.estimation import PokerSettings
from planner_tui.domain.exchange import Withheld
from planner_tui.domain.models import NewAction, NewItem, NewSprint
from planner_tui.domain.poker import Deck, vote_hidden
from planner_tui.domain.retro import (
    BUILTIN_TEMPLATES,
    Phase,
    RetroSettings,
    cards_hidden,
    dots_hidden,
    ratings_hidden,
)
from planner_tui.exchange import run
from planner_tui.exchange.markdown import md, md_block
from planner_tui.screens.actions import ActionsScreen
from planner_tui.screens.backlog import BacklogScreen
from planner_tui.screens.export import GENERAL, ExportChoice, ExportModal, meeting_choices
from planner_tui.screens.poker import PokerScreen
from planner_tui.screens.retro_board import RetroBoardScreen
from planner_tui.screens.risks import RisksScreen
from planner_tui.services import poker, retro, retro_view, sprints
from planner_tui.services.context import Session, open_session
from planner_tui.store import retro as retro_store
from planner_tui.store.items import add_items
from planner_tui.store.workspace import Workspace

from .conftest import TODAY, live_app, settle

WWW = BUILTIN_TEMPLATES["Went well / To improve / Actions"]
DECK = Deck(name="Markers", cards=("1", "2", "3", "ZQSAM", "ZQLENA", "ZQMAYA"))
"""A deck whose cards can be told apart from anything else in a file."""
CARDS = {"sam": "ZQSAM", "lena": "ZQLENA", "maya": "ZQMAYA"}
CONFIDENCE = {"sam": Confidence.UNSURE, "lena": Confidence.SURE, "maya": Confidence.UNSURE}
RETRO_TEXT = {
    "sam": "SAM-HIDDEN-7f3a the deploy freeze hurt",
    "lena": "LENA-HIDDEN-91c2 pairing worked",
    "maya": "MAYA-OWN-44d0 too many meetings",
}


def _vote_row(name: str) -> bytes:
    """How `name`'s vote would sit in our JSON: the card, then the confidence, in one row.

    The deck (and so each card's label) is public; the pair is the vote.
    """
    return f'"{CARDS[name]}", "{CONFIDENCE[name].value}"'.encode()


@dataclass
class Team:
    path: Path
    people: dict[str, Session]
    poker_id: int
    retro_id: int
    sprint_id: int

    @property
    def maya(self) -> Session:
        return self.people["maya"]


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    """maya facilitates a running poker session (everyone has voted, nothing is revealed)
    and a running named retro in Write (everyone has written a card); each person has
    their own connection to the file."""
    path = tmp_path / "team.db"
    people = {name: open_session(path, name) for name in ("maya", "sam", "lena")}
    maya = people["maya"]
    sprint_id = sprints.plan_sprint(
        maya, NewSprint(name="Sprint 9", start=date(2026, 11, 23), end=date(2026, 12, 4))
    )
    items = add_items(maya.workspace, [NewItem(title="Checkout retries")])
    poker_id = poker.start(
        maya, "Checkout poker", items, PokerSettings(deck=DECK, auto_reveal=False)
    )
    retro_id = retro.start(
        maya, "Sprint 9 retro", "Went well / To improve / Actions", WWW,
        RetroSettings(anonymous=False), sprint="Sprint 9",
    )  # fmt: skip
    for name, session in people.items():
        if name != "maya":
            poker.join(session, poker_id)
            retro.join(session, retro_id)
        poker.vote(session, poker_id, CARDS[name], CONFIDENCE[name])
        retro.write(session, retro_id, "Went well", RETRO_TEXT[name])
    yield Team(path, people, poker_id, retro_id, sprint_id)
    for session in people.values():
        session.workspace.close()


# --- every export there is -------------------------------------------------------------------


def _parts(team: Team) -> list[tuple[str, dict[str, int | str]]]:
    """Every format with every part it can export, as `planner export` takes them."""
    meetings: list[dict[str, int | str]] = [{"session": team.poker_id}, {"session": team.retro_id}]
    lists: list[dict[str, int | str]] = [{"what": what} for what in ("backlog", "risks", "actions")]
    sprint: list[dict[str, int | str]] = [{"sprint": team.sprint_id}]
    return [
        *(("markdown", part) for part in [{}, *meetings, *sprint, *lists]),
        *(("json", part) for part in [{}, *meetings, *sprint]),
        *(("csv", part) for part in [{}, *lists]),
    ]


@dataclass
class Output:
    """One export: where it came from, its bytes, and what was said beside it."""

    source: str
    fmt: str
    part: dict
    data: bytes
    said: str
    """The CLI's stderr, or the withheld line the app's toast adds."""

    def holds(self, session_id: int) -> bool:
        """Whether this export would hold that meeting: its own, or the whole workspace's JSON."""
        return self.part == {"session": session_id} or (self.fmt == "json" and not self.part)


def _cli_exports(team: Team, tmp_path: Path) -> list[Output]:
    """`planner export` in every format and scope, to stdout and to a file."""
    runner = CliRunner()
    found = []
    for number, (fmt, part) in enumerate(_parts(team)):
        args = ["export", str(team.path), "--format", fmt]
        args += [str(word) for key, value in part.items() for word in (f"--{key}", value)]
        piped = runner.invoke(main, args)
        assert piped.exit_code == 0, (args, piped.stderr)
        found.append(Output("cli", fmt, part, piped.stdout_bytes, piped.stderr))
        out = tmp_path / f"export-{number}.out"
        written = runner.invoke(main, [*args, "-o", str(out)])
        assert written.exit_code == 0, (args, written.stderr)
        found.append(Output("cli -o", fmt, part, out.read_bytes(), written.stderr))
    return found


def _app_choices(team: Team) -> list[ExportChoice]:
    """What the app's Export dialog offers on the meeting screens, the lists and everywhere."""
    return [
        *PokerScreen(team.poker_id).export_choices(),
        *RetroBoardScreen(team.retro_id).export_choices(),
        *meeting_choices(team.poker_id, "Checkout poker"),  # the Estimation list's
        *meeting_choices(team.retro_id, "Sprint 9 retro"),  # the Retro list's
        *BacklogScreen().export_choices(),
        *RisksScreen().export_choices(),
        *ActionsScreen().export_choices(),
        ExportChoice("markdown", "sprint", "sprint", {"sprint": team.sprint_id}),
        ExportChoice("json", "sprint", "sprint", {"sprint": team.sprint_id}),
        *GENERAL,
    ]


def _app_exports(team: Team) -> list[Output]:
    """Every in-app export choice, as the dialog's writer makes it."""
    found = []
    for choice in _app_choices(team):
        result = run.exported(team.maya.workspace, choice.fmt, **choice.part)
        said = result.withheld.describe() if result.withheld.total else ""
        found.append(Output("app", choice.fmt, choice.part, result.text.encode(), said))
    return found


def _every_export(team: Team, tmp_path: Path) -> list[Output]:
    return [*_cli_exports(team, tmp_path), *_app_exports(team)]


def _one(exports: list[Output], fmt: str, **part: int | str) -> Output:
    """The CLI's export to stdout of that format and part."""
    return next(o for o in exports if o.source == "cli" and o.fmt == fmt and o.part == part)


def _json_of(output: Output) -> dict:
    return json.loads(output.data.decode("utf-8"))


# --- the rules -------------------------------------------------------------------------------


def test_the_rules_for_what_stays_hidden() -> None:
    assert vote_hidden(revealed=False, running=True)
    assert not vote_hidden(revealed=True, running=True)
    assert not vote_hidden(revealed=False, running=False)
    assert cards_hidden(Phase.WRITE, running=True) and cards_hidden(Phase.REVIEW, running=True)
    assert not cards_hidden(Phase.REVEAL, running=True)
    assert not cards_hidden(Phase.WRITE, running=False)
    assert dots_hidden(Phase.VOTE, True, running=True)
    assert not dots_hidden(Phase.VOTE, False, running=True)
    assert not dots_hidden(Phase.DISCUSS, True, running=True)
    assert dots_hidden(Phase.GROUP, False, running=True)
    assert not dots_hidden(Phase.VOTE, True, running=False)
    assert ratings_hidden(running=True) and not ratings_hidden(running=False)
    withheld = Withheld(votes=3, retro_cards=1, retro_votes=2)
    assert withheld.total == 6
    assert withheld.counts() == {"votes": 3, "retro_cards": 1, "retro_votes": 2}
    assert withheld.describe().startswith("3 poker votes, 1 retro card and 2 dot votes withheld")
    assert Withheld().total == 0 and Withheld().counts() == {}


# --- before the reveal -----------------------------------------------------------------------


def test_before_the_reveal_no_export_holds_a_hidden_card_or_vote(
    team: Team, tmp_path: Path
) -> None:
    exports = _every_export(team, tmp_path)
    assert len(exports) == 2 * len(_parts(team)) + len(_app_choices(team))
    for output in exports:
        where = (output.source, output.fmt, output.part)
        for text in RETRO_TEXT.values():  # the exporter's own card too: a file is for others
            assert text.split()[0].encode() not in output.data, where
        for person in CARDS:
            assert _vote_row(person) not in output.data, where
        if output.fmt != "json":  # no other page shows the deck, so no card label at all
            assert not any(card.encode() in output.data for card in CARDS.values()), where
        if output.holds(team.poker_id) or output.holds(team.retro_id):
            assert "withheld" in output.said, where  # on stderr, or in the app's toast
            assert b"withheld" in output.data, where  # and in the file itself
        else:
            assert output.said.count("withheld") == 0, where
    holding = [o for o in exports if o.holds(team.poker_id)]
    assert len(holding) == len([o for o in exports if o.holds(team.retro_id)]) == 11
    retro_page = _one(exports, "markdown", session=team.retro_id)
    assert "3 cards are withheld until the reveal." in retro_page.data.decode()
    assert retro_page.said.count("\n") == 1 and "3 retro cards withheld" in retro_page.said
    estimation = _one(exports, "markdown", session=team.poker_id).data.decode()
    assert "3 votes are withheld until the reveal." in estimation
    assert "- Round 1: not revealed" in estimation
    whole = _json_of(_one(exports, "json"))
    assert whole["withheld"] == {"votes": 3, "retro_cards": 3}
    assert whole["tables"]["votes"]["rows"] == [] and whole["tables"]["retro_cards"]["rows"] == []
    # whether someone voted or wrote is public, as on the screens
    assert len(whole["tables"]["session_people"]["rows"]) == 6
    assert _json_of(_one(exports, "json", session=team.poker_id))["withheld"] == {"votes": 3}


def test_a_json_taken_mid_meeting_restores_cleanly(team: Team, tmp_path: Path) -> None:
    backup = tmp_path / "mid-meeting.json"
    runner = CliRunner()
    taken = runner.invoke(main, ["export", str(team.path), "--format", "json", "-o", str(backup)])
    assert taken.exit_code == 0
    assert taken.stderr.splitlines()[0] == (
        "planner: 3 poker votes and 3 retro cards withheld: "
        "hidden until their meeting reveals them or ends"
    )
    target = tmp_path / "restored.db"
    restored = runner.invoke(main, ["--as", "li", "import", str(target), str(backup)])
    assert restored.exit_code == 0, restored.stderr
    document = json.loads(backup.read_text())
    rows = sum(len(part["rows"]) for part in document["tables"].values())
    assert f"({rows} rows," in restored.stdout
    again = runner.invoke(main, ["export", str(target), "--format", "json"])
    assert again.exit_code == 0 and "withheld" not in again.stdout and again.stderr == ""
    assert json.loads(again.stdout)["tables"] == _as_restored(document["tables"])


def _as_restored(tables: dict[str, Any]) -> dict[str, Any]:
    """What a restore keeps: everything but the account bindings, which belong to the
    machine the file came from (uid 0 there is not uid 0 here)."""
    people = tables["people"]
    cleared = [people["columns"].index("bound_to"), people["columns"].index("bound_at")]
    rows = [[None if i in cleared else v for i, v in enumerate(row)] for row in people["rows"]]
    assert rows != people["rows"], "the team had bound names to free"
    meta = tables["meta"]
    kept = [row for row in meta["rows"] if not str(row[0]).startswith("account ")]
    return {
        **tables,
        "people": {**people, "rows": rows},
        "meta": {**meta, "rows": kept},
    }


# --- after the reveal, while voting, at the close, after the end -------------------------


def test_after_the_reveal_every_export_has_everything(team: Team, tmp_path: Path) -> None:
    poker.reveal(team.maya, team.poker_id)
    retro_store.set_phase(team.maya.workspace, team.retro_id, Phase.REVEAL)
    exports = _every_export(team, tmp_path)
    for output in exports:
        assert "withheld" not in output.said and b"withheld" not in output.data, output.part
    whole = _one(exports, "json").data
    retro_page = _one(exports, "markdown", session=team.retro_id).data
    for person in CARDS:
        assert _vote_row(person) in whole
    for text in RETRO_TEXT.values():
        assert text.encode() in whole and text.encode() in retro_page
    estimation = _one(exports, "markdown", session=team.poker_id).data.decode()
    assert "- Round 1: lena ZQLENA, maya ZQMAYA, sam ZQSAM" in estimation


def _dot(team: Team, name: str, on_card_of: str) -> None:
    board = retro_view.board(team.maya, team.retro_id)
    cards = [c for column in board.columns for c in column.cards]
    (card,) = [c for c in cards if c.text == RETRO_TEXT[on_card_of]]
    retro.dot(team.people[name], team.retro_id, card_id=card.id)


def test_hidden_dot_totals_and_ratings_stay_out_until_voting_ends_and_the_retro_ends(
    team: Team, tmp_path: Path
) -> None:
    ws = team.maya.workspace
    retro_store.set_phase(ws, team.retro_id, Phase.VOTE)  # hide_totals is on by default
    _dot(team, "maya", "sam")
    _dot(team, "lena", "sam")
    _dot(team, "sam", "lena")
    exports = _every_export(team, tmp_path)
    holding = [o for o in exports if o.holds(team.retro_id)]
    assert len(holding) == 11
    for output in holding:
        assert b"vote)" not in output.data and b"votes)" not in output.data, output.part
        assert "3 dot votes withheld" in output.said, output.part
    page = _one(exports, "markdown", session=team.retro_id).data.decode()
    assert "Dot totals are withheld until voting ends (3 dots so far)." in page
    assert RETRO_TEXT["sam"] in page  # the cards themselves are revealed by now
    whole = _json_of(_one(exports, "json"))
    assert whole["withheld"] == {"votes": 3, "retro_votes": 3}
    assert whole["tables"]["retro_votes"]["rows"] == []

    retro_store.set_phase(ws, team.retro_id, Phase.DISCUSS)  # totals show from here
    page = run.export(ws, "markdown", session=team.retro_id)
    assert f"- {RETRO_TEXT['sam']} (2 votes)" in page and "withheld" not in page
    retro_store.set_phase(ws, team.retro_id, Phase.CLOSE)
    retro.rate(team.people["sam"], team.retro_id, 2)
    retro.rate(team.people["lena"], team.retro_id, 5)
    during = run.exported(ws, "json", session=team.retro_id)
    document = json.loads(during.text)
    assert document["withheld"] == {"retro_ratings": 2}
    assert document["tables"]["retro_ratings"]["rows"] == []
    assert len(document["tables"]["retro_votes"]["rows"]) == 3

    retro.end(team.maya, team.retro_id)
    after = run.exported(ws, "json", session=team.retro_id)
    assert after.withheld.total == 0 and '"withheld"' not in after.text
    ratings = json.loads(after.text)["tables"]["retro_ratings"]["rows"]
    assert sorted(row[2] for row in ratings) == [2, 5]


def test_after_the_end_an_unrevealed_round_is_exported_whole(team: Team) -> None:
    poker.end(team.maya, team.poker_id)
    result = run.exported(team.maya.workspace, "json", session=team.poker_id)
    assert result.withheld.total == 0
    for person in CARDS:
        assert _vote_row(person) in result.text.encode()


def test_a_link_to_a_withheld_card_is_cut_not_left_dangling(team: Team, tmp_path: Path) -> None:
    """Back at Write after an action was agreed on a card: the card is hidden again, the
    action (said aloud in the room) stays, without its link, and the file still restores."""
    ws = team.maya.workspace
    retro_store.set_phase(ws, team.retro_id, Phase.DISCUSS)
    board = retro_view.board(team.maya, team.retro_id)
    card = next(c for column in board.columns for c in column.cards if c.text == RETRO_TEXT["sam"])
    retro.add_action(
        team.maya, team.retro_id, NewAction(text="Shorter freezes", owner="sam"), card_id=card.id
    )
    retro_store.set_phase(ws, team.retro_id, Phase.WRITE)
    text = run.export(ws, "json")
    assert RETRO_TEXT["sam"] not in text
    document = json.loads(text)
    actions = document["tables"]["action_items"]
    (action,) = [dict(zip(actions["columns"], row, strict=True)) for row in actions["rows"]]
    assert action["text"] == "Shorter freezes" and action["card_id"] is None
    target = Workspace.open(tmp_path / "restored.db", actor="li")
    try:
        outcome = run.import_file(target, text.encode(), "backup.json")
        assert outcome.restored == "workspace"
    finally:
        target.close()


# --- in the app ------------------------------------------------------------------------------


async def _export_first_choices(app, pilot, count: int) -> list[Path]:
    """Press ctrl+e and export the screen's first `count` choices, one after the other."""
    written = []
    for index in range(count):
        await pilot.press("ctrl+e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportModal)
        for _ in range(index):
            await pilot.press("down")
        await pilot.pause()
        path = Path(modal.query_one("#export-path").value)
        await pilot.press("enter")
        await settle(pilot)
        written.append(path)
    return written


async def test_ctrl_e_on_a_retro_board_in_write_writes_no_card(team: Team) -> None:
    app = live_app(team.maya)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, RetroBoardScreen)
        assert app.screen.board is not None and app.screen.board.info.phase is Phase.WRITE
        summary, backup = await _export_first_choices(app, pilot, 2)
        page = summary.read_text()
        assert page.startswith("# Sprint 9 retro")
        assert "3 cards are withheld until the reveal." in page
        document = json.loads(backup.read_text())
        assert document["scope"] == {"kind": "session", "id": team.retro_id}
        assert document["withheld"] == {"retro_cards": 3}
        for text in RETRO_TEXT.values():  # maya's own card as well as the others'
            assert text.split()[0] not in page and text.split()[0] not in backup.read_text()
        toasts = [str(n.message) for n in app._notifications]
        assert any("3 retro cards withheld" in toast for toast in toasts), toasts


async def test_ctrl_e_on_a_poker_table_before_the_reveal_writes_no_vote(team: Team) -> None:
    app = live_app(team.maya)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PokerScreen)
        summary, backup = await _export_first_choices(app, pilot, 2)
        page = summary.read_text()
        assert "3 votes are withheld until the reveal." in page
        assert not any(card in page for card in CARDS.values())
        data = backup.read_bytes()
        assert json.loads(data)["withheld"] == {"votes": 3}
        assert not any(_vote_row(person) in data for person in CARDS)
        toasts = [str(n.message) for n in app._notifications]
        assert any("3 poker votes withheld" in toast for toast in toasts), toasts


# --- Markdown keeps no terminal control --------------------------------------------------

HOSTILE = "Deploy \x1b]0;x\x07 \x1b[2J \x1b]52;c;aGVsbG8=\x07 \x9b31m \u202eevil\u202c \x00end"
"""A title that would set the window title, clear the screen, write the clipboard, start a
C1 control sequence, reverse the text and hide a NUL, if a terminal were sent it raw."""


def _controls(text: str) -> list[str]:
    return [
        ch
        for ch in text
        if (ord(ch) < 32 and ch != "\n")
        or 0x7F <= ord(ch) <= 0x9F
        or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    ]


def test_markdown_shows_controls_as_symbols_and_json_and_csv_keep_them(
    empty_session: Session, workspace_path: Path
) -> None:
    ws = empty_session.workspace
    add_items(ws, [NewItem(title=HOSTILE, description=f"line one\n{HOSTILE}\nline three")])
    sid = retro.start(empty_session, HOSTILE, "Went well / To improve / Actions", WWW)
    retro.write(empty_session, sid, "Went well", HOSTILE)
    retro_store.set_phase(ws, sid, Phase.CLOSE)
    retro.end(empty_session, sid)  # its summary keeps the title and the card, line by line
    pages = [
        run.export(ws, "markdown", what="backlog"),
        run.export(ws, "markdown", session=sid),
        run.export(ws, "markdown"),
    ]
    runner = CliRunner()
    piped = runner.invoke(main, ["export", str(workspace_path), "--session", str(sid)])
    assert piped.exit_code == 0
    pages.append(piped.stdout)
    for page in pages:
        assert _controls(page) == [], page
    backlog, meeting = pages[0], pages[1]
    assert "## Summary" not in meeting  # the summary kept at the end repeats the board
    for shown in ("␛\\]0;x␇", "␛\\[2J", "␛\\]52;c;aGVsbG8=␇", "‹9B›31m", "‹RLO›evil‹PDF›", "␀end"):
        assert shown in backlog and shown in meeting
    assert meeting.startswith("# Deploy ␛\\]0;x␇")
    assert md("a\x1b[2J\x07b") == "a␛\\[2J␇b"  # the helpers themselves, not only the page
    assert md_block("one\x1b]0;x\x07\r\ntwo\x9b") == "one␛\\]0;x␇  \ntwo‹9B›"
    json_title = json.loads(run.export(ws, "json"))["tables"]["items"]["rows"][0][2]
    assert json_title == HOSTILE  # a file that can hold the exact text keeps it
    (row,) = csv.DictReader(io.StringIO(run.export(ws, "csv")))
    assert row["title"] == HOSTILE


def test_meeting_markdown_says_each_thing_once(empty_session: Session, demo_path: Path) -> None:
    """Retro and estimation Markdown repeated everything in a flat 'Summary' (issue 18's
    trap): the summary planner keeps at the end gives only what is not shown above."""
    from planner_tui.domain.models import NewAction
    from planner_tui.services import poker

    ws = empty_session.workspace
    sid = retro.start(empty_session, "Sprint 9 retro", "Went well / To improve / Actions", WWW)
    retro.write(empty_session, sid, "Went well", "Pairing on the payment step")
    retro_store.set_phase(ws, sid, Phase.CLOSE)
    retro.add_action(empty_session, sid, NewAction(text="Pair every Friday"))
    retro.rate(empty_session, sid, 4)
    retro.end(empty_session, sid)
    page = run.export(ws, "markdown", session=sid)
    assert page.count("Pairing on the payment step") == 1
    assert page.count("Pair every Friday") == 1
    assert "## Summary" not in page
    assert "## Outcome\n\n- 1 rating (the average shows from 3 ratings)" in page

    ids = add_items(ws, [NewItem(title="Alpha"), NewItem(title="Beta")])
    estimation = poker.start(empty_session, "Room", ids)
    poker.end(empty_session, estimation)
    page = run.export(ws, "markdown", session=estimation)
    assert page.count("Alpha") == 2  # the table and nothing else (no round was played)
    assert "## Summary" not in page
    assert "## Outcome\n\nEstimated 0 of 2 items, 0 points." in page

    demo = Workspace.open(demo_path, actor="export", readonly=True)
    try:
        written = run.export(demo, "markdown", session=2)  # a summary someone wrote
    finally:
        demo.close()
    assert "## Summary\n\nEstimated three checkout items." in written


def test_outcomes_are_seen_in_the_backlog_poker_and_sprint_markdown(
    empty_session: Session,
) -> None:
    """A success metric's actual showed only inside the item editor (issue 18): it is
    now beside the item in the Backlog, in the poker context and in the sprint's
    Markdown, target against actual."""
    import asyncio

    from planner_tui.domain.backlog import metric_text
    from planner_tui.domain.models import SuccessMetric
    from planner_tui.screens.backlog import BacklogScreen
    from planner_tui.services import poker, sprints

    from .conftest import wait_until

    assert metric_text("adoption", "%", 50, 38) == (
        "missed — adoption: 38 % against a target of 50 %"
    )
    assert metric_text("adoption", "%", 50, 38, done=False) == (
        "adoption: 38 % against a target of 50 %"  # not launched: no verdict yet
    )
    assert metric_text("adoption", "%", 50, None) == "adoption: target 50 %, not measured yet"
    assert metric_text("p95", "ms", 200, 180, lower_better=True) == (
        "met — p95: 180 ms against a target of at most 200 ms"
    )
    assert metric_text("p95", "ms", 200, 210, lower_better=True).startswith("missed — ")
    assert metric_text("adoption", "%", 50, 50).startswith("met — ")
    assert metric_text(None, None, None, None) == ""
    ws = empty_session.workspace
    (item,) = add_items(
        ws,
        [
            NewItem(
                title="Saved cards",
                estimate=3,
                metric=SuccessMetric(name="adoption", unit="%", target=50, actual=38),
            )
        ],
    )
    said = "adoption: 38 % against a target of 50 %"  # (not done: no verdict)

    async def backlog() -> None:
        app = live_app(empty_session)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("2")
            await wait_until(pilot, lambda: isinstance(app.screen, BacklogScreen), "backlog")
            await settle(pilot)
            status = str(app.screen.query_one("#backlog-status").render())
            assert said in status, status

    asyncio.run(backlog())
    sid = poker.start(empty_session, "Room", [item])
    assert poker.table(empty_session, sid).item.metric == said
    sprint_id = sprints.plan_sprint(
        empty_session, NewSprint(name="S1", start=TODAY, end=date(2026, 12, 7))
    )
    sprints.commit(empty_session, sprint_id, [item])
    page = run.export(ws, "markdown", sprint=sprint_id)
    assert f"## Outcomes\n\n- PLN-1 {said}" in page


def test_outcome_list_says_met_missed_and_not_measured(empty_session: Session) -> None:
    """Issue 18: a launch/outcome list, items done with a metric, each met, missed or not
    measured yet, judged by the way the metric aims (latency aims low)."""
    from planner_tui.domain.backlog import Outcome
    from planner_tui.domain.enums import ItemStatus
    from planner_tui.domain.models import SuccessMetric
    from planner_tui.screens.history import history_text
    from planner_tui.services import history

    def done(title: str, metric: SuccessMetric | None, status=ItemStatus.DONE) -> NewItem:
        return NewItem(title=title, status=status, metric=metric)

    add_items(
        empty_session.workspace,
        [
            done("Saved cards", SuccessMetric(name="adoption", unit="%", target=50, actual=38)),
            done("Progress bar", SuccessMetric(name="completion", unit="%", target=65, actual=68)),
            done(
                "Faster page",
                SuccessMetric(name="p75", unit="s", target=2.5, actual=2.1, lower_better=True),
            ),
            done(
                "Slow page",
                SuccessMetric(name="p95", unit="s", target=3, actual=4, lower_better=True),
            ),
            done("Dark mode", SuccessMetric(name="use", unit="%", target=10)),
            done("No metric", None),
            done(
                "Not launched",
                SuccessMetric(name="x", target=1, actual=0),
                status=ItemStatus.IN_PROGRESS,
            ),
        ],
    )
    seen = history.history(empty_session, TODAY)
    judged = {item.title: item.outcome for item in seen.launched}
    assert judged == {
        "Saved cards": Outcome.MISSED,
        "Progress bar": Outcome.MET,
        "Faster page": Outcome.MET,
        "Slow page": Outcome.MISSED,
        "Dark mode": Outcome.NOT_MEASURED,
    }
    text = history_text(seen).plain
    assert "2 met, 2 missed, 1 not measured yet" in text
    assert "met — p75: 2.1 s against a target of at most 2.5 s" in text
    assert "✗ PLN-1" in text and "✓ PLN-2" in text and "? PLN-5" in text


def test_a_sprint_review_judges_only_the_work_it_got_done(empty_session: Session) -> None:
    """Found in a trial: the review listed an item still in progress under its outcomes
    (and the Backlog called its metric missed). Work not done has no verdict yet."""
    from planner_tui.domain.backlog import Outcome
    from planner_tui.domain.models import SuccessMetric
    from planner_tui.services import sprints
    from planner_tui.store.backlog import backlog_page

    done, going = add_items(
        empty_session.workspace,
        [
            NewItem(title="Done", estimate=1, metric=SuccessMetric(name="a", target=5, actual=6)),
            NewItem(title="Going", estimate=1, metric=SuccessMetric(name="b", target=5, actual=1)),
        ],
    )
    sprint_id = sprints.plan_sprint(
        empty_session, NewSprint(name="S1", start=TODAY, end=date(2026, 12, 7))
    )
    sprints.commit(empty_session, sprint_id, [done, going])
    sprints.set_done(empty_session, sprint_id, done, True)
    judged = sprints.outcomes(empty_session, sprint_id)
    assert [(j.title, j.outcome) for j in judged] == [("Done", Outcome.MET)]
    from planner_tui.domain.backlog import BacklogQuery

    rows = {
        row.title: row.metric
        for row in backlog_page(empty_session.workspace, BacklogQuery(), 0, 10)
    }
    assert rows == {
        "Done": "met — a: 6 against a target of 5",
        "Going": "b: 1 against a target of 5",
    }
