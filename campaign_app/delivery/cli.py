"""`flask cwc …`: is Communicating with Congress set up so that CWC accepts our messages?"""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from . import cwc
from .errors import PermanentDeliveryError, TransientDeliveryError


@click.group("cwc")
def cwc_cli():
    """Communicating with Congress (CWC 2.0)."""


@cwc_cli.command("check")
@with_appcontext
def check_command():
    """Check the CWC settings against CWC's rules and, when configured, list CWC's offices."""
    config = current_app.config
    if not cwc.is_configured():
        click.echo("CWC is not configured (CWC_BASE_URL and CWC_API_KEY): every email goes "
                   "through the offices' contact forms.")
        return
    problems = cwc.settings_problems(config)
    for problem in problems:
        click.echo(f"BAD SETTING: {problem}")
    if problems:
        click.echo("CWC is off until these settings are fixed: supporters get the offices' "
                   "contact forms meanwhile.")
    else:
        organization = cwc.organization_name(config)
        click.echo("Settings: OK (CWC accepts them). Organization: "
                   + (organization or "left out (set ORG_LEGAL_NAME, 6 to 500 characters)"))
    try:
        offices = sorted(cwc._offices_from_service())
    except (TransientDeliveryError, PermanentDeliveryError, ValueError) as error:
        click.echo(f"Offices: CWC did not list them ({error})")
        sys.exit(1)
    click.echo(f"Offices on CWC ({len(offices)}): {' '.join(offices)}")
    if problems:
        sys.exit(1)
