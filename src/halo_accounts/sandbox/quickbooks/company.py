"""A QuickBooks company file that answers qbXML like QuickBooks does: the sandbox's public face.

`Company.process` stands in for ``QBXMLRP2.ProcessRequest`` / one Web Connector round trip, so it can be a
direct qbXML transport in tests; the other methods are what a tester or the demo needs around it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from halo_accounts.sandbox.quickbooks import editions, payments, seed
from halo_accounts.sandbox.quickbooks.clock import Clock
from halo_accounts.sandbox.quickbooks.context import Ctx
from halo_accounts.sandbox.quickbooks.dispatch import parse_request, run
from halo_accounts.sandbox.quickbooks.store import Store


@dataclass(frozen=True)
class HostInfo:
    """What the running QuickBooks reports about itself (HostQueryRs, and what the Web Connector passes on).

    Field names mirror the product's transport ``HostInfo`` (``major``/``minor`` = the highest qbXML version,
    ``hcp_response`` = the Host/Company/Preferences response QBWC sends with its first request) so a test
    transport can copy them across; the sandbox does not import product code.
    """

    country: str
    major: int
    minor: int
    company_file: str
    product_name: str
    supported_versions: tuple[str, ...]
    hcp_response: str


# The Host/Company/Preferences request QBWC runs before the first sendRequestXML (NOTES §1.3 [I]; the real
# strHCPResponse files carry requestIDs 0, 1, 2).
HCP_REQUEST = (
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
    '<QBXMLMsgsRq onError="continueOnError"><HostQueryRq requestID="0"/><CompanyQueryRq requestID="1"/>'
    '<PreferencesQueryRq requestID="2"/></QBXMLMsgsRq></QBXML>'
)


class Company:
    """One company file (SQLite at ``path``) of edition US, UK, CA or AU."""

    def __init__(
        self,
        path: str | Path,
        edition: str = "US",
        *,
        validate_schema: str | Path | None = None,
        seed: dict[str, Any] | None = None,
        company_name: str = "Sandbox Company",
        now: Callable[[], float] | None = None,
    ) -> None:
        if edition not in editions.EDITIONS:
            raise ValueError(f"edition must be one of {', '.join(editions.EDITIONS)}, not {edition!r}")
        self.path = Path(path)
        self._lock = threading.RLock()
        self._store = Store(self.path)
        self._schema = validate_schema
        stored = self._store.meta("edition")
        if stored is not None and stored != edition:
            self._store.close()
            raise ValueError(f"{self.path} is a {stored} company file, not {edition}")
        self.edition = edition
        self._ctx = Ctx(store=self._store, edition=edition, clock=Clock(now))
        if stored is None:
            self._in_txn(lambda: self._create(company_name, seed or {}))

    def _create(self, company_name: str, extra: dict[str, Any]) -> None:
        self._store.set_meta("edition", self.edition)
        seed.load_defaults(self._ctx, company_name)
        seed.load_extra(self._ctx, extra)

    def _in_txn(self, work: Callable[[], Any]) -> Any:
        with self._lock:
            self._store.begin()
            try:
                result = work()
            except BaseException:
                self._store.rollback()
                raise
            self._store.commit()
            return result

    # -- the transport face ------------------------------------------------------------------------
    def process(self, request_xml: str) -> str:
        """Run one qbXML request document and return the response document.

        Raises `RequestProcessorError` (with ``hresult``) when the document itself is refused, as QBXMLRP2
        would, and `UnsupportedBySandbox` for a request this double does not emulate.
        """
        with self._lock:
            msgs, _version = parse_request(request_xml, self.edition, self._schema)
            return run(self._ctx, msgs)

    def host_info(self) -> HostInfo:
        host = editions.HOSTS[self.edition]
        numeric = [tuple(int(p) for p in v.split(".")) for v in host.versions if v[0].isdigit()]
        major, minor = max(numeric)
        hcp = self.process(HCP_REQUEST)
        return HostInfo(host.country, major, minor, str(self.path), host.product_name, host.versions, hcp)

    # -- what the user does in QuickBooks ----------------------------------------------------------
    def add_account(self, name: str, account_type: str = "Income", number: str = "") -> None:
        """Create an account, as the user would in QuickBooks' chart of accounts."""
        spec = {"Name": name, "AccountType": account_type, **({"AccountNumber": number} if number else {})}
        self._in_txn(lambda: seed.load_extra(self._ctx, {"accounts": [spec]}))

    def add_payment(
        self,
        customer: str,
        applied: Mapping[str, Decimal | float | str],
        txn_date: str,
        *,
        ref_number: str | None = None,
        total: Decimal | float | str | None = None,
        method: str | None = None,
        memo: str | None = None,
    ) -> str:
        """Key a customer payment (customer name or ListID; invoice TxnID or RefNumber → amount); its TxnID."""
        def work() -> str:
            pay = payments.record_payment(self._ctx, customer, applied, txn_date, ref_number=ref_number,
                                          total=total, method=method, memo=memo)
            return str(pay["TxnID"])

        return str(self._in_txn(work))

    def renumber(self, kind: str, txn_id: str, ref_number: str) -> None:
        """Change a transaction's RefNumber, as a user may in QuickBooks (the number is editable and not unique,
        NOTES §3.6; the TxnID stays)."""
        def work() -> None:
            rec = self._ctx.store.get(kind, txn_id)
            if rec is None:
                raise KeyError(f"no {kind} {txn_id}")
            rec["RefNumber"] = ref_number
            self._ctx.touch(rec)
            owner = (rec.get("CustomerRef") or {}).get("ListID")
            self._ctx.save(kind, rec, refnum=ref_number, owner=owner)

        self._in_txn(work)

    # -- assertions and demo -----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Records per kind (customer, item, invoice, creditmemo, payment, account, ...)."""
        with self._lock:
            return self._store.kinds()

    def dump(self, kind: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Every record (or those of ``kind``) as stored, grouped by kind, in creation order."""
        with self._lock:
            kinds = (kind,) if kind else tuple(self._store.kinds())
            out: dict[str, list[dict[str, Any]]] = {}
            for k, rec in self._store.all(kinds):
                out.setdefault(k, []).append({key: v for key, v in rec.items() if not key.startswith("_")})
            return out

    def close(self) -> None:
        with self._lock:
            self._store.close()

    def __enter__(self) -> Company:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
