"""What a results folder is: its kinds, the files of each, what each file holds.

Four commands write results folders: ``run`` (one scenario), ``compare`` (a baseline and
options, with a run folder per scenario inside), ``sweep`` (a grid of values of some fields) and
``staffing`` (the smallest value of a field that meets targets). A folder's kind is recognised by
the first of these files it holds, in this order: ``comparison.json`` (compare), ``staffing.json``
(staffing), ``sweep.csv`` (sweep), ``summary.json`` (run).

CSV files are comma separated, UTF-8, one header row, ``\\n`` line endings; numbers are written
in Python's shortest round-trip form and an empty cell is a value that could not be computed
(NaN). JSON files write NaN and infinity as ``null``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultsFile:
    """One file (or folder) of a results folder.

    Attributes
    ----------
    name : its name in the folder, e.g. ``"summary.json"``.
    holds : what it holds, in plain words.
    written : when it is written (``"always"`` or the condition).
    """

    name: str
    holds: str
    written: str = "always"


@dataclass(frozen=True)
class Kind:
    """One kind of results folder.

    Attributes
    ----------
    name : ``"run"``, ``"compare"``, ``"sweep"`` or ``"staffing"``.
    command : the command that writes it.
    marker : the file whose presence says a folder is of this kind.
    files : every file the folder may hold.
    """

    name: str
    command: str
    marker: str
    files: tuple[ResultsFile, ...]

    def always(self) -> tuple[str, ...]:
        """The names of the files every folder of this kind holds."""
        return tuple(file.name for file in self.files if file.written == "always")


#: ``replications.csv``: one row per replication and KPI.
REPLICATIONS_COLUMNS = ("replication", "kpi", "value")
#: ``timeseries.csv`` starts with these; one column per sampled measure follows.
TIMESERIES_COLUMNS = ("replication", "date")
#: ``waits.csv``: one row per replication, measure and wait.
WAITS_COLUMNS = ("replication", "measure", "days")
#: ``events.csv``: one row per replication and event of the log.
EVENTS_COLUMNS = ("replication", "time_days", "event", "case", "worker", "value")
#: ``periods.csv``: one row per period between dated changes and KPI (the days to recover last).
PERIODS_COLUMNS = (
    "period",
    "label",
    "start_date",
    "end_date",
    "kpi",
    "mean",
    "ci95_low",
    "ci95_high",
    "n",
)

_PROVENANCE = ResultsFile(
    "provenance.json",
    "How the results were made (STRESS-DES items 4 and 5): seed scheme and seed, scenarios, how "
    "the replications and warm-up were chosen, Python, platform and package versions, and from "
    "the command line the command, start time, run time and executor.",
)
_SOURCES = ResultsFile(
    "sources",
    "The scenario files the results came from, comments and all, as sources/<order>_<file name> "
    "(the most basic first, the scenario run last); the notes beside the values say where "
    "each figure comes from.",
    "by the command line",
)

RUN = Kind(
    "run",
    "caseload-sim run",
    "summary.json",
    (
        ResultsFile(
            "summary.json",
            "Each KPI's mean, 95% confidence interval, unit and replications counted; the "
            "scenario, seed, replications, warm-up, run length, regime, package version, how the "
            "replications and warm-up were chosen, and the KPIs of each period between dated "
            "changes. Written last: its presence says the folder is complete.",
        ),
        ResultsFile("replications.csv", "Each KPI in each replication."),
        ResultsFile(
            "timeseries.csv",
            "The state of the front door sampled over time (weekly by default), in each "
            "replication, with the sample's date.",
        ),
        ResultsFile("waits.csv", "Every measured wait, in days, in each replication."),
        ResultsFile("scenario.toml", "The fully resolved scenario that was run."),
        _PROVENANCE,
        ResultsFile(
            "periods.csv",
            "Each KPI, and the days to recover, in each period between dated changes.",
            "when the scenario's timeline splits the measured period",
        ),
        ResultsFile("events.csv", "The event log of every replication.", "with --events"),
        _SOURCES,
    ),
)
COMPARE = Kind(
    "compare",
    "caseload-sim compare",
    "comparison.json",
    (
        ResultsFile(
            "comparison.json",
            "The baseline and scenarios, seed and replications, each scenario's KPIs (mean and "
            "95% interval) and each option's paired differences from the baseline.",
        ),
        ResultsFile(
            "comparison.csv",
            "One row per scenario and KPI: mean and interval, and the paired difference from "
            "the baseline with its interval (0 for the baseline); the columns of "
            "caseload_sim.experiment.comparison.COMPARISON_COLUMNS.",
        ),
        ResultsFile(
            "value_for_money.csv",
            "One row per option, window (blank: the measured period; else the period after a "
            "dated change) and headline KPI: the paired difference in staffing cost a year, "
            "the points gained and the cost of a point gained, each with its 95% interval "
            "(NaN where the KPI does not move significantly); the columns of "
            "caseload_sim.experiment.value_for_money.VALUE_COLUMNS.",
            "when the scenarios have [costs]",
        ),
        _PROVENANCE,
        ResultsFile(
            "<scenario>",
            "The run folder of each scenario, named by folder_name(scenario name).",
            "one per scenario",
        ),
    ),
)
SWEEP = Kind(
    "sweep",
    "caseload-sim sweep",
    "sweep.csv",
    (
        ResultsFile(
            "sweep.csv",
            "One row per point and KPI: point, the value of each varied field (a column each), "
            "kpi, mean, ci95_low, ci95_high.",
        ),
        _PROVENANCE,
        _SOURCES,
    ),
)
STAFFING = Kind(
    "staffing",
    "caseload-sim staffing",
    "staffing.json",
    (
        ResultsFile(
            "staffing.json",
            "The answer: the field searched, the smallest value meeting every target with 95% "
            "confidence (null if none), the targets, whether they were met, the range, the "
            "points run and how many replications.",
        ),
        ResultsFile(
            "staffing.csv",
            "One row per point run and target: the field's value, kpi, mean, ci95_low, "
            "ci95_high, target, target_met, all_met.",
        ),
        _PROVENANCE,
        _SOURCES,
    ),
)
#: Every kind, in the order a folder is recognised (the first marker found decides).
KINDS = (COMPARE, STAFFING, SWEEP, RUN)
#: The files of every run folder (a compare folder holds one per scenario).
FILES = RUN.always()


def folder_name(name: str) -> str:
    """A file-system-safe folder name for a scenario (its run folder in a compare folder)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "scenario"
