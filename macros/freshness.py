"""How fresh an FAQ answer is (issue #13): the ``reviewed`` date of a record.

An answer is **stale** when it was last checked against its sources more than
``REVIEW_MONTHS`` months before the *reference date*. The reference date is
``SOURCE_DATE_EPOCH`` when it is set, else today (UTC):

- a build (``mkdocs build``) sets SOURCE_DATE_EPOCH to the last commit's time
  when it is unset (macros/hooks.py, ``_source_date_epoch``), so two builds of
  one commit show the same notices, byte for byte;
- ``make check`` uses today's date, unless SOURCE_DATE_EPOCH is set (CI runs
  that want a reproducible answer set it).

Pure Python: the renderer (the « Vérifié le » line and the notice) and
scripts/check.py (the list of stale records) share these functions.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Iterable

REVIEW_MONTHS = 12


def reference_date() -> _dt.date:
    """SOURCE_DATE_EPOCH as a UTC date if set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
    return _dt.datetime.now(_dt.timezone.utc).date()


def parse(value: str | None) -> _dt.date | None:
    """``"2026-11-29"`` → date; None (or an impossible date) → None."""
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


def review_due(reviewed: _dt.date) -> _dt.date:
    """The day the answer must be checked again: ``REVIEW_MONTHS`` months later
    (29 February → 28 February when the year that comes has none)."""
    months = reviewed.month - 1 + REVIEW_MONTHS
    year, month = reviewed.year + months // 12, months % 12 + 1
    for day in (reviewed.day, 30, 29, 28):
        try:
            return _dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_stale(reviewed: str | None, today: _dt.date | None = None) -> bool:
    """True when ``reviewed`` is older than ``REVIEW_MONTHS`` months (every FAQ
    record has the date: the schema requires it)."""
    date = parse(reviewed)
    return date is not None and review_due(date) < (today or reference_date())


def stale(records: Iterable, today: _dt.date | None = None) -> list:
    """The records (with a ``reviewed`` field) not checked for more than
    ``REVIEW_MONTHS`` months, oldest first."""
    today = today or reference_date()
    found = [r for r in records if is_stale(r.get("reviewed"), today)]
    return sorted(found, key=lambda r: (r.get("reviewed"), r.id))

