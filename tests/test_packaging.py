"""The built wheel carries the stylesheets, and the app finds them there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_styles_and_finds_them(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    wheel = next(tmp_path.glob("planner_tui-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        shipped = {name for name in names if name.startswith("planner_tui/styles/")}
        assert {
            f"planner_tui/styles/{css.name}" for css in (ROOT / "styles").glob("*.tcss")
        } <= shipped
        assert "planner_tui/cli.py" in names
        archive.extractall(tmp_path / "site")
    found = subprocess.run(
        [sys.executable, "-S", "-c", "import planner_tui.paths as p; print(p.styles_dir())"],
        cwd=tmp_path / "site",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found) == tmp_path / "site" / "planner_tui" / "styles"
    for css in (ROOT / "styles").glob("*.tcss"):
        assert (Path(found) / css.name).read_text() == css.read_text()
