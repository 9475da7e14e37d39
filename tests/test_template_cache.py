"""Issue #8: compiled templates are kept on disk between builds (macros/render.py).

A second process loads them instead of compiling; an edited template is
compiled again (its new text is what renders); a damaged cache file is
ignored, never an error.
"""

from __future__ import annotations

import jinja2

from macros.render import SharedBytecodeCache


class CountingEnvironment(jinja2.Environment):
    compiled = 0

    def _compile(self, source, filename):
        type(self).compiled += 1
        return super()._compile(source, filename)


def _render(templates, cache_dir) -> str:
    env = CountingEnvironment(loader=jinja2.FileSystemLoader(str(templates)),
                              bytecode_cache=SharedBytecodeCache(cache_dir))
    return env.get_template("page.html").render(name="Scop")


def test_second_process_reuses_compiled_templates(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("Bonjour {{ name }}", encoding="utf-8")
    CountingEnvironment.compiled = 0
    assert _render(templates, cache) == "Bonjour Scop"
    assert CountingEnvironment.compiled == 1
    assert len(list(cache.glob("*.bin"))) == 1
    # A new cache object (as in a new process): read from disk, not compiled.
    assert _render(templates, cache) == "Bonjour Scop"
    assert CountingEnvironment.compiled == 1

    (templates / "page.html").write_text("Salut {{ name }} !", encoding="utf-8")
    assert _render(templates, cache) == "Salut Scop !"
    assert CountingEnvironment.compiled == 2


def test_damaged_cache_file_is_ignored(tmp_path):
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "page.html").write_text("Bonjour {{ name }}", encoding="utf-8")
    _render(templates, cache)
    for path in cache.glob("*.bin"):
        path.write_bytes(b"not bytecode")
    CountingEnvironment.compiled = 0
    assert _render(templates, cache) == "Bonjour Scop"
    assert CountingEnvironment.compiled == 1
