"""`flask supporters …`: a supporter's requests about their data, from the command line."""

import click
from flask.cli import with_appcontext

from ..core.db import db
from ..supporters.models import Supporter
from ..supporters.queries import supporter_id_by_email
from .erasure import erase_supporter


@click.group("supporters")
def supporters_cli():
    """Supporters' requests about their data."""


@supporters_cli.command("erase")
@click.argument("who")
@click.option("--yes", is_flag=True, help="Erase without asking to confirm.")
@with_appcontext
def erase_command(who, yes):
    """Erase the supporter WHO (their email, or their number as the audit log names it, to
    erase again after restoring a backup): their personal data goes, their actions stay as
    anonymous counts. Asks to confirm unless --yes."""
    if who.isdigit():
        supporter = db.session.get(Supporter, int(who))
        supporter_id = supporter.id if supporter is not None and supporter.erased_at is None \
            else None
    else:
        supporter_id = supporter_id_by_email(who)
    if supporter_id is None:
        raise click.ClickException("no supporter has this email or number (or it is erased)")
    if not yes:
        click.confirm(f"Erase supporter {supporter_id}? This cannot be undone", abort=True)
    counts = erase_supporter(db.session.get(Supporter, supporter_id))
    db.session.commit()
    click.echo(f"Erased supporter {supporter_id}: " + ", ".join(
        f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
