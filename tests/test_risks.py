"""Risk flags through the services: ROAM decisions with history, blocking, filters, matrix."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from planner_tui.domain.enums import RiskCategory, RiskStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewItem, NewRisk
from planner_tui.domain.risk import Severity, blocked_message, blocks
from planner_tui.domain.risk_view import RiskFilter
from planner_tui.services import risks
from planner_tui.services.context import Session
from planner_tui.store.items import add_items

from .conftest import TODAY, make_engineer


def _raise(session: Session, title: str = "OAuth widens the attack surface", **fields) -> int:
    values = {"likelihood": 3, "impact": 4, "category": RiskCategory.SECURITY} | fields
    return risks.raise_risk(session, NewRisk(title=title, **values))


def _view(session: Session, risk_id: int):
    return next(r for r in risks.listing(session) if r.id == risk_id)


def test_a_security_risk_blocks_until_resolved_mitigated_or_accepted(
    empty_session: Session,
) -> None:
    risk = _view(empty_session, _raise(empty_session))
    assert risk.blocking and risk.blocks and risk.score == 12 and risk.severity is Severity.HIGH
    assert not _view(
        empty_session, _raise(empty_session, "Rate limits", category=RiskCategory.DEPENDENCY)
    ).blocking
    assert blocks(RiskStatus.OWNED, blocking=True)  # owned is still to be dealt with
    for clearing in (RiskStatus.RESOLVED, RiskStatus.MITIGATED, RiskStatus.ACCEPTED):
        assert not blocks(clearing, blocking=True)
    assert "resolve, mitigate or accept it on the Risks screen" in blocked_message(
        "commit PLN-1 to a sprint", "PLN-1", 7, "OAuth"
    )


def test_roam_decisions_keep_who_when_why_and_can_be_reopened(empty_session: Session) -> None:
    make_engineer(empty_session)
    risk_id = _raise(empty_session)
    with pytest.raises(InvalidInput, match="needs an owner"):
        risks.decide(empty_session, risk_id, RiskStatus.OWNED)
    risks.decide(empty_session, risk_id, RiskStatus.OWNED, owner="sam")
    with pytest.raises(InvalidInput, match="say why"):
        risks.decide(empty_session, risk_id, RiskStatus.ACCEPTED, "  ")
    risks.decide(empty_session, risk_id, RiskStatus.ACCEPTED, "Only internal users this quarter")
    accepted = _view(empty_session, risk_id)
    assert (accepted.status, accepted.decided_by, accepted.owner) == (
        RiskStatus.ACCEPTED,
        "maya",
        "sam",
    )
    assert accepted.decision_note == "Only internal users this quarter" and not accepted.blocks
    with pytest.raises(InvalidInput, match="already accepted"):
        risks.decide(empty_session, risk_id, RiskStatus.ACCEPTED, "again")
    risks.decide(empty_session, risk_id, RiskStatus.OPEN, "Going public after all")
    reopened = _view(empty_session, risk_id)
    assert reopened.status is RiskStatus.OPEN and reopened.decided_by is None and reopened.blocks
    steps = [(e.from_status, e.to_status, e.note) for e in risks.history(empty_session, risk_id)]
    assert steps == [
        (None, RiskStatus.OPEN, ""),
        (RiskStatus.OPEN, RiskStatus.OWNED, ""),
        (RiskStatus.OWNED, RiskStatus.ACCEPTED, "Only internal users this quarter"),
        (RiskStatus.ACCEPTED, RiskStatus.OPEN, "Going public after all"),
    ]
    with pytest.raises(NotFound):
        risks.decide(empty_session, 999, RiskStatus.RESOLVED)


def test_edits_are_kept_in_the_history(empty_session: Session) -> None:
    make_engineer(empty_session)
    risk_id = _raise(empty_session)
    risks.edit(empty_session, risk_id, risks.RiskEdit(likelihood=5, blocking=False, owner="lena"))
    risks.edit(empty_session, risk_id, risks.RiskEdit(likelihood=5))  # no change: no history
    edited = _view(empty_session, risk_id)
    assert (edited.likelihood, edited.blocking, edited.owner) == (5, False, "lena")
    notes = [e.note for e in risks.history(empty_session, risk_id)]
    assert notes == ["", "likelihood 3 → 5; blocking 1 → 0; owner none → lena"]
    with pytest.raises(ValidationError):
        risks.RiskEdit(impact=6)


def test_filters_and_the_matrix(empty_session: Session) -> None:
    make_engineer(empty_session)
    item = add_items(empty_session.workspace, [NewItem(title="Social login")])[0]
    key = empty_session.workspace.query_one("SELECT key FROM items WHERE id = ?", [item])[0]
    a = _raise(empty_session, "OAuth", item_key=key, owner="sam", likelihood=5, impact=5)
    _raise(empty_session, "Rate limits", category=RiskCategory.DEPENDENCY, likelihood=2, impact=2)
    c = _raise(empty_session, "Pen test late", likelihood=5, impact=5, follow_up=date(2026, 11, 1))
    risks.decide(empty_session, c, RiskStatus.MITIGATED, "Booked a slot")
    everything = risks.listing(empty_session)
    assert [r.score for r in everything] == [25, 25, 4]  # highest score first
    grid = risks.Register.of(empty_session, RiskFilter()).cells
    assert grid[(5, 5)] == 2 and grid[(2, 2)] == 1 and sum(grid.values()) == 3
    live = RiskFilter(statuses=frozenset({RiskStatus.OPEN, RiskStatus.OWNED}))
    assert [
        r.id for r in risks.listing(empty_session, live.model_copy(update={"cell": (5, 5)}))
    ] == [a]
    assert [r.title for r in risks.listing(empty_session, RiskFilter(item_key=key))] == ["OAuth"]
    assert [r.title for r in risks.listing(empty_session, RiskFilter(owner="SAM"))] == ["OAuth"]
    assert [
        r.title for r in risks.listing(empty_session, RiskFilter(category=RiskCategory.DEPENDENCY))
    ] == ["Rate limits"]
    pen = _view(empty_session, c)
    assert not pen.overdue(TODAY)  # mitigated: its follow-up no longer matters
    risks.decide(empty_session, c, RiskStatus.OPEN)
    assert _view(empty_session, c).overdue(TODAY)


def test_two_people_editing_or_deciding_at_once_lose_nothing(
    empty_session: Session, workspace_path
) -> None:
    make_engineer(empty_session)
    from planner_tui.services.context import open_session

    risk_id = _raise(empty_session, mitigation="Review scopes")
    seen = risks.RiskEdit(likelihood=3, mitigation="Review scopes")
    sam = open_session(workspace_path, "sam")
    make_engineer(sam)
    try:
        risks.edit(sam, risk_id, risks.RiskEdit(likelihood=2), risks.RiskEdit(likelihood=3))
        # maya changes only the mitigation: sam's likelihood stays.
        risks.edit(
            empty_session,
            risk_id,
            risks.RiskEdit(likelihood=3, mitigation="Review scopes; kill switch"),
            seen,
        )
        view = _view(empty_session, risk_id)
        assert (view.likelihood, view.mitigation) == (2, "Review scopes; kill switch")
        with pytest.raises(InvalidInput, match=r"changed R-.*likelihood meanwhile"):
            risks.edit(empty_session, risk_id, risks.RiskEdit(likelihood=5), seen)
        risks.decide(sam, risk_id, RiskStatus.RESOLVED, seen=RiskStatus.OPEN)
        with pytest.raises(InvalidInput, match="made resolved by sam meanwhile"):
            risks.decide(empty_session, risk_id, RiskStatus.ACCEPTED, "why", seen=RiskStatus.OPEN)
        assert _view(empty_session, risk_id).status is RiskStatus.RESOLVED
    finally:
        sam.workspace.close()


def test_risks_on_a_trashed_item_wait_in_the_trash_with_it(empty_session: Session) -> None:
    from planner_tui.store.items import delete_items, restore_items
    from planner_tui.store.overview import load_overview

    ws = empty_session.workspace
    (item_id,) = add_items(ws, [NewItem(title="Social login")])
    _raise(empty_session, item_key="PLN-1", category=RiskCategory.SECURITY)
    _raise(empty_session, "Vendor outage", category=RiskCategory.DEPENDENCY)

    def shown() -> tuple[list[str], int, int]:
        glance = load_overview(ws, TODAY.isoformat())
        live = sum(glance.open_risks_by_severity.values())
        titles = sorted(r.title for r in risks.listing(empty_session))
        return titles, live, glance.blocking_risks

    assert shown() == (["OAuth widens the attack surface", "Vendor outage"], 2, 1)
    delete_items(ws, [item_id])
    assert shown() == (["Vendor outage"], 1, 0)
    restore_items(ws, [item_id])
    assert shown()[1:] == (2, 1)


def test_the_register_counts_and_pages_as_a_full_read_would(empty_session: Session) -> None:
    """The kept tally, the paged list and the cursor's place agree with reading every risk
    and filtering in Python, through edits, decisions, deletions and a trashed item."""
    import random

    from planner_tui.domain.risk import LIVE
    from planner_tui.domain.risk_view import RiskView
    from planner_tui.services.rows import from_row
    from planner_tui.store.health import _tally_matches
    from planner_tui.store.items import delete_items, restore_items

    make_engineer(empty_session)
    ws = empty_session.workspace
    pick = random.Random(7)
    item_ids = add_items(ws, [NewItem(title=f"Item {n}") for n in range(4)])
    keys = [ws.query_one("SELECT key FROM items WHERE id = ?", [i])[0] for i in item_ids]
    for n in range(80):
        _raise(
            empty_session,
            f"Risk {n}",
            likelihood=pick.randint(1, 5),
            impact=pick.randint(1, 5),
            category=pick.choice(list(RiskCategory)),
            blocking=pick.random() < 0.2,
            item_key=pick.choice([None, *keys]),
            owner=pick.choice([None, "Sam", "Ayşe"]),
        )
    ids = [row[0] for row in ws.query("SELECT id FROM risks")]
    for risk_id in pick.sample(ids, 25):
        with ws.write() as conn:
            conn.execute(
                "UPDATE risks SET status = ?, likelihood = ?, blocking = ? WHERE id = ?",
                [pick.choice(list(RiskStatus)).value, pick.randint(1, 5), pick.random() < 0.5,
                 risk_id],
            )  # fmt: skip
    with ws.write() as conn:
        conn.execute("DELETE FROM risk_events WHERE risk_id IN (?, ?)", ids[:2])
        conn.execute("DELETE FROM risks WHERE id IN (?, ?)", ids[:2])
    delete_items(ws, [item_ids[0]])

    def full_read() -> list[RiskView]:
        """Every risk not on a trashed item, read whole and sorted here."""
        rows = ws.query(
            """SELECT r.*, i.key AS item_key, p.name AS owner FROM risks r
               LEFT JOIN items i ON i.id = r.item_id LEFT JOIN people p ON p.id = r.owner_id
               WHERE i.deleted_at IS NULL"""
        )
        everyone = [from_row(RiskView, row) for row in rows]
        return sorted(everyone, key=lambda r: (-r.score, -r.id))

    filters = [
        RiskFilter(),
        RiskFilter(statuses=LIVE),
        RiskFilter(statuses=LIVE, category=RiskCategory.SECURITY),
        RiskFilter(cell=(3, 3)),
        RiskFilter(owner="ayşe"),
        RiskFilter(item_key=keys[1].lower(), statuses=LIVE),
        RiskFilter(item_key="nope"),
    ]
    for restored in (False, True):
        if restored:
            restore_items(ws, [item_ids[0]])
        everything = full_read()
        for keep in filters:
            kept = [r for r in everything if keep.keeps(r)]
            register = risks.Register.of(empty_session, keep)
            assert register.shown == len(kept), keep
            assert register.counts.live == sum(1 for r in everything if r.status in LIVE)
            assert register.counts.blocking == sum(1 for r in everything if r.blocks)
            around = keep.model_copy(update={"cell": None})
            expected_cells = {
                (lk, im): sum(
                    1
                    for r in everything
                    if around.keeps(r) and (r.likelihood, r.impact) == (lk, im)
                )
                for lk in range(1, 6)
                for im in range(1, 6)
            }
            assert register.cells == expected_cells
            paged = [r for start in range(0, len(kept), 7) for r in risks.page(
                empty_session, register, start, 7)]  # fmt: skip
            assert [r.id for r in paged] == [r.id for r in kept]
            for index, risk in enumerate(kept):
                assert risks.position(empty_session, register, risk) == index
    assert _tally_matches(ws)
