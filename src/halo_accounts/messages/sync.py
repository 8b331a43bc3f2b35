"""User-facing messages of the sync engine, the store and general input (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

MESSAGES: list[Message] = [
    Message(
        "xml.doctype",
        "The {what} carries a DOCTYPE or entity declaration, which this program refuses to read "
        "(it can be used to read files or reach the network).",
        "If this came from your accounting package, report it; nothing was changed.",
    ),
    Message(
        "xml.malformed",
        "The {what} is not well-formed XML: {detail}.",
        "Nothing was changed. If it came from your accounting package, retry the sync; if it repeats, "
        "run with --log-level debug and send the log to whoever supports your install.",
    ),
]
