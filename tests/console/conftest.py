"""Console tests reuse the command tests' world (`tests/sync/cli_world.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
