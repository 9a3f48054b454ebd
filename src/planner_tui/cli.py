"""The `planner` command: open the TUI on a workspace, write a demo, check a file."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from planner_tui import __version__

if TYPE_CHECKING:
    from planner_tui.domain.exchange import Problem
    from planner_tui.exchange.run import Outcome
    from planner_tui.services.context import Session
    from planner_tui.store.workspace import Workspace

DEFAULT_WORKSPACE = "planner.db"
GUEST_SESSION_VARIABLE = "PLANNER_GUEST_SESSION"
"""Set by `planner serve` for a guest's planner (services.invitations says the same)."""
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""The driver textual-serve runs an app with: its keys and screen travel over pipes."""
DEFAULT_DEMO = "planner-demo.db"
EXIT_UNUSABLE = 2

EPILOG = """\b
Examples:
  planner                       open ./planner.db (created if missing)
  planner team.db               open team.db under your login name
  planner team.db --as maya     open team.db as maya (a name is bound to the first
                                account that uses it; others are refused)
  planner demo                  write ./planner-demo.db with a demo team, and open it
  planner check team.db         schema version, integrity and counts; exit 0 if healthy
  planner people team.db        names, roles, accounts (planner people -h)
  planner share team.db         how the file is shared on this machine (planner share -h)
  planner export team.db        the current sprint as Markdown (see planner export -h)
  planner import team.db jira.csv   a Jira, GitHub, Linear or planner file (planner import -h)

Several people may open one workspace file at once (for example over SSH on a
team box, each under their own account); each sees the others' changes live.
See the README's "Set up a team box".
"""


def _say(message: str, *, err: bool = False) -> None:
    """Print a line for a person to read: quoted titles, keys, names and file names can
    hold control characters, which are shown as symbols, never sent to the terminal."""
    from planner_tui.domain.text import visible

    click.echo(visible(message), err=err)


def _fail(message: str) -> NoReturn:
    _say(f"planner: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def default_user() -> str:
    """Who I am when `--as` is not given: $PLANNER_USER, else my account's login name.

    The login comes from the process's uid, never from $USER or $LOGNAME, which
    anyone can set; a name asked for is then checked against the workspace's
    bindings when it is opened.
    """
    name = os.environ.get("PLANNER_USER", "").strip()
    if name:
        return name
    from planner_tui.services.accounts import login_of

    return login_of(os.getuid())


def _check_name(name: str, source: str) -> str:
    """The name, trimmed; one line and exit 2 if it cannot be a person's name."""
    from planner_tui.domain.text import NAME_RULE, is_name, name_key

    name = name_key(name)
    if not is_name(name):
        _fail(f"{source} {name!r}: {NAME_RULE}")
    return name


_OPTIONS_WITH_VALUES = ("--as", "--theme")


def _positionals(args: list[str]) -> list[str]:
    """The arguments that are neither options nor option values."""
    found: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _OPTIONS_WITH_VALUES:
            skip = True
        elif not arg.startswith("-"):
            found.append(arg)
    return found


def _looks_like_a_command(word: str, after: list[str]) -> bool:
    """A bare word followed by another argument is a mistyped command, not a file."""
    return bool(_positionals(after)) and not Path(word).exists() and Path(word).suffix == ""


class _WorkspaceFirstGroup(click.Group):
    """`planner FILE` means `planner open FILE`: a bare path opens a workspace."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any(a in ("--help", "-h", "--version") for a in args):
            _quiet_on_a_closed_pipe()  # (help is printed, and nothing else runs)
        if ctx.resilient_parsing and not _positionals(args):
            # Shell completion of the first word: the commands (and files) are offered,
            # not `open`'s arguments.
            return super().parse_args(ctx, args)
        rest = list(args)
        index = 0
        while index < len(rest):
            arg = rest[index]
            if arg in _OPTIONS_WITH_VALUES:
                index += 2
                continue
            if arg.startswith("-"):
                index += 1
                continue
            if arg not in self.commands:
                if _looks_like_a_command(arg, rest[index + 1 :]):
                    commands = ", ".join(sorted(self.commands))
                    _fail(f"no command {arg!r}; the commands are {commands} (see planner --help)")
                rest.insert(index, "open")
            break
        else:
            if not any(a in ("--help", "-h", "--version") for a in rest):
                rest.append("open")
        return super().parse_args(ctx, rest)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        """The first word completes to a command's name or to a workspace file."""
        from click.shell_completion import CompletionItem

        items: list[Any] = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            items.append(CompletionItem(incomplete, type="file"))
        return items


_as_option = click.option(
    "--as",
    "as_name",
    metavar="NAME",
    default=None,
    help="Your name in the workspace (default: $PLANNER_USER, else your login). A name is bound "
    "to the account that first used it; another account cannot use it.",
)
_theme_option = click.option(
    "--theme",
    default=None,
    metavar="THEME",
    help="Colour theme, e.g. projector (high contrast), projector-light, textual-dark, textual-light.",
)


@click.group(
    cls=_WorkspaceFirstGroup,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="planner")
@_as_option
@_theme_option
@click.pass_context
def main(ctx: click.Context, as_name: str | None, theme: str | None) -> None:
    """Sprint planning, planning poker, risk flags and retros, in one SQLite workspace file."""
    ctx.ensure_object(dict)
    ctx.obj["as"] = as_name
    ctx.obj["theme"] = theme
    if ctx.invoked_subcommand in PRINTING_COMMANDS:
        _quiet_on_a_closed_pipe()


def _quiet_on_a_closed_pipe() -> None:
    """`planner export X | head -1`: a reader that stops reading ends us quietly, as it
    ends any Unix tool, not with a BrokenPipeError (Python ignores SIGPIPE)."""
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


PRINTING_COMMANDS = frozenset({"check", "people", "share", "invite", "keys", "export", "import"})
"""Commands whose output may be piped; the app and the server manage their own output."""


def _who(ctx: click.Context, as_name: str | None) -> str:
    """Who I ask to be: --as (on the command or before it), else $PLANNER_USER, else my login.

    Asking is not being: the workspace refuses a name bound to another account.
    """
    given = as_name if as_name is not None else ctx.obj.get("as")
    if given is not None:
        return _check_name(given, "--as")
    if os.environ.get("PLANNER_USER", "").strip():
        return _check_name(os.environ["PLANNER_USER"], "PLANNER_USER")
    from planner_tui.services.settings import load

    settings, _ = load()  # (what is wrong in the file is said when the UI opens)
    if settings.name:
        return _check_name(settings.name, "the config's name")
    return _check_name(default_user(), "your login name")


@main.command("open")
@click.argument("workspace", required=False, type=click.Path(path_type=Path))
@_as_option
@_theme_option
@click.pass_context
def open_command(
    ctx: click.Context, workspace: Path | None, as_name: str | None, theme: str | None
) -> None:
    """Open WORKSPACE in the terminal UI (default ./planner.db, created if missing; when
    there is none here, the workspaces opened lately are offered first)."""
    if workspace is None:
        workspace = _pick_workspace()
    if os.environ.get(GUEST_SESSION_VARIABLE):  # a guest's planner, started by planner serve
        if as_name is not None or ctx.obj.get("as") is not None:
            _fail("a guest's name comes from their invitation, not from --as")
        run_app(workspace, "", theme or ctx.obj.get("theme"), guest=True)
        return
    run_app(workspace, _who(ctx, as_name), theme or ctx.obj.get("theme"))


@main.command("demo")
@click.argument("workspace", default=DEFAULT_DEMO, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace WORKSPACE if it already exists.")
@click.option("--no-open", is_flag=True, help="Only write the demo; do not start the UI.")
@_as_option
@_theme_option
@click.pass_context
def demo_command(
    ctx: click.Context,
    workspace: Path,
    force: bool,
    no_open: bool,
    as_name: str | None,
    theme: str | None,
) -> None:
    """Write a demo workspace (a checkout team mid-sprint) to WORKSPACE and open it."""
    me = _who(ctx, as_name)
    if workspace.is_dir():
        _fail(f"{workspace} is a directory; give a file name such as {workspace / DEFAULT_DEMO}")
    if workspace.exists() and workspace.stat().st_size > 0 and not force:
        _validate(workspace)
        kept = "left as it is" if no_open else "opening it as it is"
        _say(f"planner: {workspace} exists; {kept} (--force rebuilds it)", err=True)
    else:
        write_demo(workspace, replace=force)
        _say(f"planner: wrote the demo workspace to {workspace}", err=True)
    if not no_open:
        run_app(workspace, me, theme or ctx.obj.get("theme"))


@main.command("check")
@click.argument("workspace", type=click.Path(path_type=Path))
def check_command(workspace: Path) -> None:
    """Report WORKSPACE's schema version, integrity and counts; exit 0 only if healthy."""
    from planner_tui.services.health import health_report

    try:
        report = health_report(workspace)
    except Exception as error:
        _fail(_describe(error))
        return
    if report.schema_version == report.expected_version:
        schema = "current"
    else:
        schema = "older; planner backs it up and migrates it when it opens it"
    foreign = "ok" if not report.foreign_key_problems else f"{report.foreign_key_problems} broken"
    malformed = ", ".join(f"{n} malformed in {where}" for where, n in report.malformed.items())
    rows = [
        ("workspace", str(workspace)),
        ("schema", f"v{report.schema_version} ({schema})"),
        ("integrity", "; ".join(report.integrity)),
        ("references", foreign),
        ("item counts", "ok" if report.tally_matches else "out of step with the items"),
        ("stored values", malformed or "ok"),
        *((table.replace("_", " "), str(count)) for table, count in report.counts.items()),
    ]
    for label, value in rows:
        _say(f"{label:<18} {value}")
    _say("healthy" if report.healthy else "NOT healthy")
    sys.exit(0 if report.healthy else 1)


@main.command("people")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--role",
    "role",
    nargs=2,
    metavar="NAME ROLE",
    help="Give NAME a role: product, engineering, design or other.",
)
@click.option("--give", metavar="NAME", help="Hand your name NAME to another account (--to).")
@click.option("--to", "to_login", metavar="LOGIN", help="The account --give hands the name to.")
@_as_option
@click.pass_context
def people_command(
    ctx: click.Context,
    workspace: Path,
    role: tuple[str, str] | None,
    give: str | None,
    to_login: str | None,
    as_name: str | None,
) -> None:
    """List WORKSPACE's people: role, the account each name is bound to, who is here.

    \b
    A name belongs to the account that first opened the workspace under it;
    names without an account are people in the room, entered by the facilitator.
    Engineering holds the security veto: only an engineer or the workspace's
    owner (the account that owns the file) can move someone into or out of it.
      planner people team.db
      planner people team.db --role raj engineering
      planner people team.db --give maya --to mokafor
    """
    from planner_tui.domain.text import cells, padded
    from planner_tui.services import people

    if (give is None) != (to_login is None):
        _fail("--give NAME needs --to LOGIN (and --to needs --give)")
    if role is not None or give is not None:
        session = _open_as(workspace, _who(ctx, as_name))
        try:
            if role is not None:
                people.set_role(session, role[0], role[1])
                _say(f"planner: {role[0]} is now {role[1].strip().casefold()}")
            if give is not None and to_login is not None:
                login = people.hand_over(session, give, to_login)
                _say(f"planner: {give} now belongs to the account {login}")
        except Exception as error:
            _fail(_describe(error))
        finally:
            session.workspace.close()
        return
    ws = _open_quietly(workspace)
    try:
        listing = people.listing(ws)
    except Exception as error:
        _fail(_describe(error))
        return
    finally:
        ws.close()
    width = max([len("name"), *(cells(shown(p.name)) for p in listing)]) + 1
    _say(f"{padded('name', width)} {'role':<12} {'account':<16} here")
    for person in listing:
        account = shown(person.account) if person.account else "(in the room: no account)"
        _say(
            f"{padded(shown(person.name), width)} {person.role.value:<12} "
            f"{padded(account, 16)}{'yes' if person.here else ''}".rstrip()
        )


def shown(text: str) -> str:
    """User text as it will take room on a terminal line (controls made visible)."""
    from planner_tui.domain.text import one_line

    return one_line(text)


def _open_as(workspace: Path, me: str) -> Session:
    """The workspace opened as `me` (the name bound to this account), or one line and exit 2."""
    from planner_tui.services.context import open_session

    if not workspace.exists():
        _fail(f"{workspace} does not exist")
    try:
        with _patience(workspace):
            return open_session(workspace, me)
    except Exception as error:
        _fail(_describe(error))


@main.command("share")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option("--group", metavar="GROUP", help="The team's group (default: the folder's).")
@click.option("--fix", is_flag=True, help="Mend what you may: groups and modes of your files.")
def share_command(workspace: Path, group: str | None, fix: bool) -> None:
    """Check how WORKSPACE is shared on this machine; --fix mends it. Exit 0 when all is well.

    \b
    A team box shares a workspace through a group: the file and the files
    beside it (-wal, -shm, and -here, where running planners hold their locks)
    group-writable, in a setgid folder of that group, with
    umask 002 (or 007) in every teammate's shell. See the README, "Set up a team box".
      planner share team.db
      planner share team.db --group team --fix
    """
    from planner_tui.services import sharing

    try:
        report = sharing.examine(workspace, group)
    except Exception as error:
        _fail(_describe(error))
        return
    if fix:
        sharing.mend(report)
        report.lines = sharing.examine(workspace, group).lines  # as it is now
    for line in report.lines:
        _say(line)
    if report.healthy:
        _say(f"shared well with group {report.group}")
    for finding in report.findings:
        _say(f"problem: {finding.problem}")
        _say(f"  {finding.mended or 'fix: ' + finding.fix}")
    sys.exit(0 if report.healthy else 1)


@main.command("invite")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("name", required=False)
@click.option(
    "--expires",
    metavar="SPAN",
    default=None,
    help="How long the invitation can be used: 30m, 8h, 2d, 1w (default 1d; at most 30d).",
)
@click.option("--list", "list_them", is_flag=True, help="List the invitations and their state.")
@click.option("--revoke", metavar="NAME", help="Revoke NAME's invitation (or #N, by number).")
@_as_option
@click.pass_context
def invite_command(
    ctx: click.Context,
    workspace: Path,
    name: str | None,
    expires: str | None,
    list_them: bool,
    revoke: str | None,
    as_name: str | None,
) -> None:
    """Invite NAME to join WORKSPACE as a guest through planner serve.

    \b
    Prints a link for a browser and a code for SSH. Either lets one browser or
    one SSH key in, once: from then on that browser (a cookie) or that key is
    NAME's, and nobody can open the workspace as NAME another way. The
    workspace keeps only hashes of the secrets. Invitations expire; --revoke
    ends one (its guest is let out and the name is free again).
      planner invite team.db lena
      planner invite team.db lena --expires 2h
      planner invite team.db --list
      planner invite team.db --revoke lena
    """
    from planner_tui.services import invitations

    if sum([bool(name), list_them, revoke is not None]) != 1:
        _fail("give a NAME to invite, or --list, or --revoke NAME (see planner invite -h)")
    if list_them:
        ws = _open_quietly(workspace)
        try:
            listing = invitations.listing(ws)
        finally:
            ws.close()
        if not listing:
            _say("no invitations yet (planner invite WORKSPACE NAME makes one)")
        for view in listing:
            here = f"  · {view.live} session(s) now" if view.live else ""
            _say(
                f"#{view.id:<4} {shown(view.name):<20} {view.state:<20} by {shown(view.created_by)}"
                f"  · until {view.expires_at[:16].replace('T', ' ')} UTC{here}"
            )
        return
    session = _open_as(workspace, _who(ctx, as_name))
    try:
        if revoke is not None:
            revoked = invitations.revoke(session, revoke)
            _say(f"planner: revoked {revoked}'s invitation; {revoked} is a free name again")
            return
        assert name is not None
        new = invitations.invite(session, name, invitations.check_lifetime(expires))
        for line in invitations.how_to_join(session.workspace, new):
            _say(line)
    except Exception as error:
        _fail(_describe(error))
    finally:
        session.workspace.close()


@main.command("serve")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Anything but a loopback address lets other machines in: "
    "use TLS (--cert/--key) or a reverse proxy.",
)
@click.option(
    "--web-port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Browsers' port.",
)
@click.option(
    "--ssh-port",
    type=click.IntRange(1, 65535),
    default=2222,
    show_default=True,
    help="SSH clients' port.",
)
@click.option("--no-web", is_flag=True, help="Do not serve browsers.")
@click.option("--no-ssh", is_flag=True, help="Do not serve SSH clients.")
@click.option(
    "--cert",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TLS certificate (PEM, with its chain) for browsers: links become https.",
)
@click.option("--key", type=click.Path(path_type=Path, dir_okay=False), help="--cert's key.")
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers use, when a reverse proxy (with TLS) stands in front.",
)
@click.option(
    "--host-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="SSH host key (made on first use; default ~/.local/state/planner/ssh_host_ed25519_key).",
)
def serve_command(
    workspace: Path,
    host: str,
    web_port: int,
    ssh_port: int,
    no_web: bool,
    no_ssh: bool,
    cert: Path | None,
    key: Path | None,
    public_url: str | None,
    host_key: Path | None,
) -> None:
    """Let invited guests into WORKSPACE from a browser or an SSH client.

    \b
    Each guest gets their own planner on the file, as a teammate in their own
    terminal does: live changes, hidden votes, private cards, presence. A guest
    needs no account on this machine and gets planner and nothing else: no
    shell, no commands, no other files; an export they ask for is downloaded to
    their browser (over SSH there are none). Who they are comes from their
    invitation (planner invite), never from what they type.
    \b
    Listens on 127.0.0.1 unless --host says otherwise. For other machines, give
    --cert and --key (https), or put a TLS reverse proxy in front (--public-url).
    Prints who joins and leaves; Ctrl+C ends every guest's session, and what
    they saved stays saved.
      planner serve team.db
      planner invite team.db lena           (in another terminal)
      planner serve team.db --host 0.0.0.0 --cert box.pem --key box-key.pem
    """
    from planner_tui.serve.run import ServeOptions, serve

    if no_web and no_ssh:
        _fail("--no-web and --no-ssh leave nothing to serve")
    if not workspace.exists():
        _fail(f"{workspace} does not exist")
    options = ServeOptions(
        workspace=workspace.expanduser().absolute(),
        host=host,
        web_port=None if no_web else web_port,
        ssh_port=None if no_ssh else ssh_port,
        cert=cert,
        key=key,
        public_url=public_url,
        host_key=host_key,
    )
    try:
        serve(options, _say)
    except Exception as error:
        _fail(_describe(error))


@main.command("keys")
def keys_command() -> None:
    """List every key binding's id, keys and meaning: what a config's [keys] can change.

    \b
    The config file is ~/.config/planner/config.toml (or $XDG_CONFIG_HOME/planner):
      theme = "projector"
      name = "maya"
      [keys]
      "backlog.filter" = "f"
      "app.help" = "f1,question_mark"
    """
    import importlib

    from planner_tui.app import SCREEN_ORDER, bindings_by_id
    from planner_tui.services.settings import config_path

    for name in SCREEN_ORDER:
        importlib.import_module(f"planner_tui.screens.{name}")
    _say(f"# ids for [keys] in {config_path()}")
    for binding_id, (keys, meaning) in sorted(bindings_by_id().items()):
        _say(f"{binding_id:<28} {keys:<22} {meaning}")


@main.command("export")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "csv"]),
    default="markdown",
    show_default=True,
    help="markdown: a summary to paste; json: lossless; csv: for spreadsheets.",
)
@click.option(
    "--session", type=int, metavar="ID", help="One meeting: planning, estimation or retro."
)
@click.option("--sprint", type=int, metavar="ID", help="One sprint: goal, capacity, items, risks.")
@click.option("--what", type=click.Choice(["backlog", "risks", "actions"]), help="A list instead.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@click.option(
    "--list",
    "list_parts",
    is_flag=True,
    help="List the sessions and sprints, with the ids --session and --sprint take.",
)
def export_command(
    workspace: Path,
    fmt: str,
    session: int | None,
    sprint: int | None,
    what: str | None,
    output: Path | None,
    list_parts: bool,
) -> None:
    """Export WORKSPACE (or one session, sprint or list) as Markdown, JSON or CSV.

    \b
    Without -o the export goes to stdout, so it can be piped:
      planner export team.db --list          (the ids of sessions and sprints)
      planner export team.db --sprint 2 > sprint-2.md
      planner export team.db --format csv --what risks -o risks.csv
      planner export team.db --format json -o backup.json
    """
    from planner_tui.domain.errors import InvalidInput
    from planner_tui.exchange import run

    if list_parts:
        ws = _open_quietly(workspace)
        try:
            for line in run.part_lines(ws):
                _say(line)
        except Exception as error:
            _fail(_describe(error))
        finally:
            ws.close()
        return
    if output is not None and str(output) != "-":
        try:
            run.check_target(output, workspace)
        except InvalidInput as error:
            _fail(str(error))
    ws = _open_quietly(workspace)
    try:
        with _progress(f"exporting {workspace.name}", 1) as progress:
            result = run.exported(
                ws, fmt, session=session, sprint=sprint, what=what, progress=progress
            )
    except Exception as error:
        _fail(_describe(error))
        return
    finally:
        ws.close()
    text = result.text
    if result.withheld.total:  # a running meeting's hidden values are in no export
        click.echo(f"planner: {result.withheld.describe()}", err=True)
    if output is None or str(output) == "-":
        _write_export(text)
        return
    try:
        # A byte-order mark lets Excel on Windows read é and ☕ in a CSV; our reader skips it.
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    _say(f"planner: wrote {output}", err=True)


@main.command("import")
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jira-csv", "github-json", "linear-csv", "csv", "json"]),
    help="The file's format; found from its content when not given.",
)
@click.option(
    "--dry-run", is_flag=True, help="Say what would be added, updated and skipped; write nothing."
)
@click.option("--skip-invalid", is_flag=True, help="Import the good rows and report the bad ones.")
@_as_option
@click.pass_context
def import_command(
    ctx: click.Context,
    workspace: Path,
    file: Path,
    fmt: str | None,
    dry_run: bool,
    skip_invalid: bool,
    as_name: str | None,
) -> None:
    """Import FILE (Jira CSV, GitHub issues JSON, Linear CSV, our CSV or JSON) into WORKSPACE.

    \b
    Every row is checked first; a bad file changes nothing and gets a report
    (line, column, what is wrong). Items keep their source and key, so importing
    the same file again updates them. The whole import is one transaction.
      planner import team.db jira.csv --dry-run
      gh issue list --json number,title,body,labels,state,url,milestone,assignees,createdAt > issues.json
      planner import team.db issues.json
    """
    from planner_tui.exchange import run

    me = _who(ctx, as_name)
    try:
        data = file.read_bytes()
    except OSError as error:
        _fail(f"cannot read {file}: {error.strerror or error}")
        return

    def into(target: Path) -> Outcome:
        """Import into the workspace at `target`, as `me`: one transaction."""
        from planner_tui.services.context import open_session

        try:
            with _patience(target):
                session = open_session(target, me, check_only=dry_run)
        except Exception as error:
            _fail(_describe(error))
        try:
            rows = max(data.count(b"\n"), 1)  # about the rows: read once, then written once
            with _progress(f"importing {file.name}", 2 * rows) as progress:
                return run.import_file(
                    session.workspace, data, file.name, fmt, dry_run=dry_run,
                    skip_invalid=skip_invalid, progress=progress,
                )  # fmt: skip
        except run.ImportRefused as refused:
            _report_problems(refused.parsed.problems[1:])  # the first is in the last line
            _fail(str(refused))
        except Exception as error:
            _fail(_describe(error))
        finally:
            session.workspace.close()

    if workspace.exists():
        outcome = into(workspace)
    else:
        outcome = _into_new(workspace, into, keep=not dry_run)
    _report_import(outcome, dry_run)


def _into_new(workspace: Path, into: Callable[[Path], Outcome], *, keep: bool) -> Outcome:
    """Run `into` on a new workspace built aside, moved to `workspace` only when it succeeds.

    Nothing is ever deleted at `workspace`: if someone created it meanwhile (a
    teammate opened the path), the import goes into their file instead, as into
    any existing workspace.
    """
    from planner_tui.store import files

    built = files.aside(workspace.absolute(), "import")
    try:
        outcome = into(built)  # closed: SQLite folds its journal back into the one file
    except BaseException:
        files.remove_built(built)
        raise
    if not keep:
        files.remove_built(built)
        return outcome
    if files.publish(built, workspace):
        return outcome
    files.remove_built(built)
    _say(f"planner: {workspace} was created meanwhile; importing into it", err=True)
    return into(workspace)


def _report_problems(problems: Sequence[Problem]) -> None:
    shown = problems[:50]
    for problem in shown:
        _say(f"  {problem.describe()}", err=True)
    if len(problems) > len(shown):
        _say(f"  … and {len(problems) - len(shown)} more", err=True)


def _report_import(outcome: Outcome, dry_run: bool) -> None:
    from planner_tui.domain.text import one_line

    summary = outcome.summary
    would = "would be " if dry_run else ""
    if outcome.restored_rows:
        _say(
            f"planner: {'would restore' if dry_run else 'restored'} the "
            f"{'whole workspace' if outcome.restored == 'workspace' else outcome.restored} "
            f"({outcome.restored_rows} rows, {len(summary.added)} items)"
        )
        return
    from planner_tui.exchange.read_common import SEPARATORS

    separator = outcome.parsed.separator
    read_as = outcome.format
    if outcome.format.endswith("csv"):  # which separator it read, as spreadsheets vary
        read_as += f", cells separated by {SEPARATORS.get(separator, repr(separator))}"
    _say(f"planner: {read_as}: {outcome.parsed.rows} rows read")
    _say(f"  {len(summary.added)} {would}added")
    _say(f"  {len(summary.updated)} {would}updated")
    _say(f"  {summary.unchanged} unchanged")
    _say(f"  {len(summary.skipped)} skipped (invalid)")
    if dry_run:
        for title in summary.added[:20]:
            _say(f"  + {one_line(title, 100)}")
        for key in summary.updated[:20]:
            _say(f"  ~ {one_line(key, 100)}")
    _report_problems(summary.skipped)


def _write_export(text: str) -> None:
    """An export on stdout: exact bytes for a pipe or a file, readable text for a terminal.

    On a terminal the export is read, not kept, so control characters in stored text
    are shown as symbols like everywhere else. Anything else gets the text exactly as
    the format holds it (click.echo would drop escape sequences when not on a terminal).
    """
    from planner_tui.domain.text import visible

    if sys.stdout.isatty():
        click.echo(visible(text), nl=False)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _open_quietly(workspace: Path) -> Workspace:
    """The workspace for reading, or one line and exit 2."""
    from planner_tui.store.workspace import Workspace

    if not workspace.exists():
        _fail(f"{workspace} does not exist")
    try:
        with _patience(workspace):
            return Workspace.open(workspace, actor="export", readonly=True)
    except Exception as error:
        _fail(_describe(error))


@contextmanager
def _progress(label: str, length: int) -> Iterator[Callable[[int, int | None], None]]:
    """A progress callback (rows done of about `length`) drawn as a bar on a terminal's
    stderr; silent otherwise."""
    if not sys.stderr.isatty():

        def silent(done: int, total: int | None = None) -> None:
            """Not a terminal: no bar."""

        yield silent
        return
    from planner_tui.domain.text import one_line

    with click.progressbar(length=length, label=one_line(label), file=sys.stderr) as bar:
        last = [0]

        def advance(done: int, total: int | None = None) -> None:
            if total:  # the real count, once reading is over
                bar.length = total
            bar.update(max(done - last[0], 0))
            last[0] = max(done, last[0])

        yield advance


def _describe(error: Exception) -> str:
    from planner_tui.services.errors import friendly

    return friendly(error)


def write_demo(workspace: Path, *, replace: bool) -> None:
    """Build the demo workspace file, replacing an existing file only if asked."""
    from planner_tui.exchange.demo import write_demo_workspace

    try:
        write_demo_workspace(workspace, replace=replace)
    except Exception as error:
        _fail(_describe(error))


NEW_WORKSPACE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def _pick_workspace() -> Path:
    """./planner.db if it is here; else, on a terminal, a choice of the workspaces opened
    lately (enter: a new ./planner.db)."""
    here = Path(DEFAULT_WORKSPACE)
    if here.exists() or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return here
    from planner_tui.services.settings import recent

    known = recent()
    if not known:
        return here
    _say("planner: workspaces opened lately:", err=True)
    for number, path in enumerate(known, start=1):
        _say(f"  {number}  {path}", err=True)
    while True:
        answer = click.prompt(
            f"Open which (1-{len(known)}; enter: a new ./{DEFAULT_WORKSPACE})",
            default="",
            show_default=False,
            err=True,
        ).strip()
        if not answer:
            return here
        if answer.isdigit() and 1 <= int(answer) <= len(known):
            return known[int(answer) - 1]
        _say(f"planner: a number from 1 to {len(known)}, or enter", err=True)


def run_app(workspace: Path, me: str, theme: str | None, *, guest: bool = False) -> None:
    """Open the workspace as `me` (a served guest: as their invitation says) and run the UI
    until the user quits."""
    from planner_tui.services.context import WorkspaceReadOnly, open_session, open_viewer

    if not workspace.exists() and workspace.suffix.lower() not in NEW_WORKSPACE_SUFFIXES:
        _fail(
            f"{workspace} is not a command or an existing workspace; a new workspace needs a "
            f"name ending in .db, such as {workspace.name}.db (see planner --help)"
        )

    if theme:
        _check_theme(theme)
    problems: list[str] = []
    keymap: dict[str, str] = {}
    if not guest:  # a guest runs as serve's account: its settings are not the guest's
        from planner_tui.services.settings import load

        settings, problems = load()
        keymap = settings.keys
        if not theme and settings.theme:
            if settings.theme in _theme_names():
                theme = settings.theme
            else:
                problems.append(f"{_config_name()}: theme: no theme {settings.theme!r}")
    served = os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER
    if not served and not (sys.stdin.isatty() and sys.stderr.isatty()):
        _validate(workspace)
        _fail("the planner UI needs a terminal; for scripts use planner check")
    account = None
    try:
        with _patience(workspace):
            if guest:
                from planner_tui.services.invitations import guest_identity

                me, account = guest_identity(workspace, os.environ[GUEST_SESSION_VARIABLE])
            try:
                session = open_session(workspace, me, account)
            except WorkspaceReadOnly as why:  # can look, cannot write: a read-only view
                session = open_viewer(workspace, me, account, reason=str(why))
    except Exception as error:  # every failure becomes one line
        _fail(_describe(error))
        return
    from planner_tui.app import PlannerApp, spare_the_collector

    if not guest:  # beside the start-up, not before the first paint
        from planner_tui.services.settings import remember_workspace

        threading.Thread(target=remember_workspace, args=(workspace,), daemon=True).start()
    app = PlannerApp(
        session, theme=theme, keymap=keymap, problems=problems, remember_theme=not guest
    )
    spare_the_collector()
    try:
        app.run()
    finally:
        session.close()
    if app.crash_log is not None:
        _say(
            f"planner: an internal error stopped planner; every saved change is in {workspace}. "
            f"Details for a bug report: {app.crash_log}",
            err=True,
        )
        sys.exit(1)


@contextmanager
def _patience(workspace: Path) -> Iterator[None]:
    """Say so on stderr if opening takes more than a second (another program holds a lock)."""

    def say() -> None:
        _say(f"planner: waiting for another program to release {workspace}…", err=True)

    timer = threading.Timer(1.0, say)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _validate(workspace: Path) -> None:
    """Fail with one line unless `workspace` could be opened; writes nothing."""
    from planner_tui.services.context import validate_workspace

    try:
        with _patience(workspace):
            validate_workspace(workspace)
    except Exception as error:  # every failure becomes one line
        _fail(_describe(error))


def _theme_names() -> list[str]:
    from textual.theme import BUILTIN_THEMES

    from planner_tui.themes import OUR_THEMES

    return sorted({*BUILTIN_THEMES, *(our.name for our in OUR_THEMES)})


def _config_name() -> str:
    from planner_tui.services.settings import config_path

    return str(config_path())


def _check_theme(theme: str) -> None:
    names = _theme_names()
    if theme not in names:
        _fail(f"no theme {theme!r}; try one of: {', '.join(names)}")
