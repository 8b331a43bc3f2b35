"""One TOML file of settings, each overridable by a ``HALO_ACCOUNTS_<SECTION>_<KEY>`` environment variable.

Secrets are not settings: they come from `halo_accounts.secrets` (environment or OS keyring).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers import registry
from halo_accounts.secrets import env_name, secret_names

ENV_PREFIX = "HALO_ACCOUNTS_"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HaloSettings(_Section):
    url: str = ""
    """Halo's resource server base, e.g. https://acme.halopsa.com (the API is {url}/api)."""
    auth_url: str = ""
    """Authorisation server; empty means: ask {url}/api/authinfo, else {url}/auth."""
    tenant: str = ""
    """Tenant name for Halo-hosted tenants (sent as ?tenant= on the token request)."""
    client_id: str = ""
    scope: str = "all"
    # Halo-hosted tenants: "Rate Limit Reached - 300 Requests per rolling 5 minute window"
    # (reference/halo/NOTES.md section 11).
    requests_per_window: int = Field(300, ge=1)
    window_seconds: float = Field(300.0, gt=0)
    timeout_seconds: float = Field(30.0, gt=0)
    timezone: str = ""
    """The tenant's time zone ("Europe/London", or Windows' "GMT Standard Time"); empty means: Halo's Control
    (server_time_zone), else UTC. Halo's dates are turned into this zone's days (sync/tenant_time.py)."""
    control: dict[str, bool | int | float | str] = Field(default_factory=dict)
    """Halo's Control settings (e.g. syncinvoicetoaccountspackagewhenapproved = true), used only when Halo refuses
    Control to a non-admin application, on top of the copy kept from the last read (sync/control_settings.py)."""


class LedgerSettings(_Section):
    kind: str = "quickbooks"
    """One of the packages in `ledgers/registry.py`."""

    @field_validator("kind")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in registry.KINDS:
            raise ValueError(f"must be one of {', '.join(registry.KINDS)}")
        return value


class StoreSettings(_Section):
    path: str = ""
    """SQLite file; empty means the platform data folder."""


class SyncSettings(_Section):
    batch_size: int = Field(50, ge=1, le=500)
    catch_all_item: str = ""
    """The package item (QuickBooks item name) that carries Halo invoice lines with no item, or whose item is
    excluded from the accounts sync (as Halo's Xero/QBO integrations use a default item code). Empty: such an
    invoice is held, since QuickBooks would take the line as a description worth nothing."""
    only: list[str] = Field(default_factory=list)
    review_first: bool = False
    """Post only the invoices approved in the console's preview (for users who review each update first)."""


class LogSettings(_Section):
    format: Literal["text", "json"] = "text"
    level: Literal["debug", "info", "warning", "error"] = "info"


class _SettingsBase(_Section):
    halo: HaloSettings = Field(default_factory=HaloSettings)
    ledger: LedgerSettings = Field(default_factory=LedgerSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    log: LogSettings = Field(default_factory=LogSettings)

    source: str = Field("", exclude=True)
    """Where the settings were read from (for messages)."""


def _package_sections() -> dict[str, Any]:
    sections: dict[str, Any] = {}
    for package in registry.packages():
        for name, model in package.settings.items():
            sections[name] = (model, Field(default_factory=model))
    return sections


#: Every section: Halo's, the sync's, and each package's own (from its descriptor, `ledgers/<kind>/package.py`).
Settings = create_model("Settings", __base__=_SettingsBase, __module__=__name__, **_package_sections())


SECTIONS = tuple(name for name in Settings.model_fields if name != "source")


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("halo-accounts", appauthor=False)) / "config.toml"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("halo-accounts", appauthor=False))


def _env_overrides(environ: dict[str, str]) -> dict[str, dict[str, Any]]:
    secret_envs = {env_name(n) for n in secret_names()}
    out: dict[str, dict[str, Any]] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or key in secret_envs:
            continue
        rest = key[len(ENV_PREFIX) :].lower()
        section, _, field = rest.partition("_")
        if section in SECTIONS and field:
            model = Settings.model_fields[section].annotation
            assert model is not None
            if field in model.model_fields:  # type: ignore[union-attr]
                if field == "only":
                    out.setdefault(section, {})[field] = [v for v in value.split(",") if v]
                else:
                    out.setdefault(section, {})[field] = value
    return out


def load(path: Path | None = None, *, environ: dict[str, str] | None = None, required: bool = False) -> Settings:
    """Settings from ``path`` (else the platform default) with environment overrides applied.

    A missing file is fine unless ``required``: every value has a default or comes from the environment.
    """
    environ = dict(os.environ if environ is None else environ)
    explicit = path is not None or bool(environ.get("HALO_ACCOUNTS_CONFIG"))
    path = path or Path(environ.get("HALO_ACCOUNTS_CONFIG") or default_config_path())
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise HaloAccountsError("config.unreadable", path=path, detail=exc) from None
    elif required or explicit:
        raise HaloAccountsError("config.file_missing", path=path)
    secrets = secret_names()
    for section, values in data.items():
        if isinstance(values, dict):
            for key in values:
                if f"{section}.{key}" in secrets:
                    raise HaloAccountsError(
                        "config.secret_in_file",
                        path=path,
                        field=f"{section}.{key}",
                        name=f"{section}.{key}",
                        env=env_name(f"{section}.{key}"),
                    )
    for section, values in _env_overrides(environ).items():
        data.setdefault(section, {}).update(values)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        section = loc[0] if loc else "?"
        field = ".".join(loc) or "?"
        raise HaloAccountsError(
            "config.invalid",
            field=field,
            detail=err["msg"],
            path=path,
            section=section,
            env=env_name(field),
        ) from None
    settings.source = str(path)
    return settings


def require(settings: Settings, dotted: str) -> Any:
    """The value of ``dotted`` ("halo.url"), or a message naming it and where to set it."""
    section, _, field = dotted.partition(".")
    value = getattr(getattr(settings, section), field)
    if value in ("", None, 0):
        raise HaloAccountsError(
            "config.missing", field=dotted, path=settings.source, section=section, env=env_name(dotted)
        )
    return value


def store_path(settings: Settings) -> Path:
    return Path(settings.store.path) if settings.store.path else default_data_dir() / "halo-accounts.sqlite3"


_STARTER = """\
# halo-accounts configuration.
# Every value can be overridden by an environment variable HALO_ACCOUNTS_<SECTION>_<KEY>,
# e.g. HALO_ACCOUNTS_HALO_URL. Secrets are NEVER kept in this file: set them in the environment
# ({secret_envs})
# or store them in the OS keyring with `halo-accounts secret set NAME`.

[halo]
# Your Halo address, as in Configuration > Integrations > Halo API > API Details ("Resource Server"
# without the trailing /api).
url = "https://yourcompany.halopsa.com"
# Authorisation server; leave empty to discover it from {url}/api/authinfo.
auth_url = ""
# Tenant, for Halo-hosted tenants only (shown in API Details).
tenant = ""
# Client ID of the API application ("Client ID and Secret (Services)", login type Agent).
client_id = ""
scope = "all"
# Halo allows 300 requests per rolling 5 minutes on hosted tenants; stay under it.
requests_per_window = 300
window_seconds = 300
# Your tenant's time zone, e.g. "Europe/London": Halo sends times in UTC, and an invoice dated 1 July (BST)
# must be dated 1 July in your accounts. Empty = take it from Halo (Control.server_time_zone), else UTC.
timezone = ""

# Halo's billing settings, used only when Halo refuses Control to an application without admin (on top of the
# copy kept from the last read). Example:
# [halo.control]
# syncinvoicetoaccountspackagewhenapproved = true
# enableinvoiceapprovals = true

[ledger]
# {kinds}
kind = "quickbooks"

{packages}

[store]
# SQLite file for links, the journal and runs; empty = the platform data folder.
path = ""

[sync]
batch_size = 50
# QuickBooks: the item that carries Halo invoice lines with no item (or whose item is excluded from the
# accounts sync), e.g. "Sundry". Empty = such invoices are held until you set it, never posted without the amount.
catch_all_item = ""

[log]
format = "text"
level = "info"
"""


def starter() -> str:
    """The starter configuration file: Halo's and the sync's sections, and each package's own (its descriptor)."""
    packages = registry.packages()
    return (_STARTER.replace("{kinds}", " | ".join(p.kind for p in packages))
            .replace("{packages}", "\n".join(p.starter for p in packages if p.starter).rstrip("\n"))
            .replace("{secret_envs}", ", ".join(env_name(n) for n in secret_names())))
