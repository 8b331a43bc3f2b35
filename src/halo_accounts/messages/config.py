"""User-facing messages of configuration and secrets (see `halo_accounts.messages`)."""

from halo_accounts.messages import Message

MESSAGES: list[Message] = [
    Message(
        "config.file_missing",
        "No configuration file at {path}.",
        "Create one with `halo-accounts init --config {path}`, or pass --config PATH.",
    ),
    Message(
        "config.unreadable",
        "The configuration file {path} is not valid TOML: {detail}.",
        "Fix the line it names, or start again with `halo-accounts init --config {path} --force`.",
    ),
    Message(
        "config.invalid",
        "Configuration value '{field}' is not valid: {detail}.",
        "Set '{field}' in {path} (section [{section}]) or in the environment variable {env}.",
    ),
    Message(
        "config.missing",
        "Configuration value '{field}' is not set.",
        "Set '{field}' in {path} (section [{section}]) or in the environment variable {env}.",
    ),
    Message(
        "config.secret_missing",
        "The secret '{name}' is not set.",
        "Set the environment variable {env}, or store it in the OS keyring with "
        "`halo-accounts secret set {name}`. Secrets are never read from the configuration file.",
    ),
    Message(
        "config.secret_in_file",
        "The configuration file {path} holds the secret '{field}'.",
        "Remove it from the file and set the environment variable {env} or use "
        "`halo-accounts secret set {name}` instead.",
    ),
    Message(
        "config.exists",
        "{path} already exists.",
        "Pass --force to overwrite it, or edit the file.",
    ),
]
