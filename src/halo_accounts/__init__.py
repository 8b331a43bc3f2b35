"""halo-accounts: keeps a HaloPSA tenant in step with a desktop accounting package."""

__version__ = "0.1.0"
