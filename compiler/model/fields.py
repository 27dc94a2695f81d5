"""What each field cpc uses means: its value type and whether it is localised.

Field *names* come from the configuration; this table is keyed by *meaning* (the
keys of ``[fields.<kind>]`` and ``[governance]``). Coercion turns the JSON form's typed
values and the XML form's text into the same Python values, so both forms load into
equal models.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class FieldType:
    """A field's value type (a 4ALLPORTAL field type) and whether it is localised."""

    kind: str
    localised: bool = False


TEXT, RICH = FieldType("text"), FieldType("rich")
INT, BOOL = FieldType("integer"), FieldType("boolean")
DATE, TIMESTAMP = FieldType("date"), FieldType("timestamp")
ID, IDS = FieldType("id"), FieldType("ids")
TEXTS, POINT = FieldType("texts"), FieldType("point")
LTEXT, LRICH = FieldType("text", localised=True), FieldType("rich", localised=True)

FIELD_TYPES: dict[str, dict[str, FieldType]] = {
    "product": {"sku": TEXT, "name": LTEXT, "short_description": LRICH, "features": LRICH,
                "images": IDS, "disclaimers": IDS, "fee_table": ID, "onboarding": IDS,
                "segments": TEXTS, "product_line": TEXT},
    "file": {"key": TEXT, "file_name": TEXT, "mime_type": TEXT, "size": INT, "width": INT,
             "height": INT, "sha256": TEXT, "title": LTEXT, "alt_text": LTEXT,
             "asset_role": TEXT, "focal_point": POINT, "copyright": TEXT},
    "text_block": {"key": TEXT, "block_type": TEXT, "title": LTEXT, "body": LRICH,
                   "body_format": TEXT, "regulated": BOOL},
    "offer": {"key": TEXT, "headline": LTEXT, "body": LRICH, "banner": ID, "cta_label": LTEXT,
              "cta_url": TEXT, "segments": TEXTS, "triggers": TEXTS, "products": IDS,
              "priority": INT},
}

GOVERNANCE_TYPES: dict[str, FieldType] = {
    "approval_status": TEXT, "approved_by": TEXT, "approved_at": TIMESTAMP,
    "valid_from": DATE, "valid_until": DATE, "rights_status": TEXT, "rights_valid_until": DATE,
}


_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)")


class CoercionError(ValueError):
    """A value does not fit its field's type; the message says what was expected."""


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise CoercionError(f"expected text, got {json.dumps(value)}")


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    raise CoercionError(f"expected an integer, got {json.dumps(value)}")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise CoercionError(f"expected true or false, got {json.dumps(value)}")


def _date(value: Any) -> dt.date:
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CoercionError(f"{value!r} is not a calendar date") from None
    raise CoercionError(f"expected a date YYYY-MM-DD, got {json.dumps(value)}")


def _timestamp(value: Any) -> dt.datetime:
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise CoercionError(f"{value!r} is not a valid timestamp") from None
    raise CoercionError(f"expected an ISO 8601 timestamp with a zone, got {json.dumps(value)}")


def _guid(value: Any) -> str:
    if isinstance(value, str) and GUID.match(value.strip()):
        return value.strip().lower()
    raise CoercionError(f"expected a 4ALLPORTAL id (GUID), got {json.dumps(value)}")


def _guids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # the XML form: an empty <value/> is an empty list
        value = [value] if value.strip() else []
    if isinstance(value, list):
        return tuple(_guid(v) for v in value)
    raise CoercionError(f"expected a list of ids, got {json.dumps(value)}")


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise CoercionError(f"expected a list of text, got {json.dumps(value)}")


def _point(value: Any) -> tuple[float, float]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise CoercionError(f"expected {{\"x\": 0..1, \"y\": 0..1}}, got {value!r}") from None
    if isinstance(value, dict) and set(value) == {"x", "y"}:
        x, y = value["x"], value["y"]
        if all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
               for v in (x, y)):
            return float(x), float(y)
    raise CoercionError(f"expected {{\"x\": 0..1, \"y\": 0..1}}, got {json.dumps(value)}")


COERCE: dict[str, Callable[[Any], Any]] = {
    "text": _text, "rich": _text, "integer": _integer, "boolean": _boolean, "date": _date,
    "timestamp": _timestamp, "id": _guid, "ids": _guids, "texts": _texts, "point": _point,
}


def coerce(value: Any, field_type: FieldType) -> Any:
    """The value as the Python type of its field type; raises :class:`CoercionError`."""
    return COERCE[field_type.kind](value)
