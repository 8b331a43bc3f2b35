"""The Halo client: Halo's REST API as typed records, within Halo's rate limit, with errors a user can act on."""

from halo_accounts.halo import models
from halo_accounts.halo.client import HaloClient

__all__ = ["HaloClient", "models"]
