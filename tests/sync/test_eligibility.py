"""Unknown means not ready (issue 8.4): an invoice goes only when Halo says it may. A list row that leaves out a
field deciding that (halo/NOTES.md §3: list rows are abbreviated views) is read whole; Halo's other "may this
sync" settings each keep an invoice back with its own reported reason."""

from __future__ import annotations

from typing import Any

from sync_world import World, small_seed


def _ready(seed: dict[str, Any]) -> list[dict[str, Any]]:
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    return [i for i in seed["invoices"] if not i.get("posted") and not i.get("voided")
            and i["client_id"] not in excluded]


def _outcome(w: World) -> tuple[set[str], dict[str, str]]:
    report = w.engine().run()
    posted = {link.halo_id for kind in ("invoice", "credit") for link in w.store.links(kind)}
    return posted, {s.halo_id: s.code for s in report.skipped}


def test_a_list_row_without_approval_fields_is_read_whole_and_a_pending_invoice_waits(world: Any) -> None:
    seed = small_seed(24)
    seed["options"] = {"list_omits": {"invoices": ["requires_approval", "approval_status", "voided"]}}
    pending = {str(i["id"]) for i in _ready(seed) if i.get("requires_approval")}
    approved = {str(i["id"]) for i in _ready(seed) if not i.get("requires_approval")}
    assert pending and approved
    w = world(seed)
    rows = w.client.invoices(notpostedonly=True, includelines=True)
    assert all("requires_approval" not in r for r in rows)  # the switch really abbreviates the rows
    posted, skipped = _outcome(w)
    assert not pending & posted
    assert all(skipped[h] == "sync.skip_unapproved" for h in pending)
    assert approved <= posted


def test_only_invoices_halo_has_sent_go_when_halo_says_so(world: Any) -> None:
    seed = small_seed(16, control={"only_send_posted_invoices": True})
    ready = [i for i in _ready(seed) if not i.get("requires_approval")]
    sent, unsent = ready[::2], ready[1::2]
    for inv in sent:
        inv["datesent"] = "2026-03-02T10:00:00"
    w = world(seed)
    posted, skipped = _outcome(w)
    assert {str(i["id"]) for i in sent} <= posted
    assert not {str(i["id"]) for i in unsent} & posted
    assert all(skipped[str(i["id"])] == "sync.skip_not_sent" for i in unsent)


def test_a_status_that_disallows_third_party_sync_keeps_the_invoice_back(world: Any) -> None:
    seed = small_seed(12)
    held = next(i for i in _ready(seed) if not i.get("requires_approval"))
    held["dontsyncto3rdparty"] = True  # halo/NOTES.md §9: since v2.228 (field name [I], sync/context.py)
    w = world(seed)
    posted, skipped = _outcome(w)
    assert str(held["id"]) not in posted
    assert skipped[str(held["id"])] == "sync.skip_status"
    assert posted  # the others went


def test_invoice_approvals_alone_still_make_a_pending_invoice_wait(world: Any) -> None:
    seed = small_seed(24, control={"syncinvoicetoaccountspackagewhenapproved": False, "enableinvoiceapprovals": True})
    pending = {str(i["id"]) for i in _ready(seed) if i.get("requires_approval")}
    assert pending
    posted, skipped = _outcome(world(seed))
    assert not pending & posted
    assert all(skipped[h] == "sync.skip_awaiting_approval" for h in pending)


def test_a_voided_invoice_is_reported_not_posted(world: Any) -> None:
    seed = small_seed(12)
    voided = next(i for i in _ready(seed) if not i.get("requires_approval"))
    voided["voided"] = True
    posted, skipped = _outcome(world(seed))
    assert str(voided["id"]) not in posted
    assert skipped[str(voided["id"])] == "sync.skip_voided"
