"""Sage 50 CA tests import their helpers (`ca_world`, `imp_reader`) from this folder."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
