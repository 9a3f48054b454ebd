"""Identity and roles: a name is its account's, and engineering holds the security veto."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from planner_tui.domain.enums import RiskCategory, RiskStatus, Role
from planner_tui.domain.identity import Account, NameTaken, NotAllowed, check_claim
from planner_tui.domain.models import NewItem, NewRisk
from planner_tui.services import people, poker, risks
from planner_tui.services.context import Session, open_session, open_viewer
from planner_tui.store.items import add_items

from .conftest import rows

ALICE = Account.for_uid(41001, "alice")
BOB = Account.for_uid(41002, "bob")
ROOT = Account.for_uid(0, "root")


def test_a_name_is_bound_to_the_first_account_and_refused_to_others(
    workspace_path: Path,
) -> None:
    alice = open_session(workspace_path, "alice", ALICE)
    try:
        with pytest.raises(NameTaken, match=r"belongs to another account \(alice\)"):
            open_session(workspace_path, "alice", BOB)
        with pytest.raises(NameTaken, match="belongs to another account"):
            open_session(workspace_path, "ALICE", BOB)  # case does not make a new name
        again = open_session(workspace_path, "alice", ALICE)  # a second terminal of hers
        again.workspace.close()
    finally:
        alice.workspace.close()
    bound = rows(workspace_path, "SELECT name, bound_to FROM people WHERE name = 'alice'")
    assert bound == [("alice", "uid:41001")]
    history = rows(
        workspace_path, "SELECT actor, action, summary FROM changes WHERE entity = 'person'"
    )
    assert ("alice", "bound", "alice → alice") in history


def test_another_accounts_login_name_cannot_be_claimed_first() -> None:
    with pytest.raises(NameTaken, match="login name of another account"):
        check_claim("alice", None, "alice", BOB)
    assert check_claim("dana", None, "", BOB)  # nobody's login: bob may take it


def test_the_holder_hands_a_name_on_and_the_history_keeps_both(workspace_path: Path) -> None:
    alice = open_session(workspace_path, "alice", ALICE)
    bob = open_session(workspace_path, "bob", BOB)
    try:
        with pytest.raises(NotAllowed, match="only the account that holds alice"):
            people.hand_over(bob, "alice", "root")
        alice.workspace.account = ALICE.key
        from planner_tui.store.people import hand_over

        hand_over(alice.workspace, "alice", BOB, ALICE)
        taken_over = open_session(workspace_path, "alice", BOB)
        taken_over.workspace.close()
        with pytest.raises(NameTaken):
            open_session(workspace_path, "alice", ALICE)
    finally:
        alice.workspace.close()
        bob.workspace.close()
    summaries = [
        row[0]
        for row in rows(workspace_path, "SELECT summary FROM changes WHERE action = 'handed over'")
    ]
    assert summaries == ["alice: alice → bob"]


def test_a_reader_sees_the_workspace_only_as_their_own_name(workspace_path: Path) -> None:
    from planner_tui.store.people import person_id

    alice = open_session(workspace_path, "alice", ALICE)
    person_id(alice.workspace, "dana")  # someone in the room: nobody's account
    alice.workspace.close()
    with pytest.raises(NameTaken):
        open_viewer(workspace_path, "alice", BOB)
    with pytest.raises(NameTaken, match="not a name of your account"):
        open_viewer(workspace_path, "dana", BOB)  # would show dana's private cards
    viewer = open_viewer(workspace_path, "bob", BOB)
    try:
        assert viewer.read_only and viewer.workspace.readonly
    finally:
        viewer.close()  # a reader leaves no presence row behind: it wrote none
    assert rows(workspace_path, "SELECT name FROM people WHERE name = 'bob'") == []
    assert rows(workspace_path, "SELECT count(*) FROM presence") == [(0,)]


def test_roles_engineering_is_granted_only_by_engineering_or_the_owner(
    workspace_path: Path,
) -> None:
    owner = open_session(workspace_path, "maya", ROOT)  # root owns every file
    bob = open_session(workspace_path, "bob", BOB)
    try:
        people.set_role(bob, "bob", "product")  # one's own, not engineering: fine
        with pytest.raises(NotAllowed, match="into or out of engineering"):
            people.set_role(bob, "bob", "engineering")
        with pytest.raises(NotAllowed, match="change maya's role"):
            people.set_role(bob, "maya", "design")
        people.set_role(owner, "bob", "engineering")
        people.set_role(bob, "maya", "product")  # an engineer may set others' roles
        with pytest.raises(Exception, match="no role 'boss'"):
            people.set_role(owner, "bob", "boss")
    finally:
        owner.workspace.close()
        bob.workspace.close()
    assert dict(rows(workspace_path, "SELECT name, role FROM people")) == {
        "maya": "product",
        "bob": "engineering",
    }


def _security_risk(session: Session) -> int:
    return risks.raise_risk(
        session,
        NewRisk(title="Card data in logs", category=RiskCategory.SECURITY, likelihood=4, impact=5),
    )


def test_a_security_risk_accepted_by_product_is_refused_then_accepted_by_engineering(
    workspace_path: Path,
) -> None:
    maya = open_session(workspace_path, "maya", ROOT)
    raj = open_session(workspace_path, "raj", BOB)
    try:
        people.set_role(maya, "maya", "product")
        people.set_role(maya, "raj", "engineering")  # maya owns the file: she may grant it
        risk_id = _security_risk(maya)
        for to in (RiskStatus.ACCEPTED, RiskStatus.MITIGATED, RiskStatus.RESOLVED):
            with pytest.raises(
                NotAllowed, match=r"only engineering can .* \(raj\); maya is product"
            ):
                risks.decide(maya, risk_id, to, "Ship it, we will fix later")
        # the side doors: unblocking it, or calling it something else, is lifting it too
        with pytest.raises(NotAllowed):
            risks.edit(maya, risk_id, risks.RiskEdit(blocking=False))
        with pytest.raises(NotAllowed):
            risks.edit(maya, risk_id, risks.RiskEdit(category=RiskCategory.TECHNICAL))
        risks.edit(maya, risk_id, risks.RiskEdit(likelihood=5))  # other edits are hers to make
        risks.decide(maya, risk_id, RiskStatus.OWNED, owner="raj")  # owning does not lift it
        view = next(r for r in risks.listing(maya) if r.id == risk_id)
        assert view.blocks and view.under_veto
        risks.decide(raj, risk_id, RiskStatus.ACCEPTED, "Logs scrubbed; residual risk low")
        view = next(r for r in risks.listing(maya) if r.id == risk_id)
        assert (view.status, view.decided_by, view.decision_note) == (
            RiskStatus.ACCEPTED,
            "raj",
            "Logs scrubbed; residual risk low",
        )
        # once lifted, anyone may reopen it: that puts the block back
        risks.decide(maya, risk_id, RiskStatus.OPEN, "Logs came back")
        assert next(r for r in risks.listing(maya) if r.id == risk_id).blocks
    finally:
        maya.workspace.close()
        raj.workspace.close()


def test_the_facilitator_enters_cards_only_for_people_without_a_terminal(
    workspace_path: Path,
) -> None:
    maya = open_session(workspace_path, "maya", ROOT)
    bob = open_session(workspace_path, "bob", BOB)
    try:
        ids = add_items(maya.workspace, [NewItem(title="Social login")])
        session_id = poker.start(maya, "Estimate", ids, voters=["dana"])
        poker.vote(maya, session_id, "5", voter="dana")  # dana is in the room: fine
        with pytest.raises(NotAllowed, match="bob plays from their own terminal"):
            poker.vote(maya, session_id, "8", voter="bob")
        poker.vote(bob, session_id, "3")
    finally:
        maya.workspace.close()
        bob.workspace.close()
    cards = rows(
        workspace_path,
        "SELECT p.name, v.card, v.entered_by FROM votes v JOIN people p ON p.id = v.person_id "
        "ORDER BY p.name",
    )
    assert cards == [("bob", "3", "bob"), ("dana", "5", "maya")]


def test_roles_show_in_the_people_list(workspace_path: Path) -> None:
    maya = open_session(workspace_path, "maya", ROOT)
    try:
        people.set_role(maya, "maya", "engineering")
        listing = people.listing(maya.workspace)
    finally:
        maya.workspace.close()
    assert [(p.name, p.role, p.account) for p in listing] == [("maya", Role.ENGINEERING, "root")]


def test_a_restored_json_frees_every_name_for_this_machine(tmp_path: Path) -> None:
    from planner_tui.exchange import run

    source = open_session(tmp_path / "there.db", "quill", ALICE)
    try:
        exported = run.export(source.workspace, "json")
    finally:
        source.workspace.close()
    assert '"uid:41001"' in exported  # the export is lossless
    here = open_session(tmp_path / "here.db", "bob", BOB)
    try:
        run.import_file(here.workspace, exported.encode(), "backup.json")
    finally:
        here.workspace.close()
    assert rows(tmp_path / "here.db", "SELECT name, bound_to FROM people") == [("quill", None)]
    mine = open_session(tmp_path / "here.db", "quill", BOB)  # a new machine, a new holder
    mine.workspace.close()


def test_a_reader_of_a_file_written_by_an_older_planner_is_told_to_have_it_upgraded(
    workspace_path: Path,
) -> None:
    """A reader cannot migrate the file, and its screens read what the upgrade adds (the
    risk tally): they get one clear line, not a screen of read errors."""
    from planner_tui.store.workspace import WorkspaceError

    open_session(workspace_path, "alice", ALICE).close()
    with sqlite3.connect(workspace_path) as conn:  # as a file from the previous release says
        conn.execute("PRAGMA user_version = 6")
    with pytest.raises(WorkspaceError, match=r"older planner \(schema v6\).*open it again"):
        open_viewer(workspace_path, "bob", BOB)
    upgraded = open_session(workspace_path, "alice", ALICE)  # a writer upgrades it
    upgraded.close()
    open_viewer(workspace_path, "bob", BOB).close()


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_facilitator_writes_cards_only_for_people_without_a_terminal(
    workspace_path: Path, anonymous: bool
) -> None:
    """As in poker: a card "from bob" written at maya's terminal would be a card bob never
    wrote, on a named board under his name (and counted as his on an anonymous one)."""
    from planner_tui.domain.retro import RetroSettings
    from planner_tui.services import retro

    maya = open_session(workspace_path, "maya", ROOT)
    bob = open_session(workspace_path, "bob", BOB)
    try:
        settings = RetroSettings(anonymous=anonymous)
        sid = retro.start(maya, "Retro", "x", ("Good", "Bad"), settings)
        with pytest.raises(NotAllowed, match="bob plays from their own terminal"):
            retro.write(maya, sid, "Good", "bob loved it", for_someone="bob")
        retro.write(maya, sid, "Good", "said in the room", for_room=True)
        retro.write(bob, sid, "Bad", "mine")
        cards = rows(workspace_path, "SELECT text FROM retro_cards ORDER BY text")
    finally:
        maya.workspace.close()
        bob.workspace.close()
    assert cards == [("mine",), ("said in the room",)]
