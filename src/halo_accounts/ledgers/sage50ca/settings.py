"""The configuration section Sage 50 Canada owns: ``[sage50ca]``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Sage50CASettings(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    company_path: str = ""
    """The company's .SAI file; empty means Halo's Control.sage50cacompanypath."""
    username: str = ""
    """The dedicated Sage user (Read and write third-party rights); empty means Halo's sage50causername."""
    multi_user: bool = True
    """Open the company in multi-user mode (sage/NOTES.md §3.2: recommended; single-user needs Sage closed)."""
    app_name: str = "halo-accounts"
    app_code: str = Field("HALOAC", min_length=1, max_length=6)
    """The third-party application code passed at open (sage/NOTES.md §3.1: tpAppCode <= 6 characters)."""
    app_version: int = 1
    date_format: str = "%m-%d-%Y"
    """How journal dates are written for SetJournalDate. [?] sage/NOTES.md §3.1: the SDK reads the string in the
    Windows locale's format [I]; we never take the locale, so this must match the company PC's short date."""
    sdk_path: str = ""
    """Folder holding Sage_SA.SDK.dll; empty means the Sage 50 Accounting SDK's install folder."""
    tax_codes: dict[str, str] = Field(default_factory=dict)
    """The company's tax codes and their names, e.g. {H = "HST 13%", GP = "GST 5% + PST 7%"} (Setup > Settings >
    Sales Taxes > Tax Codes). [?] sage/NOTES.md §3 names no SDK call or table listing tax codes, so they are
    given here; Sage itself works out each line's taxes from the code."""


STARTER = """\
[sage50ca]
# The company file, e.g. C:\\\\Sage\\\\Company\\\\Universal.SAI; empty = Halo's Sage 50 Canada company path.
company_path = ""
# A Sage user kept for this program, with "Read and write data" under Rights with Third-Party Products.
# Empty = Halo's Sage 50 Canada username. Its password: `halo-accounts secret set sage50ca.password`.
username = ""
multi_user = true
# How dates are written to Sage (must match the short date format of the PC running Sage).
date_format = "%m-%d-%Y"
# The company's sales tax codes (Setup > Settings > Sales Taxes > Tax Codes): code = "name".
# tax_codes = { H = "HST 13%", GP = "GST 5% + PST 7%", GQ = "GST 5% + QST 9.975%", E = "Exempt" }
"""
