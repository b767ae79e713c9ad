"""Configuration: one typed object read from the environment and a `.env` file.

Variables keep the names of the original fastqueue (`fastqueue_database_url`,
`fastqueue_server_port`, ...). Their case does not matter; a variable set in the
environment wins over the same one in `.env`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from dotenv import dotenv_values

__all__ = [
    "PREFIX",
    "Settings",
    "SettingsError",
    "load_settings",
    "normalize_database_url",
]

PREFIX = "fastqueue_"

_LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")
# SQLAlchemy-style URLs name a driver after the dialect: postgresql+psycopg2://.
_POSTGRES_SCHEMES = ("postgresql", "postgres")

_T = TypeVar("_T")
_SECRET_FIELDS = frozenset({"database_url", "api_keys"})


class SettingsError(ValueError):
    """A setting is missing or has a value that cannot be used."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything fastqueue reads from its environment."""

    database_url: str
    """A libpq URL (postgresql://user:password@host:port/dbname)."""
    server_host: str = "127.0.0.1"
    server_port: int = 8000
    server_num_workers: int = 1
    log_level: str = "info"
    log_json: bool = False
    enable_prometheus_metrics: bool = False
    pool_size: int = 4
    pool_timeout_seconds: float = 3.0
    max_body_bytes: int = 1_048_576
    queue_cleanup_interval_seconds: float = 60.0
    metrics_query_timeout_seconds: float = 2.0
    idempotency_window_seconds: int = 300
    """How long a publish's Idempotency-Key is remembered (1 to 86400)."""
    long_poll_recheck_seconds: float = 5.0
    """How often a waiting long poll looks again though nothing woke it."""
    api_keys: tuple[str, ...] = ()
    """Keys a request must present as `Authorization: Bearer`; none: no check."""

    def __repr__(self) -> str:
        # The URL may hold a password, and the keys are secrets: never let them
        # reach a log or a traceback.
        fields = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if f.name not in _SECRET_FIELDS
        )
        return (
            f"Settings(database_url=<hidden>, api_keys=<{len(self.api_keys)} hidden>, "
            f"{fields})"
        )


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read the settings from `env_file` (if it exists) overlaid with `environ`."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        for key, value in dotenv_values(env_file).items():
            if value is not None:
                values[key.lower()] = value
    for key, value in (os.environ if environ is None else environ).items():
        values[key.lower()] = value

    def get(name: str, parse: Callable[[str, str], _T], default: _T) -> _T:
        raw = values.get(PREFIX + name)
        return default if raw is None else parse(PREFIX + name, raw.strip())

    raw_url = values.get(PREFIX + "database_url", "").strip()
    if not raw_url:
        raise SettingsError(
            "fastqueue_database_url is not set: give it a PostgreSQL URL such as "
            "postgresql://user:password@127.0.0.1:5432/fastqueue "
            "(in the environment or in a .env file)"
        )
    defaults = Settings(database_url="")
    settings = Settings(
        database_url=normalize_database_url(raw_url),
        server_host=get("server_host", _text, defaults.server_host),
        server_port=get("server_port", _port, defaults.server_port),
        server_num_workers=get(
            "server_num_workers", _positive_int, defaults.server_num_workers
        ),
        log_level=get("log_level", _log_level, defaults.log_level),
        log_json=get("log_json", _bool, defaults.log_json),
        enable_prometheus_metrics=get(
            "enable_prometheus_metrics", _bool, defaults.enable_prometheus_metrics
        ),
        pool_size=get("pool_size", _positive_int, defaults.pool_size),
        pool_timeout_seconds=get(
            "pool_timeout_seconds", _positive_float, defaults.pool_timeout_seconds
        ),
        max_body_bytes=get("max_body_bytes", _positive_int, defaults.max_body_bytes),
        queue_cleanup_interval_seconds=get(
            "queue_cleanup_interval_seconds",
            _positive_float,
            defaults.queue_cleanup_interval_seconds,
        ),
        metrics_query_timeout_seconds=get(
            "metrics_query_timeout_seconds",
            _positive_float,
            defaults.metrics_query_timeout_seconds,
        ),
        idempotency_window_seconds=get(
            "idempotency_window_seconds",
            _window_seconds,
            defaults.idempotency_window_seconds,
        ),
        long_poll_recheck_seconds=get(
            "long_poll_recheck_seconds",
            _positive_float,
            defaults.long_poll_recheck_seconds,
        ),
        api_keys=get("api_keys", _keys, defaults.api_keys),
    )
    return settings


def normalize_database_url(url: str) -> str:
    """Return `url` as a plain libpq URL, accepting SQLAlchemy-style schemes."""
    parts = urlsplit(url)
    dialect = parts.scheme.partition("+")[0].lower()
    if dialect not in _POSTGRES_SCHEMES or not (parts.netloc or parts.path):
        raise SettingsError(
            "fastqueue_database_url must be a PostgreSQL URL "
            "(postgresql://, postgres:// or postgresql+psycopg2://), "
            f"not one with scheme {parts.scheme!r}"
        )
    return urlunsplit(parts._replace(scheme="postgresql"))


def _text(name: str, raw: str) -> str:
    if not raw:
        raise SettingsError(f"{name} must not be empty")
    return raw


def _bool(name: str, raw: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, not {value}")
    return value


def _port(name: str, raw: str) -> int:
    value = _positive_int(name, raw)
    if value > 65535:
        raise SettingsError(f"{name} must be a TCP port (1 to 65535), not {value}")
    return value


def _positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(
            f"{name} must be a number of seconds, not {raw!r}"
        ) from None
    if not value > 0:
        raise SettingsError(f"{name} must be more than 0, not {raw}")
    return value


def _window_seconds(name: str, raw: str) -> int:
    # The bounds of idempotency_window_seconds in fastqueue.setting.
    value = _positive_int(name, raw)
    if value > 86_400:
        raise SettingsError(f"{name} must be at most 86400 (a day), not {value}")
    return value


def _keys(name: str, raw: str) -> tuple[str, ...]:
    # Comma-separated; blanks around a key are dropped, and so are empty entries.
    keys = tuple(dict.fromkeys(key.strip() for key in raw.split(",") if key.strip()))
    for key in keys:
        if not key.isascii() or not key.isprintable() or " " in key:
            # The value itself stays out of the message: it is a secret.
            raise SettingsError(
                f"{name} must be keys of printable ASCII without spaces, "
                "separated by commas"
            )
    return keys


def _log_level(name: str, raw: str) -> str:
    if raw.lower() not in _LOG_LEVELS:
        raise SettingsError(f"{name} must be one of {', '.join(_LOG_LEVELS)}")
    return raw.lower()
