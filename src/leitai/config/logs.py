"""Secrets never reach a log line: a judge's link (/arena/j/<token>/…, /api/v1/arena/judge/<token>/…), a
raiser's feedback link (…/feedback/<token>/) and any token= or key= parameter are written redacted, keeping
the last four characters (the hint the set-up page shows) so that an operator can still tell links apart.

`install()` (run by the settings, so in every server process and command) wraps the log record factory:
every record is redacted where it is made, whichever logger, handler or formatter writes it — uvicorn's
access log, Django's request warnings, the application's own messages."""

from __future__ import annotations

import logging
import re

_PATH = re.compile(r"(/(?:j|judge|feedback)/)([A-Za-z0-9_\-]{8,})")
_PARAM = re.compile(r"([?&](?:token|key)=)([^&\s\"'#]+)", re.IGNORECASE)


def _hidden(secret: str) -> str:
    return "…" + secret[-4:] if len(secret) > 8 else "…"


def redact(text: str) -> str:
    """The text with link tokens replaced by …<last four characters>."""
    if "/" not in text and "=" not in text:
        return text
    text = _PATH.sub(lambda m: m.group(1) + _hidden(m.group(2)), text)
    return _PARAM.sub(lambda m: m.group(1) + _hidden(m.group(2)), text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a record's message and its arguments in place (uvicorn's access formatter reads the arguments)."""
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_redacted(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _redacted(v) for k, v in record.args.items()}
    return record


class RedactTokens(logging.Filter):
    """The same as a logging filter, for a handler configured elsewhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install() -> None:
    """Redact every log record of this process when it is made (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "leitai_redacts", False):
        return

    def redacting(*args, **kwargs) -> logging.LogRecord:
        return redact_record(factory(*args, **kwargs))

    redacting.leitai_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting)
