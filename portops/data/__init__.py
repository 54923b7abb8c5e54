"""Data that ships inside the package: the default checklists and the demo terminal's files.

They live here, not in the checkout's ``schedules/`` (whose files are links to these), so
that ``pip install .`` (not only an editable install) has them: ``portops init --demo`` read
``schedules/demo/*.yaml`` next to the package and failed everywhere but in a checkout.
Read with :mod:`importlib.resources`, so the files are found wherever the package is.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def path(*parts: str) -> Path:
    """The packaged file ``parts`` (e.g. ``path("demo", "layout.yaml")``) as a path on disk.

    A path, not a ``Traversable``: importers report problems as ``FILE:LINE``. portops is
    installed as files (never zipped), so the resource is a file of its own.
    """
    resource = files(__name__).joinpath(*parts)
    return Path(str(resource))


__all__ = ["path"]
