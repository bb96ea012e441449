"""Compiled catalogs (.mo) built from the .po files, so a checkout runs without a build step.

The .po files are the source (kept in git); the .mo files are built here when missing or
older than their .po, at start (create_app) — the README's commands need no `pybabel compile`.
"""

import logging
import os
import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

log = logging.getLogger(__name__)


def compile_catalogs(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile each LC_MESSAGES/*.po whose .mo is missing or stale; the .mo files built."""
    built = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        # Written beside, then moved: two processes starting together never read half a file.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        partial.replace(mo_path)
        log.info("compiled %s", mo_path)
        built.append(mo_path)
    return built


def ready_catalogs(instance_dir: Path, source: Path = TRANSLATIONS_DIR) -> Path:
    """The folder of compiled catalogs to read: the package's own, compiled in place; or,
    when the package is installed where it can't be written (a system site-packages), a copy
    compiled in the instance folder."""
    try:
        compile_catalogs(source)
        return source
    except OSError as error:
        log.info("catalogs compiled in the instance folder (%s)", error)
    copy = instance_dir / "translations"
    for po_path in source.glob("*/LC_MESSAGES/*.po"):
        target = copy / po_path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.stat().st_mtime < po_path.stat().st_mtime:
            shutil.copy2(po_path, target)
    compile_catalogs(copy)
    return copy
