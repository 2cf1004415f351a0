"""The schema package: one module per section, every section importable from the package, and
a JSON Schema whose definitions are exactly the sections a scenario is made of."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from caseload_sim.scenario import schema
from caseload_sim.scenario.schema import Scenario, Section


def _section_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{schema.__name__}.{info.name}")
        for info in pkgutil.iter_modules(schema.__path__)
    ]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for argument in typing.get_args(annotation) for model in _models_in(argument)]


def _reachable(model: type[BaseModel], found: dict[str, type[BaseModel]]) -> None:
    found[model.__name__] = model
    for field in model.model_fields.values():
        for child in _models_in(field.annotation):
            if child.__name__ not in found:
                _reachable(child, found)


def test_there_is_a_module_per_section() -> None:
    names = {module.__name__.rpartition(".")[2] for module in _section_modules()}
    assert {"base", "demand", "pathway", "workforce", "partners", "simulation"} <= names
    assert {"timeline", "scenario"} <= names


@pytest.mark.parametrize("module", _section_modules(), ids=lambda module: module.__name__)
def test_every_class_and_constant_of_a_section_module_is_re_exported(module: ModuleType) -> None:
    own = [
        name
        for name, value in vars(module).items()
        if (isinstance(value, type) and value.__module__ == module.__name__)
        or (name.isupper() and not name.startswith("_"))
    ]
    assert own, f"{module.__name__} defines nothing"
    for name in own:
        assert name in schema.__all__, f"{module.__name__}.{name} is not in the package's __all__"
        assert getattr(schema, name) is getattr(module, name)


def test_every_exported_name_imports() -> None:
    for name in schema.__all__:
        assert hasattr(schema, name), name


def test_the_json_schema_defines_exactly_the_sections_of_a_scenario() -> None:
    sections: dict[str, type[BaseModel]] = {}
    _reachable(Scenario, sections)
    document = Scenario.model_json_schema()
    definitions = document["$defs"]
    assert document["title"] == "Scenario"
    assert list(document["properties"]) == list(Scenario.model_fields)
    assert set(definitions) == set(sections) - {"Scenario"}
    for name, model in sections.items():
        assert issubclass(model, Section), f"{name} is not a Section (unknown fields would pass)"
        assert getattr(schema, name) is model
        if name != "Scenario":
            assert list(definitions[name]["properties"]) == list(model.model_fields), name
            assert definitions[name]["additionalProperties"] is False, name
            assert definitions[name]["description"] == inspect.cleandoc(model.__doc__ or ""), name
