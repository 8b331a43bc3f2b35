"""Links a user makes by hand: `halo-accounts map customer|item HALO_ID REF`.

The link is Halo's own Accounts ID (`accountsid`), which every sync matches on first, so Halo shows it and
the next sync uses it. When the package can be reached now (COM, SDO) the reference is checked and turned
into the package's own id; with the Web Connector the package is reached only inside an update, so the next
update checks it and holds the record with a plain reason if the package has no such record.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from halo_accounts.errors import HaloAccountsError
from halo_accounts.halo.errors import HaloNotFound, HaloValidationError
from halo_accounts.ledgers.port import Ledger

Kind = Literal["customer", "item"]

#: record kind -> (Halo entity, what Halo calls it, what the package calls it)
_WHAT: dict[str, tuple[str, str, str]] = {
    "customer": ("Client", "client", "customer"),
    "item": ("Item", "item", "item"),
}


def map_record(halo: Any, store: Any, ledger: Ledger | None, kind: Kind, halo_id: int, ref: str) -> tuple[str, bool]:
    """Set Halo record ``halo_id``'s Accounts ID to the package record ``ref``; (the value saved, checked?)."""
    entity, halo_word, ledger_word = _WHAT[kind]
    ref = ref.strip()
    if not ref:
        raise HaloAccountsError("sync.map_empty_ref", kind=ledger_word)
    try:
        record = halo.request("GET", f"{entity}/{int(halo_id)}")
    except (HaloNotFound, HaloValidationError):
        record = None
    if not isinstance(record, dict) or not record.get("id"):
        raise HaloAccountsError("sync.map_unknown_halo", what=halo_word, halo_id=halo_id)
    value, checked = ref, False
    if ledger is not None:
        found: Any
        if kind == "customer":
            found = ledger.find_customer(ref=ref) or ledger.find_customer(name=ref)
        else:
            found = ledger.find_product(ref=ref) or ledger.find_product(code=ref)
        if found is None:
            raise HaloAccountsError("sync.map_unknown_ledger", what=ledger_word, ref=ref,
                                    package=ledger.info().kind)
        value, checked = found.ref, True
    row = {"id": int(halo_id), "accountsid": value}
    entry = store.journal_begin(None, "halo", "map_accountsid", kind, str(halo_id), f"map:{kind}:{halo_id}",
                                json.dumps(row))
    try:
        answer = halo.save(entity, [row])
    except HaloAccountsError as exc:
        store.journal_fail(entry, code=exc.code, message=exc.message)
        raise
    store.journal_confirm(entry, response=json.dumps(answer, default=str)[:4000], ledger_ref=value)
    link = store.get_link(kind, str(halo_id))
    if link is not None and link.ledger_ref != value:
        store.unlink(kind, str(halo_id))  # the next sync links it afresh from the Accounts ID
    return value, checked


def rename_client(halo: Any, store: Any, halo_id: int, name: str) -> str:
    """Rename Halo client ``halo_id`` (so that the next sync creates it in the package under a name of its own, when
    its old name clashes with another customer's); journalled like every write."""
    name = " ".join(name.split())
    if not name:
        raise HaloAccountsError("sync.map_empty_ref", kind="name")
    row = {"id": int(halo_id), "name": name}
    entry = store.journal_begin(None, "halo", "rename", "customer", str(halo_id), f"rename:customer:{halo_id}",
                                json.dumps(row))
    try:
        answer = halo.save("Client", [row])
    except HaloAccountsError as exc:
        store.journal_fail(entry, code=exc.code, message=exc.message)
        raise
    store.journal_confirm(entry, response=json.dumps(answer, default=str)[:4000], ledger_ref="")
    return name
