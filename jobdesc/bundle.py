"""Find roles, jurisdictions and organisations by name in a profiles folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .paths import PROFILES

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
        path = self.root / kind / f"{name}.yaml"
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
        if "/" in given or given.endswith((".yaml", ".yml")):
            path = Path(given)
            if not path.is_file():
                raise UsageError(f"organisation file {given!r} does not exist")
            return path
        return self.organisation_path(given)
