"""Lets `python -m halo_accounts` behave like the `halo-accounts` command."""

from halo_accounts.cli import main

main()
