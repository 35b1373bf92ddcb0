"""Find roles, jurisdictions and organisations by name in a profiles folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .characters import first_problem
from .errors import UsageError
from .paths import PROFILES

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
DEFAULT_ORGANISATION = "bg"  # a bare `jobdesc render` makes the Bulgarian instruction


@dataclass(frozen=True)
class Bundle:
    root: Path = PROFILES

    def paths(self, kind: str) -> list[Path]:
        return sorted((self.root / kind).glob("*.yaml"))

    def _names(self, kind: str) -> list[str]:
        return [p.stem for p in self.paths(kind)]

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
        path = self.root / kind / f"{check_name(what, name)}.yaml"
        if not path.is_file():
            valid = ", ".join(self._names(kind)) or "(none)"
            raise UsageError(f"unknown {what} {name!r}; valid: {valid}")
        return path

    def role_path(self, name: str) -> Path:
        return self._path("roles", "role", name)

    def jurisdiction_path(self, name: str) -> Path:
        return self._path("jurisdictions", "jurisdiction", name)

    def organisation_path(self, name: str) -> Path:
        return self._path("organisations", "organisation", name)

    def organisation_for(self, jurisdiction: str | None) -> Path:
        """The organisation of a jurisdiction (named like it), else the default one, else the
        folder's only organisation."""
        if jurisdiction is not None:
            check_name("jurisdiction", jurisdiction)
        for name in (jurisdiction, DEFAULT_ORGANISATION):
            if name and (self.root / "organisations" / f"{name}.yaml").is_file():
                return self.organisation_path(name)
        if len(self.organisations()) == 1:
            return self.organisation_path(self.organisations()[0])
        return self.organisation_path(DEFAULT_ORGANISATION)  # the error lists those there are

    def organisation(self, given: Path | str | None, jurisdiction: str | None = None) -> Path:
        """``--org``: a file, a bundled organisation's name, or (None) the jurisdiction's own."""
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
