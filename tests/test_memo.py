"""The deadlines memo (issue #14): data/deadlines/ → docs/outils/memo-echeances*.md,
its twelve calendars per language, its script, in the built site and the offline bundle.

Expected dates are computed here from the records' own rules with
dateutil's relativedelta (a month added to the 31st ends on the month's last
day, as the code de procédure civile counts): an implementation of the rules
independent of macros/memo.py, which makes the site.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
import pytest
from dateutil.relativedelta import relativedelta

from conftest import ROOT
from macros.catalog import LANGUAGES, load_catalog

CATALOG = load_catalog(ROOT / "data")
RULES = {rid: record.data for rid, record in CATALOG["deadlines"].items()}
PAGE = {"fr": "outils/memo-echeances/index.html", "en": "en/outils/memo-echeances/index.html"}
OFFLINE_PAGE = {"fr": "outils/memo-echeances.html", "en": "en/outils/memo-echeances.html"}
CALENDARS = {"fr": "outils/calendriers", "en": "en/outils/calendriers"}
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


def build_epoch() -> int:
    out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return int(out)


YEAR = dt.datetime.fromtimestamp(build_epoch(), dt.timezone.utc).year


# -- the rules, computed independently -------------------------------------------


def expected_dates(closing_month: int, year: int = YEAR) -> dict[str, dt.date]:
    """Every dated deadline for a financial year ending on the last day of ``closing_month``."""
    closing = dt.date(year, closing_month, 1) + relativedelta(day=31)
    out: dict[str, dt.date] = {}

    def date_of(rid: str) -> dt.date:
        if rid in out:
            return out[rid]
        rule = RULES[rid]
        if rule["kind"] == "fixed":
            day = dt.date(closing.year, rule["month"], rule["day"])
            if day < closing:
                day = dt.date(closing.year + 1, rule["month"], rule["day"])
        else:
            base = closing if rule["anchor"] == "cloture" else date_of(rule["anchor"])
            day = base + relativedelta(months=rule.get("months") or 0)
            if rule.get("end_of_month"):
                day += relativedelta(day=31)
            day += dt.timedelta(days=rule.get("days") or 0)
        out[rid] = day
        return day

    for rid, rule in RULES.items():
        if rule["kind"] != "open":
            date_of(rid)
    return out


def test_known_dates_of_a_december_and_a_june_closing():
    """The rules give the dates the texts say (read in data/deadlines/*.yml's sources)."""
    december, june = expected_dates(12, 2026), expected_dates(6, 2026)
    assert december["approbation-des-comptes"] == dt.date(2027, 6, 30)  # six months
    assert june["approbation-des-comptes"] == dt.date(2026, 12, 30)      # same day number: 30 December
    assert december["depot-des-comptes"] == dt.date(2027, 7, 30)         # one month after the meeting
    assert december["convocation-assemblee"] == dt.date(2027, 6, 15)     # fifteen days before
    assert december["versement-participation"] == dt.date(2027, 5, 31)  # before the 1st of the sixth month
    assert june["versement-participation"] == dt.date(2026, 11, 30)
    assert december["index-egalite-professionnelle"] == dt.date(2027, 3, 1)
    assert june["index-egalite-professionnelle"] == dt.date(2027, 3, 1)


def test_every_deadline_cites_an_official_article_and_was_reviewed():
    for rid, rule in RULES.items():
        hosts = [urlsplit(item["url"]).hostname for item in rule["sources"]]
        assert any(h.endswith((".gouv.fr", "legifrance.gouv.fr", "service-public.fr", "urssaf.fr")) for h in hosts), rid
        assert dt.date.fromisoformat(rule["reviewed"]) <= dt.date.today(), rid  # a quoted date, as in the FAQ


# -- the calendars ------------------------------------------------------------------


def calendar_file(site: Path, lang: str, month: int) -> Path:
    return site / CALENDARS[lang] / f"echeances-cloture-{month:02d}-{lang}.ics"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_twelve_calendars_per_language_parse(site: Path, lang: str):
    files = sorted((site / CALENDARS[lang]).glob("*.ics"))
    assert [f.name for f in files] == [f"echeances-cloture-{m:02d}-{lang}.ics" for m in range(1, 13)]
    dated = {rid for rid, rule in RULES.items() if rule["kind"] != "open"}
    day = dt.datetime.fromtimestamp(build_epoch(), dt.timezone.utc).date()
    stamp = dt.datetime.combine(day, dt.time(), dt.timezone.utc)  # the build's day, as the sitemap's
    uids = set()
    for path in files:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert calendar["version"] == "2.0" and calendar["prodid"]
        events = list(calendar.walk("VEVENT"))
        assert {str(e["uid"]).split(".")[0] for e in events} == dated
        for event in events:
            uid = str(event["uid"])
            assert uid not in uids
            uids.add(uid)
            assert event.decoded("dtstamp") == stamp  # from the last commit's day: reproducible
            rule = RULES[uid.split(".")[0]]
            rrule = event["rrule"]
            assert rrule["FREQ"] == ["YEARLY"]
            assert rrule.get("INTERVAL", [1]) == [rule.get("every_years") or 1]
            description = str(event["description"])
            for item in rule["sources"]:
                assert item["url"] in description
            assert str(event["url"]) == rule["sources"][0]["url"]
            assert list(event.walk("VALARM"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("month", [12, 6])
def test_calendar_events_fall_on_the_dates_the_rules_give(site: Path, lang: str, month: int):
    calendar = icalendar.Calendar.from_ical(calendar_file(site, lang, month).read_bytes())
    found = {str(e["uid"]).split(".")[0]: e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert found == expected_dates(month)
    titles = {str(e["uid"]).split(".")[0]: str(e["summary"]) for e in calendar.walk("VEVENT")}
    for rid, title in titles.items():
        assert title == " ".join(RULES[rid]["title"][lang].split())


def test_stable_uids_across_builds_of_the_same_data(site: Path):
    first = calendar_file(site, "fr", 12).read_bytes()
    assert b"UID:approbation-des-comptes.cloture-12.fr@cap-cooperatif" in first


# -- the page, as built ---------------------------------------------------------------


def day_text(day: dt.date, lang: str) -> str:
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day}\u00a0{MONTHS_FR[day.month - 1]}"
    return f"{day.day}\u00a0{MONTHS_EN[day.month - 1]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_without_script_shows_the_december_schedule(site: Path, lang: str):
    html = (site / PAGE[lang]).read_text(encoding="utf-8")
    expected = expected_dates(12)
    shown = dict(re.findall(r'data-cap-memo-item="([a-z0-9-]+)"(?:(?!</article>).)*?<time datetime="([0-9-]+)"', html, re.S))
    assert {k: dt.date.fromisoformat(v) for k, v in shown.items()} == expected
    order = [k for k in re.findall(r'<article class="cap-memo__item"[^>]*data-cap-memo-item="([a-z0-9-]+)"', html)
             if k in expected]
    assert [expected[k] for k in order] == sorted(expected[k] for k in order)
    for rid in RULES:  # every deadline has its anchor (open ones too) and its legal basis linked
        assert f'id="{rid}"' in html
        for item in RULES[rid]["sources"]:
            assert f'href="{item["url"]}"' in html
    assert '<form class="cap-memo__form" data-cap-memo-form hidden>' in html  # needs the script
    assert f'href="../calendriers/echeances-cloture-12-{lang}.ics"' in html
    for month in range(1, 13):  # the other months' calendars, for readers without JavaScript
        assert f'href="../calendriers/echeances-cloture-{month:02d}-{lang}.ics"' in html
    assert 'id="cap-memo-data"' in html and "cap-memo.js" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_practice_page_leads_to_the_tool(site: Path, lang: str):
    prefix = "" if lang == "fr" else "en/"
    practice = (site / f"{prefix}bonnes-pratiques/memo-echeances/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="md-button md-button--primary cap-tool-link" href="([^"]+)"', practice)
    assert link, "the practice page shows the tool as a button"
    target = (site / f"{prefix}bonnes-pratiques/memo-echeances/").joinpath(link.group(1)).resolve()
    assert target == (site / PAGE[lang]).parent.resolve()
    memo = (site / PAGE[lang]).read_text(encoding="utf-8")
    assert 'href="../../bonnes-pratiques/memo-echeances/"' in memo  # and back


# -- in Chromium -----------------------------------------------------------------------

SHOWN = """() => [...document.querySelectorAll('[data-cap-memo-schedule] [data-cap-memo-item]')].map(el => [
  el.getAttribute('data-cap-memo-item'), el.querySelector('time').getAttribute('datetime'),
  el.querySelector('time').textContent])"""


def choose_june_with_the_keyboard(page) -> None:
    """Tab to the month list, then six presses on the up arrow: December → June."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "cap-memo-closing":
            break
    else:
        raise AssertionError("the month list is not reachable with Tab")
    for _ in range(6):
        page.keyboard.press("ArrowUp")


def check_june(page, lang: str) -> None:
    expected = expected_dates(6)
    shown = page.evaluate(SHOWN)
    assert {rid: dt.date.fromisoformat(day) for rid, day, _ in shown} == expected
    assert [dt.date.fromisoformat(day) for _, day, _ in shown] == sorted(expected.values())
    for rid, day, text in shown:
        assert text == day_text(expected[rid], lang)
    assert page.get_attribute("a[data-cap-memo-ics]", "href").endswith(f"/echeances-cloture-06-{lang}.ics")
    closing = page.eval_on_selector_all("[data-cap-memo-closing]", "els => els.map(e => e.textContent)")
    assert set(closing) == {day_text(dt.date(YEAR, 6, 30), lang)}
    assert page.eval_on_selector("#cap-memo-closing", "e => e.value") == "6"


@pytest.fixture(scope="module")
def memo_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_choosing_june_recomputes_dates_and_link_and_survives_a_reload(memo_context, site_url: str, site: Path, lang: str):
    page = memo_context.new_page()
    try:
        page.goto(site_url + PAGE[lang].removesuffix("index.html"))
        assert page.is_visible("#cap-memo-closing")
        assert page.get_attribute("label[for=cap-memo-closing]", "for") == "cap-memo-closing"
        choose_june_with_the_keyboard(page)
        check_june(page, lang)
        status = page.text_content("[role=status][aria-live=polite]")
        assert day_text(dt.date(YEAR, 6, 30), lang) in status
        href = page.get_attribute("a[data-cap-memo-ics]", "href")
        target = (site / PAGE[lang]).parent.joinpath(unquote(href)).resolve()
        assert target == calendar_file(site, lang, 6).resolve() and target.is_file()
        stored = page.evaluate(f"localStorage.getItem('cap-memo-v1-{lang}')")
        assert stored == '{"month":6}'
        page.reload()
        check_june(page, lang)
        assert page.text_content("[role=status]") == ""  # restored quietly, not announced
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_horizontal_scroll_at_360_px(browser, site_url: str, lang: str):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(site_url + PAGE[lang].removesuffix("index.html"))
        page.select_option("#cap-memo-closing", "9")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
    finally:
        context.close()


def test_prints_on_one_or_two_a4_pages_with_the_chosen_month(memo_context, site_url: str, tmp_path: Path):
    page = memo_context.new_page()
    try:
        page.goto(site_url + PAGE["fr"].removesuffix("index.html"))
        page.select_option("#cap-memo-closing", "6")
        pdf = tmp_path / "memo.pdf"
        pdf.write_bytes(page.pdf(format="A4"))
    finally:
        page.close()
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)[1])
    assert 1 <= pages <= 2, pages
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "Exercice clos le 30 juin" in text.replace("\u00a0", " ")
    assert "Mois de clôture de l'exercice" not in text  # no form on paper
    for rule in RULES.values():
        assert " ".join(rule["title"]["fr"].split()) in text


# -- offline, from file:// ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_works_in_the_offline_bundle_with_nothing_fetched(offline_context, lang: str):
    root = offline_context.root
    page = offline_context.new_page()
    try:
        page.goto((root / OFFLINE_PAGE[lang]).as_uri())
        choose_june_with_the_keyboard(page)
        check_june(page, lang)
        href = page.get_attribute("a[data-cap-memo-ics]", "href")
        assert not re.match(r"^[a-z]+:", href)
        target = Path(unquote(urlsplit(page.url).path)).parent.joinpath(unquote(href)).resolve()
        assert target.is_file() and target.name == f"echeances-cloture-06-{lang}.ics"
        icalendar.Calendar.from_ical(target.read_bytes())
        page.reload()
        check_june(page, lang)
    finally:
        page.close()
    assert not offline_context.blocked, offline_context.blocked
