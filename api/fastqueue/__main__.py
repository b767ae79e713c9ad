"""`python -m fastqueue`: the same as the `fastqueue` command."""

from __future__ import annotations

import sys

from fastqueue.cli import main

sys.exit(main())
