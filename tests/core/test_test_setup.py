"""The test set-up cleans up after itself (issue 14, item 8)."""

import os
import subprocess
import sys

from sqlalchemy import func, select

from campaign_app.core.db import db
from tests.conftest import REPO, SEEDED_TABLES, TMP, delete_test_data


def test_committed_data_empties_every_table_but_the_seeded_ones(app):
    """Issue 14, item 8: `committed_data` used to delete a hand-kept list of models, so a new
    table's committed rows leaked into later tests. Now it walks the whole metadata."""
    with app.app_context():
        emptied = delete_test_data()
        tables = db.metadata.sorted_tables
        assert set(emptied) == {table.name for table in tables} - SEEDED_TABLES
        # The built-in merge defaults are code (alerts.defaults): a default a test commits
        # is staff's choice, emptied like any other row.
        assert "merge_field_defaults" not in SEEDED_TABLES
        # children before parents, so that no foreign key refuses a delete
        order = {name: index for index, name in enumerate(emptied)}
        for table in tables:
            for key in table.foreign_keys:
                parent = key.column.table.name
                if table.name in order and parent in order and parent != table.name:
                    assert order[table.name] < order[parent], (table.name, parent)
        left = {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in tables if table.name in emptied}
        assert set(left.values()) == {0}, left


def test_the_temporary_directory_exists_during_the_session():
    """The set-up's scratch directory (instance folder, SQLite files) is there while tests
    run; the test below runs this one in a session of its own."""
    assert TMP.is_dir()
    (TMP / "scratch.txt").write_text("written by a test")


def test_the_temporary_directory_is_removed_at_session_end(tmp_path):
    """Issue 14, item 8: each session left an alerta-tests-* directory behind."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    test = f"{__file__}::test_the_temporary_directory_exists_during_the_session"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",  # noqa: S603
                          test], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    assert not list(tmp_path.glob("alerta-tests-*"))
