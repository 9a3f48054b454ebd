"""The built wheel carries the stylesheets, and the app finds them there."""

from __future__ import annotations

import json
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
        assert "planner_tui/data/demo.json" in names  # the demo is data, shipped with the code
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
    demo = "import datetime, planner_tui.exchange.demo as d; print(len(d.demo_document(datetime.date(2030, 1, 7))['tables']['items']['rows']))"
    items = subprocess.run(
        [sys.executable, "-c", demo],
        cwd=tmp_path / "site",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    source = json.loads((ROOT / "src" / "planner_tui" / "data" / "demo.json").read_text())
    assert items == str(len(source["tables"]["items"]["rows"])), (
        "the installed package reads its demo"
    )
