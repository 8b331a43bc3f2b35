"""Records that cannot go are held with a plain reason and fix while the rest goes on; dry runs write nothing;
an unavailable package interrupts the run cleanly; a re-run after a lost answer posts nothing twice."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sync_world import small_seed

from halo_accounts.ledgers.port import LedgerUnavailable
from halo_accounts.sync import taxes


def qb_keys(w: Any) -> Counter[str]:
    return Counter(str(t.get("Other", "")) for k in ("invoice", "creditmemo") for t in w.qb(k))


def store_counts(w: Any) -> tuple[int, int, int, int]:
    return (len(w.store.runs(100)), len(list(w.store.journal_entries())), len(w.store.links("invoice")),
            len(w.store.held()))


def test_dry_run_writes_nothing_anywhere(world: Any) -> None:
    w = world(small_seed(30))
    halo_before = w.export()
    qb_before = w.company.dump()
    store_before = store_counts(w)
    report = w.engine().run(dry_run=True)
    assert report.status == "dry-run"
    assert w.export() == halo_before
    assert w.company.dump() == qb_before
    assert store_counts(w) == store_before
    posts = [path for path in w.halo.stats()["by_path"] if path.startswith("POST /api/") and "token" not in path]
    assert posts == []
    # It still shows every action with its checks.
    ops = Counter(a.op for a in report.actions)
    assert ops["post"] > 0 and ops["create"] > 0
    post = next(a for a in report.actions if a.op == "post")
    names = {c.name for c in post.checks}
    assert {"customer", "tax code", "nominal code"} <= names
    data = report.as_dict()
    assert data["plan"]["actions"][0]["checks"] is not None


def test_unmapped_tax_holds_with_fix_and_the_rest_goes(world: Any) -> None:
    w = world(small_seed(40), map_taxes=False)
    for halo_id, code in (("2", "Z"), ("3", "E"), ("4", "R")):
        w.store.link("tax", halo_id, code, number=code)
    report = w.engine().run()
    held = [h for h in report.held if h.code == "sync.tax_unmapped"]
    assert held, "invoices with Halo tax 1 must be held"
    assert "map tax 1" in held[0].fix and "Standard 20%" in held[0].message
    assert report.status == "held"
    assert {h.halo_id for h in w.store.held("invoice")} >= {h.halo_id for h in held if h.kind == "invoice"}
    # The user maps it; the next run posts them and releases the holds.
    assert taxes.map_tax(w.engine(), 1, "s") == "S"
    report = w.engine().run()
    assert not [h for h in report.held if h.code == "sync.tax_unmapped"]
    assert not [h for h in w.store.held() if h.code == "sync.tax_unmapped"]
    assert report.count("invoice", "posted") >= len([h for h in held if h.kind == "invoice"])
    assert all(n == 1 for n in qb_keys(w).values())


def _unpost(w: Any, invoice_id: int, **changes: Any) -> None:
    """What a lost write-back (or an edit that reset the flag) leaves: Halo shows the invoice not posted."""
    w.client.save("Invoice", [{"id": invoice_id, "posted": False, "thirdpartyinvoicenumber": "", **changes}])


def test_lost_write_back_is_redone_without_posting_again(world: Any) -> None:
    w = world(small_seed(20))
    w.engine().run()
    link = w.store.links("invoice")[0]
    _unpost(w, int(link.halo_id))
    before = w.company.counts()
    report = w.engine().run()
    assert w.company.counts() == before
    inv = w.invoices()[int(link.halo_id)]
    assert inv["posted"] and inv["thirdpartyinvoicenumber"] == link.number
    assert report.count("invoice", "written_back") == 1 and report.count("invoice", "posted") == 0


def test_invoice_changed_after_posting_is_held_not_reposted(world: Any) -> None:
    w = world(small_seed(20))
    w.engine().run()
    link = w.store.links("invoice")[0]
    iid = int(link.halo_id)
    line = w.invoices()[iid]["lines"][0]
    _unpost(w, iid, lines=[{**line, "unit_price": float(line["unit_price"]) + 1, "net_amount":
                            float(line["net_amount"]) + float(line["qty_order"])}])
    before = w.company.counts()
    report = w.engine().run()
    assert w.company.counts() == before
    drift = [h for h in report.held if h.code == "sync.invoice_drift"]
    assert [h.halo_id for h in drift] == [link.halo_id]
    assert f"retry invoice:{iid}" in drift[0].fix
    assert not w.invoices()[iid]["posted"]
    # Still held on the next run (not re-posted), until the user accepts it with retry.
    w.engine().run()
    assert w.company.counts() == before
    report = w.engine().run(retry=[f"invoice:{iid}"])
    assert w.invoices()[iid]["posted"]
    assert w.company.counts() == before
    assert not w.store.held("invoice")


class DropsAfterPosting:
    """A ledger whose session is lost after QuickBooks posted a batch but before the answer arrived."""

    def __init__(self, inner: Any, fail_on_call: int) -> None:
        self.inner = inner
        self.calls = 0
        self.fail_on_call = fail_on_call

    def post_invoices(self, invoices: Any) -> Any:
        self.calls += 1
        outcomes = self.inner.post_invoices(invoices)
        if self.calls == self.fail_on_call:
            raise LedgerUnavailable("qb.status.unavailable", detail="the Web Connector session ended")
        return outcomes

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_lost_session_interrupts_cleanly_and_rerun_posts_nothing_twice(world: Any) -> None:
    w = world(small_seed(40), batch_size=5)
    w.ledger = DropsAfterPosting(w.ledger, fail_on_call=2)  # type: ignore[assignment]
    report = w.engine().run()
    assert report.status == "interrupted"
    assert "not available" in report.errors[0]
    assert w.store.runs(1)[0].status == "interrupted"
    sent = w.store.unconfirmed("ledger")
    assert len(sent) == 5
    w.ledger = w.ledger.inner  # type: ignore[attr-defined]
    report = w.engine().run()
    assert report.status in ("ok", "held")
    assert report.count("invoice", "reconciled") + report.count("credit", "reconciled") >= 5
    keys = qb_keys(w)
    assert keys and all(n == 1 for n in keys.values())
    assert not w.store.unconfirmed()
    ours = {link.halo_id for k in ("invoice", "credit") for link in w.store.links(k)}
    invoices = w.invoices()
    assert all(invoices[int(i)]["posted"] for i in ours)
