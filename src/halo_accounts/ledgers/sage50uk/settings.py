"""The configuration section Sage 50 UK owns: ``[sage50uk]``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Sage50UKSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    data_path: str = ""
    username: str = "halo"
    version: int = 0
    """SDO version (32 for v32); 0 means: from Halo Control.sage50version, else detect."""
    invoice_types: dict[str, Literal["audit", "product", "service"]] = Field(default_factory=dict)
    """Halo's sage50ukinvoicetype values and the Sage route each means, e.g. {"0" = "audit"}, over the built-in
    guess in ledgers/sage50uk/routes.py (HALO_INVOICE_TYPES; the values are undocumented)."""
    halo_data_path: Literal["accdata", "company"] = "accdata"
    """What Halo's sage50datapath points at when data_path is empty: the ACCDATA folder SDO connects to, or the
    company folder that holds it (ACCDATA is then added); undocumented, see ledgers/sage50uk/sdo/transport.py."""


STARTER = """\
[sage50uk]
# The folder holding Sage's ACCDATA, e.g. C:\\\\ProgramData\\\\Sage\\\\Accounts\\\\2026\\\\Company.000\\\\ACCDATA
data_path = ""
username = "halo"
# SDO version (32 for v32); 0 = take Halo's Control.sage50version, else detect.
version = 0
# Halo's sage50ukinvoicetype values are undocumented: set what each means here if the built-in guess
# (0 = audit trail, 1 = product invoice, 2 = service invoice) is wrong for your tenant.
# invoice_types = { "0" = "audit" }
# What Halo's sage50datapath points at (used when data_path is empty): "accdata" or "company" (the folder above).
halo_data_path = "accdata"
"""
