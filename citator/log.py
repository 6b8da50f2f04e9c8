"""Logging for people and for machines: plain lines, or one JSON object per line, on stderr.

Cron mails whatever a job prints, so `--quiet` keeps stderr empty unless something failed. CI and
log shippers want structure, so `--log-format json` (or CITATOR_LOG_FORMAT=json) writes each record
as one JSON object: time, level, logger, message, and any `extra` fields such as run_id or counts.
Every record passes the one scrubber (`citator.db.scrub`): the values of secret environment
variables (API tokens), URL passwords and Authorization values are blanked, so a secret cannot
reach a log even through an error message that quotes a request.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime, timezone
from typing import Any, Iterable

from citator.db.scrub import register_secret, scrub, scrub_value

LOGGER = "citator"
FORMATS = ("text", "json")
FORMAT_ENV = "CITATOR_LOG_FORMAT"

#: Environment variables whose values are never logged (the token variable named in the
#: configuration is added by the CLI).
SECRET_ENV = ("COURTLISTENER_TOKEN",)

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class RedactSecrets(logging.Filter):
    """Pass the message and the extra fields of every record through the one scrubber
    (`citator.db.scrub`), after registering `secrets` with it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        for secret in secrets:
            register_secret(secret)

    @staticmethod
    def scrub(value: Any) -> Any:
        return scrub_value(value)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        for key, value in list(vars(record).items()):
            if key not in _STANDARD:
                setattr(record, key, scrub_value(value))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """Messages as they always looked; warnings and errors prefixed with `citator:`."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return f"citator: {message}" if record.levelno >= logging.WARNING else message


def configure(*, quiet: bool = False, fmt: str | None = None, secrets: Iterable[str] = ()) -> logging.Logger:
    """(Re)configure the `citator` logger; safe to call more than once per process."""
    fmt = (fmt or os.environ.get(FORMAT_ENV) or "text").lower()
    if fmt not in FORMATS:
        fmt = "text"
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    values = [os.environ.get(name, "") for name in SECRET_ENV] + list(secrets)
    handler.addFilter(RedactSecrets(values))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    # Python warnings from libraries would otherwise break "one JSON object per line".
    logging.captureWarnings(True)
    warnings_logger = logging.getLogger("py.warnings")
    for old in list(warnings_logger.handlers):
        warnings_logger.removeHandler(old)
    warnings_logger.addHandler(handler)
    warnings_logger.propagate = False
    return logger


def get(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{name}" if name else LOGGER)
