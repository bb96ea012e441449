"""ZIP places: each ZIP code's centroid, copied from the zipcodes package at each sync, so
that the lookup index holds them in a few hundred KB instead of each process loading the
package's whole USPS list (~33 MB)

Revision ID: issue20_zip_places
Revises: issue18_telephony
Create Date: 2026-11-30 19:40:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue20_zip_places'
down_revision = 'issue18_telephony'
branch_labels = None
depends_on = None


def upgrade():
    places = op.create_table(
        'zip_places',
        sa.Column('zip_code', sa.String(length=5), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('zip_code', name=op.f('pk_zip_places')),
    )
    # A database synced before this revision gets its places now, not at its next sync.
    synced = op.get_bind().execute(sa.text(
        "SELECT 1 FROM congress_syncs WHERE finished_at IS NOT NULL LIMIT 1")).first()
    if synced:
        import zipcodes

        # The ZIPs a supporter can be placed by: those of the ZCTA file, and the territories'
        # (missing from it; campaign_app/congress/index.py, TERRITORY_ZIP_PREFIXES).
        zctas = {row[0] for row in op.get_bind().execute(sa.text(
            "SELECT DISTINCT zcta FROM zip_districts"))}
        territories = ("96799", "9691", "9692", "9693", "9695", "008")
        rows = []
        for record in zipcodes.list_all():
            zip_code = record.get("zip_code") or ""
            try:
                latitude, longitude = float(record["lat"]), float(record["long"])
            except (KeyError, TypeError, ValueError):
                continue
            if zip_code in zctas or zip_code.startswith(territories):
                rows.append({"zip_code": zip_code, "latitude": latitude,
                             "longitude": longitude})
        op.bulk_insert(places, rows)


def downgrade():
    op.drop_table('zip_places')
