"""Faithful stand-ins for the systems halo-accounts talks to (Halo, QuickBooks, Sage), for tests and demos.

Product code never imports this package; only tests and the `sandbox`/`demo` CLI commands do.
"""
