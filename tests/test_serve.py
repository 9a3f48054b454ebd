"""End to end: `planner serve` on 127.0.0.1, guests in a real headless Chromium (the
system's, driven by Playwright) and a real OpenSSH client, a teammate in a real terminal."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyte
import pytest

from .test_e2e import Tmux

pytestmark = pytest.mark.e2e

PLANNER = Path(sys.executable).parent / "planner"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(condition: Callable[[], object], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    workspace: Path
    web_port: int
    ssh_port: int
    log: Path
    process: subprocess.Popen[bytes]
    folder: Path

    def said(self) -> str:
        return self.log.read_text(errors="replace")

    def invite(self, name: str, *more: str) -> tuple[str, str]:
        """(link, code) of a new invitation for `name`, made by maya."""
        result = subprocess.run(
            [str(PLANNER), "invite", str(self.workspace), name, "--as", "maya", *more],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        link = re.search(r"in a browser: (\S+)", result.stdout)
        code = re.search(r"ssh -p \d+ (\S+)@", result.stdout)
        assert link or code, result.stdout
        return (link.group(1) if link else ""), (code.group(1) if code else "")

    def ssh(self, key: Path, user: str) -> list[str]:
        return [
            "ssh",
            "-tt",
            "-i",
            str(key),
            "-p",
            str(self.ssh_port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            f"UserKnownHostsFile={self.folder / 'known_hosts'}",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            f"{user}@127.0.0.1",
        ]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def _start(folder: Path, *more: str) -> Served:
    workspace = folder / "team.db"
    subprocess.run(
        [str(PLANNER), "demo", str(workspace), "--no-open"], check=True, capture_output=True
    )
    log = folder / "serve.log"
    web_port, ssh_port = _free_port(), _free_port()
    environment = dict(os.environ, XDG_STATE_HOME=str(folder / "state"))
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(PLANNER),
                "serve",
                str(workspace),
                "--web-port",
                str(web_port),
                "--ssh-port",
                str(ssh_port),
                *more,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    served = Served(workspace, web_port, ssh_port, log, process, folder)
    try:
        _wait(
            lambda: "Ctrl+C stops" in served.said() or process.poll() is not None,
            "planner serve to listen",
        )
        assert process.poll() is None, served.said()
    except BaseException:
        served.stop()
        raise
    return served


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    served = _start(tmp_path)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.kill()


def _keys(folder: Path, *names: str) -> list[Path]:
    made = []
    for name in names:
        key = folder / name
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        made.append(key)
    return made


def _rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


# --- a browser guest ---------------------------------------------------------------------


@dataclass
class BrowserScreen:
    """What the guest's page shows, read off the app's output with a terminal emulator."""

    size: tuple[int, int] | None = None
    screen: pyte.Screen | None = None
    stream: pyte.ByteStream | None = None
    pending: list[bytes] = field(default_factory=list)

    def watch(self, socket_: Any) -> None:
        found = re.search(r"width=(\d+)&height=(\d+)", socket_.url)
        if found:
            self.size = (int(found.group(1)), int(found.group(2)))

        def sent(payload: str | bytes) -> None:
            if isinstance(payload, str) and payload.startswith('["resize"'):
                size = json.loads(payload)[1]
                self.size = (size["width"], size["height"])
                if self.screen is not None:
                    self.screen.resize(size["height"], size["width"])

        def received(payload: str | bytes) -> None:
            if not isinstance(payload, bytes):
                return
            if self.screen is None:
                assert self.size is not None
                self.screen = pyte.Screen(*self.size)
                self.stream = pyte.ByteStream(self.screen)
            assert self.stream is not None
            self.stream.feed(payload)

        socket_.on("framesent", sent)
        socket_.on("framereceived", received)

    @property
    def lines(self) -> list[str]:
        return list(self.screen.display) if self.screen is not None else []

    def text(self) -> str:
        return "\n".join(self.lines)


def _wait_page(page: Any, condition: Callable[[], object], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        page.wait_for_timeout(50)


def _tap(page: Any, screen: BrowserScreen, column: int, row: int) -> None:
    """Tap the middle of a cell, as a finger on a phone does."""
    box = page.locator(".xterm-screen").bounding_box()
    assert screen.size is not None and box is not None
    width, height = screen.size
    page.touchscreen.tap(
        box["x"] + (column + 0.5) * box["width"] / width,
        box["y"] + (row + 0.5) * box["height"] / height,
    )


def _card_boxes(screen: str) -> str:
    """The lines of the poker table's cards (between their top and bottom edges)."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if "╭────────╮" in line)
    return "\n".join(lines[top : top + 5])


def _here_now(screen: str) -> str:
    return next((line for line in screen.splitlines() if "here now" in line), "")


def test_a_browser_guest_taps_a_card_and_the_teammate_sees_only_that_they_voted(
    served: Served, tmux: Tmux
) -> None:
    from playwright.sync_api import sync_playwright

    workspace = shlex.quote(str(served.workspace))
    tmux.start("maya", f"{PLANNER} {workspace} --as maya", size=(100, 30))
    tmux.wait_for("maya", lambda s: "Open items" in s)
    tmux.keys("maya", "3")
    tmux.wait_for("maya", lambda s: "s starts one" in s)
    tmux.keys("maya", "s")
    tmux.wait_for("maya", lambda s: "Start an estimation session" in s)
    tmux.keys("maya", "Enter")
    tmux.wait_for("maya", lambda s: "0 of 1 voted" in s)

    link, _ = served.invite("zoe")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(
                viewport={"width": 420, "height": 800}, has_touch=True, is_mobile=True
            )
            screen = BrowserScreen()
            page.on("websocket", screen.watch)
            page.goto(link)
            page.click("#join")  # (opening the link spends nothing: the button does)
            _wait_page(page, lambda: "planner — team.db · zoe" in screen.text(), "zoe's home")
            assert page.url.rstrip("/").endswith(str(served.web_port))  # the cookie, not the link

            bar = screen.lines[-1]  # the key bar: tap "e" (estimate) to join the round
            _tap(page, screen, bar.index(" e ") + 1, len(screen.lines) - 1)
            _wait_page(page, lambda: "0 of 2 voted" in screen.text(), "the round, with zoe")
            tmux.wait_for("maya", lambda s: "0 of 2 voted" in s and "zoe" in s)

            hand = next(
                (row, line)
                for row, line in enumerate(screen.lines)
                if re.search(r"\b0 +1 +2 +3 +5 +8", line)
            )
            _tap(page, screen, hand[1].index(" 5 ") + 1, hand[0])
            _wait_page(page, lambda: "1 of 2 voted" in screen.text(), "zoe's vote on her screen")
        finally:
            browser.close()

    # The tab is closed: zoe's planner ends, and she leaves "Here now".
    tmux.wait_for("maya", lambda s: "here now maya" in s and "zoe" not in _here_now(s))
    seen = tmux.screen("maya")
    assert "1 of 2 voted" in seen
    assert "voted" in _card_boxes(seen) and "5" not in _card_boxes(seen), seen
    votes = _rows(
        served.workspace,
        "SELECT v.card FROM votes v JOIN people p ON p.id = v.person_id WHERE p.name = 'zoe'",
    )
    assert votes == [("5",)]
    (bound,) = _rows(served.workspace, "SELECT bound_to FROM people WHERE name = 'zoe'")
    assert bound[0].startswith("guest:")
    _wait(lambda: "zoe left (browser)" in served.said(), "serve to say zoe left")


def _get(url: str, cookie: str = "", method: str = "GET") -> tuple[int, str]:
    request = urllib.request.Request(
        url, headers={"Cookie": cookie} if cookie else {}, method=method
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_a_link_lets_one_browser_in_once(served: Served) -> None:
    base = f"http://127.0.0.1:{served.web_port}"
    status, page = _get(f"{base}/")
    assert status == 403 and "invitation link" in page

    link, _ = served.invite("ravi")
    # A chat's link preview or a mail scanner fetches the link first: that spends nothing.
    assert _get(link, method="HEAD")[0] == 200
    status, page = _get(link)
    assert status == 200 and "Join as ravi" in page
    request = urllib.request.Request(link, data=b"", method="POST")  # the guest's button
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request, timeout=20)
        pytest.fail("joining should redirect to the app")
    except urllib.error.HTTPError as answer:
        assert answer.code == 303
        cookie = answer.headers["Set-Cookie"]
    # Lax, not Strict: a link clicked in webmail or chat is a navigation from another
    # site, and a Strict cookie set on it was not sent on to the app (the guest was out).
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secret = cookie.split(";")[0]

    status, page = _get(f"{base}/", secret)
    assert status == 200 and "textual.js" in page
    status, page = _get(link)  # another browser, the same link
    assert status == 403 and "planner: the invitation for ravi has already been used" in page
    status, page = _get(link, method="POST")
    assert status == 403 and "already been used" in page
    status, page = _get(f"{base}/join/not-a-real-token")
    assert status == 403 and "not known" in page
    status, page = _get(f"{base}/", "planner_guest=forged")
    assert status == 403

    stored = _rows(served.workspace, "SELECT link_hash, code_hash FROM invitations")
    token = link.rsplit("/", 1)[1]
    assert all(token not in "".join(row) for row in stored)  # only hashes are kept


# --- an SSH guest ------------------------------------------------------------------------


def test_an_ssh_guest_joins_by_code_and_no_other_key_or_late_code_gets_in(
    served: Served, tmux: Tmux
) -> None:
    lena_key, other_key = _keys(served.folder, "lena_key", "other_key")
    _, code = served.invite("lena")
    ssh = shlex.join(served.ssh(lena_key, code))
    tmux.start("lena", f"{ssh}; sleep 30", size=(100, 30))
    tmux.wait_for("lena", lambda s: "planner — team.db · lena" in s and "Open items" in s)
    assert "lena joined (ssh)" in served.said()

    taken = subprocess.run(served.ssh(other_key, code), capture_output=True, timeout=30)
    said = (taken.stdout + taken.stderr).decode()
    assert (
        taken.returncode != 0 and "planner: the invitation for lena has already been used" in said
    ), said

    # The bound key alone is lena, whatever user name it gives.
    tmux.start("again", f"{shlex.join(served.ssh(lena_key, 'anyone'))}; sleep 30", size=(90, 25))
    tmux.wait_for("again", lambda s: "planner — team.db · lena" in s)

    # A guest gets planner and nothing else: no command runs.
    command = subprocess.run(
        [*served.ssh(lena_key, "lena"), "cat /etc/passwd"], capture_output=True, timeout=30
    )
    said = (command.stdout + command.stderr).decode()
    assert command.returncode != 0 and "nothing else" in said and "root:" not in said, said

    # Nobody on the box can open the workspace as lena.
    tmux.start("imposter", f"{PLANNER} {shlex.quote(str(served.workspace))} --as lena; sleep 30")
    tmux.wait_for("imposter", lambda s: "belongs to another account" in s)

    _, late = served.invite("omar")
    with sqlite3.connect(served.workspace) as conn:  # a day goes by
        conn.execute(
            "UPDATE invitations SET expires_at = '2000-01-01T00:00:00+00:00' WHERE name = 'omar'"
        )
    expired = subprocess.run(served.ssh(other_key, late), capture_output=True, timeout=30)
    said = (expired.stdout + expired.stderr).decode()
    assert expired.returncode != 0 and "expired" in said, said

    # One guest's planner dying ends that session only.
    newest = max(_guest_planners(served), key=lambda pid: _started(pid))
    os.kill(newest, signal.SIGKILL)
    tmux.wait_for("again", lambda s: "closed" in s)
    _wait(lambda: "lena left (ssh)" in served.said(), "serve to say that session ended")
    tmux.keys("lena", "2")
    tmux.wait_for("lena", lambda s: "sorted by rank" in s)

    # Revoking lets lena out at once, session and all; nothing she types lands.
    subprocess.run(
        [str(PLANNER), "invite", str(served.workspace), "--revoke", "lena", "--as", "maya"],
        check=True,
        capture_output=True,
    )
    tmux.wait_for("lena", lambda s: "your invitation was revoked" in s)
    _wait(lambda: served.said().count("lena left (ssh)") == 2, "serve to say lena left")
    again = subprocess.run(served.ssh(lena_key, "back"), capture_output=True, timeout=30)
    said = (again.stdout + again.stderr).decode()
    assert again.returncode != 0 and "not invited" in said, said


def _guest_planners(served: Served) -> list[int]:
    """The guests' planner processes serve started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"PLANNER_GUEST_SESSION=" in environ and str(served.workspace).encode() in command:
            found.append(int(entry.name))
    return found


def _started(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])


def test_stopping_serve_ends_guests_and_keeps_what_they_saved(served: Served, tmux: Tmux) -> None:
    (key,) = _keys(served.folder, "key")
    _, code = served.invite("ines-guest")
    tmux.start("guest", f"{shlex.join(served.ssh(key, code))}; echo SSH-ENDED; sleep 30")
    tmux.wait_for("guest", lambda s: "Open items" in s)
    tmux.keys("guest", "n")
    tmux.wait_for("guest", lambda s: "New backlog item" in s)
    tmux.type("guest", "Saved by a guest just before serve stopped")
    tmux.keys("guest", "Enter")
    _wait(
        lambda: _rows(served.workspace, "SELECT 1 FROM items WHERE title LIKE 'Saved by a guest%'"),
        "the guest's item in the file",
    )
    served.stop()
    assert served.process.returncode == 0, served.said()
    tmux.wait_for("guest", lambda s: "SSH-ENDED" in s)
    assert "ended by planner serve" in tmux.screen("guest")  # (not "revoked")
    assert "ines-guest left (ssh)" in served.said()
    assert "stopped" in served.said()
    assert _rows(served.workspace, "SELECT count(*) FROM guest_sessions") == [(0,)]
    assert _rows(
        served.workspace, "SELECT created_by FROM items WHERE title LIKE 'Saved by a guest%'"
    ) == [("ines-guest",)]


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as a box's administrator would provide."""
    from datetime import UTC, datetime, timedelta
    from ipaddress import ip_address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "box.pem", folder / "box-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_with_a_certificate_browsers_join_over_https_only(tmp_path: Path) -> None:
    import ssl

    cert, key = _self_signed(tmp_path)
    served = _start(tmp_path, "--cert", str(cert), "--key", str(key), "--no-ssh")
    try:
        assert f"https://127.0.0.1:{served.web_port}" in served.said()
        link, _ = served.invite("ravi")
        assert link.startswith(f"https://127.0.0.1:{served.web_port}/join/")
        trusted = ssl.create_default_context(cafile=str(cert))
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=trusted), _NoRedirect
        )
        try:
            opener.open(urllib.request.Request(link, data=b"", method="POST"), timeout=20)
            pytest.fail("joining should redirect to the app")
        except urllib.error.HTTPError as answer:
            assert answer.code == 303
            assert "Secure" in answer.headers["Set-Cookie"]
        with pytest.raises(OSError):  # plain http is not served
            urllib.request.urlopen(f"http://127.0.0.1:{served.web_port}/", timeout=20)
    finally:
        served.stop()


def test_serve_says_what_it_cannot_do_in_one_line(tmp_path: Path) -> None:
    workspace = tmp_path / "team.db"
    subprocess.run([str(PLANNER), "demo", str(workspace), "--no-open"], check=True)
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        port = str(busy.getsockname()[1])
        for args, said in [
            (["--web-port", port, "--no-ssh"], "cannot listen for browsers"),
            (["--cert", str(tmp_path / "missing.pem"), "--key", str(tmp_path / "k"), "--no-ssh",
              "--web-port", str(_free_port())], "cannot use --cert/--key"),
            (["--no-web", "--no-ssh"], "leave nothing to serve"),
        ]:  # fmt: skip
            result = subprocess.run(
                [str(PLANNER), "serve", str(workspace), *args],
                capture_output=True,
                text=True,
                timeout=60,
                env=dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state")),
            )
            lines = result.stderr.strip().splitlines()
            assert result.returncode == 2 and len(lines) == 1 and said in lines[0], result.stderr
    finally:
        busy.close()


def test_one_serve_per_workspace(served: Served) -> None:
    """A second serve of the same file said nothing useful and wiped the first's guest
    sessions and addresses even as it failed; now it stops before touching anything."""
    _, code = served.invite("zed")
    second = subprocess.run(
        [str(PLANNER), "serve", str(served.workspace), "--web-port", str(_free_port()),
         "--ssh-port", str(_free_port())],
        capture_output=True, text=True, timeout=60,
        env=dict(os.environ, XDG_STATE_HOME=str(served.folder / "state")),
    )  # fmt: skip
    assert second.returncode == 2 and "already running" in second.stderr, second.stderr
    link, _ = served.invite("amy")  # the first serve's addresses are still known
    assert link.startswith(f"http://127.0.0.1:{served.web_port}/join/")
    assert code
