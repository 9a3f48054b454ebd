"""Raising a risk from any screen: the dialog, then the write in a worker; a refusal brings the
dialog back with what was typed and why."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App

from planner_tui.domain.models import NewRisk
from planner_tui.domain.text import one_line, sentence
from planner_tui.services import directory, risks
from planner_tui.widgets.host import host_of

if TYPE_CHECKING:
    pass


def raise_risk_from(
    app: App[Any],
    item_key: str,
    draft: NewRisk | None = None,
    error: str = "",
    *,
    sprint: str = "",
) -> None:
    """Ask for a risk (against `item_key` when given) and raise it; used by every screen.

    A risk the file refuses (an item key that does not exist) comes back in the
    dialog as `draft`, with the reason in `error`: nothing typed is lost.
    """
    from planner_tui.screens.risk_modals import RaiseRiskModal

    def raised(risk: NewRisk | None) -> None:
        if risk is None:
            return
        app.run_worker(partial(_raise_in_thread, app, risk), thread=True, group="raise-risk")

    from planner_tui.services.errors import USER_ERRORS

    try:
        people, sprints = (
            directory.people(host_of(app).session),
            directory.sprints(host_of(app).session),
        )
    except USER_ERRORS:  # a busy file: no suggestions this time
        people, sprints = [], []
    modal = RaiseRiskModal(
        host_of(app).clock(),
        item_key=item_key,
        sprint=sprint,
        people=people,
        sprints=sprints,
        draft=draft,
        error=error,
    )
    app.push_screen(modal, raised)


def _raise_in_thread(app: App[Any], risk: NewRisk) -> None:
    from planner_tui.services.errors import USER_ERRORS, friendly

    try:
        risk_id = risks.raise_risk(host_of(app).session, risk)
    except USER_ERRORS as error:
        app.call_from_thread(raise_risk_from, app, "", risk, sentence(friendly(error)) + ".")
        return
    app.call_from_thread(app.notify, f"Raised R-{risk_id}: {one_line(risk.title, 40)}")
    app.call_from_thread(host_of(app).notify_screen, frozenset({"risk"}))
