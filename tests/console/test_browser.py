"""A finance admin in a real browser (Debian's headless chromium, driven by Playwright; no browser download):
first-run password, the setup wizard checked live against the Halo sandbox, a preview of the next Web Connector
update (from the lists the first update read), held invoices grouped by cause and fixed through the mappings page,
the preview approved, the invoices posted by the next real Web Connector update, then found in the runs and the
audit trail. Screenshots of each page go to build/screenshots/ (outside git) or $CONSOLE_SCREENSHOTS."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_world import CliWorld, cli_world
from sync_world import TAX_MAPS

from halo_accounts.console import create_console
from halo_accounts.ledgers.quickbooks.webconnector import server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("CONSOLE_SCREENSHOTS") or Path(__file__).parents[2] / "build" / "screenshots")
ADMIN = "finance-admin-2026"
#: Flags for a closed network: without them chromium keeps trying Google's services (env notes, 'Known to work').
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

#: `.ci/run` sets this: there the browser test must run, never be skipped.
REQUIRED = os.environ.get("CONSOLE_BROWSER_TESTS") == "required"
if not Path(CHROMIUM).exists():  # .ci/run installs Debian's chromium; a developer machine may lack it
    if REQUIRED:
        pytest.fail("Debian's chromium is not installed, and .ci/run requires the browser test",
                    pytrace=False)
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="the [test] extra installs playwright")


class MemoryKeyring:
    """An OS keyring stand-in: the wizard stores the client secret as it would in Windows Credential Manager."""

    priority = 1

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, name: str, value: str) -> None:
        self.values[(service, name)] = value

    def get_password(self, service: str, name: str) -> str | None:
        return self.values.get((service, name))


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliWorld]:
    with cli_world(tmp_path, monkeypatch, transport="webconnector", map_taxes=False) as w:
        yield w


def _shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_an_admin_fixes_held_invoices_from_the_console(world: CliWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    shutil.rmtree(SHOTS, ignore_errors=True)  # this run's screenshots only
    ring = MemoryKeyring()
    monkeypatch.setattr(keyring, "set_password", ring.set_password)
    monkeypatch.setattr(keyring, "get_password", ring.get_password)
    with world.config_file.open("a", encoding="utf-8") as cfg:
        cfg.write("[sync]\nreview_first = true\n")  # this admin reviews each update before it posts
    first = world.update()  # the Web Connector's first update: Halo's tax rates are not mapped yet
    assert first.counts["invoice"].get("held", 0) > 0, first.counts
    settings = world.settings()
    settings.halo.url = ""  # the wizard fills it in
    app = create_console(settings, config_path=world.config_file)
    with server.running(app) as endpoint, playwright_api.sync_playwright() as p:
        base = endpoint.removesuffix(server.PATH)
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/")
        assert page.url.endswith("/setup")
        page.fill("input[name=password]", ADMIN)
        page.fill("input[name=again]", ADMIN)
        page.click("text=Set password")
        assert page.url.endswith("/wizard")

        # The wizard: Halo's details, checked live (each permission ticked), then saved.
        page.fill("input[name=url]", world.halo.url)
        page.fill("input[name=client_id]", "demo")
        page.fill("input[name=secret]", "demo-secret")
        page.click("text=Check and save")
        assert "Everything" in page.inner_text("#verdict")
        assert page.locator("#permissions tr.ok").count() >= 6
        assert "edit:invoices" in page.inner_text("#scopes")
        assert "demo-secret" not in page.content()  # never rendered back
        assert ring.values[("halo-accounts", "halo.client_secret")] == "demo-secret"
        assert world.halo.url in world.config_file.read_text(encoding="utf-8")
        assert "demo-secret" not in world.config_file.read_text(encoding="utf-8")
        _shot(page, "1-wizard")

        # Step 2: the package and its connection, from the package's own settings (its descriptor's).
        page.click("text=Next: the accounting package")
        assert page.locator("select[name=kind] option:checked").inner_text() == "QuickBooks Desktop"
        assert page.locator("select[name='quickbooks.transport'] option:checked").inner_text() == "webconnector"
        page.fill("input[name='secret:webconnector.password']", "wc-password-from-the-wizard")
        page.click("#package-form button")
        assert "Saved in" in page.inner_text("main")
        assert ring.values[("halo-accounts", "webconnector.password")] == "wc-password-from-the-wizard"
        assert "wc-password-from-the-wizard" not in page.content()
        _shot(page, "1b-package")
        with page.expect_download() as qwc:
            page.click("text=Download halo-accounts.qwc")
        assert "<QBWCXML>" in Path(qwc.value.path()).read_text(encoding="ascii")
        page.goto(base + "/wizard/next")
        assert "Import tax codes" in page.inner_text("main")
        _shot(page, "1c-first-update")

        page.goto(base + "/")
        assert "not yet" not in page.inner_text("#wc-seen")  # the Web Connector's update was seen
        assert "the Web Connector's next update" in page.inner_text("#next-run")
        _shot(page, "2-health")

        # The preview of the next update, planned from the lists the first update read from QuickBooks.
        page.goto(base + "/preview")
        assert "at the last update" in page.inner_text("main")
        ready = page.locator("#plan input[name=approve]").count()  # invoices that would post now (here: none yet)
        assert "map tax 1 S" in page.inner_text("#plan")  # the held ones, with their fix
        _shot(page, "3-preview")

        # Held invoices, grouped by cause, each group with its fix.
        page.goto(base + "/held")
        groups = page.locator("section.group")
        assert groups.count() == 2
        assert "invoices held" in groups.first.inner_text() and "map tax 1 S" in groups.first.inner_text()
        _shot(page, "4-held")
        page.click("text=Open the tax mappings")
        for halo_id, code in TAX_MAPS["UK"].items():
            page.fill(f"input[name=tax-{halo_id}]", code)
        page.click("text=Save mappings")
        assert "4 mapping(s) saved" in page.inner_text("main")
        nominal_rows = page.locator("#nominal-map tr").all_inner_texts()[1:]
        assert nominal_rows and all(row.split("\t")[1].strip().isdigit() for row in nominal_rows), nominal_rows
        _shot(page, "5-mappings")
        page.goto(base + "/held")
        for n in range(page.locator("section.group button").count()):  # "Retry these N", group by group
            page.locator("section.group button").nth(n).click()
        assert page.locator("text=queued for the next update").count() == 2

        page.goto(base + "/preview")  # now the fixed invoices would post too: approve all but one
        boxes = page.locator("#plan input[name=approve]")
        assert boxes.count() == ready + first.counts["invoice"]["held"]
        for n in range(boxes.count() - 1):
            boxes.nth(n).check()
        left_out = boxes.nth(boxes.count() - 1).get_attribute("value")
        page.click("text=Approve and post the ticked ones")
        assert f"{boxes.count() - 1} approved" in page.inner_text("main")

        second = world.update()  # the next Web Connector update posts what was approved, and only that
        assert second.counts["invoice"]["posted"] == ready + first.counts["invoice"]["held"] - 1
        halo = {str(i["id"]): i for i in world.halo.export()["invoices"]}
        assert not halo[str(left_out)]["posted"]
        page.goto(base + "/held")
        assert "Nothing is held" in page.inner_text("main")
        page.goto(base + "/preview")
        assert page.locator("#plan input[name=approve]").count() == 1  # the one left out still waits

        page.goto(base + "/runs")
        assert page.locator("#runs tr").count() >= 3  # header + two runs
        assert "invoice.posted" in page.inner_text("#runs")
        _shot(page, "6-runs")

        with world.store() as store:  # an invoice this sync posted
            number = next(e.key for e in store.journal_entries(kind="invoice") if e.action == "post"
                          and e.state == "confirmed")
        page.goto(base + "/audit")
        page.fill("input[name=q]", number)
        page.click("text=Search")
        rows = page.inner_text("#audit")
        assert number in rows and "post" in rows
        _shot(page, "7-audit")
        with page.expect_download() as download:
            page.click("text=Export as CSV")
        assert number in Path(download.value.path()).read_text(encoding="utf-8")
        browser.close()
