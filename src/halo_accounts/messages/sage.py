"""User-facing messages of the sage area (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

MESSAGES: list[Message] = [
]
