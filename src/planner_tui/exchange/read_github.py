"""GitHub issues as `gh issue list --json number,title,body,labels,state,url,milestone,...` writes them.

The file is a JSON list with one object per issue; fields other than those
below (assignees, author, dates, comments) are not part of a backlog item and are
skipped. How a record becomes an item:

- `title` → title and `number` → external key `#<number>` (both required).
- `body` → description; `url` → external URL.
- `state`: OPEN new; CLOSED done, or won't do when `stateReason` is NOT_PLANNED.
- `labels`: GitHub has no estimate field, so a label like `estimate:5`, `points: 3`,
  `sp-8` or `story points=2` (any case) gives the estimate; a label named after a
  kind (`bug`, `epic`, `spike`, `chore`, `story`) gives the kind; both are used up,
  and every other label is a tag.
- `milestone` → a tag `milestone:<title>`, so a milestone's issues can be found
  together (a backlog item has no milestone of its own).

A record that cannot be an item gets a problem whose line is its place in the
list (1 for the first record) and whose column is the JSON field.
"""

from __future__ import annotations

import json
import re
from typing import Any

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.exchange import ImportedItem, Parsed
from planner_tui.exchange.read_common import (
    ProgressCallback,
    RowLoop,
    RowProblem,
    build_item,
    check_title,
    clean_tags,
    file_problem,
    multiline,
    parse_amount,
    shown,
)

FORMAT = "github-json"
SOURCE = "github"

ESTIMATE_LABEL = re.compile(
    r"\s*(?:estimate|est|points?|pts|sp|story[ _-]?points?)\s*[:=_\- ]\s*(\d+(?:\.\d+)?)\s*",
    re.IGNORECASE,
)
"""A label that carries points: `estimate:5`, `points: 3`, `sp-8`, `story points=2`."""

_KINDS = {kind.value: kind for kind in ItemKind}

_STATES = {"open": ItemStatus.NEW, "closed": ItemStatus.DONE, "merged": ItemStatus.DONE}

_REPOSITORY = re.compile(r"https?://[^/]+/([^/]+/[^/]+)/(?:issues|pull)/\d+")
"""The owner/repo part of an issue's url."""

_BY_FIELD = {"title": "title", "external_key": "number", "description": "body", "tags": "labels"}


def read_github_json(text: str, progress: ProgressCallback | None = None) -> Parsed:
    """Items from a `gh issue list --json` file, and a problem for each record that cannot be one.

    Args:
        text: the whole file, decoded.
        progress: called with the records read so far, every thousand records.
    """
    text = text.lstrip("\ufeff")
    if not text or text.isspace():
        return file_problem(FORMAT, "the file is empty")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return file_problem(
            FORMAT,
            f"the file is not JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        )
    except ValueError:  # the only other refusal: a number with thousands of digits
        return file_problem(
            FORMAT, "the file is not JSON a reader can follow (a number has thousands of digits)"
        )
    except RecursionError:
        return file_problem(FORMAT, "the file is not JSON a reader can follow (nested too deeply)")
    if not isinstance(document, list):
        what = "an object" if isinstance(document, dict) else "a single value"
        return file_problem(
            FORMAT, f"the file holds {what}, not a list of issues as `gh issue list --json` writes"
        )
    loop = RowLoop(progress)
    for position, record in enumerate(document, start=1):
        loop.count_row()
        try:
            loop.items.append(_item_from_record(record, position, loop))
        except RowProblem as problem:
            loop.add_problem(position, problem)
    return loop.result(FORMAT)


def _item_from_record(record: Any, position: int, loop: RowLoop) -> ImportedItem:
    """One issue record as an item.

    Raises:
        RowProblem: a field is missing or of the wrong type.
    """
    if not isinstance(record, dict):
        raise RowProblem("", "the record is not an object with an issue's fields")
    number = record.get("number")
    if number is None:
        raise RowProblem("number", "the number is missing")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        shown_number = shown(json.dumps(number, ensure_ascii=False))
        raise RowProblem("number", f"the number {shown_number} is not a positive whole number")
    title = record.get("title")
    if title is None:
        raise RowProblem("title", "the title is missing")
    if not isinstance(title, str):
        raise RowProblem("title", "the title is not text")
    check_title(title, "title")
    url = record.get("url")
    if isinstance(url, str) and "/pull/" in url:
        raise RowProblem("url", "a pull request, not an issue (gh pr list exports those)")
    repository = _REPOSITORY.match(url) if isinstance(url, str) else None
    # owner/repo#412 when the url says which repository: #412 alone clashes between repos.
    external_key = f"{repository.group(1)}#{number}" if repository else f"#{number}"
    loop.claim_key(external_key, position, "number", "issue number")

    body = record.get("body") or ""
    if not isinstance(body, str):
        raise RowProblem("body", "the body is not text")
    url = record.get("url") or ""
    if not isinstance(url, str):
        raise RowProblem("url", "the url is not text")

    kind, estimate, tags = _read_labels(record.get("labels"))
    milestone = record.get("milestone")
    milestone_title = milestone.get("title") if isinstance(milestone, dict) else milestone
    if isinstance(milestone_title, str) and milestone_title.strip():
        tags = clean_tags((*tags, f"milestone:{milestone_title.strip()}"), "milestone")

    return build_item(
        _BY_FIELD,
        line=position,
        title=title,
        kind=kind,
        status=_status(record),
        description=multiline(body),
        estimate=estimate,
        tags=tags,
        source=SOURCE,
        external_key=external_key,
        external_url=url,
    )


def _status(record: dict[str, Any]) -> ItemStatus:
    """OPEN is new; CLOSED is done, or won't do when GitHub says it was not planned."""
    state = record.get("state")
    if not isinstance(state, str):
        return ItemStatus.NEW
    status = _STATES.get(state.casefold(), ItemStatus.NEW)
    if status is ItemStatus.DONE and str(record.get("stateReason", "")).upper() == "NOT_PLANNED":
        return ItemStatus.WONT_DO
    return status


def _read_labels(labels: Any) -> tuple[ItemKind, float | None, tuple[str, ...]]:
    """The kind, estimate and tags that an issue's labels carry.

    Raises:
        RowProblem: the labels are not a list of names, or an estimate label is not a number.
    """
    if labels is None:
        return ItemKind.STORY, None, ()
    if not isinstance(labels, list):
        raise RowProblem("labels", "the labels are not a list")
    kind: ItemKind | None = None
    estimate: float | None = None
    names: list[str] = []
    for label in labels:
        name = label.get("name") if isinstance(label, dict) else label
        if not isinstance(name, str):
            raise RowProblem("labels", "a label has no name")
        folded = name.strip().casefold()
        if kind is None and folded in _KINDS:
            kind = _KINDS[folded]
            continue
        points = ESTIMATE_LABEL.fullmatch(name)
        if points is not None:
            if estimate is None:
                estimate = parse_amount(
                    points.group(1), "labels", f"the estimate in label '{shown(name)}'"
                )
            continue
        names.append(name)
    return kind or ItemKind.STORY, estimate, clean_tags(names, "labels")
