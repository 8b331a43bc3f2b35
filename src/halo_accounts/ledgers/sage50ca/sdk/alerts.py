"""A headless `SDKAlert`: the SDK asks questions in dialogs (sage/NOTES.md §3.1: AskAlert, YNCAlert, StopAlert,
StopAlertNotShow, AskSaveAlert), and with no implementation set every alert throws. This one answers no (or cancel)
to every question, so nothing destructive is ever confirmed, and keeps each text for the message that follows."""

from __future__ import annotations

from typing import Any

# [?] The return types are not in the notes: AskAlert/AskSaveAlert are taken as yes/no (bool), YNCAlert as
# yes/no/cancel with cancel = 2. Changed here, and only here.
NO = False
CANCEL = 2


def headless_alerts(base: Any) -> Any:
    """An alert implementation subclassing the SDK's ``SDKAlert`` (``base``)."""

    class HeadlessAlerts(base):  # type: ignore[misc, valid-type]
        __namespace__ = "HaloAccounts"  # pythonnet: a Python subclass of a .NET class needs a namespace

        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def AskAlert(self, text: str, *args: object) -> bool:  # noqa: N802 - the SDK's names
            self.seen.append(str(text))
            return NO

        def AskSaveAlert(self, text: str, *args: object) -> bool:  # noqa: N802
            self.seen.append(str(text))
            return NO

        def YNCAlert(self, text: str, *args: object) -> int:  # noqa: N802
            self.seen.append(str(text))
            return CANCEL

        def StopAlert(self, text: str, *args: object) -> None:  # noqa: N802
            self.seen.append(str(text))

        def StopAlertNotShow(self, text: str, *args: object) -> None:  # noqa: N802
            self.seen.append(str(text))

        def take(self) -> list[str]:
            seen, self.seen = self.seen, []
            return seen

    return HeadlessAlerts()
