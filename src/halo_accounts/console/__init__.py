"""The web console for finance administrators: `halo-accounts serve` serves it beside the Web Connector endpoint."""

from halo_accounts.console.app import create_console

__all__ = ["create_console"]
