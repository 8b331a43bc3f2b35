"""The connector against the SDK facade: every OpenDatabase result and SDK exception becomes a plain message with
its fix (sage/NOTES.md §3.1-3.2); alerts are answered no; E71 matches; Post() returning false after posting is not
posted again; a lost answer is looked up before anything is resent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from ca_world import SAI, World, ca_seed, make_world, new_company, open_ledger

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers.port import Customer, Invoice, InvoiceLine, LedgerUnavailable, Product
from halo_accounts.ledgers.sage50ca.sdk.session import NoAccess
from halo_accounts.sandbox.sage50ca import Company, Faults


@pytest.fixture
def company(tmp_path: Path) -> Iterator[Company]:
    co = new_company(tmp_path / "ca.sqlite3")
    yield co
    co.close()


def _invoice(number: str = "INV1", customer: str = "Maple Leaf Dental", tax: str = "13.00",
             code: str = "H", net: str = "100.00", when: date = date(2026, 11, 3)) -> Invoice:
    return Invoice(number=number, customer_ref=customer, date=when,
                   lines=(InvoiceLine("", "Support", Decimal(1), Decimal(net), Decimal(net), Decimal(tax), code,
                                      account_code="4040"),))


@pytest.mark.parametrize(("faults", "overrides", "code", "fix_has"), [
    (Faults(mysql_down=True), {}, "sage50ca.open_service", "Connection Manager"),
    (Faults(connection_manager_down=True), {}, "sage50ca.open_service", "Connection Manager"),
    (Faults(open_single_user=True), {}, "sage50ca.open_single_user", "multi-user"),
    (Faults(sdk_version_mismatch=True), {}, "sage50ca.open_version", "same release"),
    (None, {"password": "wrong"}, "sage50ca.open_login", "secret set sage50ca.password"),
    (None, {"company_path": "C:\\Sage\\Other.SAI"}, "sage50ca.open_path", ".SAI"),
    (None, {"username": "nobody"}, "sage50ca.open_login", "password"),
])
def test_open_failures_are_plain_messages_with_their_fix(company: Company, faults: Faults | None,
                                                         overrides: dict[str, str], code: str, fix_has: str) -> None:
    from halo_accounts.secrets import Secret

    if "password" in overrides:
        overrides = {**overrides, "password": Secret(overrides["password"])}
    with pytest.raises(LedgerUnavailable) as err:
        open_ledger(company, faults, **overrides)
    assert err.value.code == code
    assert fix_has in err.value.fix
    assert "s3cret" not in err.value.message + err.value.fix  # the password never shows


def test_no_third_party_rights_and_read_only_rights_say_what_to_change(company: Company) -> None:
    company.set_rights("halo", "none")
    with pytest.raises(LedgerUnavailable) as err:
        open_ledger(company)
    assert err.value.code == "sage50ca.open_rights" and "Third-Party Products" in err.value.fix
    company.set_rights("halo", "read")
    ledger = open_ledger(company)
    with pytest.raises(NoAccess) as no:
        ledger.create_customer(Customer(name="Maple Leaf Dental"))
    assert "Read and write data" in no.value.fix
    ledger.close()


def test_app_code_is_at_most_six_characters(company: Company) -> None:
    with pytest.raises(HaloAccountsError) as err:
        open_ledger(company, app_code="TOOLONG")
    assert "sage50ca.app_code" in err.value.message


def test_a_duplicate_name_raises_e71_and_is_matched_not_duplicated(company: Company) -> None:
    ledger = open_ledger(company)
    first = ledger.create_customer(Customer(name="Maple Leaf Dental"))
    # A second process (or a lost answer) creates it again: Sage raises E71; the connector matches it.
    company.add_customer("Coastal Logistics Inc.")
    again = ledger.create_customer(Customer(name="Coastal Logistics Inc."))
    assert first.ref == "Maple Leaf Dental" and again.ref == "Coastal Logistics Inc."
    assert len(company.all("customer")) == 2
    ledger.close()


def test_post_false_but_posted_is_not_posted_again(company: Company) -> None:
    faults = Faults(post_false_but_posted=1)
    ledger = open_ledger(company, faults)
    ledger.create_customer(Customer(name="Maple Leaf Dental"))
    [outcome] = ledger.post_invoices([_invoice()])
    assert outcome.posted is not None and outcome.posted.total == Decimal("113.00")
    [again] = ledger.post_invoices([_invoice()])
    assert again.posted is not None
    assert len(company.journals()) == 1
    ledger.close()


def test_a_duplicate_invoice_number_alert_is_answered_no(company: Company) -> None:
    ledger = open_ledger(company)
    ledger.create_customer(Customer(name="Maple Leaf Dental"))
    ledger.post_invoices([_invoice()])
    # The same number reaches Sage as a new entry (e.g. typed by hand in Sage for this customer, then looked up
    # under another customer): the SDK asks whether to continue, and the headless alerts say no.
    journal = ledger.manager.OpenSalesJournal()
    journal.SelectAPARLedger("Maple Leaf Dental")
    journal.InvoiceNumber = "INV1"
    journal.SetJournalDate("11-04-2026")
    journal.SetLineAmount(10, 1)
    journal.SetLineAccount("4040", 1)
    assert journal.Post() is False
    assert ledger.session.take_alerts() == ["Invoice number INV1 has already been used. Do you want to continue?"]
    assert len(company.journals()) == 1
    ledger.close()


def test_amounts_sage_would_work_out_differently_are_held_before_posting(company: Company) -> None:
    ledger = open_ledger(company)
    ledger.create_customer(Customer(name="Maple Leaf Dental"))
    [outcome] = ledger.post_invoices([_invoice(tax="12.00")])  # Halo says 12.00; HST 13% gives 13.00
    assert outcome.error is not None and outcome.error.code == "sage50ca.amounts_differ"
    assert "map tax" in outcome.error.fix
    assert company.journals() == []
    ledger.close()


def test_account_numbers_follow_the_companys_length(tmp_path: Path) -> None:
    company = Company(tmp_path / "ca8.sqlite3", sai=SAI, users={"halo": ("s3cret-ca", "readwrite")},
                      account_length=8)
    ledger = open_ledger(company)
    with pytest.raises(Exception) as err:
        ledger.create_product(Product(code="SUPPORT", income_account="4040"))
    assert getattr(err.value, "code", "") == "sage50ca.account_length" and "8 digits" in err.value.message
    ledger.close()
    company.close()


def test_dates_are_written_in_the_configured_format_not_the_locale(company: Company) -> None:
    ledger = open_ledger(company)
    ledger.create_customer(Customer(name="Maple Leaf Dental"))
    ledger.post_invoices([_invoice(when=date(2026, 3, 4))])
    assert company.journals()[0]["date"] == "2026-03-04"  # not 3 April
    ledger.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path, ca_seed(12), faults=Faults(crash_after_post=True))
    yield w
    w.close()


def test_a_lost_answer_is_looked_up_before_anything_is_resent(world: World, tmp_path: Path) -> None:
    """The connection drops right after Sage posted the first invoice: the run stops; the next run finds the
    invoice in Sage (reconciled) and posts only the rest, each once."""
    first = world.engine().run()
    assert first.status != "ok"
    assert len(world.company.journals()) == 1
    world.ledger.close()
    world.ledger = open_ledger(world.company)  # a new process, the connection back
    second = world.engine().run()
    assert second.counts.get("invoice", {}).get("reconciled", 0) >= 1
    assert world.store.journal_entries(kind="invoice")  # the first run's writes were journalled before sending
    numbers = [j["number"] for j in world.company.journals()]
    assert len(numbers) == len(set(numbers))
    compared, differences = world.amount_differences()
    assert differences == [] and compared == len(numbers)


def test_without_an_alert_implementation_the_sdk_throws_and_the_connector_reports_it(company: Company) -> None:
    from halo_accounts.ledgers.sage50ca.sdk.session import SdkSession
    from halo_accounts.sandbox.sage50ca import make_sdk

    ledger = open_ledger(company)
    ledger.create_customer(Customer(name="Maple Leaf Dental"))
    ledger.post_invoices([_invoice()])
    ledger.close()
    sdk = make_sdk(company)
    session = SdkSession(sdk, ledger.session.conn).open()
    sdk.SDKInstanceManager.Instance.SetAlertImplementation(None)  # as if none were set: NOTES §3.1 default
    journal = sdk.SDKInstanceManager.Instance.OpenSalesJournal()
    journal.SelectAPARLedger("Maple Leaf Dental")
    journal.InvoiceNumber = "INV1"
    journal.SetJournalDate("11-04-2026")
    journal.SetLineAmount(10, 1)
    journal.SetLineAccount("4040", 1)
    with pytest.raises(Exception) as err, session.guard("posting Invoice INV1"):
        journal.Post()
    assert getattr(err.value, "code", "") == "sage50ca.alert" and "already been used" in err.value.message
    session.close()


def test_it_imports_on_linux_and_opens_through_the_registry_with_a_stand_in(
        company: Company, monkeypatch: pytest.MonkeyPatch) -> None:
    from halo_accounts.config import Settings
    from halo_accounts.ledgers import windows
    from halo_accounts.ledgers.sage50ca import opening
    from halo_accounts.ledgers.sage50ca.sdk import loader
    from halo_accounts.sandbox.sage50ca import make_sdk
    from halo_accounts.sync.ledger_factory import open_ledger as open_configured

    with pytest.raises(HaloAccountsError) as missing:
        loader.load("/nowhere")
    assert missing.value.code == "sage50ca.sdk_missing" and "export sage50ca" in missing.value.fix
    settings = Settings()
    settings.ledger.kind = "sage50ca"
    monkeypatch.setattr(windows.sys, "platform", "linux")
    with pytest.raises(HaloAccountsError) as off, open_configured(settings, {}):
        pass
    assert off.value.code == "sync.windows_only" and "export sage50ca" in off.value.fix
    monkeypatch.setattr(opening, "SDK_FACTORY", lambda: make_sdk(company))
    monkeypatch.setenv("HALO_ACCOUNTS_SAGE50CA_PASSWORD", "s3cret-ca")
    control = {"sage50cacompanypath": SAI, "sage50causername": "halo", "sage50cadefaultpaidtype": "0"}
    with open_configured(settings, control) as ledger:
        assert ledger.info().kind == "sage50ca"
        assert ledger.options.paid_type == "Pay Later"  # type: ignore[attr-defined]
    assert company.meta("sessions") == []  # closed afterwards
