"""Smaller real-world gaps (issue 8.7) against the sandboxes: items made inactive in Halo are still read (an old
invoice using one is not held), the SDO guard lets a bug of ours surface instead of calling it a Sage refusal, and
what Halo's sage50datapath means is set in one place."""

from __future__ import annotations

from typing import Any

import pytest
from sync_world import small_seed

from halo_accounts.config import Settings
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.sage50uk.sdo.transport import SdoSession, connection_settings, sdo_data_path
from halo_accounts.sandbox.halo.conventions import ITEM_INACTIVE_STATUS
from halo_accounts.sandbox.sage50uk import SdoComError


def test_an_invoice_for_an_item_made_inactive_still_posts(world: Any) -> None:
    seed = small_seed(12)
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    inv = next(i for i in seed["invoices"] if not i.get("posted") and not i.get("requires_approval")
               and i["client_id"] not in excluded and i["invoicenumber"].startswith("INV"))
    item_id = next(int(line["_itemid"]) for line in inv["lines"] if line.get("_itemid"))
    item = next(i for i in seed["items"] if i["id"] == item_id)
    item["status"] = ITEM_INACTIVE_STATUS
    w = world(seed)
    assert item_id not in {int(i.id) for i in w.client.items(includeinactive=False)}  # Halo hides it by default
    report = w.engine().run()
    assert w.store.get_link("invoice", str(inv["id"])) is not None
    assert str(inv["id"]) not in {h.halo_id for h in report.held}


class _Engine:
    class LastError:
        Code = 0
        Text = ""


def test_the_sdo_guard_maps_com_errors_and_lets_bugs_through() -> None:
    session = SdoSession(_Engine(), object(), username="HALO", data_path="C:\\ACCDATA", version=32)
    with pytest.raises(HaloAccountsError), session.guard("saving customer"):
        raise SdoComError(13, "Type mismatch")  # what SDO raises: mapped to a plain message
    with pytest.raises(KeyError), session.guard("saving customer"):
        raise KeyError("ACCOUNT_REF")  # a bug of ours: raised as it is, never "rejected by Sage"
    with pytest.raises(TypeError), session.guard("saving customer"):
        raise TypeError("unsupported operand")


def test_what_halos_data_path_means_is_set_in_one_place() -> None:
    company = "\\\\server\\Sage\\Company.000"
    assert sdo_data_path(company) == company  # default: Halo's value is the ACCDATA folder itself [?]
    assert sdo_data_path(company, "company") == company + "\\ACCDATA"
    assert sdo_data_path(company + "\\ACCDATA\\", "company") == company + "\\ACCDATA\\"
    settings = Settings()
    settings.sage50uk.version = 32
    settings.sage50uk.halo_data_path = "company"
    conn = connection_settings(settings, {"sage50datapath": company, "sage50username": "HALO"}, password="pw")
    assert conn.data_path == company + "\\ACCDATA"
    settings.sage50uk.data_path = "D:\\Local\\ACCDATA"  # our own setting is always the ACCDATA folder
    assert connection_settings(settings, {"sage50datapath": company}, password="pw").data_path == "D:\\Local\\ACCDATA"
