"""What every endpoint module shares: strict schemas, clean text, pagination, error bodies and the
facts object's JSON Schema (generated from ``rouei.domain.facts``, so a new fact appears in the
OpenAPI document without retyping it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import Enum
from typing import Annotated, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from rouei.assessments.choices import FACT_LABELS
from rouei.assessments.forms import FACT_TYPES
from rouei.core.dates import FUTURE_DATE, future_date_message, in_future
from rouei.domain.facts import FACT_KEYS, JST, MAX_PEOPLE, FactsError
from rouei.domain.items import CATALOGUE
from rouei.ui.lang import current_lang

# Request bodies are small JSON documents (facts, a title and a summary): anything bigger is a
# mistake or an attack, refused before it is read.
MAX_BODY_BYTES = 64 * 1024
MAX_ID = 2**63 - 1  # a database id; larger numbers are not ids
MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000


class StrictSchema(Schema):
    """A request body: unknown fields are refused (422), not ignored."""

    model_config = ConfigDict(extra="forbid")


def _clean_text(value: str) -> str:
    # NUL cannot be stored in PostgreSQL text and a lone surrogate cannot be encoded as UTF-8:
    # both are refused as bad input instead of failing in the database.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value.strip()


CleanText = Annotated[str, AfterValidator(_clean_text)]


def text_field(max_length: int, *, required: bool = False, description: str | None = None) -> Any:
    """A text field; a required one needs at least one character that is not a space."""
    if required:
        return Field(..., min_length=1, max_length=max_length, pattern=r"\S",
                     description=description)
    return Field("", max_length=max_length, description=description)


# --- errors ---------------------------------------------------------------------------------

class ErrorOut(Schema):
    """Every error but a validation error: a message for people and a stable code."""

    detail: str
    code: str
    field: str | None = Field(None, description="The field to mend, when there is one.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description="Where in the request: body, query or path, then "
                                             "the field names")
    field: str | None = Field(description="The field to fix")
    code: str = Field(description="Stable error code (the facts' codes come from "
                                  "rouei.domain.facts.FactsError)")
    message: str


class ValidationErrorOut(Schema):
    detail: str
    code: str = "invalid"
    errors: list[FieldErrorOut]


class ConflictOut(ErrorOut):
    current_version: int
    expected_version: int


def to_json(data: Any, encoder: type[json.JSONEncoder] = DjangoJSONEncoder) -> bytes:
    """UTF-8 JSON with Japanese as text (readable with curl), or with \\u escapes for a string
    that cannot be encoded (a lone surrogate from a client's bad JSON, echoed in an error)."""
    try:
        return json.dumps(data, cls=encoder, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, cls=encoder).encode("ascii")


def _response(data: dict, status: int) -> HttpResponse:
    return HttpResponse(to_json(data), status=status,
                        content_type="application/json; charset=utf-8")


def error(status: int, code: str, detail: str, **extra: Any) -> HttpResponse:
    return _response({"detail": str(detail), "code": code, **extra}, status)


def validation_error(errors: list[dict]) -> HttpResponse:
    return _response({"detail": _("The request is not valid."), "code": "invalid",
                      "errors": errors}, 422)


_PLACES = ("body", "query", "path", "header", "cookie", "form", "file")


BODY_PARAM = "payload"  # every endpoint's body parameter; left out of error locations


def pydantic_errors(errors: list[dict]) -> list[dict]:
    """ninja's (pydantic's) errors as ``FieldErrorOut``; input values are never echoed."""
    out = []
    for err in errors:
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        if loc[:2] == ["body", BODY_PARAM]:
            del loc[1]
        names = [p for p in loc if isinstance(p, str) and p not in _PLACES]
        out.append({"loc": loc, "field": names[-1] if names else None,
                    "code": str(err.get("type", "invalid")), "message": str(err.get("msg", ""))})
    return out


# The domain's wording quotes the offending value ("…: '2026-13-01'"); an error body may end up
# in another system's log, so the API leaves the value out.
_QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")


def facts_error(exc: FactsError, where: tuple[str, ...] = ("body", "facts")) -> dict:
    text = exc.message_ja if current_lang() == "ja" else exc.message_en
    field = exc.field
    loc = [*where, field] if field else list(where)
    return {"loc": loc, "field": field, "code": exc.code, "message": _QUOTED.sub("…", text)}


# --- pagination -----------------------------------------------------------------------------

class PageIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


def page_of(queryset, page: PageIn) -> tuple[list, int]:
    return list(queryset[page.offset:page.offset + page.limit]), queryset.count()


# --- the facts object -----------------------------------------------------------------------

def _fact_schema(key: str, kind: type) -> dict:
    if key == "items":
        schema = {"type": "array", "items": {"type": "string",
                                             "enum": [item.id for item in CATALOGUE]}}
    elif kind is bool:
        schema = {"type": "boolean"}
    elif kind is int:
        schema = {"type": "integer", "minimum": 0, "maximum": MAX_PEOPLE}
    elif kind is dt.datetime:
        schema = {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}],
                  "examples": ["2026-11-24", "2026-11-24T09:30:00+09:00"]}
    elif isinstance(kind, type) and issubclass(kind, Enum):
        schema = {"type": "string", "enum": [member.value for member in kind]}
    else:  # a new kind of fact: describe it loosely rather than wrongly
        schema = {}
    with translation.override("en"):
        label = str(FACT_LABELS[key][0]) if key in FACT_LABELS else key
    if kind is dt.datetime:
        label += " (ISO 8601 date or date-time; without an offset it is JST)"
    if not schema:
        return {"description": label}
    return {"anyOf": [schema, {"type": "null"}], "description": label}


FACTS_JSON_SCHEMA = {
    "type": "object",
    "title": "Facts",
    "description": "What is known about the leak (rouei.domain.facts). A missing key or null "
                   "means unknown, never false. Validated by the domain: a bad value is a 422 "
                   "naming the field and the domain's error code.",
    "properties": {key: _fact_schema(key, FACT_TYPES.get(key, object)) for key in FACT_KEYS},
    "additionalProperties": False,
}

# At run time the mapping goes to ``parse_facts`` as it came, so every facts error carries the
# domain's field and code; the JSON Schema above is what the OpenAPI document shows.
FactsPayload = Annotated[dict[str, Any], WithJsonSchema(FACTS_JSON_SCHEMA)]


EARLIEST_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def past_time(value: dt.datetime, label) -> dt.datetime:
    """A time sent to the API: JST when it has no zone, between 2000 and now (the rule of every
    page and action, ``rouei.core.dates``); ``label`` names the field in the error."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=JST)
    try:
        utc = value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValueError("must be a date-time between 2000 and now") from None
    if utc < EARLIEST_TIME:
        raise ValueError("must be a date-time between 2000 and now")
    if in_future(utc):
        raise PydanticCustomError(FUTURE_DATE, future_date_message(label))
    return utc
