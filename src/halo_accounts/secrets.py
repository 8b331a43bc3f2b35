"""Secrets come from the environment or the OS keyring, never from the configuration file or logs."""

from __future__ import annotations

import os

from halo_accounts.errors import HaloAccountsError

KEYRING_SERVICE = "halo-accounts"

#: Halo's secret; each package adds its own (its descriptor's ``secrets``).
CORE_SECRETS = ("halo.client_secret",)


def secret_names() -> tuple[str, ...]:
    """Every secret the program knows, by dotted name (section.key)."""
    from halo_accounts.ledgers import registry

    return CORE_SECRETS + tuple(name for package in registry.packages() for name in package.secrets)


def __getattr__(name: str) -> object:
    # ``SECRET_NAMES`` is read lazily: the package descriptors import this module.
    if name == "SECRET_NAMES":
        return secret_names()
    raise AttributeError(name)


def env_name(name: str) -> str:
    """The environment variable that holds secret or setting ``name`` ("halo.client_secret")."""
    return "HALO_ACCOUNTS_" + name.replace(".", "_").upper()


def _from_keyring(name: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, name)
    except Exception:
        return None


def get_secret(name: str, *, required: bool = True) -> str | None:
    """The secret ``name`` from the environment, else the OS keyring."""
    value = os.environ.get(env_name(name)) or _from_keyring(name)
    if value:
        return value
    if required:
        raise HaloAccountsError("config.secret_missing", name=name, env=env_name(name))
    return None


def set_secret(name: str, value: str) -> None:
    """Store ``name`` in the OS keyring."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, name, value)


class Secret(str):
    """A string that never shows itself in repr, logs or tracebacks."""

    def __repr__(self) -> str:
        return "Secret('***')"
