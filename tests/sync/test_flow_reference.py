"""Customers are matched (never duplicated) before any is created; items are imported from the package and
pushed to it; clients whose Accounts ID the package does not know are held with the fix."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sync_world import small_seed

from halo_accounts.sync import items as items_mod
from halo_accounts.sync import taxes
from halo_accounts.sync.mapping import normalize_name


def test_existing_package_customer_is_matched_not_duplicated(world: Any) -> None:
    w = world(small_seed(20), qb_seed={"customers": [{"Name": "SMITH AND JONES LTD"}]})
    existing = w.qb("customer")[0]["ListID"]
    w.engine().run()
    names = Counter(normalize_name(c["Name"]) for c in w.qb("customer"))
    assert names[normalize_name("Smith & Jones Ltd")] == 1
    smith = next(c for c in w.export()["clients"] if c["name"] == "Smith & Jones Ltd")
    assert smith["accountsid"] == existing
    assert all(n == 1 for n in names.values())


def test_two_possible_matches_hold_the_client(world: Any) -> None:
    w = world(small_seed(20), qb_seed={"customers": [{"Name": "Smith and Jones Ltd"}, {"Name": "Smith & Jones LTD."}]})
    report = w.engine().run()
    w2_names = [c["Name"] for c in w.qb("customer")]
    held = {h.code for h in report.held if h.kind == "customer"}
    # "Smith & Jones LTD." differs by its full stop, so only one is a match: matched, not held.
    assert "sync.customer_ambiguous" not in held
    assert len(w2_names) == len(set(w2_names))


def test_ambiguous_names_are_held_with_the_candidates(world: Any) -> None:
    w = world(small_seed(20), qb_seed={"customers": [{"Name": "Smith and Jones Ltd"}, {"Name": "Smith & Jones Ltd"}]})
    before = len(w.qb("customer"))
    report = w.engine().run()
    held = [h for h in report.held if h.code == "sync.customer_ambiguous"]
    assert len(held) == 1 and "Smith and Jones Ltd" in held[0].message
    assert "Accounts ID" in held[0].fix
    smith = next(c for c in w.export()["clients"] if c["name"] == "Smith & Jones Ltd")
    assert not smith["accountsid"]
    invoices_of_smith = {str(i["id"]) for i in w.export()["invoices"] if i["client_id"] == smith["id"]
                         and not i["posted"]}
    held_invoices = {h.halo_id for h in report.held if h.code == "sync.customer_not_ready"}
    assert invoices_of_smith <= held_invoices | {s.halo_id for s in report.skipped}
    assert len([c for c in w.qb("customer") if "Smith" in c["Name"]]) == 2
    assert len(w.qb("customer")) > before  # the other clients went


def test_unknown_accounts_id_is_held(world: Any) -> None:
    seed = small_seed(20)
    seed["clients"][1]["accountsid"] = "NOT-IN-QB"
    w = world(seed)
    report = w.engine().run()
    held = [h for h in report.held if h.code == "sync.customer_unknown_ref"]
    assert len(held) == 1 and "NOT-IN-QB" in held[0].message


def test_items_imported_from_the_package_and_pushed_to_it(world: Any) -> None:
    seed = small_seed(20)
    seed["items"][0]["ignore_from_accounting_sync"] = True
    qb_items = [{"type": "ItemService", "Name": "Consulting Hour",
                 "SalesOrPurchase": {"Price": "90.00", "AccountRef": {"FullName": "Consulting Income"}}}]
    w = world(seed, qb_seed={"items": qb_items})
    eng = w.engine()
    created = items_mod.import_items(eng)
    assert created == ["Consulting Hour"]
    halo_items = {i["name"]: i for i in w.export()["items"]}
    assert halo_items["Consulting Hour"]["accountsid"] == "Consulting Hour"
    assert items_mod.import_items(w.engine()) == []
    w.engine().run(only="items")
    qb_names = {i["Name"] for i in w.qb("item")}
    ignored = seed["items"][0]["name"]  # "Managed Service - Gold (per user)", longer than 31: would be shortened
    assert not [n for n in qb_names if n.startswith(ignored[:20])]
    pushed = {i["id"]: i for i in w.export()["items"]}
    assert not pushed[seed["items"][0]["id"]]["accountsid"]
    assert all(i["accountsid"] for i in pushed.values() if not i.get("ignore_from_accounting_sync"))


def test_tax_import_matches_existing_codes_and_creates_the_rest(world: Any) -> None:
    # Issue 8.8: import only what Halo lacks. Halo has Standard 20% (code S), Zero rated 0%, Exempt, Reduced 5%;
    # QuickBooks UK has S, R (Reduced 5%), Z (Zero), E (Exempt), O (Outside scope, 0%).
    seed = small_seed(5)
    seed["taxes"][0]["code"] = "S"  # Halo already has QuickBooks' standard code
    w = world(seed, map_taxes=False)
    before = len(w.export()["taxes"])
    result = taxes.import_taxes(w.engine())
    assert set(result.matched) == {"S", "R", "Z", "E"}  # by code, else by rate and name
    assert result.created == ["O"]  # no Halo tax left with its rate: the only one created
    assert result.mapping == {"1": "S", "2": "Z", "3": "E", "4": "R", "5": "O"}
    assert len(w.export()["taxes"]) == before + 1  # no duplicate rate beside Halo's own
    again = taxes.import_taxes(w.engine())
    assert again.created == []


def test_tax_import_proposes_a_same_rate_tax_with_another_name_and_creates_nothing(world: Any) -> None:
    seed = small_seed(5)
    seed["taxes"][3]["name"] = "Lower band"  # Halo's 5% under a name QuickBooks' "Reduced" does not share
    seed["taxes"].append({"id": 5, "name": "Outside the scope of VAT", "code": "OS", "value": 0.0})
    w = world(seed, map_taxes=False)
    result = taxes.import_taxes(w.engine())
    assert result.created == []
    assert (4, "Lower band", "R") in result.proposed and "R" not in result.mapping.values()
    assert result.mapping.get("5") == "O"  # "Outside ... scope" shares the words of "Outside scope"


def test_an_unmapped_tax_is_held_with_the_map_command_not_the_import(world: Any) -> None:
    w = world(small_seed(12), map_taxes=False)
    report = w.engine().run()
    unmapped = [h for h in report.held if h.code == "sync.tax_unmapped"]
    assert unmapped
    assert all("import tax" not in h.fix and "halo-accounts map tax" in h.fix for h in unmapped)
    standard = next(h for h in unmapped if "'Standard 20%'" in h.message)
    assert "map tax 1 S" in standard.fix  # the QuickBooks code with the same rate, proposed
    assert sum("tax map comes first" in n for n in report.notices) == 1


def test_customer_the_package_refuses_is_held_until_retry(world: Any) -> None:
    # QuickBooks names are unique across customers, vendors, employees and other names (status 3100).
    w = world(small_seed(20), qb_seed={"vendors": ["Smith & Jones Ltd"]})
    report = w.engine().run()
    held = [h for h in report.held if h.kind == "customer"]
    assert [h.code for h in held] == ["sync.ledger_rejected"]
    assert "retry customer:" in held[0].fix
    smith = next(c for c in w.export()["clients"] if c["name"] == "Smith & Jones Ltd")
    attempts = lambda: len([e for e in w.store.journal_entries(kind="customer") if e.action == "create"  # noqa: E731
                            and e.halo_id == str(smith["id"])])
    assert attempts() == 1
    report = w.engine().run()
    assert attempts() == 1  # not sent again
    assert [h.code for h in report.held if h.kind == "customer"] == ["sync.ledger_rejected"]
    waiting = [h for h in report.held if h.code == "sync.customer_not_ready"]
    assert waiting and "Smith & Jones Ltd" in waiting[0].message
    w.engine().run(retry=[f"customer:{smith['id']}"])
    assert attempts() == 2


def test_two_halo_clients_differing_only_by_case_get_a_fix_that_says_so(world: Any) -> None:
    # QuickBooks names are case-insensitive (issue 8.8): "Acme Ltd" and "ACME  LTD" would be one customer there.
    seed = small_seed(5)
    first, second = seed["clients"][0], seed["clients"][1]
    first.update(name="Acme Ltd", accountsid="")
    second.update(name="ACME  LTD", accountsid="", excludefrominvoicesync=False)
    w = world(seed, qb_seed={"customers": [{"Name": "Acme Ltd"}]})
    report = w.engine().run(only=["customers"])
    held = {h.halo_id: h for h in report.held if h.kind == "customer"}
    twin = held.get(str(second["id"])) or held.get(str(first["id"]))
    assert twin is not None and twin.code == "sync.customer_name_twin", [(h.code, h.message) for h in report.held]
    assert "capitals or spaces" in twin.message and "accounts reference" not in twin.fix
    assert "rename one in Halo" in twin.fix


def test_names_shortened_to_fit_quickbooks_are_reported_in_the_run_and_in_status(world: Any) -> None:
    seed = small_seed(5)
    long_name = "The Very Long Name Consulting Partnership of Greater Manchester Ltd"  # > 41 (QuickBooks Name)
    seed["clients"][0].update(name=long_name, accountsid="")
    w = world(seed)
    report = w.engine().run(only=["customers"])
    cut = [n for n in report.notices if "shortened to fit" in n]
    assert len(cut) == 1 and long_name in cut[0] and "Name" in cut[0]
    from halo_accounts.sync import notices

    assert w.store.get_cursor(notices.SHORTENED_CURSOR) == cut[0]  # what `status` shows
    again = w.engine().run(only=["customers"])
    assert not [n for n in again.notices if "shortened to fit" in n]  # said for the run that sent it
