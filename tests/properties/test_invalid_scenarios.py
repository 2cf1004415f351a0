"""Hypothesis: any one corruption of a valid scenario is bad input (exit 2), never a traceback.

Each example starts from the baseline scenario's resolved data, breaks one thing the schema
forbids, writes the result as TOML and runs ``caseload-sim check`` on it. The message must name
the file and the field path; for an unknown field it must also list the fields allowed there.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import annotated_types
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from caseload_sim.cli import main
from caseload_sim.scenario.loading import load_scenario
from caseload_sim.scenario.schema import Scenario

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Leaf:
    """One value of the resolved scenario with the schema's constraints on it."""

    path: Path_
    value: Any
    annotation: Any
    lower: float | None  # the ge or gt bound
    upper: float | None  # the le or lt bound


def _bounds(metadata: list[Any]) -> tuple[float | None, float | None]:
    lower = upper = None
    for item in metadata:
        if isinstance(item, annotated_types.Ge | annotated_types.Gt):
            lower = float(item.ge if isinstance(item, annotated_types.Ge) else item.gt)
        elif isinstance(item, annotated_types.Le | annotated_types.Lt):
            upper = float(item.le if isinstance(item, annotated_types.Le) else item.lt)
        elif hasattr(item, "metadata"):  # a FieldInfo inside Annotated[...]
            inner_lower, inner_upper = _bounds(item.metadata)
            lower = inner_lower if inner_lower is not None else lower
            upper = inner_upper if inner_upper is not None else upper
    return lower, upper


def _model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def walk_leaves(model: type[BaseModel], data: dict[str, Any], path: Path_ = ()) -> Iterator[Leaf]:
    """Every non-table value in ``data`` (validated against ``model``), with its bounds."""
    for name, value in data.items():
        field = model.model_fields[name]
        yield from _walk_value(field.annotation, field.metadata, value, (*path, name))


def _walk_value(annotation: Any, metadata: list[Any], value: Any, path: Path_) -> Iterator[Leaf]:
    nested = _model(annotation)
    if nested is not None:
        yield from walk_leaves(nested, value, path)
    elif get_origin(annotation) is dict:
        value_type = get_args(annotation)[1]
        for key, entry in value.items():
            yield from _walk_value(value_type, [], entry, (*path, key))
    elif get_origin(annotation) is list:
        (item_type,) = get_args(annotation)
        item_metadata = list(getattr(item_type, "__metadata__", ()))
        item_type = getattr(item_type, "__origin__", item_type) if item_metadata else item_type
        for index, item in enumerate(value):
            yield from _walk_value(item_type, item_metadata, item, (*path, index))
    else:
        lower, upper = _bounds(metadata)
        yield Leaf(path, value, annotation, lower, upper)


def walk_tables(
    model: type[BaseModel], data: dict[str, Any], path: Path_ = ()
) -> Iterator[tuple[Path_, type[BaseModel]]]:
    """Every table of ``data`` that is a schema section (unknown keys forbidden)."""
    yield path, model
    for name, value in data.items():
        annotation = model.model_fields[name].annotation
        nested = _model(annotation)
        if nested is not None:
            yield from walk_tables(nested, value, (*path, name))
        elif get_origin(annotation) is dict:
            entry_model = _model(get_args(annotation)[1])
            assert entry_model is not None
            for key, entry in value.items():
                yield from walk_tables(entry_model, entry, (*path, name, key))


def drop_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: drop_none(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [drop_none(item) for item in data]
    return data


BASELINE: dict[str, Any] = drop_none(load_scenario(None).model_dump(mode="python"))
LEAVES = list(walk_leaves(Scenario, BASELINE))
TABLES = list(walk_tables(Scenario, BASELINE))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


NUMBERS = [leaf for leaf in LEAVES if _is_number(leaf.value)]
NON_NEGATIVE = [leaf for leaf in NUMBERS if leaf.lower is not None and leaf.lower >= 0]
AT_MOST_ONE = [leaf for leaf in NUMBERS if leaf.upper is not None and leaf.upper <= 1]
WORDS = [leaf for leaf in LEAVES if get_origin(leaf.annotation) is Literal]


def test_the_schema_walk_finds_every_kind_of_field() -> None:
    paths = {leaf.path for leaf in LEAVES}
    assert ("workforce", "teams", "north", "staff", "sw") in paths
    assert ("demand", "complexity_shares", 1) in paths
    assert ("workforce", "teams", "north", "tiers", 0) in {leaf.path for leaf in WORDS}
    assert ("demand", "referral_conversion") in {leaf.path for leaf in AT_MOST_ONE}
    assert ("demand", "complexity_shares", 0) in {leaf.path for leaf in AT_MOST_ONE}
    assert ("workforce", "grades", "sw", "fte") in {leaf.path for leaf in AT_MOST_ONE}
    assert ("pathway", "effort", "handover", "mean_hours") in {leaf.path for leaf in NON_NEGATIVE}
    assert ("demand", "complexity_weights", 2) in {leaf.path for leaf in NON_NEGATIVE}
    assert ("pathway", "regime") in {leaf.path for leaf in WORDS}
    assert (("workforce", "teams", "south", "staff"), Scenario) not in TABLES
    assert len(NON_NEGATIVE) > 50 and len(AT_MOST_ONE) > 20 and len(WORDS) > 20


# ---------------------------------------------------------------------------------- corruption


@dataclass(frozen=True)
class Corruption:
    path: Path_  # the dotted field path the message must name
    value: Any
    allowed: tuple[str, ...] | None = None  # for an unknown field: the fields allowed there


def dotted(path: Path_) -> str:
    return ".".join(str(part) for part in path)


def corrupted_data(corruption: Corruption) -> dict[str, Any]:
    data = deepcopy(BASELINE)
    node: Any = data
    for part in corruption.path[:-1]:
        node = node[part]
    node[corruption.path[-1]] = corruption.value
    return data


def _not_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


negative_floats = st.floats(max_value=0.0, exclude_max=True, allow_nan=False).filter(
    lambda x: x < 0
)
negative_ints = st.integers(min_value=-(2**63), max_value=-1)
above_one = st.floats(min_value=1.0, exclude_min=True, allow_nan=False)
not_numbers = st.text(max_size=30).filter(_not_a_number)
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)


@st.composite
def negative_number(draw: st.DrawFn) -> Corruption:
    leaf = draw(st.sampled_from(NON_NEGATIVE))
    value = draw(negative_ints if isinstance(leaf.value, int) else negative_floats)
    return Corruption(leaf.path, value)


@st.composite
def probability_above_one(draw: st.DrawFn) -> Corruption:
    leaf = draw(st.sampled_from(AT_MOST_ONE))
    return Corruption(leaf.path, draw(above_one))


@st.composite
def unknown_key(draw: st.DrawFn) -> Corruption:
    path, model = draw(st.sampled_from(TABLES))
    reserved = set(model.model_fields) | ({"base"} if not path else set())
    key = draw(st.text(min_size=1, max_size=20).filter(lambda k: k not in reserved))
    return Corruption((*path, key), draw(scalars), tuple(sorted(model.model_fields)))


@st.composite
def string_for_a_number(draw: st.DrawFn) -> Corruption:
    leaf = draw(st.sampled_from(NUMBERS))
    return Corruption(leaf.path, draw(not_numbers))


@st.composite
def unknown_word(draw: st.DrawFn) -> Corruption:
    leaf = draw(st.sampled_from(WORDS))
    allowed = get_args(leaf.annotation)
    return Corruption(leaf.path, draw(st.text(max_size=20).filter(lambda w: w not in allowed)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("invalid_scenarios")


_COUNTER = iter(range(10**9))


def check_is_rejected(folder: Path, corruption: Corruption) -> None:
    path = folder / f"corrupt_{next(_COUNTER)}.toml"
    path.write_text(tomli_w.dumps(corrupted_data(corruption)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["check", str(path)])
        except SystemExit as exit_:
            code = exit_.code
        else:
            code = 0
    output = out.getvalue() + err.getvalue()
    assert code == 2, output
    assert "Traceback" not in output
    assert "internal error" not in output
    message = err.getvalue()
    assert message.startswith(f"caseload-sim: {path}: "), message
    assert f"{path}: {dotted(corruption.path)}: " in message, message
    if corruption.allowed is not None:
        assert "unknown field" in message, message
        assert f"allowed here: {', '.join(corruption.allowed)}" in message, message
    path.unlink()


@settings(max_examples=40, deadline=None)
@given(negative_number())
def test_negative_number_is_rejected(folder: Path, corruption: Corruption) -> None:
    assert corruption.value < 0
    check_is_rejected(folder, corruption)


@settings(max_examples=40, deadline=None)
@given(probability_above_one())
def test_probability_above_one_is_rejected(folder: Path, corruption: Corruption) -> None:
    check_is_rejected(folder, corruption)


@settings(max_examples=40, deadline=None)
@given(unknown_key())
def test_unknown_field_is_rejected(folder: Path, corruption: Corruption) -> None:
    check_is_rejected(folder, corruption)


@settings(max_examples=40, deadline=None)
@given(string_for_a_number())
def test_string_for_a_number_is_rejected(folder: Path, corruption: Corruption) -> None:
    check_is_rejected(folder, corruption)


@settings(max_examples=40, deadline=None)
@given(unknown_word())
def test_unknown_word_is_rejected(folder: Path, corruption: Corruption) -> None:
    check_is_rejected(folder, corruption)
