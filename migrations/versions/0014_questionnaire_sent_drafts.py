"""Questionnaires: the keys of filled-in questionnaires already sent

Revision ID: 0014
Revises: 0013
Created: 2026-12-03

A sent draft keeps its key's SHA-256 digest, its version and its day, and is not linked
to the response it stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire_sent_draft",
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_questionnaire_sent_draft_version_id_questionnaire_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key_digest", name=op.f("pk_questionnaire_sent_draft")),
    )
    op.create_index(
        op.f("ix_questionnaire_sent_draft_day"), "questionnaire_sent_draft", ["day"], unique=False
    )
    op.create_index(
        op.f("ix_questionnaire_sent_draft_version_id"),
        "questionnaire_sent_draft",
        ["version_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_questionnaire_sent_draft_version_id"), table_name="questionnaire_sent_draft")
    op.drop_index(op.f("ix_questionnaire_sent_draft_day"), table_name="questionnaire_sent_draft")
    op.drop_table("questionnaire_sent_draft")
