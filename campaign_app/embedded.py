"""`flask start`: the whole app on one laptop — web, worker, beat and a mail catcher."""

import json
import os
import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .core.celery import BULK, TRANSACTIONAL
from .core.db import db
from .embedded_run import SPEC_VARIABLE
from .mailcatcher import mail_folder
from .workers import worker_node_commands

DEMO_STAFF_EMAIL = "staff@example.org"


def _prepare_data() -> None:
    from flask_migrate import upgrade

    from .alerts.cli import load_command
    from .auth.models import User
    from .auth.operations import create_user, set_password
    from .congress.cli import sync_command
    from .congress.queries import latest_sync

    upgrade(directory=current_app.extensions["migrate"].directory)
    ctx = click.get_current_context()
    if latest_sync() is None:
        source = current_app.config.get("ALERTA_CONGRESS_DATA") or "the published URLs"
        click.echo(f"Loading members of Congress and ZIP codes from {source} …")
        ctx.invoke(sync_command, location=None)
    ctx.invoke(load_command)
    password = secrets.token_urlsafe(12)
    user = db.session.scalars(select(User).where(User.email == DEMO_STAFF_EMAIL)).first()
    if user is None:
        create_user(DEMO_STAFF_EMAIL, password, "admin", "Demo staff")
    else:
        set_password(user, password)
    db.session.commit()
    return password


def embedded_commands(host: str, port: int, instance: Path) -> dict[str, list[str]]:
    """The processes of the embedded default: web, and a worker node per queue, the
    transactional one running beat too.

    Sized for a laptop (issue 20: all of it within 512 MB): each process holds the whole app,
    so there are few of them and they do more with threads. The tasks wait on SMTP, HTTP and
    SQLite, not on the CPU, so a node's threads serve as well as its pool processes would.
    Beat runs in a thread of the transactional node (--beat-thread; Celery's --beat would
    fork a process holding the whole app again): there is exactly one such node here, so
    exactly one beat, as on a cluster (the Procfile's single `beat`). One web worker, its
    threads serving one person's clicks and a few test visitors: a second process held
    another copy of the app (~70 MB) for no one."""
    bin_dir = Path(sys.executable).parent
    threads = ("--pool", "threads", "--loglevel", "INFO")
    nodes = worker_node_commands({TRANSACTIONAL: 2, BULK: 2}, threads)
    nodes[f"worker-{TRANSACTIONAL}"] += ["--beat-thread", "--schedule",
                                        str(instance / "celerybeat-schedule")]
    return {
        "web": [str(bin_dir / "gunicorn"), "--bind", f"{host}:{port}", "--workers", "1",
                "--threads", "8", "--preload", "--access-logfile", "-",
                "campaign_app:create_app()"],
        # A node per queue, as `flask worker` runs them: a mailing never delays a confirmation.
        **nodes,
    }


@click.command("start")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def embedded_command(host, port):
    """Run web, worker and beat together on the embedded default, with demo data."""
    password = _prepare_data()
    mail_dir = mail_folder(current_app.instance_path)
    catcher = None
    if current_app.config["MAIL_SERVER"] in {"127.0.0.1", "localhost"}:
        catcher = (current_app.config["MAIL_SERVER"], current_app.config["MAIL_PORT"],
                   str(mail_dir))
    env = {**os.environ, "PUBLIC_BASE_URL": f"http://{host}:{port}"}
    commands = embedded_commands(host, port, Path(current_app.instance_path))
    url = f"http://{host}:{port}"
    banner = (
        f"\nAlerta is running.\n"
        f"  Action page:  {url}/a/mexico-human-rights-letter\n"
        f"  Staff pages:  {url}/staff/  (log in as {DEMO_STAFF_EMAIL} / {password})\n"
        + (f"  Emails sent are caught in {mail_dir}\n" if catcher else "")
        + "Press Ctrl-C to stop.\n"
    )
    # This process holds the whole app, and the data loading's leftovers: ~150 MB for as
    # long as the others run. It becomes a supervisor that holds none of it (issue 20).
    sys.stdout.flush()
    sys.stderr.flush()
    # In the environment, not the arguments: the banner has the staff password, and any
    # local user can read a process's arguments.
    env[SPEC_VARIABLE] = json.dumps({"commands": commands, "catcher": catcher,
                                     "banner": banner})
    os.execve(sys.executable,  # noqa: S606 (our own interpreter, our own module)
              [sys.executable, "-m", "campaign_app.embedded_run"], env)
