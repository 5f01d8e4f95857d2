"""Open311 GeoReport v2 for citizen cases, at `/open311/v2/` (docs/cases.md, "Open311").

Programs (a city's app, a neighbourhood portal) list the case types as services, send a
case for a citizen with an API key of scope `open311:submit`, and follow cases by their
public fields only: state, type, office, dates, the district and a rounded position,
never anything that names, reaches or quotes the citizen. `formats.py` writes the
documents in JSON and XML, `params.py` reads and checks the parameters (both pure),
`queries.py` reads what may be published, `submit.py` opens a case, `views.py` is the
blueprint. `register(app)` adds it to the site, with its own rate limit on POST.
"""

from __future__ import annotations

from flask import Flask, current_app


def register(app: Flask) -> None:
    """Add the Open311 endpoint to `app`; sending cases is limited by RATELIMIT_OPEN311 per address."""
    from feedback.cases.open311.views import bp, shape_errors
    from portal.security import limit_endpoint

    app.register_blueprint(bp)
    app.after_request(shape_errors)
    limit_endpoint(
        app, "open311.requests", lambda: str(current_app.config["RATELIMIT_OPEN311"]), methods=["POST"]
    )
