"""The tenant's day: Halo sends naive timestamps in UTC, while an invoice dated 1 July in a UK tenant is dated
1 July in the package, not 30 June (issue 8.3). Every Halo date the package sees, and every package date Halo is
sent, goes through here, so the assumptions below can be changed in one place."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from halo_accounts.errors import HaloAccountsError

#: [I] halo/NOTES.md §2: Halo's timestamps carry no offset and look like UTC ("lastcreated": "2024-03-31T23:00:00"
#: on a UK tenant). False would read them as the tenant's own local time instead.
NAIVE_IS_UTC = True
#: [I] The `Control` fields holding the tenant's zone (openapi `Control`: `server_time_zone`, `defaultSiteTimezone`,
#: both strings, format undocumented); the first one set wins. `[halo] timezone` in the configuration overrides.
CONTROL_FIELDS = ("server_time_zone", "defaultSiteTimezone")
#: [I] Halo runs on .NET, so its zone names are likely Windows ones; those we know map to IANA names (CLDR
#: windowsZones). IANA names ("Europe/London") are taken as they are.
WINDOWS_ZONES: dict[str, str] = {
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "UTC": "UTC",
    "Coordinated Universal Time": "UTC",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "Atlantic Standard Time": "America/Halifax",
    "Canada Central Standard Time": "America/Regina",
    "Newfoundland Standard Time": "America/St_Johns",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "E. Australia Standard Time": "Australia/Brisbane",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "W. Australia Standard Time": "Australia/Perth",
    "New Zealand Standard Time": "Pacific/Auckland",
}
#: Halo's "no date" (OLE zero date), halo/NOTES.md §2 [C].
NO_DATE_PREFIX = "1899-12-30"


def zone_named(name: str, source: str) -> ZoneInfo:
    """The zone called ``name`` (IANA, or a Windows name we know); a clear error naming ``source`` otherwise."""
    wanted = WINDOWS_ZONES.get(name.strip(), name.strip())
    try:
        return ZoneInfo(wanted)
    except (ZoneInfoNotFoundError, ValueError):
        raise HaloAccountsError("sync.timezone_unknown", value=name, source=source) from None


def tenant_zone(configured: str, control: Any) -> tuple[ZoneInfo, str]:
    """The tenant's zone and where it came from: the configuration, else Halo's Control, else UTC."""
    if configured.strip():
        return zone_named(configured, "[halo] timezone in the configuration"), "the configuration"
    for name in CONTROL_FIELDS:
        value = control.get(name) if isinstance(control, dict) else getattr(control, name, None)
        if value is None and not isinstance(control, dict):
            value = (getattr(control, "model_extra", None) or {}).get(name)
        if isinstance(value, str) and value.strip():
            return zone_named(value, f"Halo's Control.{name}"), f"Halo's Control.{name}"
    return ZoneInfo("UTC"), "no time zone set (UTC)"


def local_day(value: Any, zone: ZoneInfo) -> date | None:
    """A Halo date or timestamp as the tenant's calendar day; None for Halo's empty date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, date):
        return None if value.year < 1901 else value
    else:
        raw = str(value).strip()
        if raw.startswith(NO_DATE_PREFIX):
            return None
        try:
            stamp = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            try:
                return date.fromisoformat(raw[:10])
            except ValueError:
                return None
    if stamp.year < 1901:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC if NAIVE_IS_UTC else zone)
    return stamp.astimezone(zone).date()


def halo_instant(day: date, zone: ZoneInfo) -> str:
    """The start of the tenant's ``day`` as Halo is sent dates: ISO 8601 UTC with Z (halo/NOTES.md §2)."""
    start = datetime.combine(day, time(0, 0), tzinfo=zone)
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
