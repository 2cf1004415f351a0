"""The scenario reference (``docs/scenario-reference.md``), generated from the schema.

Generated, not written by hand, so that the reference can never disagree with what the loader
accepts; a test checks the file in ``docs/`` is up to date.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from caseload_sim.scenario.schema import Scenario


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{value}`" for value in typing.get_args(annotation))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type_name(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin is list:
        return f"list of {_type_name(typing.get_args(annotation)[0])}"
    if origin is dict:
        return f"table of {_type_name(typing.get_args(annotation)[1])}"
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "table"
        return {
            "float": "number",
            "int": "integer",
            "str": "text",
            "bool": "true/false",
            "date": "date (YYYY-MM-DD)",
            "NoneType": "absent",
        }.get(annotation.__name__, annotation.__name__)
    return str(annotation)


_SYMBOLS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


def field_bounds(field: FieldInfo) -> list[tuple[str, Any]]:
    """A field's numeric bounds as ``(kind, value)``, ``kind`` one of ``ge``, ``gt``, ``le`` and
    ``lt``: the field's own, then those of an annotated type it takes (such as
    ``Probability``), in the order the schema gives them."""
    found = [
        (attribute, value)
        for item in field.metadata
        for attribute in _SYMBOLS
        if (value := getattr(item, attribute, None)) is not None
    ]
    for argument in typing.get_args(field.annotation):
        for item in getattr(argument, "__metadata__", ()):
            found += [
                (attribute, value)
                for attribute in ("ge", "le")
                if (value := getattr(item, attribute, None)) is not None
            ]
    return found


def _bounds(field: FieldInfo) -> str:
    parts = []
    for attribute, value in field_bounds(field):
        symbol = _SYMBOLS[attribute]
        parts.append(f"{symbol} {value:g}" if isinstance(value, float) else f"{symbol} {value}")
    return ", ".join(parts)


def _default(field: FieldInfo) -> str:
    if field.default is not PydanticUndefined:
        value = field.default
    elif field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    else:
        return "required"
    if isinstance(value, BaseModel):
        return "(table below)"
    if isinstance(value, dict):
        return ", ".join(value) if value else "{}"
    if value is None:
        return "absent"
    return f"`{value}`"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _section(model: type[BaseModel], path: str, lines: list[str]) -> None:
    title = path or "top level"
    lines += [
        f"## `{title}`",
        "",
        (model.__doc__ or "").strip(),
        "",
        "| field | type | default | allowed | description |",
        "|---|---|---|---|---|",
    ]
    nested: list[tuple[str, type[BaseModel]]] = []
    for name, field in model.model_fields.items():
        child = _model_in(field.annotation)
        description = (field.description or "").replace("|", "\\|").replace("\n", " ")
        if child is not None and not description:
            description = (child.__doc__ or "").strip().splitlines()[0]
        lines.append(
            f"| `{name}` | {_type_name(field.annotation)} | {_default(field)} | "
            f"{_bounds(field)} | {description} |"
        )
        if child is not None:
            key = f"{path}.{name}" if path else name
            if typing.get_origin(field.annotation) is dict:
                key += ".NAME"
            nested.append((key, child))
    lines.append("")
    for key, child in nested:
        _section(child, key, lines)


def scenario_reference_markdown() -> str:
    """Every scenario field with its type, default, allowed range and meaning, as Markdown."""
    lines = [
        "# Scenario reference",
        "",
        "Generated from the schema by `caseload-sim schema --markdown` (do not edit by hand).",
        "Every field may be overridden on the command line with `--set dotted.path=value`.",
        "Units are given in each description; times are in days unless the name ends `_wd`",
        "(working days) or `_hours`.",
        "",
    ]
    _section(Scenario, "", lines)
    return "\n".join(lines).rstrip() + "\n"
