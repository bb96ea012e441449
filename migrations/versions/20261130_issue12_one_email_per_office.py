"""one email per supporter, office and alert: a partial unique index on email actions

Revision ID: issue12_one_email
Revises: issue7_signatures
Create Date: 2026-11-30 09:00:00

Before this, a second "Send my email" stored (and for CWC offices sent) the email again, so an
existing database may hold several email actions of one supporter to one office in one alert.
The index can't be built over them: the earliest of each is kept, and the later ones go.
Their messages to Congress stay in the outbox's history, re-pointed at the kept action; those
not yet sent are marked failed, so the outbox sweep does not send them after all.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue12_one_email'
down_revision = 'issue7_signatures'
branch_labels = None
depends_on = None

_EMAIL = "kind = 'email'"

# Email actions that repeat an earlier one of the same supporter, office and alert.
_SAME = ("kept.kind = 'email' AND kept.alert_id = dup.alert_id "
         "AND kept.supporter_id = dup.supporter_id AND kept.bioguide_id = dup.bioguide_id")
_REPEATS = ("SELECT dup.id FROM actions AS dup WHERE dup.kind = 'email' AND dup.id > "
            f"(SELECT MIN(kept.id) FROM actions AS kept WHERE {_SAME})")
_NOT_SENT = "Not sent: the supporter had already emailed this office (one email per office)."


def upgrade():
    op.execute(sa.text(
        "UPDATE deliveries SET status = 'failed', last_error = :why "
        f"WHERE status IN ('pending', 'sending') AND action_id IN ({_REPEATS})"
    ).bindparams(why=_NOT_SENT))
    op.execute(
        "UPDATE deliveries SET action_id = (SELECT MIN(kept.id) FROM actions AS dup "
        f"JOIN actions AS kept ON {_SAME} WHERE dup.id = deliveries.action_id) "
        f"WHERE action_id IN ({_REPEATS})")
    op.execute(f"DELETE FROM actions WHERE id IN ({_REPEATS})")
    op.create_index('uq_actions_alert_id_supporter_id_bioguide_id_email', 'actions',
                    ['alert_id', 'supporter_id', 'bioguide_id'], unique=True,
                    sqlite_where=sa.text(_EMAIL), postgresql_where=sa.text(_EMAIL))


def downgrade():
    op.drop_index('uq_actions_alert_id_supporter_id_bioguide_id_email', table_name='actions',
                  sqlite_where=sa.text(_EMAIL), postgresql_where=sa.text(_EMAIL))
