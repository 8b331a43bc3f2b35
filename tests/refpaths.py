"""Where the shared reference material lives: `shared/reference` beside the repository (as in CI)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"
QBXML_XSD_13 = REFERENCE / "qbxml" / "v13" / "qbxmlops130.xsd"
QBXML_XSD_16 = REFERENCE / "qbxml" / "v16" / "qbxmlops160.xsd"
QBWC_WSDL = REFERENCE / "qbwc" / "QBWebConnectorSvc.wsdl"
QB_REAL_RESPONSES = REFERENCE / "qbxml" / "real-responses"
HALO_OPENAPI = REFERENCE / "halo" / "openapi-v2-2024-09.json"
