"""How a workspace is shared through the OS: its group, modes, folder and journal files.

`planner share` reports what it finds and, with `--fix`, mends what the person
running it may mend. A team box shares a workspace through a group: the file
and its journal files group-writable, in a setgid folder of that group so new
journal files take the group too (see the README's "Set up a team box").
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from dataclasses import dataclass, field
from pathlib import Path

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.text import padded
from planner_tui.store.files import sidecars


@dataclass(frozen=True)
class FileFacts:
    """One file's owner, group and permission bits."""

    path: Path
    owner: str
    group: str
    gid: int
    uid: int
    mode: int

    @classmethod
    def of(cls, path: Path) -> FileFacts:
        info = path.stat()
        return cls(path, _user(info.st_uid), _group(info.st_gid), info.st_gid, info.st_uid,
                   stat.S_IMODE(info.st_mode))  # fmt: skip

    def line(self, label: str) -> str:
        """`team.db  alice:team  rw-rw-r--` for the report."""
        owner = padded(f"{self.owner}:{self.group}", 21)
        return f"{padded(label, 14)}{owner}{stat.filemode(self.mode)[1:]}"


@dataclass
class Finding:
    """Something that keeps a teammate out (or lets too many in), and how to mend it."""

    problem: str
    fix: str
    mend: list[tuple[Path, int | None, int | None]] = field(default_factory=list)
    """(file, new mode or None, new gid or None) that `--fix` applies."""
    mended: str = ""


@dataclass
class Report:
    """What `planner share` found."""

    lines: list[str]
    findings: list[Finding]
    group: str

    @property
    def healthy(self) -> bool:
        """Nothing left to mend."""
        return all(finding.mended == "fixed" for finding in self.findings)


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def members(gid: int) -> list[str]:
    """Everyone in group `gid`: listed members and those for whom it is the login group."""
    try:
        listed = set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        listed = set()
    listed |= {entry.pw_name for entry in pwd.getpwall() if entry.pw_gid == gid}
    return sorted(listed)


def _gid_of(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise InvalidInput(f"no group {name!r} on this machine (groupadd {name})") from None


GROUP_RW = stat.S_IRGRP | stat.S_IWGRP


def examine(path: Path, group: str | None = None) -> Report:
    """Look at the workspace at `path`, its folder and journal files, for sharing with `group`.

    Without `group`, the folder's group if the folder is setgid (a team folder), else
    the file's own group.

    Raises:
        InvalidInput: the file is missing, or the group does not exist.
    """
    path = path.expanduser().absolute()
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist or is not a file")
    db = FileFacts.of(path)
    folder = FileFacts.of(path.parent)
    setgid = bool(folder.mode & stat.S_ISGID)
    team_folder_gid = folder.gid if setgid else db.gid
    gid = _gid_of(group) if group is not None else team_folder_gid
    group_name = _group(gid)
    team = members(gid)
    lines = [db.line(path.name), folder.line("folder")]
    findings: list[Finding] = []

    personal = group_name == db.owner and team in ([], [db.owner])
    if personal and group is None:
        findings.append(
            Finding(
                f"{path.name} is in {db.owner}'s own group: nobody else can write it",
                f"share it with a team group: planner share {path.name} --group GROUP --fix",
            )
        )
    else:
        if db.gid != gid:
            findings.append(
                Finding(
                    f"{path.name} is in group {db.group}, not {group_name}",
                    f"chgrp {group_name} {path.name}",
                    [(path, None, gid)],
                )
            )
        if db.mode & GROUP_RW != GROUP_RW:
            findings.append(
                Finding(
                    f"group {group_name} cannot write {path.name}: its members get a read-only view",
                    f"chmod g+rw {path.name}",
                    [(path, db.mode | GROUP_RW, None)],
                )
            )
        if folder.gid != gid or not setgid or folder.mode & stat.S_IWGRP == 0:
            findings.append(
                Finding(
                    f"the folder is not a setgid folder writable by {group_name}: journal files "
                    "a teammate's planner creates there would not take the group",
                    f"chgrp {group_name} {path.parent} && chmod g+rwxs {path.parent}",
                    [(path.parent, folder.mode | stat.S_IRWXG | stat.S_ISGID, gid)],
                )
            )
    if db.mode & stat.S_IWOTH:
        findings.append(
            Finding(
                f"anyone on this machine can write {path.name}",
                f"chmod o-w {path.name}",
                [(path, db.mode & ~stat.S_IWOTH, None)],
            )
        )
    # Journal files and backups should match the workspace as it will be once mended
    # (SQLite gives a new journal file the workspace's mode).
    wanted_mode = (db.mode | (0 if personal else GROUP_RW)) & ~stat.S_IWOTH & 0o666
    for extra in [*sidecars(path), *sorted(path.parent.glob(f"{path.name}.bak-v*"))]:
        if not extra.exists():
            continue
        facts = FileFacts.of(extra)
        lines.append(facts.line(extra.name.replace(path.name, "", 1) or extra.name))
        if facts.mode != wanted_mode or (facts.gid != gid and not personal):
            findings.append(
                Finding(
                    f"{extra.name} ({facts.owner}:{facts.group} "
                    f"{stat.filemode(facts.mode)[1:]}) does not match the workspace",
                    f"chgrp {group_name} {extra.name} && chmod {wanted_mode:o} {extra.name}",
                    [(extra, wanted_mode, None if personal else gid)],
                )
            )
    writers = _writers(db, gid, team)
    lines.append(f"{padded('group ' + group_name, 14)}{', '.join(team) or '(no members)'}")
    lines.append(f"{'can write':<14}{writers}")
    readers = "everyone on this machine" if db.mode & stat.S_IROTH else "nobody else"
    lines.append(f"{'can read':<14}{readers} (with sqlite3 too: all of it, votes included)")
    return Report(lines, findings, group_name)


def _writers(db: FileFacts, gid: int, team: list[str]) -> str:
    if db.mode & stat.S_IWOTH:
        return "everyone on this machine"
    names = [db.owner]
    if db.mode & stat.S_IWGRP and db.gid == gid:
        names += [name for name in team if name != db.owner]
    return ", ".join(names)


def mend(report: Report) -> None:
    """Apply each finding's fix that the account running this may apply; say who can do the rest.

    Only a file's owner (or root) may change its mode or group, and only to a group
    they are in.
    """
    for finding in report.findings:
        if not finding.mend:
            finding.mended = "needs a choice: " + finding.fix
            continue
        try:
            for target, new_mode, new_gid in finding.mend:
                if new_gid is not None and target.stat().st_gid != new_gid:
                    os.chown(target, -1, new_gid)
                if new_mode is not None:
                    os.chmod(target, new_mode)
            finding.mended = "fixed"
        except PermissionError:
            owner = _user(finding.mend[0][0].stat().st_uid)
            who = "root" if owner == "root" else f"{owner} or root"
            finding.mended = f"only {who} can: {finding.fix}"
