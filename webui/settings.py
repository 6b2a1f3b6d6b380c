"""The site's settings, declared once: name, type, default and help.

Layers, later ones winning: the defaults below → a JSON file (``TZSEARCH_CONFIG``, or the ``config_file``
key) → ``TZSEARCH_<NAME>`` environment variables → the dict given to ``create_app`` (the command line of
``python -m webui``, or tests). Every value is converted to its type and checked when the app is created; a
bad value stops start-up with a message naming the setting and where it came from, instead of failing later
on every request. The README's settings section is this table in prose (a test keeps them in step).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    """A setting has a value of the wrong type or out of range."""


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    check: Callable[[Any], str | None] | None = None


def _positive(v: Any) -> str | None:
    return None if v > 0 else "must be greater than 0"


def _between(low: int, high: int) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if low <= v <= high else f"must be between {low} and {high}"
    return check


def cores() -> int:
    """Cores this process may run on (the default number of server workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _base_url(v: str) -> str | None:
    return None if not v or v.startswith(("http://", "https://")) else "must start with http:// or https://"


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX_DIR", str, "var/index", "the index folder"),
    Setting("DATABASE_URL", str, "", "a PostgreSQL database to search instead of the index folder "
            "(postgresql://user@host:port/name)", lambda v: None if not v or v.startswith(("postgresql://", "postgres://"))
            else "must start with postgresql://"),
    Setting("DATABASE_REPLICA_URL", str, "", "a streaming replica of DATABASE_URL that searches read from"),
    Setting("BASE_URL", str, "", "public address of the site (e.g. https://tz.example.org), used in permalinks and "
            "citations; empty: pages link relatively and citations say where the address goes", _base_url),
    Setting("SITE_NAME", str, "统战文献检索", "the site's name in page titles"),
    Setting("MAX_PER_PAGE", int, 100, "the most hits one page or API call returns (at most 100, the search "
            "core's cap)", _between(1, 100)),
    Setting("DEFAULT_PER_PAGE", int, 10, "hits per page when the request does not say", _positive),
    Setting("SYNONYMS", bool, True, "keyword terms also find their equivalents from the synonym dictionary "
            "(统战 ↔ 统一战线, indexer/data/synonyms.txt); a request's synonyms=0 or 1 overrides this"),
    Setting("SEARCH_SECONDS", float, 2.0, "time budget of one search; past it the work stops and the result is "
            "returned marked partial, with a notice", _positive),
    Setting("DOC_SECONDS", float, 2.0, "time budget of marking a query's matches on a document page; past it the "
            "rest of the document is shown without highlights, with a notice", _positive),
    Setting("HOST", str, "127.0.0.1", "address the server listens on (0.0.0.0: every interface)"),
    Setting("PORT", int, 5000, "port the server listens on (0: any free port, printed at start)", _between(0, 65535)),
    Setting("WORKERS", int, cores(), "server processes; each runs searches in its own threads, so one slow "
            "search cannot hold up the others (default: the number of cores)", _between(1, 64)),
    Setting("THREADS", int, 4, "request threads in each server process", _between(1, 64)),
    Setting("EXPORT_SLOTS", int, 1, "exports (/api/export) one server process builds at once; more get 503 with "
            "Retry-After (0: exports off). Fewer than THREADS, so that a search always finds a free thread",
            _between(0, 63)),
    Setting("EXPORT_MAX_ROWS", int, 1_000_000, "the most rows one export (/api/export) returns", _positive),
    Setting("FEED_ENTRIES", int, 50, "entries of an Atom feed (/feed.atom), newest in the index first", _positive),
)
_BY_NAME = {s.name: s for s in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}


def _convert(setting: Setting, value: Any, origin: str) -> Any:
    try:
        if setting.type is bool and isinstance(value, str):
            converted: Any = value.strip().lower() in _TRUE
        elif setting.type in (int, float) and isinstance(value, bool):
            raise ValueError(value)
        else:
            converted = setting.type(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{setting.name} from {origin} must be {setting.type.__name__}, got {value!r}") from None
    problem = setting.check(converted) if setting.check else None
    if problem:
        raise SettingsError(f"{setting.name} from {origin} {problem} (got {value!r})")
    return converted


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
         origin: str = "create_app") -> dict[str, Any]:
    """All settings, layered and validated (see the module docstring); ``origin`` names the last layer in
    error messages."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    config_file = overrides.pop("config_file", None) or environ.get("TZSEARCH_CONFIG")
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if config_file:
        try:
            layers.append((f"config file {Path(config_file).name}", json.loads(Path(config_file).read_text("utf-8"))))
        except (OSError, ValueError) as exc:
            raise SettingsError(f"cannot read the config file {config_file}: {exc}") from exc
    layers.append(("the environment", {k[len("TZSEARCH_"):]: v for k, v in environ.items()
                                       if k.startswith("TZSEARCH_") and k[len("TZSEARCH_"):] in _BY_NAME}))
    layers.append((origin, overrides))
    extra: dict[str, Any] = {}
    for origin, layer in layers:
        for key, value in layer.items():
            if key in _BY_NAME:
                values[key] = _convert(_BY_NAME[key], value, origin)
            elif layer is overrides:
                extra[key] = value  # Flask's own keys (TESTING, …)
    if values["DEFAULT_PER_PAGE"] > values["MAX_PER_PAGE"]:
        raise SettingsError("DEFAULT_PER_PAGE must not be larger than MAX_PER_PAGE")
    if values["EXPORT_SLOTS"] and values["EXPORT_SLOTS"] >= values["THREADS"]:
        raise SettingsError(f"EXPORT_SLOTS ({values['EXPORT_SLOTS']}) must be smaller than THREADS "
                            f"({values['THREADS']}): searches need a thread that no export holds (EXPORT_SLOTS=0 "
                            "turns exports off)")
    return {**values, **extra}
