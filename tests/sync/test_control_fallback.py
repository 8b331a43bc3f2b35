"""Settings without admin (issue 8.6): Halo may give `Control` only to an admin application (halo/NOTES.md §9 [I];
the sandbox's `control_admin_only` seed switch). A whole sync with the `all` scope then runs on the copy kept from
the last read, or on `[halo.control]` in the config, says so once, and still honours Halo's approval setting."""

from __future__ import annotations

from typing import Any

import pytest
from sync_world import World, small_seed

from halo_accounts.errors import HaloAccountsError
from halo_accounts.halo import HaloClient
from halo_accounts.sync import control_settings


def _admin_only_seed() -> dict[str, Any]:
    seed = small_seed(24, control={"sage50password": "kept-out-of-the-store"})
    seed["options"] = {"control_admin_only": True}
    return seed


def _split(seed: dict[str, Any]) -> tuple[set[str], set[str]]:
    excluded = {c["id"] for c in seed["clients"] if c.get("excludefrominvoicesync")}
    ready = [i for i in seed["invoices"] if not i.get("posted") and i["client_id"] not in excluded]
    return ({str(i["id"]) for i in ready if not i.get("requires_approval")},
            {str(i["id"]) for i in ready if i.get("requires_approval")})


def _posted(w: World) -> set[str]:
    return {link.halo_id for kind in ("invoice", "credit") for link in w.store.links(kind)}


def test_the_switch_really_refuses_control_without_admin(world: Any) -> None:
    w = world(_admin_only_seed(), scopes="all")
    with pytest.raises(HaloAccountsError) as caught:
        w.client.control()
    assert caught.value.code == "halo.permission_missing"


def test_a_whole_sync_with_the_all_scope_runs_on_the_configured_settings(world: Any) -> None:
    seed = _admin_only_seed()
    approved, pending = _split(seed)
    w = world(seed, scopes="all")
    w.settings.halo.control = {"syncinvoicetoaccountspackagewhenapproved": True}
    report = w.engine().run()
    assert report.status in ("ok", "held")
    assert approved <= _posted(w) and pending and not pending & _posted(w)
    assert {s.halo_id: s.code for s in report.skipped if s.halo_id in pending} == dict.fromkeys(
        pending, "sync.skip_unapproved")
    said = [n for n in report.notices if "refused its billing settings" in n]
    assert len(said) == 1 and "[halo.control]" in said[0]
    compared, differences = w.amount_differences()
    assert compared and not differences


def test_the_copy_from_the_last_read_is_used_when_admin_is_taken_away(world: Any) -> None:
    seed = _admin_only_seed()
    approved, pending = _split(seed)
    w = world(seed, scopes="all admin")
    first = w.engine().run(only=["customers"])
    assert not [n for n in first.notices if "refused its billing settings" in n]
    kept = w.store.get_cursor(control_settings.CURSOR) or ""
    assert "syncinvoicetoaccountspackagewhenapproved" in kept and "kept-out-of-the-store" not in kept
    w.client.close()
    w.client = HaloClient(w.halo.url, "demo", "demo-secret", scope="all", timeout=10.0)
    report = w.engine().run()
    assert approved <= _posted(w) and not pending & _posted(w)
    said = [n for n in report.notices if "refused its billing settings" in n]
    assert len(said) == 1 and "read from Halo at" in said[0]


def test_no_copy_and_no_config_stops_with_the_fix_and_posts_nothing(world: Any) -> None:
    w = world(_admin_only_seed(), scopes="all")
    with pytest.raises(HaloAccountsError) as caught:
        w.engine().run()
    assert caught.value.code == "sync.control_refused"
    assert "[halo.control]" in caught.value.fix
    assert not _posted(w)


def test_a_wrong_type_in_the_configured_settings_is_a_message_not_a_traceback(world: Any) -> None:
    w = world(_admin_only_seed(), scopes="all")
    w.settings.halo.control = {"sage50version": "thirty-two"}
    with pytest.raises(HaloAccountsError) as caught:
        w.engine().run()
    assert caught.value.code == "sync.control_config_invalid" and "sage50version" in caught.value.message
