"""User-facing messages of the quickbooks area (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

MESSAGES: list[Message] = [
]
