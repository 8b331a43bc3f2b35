"""The root of every error a user can see: a catalogue code, its message and its fix.

Anything raised as a ``HaloAccountsError`` is shown to the user as text and fix, never as a traceback.
"""

from __future__ import annotations

from halo_accounts.messages import render


class HaloAccountsError(Exception):
    """An error with a plain-language message and fix from the catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        self.message, self.fix = render(code, **params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip() if self.fix else self.message
