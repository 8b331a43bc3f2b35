"""User-facing messages of the sandboxes (emulated Halo tenant etc.; see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

MESSAGES: list[Message] = [
    Message(
        "sandbox.seed_unreadable",
        "The sandbox seed file {path} could not be read: {detail}.",
        "Check the path given to --seed and that the file is JSON (one object with keys such as "
        "'clients', 'items', 'invoices').",
    ),
    Message(
        "sandbox.seed_invalid",
        "The sandbox seed is not valid at {path}: {detail}.",
        "Correct that field in the seed (Halo's own field names; see the seed example in DESIGN.md), "
        "or start with --demo to use the built-in demo tenant.",
    ),
    Message(
        "sandbox.start_failed",
        "The Halo sandbox could not start on {host}:{port}: {detail}.",
        "Choose another port with --port (0 lets the system pick a free one).",
    ),
]
