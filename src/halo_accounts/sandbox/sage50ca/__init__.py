"""A stand-in for Sage 50 Canadian Edition behind its .NET SDK facade (tests and the demo only)."""

from halo_accounts.sandbox.sage50ca.company import Company, Faults
from halo_accounts.sandbox.sage50ca.sdk import SDKResult, make_sdk

__all__ = ["Company", "Faults", "SDKResult", "make_sdk"]
