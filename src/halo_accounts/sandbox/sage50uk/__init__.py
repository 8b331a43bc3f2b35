"""Sage 50 UK sandbox: the SDO COM object model over a SQLite company, built from reference/sage/NOTES.md.

    company = Company(tmp_path / "sage.sqlite3")
    engine = SDOEngine(company, faults=Faults(file_busy=True))   # what Dispatch("SDOEngine.32") returns
"""

from halo_accounts.sandbox.sage50uk.company import Company, Faults, SdoFailure
from halo_accounts.sandbox.sage50uk.engine import SandboxViolation, SdoComError, SDOEngine

__all__ = ["Company", "Faults", "SDOEngine", "SandboxViolation", "SdoComError", "SdoFailure"]
