"""The link checker: every link in the site's content, internal and external, checked daily.

`extract` finds the links of a Markdown text (pure); `checking` asks one link, with
time-outs and retries; `sources` is where the parts of the site register the places
holding links; `service` checks them all and keeps a `LinkReport` per link (`models`);
`cli` is `flask links check` (daily, claimed once); `views` the staff page and the
dashboard card. See docs/operations.md.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the command, the staff page, the dashboard card and the content pages' links."""
    from portal.links.cli import links_cli
    from portal.links.sources import add_link_source, pages_source
    from portal.links.views import bp, links_card
    from portal.web.registry import add_dashboard_card

    app.cli.add_command(links_cli)
    app.register_blueprint(bp)
    add_dashboard_card(app, links_card)
    add_link_source(app, pages_source())
