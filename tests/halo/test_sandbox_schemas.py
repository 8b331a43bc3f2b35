"""The Halo sandbox's packaged schema subset still matches Halo's OpenAPI document in the reference folder."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources

from halo_accounts.sandbox.halo import schemas
from refpaths import HALO_OPENAPI, REPO


def _tool():
    spec = importlib.util.spec_from_file_location("extract_halo_schemas", REPO / "tools" / "extract_halo_schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_packaged_subset_matches_the_reference() -> None:
    openapi = json.loads(HALO_OPENAPI.read_text(encoding="utf-8"))
    packaged = resources.files("halo_accounts.sandbox.halo").joinpath("halo_schemas.json").read_text(encoding="utf-8")
    assert _tool().render(openapi) == packaged, "run tools/extract_halo_schemas.py with the reference OpenAPI file"


def test_subset_has_the_fields_the_sandbox_relies_on() -> None:
    s = schemas.schemas()
    assert s["InvoiceHeader"]["lines"] == "array:InvoiceDetail?"
    assert s["InvoiceDetail"]["qty_order"] == "number?"
    assert s["InvoiceDetail"]["_itemid"] == "integer?"
    assert s["Area"]["accountsid"] == "string?"
    assert s["InvoicePayment_List"]["sage50_reference"] == "string?"
    assert s["Control"]["syncinvoicetoaccountspackagewhenapproved"] == "boolean?"


def test_checks() -> None:
    assert schemas.check("InvoiceHeader", {"lines": [{"qty_order": "x"}], "unknown_field": {"a": 1}}) == [
        ("lines[0].qty_order", "Could not convert to double: \"x\". Path 'lines[0].qty_order'.")
    ]
    assert schemas.check("Area", {"id": "12", "name": 12, "inactive": "true"}) == []  # Newtonsoft-lenient
    assert schemas.check("Area", {"id": "12"}, strict=True) == [("id", "expected a whole number")]
    assert schemas.validation_body([("[0].a", "x"), ("[0].a", "y")]) == {"[0].a": ["x", "y"]}
