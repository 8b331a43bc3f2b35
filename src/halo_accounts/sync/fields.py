"""Reading Halo records whatever their shape (pydantic models from the client, or plain dicts), with Halo's
empty values (``""``, ``-1``, the OLE zero date) read as "none" (reference/halo/NOTES.md §2)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

#: Halo's "no date" (OLE zero date), NOTES §2 [C].
NO_DATE_PREFIX = "1899-12-30"
CENT = Decimal("0.01")


def get(obj: Any, name: str, default: Any = None) -> Any:
    """Field ``name`` of a Halo record (model attribute, model extra, or dict key); ``default`` when absent."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        value = obj.get(name)
    else:
        value = getattr(obj, name, None)
        if value is None:
            extra = getattr(obj, "model_extra", None) or {}
            value = extra.get(name)
    return default if value is None else value


def text(obj: Any, name: str) -> str:
    value = get(obj, name, "")
    return "" if value is None else str(value).strip()


def flag(obj: Any, name: str) -> bool:
    value = get(obj, name, False)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def ident(value: Any) -> int | None:
    """A Halo id, or None for Halo's empties (None, "", 0, -1)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number > 0 else None


def money(value: Any) -> Decimal:
    """A Halo double as Decimal rounded to pennies (half up, as packages do)."""
    if value is None or value == "":
        return Decimal("0.00")
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return Decimal("0.00")


def number(value: Any) -> Decimal:
    """A quantity or price as Decimal, unrounded (prices may have more than two places)."""
    if value is None or value == "":
        return Decimal("0")
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return Decimal("0")
    if exact == 0:
        return Decimal("0")
    trimmed = exact.normalize()  # 10.000 -> 1E+1: put whole numbers back in plain form (10) for people to read
    return trimmed.quantize(Decimal(1)) if trimmed == trimmed.to_integral_value() else trimmed


def day(value: Any) -> date | None:
    """A Halo date/datetime (or ISO text) as a date; None for Halo's empty date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return None if value.year < 1901 else value.date()
    if isinstance(value, date):
        return None if value.year < 1901 else value
    raw = str(value)
    if raw.startswith(NO_DATE_PREFIX):
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            return None
