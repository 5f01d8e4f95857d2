"""Case types, cases, their day counters and timelines

Revision ID: 0008
Revises: 0007
Created: 2026-12-02

Sealed columns (contact details, subject, description, timeline bodies) are text holding
ciphertext: feedback/cases/sealing.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_day_counter",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_case_day_counter")),
    )
    op.create_table(
        "case_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=160), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("pauses_when_waiting", sa.Boolean(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("web_intake", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_case_type_office_id_office")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_type")),
        sa.UniqueConstraint("code", name=op.f("uq_case_type_code")),
    )
    op.create_table(
        "citizen_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("district", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.Text(), nullable=True),
        sa.Column("contact_phone", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("email_key", sa.String(length=64), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("queued_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("completed_in_time", sa.Boolean(), nullable=True),
        sa.Column("transfers", sa.Integer(), nullable=False),
        sa.Column("misdirected", sa.Boolean(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("no_reply_reason", sa.String(length=20), nullable=True),
        sa.Column("purged_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"], ["staff.id"], name=op.f("fk_citizen_case_assigned_to_id_staff")
        ),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_citizen_case_office_id_office")),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["citizen_case.id"], name=op.f("fk_citizen_case_merged_into_id_citizen_case")
        ),
        sa.ForeignKeyConstraint(
            ["type_id"], ["case_type.id"], name=op.f("fk_citizen_case_type_id_case_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_case")),
        sa.UniqueConstraint("number", name=op.f("uq_citizen_case_number")),
        sa.UniqueConstraint("received_on", "sequence", name="uq_citizen_case_day_sequence"),
    )
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizen_case_assigned_to_id"), ["assigned_to_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_case_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_case_email_key"), ["email_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_case_office_id"), ["office_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_case_received_on"), ["received_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_case_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_case_type_id"), ["type_id"], unique=False)

    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state_from", sa.String(length=12), nullable=True),
        sa.Column("state_to", sa.String(length=12), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["citizen_case.id"],
            name=op.f("fk_case_event_case_id_citizen_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_case_event_staff_id_staff")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_case_event_office_id_office")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("to_address", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
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
            name=op.f("fk_case_mail_case_id_citizen_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_mail")),
    )
    op.create_index(op.f("ix_case_mail_case_id"), "case_mail", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_mail_next_attempt_at"), "case_mail", ["next_attempt_at"], unique=False)
    op.create_index(op.f("ix_case_mail_sent_at"), "case_mail", ["sent_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_case_mail_sent_at"), table_name="case_mail")
    op.drop_index(op.f("ix_case_mail_next_attempt_at"), table_name="case_mail")
    op.drop_index(op.f("ix_case_mail_case_id"), table_name="case_mail")
    op.drop_table("case_mail")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))

    op.drop_table("case_event")
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_case_type_id"))
        batch_op.drop_index(batch_op.f("ix_citizen_case_state"))
        batch_op.drop_index(batch_op.f("ix_citizen_case_received_on"))
        batch_op.drop_index(batch_op.f("ix_citizen_case_office_id"))
        batch_op.drop_index(batch_op.f("ix_citizen_case_email_key"))
        batch_op.drop_index(batch_op.f("ix_citizen_case_due_on"))
        batch_op.drop_index(batch_op.f("ix_citizen_case_assigned_to_id"))

    op.drop_table("citizen_case")
    op.drop_table("case_type")
    op.drop_table("case_day_counter")
