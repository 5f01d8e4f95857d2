"""Imports every model of the house (the portal's own parts), so that its metadata is complete.

The domains' models are not imported here: `migrations/env.py` gathers them by the names
in `portal.DOMAINS`, so the house imports no domain outside `create_app`.
"""

from portal.apikeys.models import ApiKey
from portal.audit import AuditRecord
from portal.auth.models import Staff, StaffRole, StaffSession
from portal.auth.throttle import LoginThrottle
from portal.classification.models import ClassificationCode
from portal.links.models import LinkReport
from portal.offices.models import Agency, Office
from portal.once import ScheduledRun
from portal.page_views import PageView
from portal.pages.models import Page

__all__ = [
    "Agency",
    "ApiKey",
    "AuditRecord",
    "ClassificationCode",
    "LinkReport",
    "LoginThrottle",
    "Office",
    "Page",
    "PageView",
    "ScheduledRun",
    "Staff",
    "StaffRole",
    "StaffSession",
]
