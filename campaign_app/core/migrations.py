"""Flask-Migrate, bound to the app when first used: by `flask db …`, `flask start`, the tests.

Importing it imports Alembic and Mako (~6.6 MB, 100 modules), held by every web and worker
process, which never migrate: migrations run in the release step (issue 20). So the app keeps
stand-ins, `extensions["migrate"]` and the `db` command group, that bind it on first use."""

import click

#: `flask db …`: Flask-Migrate's group, under its default name.
COMMAND = "db"


def init_migrations(app, db, directory: str) -> None:
    app.extensions["migrate"] = _MigrateOnFirstUse(app, db, directory)
    app.cli.add_command(_CommandsOnFirstUse(COMMAND, help="Perform database migrations."))


class _MigrateOnFirstUse:
    """Stands for Flask-Migrate's config (`.directory`, `.db`, `.migrate` …) until one of
    them is read; binding puts the real one in its place in `app.extensions`."""

    def __init__(self, app, db, directory: str):
        self._app, self._db, self._directory = app, db, directory
        self._config = None

    def __getattr__(self, name):
        if self._config is None:
            from flask_migrate import Migrate

            Migrate(self._app, self._db, directory=self._directory, render_as_batch=True)
            self._config = self._app.extensions["migrate"]
        return getattr(self._config, name)


class _CommandsOnFirstUse(click.Group):
    """`flask db`: once invoked (or asked for help), Flask-Migrate's own group takes over,
    with its options and its commands."""

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)
