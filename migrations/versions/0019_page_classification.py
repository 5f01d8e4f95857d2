"""Content pages carry the three classification codes (主題, 施政, 服務)

Revision ID: 0019
Revises: 0018
Created: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("page") as batch:
        for name in ("theme_code", "cake_code", "service_code"):
            batch.add_column(sa.Column(name, sa.String(length=10), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("page") as batch:
        for name in ("service_code", "cake_code", "theme_code"):
            batch.drop_column(name)
