"""When planner itself fails: keep the details in a file, show the user one line."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def write_crash_log(details: str) -> Path:
    """Write `details` (a traceback) to a new file in the temp folder; returns its path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    handle, name = tempfile.mkstemp(prefix=f"planner-crash-{stamp}-", suffix=".log", text=True)
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(details)
    return Path(name)
