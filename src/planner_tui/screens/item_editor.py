"""The item editor: every field of a backlog item, validated before anything is saved.

A modal that returns a validated `NewItem` (or None); the backlog screen saves it.
"""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.models import NewItem, SuccessMetric
from planner_tui.domain.option_lines import OPTIONS_HELP, options_from_text, options_to_text
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.modal import DiscardModal
from planner_tui.widgets.user_text import StoredInput, StoredTextArea, safe


def _number(text: str, field: str, *, whole: bool) -> float | int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"{field} must be {kind}") from None


class _Field(Vertical):
    """A label, the input widget and the line for its error message."""

    def __init__(self, label: str, widget: Widget, *, name: str) -> None:
        super().__init__(classes="field", id=f"field-{name}")
        self._label = label
        self._widget = widget

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field-label")
        yield self._widget
        yield Label("", classes="field-error")


class ItemEditor(ModalScreen[NewItem | None]):
    """Edit (or create) an item. ctrl+s saves; escape cancels, asking first if anything changed."""

    CSS_PATH = str(styles_dir() / "item_editor.tcss")
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    def __init__(
        self,
        item: NewItem | None = None,
        *,
        key: str = "",
        error: str = "",
        field_errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._field_errors = field_errors or {}
        self._item = item or NewItem(title="untitled")
        self._new = item is None
        self._key = key
        self._error = error
        self._initial: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        item = self._item
        metric = item.metric
        title = "" if self._new else item.title
        with VerticalScroll(id="editor") as box:
            box.border_title = Text(
                f"Edit {one_line(self._key)}" if self._key else "New backlog item"
            )
            box.border_subtitle = "ctrl+s saves · escape cancels"
            yield Label(safe(self._error), id="editor-error")
            yield _Field(
                "Title",
                StoredInput(title, id="title", compact=True, select_on_focus=False),
                name="title",
            )
            with Horizontal(classes="row"):
                yield _Field(
                    "Kind",
                    Select(
                        [(k.value, k.value) for k in ItemKind],
                        value=item.kind.value,
                        allow_blank=False,
                        id="kind",
                        compact=True,
                    ),
                    name="kind",
                )
                yield _Field(
                    "Status",
                    Select(
                        [(s.value, s.value) for s in ItemStatus],
                        value=item.status.value,
                        allow_blank=False,
                        id="status",
                        compact=True,
                    ),
                    name="status",
                )
                yield _Field(
                    "Value (1–10)", Input(_text(item.value), id="value", compact=True), name="value"
                )
                yield _Field(
                    "Estimate",
                    Input(_text(item.estimate), id="estimate", compact=True),
                    name="estimate",
                )
            yield _Field(
                "Problem: who has what problem?",
                StoredTextArea(item.problem, id="problem", compact=True),
                name="problem",
            )
            yield _Field(
                "Description",
                StoredTextArea(item.description, id="description", compact=True),
                name="description",
            )
            yield _Field(
                "Acceptance criteria, one per line",
                StoredTextArea(item.acceptance, id="acceptance", compact=True),
                name="acceptance",
            )
            with Horizontal(classes="row"):
                yield _Field(
                    "Expected impact",
                    StoredInput(
                        item.impact,
                        id="impact",
                        compact=True,
                        placeholder="+15% checkout conversion",
                    ),
                    name="impact",
                )
                yield _Field(
                    "Tags, comma separated",
                    StoredInput(", ".join(item.tags), id="tags", compact=True),
                    name="tags",
                )
                yield _Field(
                    "Parent epic",
                    StoredInput(
                        item.parent_key or "",
                        id="parent",
                        compact=True,
                        placeholder="key, e.g. CHK-1",
                    ),
                    name="parent",
                )
            with Horizontal(classes="row"):
                yield _Field(
                    "Success metric",
                    StoredInput(metric.name if metric else "", id="metric-name", compact=True),
                    name="metric",
                )
                yield _Field(
                    "Unit",
                    StoredInput(metric.unit if metric else "", id="metric-unit", compact=True),
                    name="metric-unit",
                )
                yield _Field(
                    "Aim",
                    Select(
                        [("higher", "higher"), ("lower", "lower")],
                        value="lower" if metric and metric.lower_better else "higher",
                        allow_blank=False,
                        id="metric-better",
                        compact=True,
                    ),
                    name="metric-better",
                )
                yield _Field(
                    "Target",
                    Input(
                        _text(metric.target if metric else None), id="metric-target", compact=True
                    ),
                    name="metric-target",
                )
                yield _Field(
                    "Actual",
                    Input(
                        _text(metric.actual if metric else None), id="metric-actual", compact=True
                    ),
                    name="metric-actual",
                )
            yield _Field(
                f"Options. {OPTIONS_HELP}",
                StoredTextArea(options_to_text(item.options), id="options", compact=True),
                name="options",
            )

    def on_mount(self) -> None:
        self._initial = self._raw()
        self.query_one("#title", Input).focus()
        if self._field_errors:
            self._show_errors(self._field_errors)

    def _raw(self) -> dict[str, object]:
        """Each field's text: the stored text, exact, for a field left as it was shown."""
        values: dict[str, object] = {}
        for widget in self.query("Input, TextArea, Select"):
            if isinstance(widget, StoredInput):
                values[widget.id or ""] = widget.stored_value
            elif isinstance(widget, StoredTextArea):
                values[widget.id or ""] = widget.stored_text
            elif isinstance(widget, Input):
                values[widget.id or ""] = widget.value
            elif isinstance(widget, TextArea):
                values[widget.id or ""] = widget.text
            elif isinstance(widget, Select):
                values[widget.id or ""] = widget.value
        return values

    def _show_errors(self, errors: dict[str, str]) -> None:
        for field in self.query(_Field):
            name = (field.id or "").removeprefix("field-")
            label = field.query_one(".field-error", Label)
            label.update(safe(errors.get(name, "")))
            label.display = name in errors
        if errors:
            first = next(iter(errors))
            field = self.query_one(f"#field-{first}", _Field)
            field.scroll_visible()
            target = field.query("Input, TextArea, Select").first()
            target.focus()

    def collect(self) -> NewItem | None:
        """The form as a validated item, or None after showing each problem by its field."""
        raw = self._raw()
        errors: dict[str, str] = {}
        numbers: dict[str, object] = {}
        for name, whole in (
            ("value", True),
            ("estimate", False),
            ("metric-target", False),
            ("metric-actual", False),
        ):
            try:
                numbers[name] = _number(str(raw[name]), name.replace("metric-", ""), whole=whole)
            except ValueError as error:
                errors[name] = str(error)
        try:
            options = options_from_text(str(raw["options"]))
        except ValueError as error:
            errors["options"] = str(error)
            options = ()
        metric = None
        figures = [numbers.get("metric-target"), numbers.get("metric-actual")]
        if not str(raw["metric-name"]).strip() and any(f is not None for f in figures):
            # (clearing only the name would drop the figures unseen)
            errors["metric"] = (
                "A target or actual needs the metric's name; clear them too to remove it"
            )
        elif str(raw["metric-name"]).strip():
            try:
                metric = SuccessMetric(
                    name=str(raw["metric-name"]),
                    unit=str(raw["metric-unit"]),
                    target=numbers.get("metric-target"),  # type: ignore[arg-type]  # parsed as a float above
                    actual=numbers.get("metric-actual"),  # type: ignore[arg-type]  # parsed as a float above
                    lower_better=raw["metric-better"] == "lower",
                )
            except ValidationError as error:
                errors["metric"] = _message(error)
        try:
            item = NewItem(
                title=str(raw["title"]),
                kind=ItemKind(str(raw["kind"])),
                status=ItemStatus(str(raw["status"])),
                problem=str(raw["problem"]),
                description=str(raw["description"]),
                acceptance=str(raw["acceptance"]),
                value=numbers.get("value"),  # type: ignore[arg-type]  # parsed whole above
                impact=str(raw["impact"]),
                estimate=numbers.get("estimate"),  # type: ignore[arg-type]  # parsed as a float above
                tags=tuple(tag.strip() for tag in str(raw["tags"]).split(",")),
                parent_key=str(raw["parent"]).strip() or None,
                metric=metric,
                options=options,
                source=self._item.source,
                external_key=self._item.external_key,
                external_url=self._item.external_url,
            )
        except ValidationError as error:
            for problem in error.errors():
                where = str(problem["loc"][0]) if problem["loc"] else "title"
                field = {"parent_key": "parent", "metric": "metric"}.get(where, where)
                if field not in {f.id.removeprefix("field-") for f in self.query(_Field) if f.id}:
                    field = "options" if where == "options" or not problem["loc"] else "title"
                errors.setdefault(field, _message_text(problem["msg"]))
            self._show_errors(errors)
            return None
        if errors:  # the model was fine, but some field could not be read
            self._show_errors(errors)
            return None
        self._show_errors({})
        return item

    def action_save(self) -> None:
        item = self.collect()
        if item is not None:
            self.dismiss(item)

    def action_cancel(self) -> None:
        if self._raw() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardModal(), answered)


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


_PLAIN_WORDS = {
    "Input should be less than or equal to 10": "runs from 1 to 10",
    "Input should be greater than or equal to 1": "runs from 1 to 10",
    "Input should be greater than or equal to 0": "cannot be negative",
}


def _message_text(message: str) -> str:
    return _PLAIN_WORDS.get(message, message.removeprefix("Value error, "))


def _message(error: ValidationError) -> str:
    return _message_text(str(error.errors()[0]["msg"]))
