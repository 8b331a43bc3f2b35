"""The seam between the qbXML layer and whatever carries it to QuickBooks (Web Connector, COM, a sandbox).

A transport sends one qbXML request document and returns QuickBooks' response document; it knows
nothing about what the documents mean. `HostInfo` is what the running QuickBooks told the transport
about itself (the Web Connector's ``sendRequestXML`` arguments, COM's ``QBXMLVersionsForSession``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class HostInfo:
    """What the running QuickBooks reported about itself, as far as the transport knows it.

    Web Connector: ``country`` = ``qbXMLCountry`` ("US", "UK", "CA", "AU"), ``major``/``minor`` =
    ``qbXMLMajorVers``/``qbXMLMinorVers`` (the highest qbXML version QuickBooks supports),
    ``company_file`` = ``strCompanyFileName``, ``hcp_response`` = ``strHCPResponse`` (the Host/Company/
    Preferences query response QBWC sends with the first request of a session; may be empty).
    COM: ``supported_versions`` = ``QBXMLVersionsForSession`` (e.g. ("1.0", ..., "13.0")).
    Every field is optional: an empty value means "not reported".
    """

    country: str = ""
    major: int = 0
    minor: int = 0
    company_file: str = ""
    product_name: str = ""
    supported_versions: tuple[str, ...] = ()
    hcp_response: str = ""

    @property
    def version(self) -> tuple[int, int] | None:
        """The highest qbXML version reported, or None when the transport was not told."""
        if self.major > 0:
            return (self.major, self.minor)
        return None


@runtime_checkable
class QbxmlTransport(Protocol):
    """Carries qbXML request documents to QuickBooks and brings the responses back (blocking)."""

    def process(self, request_xml: str) -> str:
        """Send one qbXML request document; return QuickBooks' response document.

        Raises `halo_accounts.ledgers.port.LedgerUnavailable` (or a subclass) when QuickBooks cannot
        be reached or the session ended before an answer arrived.
        """
        ...

    def host_info(self) -> HostInfo | None:
        """What the running QuickBooks reported about itself, if the transport knows; else None."""
        ...
