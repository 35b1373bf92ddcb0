"""jobdesc: signed-off job instructions (job descriptions) from YAML role profiles.

The Python API, each imported on first use so that ``import jobdesc`` (and the CLI) stay fast:

- ``render(Request(...), out_dir, bundle=None, options=None)``: one variant's files; returns their paths.
- ``validate(bundle=None, organisation=None)``: every problem of a profiles library (``Validation.problems``).
- ``run_batch(batch_file, out_dir, workers)``: every variant of a batch file (``BatchResult``).
- ``Request``, ``Bundle`` (a profiles folder) and ``RenderOptions`` (templates, PDF variant).

A batch runs its variants in spawned worker processes, which import the calling script again:
a script that calls ``run_batch`` needs the ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Bundle", "RenderOptions", "Request", "__version__", "render", "run_batch", "validate"]

if TYPE_CHECKING:
    from .batch import run_batch
    from .bundle import Bundle
    from .pipeline import Request, render
    from .renderers import RenderOptions
    from .validation import validate

_HOMES = {
    "Bundle": "bundle",
    "RenderOptions": "renderers",
    "Request": "pipeline",
    "render": "pipeline",
    "run_batch": "batch",
    "validate": "validation",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
