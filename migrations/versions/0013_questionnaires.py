"""Questionnaires: questionnaires, their versions, one-use invitations and responses

Revision ID: 0013
Revises: 0012
Created: 2026-12-02

An anonymous response keeps its day only (`submitted_at` and `invitation_id` stay empty);
an invitation keeps its token's SHA-256 digest only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("results_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff.id"],
            name=op.f("fk_questionnaire_created_by_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire")),
        sa.UniqueConstraint("slug", name=op.f("uq_questionnaire_slug")),
    )
    op.create_table(
        "questionnaire_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("valid_until", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_questionnaire_invitation_questionnaire_id_questionnaire"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_invitation")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_questionnaire_invitation_token_digest")),
    )
    op.create_index(
        op.f("ix_questionnaire_invitation_questionnaire_id"),
        "questionnaire_invitation",
        ["questionnaire_id"],
        unique=False,
    )
    op.create_table(
        "questionnaire_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("opens_at", UTCDateTime(), nullable=True),
        sa.Column("closes_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_questionnaire_version_questionnaire_id_questionnaire"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_version")),
        sa.UniqueConstraint("questionnaire_id", "number", name="uq_questionnaire_version_number"),
    )
    op.create_index(
        op.f("ix_questionnaire_version_questionnaire_id"),
        "questionnaire_version",
        ["questionnaire_id"],
        unique=False,
    )
    op.create_table(
        "questionnaire_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("others", sa.Text(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["questionnaire_invitation.id"],
            name=op.f("fk_questionnaire_response_invitation_id_questionnaire_invitation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_questionnaire_response_version_id_questionnaire_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_response")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_questionnaire_response_invitation_id")),
    )
    op.create_index(op.f("ix_questionnaire_response_day"), "questionnaire_response", ["day"], unique=False)
    op.create_index(
        op.f("ix_questionnaire_response_version_id"), "questionnaire_response", ["version_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_questionnaire_response_version_id"), table_name="questionnaire_response")
    op.drop_index(op.f("ix_questionnaire_response_day"), table_name="questionnaire_response")
    op.drop_table("questionnaire_response")
    op.drop_index(op.f("ix_questionnaire_version_questionnaire_id"), table_name="questionnaire_version")
    op.drop_table("questionnaire_version")
    op.drop_index(op.f("ix_questionnaire_invitation_questionnaire_id"), table_name="questionnaire_invitation")
    op.drop_table("questionnaire_invitation")
    op.drop_table("questionnaire")
