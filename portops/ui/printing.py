"""Where the console saves a document to print (the EIR, ``p`` on its screen), and the writing.

A terminal console often runs as a service user whose home has no ``~/Documents``: printing
the EIR there once failed with "No such file or directory". A document now goes to the
first folder that can be written, created if missing: the one the site configures
(``PORTOPS_PRINT_DIR``, :attr:`portops.ui.settings.Settings.print_dir`), else the user's
documents folder, else the folder the console was started in. The clerk is told in one
sentence where the file went, or, when no folder can be written, which and why; never a
traceback. (The departure bay plan, F12 ctrl+w, is written to the path the clerk types and on
purpose does not make a mistyped folder; the tally and load reports are issued, not saved.)
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_documents_path

from portops.ui.settings import Settings


def print_folders(settings: Settings) -> list[Path]:
    """The folders to try, in order: the site's, the user's documents, the current one."""
    folders = [Path(settings.print_dir).expanduser()] if settings.print_dir else []
    folders += [user_documents_path(), Path.cwd()]
    return list(dict.fromkeys(folders))


def write_document(target: Path, text: str) -> tuple[str, str | None]:
    """Write ``text`` to ``target``, making its folder first; ``(path, None)`` once written,
    ``(path, why)`` when it could not be (why: the system's one-line reason)."""
    target = target.expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        return str(target), exc.strerror or type(exc).__name__
    return str(target.resolve()), None


def save_for_printing(folders: list[Path], name: str, text: str) -> tuple[str, str | None]:
    """Save ``name`` in the first of ``folders`` that takes it: ``(path, None)``; when none
    does, ``(first folder's path, why it failed)``, the folder the clerk expected."""
    failed: tuple[str, str | None] | None = None
    for folder in folders:
        path, why = write_document(folder / name, text)
        if why is None:
            return path, None
        failed = failed or (path, why)
    return failed or (name, "no folder")
