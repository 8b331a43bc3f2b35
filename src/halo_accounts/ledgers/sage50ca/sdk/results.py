"""Every `SDKResult` of `OpenDatabase` (sage/NOTES.md §3.1) as a plain message with its fix: one table."""

from __future__ import annotations

from typing import Any

SUCCESS = frozenset({"SUCCESS", "SUCCESS_RETURN_TRUE", "SUCCESS_RETURN_FALSE"})

#: result name -> message code (ledgers/sage50ca/messages.py). A name not listed gets "sage50ca.open_failed".
OPEN_RESULTS: dict[str, str] = {
    "FAIL_PATH_NOT_EXIST": "sage50ca.open_path",
    "FAIL_FILENOTFOUND_LOSTSHARE": "sage50ca.open_single_user",  # [?] which result single-user-open gives
    "FAIL_FILEREADONLY": "sage50ca.open_path",
    "FAIL_CONNECTIONMGR_NONE": "sage50ca.open_service",
    "FAIL_CONNECTIONMGR_INIT": "sage50ca.open_service",
    "FAIL_CONNECTIONMGR_AUTH": "sage50ca.open_rights",
    "FAIL_CONNECTIONMGR_TOOMANY": "sage50ca.open_service",
    "FAIL_CONNECTIONMGR_NOPORTS": "sage50ca.open_service",
    "FAIL_CONNECTIONMGR_VER": "sage50ca.open_version",
    "FAIL_MYSQL_INIT": "sage50ca.open_service",
    "FAIL_MYSQL_MEM": "sage50ca.open_service",
    "FAIL_MYSQL_NOTRUNNING": "sage50ca.open_service",
    "FAIL_MYSQL_TIMEOUT": "sage50ca.open_service",
    "FAIL_MYSQL_CLOSE": "sage50ca.open_service",
    "FAIL_ANOTHER_DATABASE_IS_OPEN": "sage50ca.open_busy",
    "FAIL_DATABASE_CONNECTION_FAILED": "sage50ca.open_service",
    "FAIL_INVALID_SECURITY_DETAILS": "sage50ca.open_rights",  # [?] NOTES §3.2: no third-party rights
    "FAIL_USER_LOGON_FAILED": "sage50ca.open_login",
}
#: Results after which the same open may work later (a service starting, another program closing the company).
RETRYABLE = frozenset({"sage50ca.open_service", "sage50ca.open_busy", "sage50ca.open_single_user"})


def result_name(result: Any) -> str:
    """An SDKResult's name, from a Python enum (stand-ins) or a .NET enum through pythonnet ("SDKResult.FAIL")."""
    name = getattr(result, "name", None)
    if isinstance(name, str):
        return name
    return str(result).rsplit(".", 1)[-1]


def message_for(name: str) -> str:
    return OPEN_RESULTS.get(name, "sage50ca.open_failed")
