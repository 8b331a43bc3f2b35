"""A stand-in for a HaloPSA tenant's REST API (auth, paging, scopes, rate limit, faults), for tests and demos."""

from halo_accounts.sandbox.halo.faults import Faults
from halo_accounts.sandbox.halo.server import HaloSandbox

__all__ = ["Faults", "HaloSandbox"]
