"""A publish job's refusal reason is named so: publish_job.message becomes publish_job.reason

Revision ID: 0006
Revises: 0005
Created: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publish_job", schema=None) as batch_op:
        batch_op.alter_column("message", new_column_name="reason")


def downgrade() -> None:
    with op.batch_alter_table("publish_job", schema=None) as batch_op:
        batch_op.alter_column("reason", new_column_name="message")
