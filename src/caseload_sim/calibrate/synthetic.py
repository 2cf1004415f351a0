"""Synthetic Ofsted ILACS Annex A lists 1, 3, 4 and 5, written from one simulation run.

For testing calibration and for demonstrations: the lists look like a council's own export (one
workbook, one sheet per list, the Annex A headings, dates as dd/mm/yyyy), but every child in them
is invented. **No real personal data is used anywhere**: child ids are a scrambled form of the
model's own child numbers, and gender, ethnicity and date of birth are drawn at random.

What comes from the run
-----------------------
The "year" of the export is the run's measured window ``[measured_from, measured_to]``; a row is
included when the model time of its list's event falls in it:

List 1, contacts
    Every contact received in the window. The contact source is invented (see below).
List 3, referrals
    Every referral *decided* in the window (the model's ``referrals_count``). Its "Date of
    referral" is the date the contact was received (the model's ``referral_at``), so a referral
    received just before the window and decided in it carries a date just before the window.
    "Referral NFA?" is "Yes" when the episode ended in no further action (so far); "Number of
    Referrals in Last 12 Months" counts the child's referrals in the 365 days up to and including
    this one, those before the window (and before the run: re-referrals of children whose earlier
    case closed before the run began) included.
List 4, assessments
    Every referral whose first assessment started in the window. Work starts when a worker is
    allocated, so the start date is the date of first allocation and the date of authorisation
    is that of the first assessment completed (signed off, when sign-off is modelled): the
    initial or single assessment, or, for a referral at immediate risk under Working Together
    2010, the core assessment that carries its s47 enquiry. Blank when not finished by the end.
List 5, section 47 enquiries
    Every strategy discussion held in the window. In the model each strategy discussion starts
    an s47 enquiry (both routes to one go straight on to it), so these are the enquiries begun in
    the window; the worker's own part (``s47_start_at``) starts only once the case has a worker.
    The conference date is blank when no initial child protection conference was held, and so is
    its result; the result is the episode's outcome, or, while the episode is still open, the
    model's own draw that will decide it.

The allocated team and worker are those holding the case at the end of the run (blank while it
waits for a worker); workers are invented codes, one per post (``SW001``...).

What is invented
----------------
From generators seeded by the run's seed and replication under a key of their own (not one of
the model's streams, so the run is the one :func:`caseload_sim.model.frontdoor.simulate` gives):
contact sources (Department for Education children in need census codes, in an illustrative mix
led by police and schools), and, once per child, gender, ethnicity (census codes) and an age at
the child's first date in the lists, from which the date of birth follows; it is chosen so that
the child is 0 to 17 on every date in the lists, and the same child has the same id, date of
birth, gender and ethnicity in every list.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from caseload_sim.calibrate.code_sets import OFSTED_NO, OFSTED_SOURCES, OFSTED_YES
from caseload_sim.calibrate.columns import LISTS, AnnexList
from caseload_sim.calibrate.export import SHEET_NAMES, write_annex_a
from caseload_sim.model.cases import INITIAL_CHILD
from caseload_sim.model.frontdoor import simulate
from caseload_sim.model.results import OUTCOMES, CaseTable, RunResult
from caseload_sim.scenario.schema import TIERS, Scenario

__all__ = [
    "CONTACT_SOURCES",
    "ETHNICITIES",
    "GENDERS",
    "PERSONAL_COLUMNS",
    "SHEET_NAMES",
    "child_code",
    "synthesise_annex_a",
    "worker_code",
    "write_annex_a",
]

#: The invented personal columns, written after "Child Unique ID" in every list.
GENDER, ETHNICITY, DATE_OF_BIRTH, AGE = (
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
)
PERSONAL_COLUMNS = (GENDER, ETHNICITY, DATE_OF_BIRTH, AGE)


#: Contact sources: children in need census codes and an illustrative mix (police 30%, schools
#: and education 18%, health 14%, local authority services 10%, individuals 10%, other 18%).
CONTACT_SOURCES: dict[str, float] = {
    "6": 0.30,  # police
    "2A": 0.15,  # schools
    "2B": 0.03,  # education services
    "3A": 0.04,  # health services: GP
    "3B": 0.03,  # health services: health visitor
    "3E": 0.04,  # health services: A&E
    "3F": 0.03,  # health services: other
    "5A": 0.05,  # LA services: social care
    "5C": 0.02,  # LA services: external (another authority)
    "5D": 0.03,  # early help
    "1A": 0.06,  # individual: family member, relative or carer
    "1C": 0.01,  # individual: self
    "1D": 0.03,  # individual: other
    "4": 0.03,  # housing
    "7": 0.04,  # other legal agency
    "8": 0.07,  # other
    "9": 0.02,  # anonymous
    "10": 0.02,  # unknown
}
GENDERS: dict[str, float] = {"Male": 0.51, "Female": 0.47, "Unknown": 0.02}
#: Ethnicity census codes and a plausible mix for an English county.
ETHNICITIES: dict[str, float] = {
    "WBRI": 0.66,  # White British
    "WOTH": 0.07,  # any other White background
    "MWBC": 0.05,  # White and Black Caribbean
    "ASIA": 0.07,  # any other Asian background
    "BCRB": 0.04,  # Black Caribbean
    "OOTH": 0.03,  # any other ethnic group
    "REFU": 0.02,  # refused
    "NOBT": 0.06,  # information not yet obtained
}
#: Age at a child's first date in the lists: (from, to) in years and share.
_AGE_BANDS: tuple[tuple[float, float, float], ...] = (
    (0.0, 1.0, 0.12),
    (1.0, 5.0, 0.18),
    (5.0, 10.0, 0.24),
    (10.0, 16.0, 0.34),
    (16.0, 18.0, 0.12),
)

# Invented ids: an affine permutation of 0..10^7-1, so that neighbouring child numbers get
# unrelated-looking ids. New children (numbered from 0) use the lower half of the keys, children
# whose case was open at the start (numbered from INITIAL_CHILD) count down from the top.
_ID_MODULUS = 10**7
_ID_MULTIPLIER = 3_141_593  # odd and not a multiple of 5: coprime with 10^7
_ID_OFFSET = 2_718_281
# The invented fields' own random streams: SeedSequence(seed, spawn_key=(replication, _KEY,
# purpose)); the model's streams use keys 0-10 in that place (caseload_sim.randomness).
_KEY = 9_999
_SOURCES, _PEOPLE = 0, 1
_DAYS_PER_YEAR = 365.25
_NFA = OUTCOMES.index("nfa")
_OPEN = OUTCOMES.index("open")
_CP_PLAN = OUTCOMES.index("cp_plan")
_DISABLED = TIERS.index("disabled_child")

#: One row of a list: the child number, the list's date, its model time, the case number, and
#: the list's own fields by column name (calibrate.columns).
_Row: TypeAlias = tuple[int, dt.date, float, int, dict[str, Any]]


def child_code(child: int) -> str:
    """The invented "Child Unique ID" of the model's child number (the same in every list)."""
    half = _ID_MODULUS // 2
    if 0 <= child < half:
        key = child
    elif 0 <= child - INITIAL_CHILD < half:
        key = _ID_MODULUS - 1 - (child - INITIAL_CHILD)
    else:
        raise ValueError(f"child number {child}: too large for a 7-digit invented id")
    return f"C{(_ID_MULTIPLIER * key + _ID_OFFSET) % _ID_MODULUS:07d}"


def worker_code(index: int) -> str:
    """The invented "Allocated Worker" of a post."""
    return f"SW{index:03d}"


def _generator(seed: int, replication: int, purpose: int) -> np.random.Generator:
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, _KEY, purpose))
    return np.random.Generator(np.random.PCG64(sequence))


def _choose(rng: np.random.Generator, mix: dict[str, float], size: int) -> list[str]:
    codes = list(mix)
    shares = np.array(list(mix.values()), dtype=float)
    picked = rng.choice(len(codes), size=size, p=shares / shares.sum())
    return [codes[i] for i in picked.tolist()]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


#: How the lists give their answers: ``ofsted``, Ofsted's coded answers ("a) Yes",
#: "q) 6: Police"), as councils export them; ``plain``, bare answers ("Yes", "6").
LAYOUTS = ("ofsted", "plain")


def synthesise_annex_a(
    scenario: Scenario, seed: int | None = None, replication: int = 0, layout: str = "ofsted"
) -> dict[int, pd.DataFrame]:
    """Annex A lists 1, 3, 4 and 5 from one run of a scenario, with invented children.

    Parameters
    ----------
    scenario
        A validated scenario.
    seed
        Root seed; defaults to the scenario's own. It fixes the run and the invented fields.
    replication
        Replication index.

    Returns
    -------
    dict[int, pandas.DataFrame]
        By list number: one table with the Annex A headings (and the invented personal
        columns) as column names, dates as :class:`datetime.date` (None when blank), rows
        sorted by the list's date and then the child id.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r}: allowed: {', '.join(LAYOUTS)}")
    root = scenario.simulation.seed if seed is None else seed
    lists = _lists(simulate(scenario, root, replication), root, replication)
    return (
        {number: _coded(table) for number, table in lists.items()} if layout == "ofsted" else lists
    )


def _coded(table: pd.DataFrame) -> pd.DataFrame:
    """A list with Ofsted's coded answers in its yes/no and source columns."""
    coded = table.copy()
    answers: dict[str, str] = {"Yes": OFSTED_YES, "No": OFSTED_NO}
    for column in (c for annex_list in LISTS.values() for c in annex_list.columns):
        if column.heading not in coded.columns:
            continue
        if column.kind in ("yes_no", "disability"):
            coded[column.heading] = coded[column.heading].map(partial(_recode, answers))
        elif column.kind == "source":
            coded[column.heading] = coded[column.heading].map(partial(_recode, OFSTED_SOURCES))
    return coded


def _recode(codes: dict[str, str], value: Any) -> Any:
    return codes.get(value, value) if isinstance(value, str) else value


def _lists(result: RunResult, seed: int, replication: int) -> dict[int, pd.DataFrame]:
    start, end = result.measured_from, result.measured_to
    to_date = result.calendar.to_date

    def within(t: float) -> bool:
        return start <= t <= end  # NaN: False

    def date_or_blank(t: float) -> dt.date | None:
        return to_date(t) if math.isfinite(t) else None

    events = result.events
    contacts = events.of("contact")
    contact_times = events.time[contacts].tolist()
    contact_cases = events.case[contacts].tolist()
    drawn = _choose(_generator(seed, replication, _SOURCES), CONTACT_SOURCES, len(contact_cases))
    source_of = dict(zip(contact_cases, drawn, strict=True))
    contact_children = dict(
        zip(result.contact_case.tolist(), result.contact_child.tolist(), strict=True)
    )
    teams = {post.index: post.team for post in result.posts}

    def team_and_worker(lead: int) -> dict[str, Any]:
        return {
            "allocated_team": teams[lead] if lead >= 0 else None,
            "allocated_worker": worker_code(lead) if lead >= 0 else None,
        }

    rows: dict[int, list[_Row]] = {number: [] for number in SHEET_NAMES}
    for time, case in zip(contact_times, contact_cases, strict=True):
        if within(time):
            day = to_date(time)
            fields = {"contact_date": day, "contact_source": source_of[case]}
            rows[1].append((contact_children[case], day, time, case, fields))

    cases = result.cases
    earlier = _referral_history(cases)
    for r in _rows(cases):
        child, case_id, lead = r["child"], r["case_id"], r["lead_post"]
        if within(r["decided_at"]):
            day = to_date(r["referral_at"])
            fields = {
                "referral_date": day,
                "referral_source": source_of[case_id],
                # No further action at the referral itself: closed at its decision, unassessed.
                "referral_nfa": "Yes" if _closed_at_decision(r) else "No",
                "referrals_last_12_months": _count_in_year(
                    earlier[child], r["referral_at"], to_date
                ),
                **team_and_worker(lead),
            }
            rows[3].append((child, day, r["decided_at"], case_id, fields))
        if within(r["allocated_at"]):
            day = to_date(r["allocated_at"])
            fields = {
                "assessment_start": day,
                "assessment_authorised": date_or_blank(r["first_assessment_at"]),
                "disability": "Yes" if r["tier"] == _DISABLED else "No",
                **team_and_worker(lead),
            }
            rows[4].append((child, day, r["allocated_at"], case_id, fields))
        if within(r["strategy_at"]):
            day = to_date(r["strategy_at"])
            held = math.isfinite(r["icpc_at"])
            fields = {
                "strategy_date": day,
                "icpc_date": date_or_blank(r["icpc_at"]),
                "cp_plan": ("Yes" if _plan(r) else "No") if held else None,
                **team_and_worker(lead),
            }
            rows[5].append((child, day, r["strategy_at"], case_id, fields))

    people = _invent_people(rows, _generator(seed, replication, _PEOPLE))
    return {number: _table(LISTS[number], rows[number], people) for number in SHEET_NAMES}


_READ = (
    "case_id",
    "child",
    "tier",
    "outcome",
    "lead_post",
    "plan_if_conference",
    "referral_at",
    "decided_at",
    "allocated_at",
    "first_assessment_at",
    "strategy_at",
    "icpc_at",
)


def _closed_at_decision(referral: dict[str, Any]) -> bool:
    return referral["outcome"] == _NFA and math.isnan(referral["allocated_at"])


def _rows(cases: CaseTable) -> Iterable[dict[str, Any]]:
    """The referrals one at a time, with the fields the lists need as Python values."""
    columns = [getattr(cases, name).tolist() for name in _READ]
    for values in zip(*columns, strict=True):
        yield dict(zip(_READ, values, strict=True))


def _referral_history(cases: CaseTable) -> dict[int, list[float]]:
    """Each child's known referral times: those of the run, and an earlier one before the run
    (the re-referral of a child whose earlier case closed before it began), sorted."""
    known: dict[int, set[float]] = defaultdict(set)
    for child, at, previous in zip(
        cases.child.tolist(),
        cases.referral_at.tolist(),
        cases.previous_referral_at.tolist(),
        strict=True,
    ):
        known[child].add(at)
        if math.isfinite(previous):
            known[child].add(previous)
    return defaultdict(list, {child: sorted(times) for child, times in known.items()})


def _count_in_year(times: list[float], at: float, to_date: Callable[[float], dt.date]) -> int:
    """Referrals at or before ``at`` on the 365 days up to and including its date."""
    first_day = to_date(at) - dt.timedelta(days=364)
    return sum(1 for t in times if t <= at and to_date(t) >= first_day)


def _plan(referral: dict[str, Any]) -> bool:
    """Whether the conference led to a plan: the outcome, or the draw that will decide it."""
    if referral["outcome"] != _OPEN:
        return bool(referral["outcome"] == _CP_PLAN)
    return bool(referral["plan_if_conference"])


def _invent_people(
    rows: dict[int, list[_Row]],
    rng: np.random.Generator,
) -> dict[int, tuple[str, str, dt.date]]:
    """Gender, ethnicity and date of birth of each child in the lists, drawn in child order.

    The age at the child's first date in the lists is drawn from age bands; the date of birth
    is then moved later if need be so that the child is still 17 on its last date."""
    first: dict[int, dt.date] = {}
    last: dict[int, dt.date] = {}
    for listed in rows.values():
        for child, _day, _time, _case, fields in listed:
            for value in fields.values():
                if isinstance(value, dt.date):
                    first[child] = min(first.get(child, value), value)
                    last[child] = max(last.get(child, value), value)
    children = sorted(first)
    genders = _choose(rng, GENDERS, len(children))
    ethnicities = _choose(rng, ETHNICITIES, len(children))
    bands = np.array(_AGE_BANDS)
    band = rng.choice(len(bands), size=len(children), p=bands[:, 2] / bands[:, 2].sum())
    fraction = rng.random(len(children))
    years = bands[band, 0] + fraction * (bands[band, 1] - bands[band, 0])
    people = {}
    for i, child in enumerate(children):
        born = first[child] - dt.timedelta(days=int(years[i] * _DAYS_PER_YEAR))
        if _age(born, last[child]) >= 18:
            born = _add_years(last[child], -18) + dt.timedelta(days=1)
        born = min(born, first[child])
        people[child] = (genders[i], ethnicities[i], born)
    return people


def _table(
    annex_list: AnnexList,
    rows: list[_Row],
    people: dict[int, tuple[str, str, dt.date]],
) -> pd.DataFrame:
    child_column, *other_columns = annex_list.columns
    headings = [child_column.heading, *PERSONAL_COLUMNS, *(c.heading for c in other_columns)]
    records = []
    for child, day, time, case, fields in rows:
        gender, ethnicity, born = people[child]
        code = child_code(child)
        records.append(
            (
                (day, code, time, case),
                [
                    code,
                    gender,
                    ethnicity,
                    born,
                    _age(born, day),
                    *(fields[c.name] for c in other_columns),
                ],
            )
        )
    records.sort(key=lambda record: record[0])
    table = pd.DataFrame([values for _key, values in records], columns=headings, dtype=object)
    table[AGE] = table[AGE].astype("int64")
    if "referrals_last_12_months" in {c.name for c in other_columns}:
        column = next(c.heading for c in other_columns if c.name == "referrals_last_12_months")
        table[column] = table[column].astype("int64")
    return table
