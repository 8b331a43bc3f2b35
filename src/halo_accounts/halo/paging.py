"""Halo's list answers and paging, without I/O: which rows a body holds, and when to stop asking.

reference/halo/NOTES.md section 3: ``pageinate=true&page_size=100&page_no=N`` (1-based); the answer is
``{"record_count": N, "<key>": [...]}``; Halo returns at most 100 rows a page whatever is asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

# NOTES section 3: "the server returns at most 100 rows per page even if page_size is larger"
# (homotechsual/HaloAPI#90); asking for more would make a full page look short.
PAGE_SIZE = 100

#: List key of each path (NOTES section 3). Paths not here (Tax, InvoicePayment, Control: keys unknown)
#: are read as a bare list or the first list-valued property of the answer.
LIST_KEYS: dict[str, str] = {
    "client": "clients",
    "site": "sites",
    "item": "items",
    "invoice": "invoices",
    "recurringinvoice": "invoices",
    "supplier": "suppliers",
    "purchaseorder": "purchaseorders",
    "salesorder": "salesorders",
    "tickets": "tickets",
    "users": "users",
}


def list_key(path: str) -> str | None:
    return LIST_KEYS.get(path.strip("/").split("/")[0].lower())


def rows_of(body: Any, key: str | None) -> list[dict[str, Any]]:
    """The rows of a list answer: ``body[key]``, else a bare list, else the first list-valued property."""
    if isinstance(body, list):
        rows: Any = body
    elif isinstance(body, dict):
        if key and isinstance(body.get(key), list):
            rows = body[key]
        else:
            rows = next((v for v in body.values() if isinstance(v, list)), [])
    else:
        raise TypeError(f"a list answer was expected, got {type(body).__name__}")
    return [r for r in rows if isinstance(r, dict)]


def record_count(body: Any) -> int | None:
    if isinstance(body, dict):
        value = body.get("record_count")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def saved_rows(body: Any) -> list[dict[str, Any]]:
    """What a POST answered: a dict is one saved record, a list many (NOTES section 2: parse defensively)."""
    if isinstance(body, dict):
        return [body]
    if isinstance(body, list):
        return [r for r in body if isinstance(r, dict)]
    return []


def query_value(value: Any) -> str:
    """A filter value as Halo's query string wants it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        # NOTES section 2: send query dates as ISO-8601 UTC with Z.
        utc = value if value.tzinfo is None else value.astimezone(UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(query_value(v) for v in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def query(filters: Mapping[str, Any]) -> dict[str, str]:
    """Filters without the ``None`` ones, encoded for the query string."""
    return {k: query_value(v) for k, v in filters.items() if v is not None}


def pages(
    fetch: Callable[[dict[str, str]], Any],
    params: Mapping[str, str],
    key: str | None,
    *,
    page_size: int = PAGE_SIZE,
) -> Iterator[dict[str, Any]]:
    """Every row of a paged list, one page in memory at a time.

    ``fetch(params)`` returns the decoded body of one page. Stops on an empty or short page, or when the
    rows seen reach ``record_count``, so a list of N rows costs ceil(N / page_size) requests (one more only
    when N is an exact multiple and Halo gives no ``record_count``).
    """
    page_no = 1
    seen = 0
    while True:
        body = fetch({**params, "pageinate": "true", "page_size": str(page_size), "page_no": str(page_no)})
        rows = rows_of(body, key)
        total = record_count(body)
        del body
        seen += len(rows)
        yield from rows
        if not rows or len(rows) < page_size or (total is not None and seen >= total):
            return
        page_no += 1
