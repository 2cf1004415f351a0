"""Scenario fields and values in a planner's words, for the app's pages and the report alike.

A field is named by its dotted path in the scenario's tables (``workforce.teams.north.staff.sw``
is "North team: social workers (posts)"), and a value by what it means ("may hold", "2 team
managers, 9 social workers"); a field or value this module has no words for is shown as it is,
so nothing is hidden from the reader.
"""

from __future__ import annotations

from typing import Any

from caseload_sim.scenario.schema import ELIGIBILITY_NAMES, GRADE_NAMES, GRADES, TIER_NAMES


def title_from_name(name: str) -> str:
    """'County 2010 baseline' for ``county_2010_baseline``: a name (a scenario's, a team's)
    as a title."""
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def grade_label(grade: str) -> str:
    """'Social workers' for ``sw``: a grade as a column heading."""
    name = GRADE_NAMES.get(grade, grade)
    return name[:1].upper() + name[1:] + "s"


def team_label(team: str) -> str:
    """'Disabled children' for ``disabled_children``."""
    return title_from_name(team)


def tier_label(tier: str) -> str:
    """'Child protection' for ``child_protection``."""
    name = TIER_NAMES.get(tier, tier)
    return name[:1].upper() + name[1:]


#: Fields that are one number or one choice, by path, in the words the app's levers use.
#: The posts whose cost a scenario gives (``costs.salary``), by grade, in words.
COSTED_POSTS: dict[str, str] = {**GRADE_NAMES, "duty": "duty screener"}

FIELD_LABELS: dict[str, str] = {
    "demand.contacts_per_year": "Contacts a year",
    "demand.contacts_per_working_day": "Contacts each working day",
    "workforce.access_centre.duty_workers": "Duty workers screening contacts",
    "workforce.allocation.policy": "How referrals are allocated",
    "workforce.allocation.cap_mode": "Caseload caps are",
    "workforce.allocation.oversight_fraction": "Share of a co-worked case's effort the "
    "qualified co-worker spends on oversight",
    "partners.police.slots_per_working_day": "Police slots for strategy discussions",
    # What a calibration from Annex A sets.
    "demand.weekday_profile": "Contacts by day of the week (1 = an average day)",
    "demand.month_profile": "Contacts by month (1 = an average month)",
    "demand.referral_conversion": "Share of contacts that become referrals",
    "demand.re_referral_probability": "Chance a referral is a re-referral within 12 months",
    "demand.tier_mix": "Mix of referrals by tier",
    "pathway.icpc_probability": "Share of section 47 enquiries leading to a conference",
    "pathway.cp_plan_probability": "Share of conferences that make a child protection plan",
    # The workforce mechanisms, each on or off with its main figures.
    "workforce.absence.annual_leave_days_per_year": "Annual leave",
    "workforce.absence.sickness_days_per_year": "Sickness absence",
    "workforce.supervision.enabled": "Supervision sessions modelled",
    "workforce.supervision.session_hours": "Length of a supervision session",
    "workforce.supervision.standard_interval_days": "Supervision at least every",
    "workforce.sign_off.enabled": "Managers' sign-off modelled",
    "workforce.sign_off.assessment_hours": "Manager's time to sign off an assessment",
    "workforce.sign_off.target_wd": "Local standard for a sign-off",
    "workforce.recording.enabled": "Recording modelled",
    "workforce.recording.share_of_effort": "Recording time, as a share of the casework",
    "workforce.recording.overdue_after_wd": "A record is overdue after",
    "workforce.quality.enabled": "Quality of assessments modelled",
    "workforce.quality.base_inadequate_probability": "Chance an assessment is inadequate, "
    "with no risk factor",
    "workforce.training.enabled": "Mandatory training modelled",
    "workforce.training.days_away": "Training time per worker",
    "workforce.training.effect": "Reduction of the inadequate chance once trained",
    "workforce.flow.enabled": "Vacancies, leavers and agency cover modelled",
    "workforce.flow.vacancy_pct_at_start": "Posts vacant at the start",
    "workforce.flow.agency_cover_pct": "Vacant posts covered by agency workers",
    "workforce.flow.permanent_leaving_pct_per_year": "Permanent staff leaving a year",
    "workforce.flow.recruitment_lag_wd": "Time to recruit to a vacant post",
    # What the staff cost.
    **{f"costs.salary.{grade}": f"Salary of a {name}" for grade, name in COSTED_POSTS.items()},
    **{
        f"costs.agency_day_rate.{grade}": f"Agency day rate for a {name}"
        for grade, name in COSTED_POSTS.items()
        if grade not in ("tm", "duty")
    },
    "costs.on_costs_pct": "Employer's on-costs",
    "costs.agency_multiple": "Agency cover costs",
    "costs.recruitment_per_hire": "Cost of recruiting a permanent holder",
    "costs.training_per_trainee_day": "Training fee for a day on the course",
}

#: The unit a field's number is in, where it has one (said after the number).
FIELD_UNITS: dict[str, str] = {
    "workforce.access_centre.duty_workers": "posts",
    "partners.police.slots_per_working_day": "a working day",
    "workforce.absence.annual_leave_days_per_year": "working days a year",
    "workforce.absence.sickness_days_per_year": "working days a year",
    "workforce.supervision.session_hours": "hours",
    "workforce.supervision.standard_interval_days": "days",
    "workforce.sign_off.assessment_hours": "hours",
    "workforce.sign_off.target_wd": "working days",
    "workforce.recording.share_of_effort": "of the casework's hours",
    "workforce.recording.overdue_after_wd": "working days",
    "workforce.quality.base_inadequate_probability": "a probability",
    "workforce.training.days_away": "working days",
    "workforce.training.effect": "a share",
    "workforce.flow.vacancy_pct_at_start": "%",
    "workforce.flow.agency_cover_pct": "%",
    "workforce.flow.permanent_leaving_pct_per_year": "%",
    "workforce.flow.recruitment_lag_wd": "working days",
    **{f"costs.salary.{grade}": "£ a year" for grade in COSTED_POSTS},
    **{f"costs.agency_day_rate.{grade}": "£ a working day" for grade in COSTED_POSTS},
    "costs.on_costs_pct": "% of salary",
    "costs.agency_multiple": "× a permanent post",
    "costs.recruitment_per_hire": "£ a hire",
    "costs.training_per_trainee_day": "£ a trainee-day",
}
_GRADE_UNITS = {"caseload_cap": "points", "weekly_hours": "hours"}
#: The pieces of work whose effort a scenario gives, in words.
_EFFORT_NAMES = {
    "screening": "screening a contact",
    "initial_assessment": "an initial assessment",
    "core_assessment": "a core assessment",
    "single_assessment": "a single assessment",
    "s47_enquiry": "a section 47 enquiry",
    "strategy_discussion": "a strategy discussion",
    "handover": "a handover",
}

#: The words for a field's choices, where the value itself is not plain.
CHOICE_WORDS: dict[str, str] = {
    "skill_matched": "by skill (each tier to the grades that may hold it)",
    "joint": "jointly (high-risk work to an assistant with a qualified co-worker)",
    "hard": "hard (never allocated over the cap)",
    "soft": "soft (over the cap after a wait, within a limit)",
    **ELIGIBILITY_NAMES,
}

_GRADE_COLUMNS = {
    "caseload_cap": "caseload cap (points)",
    "fte": "FTE of a post",
    "casework_share": "share of time for casework",
    "weekly_hours": "weekly hours",
}


def field_label(path: str) -> str:
    """A field in a planner's words ('North team: social workers (posts)'); a field without
    words of its own is named by its section and its name ('Training: days a year')."""
    parts = path.split(".")
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    if parts[:2] == ["workforce", "teams"] and len(parts) >= 3:
        team = f"{team_label(parts[2])} team"
        rest = parts[3:]
        if not rest:
            return team
        if rest == ["staff"]:
            return f"{team}: posts"
        if rest[0] == "staff" and len(rest) == 2:
            return f"{team}: {grade_label(rest[1]).lower()} (posts)"
        if rest == ["tiers"]:
            return f"{team}: work it holds"
    if parts[:2] == ["pathway", "after_first_assessment"] and len(parts) == 3:
        return f"{tier_label(parts[2])} referrals: what follows the first assessment"
    if parts[:2] == ["pathway", "effort"] and len(parts) == 4 and parts[3] == "mean_hours":
        return f"{_EFFORT_NAMES.get(parts[2], _spoken(parts[2])).capitalize()}: mean effort"
    if parts[:2] == ["workforce", "grades"] and len(parts) == 4:
        return f"{grade_label(parts[2])}: {_GRADE_COLUMNS.get(parts[3], _spoken(parts[3]))}"
    if parts[:2] == ["workforce", "case_weights"] and len(parts) == 3:
        return f"{tier_label(parts[2])}: caseload points a case counts for"
    if parts[:2] == ["workforce", "eligibility"] and len(parts) == 4:
        return f"{grade_label(parts[2])} holding {TIER_NAMES.get(parts[3], parts[3])} work"
    if len(parts) >= 2:
        section = title_from_name(parts[-2])
        return f"{section}: {_spoken(parts[-1])}"
    return title_from_name(path)


def count_words(path: str, count: Any) -> str:
    """A number of posts as a reader says it ('12 social workers in the North team'); any other
    field as its label and value ('Duty workers screening contacts: 12')."""
    parts = path.split(".")
    if parts[:2] == ["workforce", "teams"] and len(parts) == 5 and parts[3] == "staff":
        posts = f"{value_words(count)} {_grade_count(parts[4], count)}"
        return f"{posts} in the {team_label(parts[2])} team"
    return f"{field_label(path)}: {value_words(count)}"


def field_unit(path: str) -> str:
    """The unit of a field's number ('' for none): 'working days a year', '%', 'points'."""
    parts = path.split(".")
    if parts[:2] == ["workforce", "grades"] and len(parts) == 4:
        return _GRADE_UNITS.get(parts[3], "")
    if parts[:2] == ["workforce", "case_weights"]:
        return "points"
    if parts[:2] == ["pathway", "effort"] and parts[-1] == "mean_hours":
        return "hours"
    return FIELD_UNITS.get(path, "")


def field_value_words(path: str, value: Any) -> str:
    """A field's value in words with its unit ('25 working days a year', '60%')."""
    words = value_words(value)
    unit = field_unit(path)
    if not unit or isinstance(value, bool) or not isinstance(value, int | float):
        return words
    if unit.startswith("£"):
        pounds = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
        return f"£{pounds}{unit[1:]}"  # '£28,740 a year', '£207.20 a working day'
    if unit.startswith("%"):
        return f"{words}{unit}"
    return f"{words} {unit}"


def value_words(value: Any) -> str:
    """A field's value as a reader says it: a choice in words, tiers by name, posts by grade
    ('1 team manager, 9 social workers'), and '—' for none."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return CHOICE_WORDS.get(value, TIER_NAMES.get(value, value))
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(item) for item in value) or "none"
    if isinstance(value, dict):
        if value and set(value) <= set(GRADES):
            return _posts(value)
        return "; ".join(f"{_field_words(key)} {value_words(item)}" for key, item in value.items())
    return str(value)


def _posts(staff: dict[str, Any]) -> str:
    held = [(grade, staff[grade]) for grade in GRADES if staff.get(grade)]
    if not held:
        return "no posts"
    return ", ".join(f"{value_words(count)} {_grade_count(grade, count)}" for grade, count in held)


def _grade_count(grade: str, count: Any) -> str:
    name = GRADE_NAMES.get(grade, grade)
    return name if count == 1 else name + "s"


#: The keys of a table value, in words, where the key itself is not plain.
_KEY_WORDS = {
    "staff": "posts",
    "tiers": "work it holds",
    "nfa": "no further action",
    "cin": "child in need",
    "core": "core assessment",
    "s47": "section 47 enquiry",
}


def _field_words(key: str) -> str:
    return _KEY_WORDS.get(key, TIER_NAMES.get(key, _spoken(key))) + ":"


def _spoken(name: str) -> str:
    return name.replace("_", " ")
