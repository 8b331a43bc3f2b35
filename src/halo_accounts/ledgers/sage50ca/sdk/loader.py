"""Load the real SDK through pythonnet (Windows, the [windows] extra). Imported only when a run opens Sage 50 CA;
the rest of the connector only needs an object with the SDK's namespace shape (`sdk_namespace`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from halo_accounts.errors import HaloAccountsError

ASSEMBLY = "Sage_SA.SDK"  # sage/NOTES.md §3.1: assembly Sage_SA.SDK, namespace SimplySDK
#: [I] sage/NOTES.md §3.1: installed as "Sage 50 Accounting SDK" under Program Files (x86) (so 32-bit).
DEFAULT_FOLDER = Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "Sage 50 Accounting SDK"


def load(sdk_path: str = "") -> Any:
    """The SDK's classes: SDKInstanceManager, SDKResult, SDKAlert, SDKDatabaseUtility and its exceptions."""
    folder = Path(sdk_path) if sdk_path else DEFAULT_FOLDER
    try:
        import clr  # type: ignore[import-not-found]  # pythonnet, the [windows] extra

        sys.path.append(str(folder))
        clr.AddReference(ASSEMBLY)
        import SimplySDK  # type: ignore[import-not-found]
        from SimplySDK import Support as support  # type: ignore[import-not-found]  # noqa: N813
    except Exception as exc:  # ImportError off Windows; FileNotFoundException when the SDK is not installed
        raise HaloAccountsError("sage50ca.sdk_missing", detail=f"{type(exc).__name__}: {exc}") from None

    def pick(name: str) -> Any:
        return getattr(SimplySDK, name, None) or getattr(support, name, None)
    return SimpleNamespace(
        SDKInstanceManager=pick("SDKInstanceManager"), SDKResult=pick("SDKResult"), SDKAlert=pick("SDKAlert"),
        SDKDatabaseUtility=pick("SDKDatabaseUtility"))
