"""`flask telephony …`: check the provider settings."""

import click
from flask import current_app
from flask.cli import AppGroup

from .provider import REQUIRED_SETTINGS, ProviderError, is_configured
from .providers import provider

telephony_cli = AppGroup("telephony", help="Patch-through calling (Twilio).")


@telephony_cli.command("check")
def check():
    """Verify the telephony settings against the provider (account, caller id number)."""
    if not is_configured():
        missing = [name for name in REQUIRED_SETTINGS if not current_app.config.get(name)]
        raise click.ClickException("telephony is off: set " + ", ".join(missing))
    try:
        problems = provider().check()
    except ProviderError as error:
        raise click.ClickException(str(error)) from error
    if problems:
        raise click.ClickException("\n".join(problems))
    click.echo(f"telephony: {provider().name} account and caller id "
               f"{current_app.config['TWILIO_CALLER_ID']} are ready")
