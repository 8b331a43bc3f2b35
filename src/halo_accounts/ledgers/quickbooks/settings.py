"""The configuration sections QuickBooks owns: ``[quickbooks]`` and ``[webconnector]``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class QuickBooksSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    transport: Literal["webconnector", "com"] = "webconnector"
    company_file: str = ""
    """Company file path for COM; empty means the one open in QuickBooks."""
    app_name: str = "halo-accounts"


class WebConnectorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    host: str = "127.0.0.1"
    port: int = Field(8765, ge=1, le=65535)
    username: str = "halo-accounts"
    public_url: str = ""
    """The URL the Web Connector reaches us on (https unless on localhost)."""
    cert_file: str = ""
    key_file: str = ""


STARTER = """\
[quickbooks]
# webconnector (QuickBooks anywhere on the network) | com (this PC runs QuickBooks)
transport = "webconnector"
company_file = ""

[webconnector]
host = "127.0.0.1"
port = 8765
username = "halo-accounts"
# The address the Web Connector uses to reach this program. Must be https:// unless it is localhost.
public_url = ""
cert_file = ""
key_file = ""
"""
