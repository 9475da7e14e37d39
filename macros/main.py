"""mkdocs-macros entry point: register the macros of hand-written pages.

Keep it thin: every macro renders a template of ``overrides/cap/`` through
``render.Renderer``. Hand-written pages opt in with ``render_macros: true``.
"""

from __future__ import annotations

from . import state
from .catalog import DEFAULT_LANGUAGE


def define_env(env):
    def current_language() -> str:
        plugin = env.conf.plugins.get("i18n")
        return getattr(plugin, "current_language", None) or DEFAULT_LANGUAGE

    def here() -> str:
        file = env.page.file
        return getattr(file, "norm_src_uri", None) or file.src_uri

    @env.macro
    def section(name: str, **values) -> str:
        """Insert the fragment ``overrides/cap/section-<name>.html`` here.

        The fragment may call ``print_links(document)``: « Imprimer » and
        « Télécharger le PDF » for a print view of macros/print_views.py,
        relative to this page's final address (known here, not to the fragment)."""
        render = state.renderer(env.conf.site_url or "")
        lang, src, dest = current_language(), here(), env.page.file.dest_uri
        def print_links(document: str) -> str:
            from . import print_views  # here: `make check` imports this package and needs no QR codes
            return print_views.links_block(render, document, lang, src, dest)

        values.setdefault("print_links", print_links)
        return render.fragment(f"section-{name}.html", lang, src, **values)
