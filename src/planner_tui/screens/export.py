"""Export from any screen: pick what (the screen's own part first), where; the file is written
off the UI thread and the app says where it went."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypedDict

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from planner_tui.domain.text import one_line, sentence
from planner_tui.screens.modal import Modal
from planner_tui.widgets.host import host_of
from planner_tui.widgets.user_text import StoredInput


class ExportPart(TypedDict, total=False):
    """Which part of the workspace an export holds (none of these: the whole of it)."""

    session: int
    sprint: int
    what: str


@dataclass(frozen=True)
class ExportChoice:
    """One export on offer: its format and part, how it is described, its file name's end."""

    fmt: str
    label: str
    slug: str
    part: ExportPart = field(default_factory=lambda: ExportPart())

    @property
    def suffix(self) -> str:
        """The file name's extension."""
        return {"markdown": "md", "json": "json", "csv": "csv"}[self.fmt]


GENERAL = (
    ExportChoice("markdown", "Markdown: the current sprint's summary", "sprint-summary"),
    ExportChoice("csv", "CSV: the backlog (for spreadsheets; planner import reads it)", "backlog",
                 {"what": "backlog"}),
    ExportChoice("csv", "CSV: the risks", "risks", {"what": "risks"}),
    ExportChoice("csv", "CSV: the action items", "actions", {"what": "actions"}),
    ExportChoice("markdown", "Markdown: the backlog", "backlog", {"what": "backlog"}),
    ExportChoice("json", "JSON: the whole workspace, lossless (a backup, or to move it)",
                 "workspace"),
)  # fmt: skip


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem.suffix`, or with -2, -3… so no file is overwritten unasked."""
    path = folder / f"{stem}.{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.{suffix}"
        number += 1
    return path


class ExportModal(Modal[tuple[ExportChoice, Path]]):
    """The exports on offer (this screen's first) and the file to write."""

    BINDINGS = [
        *Modal.BINDINGS,
        Binding("ctrl+s", "submit", "Export", id="export.submit", priority=True),
    ]

    def __init__(
        self, choices: list[ExportChoice], workspace: Path, *, download: bool = False
    ) -> None:
        super().__init__()
        self._choices = choices
        self._workspace = workspace
        self._folder = workspace.parent
        self._stem = workspace.stem
        self._download = download
        """A served guest's export: a file name for their browser, never a path on the box."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = "Export"
            box.border_subtitle = "↑↓ choose · tab to the file · enter exports · escape cancels"
            yield Label("What")
            yield OptionList(
                *(Option(Text(choice.label), id=str(n)) for n, choice in enumerate(self._choices)),
                id="export-what",
            )
            yield Label(
                "Download as (a file name, saved by your browser)"
                if self._download
                else "Write to (a new file unless you name one)"
            )
            yield StoredInput(id="export-path", select_on_focus=False)
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        options = self.query_one("#export-what", OptionList)
        options.highlighted = 0
        options.focus()
        self._suggest(0)

    def _suggest(self, index: int) -> None:
        choice = self._choices[index]
        if self._download:
            suggested = f"{self._stem}-{choice.slug}.{choice.suffix}"
        else:
            suggested = str(free_path(self._folder, f"{self._stem}-{choice.slug}", choice.suffix))
        self.query_one("#export-path", StoredInput).show_stored(suggested)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None:
            self._suggest(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        index = self.query_one("#export-what", OptionList).highlighted or 0
        text = self.query_one("#export-path", StoredInput).stored_value.strip()
        if not text:
            self._error("Name the file to write.")
            return
        if self._download:
            if text in (".", "..") or "/" in text or "\\" in text:
                self._error("A file name only: your browser decides the folder.")
                return
            self.dismiss((self._choices[index], Path(text)))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self._error(f"{one_line(text, 60)} is a folder: name a file in it.")
            return
        if not path.parent.is_dir():
            self._error(f"There is no folder {one_line(str(path.parent), 60)}.")
            return
        from planner_tui.domain.errors import InvalidInput
        from planner_tui.exchange.run import check_target

        try:
            check_target(path, self._workspace)
        except InvalidInput as error:
            self._error(sentence(str(error)) + ".")
            return
        refused = _cannot_write(path)
        if refused:  # said here, while the name can still be changed, not after closing
            self._error(f"Cannot write {one_line(str(path), 60)}: {refused}.")
            return
        if path.exists() and getattr(self, "_replace_ok", None) != path:
            self._replace_ok = path
            self._error(f"{one_line(str(path), 60)} exists: enter again replaces it.")
            return
        self.dismiss((self._choices[index], path))


def _cannot_write(path: Path) -> str:
    """Why `path` cannot be written (empty if it can), found without changing anything:
    an existing file is opened for writing and left as it is; for a new one, a nameless
    file is made in its folder and gone when closed."""
    try:
        if path.exists():
            with path.open("r+b"):
                pass
        else:
            with tempfile.TemporaryFile(dir=path.parent):
                pass
    except OSError as error:
        return (error.strerror or str(error)).lower()
    return ""


def export_from(app: App[Any], choices: list[ExportChoice]) -> None:
    """Offer `choices` (the screen's own) and the general exports; write the chosen one.

    A served guest writes nothing on the team box: in a browser the export is downloaded
    to their own machine; over SSH there is nowhere to put it, and the app says so.
    """
    from planner_tui.domain.invitations import is_guest

    session = host_of(app).session
    workspace = Path(session.path)
    guest = is_guest(session.account)
    if guest and not app.is_web:
        app.notify(
            "A guest's exports are downloaded by a browser, never written on the team box: "
            "open your invitation in a browser, or ask a teammate.",
            severity="warning",
        )
        return

    def same(choice: ExportChoice) -> tuple[Any, ...]:
        return choice.fmt, tuple(sorted(choice.part.items()))

    own = {same(choice) for choice in choices}
    offered = list(choices) + [c for c in GENERAL if same(c) not in own]
    modal = ExportModal(offered, workspace, download=guest)
    app.push_screen(modal, partial(_chosen, app, guest))


def _chosen(app: App[Any], download: bool, answer: tuple[ExportChoice, Path] | None) -> None:
    if answer is None:
        return
    choice, path = answer
    write = _deliver if download else _write
    app.run_worker(partial(write, app, choice, path), thread=True, group="export")


def _deliver(app: App[Any], choice: ExportChoice, name: Path) -> None:
    """A guest's export, sent to their browser as a download (nothing written on the box)."""
    import io

    from planner_tui.exchange import run
    from planner_tui.services.errors import USER_ERRORS, friendly

    try:
        result = run.exported(host_of(app).session.workspace, choice.fmt, **choice.part)
    except USER_ERRORS as error:
        app.call_from_thread(app.notify, friendly(error), severity="error")
        return
    text = ("\ufeff" if choice.fmt == "csv" else "") + result.text
    mime = {"markdown": "text/markdown", "json": "application/json", "csv": "text/csv"}
    app.call_from_thread(
        app.deliver_text,
        io.StringIO(text),
        save_filename=name.name,
        mime_type=mime[choice.fmt],
        encoding="utf-8",
    )
    said = f"Sent {name.name} to your browser"
    if result.withheld.total:
        said += f"\n{sentence(result.withheld.describe())}."
    app.call_from_thread(app.notify, said, title="Export", timeout=10)


def _write(app: App[Any], choice: ExportChoice, path: Path) -> None:
    from planner_tui.exchange import run
    from planner_tui.services.errors import USER_ERRORS, friendly

    try:
        result = run.exported(host_of(app).session.workspace, choice.fmt, **choice.part)
        path.write_text(result.text, encoding="utf-8-sig" if choice.fmt == "csv" else "utf-8")
    except OSError as error:
        app.call_from_thread(
            app.notify, f"Cannot write {path}: {error.strerror or error}", severity="error"
        )
        return
    except USER_ERRORS as error:
        app.call_from_thread(app.notify, friendly(error), severity="error")
        return
    said = f"Exported to {path}"
    if result.withheld.total:  # what a running meeting keeps hidden is in no export
        said += f"\n{sentence(result.withheld.describe())}."
    app.call_from_thread(app.notify, said, title="Export", timeout=10)


def meeting_choices(session_id: int | None, title: str) -> list[ExportChoice]:
    """A meeting's summary and its lossless JSON (none when no meeting is chosen)."""
    if session_id is None:
        return []
    name = one_line(title, 40)
    slug = f"session-{session_id}"
    part: ExportPart = {"session": session_id}
    return [
        ExportChoice("markdown", f"Markdown: {name}'s summary", slug, part),
        ExportChoice("json", f"JSON: {name}, lossless", slug, part),
    ]
