"""The package registry: each `ledgers/<kind>/` describes itself, and nothing outside a package's folder names it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from halo_accounts.config import Settings, load, starter
from halo_accounts.errors import HaloAccountsError
from halo_accounts.ledgers import registry
from halo_accounts.messages import catalogue
from halo_accounts.secrets import secret_names

SRC = Path(__file__).resolve().parents[1] / "src" / "halo_accounts"


def test_every_registered_kind_is_a_folder_exporting_its_descriptor() -> None:
    assert registry.KINDS and len(set(registry.KINDS)) == len(registry.KINDS)
    for package in registry.packages():
        assert (SRC / "ledgers" / package.kind / "__init__.py").is_file()
        assert package.display_name and package.limits.package
        assert package.settings, f"{package.kind} owns no configuration section"
        assert callable(package.open)
        for name in package.secrets:
            assert name.split(".")[0] in package.settings, f"{name}: secret outside the package's own sections"
    assert registry.get("no-such-package") is None


def test_configuration_sections_secrets_and_starter_come_from_the_descriptors(tmp_path: Path) -> None:
    for package in registry.packages():
        for section, model in package.settings.items():
            assert isinstance(getattr(Settings(), section), model)
        assert set(package.secrets) <= set(secret_names())
        assert package.starter.strip() in starter()
    config = tmp_path / "c.toml"
    config.write_text(starter(), encoding="utf-8")
    assert load(config).ledger.kind == "quickbooks"  # the starter file is valid as written


def test_an_unknown_kind_is_refused_by_name_with_the_choices(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[ledger]\nkind = "xero"\n', encoding="utf-8")
    with pytest.raises(HaloAccountsError) as err:
        load(config)
    assert err.value.code == "config.invalid"
    assert "ledger.kind" in err.value.message and all(k in err.value.message for k in registry.KINDS)


def test_package_messages_are_in_the_one_catalogue() -> None:
    codes = catalogue()
    for package in registry.packages():
        for entry in package.messages:
            assert codes[entry.code] is entry


def _product_files() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "sandbox" not in p.relative_to(SRC).parts]


#: The packages that predate the registry; their message modules and commands still name them.
BEFORE_THE_REGISTRY = ("quickbooks", "sage50uk")


def test_no_product_file_outside_its_folder_names_a_package_added_since() -> None:
    """A package added after the registry (one folder + one registry line) is named nowhere else in product code
    (Halo's own field names, such as ``sage50cacompanypath``, are words of their own and do not count)."""
    for kind in (k for k in registry.KINDS if k not in BEFORE_THE_REGISTRY):
        own = SRC / "ledgers" / kind
        word = re.compile(rf"\b{re.escape(kind)}\b")
        offenders = [str(p.relative_to(SRC)) for p in _product_files()
                     if own not in p.parents and p != SRC / "ledgers" / "registry.py" and word.search(p.read_text())]
        assert offenders == [], kind
