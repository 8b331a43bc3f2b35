"""Which scopes a token gets and which scope a request needs (halo/NOTES.md §1.1, §1.3; guesses in `conventions`)."""

from __future__ import annotations

from halo_accounts.sandbox.halo import conventions as cv


def grant(app_scopes: list[str], requested: str) -> list[str]:
    """Scopes a token carries: the application's, narrowed by the space-separated ``requested`` (NOTES §1.3 [C]).

    An empty request gets all the application's scopes. `all` on the application covers any non-admin scope asked for.
    """
    have = list(dict.fromkeys(app_scopes))
    asked = [s for s in requested.split() if s]
    if not asked:
        return have
    out: list[str] = []
    for scope in dict.fromkeys(asked):
        if scope in have or (scope != "admin" and any(a in cv.ALL_SCOPES for a in have)):
            out.append(scope)
    return out


def needed(entity: str, method: str, *, control_admin_only: bool = cv.CONTROL_READ_NEEDS_ADMIN) -> str:
    """The scope a request needs: ``admin`` for admin writes, else ``read:<area>``/``edit:<area>``."""
    if method == "POST" and entity in cv.ADMIN_WRITES:
        return "admin"
    if entity == "control":
        return "admin" if control_admin_only else ""
    return f"{'edit' if method == 'POST' else 'read'}:{cv.SCOPE_AREA[entity]}"


def allows(granted: list[str], scope: str) -> bool:
    """Whether a token with ``granted`` scopes may do what needs ``scope``."""
    if not scope or scope in granted:
        return True
    if scope == "admin":
        return False
    if any(g in cv.ALL_SCOPES for g in granted):
        return True
    action, _, area = scope.partition(":")
    return cv.EDIT_IMPLIES_READ and action == "read" and f"edit:{area}" in granted
