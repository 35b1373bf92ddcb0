"""Where the bundled templates, profiles and catalogs live.

In a source checkout they sit beside the package; an installed wheel carries
them inside the package as ``jobdesc/_data/`` (see pyproject.toml).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_DATA = _PACKAGE / "_data" if (_PACKAGE / "_data").is_dir() else _PACKAGE.parent

TEMPLATES = _DATA / "templates"
PROFILES = _DATA / "profiles"
LOCALES = _DATA / "locales"


def display(path: Path) -> str:
    """A path as a user should read it: relative to the bundle or the working directory."""
    resolved = Path(os.path.abspath(path))
    for base in (Path.cwd(), _DATA):
        try:
            return str(resolved.relative_to(base))
        except ValueError:
            continue
    return str(path)
