"""The site's shell: home page, site map, staff dashboard, the audit-log browser and the development outbox."""

from __future__ import annotations

from flask import Flask

from portal.i18n import _l
from portal.web.registry import Link, add_dashboard_card, add_home_service, add_navigation


def init_app(app: Flask) -> None:
    """Register the shell's blueprints, its navigation and its dashboard cards."""
    from portal.web.audit_log import bp as audit_bp
    from portal.web.dashboard import account_card, administration_card, content_card
    from portal.web.dashboard import bp as dashboard_bp
    from portal.web.discovery import bp as discovery_bp
    from portal.web.outbox import bp as outbox_bp
    from portal.web.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(discovery_bp)  # /sitemap.xml and /robots.txt
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(audit_bp)
    if app.config["MAIL_OUTBOX"]:  # development only: the page does not exist otherwise
        app.register_blueprint(outbox_bp)

    add_navigation(app, Link("offices.office_list", _l("服務據點"), order=80))
    add_navigation(app, Link("web.sitemap", _l("網站導覽"), order=90))
    add_home_service(
        app,
        Link(
            "offices.office_list",
            _l("服務據點與營業時間"),
            _l("各服務所的地址、電話、服務時間與服務區域。"),
            order=80,
        ),
    )
    for provider in (account_card, content_card, administration_card):
        add_dashboard_card(app, provider)
