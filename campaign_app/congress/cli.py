"""`flask congress …`: load and inspect the lookup data."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..core.db import db
from .freshness import staleness_warnings
from .geocoder import GeocoderError, geocoder_from_config
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
@click.argument("zip_code", required=False)
@click.option("--address", metavar="ADDRESS",
              help='A one-line street address, e.g. "350 5th Ave, New York, NY 10118", '
                   "resolved by the configured geocoder.")
@with_appcontext
def lookup_command(zip_code, address):
    """Print the members of Congress for a ZIP code or a street address."""
    if address:
        result = _lookup_address(address)
    elif zip_code:
        zip5 = normalize_zip(zip_code)
        if zip5 is None:
            raise click.ClickException(f"{zip_code!r} is not a 5-digit ZIP code")
        result = lookup_zip(zip5)
        if not result.found:
            raise click.ClickException(f"ZIP {zip5} is not in the lookup data (a P.O. box "
                                       "ZIP has no map area: try --address)")
        click.echo(f"ZIP {zip5}: " + ", ".join(d.label for d in result.districts)
                   + (" — more than one district: use --address" if result.is_ambiguous
                      else ""))
    else:
        raise click.UsageError("give a ZIP code or --address")
    for member in result.members:
        click.echo(f"  {member.titled_name} ({member.seat_label}) "
                   f"{member.phone or 'no phone listed'}")
    for district in result.vacant:
        click.echo(f"  {district.label}: seat vacant")
    if result.has_no_senators:
        click.echo(f"  {', '.join(result.states)}: no U.S. senators")


def _lookup_address(address: str):
    geocoder = geocoder_from_config(current_app.config)
    if geocoder is None:
        raise click.ClickException("No geocoder is configured: set GEOCODER_URL.")
    try:
        match = geocoder.locate(address)
    except GeocoderError as error:
        raise click.ClickException(str(error)) from error
    if match is None:
        raise click.ClickException("The geocoder found no match for that address.")
    click.echo(f"{match.matched_address}: {match.district.label}")
    zip_code = normalize_zip(match.matched_address.rsplit(",", 1)[-1]) or ""
    return lookup_zip(zip_code, district=match.district)


@congress_cli.command("status")
@with_appcontext
def status_command():
    """When and from where the lookup data was last loaded, and whether it is stale."""
    sync = latest_sync()
    if sync is None:
        raise click.ClickException("No congress data loaded yet: run `flask congress sync`.")
    click.echo(f"Last sync {sync.finished_at:%Y-%m-%d %H:%M} UTC from {sync.source}: "
               f"{sync.legislator_count} members, {sync.zip_count} ZIP areas, "
               f"Congress {sync.congress or 'unknown'}")
    warnings = staleness_warnings(current_app.config["CONGRESS_DATA_MAX_AGE_DAYS"])
    for warning in warnings:
        click.echo(f"WARNING: {warning}")
    if not warnings:
        click.echo("The data looks fresh.")
