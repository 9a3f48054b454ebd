"""What one person keeps for themselves about a workspace, outside the shared file.

Text being typed (drafts) and which anonymous cards this person wrote live in a
private file (mode 0600) under the user's state folder, never in the workspace:
the shared file must not link a person to an anonymous card, yet a terminal that
dies or an SSH connection that drops must lose nothing typed, and the person
coming back must see their own cards again and not be counted as a second writer.

Every change is written at once (a small JSON file replaced in one rename), so a
`kill -9` loses at most the keys typed in the last moment. The same person's
terminals share the file; a lock file keeps their read-modify-writes apart. If the
folder cannot be written (no home, a read-only disk), nothing is kept and nothing
fails: this is a convenience, never a reason to stop a meeting.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner_tui.domain.drafts import Draft
from planner_tui.store.opening import utc_now

if TYPE_CHECKING:
    from planner_tui.store.workspace import Workspace


def state_folder() -> Path:
    """`$XDG_STATE_HOME/planner`, or `~/.local/state/planner`."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "planner"


class OwnState:
    """One person's private notes about one workspace (`path` None: kept in memory only)."""

    def __init__(self, path: Path | None, generation: str = "") -> None:
        self.path = path
        self.generation = generation
        """The workspace's `generation` this file is about."""
        self._memory: dict[str, Any] = {}

    @classmethod
    def of(cls, ws: Workspace, person: str) -> OwnState:
        """`person`'s file for the open workspace `ws`, as its records are now."""
        rows = ws.query("SELECT key, value FROM meta WHERE key IN ('created_at', 'generation')")
        meta = {str(key): str(value) for key, value in rows}
        return cls.for_workspace(
            ws.path, meta.get("created_at", ""), person, meta.get("generation", "")
        )

    @classmethod
    def for_workspace(
        cls, workspace: Path, created_at: str, person: str, generation: str = ""
    ) -> OwnState:
        """The file for `person` on the workspace at `workspace` (made on `created_at`).

        The creation time tells apart two workspaces that were at the same path, the
        generation two fillings of one (the demo rebuilt in place numbers its cards anew).
        """
        try:
            where = str(workspace.resolve())
        except OSError:
            where = str(workspace)
        parts = (where, created_at, person.casefold(), *([generation] if generation else []))
        key = "\0".join(parts)
        name = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return cls(state_folder() / f"{name}.json", generation)

    # -- drafts ---------------------------------------------------------------

    def draft(self, place: str) -> Draft | None:
        """The draft kept for `place` (say `card:12:To improve`), if any."""
        kept = self._read().get("drafts", {}).get(place)
        if not isinstance(kept, dict) or not isinstance(kept.get("text"), str):
            return None
        if not kept["text"].strip():
            return None
        return Draft(kept["text"], str(kept.get("at", "")))

    def keep_draft(self, place: str, text: str) -> None:
        """Keep `text` as the draft for `place` (empty text drops it)."""

        def change(state: dict[str, Any]) -> None:
            drafts = state.setdefault("drafts", {})
            if text.strip():
                drafts[place] = {"text": text, "at": utc_now()}
            else:
                drafts.pop(place, None)

        self._update(change)

    def drop_draft(self, place: str) -> None:
        """Forget the draft for `place` (it was saved, or deliberately cancelled)."""
        self._update(lambda state: state.get("drafts", {}).pop(place, None))

    # -- anonymous cards ------------------------------------------------------

    def written_cards(self) -> set[int]:
        """Cards this person wrote on anonymous boards, from any of their terminals."""
        return {int(card) for card in self._read().get("cards", []) if isinstance(card, int)}

    def counted_boards(self) -> set[tuple[int, str]]:
        """(board, writer) pairs already counted among an anonymous board's writers."""
        pairs = self._read().get("counted", [])
        return {
            (int(pair[0]), str(pair[1]))
            for pair in pairs
            if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], int)
        }

    def keep_cards(self, cards: set[int], counted: set[tuple[int, str]]) -> None:
        """Remember these cards and counted writers (added to what other terminals kept)."""

        def change(state: dict[str, Any]) -> None:
            kept = {c for c in state.get("cards", []) if isinstance(c, int)}
            state["cards"] = sorted(kept | cards)
            pairs = {tuple(p) for p in state.get("counted", []) if isinstance(p, list)}
            state["counted"] = sorted([list(p) for p in pairs | counted])

        self._update(change)

    def forget_card(self, card: int) -> None:
        """A card taken back is no longer mine to show."""
        self._update(
            lambda state: state.__setitem__(
                "cards", [c for c in state.get("cards", []) if c != card]
            )
        )

    # -- the file -------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return self._memory
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _update(self, change: Callable[[dict[str, Any]], object]) -> None:
        if self.path is None:
            change(self._memory)
            return
        try:
            with self._locked():
                state = self._read()
                change(state)
                self._write(state)
        except OSError:
            self.path = None  # cannot keep anything here: keep it for this run only
            change(self._memory)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        assert self.path is not None
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(self, state: dict[str, Any]) -> None:
        assert self.path is not None
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state, out, ensure_ascii=False)
        os.replace(temporary, self.path)
