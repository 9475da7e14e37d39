"""A Markdown extension that strips what must never reach a page.

Runs last on every page: removes ``on*`` event attributes and ``style``
(Markdown's attribute lists could set them) and neutralises links and
sources whose scheme is not http(s), mailto, tel or relative — read as a
browser reads it, entities decoded.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|/|\.|[^:/?#]+(?:[/?#]|$))", re.I)
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset")


def _as_browsers_read(url: str) -> str:
    """A link as a browser reads its scheme: entities decoded (Markdown keeps
    « java&#115;cript: » as written), spaces and control characters dropped."""
    return "".join(ch for ch in html.unescape(url) if ch > " " and ch != "\x7f")


class _Sanitiser(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name in list(element.attrib):
                lowered = name.lower()
                value = element.attrib[name]
                if lowered.startswith("on") or lowered == "style":
                    del element.attrib[name]
                elif lowered in _URL_ATTRS and not _SAFE_URL.match(_as_browsers_read(value)):
                    element.attrib[name] = "#"


class SafeHtmlExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_Sanitiser(md), "cap_safe_html", 0)


def makeExtension(**kwargs):  # noqa: N802
    return SafeHtmlExtension(**kwargs)
