"""Classification (分類檢索規範): the 主題, 施政 and 服務 code tables every page, document, dataset and notice carries.

`models.ClassificationCode` is the table; `codes` holds the built-in codes (the eighteen
服務分類 codes and the 主題 and 施政 codes a water utility uses), seeds them, reads them and
offers them to forms. Administrators load full tables with `flask datasets codes load FILE`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages that browse by classification."""
    from portal.classification.views import bp

    app.register_blueprint(bp)
