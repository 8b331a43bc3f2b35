"""The sandbox QuickBooks company at document level: batches, onError, requestID echo, refused documents."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from halo_accounts.sandbox.quickbooks import Company, RequestProcessorError, UnsupportedBySandbox
from refpaths import QB_REAL_RESPONSES, QBXML_XSD_13


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QBXML_XSD_13)))


def request(body: str, on_error: str = "stopOnError", *, check: bool = True, msgs_attrs: str = "") -> str:
    text = (f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n'
            f'<QBXML><QBXMLMsgsRq onError="{on_error}"{msgs_attrs}>{body}</QBXMLMsgsRq></QBXML>')
    if check:
        schema = _schema()
        assert schema.validate(etree.fromstring(text.encode())), schema.error_log
    return text


def replies(response: str) -> list[etree._Element]:
    return list(etree.fromstring(response.encode()).find("QBXMLMsgsRs"))


def add(name: str, rid: str | None) -> str:
    attr = "" if rid is None else f' requestID="{rid}"'
    return f"<CustomerAddRq{attr}><CustomerAdd><Name>{name}</Name></CustomerAdd></CustomerAddRq>"


@pytest.fixture
def company(tmp_path: Path) -> Company:
    with Company(tmp_path / "c.qbw", "US") as c:
        yield c


def test_stop_on_error_skips_the_rest_continue_on_error_runs_them(company: Company) -> None:
    body = add("First", "0") + add("Northwind Supplies", "1") + add("Third", "2")
    stopped = replies(company.process(request(body)))
    assert [r.get("statusCode") for r in stopped] == ["0", "3100", "3231"]
    assert company.counts()["customer"] == 1
    body = add("Fourth", "0") + add("Northwind Supplies", "1") + add("Fifth", "2")
    went_on = replies(company.process(request(body, "continueOnError")))
    assert [r.get("statusCode") for r in went_on] == ["0", "3100", "0"]
    assert company.counts()["customer"] == 3


def test_rollback_on_error_stops_like_stop_on_error(company: Company) -> None:
    out = replies(company.process(request(add("A1", "0") + add("Alex Employee", "1") + add("A3", "2"),
                                          "rollbackOnError")))
    assert [r.get("statusCode") for r in out] == ["0", "3100", "3231"]
    assert company.counts()["customer"] == 1  # [?] earlier members are kept


def test_request_id_echoed_when_sent_even_empty_and_absent_otherwise(company: Company) -> None:
    out = replies(company.process(request(add("R1", "") + add("R2", None) + add("R3", "abc"), "continueOnError")))
    assert [r.get("requestID") for r in out] == ["", None, "abc"]
    assert [r.tag for r in out] == ["CustomerAddRs"] * 3


def test_overlong_request_id_is_1060(company: Company) -> None:
    out = replies(company.process(request(add("Long", "r" * 51) + add("Next", "n"))))
    assert [r.get("statusCode") for r in out] == ["1060", "3231"]
    assert company.counts().get("customer", 0) == 0


def test_batch_reply_looks_like_real_batch(company: Company) -> None:
    real = replies((QB_REAL_RESPONSES / "hotglue-CustomerAddRs-batch-0-3100-3250-3130.xml").read_text())
    body = (add("HG-1", "ext-mix-1") + add("HG-1", "ext-mix-2")
            + '<CustomerAddRq requestID="ext-mix-4"><CustomerAdd><Name>Child</Name><ParentRef><FullName>'
              "NONEXISTENT-PARENT-CUSTOMER</FullName></ParentRef></CustomerAdd></CustomerAddRq>")
    ours = replies(company.process(request(body, "continueOnError")))
    assert [r.get("statusCode") for r in ours] == ["0", "3100", "3130"]
    assert ours[2].get("statusMessage") == real[3].get("statusMessage")
    for mine, theirs in zip(ours, [real[0], real[1], real[3]], strict=True):
        assert list(mine.attrib) == list(theirs.attrib)


def test_response_data_include_none_returns_status_only(company: Company) -> None:
    (rs,) = replies(company.process(request(add("Quiet", "q"), msgs_attrs=' responseData="includeNone"')))
    assert rs.get("statusCode") == "0" and len(rs) == 0
    assert company.counts()["customer"] == 1


def test_schema_option_refuses_wrong_order_request(tmp_path: Path) -> None:
    wrong = request("<CustomerAddRq><CustomerAdd><Name>X</Name><Email>a@b.c</Email><Phone>1</Phone></CustomerAdd>"
                    "</CustomerAddRq>", check=False)
    assert not _schema().validate(etree.fromstring(wrong.encode()))
    with Company(tmp_path / "strict.qbw", "US", validate_schema=QBXML_XSD_13) as strict:
        with pytest.raises(RequestProcessorError) as caught:
            strict.process(wrong)
        assert caught.value.hresult == "0x80040400"
        assert caught.value.message == "QuickBooks found an error when parsing the provided XML text stream."
        assert "Phone" in caught.value.detail
        assert strict.counts().get("customer", 0) == 0
        right = request("<CustomerAddRq><CustomerAdd><Name>X</Name><Phone>1</Phone><Email>a@b.c</Email>"
                        "</CustomerAdd></CustomerAddRq>")
        assert replies(strict.process(right))[0].get("statusCode") == "0"
        # length facets are left to the per-edition check
        long_name = request(add("L" * 45, "1"), check=False)
        assert replies(strict.process(long_name))[0].get("statusCode") == "3070"
    with Company(tmp_path / "lax.qbw", "US") as lax:
        assert replies(lax.process(wrong))[0].get("statusCode") == "0"


@pytest.mark.parametrize(
    "text",
    [
        '<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq>',
        '<QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq/></QBXMLMsgsRq></QBXML>',
        '<?qbxml version="99.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq/></QBXMLMsgsRq></QBXML>',
        '<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq><HostQueryRq/></QBXMLMsgsRq></QBXML>',
        '<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq><CustomerAdd>'
        "<Name>Caf\u00e9</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>",
        '<!DOCTYPE x [<!ENTITY e "x">]><?qbxml version="13.0"?><QBXML/>',
    ],
    ids=["malformed", "no-version", "unknown-version", "no-onError", "raw-non-ascii", "doctype"],
)
def test_refused_documents_raise_the_parse_hresult(company: Company, text: str) -> None:
    with pytest.raises(RequestProcessorError) as caught:
        company.process(text)
    assert caught.value.hresult == "0x80040400"


def test_requests_the_sandbox_does_not_emulate_fail_loudly(company: Company) -> None:
    with pytest.raises(UnsupportedBySandbox, match="VendorQueryRq"):
        company.process(request("<VendorQueryRq/>"))


def test_process_is_safe_from_several_threads(company: Company) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                company.process(request(add(f"T{n}-{i}", str(i))))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert company.counts()["customer"] == 40


def test_dump_and_counts_for_assertions(company: Company) -> None:
    company.process(request(add("Dumped", "1")))
    dumped = company.dump("customer")["customer"]
    assert [c["Name"] for c in dumped] == ["Dumped"]
    assert not any(key.startswith("_") for key in dumped[0])
    assert company.counts()["vendor"] == 1 and company.counts()["employee"] == 1


@pytest.mark.parametrize("edition", ["US", "UK", "CA", "AU"])
def test_every_response_validates_against_intuits_schema(tmp_path: Path, edition: str) -> None:
    seed = {
        "items": [{"type": "ItemService", "Name": "Work", "SalesOrPurchase": {
            "Desc": "Work", "Price": "100", "AccountRef": {"FullName": "Services"}}}],
        "customers": [{"Name": "Client", "BillAddress": {"Addr1": "1 High St", "City": "Leeds", "PostalCode": "LS1"},
                       "TermsRef": {"FullName": "Net 30"}, "OpenBalance": "25.00"}],
    }
    code = {"US": "Tax", "UK": "S", "CA": "G", "AU": "GST"}[edition]
    with Company(tmp_path / "c.qbw", edition, seed=seed) as c:
        writes = (
            '<InvoiceAddRq requestID="1"><InvoiceAdd><CustomerRef><FullName>Client</FullName></CustomerRef>'
            "<RefNumber>1</RefNumber><InvoiceLineAdd><ItemRef><FullName>Work</FullName></ItemRef>"
            f"<Quantity>2</Quantity><SalesTaxCodeRef><FullName>{code}</FullName></SalesTaxCodeRef></InvoiceLineAdd>"
            '</InvoiceAdd></InvoiceAddRq><CreditMemoAddRq requestID="2"><CreditMemoAdd><CustomerRef><FullName>'
            "Client</FullName></CustomerRef><CreditMemoLineAdd><ItemRef><FullName>Work</FullName></ItemRef>"
            "</CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>"
        )
        documents = [c.process(request(writes))]
        c.add_payment("Client", {"1": 50}, "2026-11-02", method="Visa")
        queries = (
            "<HostQueryRq/><CompanyQueryRq/><PreferencesQueryRq/><CustomerQueryRq/><ItemQueryRq/>"
            "<SalesTaxCodeQueryRq/><ItemSalesTaxQueryRq/><ItemSalesTaxGroupQueryRq/><AccountQueryRq/><TermsQueryRq/>"
            "<ClassQueryRq/><InvoiceQueryRq><IncludeLineItems>true</IncludeLineItems>"
            "<IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq><CreditMemoQueryRq><IncludeLineItems>true"
            "</IncludeLineItems></CreditMemoQueryRq><ReceivePaymentQueryRq><IncludeLineItems>true</IncludeLineItems>"
            '</ReceivePaymentQueryRq><CustomerQueryRq iterator="Start"><MaxReturned>1</MaxReturned></CustomerQueryRq>'
            + add("Northwind Supplies", "dup")
        )
        documents.append(c.process(request(queries, "continueOnError")))
        for document in documents:
            root = etree.fromstring(document.encode())
            assert _schema().validate(root), _schema().error_log
        codes = [r.get("statusCode") for r in replies(documents[1])]
        assert codes[-1] == "3100" and set(codes[:-1]) <= {"0", "1"}
        opening = [r for r in replies(documents[1])[11] if r.findtext("Memo") == "Opening balance"]
        assert len(opening) == 1 and opening[0].findtext("BalanceRemaining") == "25.00"


def test_iterator_on_a_query_without_one_and_bad_values_are_parse_failures(company: Company) -> None:
    with pytest.raises(RequestProcessorError, match="iterator"):
        company.process(request('<AccountQueryRq iterator="Start"/>', check=False))
    bad_date = ('<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>X</FullName></CustomerRef>'
                "<TxnDate>2026-02-30</TxnDate></InvoiceAdd></InvoiceAddRq>")
    company.process(request(add("X", "1")))
    document = request(bad_date, check=False)
    assert not _schema().validate(etree.fromstring(document.encode()))  # Intuit's schema refuses it too
    with pytest.raises(RequestProcessorError):
        company.process(document)
    assert company.counts().get("invoice", 0) == 0
