"""`planner serve` as guests meet it: joining from a browser and over SSH, a key's echo in
the browser, and twelve guests at once.

Usage: python bench/serve.py [--rounds 7] [--keys 20] [--guests 12] [--idle 30]

Needs the test extras (Playwright, pyte), the system's Chromium and OpenSSH's client.
`planner serve` runs on 127.0.0.1 on a demo workspace; every guest is a fresh invitation.

1. Link opened to usable screen: from the browser asked to open the invitation link
   until the guest's Home shows (read with a terminal emulator off the bytes the page
   receives). Median and max of --rounds guests. Target <= 3 s.
2. SSH connect to usable screen: from starting `ssh` until Home shows. The first round
   uses the code, the rest the bound key. Target <= 2 s.
3. A key in the browser to its echo: letters typed one at a time into the new-item
   dialog, each timed from the key press to the frame that shows it. Target median
   <= 60 ms.
4. --guests guests at once, half in one Chromium (a page each), half over SSH: all
   joined, then one adds an item and the clock runs until every guest's screen shows
   it; then --idle seconds of quiet. Prints CPU (share of one core) and resident
   memory per guest planner, and serve's own.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyte

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _terminal import Terminal

PLANNER = str(Path(sys.executable).parent / "planner")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TICKS = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serve:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.workspace = folder / "team.db"
        subprocess.run([PLANNER, "demo", str(self.workspace), "--no-open"], check=True,
                       capture_output=True)  # fmt: skip
        self.web_port, self.ssh_port = _free_port(), _free_port()
        self.log = folder / "serve.log"
        env = dict(os.environ, XDG_STATE_HOME=str(folder / "state"))
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [PLANNER, "serve", str(self.workspace), "--web-port", str(self.web_port),
                 "--ssh-port", str(self.ssh_port)],
                stdout=out, stderr=subprocess.STDOUT, env=env,
            )  # fmt: skip
        _until(lambda: "Ctrl+C stops" in self.log.read_text(), "serve to listen")
        self.count = 0

    def invite(self) -> tuple[str, str, str]:
        self.count += 1
        name = f"guest{self.count}"
        out = subprocess.run(
            [PLANNER, "invite", str(self.workspace), name, "--as", "maya"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        link = re.search(r"in a browser: (\S+)", out)
        code = re.search(r"ssh -p \d+ (\S+)@", out)
        assert link and code, out
        return name, link.group(1), code.group(1)

    def ssh(self, key: Path, user: str) -> list[str]:
        return ["ssh", "-tt", "-i", str(key), "-p", str(self.ssh_port), "-o",
                "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={self.folder / 'kh'}",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", f"{user}@127.0.0.1"]  # fmt: skip

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def _until(check: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.02)


def _key(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    return key


class BrowserGuest:
    """A page on the app; its screen read with pyte off the bytes it receives."""

    def __init__(self, browser: Any, width: int = 1000, height: int = 700) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.screen: pyte.Screen | None = None
        self.stream: pyte.ByteStream | None = None
        self.size = (80, 24)
        self.watch: Callable[[], bool] | None = None
        self.seen_at: float | None = None
        self.page.on("websocket", self._socket)

    def _socket(self, socket_: Any) -> None:
        found = re.search(r"width=(\d+)&height=(\d+)", socket_.url)
        if found:
            self.size = (int(found.group(1)), int(found.group(2)))
        socket_.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        if not isinstance(payload, bytes):
            return
        if self.screen is None:
            self.screen = pyte.Screen(*self.size)
            self.stream = pyte.ByteStream(self.screen)
        assert self.stream is not None
        self.stream.feed(payload)
        if self.watch is not None and self.seen_at is None and self.watch():
            self.seen_at = time.perf_counter()

    def text(self) -> str:
        return "\n".join(self.screen.display) if self.screen is not None else ""

    def wait(self, check: Callable[[str], bool], timeout: float = 60.0) -> float:
        """perf_counter() when the frame that made `check` true arrived."""
        self.seen_at = None
        self.watch = lambda: check(self.text())
        if self.watch():
            self.seen_at = time.perf_counter()
        deadline = time.monotonic() + timeout
        while self.seen_at is None:
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out; the page shows:\n{self.text()}")
            self.page.wait_for_timeout(5)
        self.watch = None
        return self.seen_at


class SshGuest(Terminal):
    """An ssh client in a pty; its screen read with pyte."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv, cols=120, rows=40)
        self.screen = pyte.Screen(120, 40)
        self.stream = pyte.ByteStream(self.screen)
        self.fed = 0

    def text(self) -> str:
        self.drain()
        self.stream.feed(self.seen[self.fed :])
        self.fed = len(self.seen)
        return "\n".join(self.screen.display)

    def wait(self, check: Callable[[str], bool], timeout: float = 60.0) -> float:
        deadline = time.monotonic() + timeout
        while not check(self.text()):
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out; ssh shows:\n{self.text()}")
            time.sleep(0.005)
        return time.perf_counter()


def _home(name: str) -> Callable[[str], bool]:
    return lambda text: f"· {name}" in text and "Open items" in text


def _summary(label: str, values: list[float], target: str) -> None:
    print(
        f"{label:<36} median {statistics.median(values):7.0f} ms   max {max(values):7.0f} ms"
        f"   ({len(values)} rounds; target {target})",
        flush=True,
    )


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def _planners(serve_pid: int) -> list[int]:
    return [
        pid
        for pid in _descendants(serve_pid)
        if b"planner_tui" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--guests", type=int, default=12)
    parser.add_argument("--idle", type=float, default=30.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        serve = Serve(folder)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                try:
                    _joining(serve, browser, folder, args.rounds)
                    _echo(serve, browser, args.keys)
                    _crowd(serve, browser, folder, args.guests, args.idle)
                finally:
                    browser.close()
        finally:
            serve.stop()


def _joining(serve: Serve, browser: Any, folder: Path, rounds: int) -> None:
    opened = []
    for _ in range(rounds):
        name, link, _ = serve.invite()
        guest = BrowserGuest(browser)
        started = time.perf_counter()
        guest.page.goto(link)
        opened.append((guest.wait(_home(name)) - started) * 1000)
        guest.context.close()
    _summary("link opened -> usable (browser)", opened, "<= 3000 ms")

    name, _, code = serve.invite()
    key = _key(folder, "joining")
    connected = []
    for round_ in range(rounds):
        guest = SshGuest(serve.ssh(key, code if round_ == 0 else "back"))
        connected.append((guest.wait(_home(name)) - guest.started) * 1000)
        guest.close()
    _summary("ssh connect -> usable", connected, "<= 2000 ms")


def _echo(serve: Serve, browser: Any, keys: int) -> None:
    name, link, _ = serve.invite()
    guest = BrowserGuest(browser)
    guest.page.goto(link)
    guest.wait(_home(name))
    guest.page.locator(".xterm-helper-textarea").focus()
    guest.page.keyboard.press("n")
    guest.wait(lambda text: "New backlog item" in text)
    word = "".join("qwertyuiopasdfghjklzxcvbnm"[n % 26] for n in range(keys))
    echoed = []
    for n in range(keys):
        started = time.perf_counter()
        guest.page.keyboard.press(word[n])
        shown = word[: n + 1]
        echoed.append((guest.wait(lambda text, shown=shown: shown in text) - started) * 1000)
        guest.page.wait_for_timeout(100)
    guest.page.keyboard.press("Escape")
    guest.context.close()
    _summary("key -> echo in the browser", echoed, "median <= 60 ms")


def _crowd(serve: Serve, browser: Any, folder: Path, count: int, idle: float) -> None:
    guests: list[tuple[str, BrowserGuest | SshGuest]] = []
    started = time.perf_counter()
    for n in range(count):
        name, link, code = serve.invite()
        if n % 2 == 0:
            page = BrowserGuest(browser)
            page.page.goto(link)
            guests.append((name, page))
        else:
            guests.append((name, SshGuest(serve.ssh(_key(folder, f"crowd{n}"), code))))
    for name, guest in guests:
        guest.wait(_home(name))
    joined = time.perf_counter() - started
    planners = _planners(serve.process.pid)
    print(f"{count} guests joined in {joined:.1f} s; {len(planners)} guest planners running")

    adder = next(guest for _, guest in guests if isinstance(guest, SshGuest))
    adder.send(b"n")
    adder.wait(lambda text: "New backlog item" in text)
    before = {id(g): re.search(r"Open items\s+(\d+)", g.text()) for _, g in guests}
    counts = {key: int(found.group(1)) for key, found in before.items() if found}
    sent = time.perf_counter()
    adder.send(b"Added with a crowd watching\r")
    latest = 0.0
    for _, guest in guests:
        was = counts[id(guest)]
        at = guest.wait(lambda text, was=was: f"Open items   {was + 1}" in text)
        latest = max(latest, at)
    print(f"an item added by one guest was on all {count} guests' screens after "
          f"{(latest - sent) * 1000:.0f} ms")  # fmt: skip

    pids = [*planners, serve.process.pid]
    ticks = {pid: _cpu_ticks(pid) for pid in pids}
    time.sleep(idle)
    cpu = {pid: (_cpu_ticks(pid) - ticks[pid]) / TICKS / idle * 100 for pid in pids}
    guest_cpu = [cpu[pid] for pid in planners]
    guest_rss = [_rss_mib(pid) for pid in planners]
    print(
        f"idle {idle:.0f} s, per guest planner: CPU median {statistics.median(guest_cpu):.2f} % "
        f"(max {max(guest_cpu):.2f} %), memory median {statistics.median(guest_rss):.0f} MiB "
        f"(max {max(guest_rss):.0f} MiB); all {len(planners)} together "
        f"{sum(guest_cpu):.2f} % of a core, {sum(guest_rss):.0f} MiB"
    )
    print(
        f"serve itself: CPU {cpu[serve.process.pid]:.2f} %, "
        f"memory {_rss_mib(serve.process.pid):.0f} MiB"
    )
    for _, guest in guests:
        if isinstance(guest, SshGuest):
            guest.close()
        else:
            guest.context.close()


if __name__ == "__main__":
    main()
