"""Risks: every risk by score, filtered; the 5x5 matrix; ROAM decisions with their history."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from planner_tui.domain.enums import RiskCategory, RiskStatus
from planner_tui.domain.models import NewRisk
from planner_tui.domain.risk import LIVE
from planner_tui.domain.risk_view import RiskFilter, RiskView
from planner_tui.domain.text import one_line, visible
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice, ExportPart
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import directory, risks
from planner_tui.services.pages import Pages
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.risk_head import head_text
from planner_tui.widgets.risk_matrix import SEVERITY_STYLE, RiskMatrix
from planner_tui.widgets.row_view import RowColumn, RowView
from planner_tui.widgets.text_panel import TextPanel
from planner_tui.widgets.titlebar import TitleBar
from planner_tui.widgets.user_text import show_text

if TYPE_CHECKING:
    from planner_tui.screens.risk_modals import Decision
from planner_tui.screens.risk_raise import raise_risk_from

_STATUS_VIEWS = (
    ("live (open, owned)", frozenset(LIVE)),
    ("all", frozenset(RiskStatus)),
    ("decided", frozenset(RiskStatus) - LIVE),
)


class RisksScreen(PlannerScreen[None]):
    """The risk register: the list on the left, the matrix and the chosen risk on the right."""

    WRITE_ACTIONS = frozenset({"raise_risk", "edit", "decide"})

    CSS_PATH = str(styles_dir() / "risks.tcss")
    AUTO_FOCUS = "#risks"
    BINDINGS = [
        Binding("r", "raise_risk", "Raise", id="risks.raise", tooltip="Raise a new risk here"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="risks.edit",
            tooltip="Change the risk's title, scores, owner, mitigation, follow-up or blocking",
        ),
        Binding(
            "d",
            "decide",
            "Decide",
            id="risks.decide",
            tooltip="Resolve, own, accept or mitigate the risk, or reopen it",
        ),
        Binding(
            "s",
            "statuses",
            "Status",
            id="risks.statuses",
            tooltip="Show live risks, all, or decided ones",
        ),
        Binding("k", "category", "Category", id="risks.category", tooltip="One category at a time"),
        Binding(
            "m",
            "matrix",
            "Matrix",
            id="risks.matrix",
            tooltip="Move to the matrix: arrows pick a cell, enter shows only its risks",
        ),
        Binding(
            "f",
            "filter",
            "Filter",
            id="risks.filter",
            tooltip="Only one item's, sprint's or owner's risks",
        ),
        Binding("x", "clear", "Clear", id="risks.clear", tooltip="Clear the filters"),
        Binding(
            "escape,h",
            "back",
            "Home",
            id="risks.home",
            show=False,
            tooltip="Back to the list, or the home screen",
        ),
    ]

    def export_choices(self) -> list[ExportChoice]:
        """The risks as CSV and as Markdown, for the Export dialog."""

        part: ExportPart = {"what": "risks"}
        return [
            ExportChoice("csv", "CSV: the risks (for spreadsheets)", "risks", part),
            ExportChoice("markdown", "Markdown: the risks", "risks", part),
        ]

    def __init__(self) -> None:
        super().__init__(id="risks-screen")
        self.keep = RiskFilter(statuses=_STATUS_VIEWS[0][1])
        self._act = MoveQueue(self, "risks-act", self.reload)
        self._names: list[str] = []
        self._register: risks.Register | None = None
        self._pages: Pages[RiskView] = Pages(lambda offset, limit: ())
        """The risks shown, read a page at a time (read afresh on every reload)."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="risks-head")
        with Horizontal(id="risks-body"):
            yield RowView(id="risks", follow=self._cursor_moved)
            with Vertical(id="risk-side"):
                yield RiskMatrix(id="risk-matrix")
                with VerticalScroll(id="risk-detail-box"):
                    yield TextPanel(id="risk-detail")
        yield KeyBar()

    def _columns(self) -> list[RowColumn]:
        if self.size.width >= 110:
            columns = [RowColumn("Score", 5), RowColumn("Status", 9), RowColumn("Risk")]
            columns += [
                RowColumn("Against", 10),
                RowColumn("Owner", 10),
                RowColumn("Follow up", 12),
            ]
        else:  # narrow: status and the rest are in the panel beside the list
            columns = [RowColumn("Score", 5), RowColumn("Risk"), RowColumn("Against", 8)]
        return columns

    def on_resize(self) -> None:
        """Wide or narrow: the list shows other columns; nothing is read again."""
        if self.is_mounted and [c.heading for c in self._columns()] != self._names:
            self._show_rows(None)

    def on_screen_resume(self) -> None:
        self.read_as_shown()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Someone raised, decided or edited a risk elsewhere: list them afresh."""
        if kinds & {"risk", "item", "person", "workspace"}:
            self.reload_soon()

    @property
    def shown_count(self) -> int:
        """How many risks the filters keep (the list's length)."""
        return self._register.shown if self._register else 0

    def reload(self) -> None:
        """Count the register for the filters, then draw the head, the matrix and the list.

        Nothing here reads every risk: the counts come from the kept tally, and the list
        reads a page of rows as it scrolls to it."""
        from planner_tui.services.errors import USER_ERRORS, friendly

        current = self._current()
        try:
            register = risks.Register.of(self.session, self.keep)
            overdue = risks.overdue(self.session, self.clock())
            # The cursor stays on its risk if the filters still show it, else goes to the top.
            kept = current is not None and self.keep.keeps(current)
            at = risks.position(self.session, register, current) if current and kept else 0
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        self._register = register
        self._pages = Pages(partial(risks.page, self.session, register))
        self.query_one(RiskMatrix).show(register.cells, self.keep.cell)
        status_name = next(name for name, s in _STATUS_VIEWS if s == self.keep.statuses)
        head = head_text(register.counts, overdue, register.shown, self.keep, status_name)
        show_text(self.query_one("#risks-head", Static), head)
        self._show_rows(at)
        self._draw_detail()

    def risk_at(self, index: int) -> RiskView | None:
        """The `index`-th risk shown, read with its page (None past the end)."""
        register = self._register
        if register is None or not 0 <= index < register.shown:
            return None
        return self._pages.at(index)  # (None if unreadable: drawn blank, read again later)

    def _show_rows(self, cursor: int | None) -> None:
        """Hand the list its length and how to make a row; the cursor on `cursor`."""
        columns = self._columns()
        self._names = [column.heading for column in columns]
        self.query_one("#risks", RowView).show(columns, self.shown_count, self._cells, cursor)

    def _cells(self, index: int) -> list[Text]:
        """One risk's cells, for the columns shown."""
        risk = self.risk_at(index)
        if risk is None:
            return [Text("…")]
        overdue = risk.overdue(self.clock())
        title = Text(one_line(risk.title, 200))
        if risk.blocks:
            title = Text.assemble(("⛔ ", "bold red"), title)
        if overdue and "Follow up" not in self._names:  # marked here instead
            title = Text.assemble(("! ", "bold red"), title)
        cells = {
            "Score": Text(f"{risk.score:>2}", style=SEVERITY_STYLE[risk.severity]),
            "Status": Text(risk.status.value, style="bold" if risk.status in LIVE else "dim"),
            "Risk": title,
            "Against": Text(one_line(risk.item_key or risk.sprint or "—", 20), style="dim"),
            "Owner": Text(one_line(risk.owner or "—", 20)),
            "Follow up": Text(
                (risk.follow_up.isoformat() if risk.follow_up else "—") + (" !" if overdue else ""),
                style="bold red" if overdue else "",
            ),
        }
        return [cells[name] for name in self._names]

    def _current(self) -> RiskView | None:
        row = self.query_one("#risks", RowView).cursor_row
        return self.risk_at(row) if row is not None else None

    def _cursor_moved(self, event: RowView.Highlighted) -> None:
        self._draw_detail()

    def _draw_detail(self) -> None:
        from planner_tui.services.errors import USER_ERRORS

        risk = self._current()
        detail = self.query_one("#risk-detail", TextPanel)
        if risk is None:
            detail.show(Text("No risk here.", style="dim"))
            return
        try:
            events = risks.history(self.session, risk.id)
            lifted_by = risks.veto(self.session, risk)
        except USER_ERRORS:
            events, lifted_by = [], risks.Veto()
        text = Text.assemble(
            (f"R-{risk.id} ", "dim"),
            (one_line(risk.title, 300), "bold"),
            f"\n{risk.category.value} · likelihood {risk.likelihood} × impact {risk.impact}"
            f" = {risk.score} ({risk.severity.value})",
            f"\n{risk.status.value}",
            (
                f" by {one_line(risk.decided_by, 20)} {risk.decided_at:%Y-%m-%d}"
                if risk.decided_by and risk.decided_at
                else ""
            ),
            (
                "\nblocking"
                if risk.blocks
                else ("\nblocking, cleared by the decision" if risk.blocking else "\nnot blocking"),
                "bold red" if risk.blocks else "dim",
            ),
            (f"\n{one_line(lifted_by.line)}" if lifted_by.line else "", "bold"),
            f"\nraised by {one_line(risk.raised_by, 20)} {risk.raised_at:%Y-%m-%d}",
            f"\nowner {one_line(risk.owner or 'none', 20)}",
        )
        if risk.follow_up:
            late = " (overdue)" if risk.overdue(self.clock()) else ""
            text.append(f"\nfollow up {risk.follow_up.isoformat()}{late}")
        if risk.sprint:
            text.append(f"\nsprint {one_line(risk.sprint, 40)}")
        if risk.decision_note:
            text.append(f"\nwhy: {one_line(risk.decision_note, 200)}", style="italic")
        if risk.item_key:
            text.append(
                f"\nagainst {one_line(risk.item_key, 20)} {one_line(risk.item_title or '', 60)}"
            )
        if risk.description:
            text.append(f"\n\n{visible(risk.description)}")
        if risk.mitigation:
            text.append(f"\n\nMitigation: {visible(risk.mitigation)}")
        text.append("\n\nHistory, newest first", style="bold")
        for event in reversed(events):
            change = (
                f"{event.from_status.value} → {event.to_status.value}"
                if event.from_status and event.from_status is not event.to_status
                else ("raised" if event.from_status is None else "edited")
            )
            text.append(f"\n{event.at:%Y-%m-%d %H:%M} {one_line(event.actor, 20)}: {change}")
            if event.note:
                text.append(f"\n  {one_line(event.note, 200)}", style="italic")
        detail.show(text)

    # --- filters -----------------------------------------------------------------------

    def action_statuses(self) -> None:
        index = next(i for i, (_, s) in enumerate(_STATUS_VIEWS) if s == self.keep.statuses)
        following = _STATUS_VIEWS[(index + 1) % len(_STATUS_VIEWS)][1]
        self.keep = self.keep.model_copy(update={"statuses": following})
        self.reload()

    def action_category(self) -> None:
        order: list[RiskCategory | None] = [None, *RiskCategory]
        following = order[(order.index(self.keep.category) + 1) % len(order)]
        self.keep = self.keep.model_copy(update={"category": following})
        self.reload()

    def action_matrix(self) -> None:
        self.set_focus(self.query_one(RiskMatrix))

    def on_risk_matrix_chosen(self, event: RiskMatrix.Chosen) -> None:
        cell = None if self.keep.cell == event.cell else event.cell  # again: the filter goes
        self.keep = self.keep.model_copy(update={"cell": cell})
        self.reload()
        self.set_focus(self.query_one("#risks", RowView))

    def action_filter(self) -> None:
        from planner_tui.screens.risk_modals import FilterModal

        keep = self.keep
        self.app.push_screen(
            FilterModal(keep.item_key or "", keep.sprint or "", keep.owner or ""), self._filtered
        )

    def _filtered(self, values: tuple[str, str, str] | None) -> None:
        if values is None:
            return
        item, sprint, owner = values
        self.keep = self.keep.model_copy(
            update={"item_key": item or None, "sprint": sprint or None, "owner": owner or None}
        )
        self.reload()

    def action_clear(self) -> None:
        self.keep = RiskFilter(statuses=_STATUS_VIEWS[0][1])
        self.reload()

    def action_back(self) -> None:
        if self.query_one(RiskMatrix).has_focus:
            self.set_focus(self.query_one("#risks", RowView))
        else:
            self.host.action_go("home")

    # --- moves -------------------------------------------------------------------------

    def action_raise_risk(self) -> None:
        raise_risk_from(self.app, "")

    def action_edit(self) -> None:
        from planner_tui.screens.risk_modals import RaiseRiskModal

        risk = self._current()
        if risk is None:
            return
        people = directory.known_people(self.session)
        modal = RaiseRiskModal(self.clock(), people=people, existing=risk)
        self.app.push_screen(modal, partial(self._edited, risk))

    def _edited(self, was: RiskView, risk: NewRisk | None) -> None:
        if risk is None:
            return
        changes = _edit_of(risk, risk.is_blocking)
        seen = _edit_of(was, was.blocking)
        self._act(partial(risks.edit, self.session, was.id, changes, seen), f"R-{was.id} saved")

    def action_decide(self) -> None:
        from planner_tui.screens.risk_modals import DecideModal

        risk = self._current()
        if risk is None:
            return
        people = directory.known_people(self.session)
        lifted_by = risks.veto(self.session, risk)
        self.app.push_screen(
            DecideModal(
                risk.title,
                risk.status,
                risk.owner,
                people,
                veto="" if lifted_by.mine else one_line(lifted_by.line),
                scores=(risk.likelihood, risk.impact),
            ),
            partial(self._decided, risk.id, risk.status),
        )

    def _decided(self, risk_id: int, seen: RiskStatus, decision: Decision | None) -> None:
        if decision is not None:
            self._act(
                partial(
                    risks.decide,
                    self.session,
                    risk_id,
                    decision.to,
                    decision.note,
                    decision.owner,
                    seen=seen,
                    scores=decision.scores,
                ),
                f"R-{risk_id}: {decision.to.value}",
            )


def _edit_of(source: RiskView | NewRisk, blocking: bool) -> risks.RiskEdit:
    """Every editable field of `source` (a risk as shown, or as typed); an empty owner: none."""
    fields = ("title", "description", "category", "likelihood", "impact", "mitigation",
              "follow_up")  # fmt: skip
    values = {name: getattr(source, name) for name in fields}
    return risks.RiskEdit(**values, blocking=blocking, owner=source.owner or "")
