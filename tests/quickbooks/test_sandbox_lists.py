"""The sandbox QuickBooks company: customers, items and reference lists answer as QuickBooks does."""

from __future__ import annotations

import os
import stat
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from halo_accounts.sandbox.quickbooks import Company, UnsupportedBySandbox
from refpaths import QB_REAL_RESPONSES, QBXML_XSD_13


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QBXML_XSD_13)))


def request(body: str, on_error: str = "stopOnError", *, version: str = "13.0", check: bool = True) -> str:
    """A qbXML request document; hand-written requests are checked against Intuit's XSD first."""
    text = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n'
        f'<QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>'
    )
    if check:
        schema = _schema()
        assert schema.validate(etree.fromstring(text.encode())), schema.error_log
    return text


def rs_list(response: str) -> list[etree._Element]:
    root = etree.fromstring(response.encode())
    assert root.tag == "QBXML"
    return list(root.find("QBXMLMsgsRs"))


def one(response: str) -> etree._Element:
    (rs,) = rs_list(response)
    return rs


@pytest.fixture
def company(tmp_path: Path) -> Company:
    with Company(tmp_path / "us.qbw", "US") as c:
        yield c


def customer_add(name: str, rid: str | None = "1", extra: str = "") -> str:
    rid_attr = f' requestID="{rid}"' if rid is not None else ""
    return f"<CustomerAddRq{rid_attr}><CustomerAdd><Name>{name}</Name>{extra}</CustomerAdd></CustomerAddRq>"


def test_company_file_is_owner_only_and_keeps_data_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "file.qbw"
    with Company(path, "UK") as c:
        rs = one(c.process(request(customer_add("Smith &amp; Jones Ltd"))))
        list_id = rs.findtext("CustomerRet/ListID")
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        if (tmp_path / name).exists():
            assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with Company(path, "UK") as again:
        found = one(again.process(request(f"<CustomerQueryRq><ListID>{list_id}</ListID></CustomerQueryRq>")))
        assert found.findtext("CustomerRet/Name") == "Smith & Jones Ltd"
        assert again.counts()["customer"] == 1
    with pytest.raises(ValueError, match="UK company file"):
        Company(path, "US")


def test_customer_add_returns_ret_shaped_like_real_quickbooks(company: Company) -> None:
    address = "<BillAddress><Addr1>1 Main St</Addr1><City>Springfield</City><State>IL</State>" \
              "<PostalCode>62701</PostalCode></BillAddress>"
    rs = one(company.process(request(customer_add("Acme Corp", "7", "<CompanyName>Acme</CompanyName>" + address))))
    real = one((QB_REAL_RESPONSES / "qbwc-CustomerAddRs-1.xml").read_text())
    assert rs.tag == real.tag == "CustomerAddRs"
    assert rs.get("requestID") == "7"
    assert [rs.get(a) for a in ("statusCode", "statusSeverity", "statusMessage")] == ["0", "Info", "Status OK"]
    ret = rs.find("CustomerRet")
    tags = [c.tag for c in ret]
    real_tags = [c.tag for c in real.find("CustomerRet")]
    # Same leading fields in the same order as the real reply.
    assert tags[:8] == real_tags[:8] == [
        "ListID", "TimeCreated", "TimeModified", "EditSequence", "Name", "FullName", "IsActive", "Sublevel"]
    assert tags.index("BillAddress") < tags.index("BillAddressBlock") < tags.index("Balance") < tags.index("JobStatus")
    list_id = ret.findtext("ListID")
    counter, epoch = list_id.split("-")
    assert int(counter, 16) >= 0x80000001 and epoch == ret.findtext("EditSequence")
    assert ret.findtext("BillAddressBlock/Addr2") == "Springfield, IL 62701"


def test_3100_across_customers_vendors_employees_and_other_names(company: Company) -> None:
    body = (customer_add("northwind SUPPLIES", "0") + customer_add("Alex Employee", "1")
            + customer_add("Owner Drawings", "2") + customer_add("Fresh Name", "3") + customer_add("fresh name", "4"))
    replies = rs_list(company.process(request(body, "continueOnError")))
    assert [r.get("statusCode") for r in replies] == ["3100", "3100", "3100", "0", "3100"]
    assert replies[0].get("statusMessage") == 'The name "northwind SUPPLIES" of the list element is already in use.'
    assert replies[0].find("CustomerRet") is None
    assert [r.get("requestID") for r in replies] == ["0", "1", "2", "3", "4"]


def test_3100_message_cuts_name_to_field_length_like_real_file(company: Company) -> None:
    long_name = "Shipping Item - QuickBooks Inte"  # 31 characters: the item name limit
    item = (f"<ItemServiceAddRq><ItemServiceAdd><Name>{long_name}</Name><SalesOrPurchase><Price>5.00</Price>"
            "<AccountRef><FullName>Services</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd>"
            "</ItemServiceAddRq>")
    assert one(company.process(request(item))).get("statusCode") == "0"
    dup = one(company.process(request(item)))
    real = one((QB_REAL_RESPONSES / "consolibyte-ItemServiceAddRs-3100-1.xml").read_text())
    assert dup.get("statusMessage") == real.get("statusMessage")
    assert dup.get("statusSeverity") == real.get("statusSeverity") == "Error"


def test_overlong_name_is_refused_per_edition_limit(company: Company) -> None:
    name = "N" * 42  # NOTES §4.1: Name len41
    text = request(customer_add(name), check=False)
    rs = one(company.process(text))
    assert rs.get("statusCode") == "3070" and f'"{name}"' in rs.get("statusMessage")
    assert company.counts().get("customer", 0) == 0


def test_tax_code_length_is_three_in_us_six_in_au(tmp_path: Path) -> None:
    body = customer_add("Down Under", extra="<SalesTaxCodeRef><FullName>GSTFRE</FullName></SalesTaxCodeRef>")
    with Company(tmp_path / "us.qbw", "US") as us:
        assert one(us.process(request(body, check=False))).get("statusCode") == "3070"
    with Company(tmp_path / "au.qbw", "AU") as au:
        rs = one(au.process(request(body, check=False)))
        assert rs.get("statusCode") == "3140"  # long enough for AU, but no such code
        assert 'QuickBooks Sales Tax Code "GSTFRE" in the Customer' in rs.get("statusMessage")


def test_customer_mod_changes_edit_sequence_and_refuses_stale_one(tmp_path: Path) -> None:
    ticks = iter(range(1_800_000_000, 1_800_000_100))
    with Company(tmp_path / "c.qbw", "US", now=lambda: float(next(ticks))) as c:
        ret = one(c.process(request(customer_add("Old Name")))).find("CustomerRet")
        list_id, seq = ret.findtext("ListID"), ret.findtext("EditSequence")
        mod = (f"<CustomerModRq requestID=\"m\"><CustomerMod><ListID>{list_id}</ListID><EditSequence>{seq}"
               "</EditSequence><Name>New Name</Name><Phone>555-0100</Phone></CustomerMod></CustomerModRq>")
        done = one(c.process(request(mod)))
        assert done.get("statusCode") == "0"
        new_seq = done.findtext("CustomerRet/EditSequence")
        assert new_seq != seq and done.findtext("CustomerRet/Name") == "New Name"
        stale = one(c.process(request(mod)))
        assert stale.get("statusCode") == "3200" and stale.get("statusSeverity") == "Error"
        assert stale.get("statusMessage") == f'The provided edit sequence "{seq}" is out-of-date. '
        assert stale.findtext("CustomerRet/EditSequence") == new_seq  # current record still returned
        missing = mod.replace(list_id, "80009999-1800000000").replace(seq, new_seq)
        gone = one(c.process(request(missing)))
        assert gone.get("statusCode") == "3120"


def test_query_selectors_no_match_and_warnings(company: Company) -> None:
    company.process(request(customer_add("Alpha") + customer_add("Beta")))
    by_name = one(company.process(request("<CustomerQueryRq><FullName>alpha</FullName>"
                                          "<FullName>Nobody</FullName></CustomerQueryRq>")))
    assert by_name.get("statusCode") == "500" and by_name.get("statusSeverity") == "Warn"
    assert [r.findtext("Name") for r in by_name] == ["Alpha"]
    none = one(company.process(request("<CustomerQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion>"
                                       "<Name>Zed</Name></NameFilter></CustomerQueryRq>")))
    real = one((QB_REAL_RESPONSES / "flowlink-ItemInventoryQueryRs-1-nomatch.xml").read_text())
    assert (none.get("statusCode"), none.get("statusSeverity")) == ("1", "Info")
    assert none.get("statusMessage") == real.get("statusMessage") and len(none) == 0
    assert none.get("requestID") is None  # not sent, not echoed
    bad_id = one(company.process(request("<CustomerQueryRq><ListID>80001234-1</ListID></CustomerQueryRq>")))
    assert bad_id.get("statusCode") == "3120"


def test_iterator_pages_through_more_records_than_max_returned(company: Company) -> None:
    body = "".join(customer_add(f"Customer {i:02d}", str(i)) for i in range(7))
    company.process(request(body))
    first = one(company.process(request(
        '<CustomerQueryRq requestID="it" iterator="Start"><MaxReturned>3</MaxReturned></CustomerQueryRq>')))
    iterator_id = first.get("iteratorID")
    assert iterator_id.startswith("{") and first.get("iteratorRemainingCount") == "4"
    names = [r.findtext("Name") for r in first]
    while True:
        page = one(company.process(request(
            f'<CustomerQueryRq iterator="Continue" iteratorID="{iterator_id}"><MaxReturned>3</MaxReturned>'
            "</CustomerQueryRq>")))
        names += [r.findtext("Name") for r in page]
        if page.get("iteratorRemainingCount") == "0":
            break
    assert names == [f"Customer {i:02d}" for i in range(7)]
    expired = one(company.process(request(
        f'<CustomerQueryRq iterator="Continue" iteratorID="{iterator_id}"><MaxReturned>3</MaxReturned>'
        "</CustomerQueryRq>")))
    assert expired.get("statusCode") == "3000" and "iteratorID" in expired.get("statusMessage")


def test_max_returned_and_modified_date_filter(tmp_path: Path) -> None:
    clock = [1_800_000_000.0]
    with Company(tmp_path / "c.qbw", "US", now=lambda: clock[0]) as c:
        c.process(request(customer_add("Early")))
        clock[0] += 86_400 * 2
        c.process(request(customer_add("Late")))
        since = c._ctx.clock.stamp(clock[0] - 60)
        late = one(c.process(request(f"<CustomerQueryRq><FromModifiedDate>{since}</FromModifiedDate>"
                                     "</CustomerQueryRq>")))
        assert [r.findtext("Name") for r in late] == ["Late"]
        capped = one(c.process(request("<CustomerQueryRq><MaxReturned>1</MaxReturned></CustomerQueryRq>")))
        assert len(capped) == 1


def test_items_of_every_kind_and_item_query(company: Company) -> None:
    sales = "<SalesOrPurchase><Desc>{d}</Desc><Price>{p}</Price><AccountRef><FullName>{a}</FullName></AccountRef>" \
            "</SalesOrPurchase>"
    body = (
        '<ItemServiceAddRq requestID="s"><ItemServiceAdd><Name>Managed Service</Name>'
        "<SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef>"
        + sales.format(d="Monthly", p="50", a="Services") + "</ItemServiceAdd></ItemServiceAddRq>"
        '<ItemNonInventoryAddRq requestID="n"><ItemNonInventoryAdd><Name>Laptop</Name>'
        "<SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef>"
        + sales.format(d="A laptop", p="999.99", a="Sales:Hardware Sales") + "</ItemNonInventoryAdd>"
        "</ItemNonInventoryAddRq>"
        '<ItemOtherChargeAddRq requestID="o"><ItemOtherChargeAdd><Name>Shipping</Name>'
        + sales.format(d="Delivery", p="10", a="Sales") + "</ItemOtherChargeAdd></ItemOtherChargeAddRq>"
    )
    replies = rs_list(company.process(request(body)))
    assert [r.get("statusCode") for r in replies] == ["0", "0", "0"]
    real = one((QB_REAL_RESPONSES / "apotema-ItemServiceAddRs-1.xml").read_text())
    service = replies[0].find("ItemServiceRet")
    assert [c.tag for c in service][:8] == [c.tag for c in real.find("ItemServiceRet")][:8]
    assert service.findtext("SalesOrPurchase/Price") == "50.00"
    assert replies[1].findtext("ItemNonInventoryRet/SalesOrPurchase/AccountRef/FullName") == "Sales:Hardware Sales"
    everything = one(company.process(request("<ItemQueryRq/>")))
    kinds = {child.tag for child in everything}
    assert {"ItemServiceRet", "ItemNonInventoryRet", "ItemOtherChargeRet", "ItemSalesTaxRet",
            "ItemSalesTaxGroupRet"} <= kinds
    taxes = one(company.process(request("<ItemSalesTaxQueryRq/>")))
    assert {r.findtext("Name"): r.findtext("TaxRate") for r in taxes}["State Tax"] == "7.25"
    group = one(company.process(request("<ItemSalesTaxGroupQueryRq/>"))).find("ItemSalesTaxGroupRet")
    assert [m.findtext("FullName") for m in group.findall("ItemSalesTaxRef")] == ["State Tax", "City Tax"]
    # one name space across item types
    clash = one(company.process(request(
        "<ItemServiceAddRq><ItemServiceAdd><Name>state tax</Name>" + sales.format(d="x", p="1", a="Sales")
        + "</ItemServiceAdd></ItemServiceAddRq>")))
    assert clash.get("statusCode") == "3100"
    bad_account = one(company.process(request(
        "<ItemServiceAddRq><ItemServiceAdd><Name>X</Name>" + sales.format(d="x", p="1", a="Nope")
        + "</ItemServiceAdd></ItemServiceAddRq>")))
    assert bad_account.get("statusCode") == "3140"


@pytest.mark.parametrize(
    ("edition", "codes"),
    [("US", {"Tax", "Non"}), ("UK", {"S", "R", "Z", "E", "O"}), ("CA", {"G", "H", "S", "Z", "E"}),
     ("AU", {"GST", "FRE", "EXP", "N-T"})],
)
def test_reference_lists_per_edition(tmp_path: Path, edition: str, codes: set[str]) -> None:
    with Company(tmp_path / f"{edition}.qbw", edition) as c:
        body = ('<SalesTaxCodeQueryRq requestID="1"/><AccountQueryRq requestID="2"><AccountType>Income</AccountType>'
                '</AccountQueryRq><TermsQueryRq requestID="3"/><ClassQueryRq requestID="4"/>'
                '<HostQueryRq requestID="5"/>')
        tax, accounts, terms, classes, host = rs_list(c.process(request(body, "continueOnError")))
        assert {r.findtext("Name") for r in tax} == codes
        has_item_ref = any(r.find("ItemSalesTaxRef") is not None for r in tax)
        assert has_item_ref is (edition != "US")  # NOTES §5: not in QBD
        assert {"Sales", "Services", "Consulting Income"} <= {r.findtext("Name") for r in accounts}
        assert {r.findtext("AccountType") for r in accounts} == {"Income"}
        assert "Net 30" in {r.findtext("Name") for r in terms}
        assert all(r.tag == "StandardTermsRet" for r in terms)
        assert len(classes) == 3
        assert host.findtext("HostRet/Country") == edition
        versions = [v.text for v in host.findall("HostRet/SupportedQBXMLVersion")]
        assert "13.0" in versions and "16.0" in versions
        info = c.host_info()
        assert (info.country, info.major, info.minor) == (edition, 16, 0)
        assert "13.0" in info.supported_versions
        assert [r.tag for r in rs_list(info.hcp_response)] == ["HostQueryRs", "CompanyQueryRs", "PreferencesQueryRs"]


def test_edition_field_missing_gives_530_warning_and_keeps_record(tmp_path: Path) -> None:
    with Company(tmp_path / "uk.qbw", "UK") as uk:
        body = customer_add("VAT Customer", extra="<ItemSalesTaxRef><FullName>20.0% S</FullName></ItemSalesTaxRef>")
        rs = one(uk.process(request(body)))
        assert (rs.get("statusCode"), rs.get("statusSeverity")) == ("530", "Warn")
        assert rs.get("statusMessage") == 'The field "ItemSalesTaxRef" is not supported by this implementation.'
        assert rs.find("CustomerRet/ItemSalesTaxRef") is None and rs.findtext("CustomerRet/Name") == "VAT Customer"
        assert rs.findtext("CustomerRet/SalesTaxCountry") == "UK"


def test_non_latin1_text_becomes_question_marks(company: Company) -> None:
    rs = one(company.process(request(customer_add("Caf&#233; &#8364;uro"))))
    assert rs.findtext("CustomerRet/Name") == "Café ?uro"


def test_meta_data_only_counts_without_records(company: Company) -> None:
    company.process(request(customer_add("M1", "1") + customer_add("M2", "2")))
    counted = one(company.process(request('<CustomerQueryRq metaData="MetaDataOnly"/>')))
    assert counted.get("retCount") == "2" and len(counted) == 0
    both = one(company.process(request('<CustomerQueryRq metaData="MetaDataAndResponseData"/>')))
    assert both.get("retCount") == "2" and len(both) == 2


def test_opening_balance_creates_the_opening_invoice(company: Company) -> None:
    extra = "<OpenBalance>250.00</OpenBalance><OpenBalanceDate>2026-10-01</OpenBalanceDate>"
    rs = one(company.process(request(customer_add("Owes Money", extra=extra))))
    assert rs.findtext("CustomerRet/Balance") == "250.00"
    invoices = one(company.process(request("<InvoiceQueryRq/>")))
    (opening,) = invoices.findall("InvoiceRet")
    assert (opening.findtext("Memo"), opening.findtext("TxnDate"), opening.findtext("BalanceRemaining")) == (
        "Opening balance", "2026-10-01", "250.00")
    assert opening.find("RefNumber") is None


def test_unemulated_customer_parts_fail_loudly(company: Company) -> None:
    body = customer_add("Many Contacts", extra="<Contacts><FirstName>A</FirstName></Contacts>")
    with pytest.raises(UnsupportedBySandbox, match="Contacts"):
        company.process(request(body))
    assert company.counts().get("customer", 0) == 0
