"""Halo models: Halo's own field names (checked against Halo's OpenAPI), its empties normalised, a real
captured response parsed, unknown fields kept, secrets out of reprs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from halo_accounts.halo import models
from refpaths import HALO_OPENAPI, REFERENCE

REAL_RECURRING_INVOICE = REFERENCE / "halo" / "real-responses" / "jakesiney-RecurringInvoice-GET-1.json"


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, object]]:
    return json.loads(HALO_OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"]


@pytest.mark.parametrize(("model", "schema"), list(models.SCHEMAS.items()), ids=lambda v: getattr(v, "__name__", v))
def test_every_field_name_is_halos_own(model: type[models.HaloModel], schema: str, schemas: dict) -> None:
    properties = schemas[schema]["properties"]
    for name, field in model.model_fields.items():
        halo_name = field.alias or name
        assert halo_name in properties, f"{model.__name__}.{name}: '{halo_name}' is not in Halo's {schema}"


def test_real_recurring_invoice_parses_with_halo_empties_normalised() -> None:
    raw = json.loads(REAL_RECURRING_INVOICE.read_text(encoding="utf-8"))
    invoice = models.Invoice.model_validate(raw)
    assert invoice.id == -94  # recurring templates have negative ids: kept
    assert invoice.client_id == 420
    assert invoice.amountdue == Decimal("1223.38")
    assert invoice.currency == "£"
    assert invoice.model_extra and invoice.model_extra["client"]["accountsid"] == "C-00113"  # unknown kept
    assert invoice.model_extra["schedule_date"] is None  # OLE zero date, even in unknown fields
    assert invoice.last_modified == datetime(2025, 3, 20, 18, 50, 25, 57000, tzinfo=UTC)
    line = invoice.lines[0]
    assert line.itemid == 1402
    assert line.tax_code == "5"
    assert line.nominal_code == "Synergy-MS-Gold-Infra"
    assert line.net_amount == Decimal("825.0") and line.tax_amount == Decimal("165.0")
    assert len(invoice.lines) == 8
    # Exact decimals: the lines add up to Halo's unrounded tax_total 387.796, not a float near it.
    assert invoice.tax_total == Decimal("387.796")
    assert sum((ln.net_amount or Decimal(0)) + (ln.tax_amount or Decimal(0)) for ln in invoice.lines) == Decimal(
        "1223.376"
    )


def test_quirks_ole_zero_date_minus_one_ids_null_text_and_flags() -> None:
    line = models.InvoiceLine.model_validate(
        {"id": 1, "_itemid": -1, "tax_code": 5, "startdate": "1899-12-30T00:00:00", "item_code": None, "group_id": 0}
    )
    assert line.itemid is None and line.group_id is None
    assert line.tax_code == "5"
    assert line.startdate is None
    assert line.item_code == ""
    client = models.Client.model_validate({"id": 3, "inactive": None, "excludefrominvoicesync": True})
    assert client.inactive is False and client.excludefrominvoicesync is True


def test_itemid_is_accepted_by_either_name_and_written_back_as_underscore_itemid() -> None:
    by_name = models.InvoiceLine(itemid=7, qty_order=Decimal("2"), unit_price=Decimal("49.99"))
    by_alias = models.InvoiceLine.model_validate({"_itemid": 7})
    assert by_name.itemid == by_alias.itemid == 7
    assert by_name.halo() == {"_itemid": 7, "qty_order": 2, "unit_price": 49.99}


def test_money_is_exact_decimal() -> None:
    item = models.Item.model_validate({"id": 1, "baseprice": 19.99, "costprice": 0.1})
    assert item.baseprice == Decimal("19.99")
    assert item.costprice == Decimal("0.1")


def test_unknown_fields_are_kept_and_round_trip() -> None:
    tax = models.Tax.model_validate({"id": 1, "name": "Standard", "code": "T1", "value": 20, "xerotaxrate": {"a": 1}})
    assert tax.halo() == {"id": 1, "name": "Standard", "code": "T1", "value": 20, "xerotaxrate": {"a": 1}}


def test_secrets_in_control_never_show_in_repr() -> None:
    control = models.Control.model_validate({"useqb": True, "sage50password": "hunter2", "twilliosmsauthtoken": "x1"})
    assert "hunter2" not in repr(control) and "x1" not in repr(control)
    assert control.model_extra and control.model_extra["sage50password"] == "hunter2"  # still readable


def test_payment_dates_are_utc_aware() -> None:
    payment = models.InvoicePayment.model_validate({"id": 1, "date": "2026-01-31T00:00:00", "amount": 120})
    assert payment.date == datetime(2026, 1, 31, tzinfo=UTC)
    assert payment.halo()["date"] == "2026-01-31T00:00:00Z"
