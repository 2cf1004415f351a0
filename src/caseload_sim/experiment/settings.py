"""The settings of an experiment: how many replications, on which seed, where, what warm-up.

``run``, ``compare``, ``sweep`` and ``staffing`` share these options; one frozen object holds them
and checks its own values when it is made. Most values come from the command line as text, so
the messages name the command-line option and say what it allows.
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from typing import Any

from caseload_sim.experiment.executors import ExecutorError, check_executor
from caseload_sim.experiment.precision import PrecisionError

DEFAULT_PRECISION = 0.05
DEFAULT_BUDGET = 100

#: A number of replications, ``"auto"``, or None for the scenario's own.
Replications = int | str | None
#: A warm-up in days, ``"auto"`` (MSER-5), or None for the scenario's own.
Warmup = float | str | None


class SettingsError(PrecisionError):
    """A setting outside its allowed values.

    A kind of :class:`PrecisionError`, so that code catching the experiment functions' errors
    catches these as well.
    """


@dataclass(frozen=True, repr=False)
class RunSettings:
    """How an experiment runs; every field defaults to the scenario's own choice or the usual one.

    Parameters
    ----------
    replications
        A whole number >= 1 (or its text), ``"auto"`` (Hoad, Robinson & Davies 2010, to
        ``precision`` within ``budget``) or None for the scenario's ``simulation.replications``.
    seed
        Root seed; None for the scenario's ``simulation.seed``.
    jobs
        Local processes (None: all cores) for the ``local`` executor.
    executor, address
        ``"local"``, or ``"dask"`` with the scheduler's address (``tcp://HOST:PORT``).
    warmup
        Days >= 0 (or their text), ``"auto"`` (MSER-5) or None for the scenario's own.
    precision, budget
        The relative half-width ``"auto"`` replications aim for, and the most they may run.
    resume
        Reuse the replications an interrupted run saved in its results folder.
    events
        Keep the event log (``events.csv``).
    """

    replications: Replications = None
    seed: int | None = None
    jobs: int | None = None
    executor: str = "local"
    address: str | None = None
    warmup: Warmup = None
    precision: float = DEFAULT_PRECISION
    budget: int = DEFAULT_BUDGET
    resume: bool = False
    events: bool = False

    def __post_init__(self) -> None:
        # Frozen: the checked values replace the given ones (text of a number becomes the number).
        object.__setattr__(self, "replications", _replications(self.replications))
        object.__setattr__(self, "warmup", _warmup(self.warmup))
        try:
            check_executor(self.executor, self.address)
        except ExecutorError as error:
            raise SettingsError(str(error)) from None

    def __repr__(self) -> str:
        return f"RunSettings({', '.join(f'{k}={v!r}' for k, v in self.changed().items())})"

    def changed(self) -> dict[str, Any]:
        """The settings that differ from their defaults, by name."""
        return {
            item.name: getattr(self, item.name)
            for item in dataclasses.fields(self)
            if getattr(self, item.name) != item.default
        }


def _replications(value: Any) -> int | str | None:
    if value is None or value == "auto":
        return value
    message = f"--replications {value!r}: allowed: a whole number >= 1, or auto"
    if isinstance(value, bool):
        raise SettingsError(message)
    # A whole number of any kind (5, numpy's int64, 5.0) or its text ("5").
    if isinstance(value, numbers.Real) and float(value).is_integer():
        count = int(float(value))
    elif isinstance(value, str):
        try:
            count = int(value)
        except ValueError:
            raise SettingsError(message) from None
    else:
        raise SettingsError(message)
    if count < 1:
        raise SettingsError(message)
    return count


def _warmup(value: Any) -> float | str | None:
    if value is None or value == "auto":
        return value
    message = f"--warmup {value!r}: allowed: a number of days >= 0, or auto"
    if isinstance(value, bool) or not isinstance(value, numbers.Real | str):
        raise SettingsError(message)
    try:
        days = float(value)
    except ValueError:
        raise SettingsError(message) from None
    if not days >= 0:  # NaN too
        raise SettingsError(message)
    return days


def settings_from(settings: RunSettings | None, **options: Any) -> RunSettings:
    """The settings of an experiment function called with ``settings=`` or with its options one
    by one (the older way, kept working); giving both is refused."""
    if settings is None:
        return RunSettings(**options)
    defaults = {item.name: item.default for item in dataclasses.fields(RunSettings)}
    given = sorted(name for name, value in options.items() if value != defaults[name])
    if given:
        raise TypeError(
            f"give the run's options either in settings= or one by one, not both "
            f"(also given: {', '.join(given)})"
        )
    return settings


def refuse(settings: RunSettings, what: str, **unsupported: str) -> None:
    """Refuse settings an experiment has no use for (``name=why``), rather than ignore them."""
    for name, why in unsupported.items():
        if getattr(settings, name) != getattr(RunSettings, name):
            raise SettingsError(f"{what}: {name} is not a setting of {what} ({why})")
