"""Credit notes applied in QuickBooks to the invoice Halo links them to (issue 8.5; halo/NOTES.md §7.2
`creditlinkedtoinvoiceid`; qbxml/NOTES.md §4.5 InvoiceMod SetCredit), once, also after a crash."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sync_world import World, small_seed

from halo_accounts.sandbox.halo.conventions import CREDIT_NOTE_TYPE
from halo_accounts.sync import credits


def _linked_pair(seed: dict[str, Any]) -> tuple[int, int]:
    """An unposted invoice and an unposted credit note for the same client linked to it (made from the seed)."""
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    ready = [i for i in seed["invoices"] if not i.get("posted") and not i.get("requires_approval")
             and i["client_id"] not in excluded and i["invoicenumber"].startswith("INV")]
    invoice, credit = ready[0], ready[1]
    credit["client_id"] = invoice["client_id"]
    credit["invoicenumber"] = "CN" + credit["invoicenumber"][3:]
    credit["invoicetype"] = CREDIT_NOTE_TYPE  # a credit note in Halo is one by type (sandbox conventions)
    line = dict(invoice["lines"][0])
    line.update(id=880001, ihid=credit["id"], qty_order=-1, unit_price=10.0, net_amount=-10.0, tax_amount=-2.0,
                tax_code="1", tax_rate=20.0)
    credit["lines"] = [line]
    credit.pop("total", None)
    credit["creditlinkedtoinvoiceid"] = invoice["id"]
    return invoice["id"], credit["id"]


def _txn(w: World, kind: str, halo_id: int) -> dict[str, Any]:
    link = w.store.get_link("invoice" if kind == "invoice" else "credit", str(halo_id))
    assert link is not None
    return next(t for t in w.qb(kind) if t["TxnID"] == link.ledger_ref)


def test_credit_note_is_applied_to_the_invoice_it_credits_once(world: Any) -> None:
    seed = small_seed(12)
    invoice_id, credit_id = _linked_pair(seed)
    w = world(seed)
    report = w.engine().run()
    assert report.count("credit", "applied") == 1, report.as_dict()["counts"]
    invoice, memo = _txn(w, "invoice", invoice_id), _txn(w, "creditmemo", credit_id)
    assert Decimal(memo["CreditRemaining"]) == 0
    total = Decimal(invoice["Subtotal"]) + Decimal(invoice["SalesTaxTotal"])
    assert Decimal(invoice["BalanceRemaining"]) == total - Decimal("12.00")
    again = w.engine().run()
    assert again.count("credit", "applied") == 0
    assert Decimal(_txn(w, "invoice", invoice_id)["BalanceRemaining"]) == total - Decimal("12.00")


def test_an_application_whose_answer_was_lost_is_looked_up_not_repeated(world: Any) -> None:
    seed = small_seed(12)
    invoice_id, credit_id = _linked_pair(seed)
    w = world(seed)
    def cut(*_: object) -> list[Decimal]:
        raise RuntimeError("the process died while QuickBooks was answering")

    w.ledger.apply_credits = cut  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        w.engine().run()
    del w.ledger.apply_credits  # the real method again
    credit_link, invoice_link = w.store.get_link("credit", str(credit_id)), w.store.get_link("invoice",
                                                                                               str(invoice_id))
    assert credit_link is not None and invoice_link is not None
    # The crash came after QuickBooks applied it but before we heard: the journal entry is still "sent".
    applied = w.ledger.apply_credits([(credit_link.ledger_ref, invoice_link.ledger_ref)])
    assert applied == [Decimal("12.00")]
    assert [e.halo_id for e in w.store.unconfirmed("ledger") if e.action == credits.ACTION] == [str(credit_id)]
    w.engine().run()
    assert not [e for e in w.store.unconfirmed("ledger")]
    memo = _txn(w, "creditmemo", credit_id)
    assert Decimal(memo["CreditRemaining"]) == 0
    invoice = _txn(w, "invoice", invoice_id)
    total = Decimal(invoice["Subtotal"]) + Decimal(invoice["SalesTaxTotal"])
    assert Decimal(invoice["BalanceRemaining"]) == total - Decimal("12.00")
    assert w.store.get_link(credits.LINK, str(credit_id)) is not None
