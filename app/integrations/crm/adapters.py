"""The CRMs Parcours can sync, each registered with its credential fields and how to build its adapter."""

from __future__ import annotations

from app.integrations.crm.config import CrmSettings, register
from app.integrations.crm.source import CrmSource

HUBSPOT_API = "https://api.hubapi.com"


def _hubspot(credentials: dict[str, str], chosen: CrmSettings) -> CrmSource:
    from app.integrations.crm.hubspot import HubSpotSource  # the client library loads only when used

    return HubSpotSource(credentials["access_token"], host=chosen.host or HUBSPOT_API)


register("hubspot", ("access_token",), _hubspot)
