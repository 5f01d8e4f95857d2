"""Tests against the real server process, started as `make run` starts it (`scripts/serve`)."""
