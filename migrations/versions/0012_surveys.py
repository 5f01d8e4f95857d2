"""Surveys: satisfaction after a case and its follow-ups, service counters and the counter survey

Revision ID: 0012
Revises: 0011
Created: 2026-12-02

Sealed columns (the survey's comment, a follow-up's contact and outcome) are text holding
ciphertext, as in 0008.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name_zh", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_service_counter_office_id_office"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_counter")),
        sa.UniqueConstraint("office_id", "code", name="uq_service_counter_office_code"),
    )
    op.create_index(op.f("ix_service_counter_office_id"), "service_counter", ["office_id"], unique=False)
    op.create_table(
        "counter_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("excluded_at", UTCDateTime(), nullable=True),
        sa.Column("excluded_by_id", sa.Integer(), nullable=True),
        sa.Column("exclusion_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["counter_id"],
            ["service_counter.id"],
            name=op.f("fk_counter_response_counter_id_service_counter"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["excluded_by_id"],
            ["staff.id"],
            name=op.f("fk_counter_response_excluded_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_counter_response_office_id_office"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counter_response")),
    )
    op.create_index(op.f("ix_counter_response_at"), "counter_response", ["at"], unique=False)
    op.create_index(op.f("ix_counter_response_counter_id"), "counter_response", ["counter_id"], unique=False)
    op.create_index(op.f("ix_counter_response_flagged"), "counter_response", ["flagged"], unique=False)
    op.create_index(op.f("ix_counter_response_office_id"), "counter_response", ["office_id"], unique=False)
    op.create_table(
        "case_survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("overall", sa.SmallInteger(), nullable=True),
        sa.Column("timeliness", sa.SmallInteger(), nullable=True),
        sa.Column("attitude", sa.SmallInteger(), nullable=True),
        sa.Column("professionalism", sa.SmallInteger(), nullable=True),
        sa.Column("clarity", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["citizen_case.id"],
            name=op.f("fk_case_survey_case_id_citizen_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_case_survey_office_id_office"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_survey")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_survey_case_id")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_case_survey_token_digest")),
    )
    op.create_index(op.f("ix_case_survey_answered_at"), "case_survey", ["answered_at"], unique=False)
    op.create_index(op.f("ix_case_survey_issued_at"), "case_survey", ["issued_at"], unique=False)
    op.create_index(op.f("ix_case_survey_office_id"), "case_survey", ["office_id"], unique=False)
    op.create_table(
        "survey_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("contact_made", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("improvement", sa.Text(), nullable=False),
        sa.Column("improvement_public", sa.Boolean(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["staff.id"],
            name=op.f("fk_survey_follow_up_done_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_survey_follow_up_office_id_office"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["case_survey.id"],
            name=op.f("fk_survey_follow_up_survey_id_case_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_follow_up")),
        sa.UniqueConstraint("survey_id", name=op.f("uq_survey_follow_up_survey_id")),
    )
    op.create_index(op.f("ix_survey_follow_up_office_id"), "survey_follow_up", ["office_id"], unique=False)
    op.create_index(op.f("ix_survey_follow_up_opened_at"), "survey_follow_up", ["opened_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_follow_up_opened_at"), table_name="survey_follow_up")
    op.drop_index(op.f("ix_survey_follow_up_office_id"), table_name="survey_follow_up")
    op.drop_table("survey_follow_up")
    op.drop_index(op.f("ix_case_survey_office_id"), table_name="case_survey")
    op.drop_index(op.f("ix_case_survey_issued_at"), table_name="case_survey")
    op.drop_index(op.f("ix_case_survey_answered_at"), table_name="case_survey")
    op.drop_table("case_survey")
    op.drop_index(op.f("ix_counter_response_office_id"), table_name="counter_response")
    op.drop_index(op.f("ix_counter_response_flagged"), table_name="counter_response")
    op.drop_index(op.f("ix_counter_response_counter_id"), table_name="counter_response")
    op.drop_index(op.f("ix_counter_response_at"), table_name="counter_response")
    op.drop_table("counter_response")
    op.drop_index(op.f("ix_service_counter_office_id"), table_name="service_counter")
    op.drop_table("service_counter")
