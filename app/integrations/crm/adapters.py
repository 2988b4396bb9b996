"""The CRMs Parcours can sync, each registered with its credential fields and how to build its adapter."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.integrations.crm.config import ConfigError, CrmSettings, register
from app.integrations.crm.source import CrmSource

HUBSPOT_API = "https://api.hubapi.com"


def _hubspot(credentials: dict[str, str], chosen: CrmSettings) -> CrmSource:
    from app.integrations.crm.hubspot import HubSpotSource  # the client library loads only when used

    return HubSpotSource(credentials["access_token"], host=chosen.host or HUBSPOT_API)


register("hubspot", ("access_token",), _hubspot)

SALESFORCE_DOMAINS = (".salesforce.com", ".force.com", ".salesforce.mil", ".cloudforce.com")


def check_credential(name: str, credential: str, value: str) -> str:
    """A credential as stored: a Salesforce instance URL must be https on Salesforce's own domains (Parcours
    never sends a session to any other host). Raises ConfigError naming the field."""
    value = value.strip()
    if (name, credential) != ("salesforce", "instance_url"):
        return value
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host.endswith(SALESFORCE_DOMAINS) or parts.path not in ("", "/"):
        raise ConfigError("instance_url", "an https address on salesforce.com, e.g. https://acme.my.salesforce.com")
    return f"https://{host}"


def _salesforce(credentials: dict[str, str], chosen: CrmSettings) -> CrmSource:
    from app.integrations.crm.salesforce import SalesforceSource

    # ``host`` (deployment settings, not the page) may point at a proxy; the page only takes Salesforce's domains.
    instance = chosen.host or check_credential("salesforce", "instance_url", credentials["instance_url"])
    return SalesforceSource(instance, credentials["access_token"])


register("salesforce", ("instance_url", "access_token"), _salesforce)
