"""What every import reader shares: CSV rows with their file lines, cell checks, item building.

The readers turn file text into `ImportedItem`s and a `Problem` for each bad row.
A cell check raises `RowProblem`; the reader's row loop catches it and records
where it happened, so one bad cell costs one row, never the file.
"""

from __future__ import annotations

import csv
import gc
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, TypeVar

from pydantic import ValidationError

from planner_tui.domain.exchange import ImportedItem, Parsed, Problem
from planner_tui.domain.text import one_line

_Meaning = TypeVar("_Meaning")

ProgressCallback = Callable[[int], None]
"""Called with the number of rows read so far, for a progress bar."""

PROGRESS_EVERY = 1_000
"""Rows between two progress calls."""

MAX_TAG = 100
"""Longest tag a backlog item accepts."""

MAX_ESTIMATE = 10_000
"""Largest estimate an imported item accepts."""

SHOWN_CELL = 40
"""Longest piece of a cell quoted in a problem message."""


class RowProblem(Exception):
    """What is wrong with one row: raised by the cell checks, caught by the reader's row loop.

    Args:
        column: the column's name as the file's header spells it ("" for the row as a whole).
        message: what is wrong, in a line.
    """

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a reader builds many objects.

    A reader makes a few objects per row and frees none of them, so the collector
    would walk everything built so far again and again: pausing it takes about 40%
    off reading 100,000 rows. Reference counting still frees memory meanwhile, and
    the collector is switched on again afterwards if it was on before.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def shown(cell: str) -> str:
    """A cell quoted in a message: on one line, without control characters, cut when long."""
    return one_line(cell.strip(), SHOWN_CELL)


def file_problem(fmt: str, message: str, column: str = "") -> Parsed:
    """A reader's answer for a file it cannot read at all: one problem at line 0, no items."""
    return Parsed(format=fmt, problems=(Problem(line=0, column=column, message=message),))


_JSON_START = re.compile(r"[\s\ufeff]*[\[{]")


def looks_like_json(text: str) -> bool:
    """Whether the text starts like a JSON document, so a CSV reader can say so."""
    return _JSON_START.match(text) is not None


def multiline(cell: str) -> str:
    """A multi-line cell with Windows or old Mac line ends turned into plain newlines."""
    if "\r" in cell:
        return cell.replace("\r\n", "\n").replace("\r", "\n")
    return cell


def parse_number(cell: str, column: str, what: str) -> float | None:
    """Any finite number (a metric's target); None for an empty cell.

    Raises:
        RowProblem: the cell is not a number.
    """
    text = cell.strip()
    if not text:
        return None
    try:
        amount = float(text)
    except ValueError:
        raise RowProblem(column, f"{what} '{shown(text)}' is not a number") from None
    if not math.isfinite(amount):
        raise RowProblem(column, f"{what} '{shown(text)}' is not a number")
    return amount


def parse_amount(cell: str, column: str, what: str) -> float | None:
    """A number from 0 to 10,000 (story points, an estimate); None for an empty cell.

    Raises:
        RowProblem: the cell is not a number, or is out of range.
    """
    amount = parse_number(cell, column, what)
    if amount is None:
        return None
    text = cell.strip()
    if amount < 0:
        raise RowProblem(column, f"{what} '{shown(text)}' is below 0")
    if amount > MAX_ESTIMATE:
        raise RowProblem(column, f"{what} '{shown(text)}' is more than {MAX_ESTIMATE:,}")
    return amount


def parse_value(cell: str, column: str) -> int | None:
    """A business value: a whole number from 1 to 10; None for an empty cell.

    Raises:
        RowProblem: the cell is anything else.
    """
    text = cell.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not number.is_integer() or not 1 <= number <= 10:
        raise RowProblem(column, f"the value '{shown(text)}' is not a whole number from 1 to 10")
    return int(number)


def clean_tags(candidates: Iterable[str], column: str) -> tuple[str, ...]:
    """Tags trimmed, empty ones dropped, each kept once in the order first seen.

    Raises:
        RowProblem: a tag is longer than a backlog item allows.
    """
    tags = tuple(dict.fromkeys(map(str.strip, candidates)))
    if "" in tags:
        tags = tuple(tag for tag in tags if tag)
    if tags and max(map(len, tags)) > MAX_TAG:
        too_long = next(tag for tag in tags if len(tag) > MAX_TAG)
        raise RowProblem(column, f"the tag '{shown(too_long)}' is longer than {MAX_TAG} characters")
    return tags


def cells_getter(positions: Sequence[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A function that picks the cells at `positions` out of a row, as a tuple (one C call for two or more)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    if positions:
        only = positions[0]
        return lambda cells: (cells[only],)
    return lambda cells: ()


class WordLookup(dict[str, _Meaning]):
    """What a cell means, found by its trimmed, case-folded word; each distinct cell is worked out once.

    Args:
        meanings: the meaning of each known word (lower case).
        default: the meaning of any other cell.
    """

    def __init__(self, meanings: Mapping[str, _Meaning], default: _Meaning) -> None:
        super().__init__()
        self._meanings = meanings
        self._default = default

    def __missing__(self, cell: str) -> _Meaning:
        meaning = self._meanings.get(cell.strip().casefold(), self._default)
        self[cell] = meaning
        return meaning


def check_title(title: str, column: str) -> str:
    """The title as given, once it is known not to be blank.

    Raises:
        RowProblem: the title is empty or only spaces.
    """
    if not title.strip():
        raise RowProblem(column, "the title is empty")
    return title


def build_item(columns_by_field: Mapping[str, str], **fields: Any) -> ImportedItem:
    """An `ImportedItem`, with a failed model check turned into a problem in the file's column.

    The readers check every cell first, so this normally passes; it still guards
    limits the cell checks leave to the model (text lengths).

    Raises:
        RowProblem: the model refused a field; `columns_by_field` names its column.
    """
    try:
        return ImportedItem.model_validate(fields)
    except ValidationError as error:
        raise model_problem(error, columns_by_field) from None


def model_problem(error: ValidationError, columns_by_field: Mapping[str, str]) -> RowProblem:
    """The first thing `ImportedItem` refused, as a problem in the file's own column."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = field.replace("_", " ") or "row"
    context = first.get("ctx") or {}
    if first["type"] == "string_too_long":
        message = f"the {label} is longer than {context.get('max_length', 0):,} characters"
    elif first["type"] == "string_too_short":
        message = f"the {label} is empty"
    else:
        message = f"the {label} is not valid ({first['msg']})"
    return RowProblem(columns_by_field.get(field, field), message)


def ragged_message(cell_count: int, header_width: int, first_line: int, last_line: int) -> str:
    """What to say about a row whose cell count differs from the header's."""
    message = f"a row has {cell_count} cells where the header has {header_width}"
    if last_line > first_line:
        message += f" (it runs on to line {last_line}: is a quote left open?)"
    return message


_CSV_ERRORS = {
    "unexpected end of data": "a quote opened in this row is never closed",
    "',' expected after '\"'": (
        'a quoted cell has text after its closing quote (write "" for a quote inside a cell)'
    ),
}


SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
"""What a CSV's cells may be separated by: commas, or what spreadsheets in many locales
(semicolons) and copies out of them (tabs) write."""


def csv_separator(text: str) -> str:
    """The separator of a CSV text, read off its first line (quoted text aside): the one
    of `SEPARATORS` found most there; a comma when none is."""
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda separator: (counts[separator], separator == ","))
    return best if counts[best] else ","


class CsvTable:
    """The rows of a CSV text after its header, each with the file line it starts on.

    Blank lines (and rows of only empty cells) are skipped. A row the csv
    module cannot read becomes a problem and reading goes on with the next line;
    a cell too long for the csv module stops the reading, since the lines after
    it would be read out of step.

    Args:
        text: the whole file, already decoded.
    """

    def __init__(self, text: str) -> None:
        self.separator = csv_separator(text)
        self._reader = csv.reader(
            io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True, delimiter=self.separator
        )
        self._last_line = 0
        self.header: list[str] = []
        """The header's cells, trimmed."""
        self.header_line = 0
        """The file line the header is on (1 unless blank lines come first)."""
        self.problems: list[Problem] = []
        """Rows the csv module could not read, in file order."""

    @property
    def last_line(self) -> int:
        """The file line the latest row ended on (rows with quoted newlines span several)."""
        return self._last_line

    def read_header(self) -> str | None:
        """Read the header row; returns what is wrong when there is none."""
        for line, cells in self._records():
            if self.problems:
                break
            self.header = [cell.strip() for cell in cells]
            self.header_line = line
            return None
        if self.problems:
            first = self.problems[0]
            return f"the header (line {first.line}) is not CSV: {first.message}"
        return "the file is empty"

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows as `(first line, cells)`; call after `read_header`."""
        return self._records()

    def column_index(self) -> ColumnIndex:
        """Where each header name sits, for lookups by name."""
        return ColumnIndex(self.header)

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        while True:
            first_line = self._last_line + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self._last_line = reader.line_num
                text = str(error)
                if text.startswith("field larger than field limit"):
                    limit = csv.field_size_limit()
                    self.problems.append(
                        Problem(
                            line=first_line,
                            message=f"a cell is longer than {limit:,} characters; "
                            "the rest of the file was not read",
                        )
                    )
                    return
                message = _CSV_ERRORS.get(text, f"this row is not valid CSV ({text})")
                self.problems.append(Problem(line=first_line, message=message))
                continue
            self._last_line = reader.line_num
            if cells and any(cells):
                yield first_line, cells


class ColumnIndex:
    """Header positions by name, matched without regard to case or surrounding spaces.

    Args:
        header: the header's cells.
    """

    def __init__(self, header: list[str]) -> None:
        self._header = header
        self._positions: dict[str, list[int]] = {}
        for position, name in enumerate(header):
            self._positions.setdefault(name.strip().casefold(), []).append(position)

    def first(self, *names: str) -> int | None:
        """The position of the first of `names` the header has, or None."""
        for name in names:
            positions = self._positions.get(name.casefold())
            if positions:
                return positions[0]
        return None

    def every(self, *names: str) -> list[int]:
        """Every position of every one of `names` (repeated columns give several), in file order."""
        found: list[int] = []
        for name in names:
            found.extend(self._positions.get(name.casefold(), ()))
        return sorted(found)

    def name(self, position: int | None, fallback: str = "") -> str:
        """The header's own spelling of the column at `position`."""
        return fallback if position is None else self._header[position]


class RowLoop:
    """Book-keeping every reader's row loop shares: counts, progress, problems, duplicate keys.

    Args:
        progress: called with the rows read so far every `PROGRESS_EVERY` rows.
    """

    def __init__(self, progress: ProgressCallback | None) -> None:
        self._progress = progress
        self._key_lines: dict[str, int] = {}
        self.rows = 0
        """Data rows (or records) met, good and bad."""
        self.items: list[ImportedItem] = []
        self.problems: list[Problem] = []

    def count_row(self) -> None:
        """Count one more row, reporting progress every `PROGRESS_EVERY` rows."""
        self.rows += 1
        if self._progress is not None and self.rows % PROGRESS_EVERY == 0:
            self._progress(self.rows)

    def claim_key(
        self, key: str, line: int, column: str, what: str = "key", scope: str = ""
    ) -> None:
        """Note that `key` (of the source `scope`, when a file mixes sources) is used on `line`.

        Raises:
            RowProblem: an earlier row already used it (importing both would merge them).
        """
        earlier = self._key_lines.setdefault(f"{scope}\x00{key}" if scope else key, line)
        if earlier != line:
            raise RowProblem(column, f"the {what} '{shown(key)}' is already used on line {earlier}")

    def add_problem(self, line: int, problem: RowProblem) -> None:
        """Record a bad row."""
        self.problems.append(Problem(line=line, column=problem.column, message=problem.message))

    def result(self, fmt: str, unreadable_rows: Sequence[Problem] = ()) -> Parsed:
        """What the reader made of the file, problems in file order.

        Args:
            fmt: the format's name.
            unreadable_rows: a problem for each row the csv module could not read; they count as rows.
        """
        rows = self.rows + len(unreadable_rows)
        if self._progress is not None and rows % PROGRESS_EVERY:
            self._progress(rows)
        problems = sorted([*self.problems, *unreadable_rows], key=lambda problem: problem.line)
        return Parsed(format=fmt, items=tuple(self.items), problems=tuple(problems), rows=rows)


def open_csv(
    text: str, fmt: str, title: str, what: str
) -> tuple[CsvTable, ColumnIndex, int] | Parsed:
    """The file's table, its column index and where the title column is; or, when the
    file is JSON, has no header or no title column, the file's problem.

    Args:
        text: the whole file, decoded.
        fmt: the format being read, for the problem.
        title: the title column's name in this format (`Summary`, `Title`, `title`).
        what: the kind of file, for the message (`a Jira export`).
    """
    if looks_like_json(text):
        hint = "github-json" if fmt != "csv" else "json"
        return file_problem(fmt, f"the file holds JSON, not CSV: pass --format {hint}")
    table = CsvTable(text)
    missing = table.read_header()
    if missing:
        return file_problem(fmt, missing)
    column_index = table.column_index()
    title_position = column_index.first(title)
    if title_position is None:
        return file_problem(
            fmt, f"there is no {title} column: {what} needs it for the titles", title
        )
    return table, column_index, title_position


def even_rows(table: CsvTable, loop: RowLoop) -> Iterator[tuple[int, list[str]]]:
    """The rows with one cell per header column (counted); a ragged row becomes a problem."""
    header_width = len(table.header)
    for line, cells in table.rows():
        loop.count_row()
        if len(cells) != header_width:
            message = ragged_message(len(cells), header_width, line, table.last_line)
            loop.add_problem(line, RowProblem("", message))
            continue
        yield line, cells
