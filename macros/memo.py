"""The yearly deadlines memo (issue #14): dates, the page's data, the calendars.

Plain Python that knows nothing of MkDocs, in three parts:

1. **Dates.** Each record of ``data/deadlines/`` says how its date is found
   (``kind``): ``relative`` to the closing date of the financial year
   (``anchor: cloture``) or to another deadline, a ``fixed`` day of the year,
   a ``cycle`` of N years, or ``open`` (no date in the texts cited).
   ``schedule()`` places them in the year that starts on the closing day,
   for one closing month. A delay in months runs from date to date and,
   without the same day number, ends on the last day of the month (code de
   procédure civile, art. 641); ``end_of_month`` takes the last day of the
   month reached (« avant le premier jour du sixième mois »).
2. **The page.** ``page_data()`` gives the template of
   ``docs/outils/memo-echeances.md`` (``overrides/cap/section-memo.html``) the
   default schedule (31 December) and the JSON that
   ``overrides/assets/javascripts/cap-memo.js`` reads to compute the same
   dates for another month.
3. **The calendars.** ``calendar()`` writes one RFC 5545 file per closing
   month and language with ``icalendar``: one event per dated deadline,
   repeated every year (every N years for a cycle), stable UIDs, DTSTAMP
   from SOURCE_DATE_EPOCH (two builds give the same bytes).
   ``add_files()`` adds them to a MkDocs build (macros/hooks.py, on_files):
   ``outils/calendriers/echeances-cloture-MM-LANG.ics`` under each
   language's folder.

The rules the schema cannot check (an anchor that exists, no loop, a date
inside the year…) are in macros/rules.py; they use ``schedule()`` too.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import os
import posixpath
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

CLOSING = "cloture"            # the anchor that names the closing day of the financial year
DEFAULT_MONTH = 12             # the schedule shown without a choice: year ending 31 December
PAGE = "outils/memo-echeances.md"
CALENDAR_DIR = "outils/calendriers"
STORAGE_VERSION = 1
DATED = ("relative", "fixed", "cycle")
FIELDS_OF_KIND = {
    "relative": {"anchor", "months", "days", "end_of_month"},
    "cycle": {"anchor", "months", "days", "end_of_month", "every_years"},
    "fixed": {"month", "day"},
    "open": set(),
}
WHEN_FIELDS = set().union(*FIELDS_OF_KIND.values())


# ---------------------------------------------------------------------------
# 1. Dates
# ---------------------------------------------------------------------------


def last_day(year: int, month: int) -> int:
    return _calendar.monthrange(year, month)[1]


def closing_date(year: int, month: int) -> dt.date:
    """The financial year ends on the last day of ``month``."""
    return dt.date(year, month, last_day(year, month))


def add_months(day: dt.date, months: int, end_of_month: bool = False) -> dt.date:
    """``day`` plus ``months``: the same day number, else the month's last day
    (code de procédure civile, art. 641); with ``end_of_month``, the last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = last_day(year, month)
    return dt.date(year, month, last if end_of_month else min(day.day, last))


def reference_year() -> int:
    """The year the default schedule's financial year ends in: the build's
    (SOURCE_DATE_EPOCH, which macros/hooks.py sets to the last commit's time),
    so that two builds of one commit give the same pages and calendars."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).year
    return dt.date.today().year


def stamp() -> dt.datetime:
    """DTSTAMP of every event: midnight (UTC) of SOURCE_DATE_EPOCH's day, as the
    sitemap's dates; else 1 January of the reference year."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        day = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        return dt.datetime.combine(day, dt.time(), dt.timezone.utc)
    return dt.datetime(reference_year(), 1, 1, tzinfo=dt.timezone.utc)


class LoopError(ValueError):
    """Deadlines whose anchors lead back to themselves."""

    def __init__(self, chain: list[str]):
        self.chain = chain
        super().__init__(" → ".join(chain))


@dataclass(frozen=True)
class Due:
    """One deadline placed in the year: ``date`` (None for ``open``), how many
    anchors lead to it from the closing (``depth``, to order same-day
    deadlines), how many years between two occurrences (``every``)."""

    id: str
    kind: str
    date: dt.date | None
    depth: int
    every: int


def window(closing: dt.date) -> tuple[dt.date, dt.date]:
    """The year a schedule covers: from the closing day, for twelve months."""
    return closing, add_months(closing, 12)


def _fixed(record: Mapping[str, Any], closing: dt.date) -> dt.date:
    start, end = window(closing)
    for year in (start.year, start.year + 1):
        month, day = record["month"], record["day"]
        candidate = dt.date(year, month, min(day, last_day(year, month)))
        if start <= candidate < end:
            return candidate
    return dt.date(start.year, record["month"], min(record["day"], last_day(start.year, record["month"])))


def place(deadlines: Mapping[str, Mapping[str, Any]], closing_month: int, year: int) -> dict[str, Due]:
    """Every deadline placed in the year whose financial year ends in ``closing_month`` of ``year``.
    Raises KeyError for an unknown anchor, LoopError for anchors in a loop."""
    closing = closing_date(year, closing_month)
    done: dict[str, Due] = {}

    def resolve(record_id: str, trail: tuple[str, ...]) -> Due:
        if record_id in done:
            return done[record_id]
        if record_id in trail:
            raise LoopError(list(trail[trail.index(record_id):]) + [record_id])
        record = deadlines[record_id]
        kind = record["kind"]
        every = (record.get("every_years") or 1) if kind == "cycle" else 1
        if kind in ("relative", "cycle"):
            anchor = record["anchor"]
            if anchor == CLOSING:
                base, depth = closing, 1
            else:
                before = resolve(anchor, trail + (record_id,))
                if before.date is None:
                    raise KeyError(anchor)
                base, depth = before.date, before.depth + 1
            day = add_months(base, record.get("months") or 0, bool(record.get("end_of_month")))
            day += dt.timedelta(days=record.get("days") or 0)
            due = Due(record_id, kind, day, depth, every)
        elif kind == "fixed":
            due = Due(record_id, kind, _fixed(record, closing), 1, 1)
        else:
            due = Due(record_id, kind, None, 0, 1)
        done[record_id] = due
        return due

    for record_id in sorted(deadlines):
        resolve(record_id, ())
    return done


def schedule(deadlines: Mapping[str, Mapping[str, Any]], closing_month: int, year: int) -> tuple[list[Due], list[Due]]:
    """(dated deadlines in date order, open deadlines by id) for one closing month."""
    placed = place(deadlines, closing_month, year)
    dated = sorted((d for d in placed.values() if d.date is not None), key=lambda d: (d.date, d.depth, d.id))
    undated = sorted((d for d in placed.values() if d.date is None), key=lambda d: d.id)
    return dated, undated


# ---------------------------------------------------------------------------
# Words (macros/strings.json, « memo_* » keys)
# ---------------------------------------------------------------------------


def month_names(strings: Mapping[str, Mapping[str, str]], lang: str) -> list[str]:
    entry = strings["memo_months"]
    return (entry.get(lang) or entry["fr"]).split("|")


def day_text(day: dt.date, lang: str, names: list[str]) -> str:
    """« 1er mars », « 30 juin » ; « 1 March », « 30 June »."""
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day}\u00a0{names[day.month - 1]}"
    return f"{day.day}\u00a0{names[day.month - 1]}"


def file_name(closing_month: int, lang: str) -> str:
    return f"echeances-cloture-{closing_month:02d}-{lang}.ics"


def file_src(closing_month: int, lang: str) -> str:
    """The calendar's path, as linked from the memo page's source."""
    return f"{CALENDAR_DIR}/{file_name(closing_month, lang)}"


# ---------------------------------------------------------------------------
# 2. The page
# ---------------------------------------------------------------------------


def plain_data(value: Any) -> Any:
    """A record's data as plain JSON values (frozen mappings → dicts, dates → text)."""
    if isinstance(value, Mapping):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def rules_of(records: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """id → the fields that place a deadline (what the page's script needs)."""
    out = {}
    for record in records:
        data = record.data if hasattr(record, "data") else record
        out[data["id"]] = {k: plain_data(data.get(k)) for k in ("kind", *sorted(WHEN_FIELDS)) if data.get(k) is not None}
    return out


def page_data(catalog, lang: str, strings: Mapping[str, Mapping[str, str]], year: int | None = None,
              site_url: str = "") -> dict[str, Any]:
    """What the memo's template needs: the default schedule (31 December),
    grouped by month, the choices of the form and the script's JSON."""
    year = year or reference_year()
    records = dict(catalog["deadlines"])
    rules = rules_of(records.values())
    dated, undated = schedule(rules, DEFAULT_MONTH, year)
    names = month_names(strings, lang)
    groups: list[dict[str, Any]] = []
    for due in dated:
        key = f"{due.date.year}-{due.date.month:02d}"
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "name": names[due.date.month - 1], "month": due.date.month, "items": []})
        groups[-1]["items"].append(_item(records[due.id], due, lang, strings, names))
    choices = [{"month": m, "name": names[m - 1], "closing": day_text(closing_date(year, m), lang, names),
                "file": file_src(m, lang), "file_name": file_name(m, lang)} for m in range(1, 13)]
    script = {
        "lang": lang,
        "year": year,
        "default": DEFAULT_MONTH,
        "storage": f"cap-memo-v{STORAGE_VERSION}-{lang}",
        "months": names,
        "files": {str(m): file_name(m, lang) for m in range(1, 13)},
        "deadlines": rules,
        "updated": _pick(strings["memo_updated"], lang),
    }
    return {"groups": groups, "open": [_item(records[d.id], d, lang, strings, names) for d in undated], "choices": choices,
            "default": choices[DEFAULT_MONTH - 1], "script": script, "year": year,
            "online": _online(site_url, lang) if site_url else ""}


def _online(site_url: str, lang: str) -> str:
    """The memo's address on the public site (printed at the foot of the paper memo)."""
    stem = PAGE[: -len(".md")]
    return site_url.rstrip("/") + "/" + ("" if lang == "fr" else f"{lang}/") + stem + "/"


def _item(record, due: Due, lang: str, strings: Mapping[str, Mapping[str, str]], names: list[str]) -> dict[str, Any]:
    """One deadline as the template shows it."""
    reviewed = record["reviewed"]
    if not isinstance(reviewed, dt.date):
        reviewed = dt.date.fromisoformat(str(reviewed))
    return {"record": record, "due": due, "date": due.date.isoformat() if due.date else None,
            "day": day_text(due.date, lang, names) if due.date else None,
            "forms": forms_text(record, strings, lang),
            "reviewed": f"{day_text(reviewed, lang, names)} {reviewed.year}"}


def _pick(entry: Mapping[str, str], lang: str) -> str:
    return entry.get(lang) or entry["fr"]


# ---------------------------------------------------------------------------
# 3. The calendars
# ---------------------------------------------------------------------------


def _text(value: Mapping[str, str] | None, lang: str) -> str:
    from .render import plain_text  # Markdown → one line of plain text
    return plain_text(_pick(value, lang)) if value else ""


def event_description(record, catalog, lang: str, strings: Mapping[str, Mapping[str, str]], due: Due) -> str:
    """The event's text: what to do, what to prepare, who, for whom, the legal basis (with its address)."""
    s = lambda key, **v: _pick(strings[key], lang).format(**v)  # noqa: E731
    lines = [_text(record["detail"], lang)]
    if record.get("condition"):
        lines.append(f"{s('memo_condition')}{s('colon')} {_text(record['condition'], lang)}")
    if record.get("when_note"):
        lines.append(_text(record["when_note"], lang))
    if due.every > 1:
        lines.append(s("memo_cycle_ics", n=due.every))
    lines.append(f"{s('memo_prepare')}{s('colon')}")
    lines += [f"- {_text(item, lang)}" for item in record["prepare"]]
    lines.append(f"{s('memo_who')}{s('colon')} {_text(record['who'], lang)}")
    lines.append(f"{s('memo_forms')}{s('colon')} {forms_text(record, strings, lang)}")
    lines.append(f"{s('memo_basis')}{s('colon')}")
    for item in record["sources"]:
        title = _text(catalog.get("sources", item["source"])["title"], lang)
        lines.append(f"- {title}, {item['page']} : {item['url']}" if lang == "fr" else f"- {title}, {item['page']}: {item['url']}")
    return "\n".join(lines)


COOPERATIVES = ("scop", "scic", "cae")
LEGAL_FORMS = ("sarl", "sas", "sa")


def forms_of(record) -> tuple[list[str], list[str]]:
    return list(record.get("cooperatives") or COOPERATIVES), list(record.get("legal_forms") or LEGAL_FORMS)


def forms_text(record, strings: Mapping[str, Mapping[str, str]], lang: str) -> str:
    coops, forms = forms_of(record)
    label = lambda key: _pick(strings[f"memo_form_{key}"], lang)  # noqa: E731
    return ", ".join(label(k) for k in coops) + " · " + ", ".join(label(k) for k in forms)


def calendar(catalog, lang: str, closing_month: int, strings: Mapping[str, Mapping[str, str]],
             year: int | None = None, when: dt.datetime | None = None, url: str = "") -> bytes:
    """The RFC 5545 calendar of one closing month in one language."""
    import icalendar

    year = year or reference_year()
    when = when or stamp()
    records = dict(catalog["deadlines"])
    dated, _ = schedule(rules_of(records.values()), closing_month, year)
    names = month_names(strings, lang)
    closing = day_text(closing_date(year, closing_month), lang, names).replace("\u00a0", " ")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Cap coopératif//Mémo des échéances//" + lang.upper())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _pick(strings["memo_ics_name"], lang).format(date=closing))
    for due in dated:
        record = records[due.id]
        event = icalendar.Event()
        event.add("uid", f"{due.id}.cloture-{closing_month:02d}.{lang}@cap-cooperatif")
        event.add("dtstamp", when)
        event.add("summary", _text(record["title"], lang))
        event.add("dtstart", due.date)
        event.add("dtend", due.date + dt.timedelta(days=1))
        rule: dict[str, Any] = {"freq": "yearly"}
        if due.every > 1:
            rule["interval"] = due.every
        if due.date.month == 2 and due.date.day == last_day(due.date.year, 2):
            rule.update(bymonth=2, bymonthday=-1)  # the last day of February, leap years included
        event.add("rrule", rule)
        event.add("description", event_description(record, catalog, lang, strings, due))
        first = record["sources"][0]
        event.add("url", first["url"])
        event.add("transp", "TRANSPARENT")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _text(record["title"], lang))
        alarm.add("trigger", dt.timedelta(days=-7))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


# ---------------------------------------------------------------------------
# MkDocs: the calendar files (called from macros/hooks.py, on_files)
# ---------------------------------------------------------------------------


def add_files(files, config, lang: str, render, generated_file: Callable) -> None:
    """Add the twelve calendars of ``lang`` to the build (``generated_file(src, dest, content)``)."""
    prefix = "" if lang == "fr" else f"{lang}/"
    for month in range(1, 13):
        src = file_src(month, lang)
        if files.get_file_from_path(src) is not None:
            continue
        content = calendar(render.catalog, lang, month, render.strings)
        files.append(generated_file(src, prefix + src, content))


def relative(target_src: str, from_src: str) -> str:
    return posixpath.relpath(target_src, posixpath.dirname(from_src) or ".")


__all__ = ["CLOSING", "DEFAULT_MONTH", "Due", "LoopError", "add_months", "closing_date", "place", "schedule",
           "page_data", "calendar", "add_files", "file_name", "file_src", "window", "reference_year"]
