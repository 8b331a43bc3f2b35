"""The ``.qwc`` file the user imports into the Web Connector, and the install's stable OwnerID/FileID.

Element order and values from qbxml/NOTES.md §1.5 (consolibyte's generator and Intuit's samples).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from halo_accounts.errors import HaloAccountsError

IDS_FILE = "webconnector-ids.json"
DEFAULT_DESCRIPTION = "Keeps HaloPSA in step with QuickBooks Desktop (customers, items, invoices, payments)."
#: NOTES §1.5: QBType QBFS = QuickBooks Financial Software (QBPOS is Point of Sale).
QB_TYPE = "QBFS"
#: NOTES §1.5: "Document" in all samples; other styles unsupported by public implementations.
STYLE = "Document"
#: NOTES §0 item 1 / §1.5: AppURL must be https:// except when it is "localhost".
HTTP_ALLOWED_HOSTS = frozenset({"localhost"})
DEFAULT_RUN_EVERY_MINUTES = 15
#: NOTES §1.5: `umpRequired`/`umpOptional` ("needed to run while QuickBooks is closed / no user logged in",
#: semantics [I]). Optional: the QuickBooks admin may allow unattended runs when authorising, never must.
UNATTENDED_MODE_PREF = "umpOptional"


def unique_name(app_name: str, ids: QwcIds) -> str:
    """AppUniqueName: without it the Web Connector "clones" entries with the same AppName (NOTES §1.5 [C]); the
    install's OwnerID keeps it stable and distinct per install."""
    return f"{app_name} {ids.owner_id}"


@dataclass(frozen=True)
class QwcIds:
    """GUIDs in the Web Connector's ``{...}`` form; stable for an install (NOTES §1.5: changing them makes
    QuickBooks ask to authorise the application again [I])."""

    owner_id: str
    file_id: str


def _guid() -> str:
    return "{" + str(uuid.uuid4()).upper() + "}"


def new_ids() -> QwcIds:
    return QwcIds(_guid(), _guid())


def _valid_guid(text: object) -> bool:
    if not isinstance(text, str) or not (text.startswith("{") and text.endswith("}")):
        return False
    try:
        uuid.UUID(text[1:-1])
    except ValueError:
        return False
    return True


def install_ids(data_dir: Path) -> QwcIds:
    """The install's OwnerID/FileID, created once in ``data_dir`` (owner-only file) and reused after."""
    path = data_dir / IDS_FILE
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HaloAccountsError("qbwc.ids_unreadable", path=path, detail=exc) from None
        owner, file_id = (data.get("owner_id"), data.get("file_id")) if isinstance(data, dict) else (None, None)
        if not (_valid_guid(owner) and _valid_guid(file_id)):
            raise HaloAccountsError("qbwc.ids_unreadable", path=path, detail="owner_id/file_id are not GUIDs")
        return QwcIds(str(owner), str(file_id))
    ids = new_ids()
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"owner_id": ids.owner_id, "file_id": ids.file_id}, fh)
    return ids


def check_app_url(url: str) -> str:
    """``url`` if the Web Connector will accept it as AppURL; else a message saying what to set."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HaloAccountsError("qbwc.qwc_bad_url", url=url)
    if parts.scheme == "http" and parts.hostname.lower() not in HTTP_ALLOWED_HOSTS:
        raise HaloAccountsError("qbwc.qwc_https_required", url=url)
    return url.strip()


def build_qwc(
    *,
    app_name: str,
    app_url: str,
    username: str,
    ids: QwcIds,
    description: str = DEFAULT_DESCRIPTION,
    support_url: str = "",
    run_every_minutes: int = DEFAULT_RUN_EVERY_MINUTES,
    read_only: bool = False,
) -> str:
    """The ``.qwc`` document (plain ASCII, no BOM, as Intuit's samples — NOTES §1.5)."""
    url = check_app_url(app_url)
    parts = urlsplit(url)
    support = support_url or urlunsplit((parts.scheme, parts.netloc, parts.path, "wsdl", ""))
    root = etree.Element("QBWCXML")

    def add(tag: str, text: str, parent: etree._Element = root) -> None:
        etree.SubElement(parent, tag).text = text

    add("AppName", app_name)
    add("AppID", "")
    add("AppURL", url)
    if parts.scheme == "https":
        # [?] NOTES §1.5 lists CertURL as optional (Intuit's ecommerce sample) without its exact use; we point
        # it at the server root, whose certificate the Web Connector must trust, right after AppURL as other
        # public generators do.
        add("CertURL", urlunsplit((parts.scheme, parts.netloc, "/", "", "")))
    add("AppDescription", description)
    # NOTES §1.5: AppSupport's domain must match AppURL's; Intuit's samples use the ?wsdl address.
    add("AppSupport", support)
    add("UserName", username)
    add("OwnerID", ids.owner_id)
    add("FileID", ids.file_id)
    add("QBType", QB_TYPE)
    add("Style", STYLE)
    add("UnattendedModePref", UNATTENDED_MODE_PREF)
    add("AppUniqueName", unique_name(app_name, ids))
    scheduler = etree.SubElement(root, "Scheduler")
    add("RunEveryNMinutes", str(max(1, int(run_every_minutes))), scheduler)
    add("IsReadOnly", "true" if read_only else "false")
    body = etree.tostring(root, encoding="ascii", pretty_print=True).decode("ascii")
    return '<?xml version="1.0"?>\n' + body
