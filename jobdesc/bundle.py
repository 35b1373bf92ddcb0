"""Find roles, jurisdictions and organisations by name in a profiles folder."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .characters import first_problem
from .errors import JobdescError, UsageError
from .paths import PROFILES, display

# A name, never a path: what a command line, a batch file or a document's identity may give.
_NAME = re.compile(r"[^\W_][\w.-]*")


def check_name(what: str, name: str) -> str:
    """``name`` itself if it can only mean a file of its own folder; else a UsageError that says why."""
    if not name.strip():
        raise UsageError(f"the {what} is empty: give a name, or leave the option out for the default")
    problem = first_problem(name)
    if problem:
        raise UsageError(f"{what} {name!r}: {problem}")
    if not _NAME.fullmatch(name) or ".." in name:
        raise UsageError(
            f"{what} {name!r} is not a name: a name is letters, digits, '-', '_' and '.', "
            "never a path (see jobdesc list)"
        )
    return name

DEFAULT_ROLE = "account-manager"  # a bare `jobdesc render` renders this role
_BUNDLED = PROFILES.resolve()  # resolved once: every lookup of a layered library asks it
DEFAULT_ORGANISATION = "bg"  # a bare `jobdesc render` makes the Bulgarian instruction


@dataclass(frozen=True)
class Bundle:
    """A library of profiles: one folder, or the user's folders layered over the bundled one.

    Each kind (roles, jurisdictions, organisations, industries, batches) is looked up by name
    in ``root`` first, then in each of ``fallbacks``: a user's file replaces a bundled one of
    the same kind and name, and adds to the rest."""

    root: Path = PROFILES
    fallbacks: tuple[Path, ...] = ()

    @classmethod
    def layered(cls, folders: Sequence[Path]) -> Bundle:
        """The user's folders, first given first, over the bundled library."""
        chain: list[Path] = []
        for folder in (*folders, PROFILES):
            if not any(folder.resolve() == seen.resolve() for seen in chain):
                chain.append(folder)
        return cls(chain[0], tuple(chain[1:]))

    @property
    def folders(self) -> tuple[Path, ...]:
        return (self.root, *self.fallbacks)

    def _found(self, kind: str) -> dict[str, Path]:
        """Each name of a kind with the file that wins: the first folder's."""
        found: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted((folder / kind).glob("*.yaml")):
                found.setdefault(path.stem, path)
        return dict(sorted(found.items()))

    def paths(self, kind: str) -> list[Path]:
        return list(self._found(kind).values())

    def own_paths(self, kind: str) -> list[Path]:
        """The files of a kind that are the user's: over the bundled library, those of the user's
        folders; a library of one folder (no layers) is all the user's."""
        return [p for p in self.paths(kind) if not (self.fallbacks and self.is_bundled(p))]

    @staticmethod
    def is_bundled(path: Path) -> bool:
        return path.resolve().is_relative_to(_BUNDLED)

    def _names(self, kind: str) -> list[str]:
        return list(self._found(kind))

    def roles(self) -> list[str]:
        return self._names("roles")

    def jurisdictions(self) -> list[str]:
        return self._names("jurisdictions")

    def organisations(self) -> list[str]:
        return self._names("organisations")

    def industries(self) -> list[str]:
        return self._names("industries")

    def industry_path(self, name: str) -> Path:
        return self._path("industries", "industry", name)

    def _path(self, kind: str, what: str, name: str) -> Path:
        check_name(what, name)
        for folder in self.folders:
            path = folder / kind / f"{name}.yaml"
            if path.is_file() or path.is_symlink():  # a symlink is refused when read, by name
                return path
        valid = ", ".join(self._names(kind)) or "(none)"
        raise UsageError(f"unknown {what} {name!r}; valid: {valid}")

    def role_path(self, name: str) -> Path:
        return self._path("roles", "role", name)

    def jurisdiction_path(self, name: str) -> Path:
        return self._path("jurisdictions", "jurisdiction", name)

    def organisation_path(self, name: str) -> Path:
        return self._path("organisations", "organisation", name)

    def organisation_for(self, jurisdiction: str | None) -> Path:
        """The organisation a variant is made for when none is named: the user's own one named
        like the jurisdiction or in it (without a jurisdiction: the user's only one), else the
        library's one named like the jurisdiction, else the default (Bulgarian) sample, else
        the library's only one."""
        from .profile import load_organisation  # profiles build on this module

        if jurisdiction is not None:
            check_name("jurisdiction", jurisdiction)
        found = self._found("organisations")
        own = {name: path for name, path in found.items() if not self.is_bundled(path)}
        if jurisdiction in own:
            return own[jurisdiction]
        if jurisdiction is None and len(own) == 1:
            return next(iter(own.values()))
        for path in own.values():
            try:
                if load_organisation(path).jurisdiction == jurisdiction:
                    return path
            except JobdescError:
                continue  # a broken one is reported when it is used
        for name in (jurisdiction, DEFAULT_ORGANISATION):
            if name in found:
                return found[name]
        if len(found) == 1:
            return next(iter(found.values()))
        return self.organisation_path(DEFAULT_ORGANISATION)  # the error lists those there are

    def organisation(self, given: Path | str | None, jurisdiction: str | None = None) -> Path:
        """``--org``: a file, an organisation's name, or (None) the one ``organisation_for`` picks."""
        if given is None:
            return self.organisation_for(jurisdiction)
        if isinstance(given, Path):
            return given
        if "/" in given or "\\" in given or given.endswith((".yaml", ".yml")):  # a file named on the command line
            path = Path(given)
            if not path.is_file():
                raise UsageError(f"organisation file {given!r} does not exist")
            return path
        return self.organisation_path(given)

    def key(self, path: Path) -> str:
        """A file's place in the library, the same for two versions of it: its layer and its
        path inside that layer's folder (``0:jurisdictions/pl.yaml``)."""
        for index, folder in enumerate(self.folders):
            if path.is_relative_to(folder):
                return f"{index}:{path.relative_to(folder).as_posix()}"
        return str(path)

    def with_root(self, root: Path) -> Bundle:
        """The same layers with another version of the first folder (a git revision, a copy)."""
        return Bundle(root, self.fallbacks)

    def folder_of(self, path: Path) -> str:
        """Which folder of the library a file comes from, as `list` and `explain` show it."""
        return "bundled" if self.is_bundled(path) else display(path.parent.parent)
