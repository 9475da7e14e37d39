"""No test and no build step reads anything outside the checkout (DESIGN.md,
"Tests stay inside the repository"): a user's fresh clone has nothing beside it.

An audit hook (``sys.addaudithook``) sees every ``open``, ``os.listdir`` and
``os.scandir`` of the Python process and writes each path that is *beside*
the checkout — under its parent folder but not inside it, as ``../shared/…``
is — to the log file named by ``CAP_GUARD_LOG``. tests/conftest.py installs
it in the test process and, by putting this folder on ``PYTHONPATH`` (Python
imports ``sitecustomize`` at start-up), in every Python process a test starts
(``mkdocs build``, the stages of ``make build``, the scripts); at the end of
the session it fails the run if the log is not empty.

Temporary files are not "beside the checkout", even when the checkout sits
directly in the temporary folder (pytest's ``pytest-of-*``, ``tempfile``'s ``tmp*``).
"""

from __future__ import annotations

import os
import sys
import tempfile

EVENTS = frozenset({"open", "os.listdir", "os.scandir"})
_busy = False


def beside(path: str, root: str) -> bool:
    """Is ``path`` under the parent of ``root`` but not under ``root`` (nor a temporary file)?"""
    parent = os.path.dirname(root)
    path = os.path.abspath(path)
    if not path.startswith(parent.rstrip(os.sep) + os.sep) or path == root or path.startswith(root + os.sep):
        return False
    temp = os.path.abspath(tempfile.gettempdir())
    if temp == parent:  # the checkout is directly in /tmp: pytest's and tempfile's folders are its siblings
        first = path[len(parent.rstrip(os.sep)) + 1:].split(os.sep, 1)[0]
        return not first.startswith(("pytest-of-", "tmp"))
    if temp.startswith(parent.rstrip(os.sep) + os.sep):  # a temporary folder kept beside the checkout
        return not path.startswith(temp + os.sep)
    return True  # temporary files are elsewhere (or the checkout is deeper inside /tmp): truly beside it


def _hook(event: str, args: tuple) -> None:
    global _busy
    if event not in EVENTS or _busy or not args:
        return
    root, log = os.environ.get("CAP_GUARD_ROOT"), os.environ.get("CAP_GUARD_LOG")
    path = args[0]
    if not root or not log or path is None or isinstance(path, int):
        return
    try:
        path = os.fsdecode(os.fspath(path))
    except TypeError:
        return
    if not beside(path, root):
        return
    _busy = True
    try:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{event}\t{os.path.abspath(path)}\t{' '.join(sys.argv)[:200]}\n")
    finally:
        _busy = False


def install() -> None:
    """Add the hook once per process (it cannot be removed: it reads its
    checkout and log from the environment at each event)."""
    if not getattr(sys, "_cap_guard_installed", False):
        sys.addaudithook(_hook)
        sys._cap_guard_installed = True


if os.environ.get("CAP_GUARD_LOG"):
    install()
