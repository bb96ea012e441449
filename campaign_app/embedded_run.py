"""`flask start`, once the data is ready: the mail catcher and the supervisor of web, worker
and beat, in a process that does not load the app (`python -m campaign_app.embedded_run`;
embedded.py replaces itself with it). What to run comes as JSON in ALERTA_EMBEDDED_SPEC: the
commands, the catcher's host, port and folder (or null), and the banner to print once the
catcher listens."""

import json
import os
import sys
from pathlib import Path

import click

from .supervisor import supervise

SPEC_VARIABLE = "ALERTA_EMBEDDED_SPEC"


def main(spec: dict) -> int:
    catcher = None
    if spec["catcher"]:
        from .mailcatcher import start_mail_catcher

        host, port, folder = spec["catcher"]
        catcher = start_mail_catcher(host, port, Path(folder))
    click.echo(spec["banner"])
    try:
        supervise(spec["commands"], stop_timeout=15)
    finally:
        if catcher:
            catcher.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(os.environ.pop(SPEC_VARIABLE))))  # popped: not for the children
