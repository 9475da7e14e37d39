"""Cap coopératif's content pipeline (see macros/README.md).

mkdocs-macros imports this package (``module_name: macros``) and calls
``define_env``; MkDocs loads ``macros/hooks.py`` by path.
"""

from .main import define_env  # noqa: F401
