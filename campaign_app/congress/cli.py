"""`flask congress …`: load and inspect the lookup data."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..core.db import db
from .operations import sync_congress
from .queries import latest_sync, lookup_zip, normalize_zip
from .sources import CongressFiles, SourceError


@click.group("congress")
def congress_cli():
    """Members of Congress and ZIP→district data."""


@congress_cli.command("sync")
@click.option("--from", "location", metavar="PATH_OR_URL",
              help="Folder (or URL base) holding legislators-current.yaml|json, "
                   "legislators-district-offices.yaml|json and zccd.csv. Default: the "
                   "ALERTA_CONGRESS_DATA setting, else the published URLs.")
@with_appcontext
def sync_command(location):
    """Load members of Congress, district offices and ZIP→district rows (idempotent)."""
    location = location or current_app.config.get("ALERTA_CONGRESS_DATA")
    try:
        files = CongressFiles.from_location(location) if location else CongressFiles.published()
        sync = sync_congress(files)
        db.session.commit()
    except SourceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Loaded {sync.legislator_count} members ({sync.added_count} new, "
               f"{sync.retired_count} no longer serving), {sync.office_count} district offices, "
               f"{sync.zip_count} ZIP areas from {sync.source}"
               + (f" — {sync.congress}th Congress" if sync.congress else ""))


@congress_cli.command("lookup")
@click.argument("zip_code")
@with_appcontext
def lookup_command(zip_code):
    """Print the members of Congress for a ZIP code."""
    zip5 = normalize_zip(zip_code)
    if zip5 is None:
        raise click.ClickException(f"{zip_code!r} is not a 5-digit ZIP code")
    result = lookup_zip(zip5)
    if not result.found:
        raise click.ClickException(f"ZIP {zip5} is not in the lookup data")
    click.echo(f"ZIP {zip5}: " + ", ".join(d.label for d in result.districts))
    for member in result.members:
        click.echo(f"  {member.title} {member.display_name} ({member.seat_label}) "
                   f"{member.phone or 'no phone listed'}")
    for district in result.vacant:
        click.echo(f"  {district.label}: seat vacant")


@congress_cli.command("status")
@with_appcontext
def status_command():
    """When and from where the lookup data was last loaded."""
    sync = latest_sync()
    if sync is None:
        raise click.ClickException("No congress data loaded yet: run `flask congress sync`.")
    click.echo(f"Last sync {sync.finished_at:%Y-%m-%d %H:%M} UTC from {sync.source}: "
               f"{sync.legislator_count} members, {sync.zip_count} ZIP areas, "
               f"Congress {sync.congress or 'unknown'}")
