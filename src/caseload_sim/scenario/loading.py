"""Reading scenario files and ``--set`` overrides, with errors a planner can act on.

Every problem becomes a :class:`ScenarioError` whose message names the file, the field path and
what is allowed; the command line turns it into exit code 2, never a traceback.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, get_args, get_origin

import tomli_w
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from caseload_sim.scenario.messages import plain_problem
from caseload_sim.scenario.schema import Scenario

#: Folder of the bundled scenarios (the repository's ``scenarios/``).
SCENARIO_DIR = Path(__file__).resolve().parents[3] / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "county_2010_baseline.toml"

# Setting one of a pair of alternative fields with --set clears the other, so that a planner can
# switch from a daily to an annual contact rate without editing the file.
_ALTERNATIVES = {
    ("demand", "contacts_per_year"): ("demand", "contacts_per_working_day"),
    ("demand", "contacts_per_working_day"): ("demand", "contacts_per_year"),
}


class ScenarioError(ValueError):
    """A scenario file or override that cannot be used; the message says why and where."""


def default_scenario_path() -> Path:
    """Path of the bundled default scenario (the county front door of 2010)."""
    return DEFAULT_SCENARIO


def load_scenario(path: str | Path | None = None, overrides: Sequence[str] = ()) -> Scenario:
    """Read, validate and override a scenario file.

    Parameters
    ----------
    path
        A TOML scenario file; ``None`` means the bundled default.
    overrides
        ``dotted.path=value`` strings; values are read as TOML (numbers, booleans, dates,
        ``[lists]``), anything else as text.

    Raises
    ------
    ScenarioError
        With a message naming the file, the field and what is allowed.
    """
    source = Path(path) if path is not None else DEFAULT_SCENARIO
    data = resolve_base(read_scenario_data(source), source)
    read_initial_caseload_csv(data, source)
    scenario = validate_scenario(data, str(source))
    if overrides:
        scenario = apply_overrides(scenario, overrides, str(source))
    return scenario


def read_scenario_data(source: Path) -> dict[str, Any]:
    """The raw table of a TOML scenario file, or a :class:`ScenarioError`."""
    if not source.exists():
        raise ScenarioError(f"{source}: no such file")
    if source.is_dir():
        raise ScenarioError(f"{source}: is a folder; give a scenario file (.toml)")
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise ScenarioError(f"{source}: cannot be read ({error.strerror})") from None
    return parse_scenario_bytes(raw, str(source))


def parse_scenario_bytes(raw: bytes, source: str) -> dict[str, Any]:
    """The raw table of a scenario file's bytes (``source`` names it in messages)."""
    if not raw.strip():
        raise ScenarioError(f"{source}: the file is empty; a scenario needs at least a name")
    if b"\x00" in raw:
        raise ScenarioError(f"{source}: not a text file; a scenario is a TOML text file")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some Windows editors save
    except UnicodeDecodeError:
        raise ScenarioError(f"{source}: not UTF-8 text; save the scenario as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{source}: TOML syntax error: {error}") from None


def resolve_base(data: dict[str, Any], source: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Merge a scenario onto the scenario named by its ``base`` key, if any.

    ``base = "county_2010_baseline.toml"`` (a path relative to the file) lets an option say only
    what differs from the scenario it modifies; tables merge key by key, other values replace.
    A bare file name that is not beside the file names a bundled scenario.
    """
    base = data.pop("base", None)
    if base is None:
        return data
    if not isinstance(base, str):
        raise ScenarioError(f"{source}: base: allowed: a path to a scenario file (got {base!r})")
    base_path = _base_path(source, base)
    if base_path in seen or base_path == source.resolve():
        raise ScenarioError(f"{source}: base: {base!r} leads back to this file (a cycle)")
    if not base_path.is_file():
        raise ScenarioError(
            f"{source}: base: no such scenario file {base!r} (looked for {base_path})"
        )
    parent = resolve_base(read_scenario_data(base_path), base_path, (*seen, source.resolve()))
    return merge_tables(parent, data)


def source_files(path: str | Path | None = None) -> list[Path]:
    """The scenario file and the files it is based on (``base =``), the most basic first."""
    source = Path(path) if path is not None else DEFAULT_SCENARIO
    chain = [source.resolve()]
    while True:
        base = read_scenario_data(chain[0]).get("base")
        if not isinstance(base, str):
            return chain
        parent = _base_path(chain[0], base)
        if parent in chain:
            return chain
        chain.insert(0, parent)


def _base_path(source: Path, base: str) -> Path:
    """Where a file's ``base`` is: beside the file, or else a bundled scenario by its name (so a
    file the app downloads runs from wherever it is kept)."""
    beside = (source.parent / base).resolve()
    if not beside.exists() and Path(base).name == base and (SCENARIO_DIR / base).is_file():
        return (SCENARIO_DIR / base).resolve()
    return beside


def merge_tables(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` laid over ``base`` as ``base =`` does: tables merge key by key, other values
    replace."""
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_tables(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_initial_caseload_csv(data: dict[str, Any], source: Path) -> None:
    """Read ``initial_caseload.csv`` (relative to the scenario file) into its ``rows``."""
    import csv

    table = data.get("initial_caseload")
    if not isinstance(table, dict) or not isinstance(table.get("csv"), str):
        return
    path = (source.parent / table["csv"]).resolve()
    where = f"{source}: initial_caseload.csv"
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            columns = {"team", "grade", "tier", "cases_per_worker"}
            if reader.fieldnames is None or not columns <= set(reader.fieldnames):
                raise ScenarioError(
                    f"{where}: {path} needs the columns {', '.join(sorted(columns))} "
                    f"(found {', '.join(reader.fieldnames or []) or 'none'})"
                )
            rows = []
            for number, row in enumerate(reader, start=2):
                try:
                    cases = float(row["cases_per_worker"])
                except (TypeError, ValueError):
                    raise ScenarioError(
                        f"{where}: {path} line {number}: cases_per_worker "
                        f"{row['cases_per_worker']!r} is not a number"
                    ) from None
                rows.append(
                    {
                        "team": row["team"].strip(),
                        "grade": row["grade"].strip(),
                        "tier": row["tier"].strip(),
                        "cases_per_worker": cases,
                    }
                )
    except OSError as error:
        raise ScenarioError(f"{where}: cannot read {path} ({error.strerror})") from None
    table["rows"] = [*table.get("rows", []), *rows]
    table["csv"] = None  # read: the resolved scenario carries the rows themselves


def validate_scenario(data: dict[str, Any], source: str) -> Scenario:
    """Validate a raw table against the schema, translating pydantic's errors."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(describe_validation_error(error, source)) from None


def describe_validation_error(error: ValidationError, source: str) -> str:
    """One line per problem: ``FILE: field.path: what is wrong; what is allowed``."""
    lines = []
    for problem in error.errors(include_url=False):
        location = [str(part) for part in problem["loc"]]
        field = ".".join(location) or "(top level)"
        kind = problem["type"]
        if kind == "extra_forbidden":
            allowed = _allowed_fields(location[:-1])
            hint = _did_you_mean(location[-1], allowed)
            message = f"unknown field{hint}; allowed here: {', '.join(allowed)}"
        elif kind == "missing":
            message = "this field is required"
        else:
            message = plain_problem(problem)
        if not location and message.startswith("timeline["):
            lines.append(f"{source}: {message}")  # the message names the entry and field itself
        else:
            lines.append(f"{source}: {field}: {message}")
    return "\n".join(lines)


def _did_you_mean(name: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _allowed_fields(location: list[str]) -> list[str]:
    """Field names allowed at a location in the schema, for 'unknown field' messages."""
    model = _model_of(_annotation_at(location))
    return sorted(model.model_fields) if model is not None else []


def schema_field(path: Sequence[str]) -> FieldInfo | None:
    """The schema's field at a path of keys (``["workforce", "teams", "north", "staff",
    "sw"]``; any key stands for an entry of a named table or a list), or None."""
    *parents, last = path
    model = _model_of(_annotation_at(parents))
    return model.model_fields.get(last) if model is not None else None


def _annotation_at(location: Sequence[str]) -> Any:
    annotation: Any = Scenario
    for part in location:
        if get_origin(annotation) in (dict, list):
            # A named entry of a table such as workforce.teams (or an item of a list): every
            # entry has the same type, whatever its key.
            annotation = get_args(annotation)[-1]
            continue
        model = _model_of(annotation)
        if model is None or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
    return annotation


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()) or ():
        found = _model_of(argument)
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------------------------ overrides


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``dotted.path=value`` into path parts and a TOML-typed value."""
    path, sep, value_text = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise ScenarioError(f"--set {text!r}: expected dotted.path=value, e.g. simulation.seed=7")
    parts = path.split(".")
    if any(not part for part in parts):
        raise ScenarioError(f"--set {text!r}: the path {path!r} has an empty part")
    value_text = value_text.strip()
    try:
        value = tomllib.loads(f"value = {value_text}")["value"]
    except tomllib.TOMLDecodeError:
        value = value_text
    return parts, value


def apply_overrides(scenario: Scenario, overrides: Sequence[str], source: str) -> Scenario:
    """Return a new scenario with each ``dotted.path=value`` applied, then re-validated."""
    data = scenario.model_dump(mode="python")
    for text in overrides:
        parts, value = parse_override(text)
        _set_path(data, parts, value, text)
        alternative = _ALTERNATIVES.get(tuple(parts))  # type: ignore[arg-type]
        if alternative is not None:
            _set_path(data, list(alternative), None, text)
    shown = f"{source} with --set {' '.join(overrides)}"
    return validate_scenario(data, shown)


def _set_path(data: dict[str, Any], parts: list[str], value: Any, text: str) -> None:
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = ".".join(parts[:depth]) or "the scenario"
        if isinstance(node, dict):
            if part not in node:
                hint = _did_you_mean(part, node)
                raise ScenarioError(
                    f"--set {text!r}: unknown path: {here} has no field {part!r}{hint}; "
                    f"allowed: {', '.join(sorted(node))}"
                )
            if last:
                node[part] = value
            else:
                node = node[part]
        elif isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ScenarioError(
                    f"--set {text!r}: {here} is a list of {len(node)}; use an index 0 to "
                    f"{len(node) - 1}"
                )
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
        else:
            raise ScenarioError(f"--set {text!r}: {here} is a single value, not a table")


def scenario_to_toml(scenario: Scenario) -> str:
    """The fully resolved scenario as TOML (every field, defaults included)."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    return tomli_w.dumps(data)
