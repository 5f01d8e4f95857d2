"""Imports every model of the portal and the domains, so that the metadata is complete.

Alembic and the tests import this module; the application imports the models through
its blueprints anyway.
"""

from datasets.models import ClassificationCode, Dataset, DownloadCount, PublishJob, Release
from portal.apikeys.models import ApiKey
from portal.audit import AuditRecord
from portal.auth.models import Staff, StaffRole, StaffSession
from portal.auth.throttle import LoginThrottle
from portal.offices.models import Agency, Office
from portal.pages.models import Page

__all__ = [
    "Agency",
    "ApiKey",
    "AuditRecord",
    "ClassificationCode",
    "Dataset",
    "DownloadCount",
    "LoginThrottle",
    "Office",
    "Page",
    "PublishJob",
    "Release",
    "Staff",
    "StaffRole",
    "StaffSession",
]
