"""Web pages of the open-data domain: the public catalogue and the staff pages."""
