"""fastqueue: a topic and queue message system that lives inside PostgreSQL."""

from __future__ import annotations

__version__ = "0.1.0"
