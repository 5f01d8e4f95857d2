"""Staff mail: assignment notices and the daily digest of cases due, queued and retried like case mail

Revision ID: 0011
Revises: 0010
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("gave_up_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["citizen_case.id"],
            name=op.f("fk_staff_mail_case_id_citizen_case"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_mail_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_mail")),
    )
    op.create_index(op.f("ix_staff_mail_next_attempt_at"), "staff_mail", ["next_attempt_at"], unique=False)
    op.create_index(op.f("ix_staff_mail_sent_at"), "staff_mail", ["sent_at"], unique=False)
    op.create_index(op.f("ix_staff_mail_staff_id"), "staff_mail", ["staff_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_mail_staff_id"), table_name="staff_mail")
    op.drop_index(op.f("ix_staff_mail_sent_at"), table_name="staff_mail")
    op.drop_index(op.f("ix_staff_mail_next_attempt_at"), table_name="staff_mail")
    op.drop_table("staff_mail")
