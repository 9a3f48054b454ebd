"""The Risks screen's modals: raise a risk, decide one. They return what was typed; save nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, OptionList
from textual.widgets.option_list import Option

from planner_tui.domain.enums import RiskCategory, RiskStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import NewRisk
from planner_tui.domain.retro import parse_due
from planner_tui.domain.risk import CLEARING
from planner_tui.domain.risk_view import RiskView
from planner_tui.domain.text import one_line, sentence
from planner_tui.screens.modal import Modal, whole
from planner_tui.widgets.tick_box import TickBox
from planner_tui.widgets.user_text import StoredInput, safe


class RaiseRiskModal(Modal[NewRisk]):
    """Title, category, likelihood and impact, owner, mitigation, follow-up, what it is against."""

    ASK_BEFORE_DISCARD = True
    BINDINGS = [
        *Modal.BINDINGS,
        Binding("enter", "submit", "Raise", id="raise_risk.submit", priority=True),
    ]

    def __init__(
        self,
        today: date,
        *,
        item_key: str = "",
        sprint: str = "",
        people: list[str] | None = None,
        sprints: list[str] | None = None,
        existing: RiskView | None = None,
        draft: NewRisk | None = None,
        error: str = "",
    ) -> None:
        super().__init__()
        self._existing = existing
        self._draft = draft
        self._error_text = error
        self._today = today
        self._item_key = item_key
        self._sprint = sprint
        self._people = people or []
        self._sprints = sprints or []

    def _initial(self) -> dict[str, str]:
        """What the fields start with: the risk being edited, a draft that failed, or defaults."""
        was, draft = self._existing, self._draft
        source = was or draft
        if source is None:
            return {"category": "technical", "likelihood": "3", "impact": "3",
                    "item": self._item_key, "sprint": self._sprint}  # fmt: skip
        return {
            "title": source.title,
            "description": source.description,
            "category": source.category.value,
            "likelihood": str(source.likelihood),
            "impact": str(source.impact),
            "item": (draft.item_key or "") if draft else "",
            "sprint": (draft.sprint_name or "") if draft else "",
            "owner": source.owner or "",
            "mitigation": source.mitigation,
            "follow-up": source.follow_up.isoformat() if source.follow_up else "",
        }

    def compose(self) -> ComposeResult:
        was = self._existing
        start = self._initial()
        with Vertical(classes="modal") as box:
            if was is None:
                box.border_title = "Raise a risk"
                box.border_subtitle = "enter raises · space ticks · escape cancels"
            else:
                box.border_title = Text(f"Edit R-{was.id}")
                box.border_subtitle = "enter saves · space ticks · escape cancels"
            yield Label("Title")
            yield StoredInput(
                start.get("title", ""),
                id="risk-title",
                placeholder="e.g. The payment API has rate limits",
                select_on_focus=False,
            )
            yield Label("What could happen (optional)")
            yield StoredInput(start.get("description", ""), id="risk-description")
            yield Label("Category: " + ", ".join(c.value for c in RiskCategory) + " (→ completes)")
            yield Input(
                start["category"],
                id="risk-category",
                suggester=SuggestFromList([c.value for c in RiskCategory], case_sensitive=False),
            )
            yield Label("Likelihood, then impact: 1 (rare, minor) to 5 (near certain, severe)")
            yield Input(start["likelihood"], id="risk-likelihood", type="integer")
            yield Input(start["impact"], id="risk-impact", type="integer")
            if was is None:
                yield Label("Against item (its key; empty: the whole workspace)")
                yield StoredInput(start.get("item", ""), id="risk-item", placeholder="an item key")
                yield Label("Against sprint (name, optional; → completes)")
                yield StoredInput(start.get("sprint", ""), id="risk-sprint", choices=self._sprints)
            yield Label("Owner (optional)")
            yield StoredInput(start.get("owner", ""), id="risk-owner", choices=self._people)
            yield Label("Mitigation (optional)")
            yield StoredInput(start.get("mitigation", ""), id="risk-mitigation")
            yield Label("Follow up on (2026-12-01, or +7; optional)")
            yield Input(start.get("follow-up", ""), id="risk-follow-up")
            source = was or self._draft
            blocking = source.blocking if source else False
            yield TickBox(
                "Blocking (security risks block unless unticked)",
                bool(blocking),
                id="risk-blocking",
            )
            yield Label(safe(self._error_text), classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#risk-title", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        was = self._existing or self._draft
        if event.input.id == "risk-category" and not (was and event.value == was.category.value):
            security = event.value.strip().casefold() == RiskCategory.SECURITY.value
            self.query_one("#risk-blocking", Checkbox).value = security

    def _value(self, name: str) -> str:
        field = self.query_one(f"#risk-{name}", Input)
        return (field.stored_value if isinstance(field, StoredInput) else field.value).strip()

    def action_submit(self) -> None:
        from pydantic import ValidationError

        from planner_tui.services.errors import friendly

        category = next(
            (c for c in RiskCategory if c.value == self._value("category").casefold()), None
        )
        if category is None:
            self._error("Category: one of " + ", ".join(c.value for c in RiskCategory) + ".")
            return
        likelihood, impact = whole(self._value("likelihood")), whole(self._value("impact"))
        if likelihood is None or impact is None or not (1 <= likelihood <= 5 and 1 <= impact <= 5):
            self._error("Likelihood and impact: whole numbers from 1 to 5.")
            return
        if not self._known_or_confirmed(self._value("owner"), self._people):
            self.query_one("#risk-owner", Input).focus()
            return
        try:
            follow_up = parse_due(self._value("follow-up"), self._today)
            risk = NewRisk(
                title=self._value("title"),
                description=self._value("description"),
                sprint_name=None if self._existing else self._value("sprint") or None,
                category=category,
                likelihood=likelihood,
                impact=impact,
                owner=self._value("owner") or None,
                mitigation=self._value("mitigation"),
                follow_up=follow_up,
                item_key=None if self._existing else self._value("item").upper() or None,
                blocking=self.query_one("#risk-blocking", Checkbox).value,
            )
        except (InvalidInput, ValidationError) as error:
            self._error(sentence(friendly(error)))
            return
        self.dismiss(risk)


@dataclass(frozen=True)
class Decision:
    """A ROAM decision as chosen."""

    to: RiskStatus
    note: str
    owner: str | None
    scores: tuple[int, int] | None = None
    """(likelihood, impact) after the decision: a mitigated risk is scored again."""


_MEANING = {
    RiskStatus.RESOLVED: "Resolved: it can no longer happen",
    RiskStatus.OWNED: "Owned: someone manages it (still blocks)",
    RiskStatus.ACCEPTED: "Accepted: we go ahead knowing it (say why)",
    RiskStatus.MITIGATED: "Mitigated: its likelihood or impact is reduced",
    RiskStatus.OPEN: "Reopen: it needs deciding again",
}


class DecideModal(Modal[Decision]):
    """Choose Resolved, Owned, Accepted or Mitigated (or reopen), with a note and an owner."""

    def __init__(
        self,
        title: str,
        current: RiskStatus,
        owner: str | None,
        people: list[str],
        *,
        veto: str = "",
        scores: tuple[int, int] = (3, 3),
    ) -> None:
        """`veto`: why the person deciding may not lift this risk (empty when they may);
        `scores`: its likelihood and impact now, the start of the scores after mitigation."""
        super().__init__()
        self._title = title
        self._current = current
        self._owner = owner
        self._people = people
        self._veto = veto
        self._scores = scores
        self._same_scores_asked = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = Text(f"Decide “{one_line(self._title, 40)}”")  # typed text
            box.border_subtitle = "↑ ↓ choose · tab: note, owner · enter decides · escape cancels"
            yield OptionList(
                *(
                    Option(
                        Text(_MEANING[status]),
                        id=status.value,
                        disabled=bool(self._veto) and status in CLEARING,
                    )
                    for status in _MEANING
                    if status is not self._current
                ),
                id="decide-status",
            )
            if self._veto:
                yield Label(Text(self._veto), classes="modal-veto")
            yield Label("Note (why; needed to accept)")
            yield Input(id="decide-note")
            yield Label("Owner")
            yield StoredInput(self._owner or "", id="decide-owner", choices=self._people)
            likelihood, impact = self._scores
            yield Label(
                "Mitigated: likelihood and impact now (1 to 5 each)", id="decide-scores-label"
            )
            yield Input(f"{likelihood} {impact}", id="decide-scores")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        choices = self.query_one("#decide-status", OptionList)
        choices.highlighted = next(
            (n for n in range(choices.option_count) if not choices.get_option_at_index(n).disabled),
            0,
        )
        choices.focus()
        self._show_scores()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_scores()

    def _chosen(self) -> RiskStatus:
        choices = self.query_one("#decide-status", OptionList)
        return RiskStatus(choices.get_option_at_index(choices.highlighted or 0).id or "")

    def _show_scores(self) -> None:
        """The scores are asked only for Mitigated: what is left of the risk."""
        shown = self._chosen() is RiskStatus.MITIGATED
        for widget in self.query("#decide-scores-label, #decide-scores"):
            if widget.display != shown:
                widget.display = shown

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a decision: done, unless it needs a reason (Accepted) or an owner (Owned)."""
        event.stop()
        self._decide()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._decide()

    def _decide(self) -> None:
        to = self._chosen()
        note = self.query_one("#decide-note", Input).value.strip()
        owner = self.query_one("#decide-owner", StoredInput).stored_value.strip() or None
        if to is RiskStatus.ACCEPTED and not note:
            self._error("Accepted: say why (tab to the note); it is kept with your name.")
            self.query_one("#decide-note", Input).focus()
            return
        if to is RiskStatus.OWNED and not owner:
            self._error("Who owns it? Type a name.")
            self.query_one("#decide-owner", Input).focus()
            return
        if owner != self._owner and not self._known_or_confirmed(owner or "", self._people):
            self.query_one("#decide-owner", Input).focus()
            return
        scores = None
        if to is RiskStatus.MITIGATED:
            box = self.query_one("#decide-scores", Input)
            parts = [whole(part) for part in box.value.replace(",", " ").split()]
            if len(parts) != 2 or not all(part is not None and 1 <= part <= 5 for part in parts):
                self._error("Likelihood and impact after mitigation: two numbers 1 to 5, e.g. 2 3.")
                box.focus()
                return
            scores = (int(parts[0] or 0), int(parts[1] or 0))
            if scores == self._scores and not self._same_scores_asked:
                self._same_scores_asked = True  # mitigated yet scored as before: ask once
                self._error(
                    f"Still likelihood {scores[0]} and impact {scores[1]} after mitigation? "
                    "Lower them (tab to the scores), or enter again keeps them."
                )
                return
        self.dismiss(Decision(to=to, note=note, owner=owner, scores=scores))


class FilterModal(Modal[tuple[str, str, str]]):
    """Only the risks of one item, sprint or owner (empty: any)."""

    BINDINGS = [
        *Modal.BINDINGS,
        Binding("enter", "submit", "Filter", id="risk_filter.submit", priority=True),
    ]

    def __init__(self, item: str, sprint: str, owner: str) -> None:
        super().__init__()
        self._values = (item, sprint, owner)

    def compose(self) -> ComposeResult:
        item, sprint, owner = self._values
        with Vertical(classes="modal") as box:
            box.border_title = "Filter the risks"
            box.border_subtitle = "enter filters · empty fields match anything · escape cancels"
            yield Label("Item key")
            yield StoredInput(item, id="filter-item", placeholder="e.g. PLN-12")
            yield Label("Sprint")
            yield StoredInput(sprint, id="filter-sprint")
            yield Label("Owner")
            yield StoredInput(owner, id="filter-owner")

    def on_mount(self) -> None:
        self.query_one("#filter-item", Input).focus()

    def action_submit(self) -> None:
        item, sprint, owner = (
            self.query_one(f"#filter-{name}", StoredInput).stored_value.strip()
            for name in ("item", "sprint", "owner")
        )
        self.dismiss((item, sprint, owner))
