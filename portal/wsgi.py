"""The WSGI entry point: `granian --interface wsgi portal.wsgi:app` (what `scripts/serve` runs)."""

from portal import create_app

app = create_app()
