"""Fixtures: a sandbox Sage company, its SDO engine, and the connector opened against it (as on Windows)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from halo_accounts.ledgers.sage50uk import ConnectionSettings, Sage50UKLedger
from halo_accounts.sandbox.sage50uk import Company, Faults, SDOEngine
from halo_accounts.secrets import Secret

DATA_PATH = "C:\\SAGE\\COMPANY.000\\ACCDATA"
PASSWORD = "s3cret"


def conn(**overrides: object) -> ConnectionSettings:
    values: dict[str, object] = {"data_path": DATA_PATH, "username": "HALO", "password": Secret(PASSWORD),
                                 "version": 32, "unique_id": "HALO-TESTPC"}
    values.update(overrides)
    return ConnectionSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def make_conn() -> Callable[..., ConnectionSettings]:
    """``make_conn(**overrides)``: connection settings that log on to the sandbox company."""
    return conn


@pytest.fixture
def company(tmp_path: Path) -> Iterator[Company]:
    co = Company(tmp_path / "sage.sqlite3", data_path=DATA_PATH, users={"MANAGER": "letmein", "HALO": PASSWORD})
    co.add_customer("ABS001", "A B S Ltd", ADDRESS_1="1 High St")
    yield co
    co.close()


@pytest.fixture
def engine(company: Company) -> SDOEngine:
    return SDOEngine(company)


@pytest.fixture
def open_ledger(company: Company) -> Iterator[Callable[..., Sage50UKLedger]]:
    opened: list[Sage50UKLedger] = []

    def factory(route: object = None, faults: Faults | None = None, **kwargs: object) -> Sage50UKLedger:
        engine = SDOEngine(company, faults=faults)
        ledger = Sage50UKLedger.open(conn(), engine_factory=lambda version: engine, invoice_route=route, **kwargs)
        opened.append(ledger)
        return ledger

    yield factory
    for ledger in opened:
        ledger.close()


@pytest.fixture
def ledger(open_ledger: Callable[..., Sage50UKLedger]) -> Sage50UKLedger:
    return open_ledger()
