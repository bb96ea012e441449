"""Optional parts of libraries that Alerta never uses, kept out of every process (issue 20:
each web and worker process held them, for nothing).

A module marked None in `sys.modules` cannot be imported: the libraries below then take
their own fallback, the one they take when the optional dependency is not installed."""

import sys

#: Module → what importing it would load, and who would import it.
NEVER_IMPORTED = {
    # httpx imports it whenever click is installed: `httpx …` in a shell (Rich, Pygments).
    "httpx._main": "httpx's command-line client, ~3 MB",
    # Alembic imports Mako (for its script templates), and Mako this, for the syntax
    # highlighting of its own HTML error pages.
    "mako.ext.pygmentplugin": "Pygments' lexers and styles, ~5 MB",
}


def keep_out_unused_modules() -> None:
    """Before anything imports httpx or Alembic. A module already imported stays as it is."""
    for name in NEVER_IMPORTED:
        sys.modules.setdefault(name, None)
