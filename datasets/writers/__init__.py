"""The files of a release: CSV, JSON, ODS, PDF and datapackage.json, each written in one stream."""
