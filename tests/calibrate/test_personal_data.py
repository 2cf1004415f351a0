"""What a problem text may quote: dates, short numbers and placeholders, never what might be a
name, an address or a long identifier."""

from __future__ import annotations

import pytest

from caseload_sim.calibrate.personal_data import BIRTH, NOT_SHOWN, PERSONAL, described, quoted


@pytest.mark.parametrize(
    "text",
    [
        "01/02/2010",
        "31/02/2010",
        "2010-02-31",
        "01.02.10 12:00",
        "1 Feb 2010",
        "February 2010",
        "12:30",
        "#N/A",
        "#REF!",
        "Unknown",
        "not known",
        "N/A",
        "TBC",
        "null",
        "Yes",
        "n",
        "?",
        "--",
        "0",
        "-5",
        "12345",
        "2.5",
        "1,234",
    ],
)
def test_values_that_cannot_be_personal_data_are_quoted(text: str) -> None:
    assert quoted(text) == f"'{text}'"
    assert described(text) == f"value '{text}'"


@pytest.mark.parametrize(
    "text",
    [
        "Zebedee",
        "Quixotic-Farthingale",
        "42 Privet Drive",
        "ZZ9 9ZZ",
        "123456",  # a case-system person id
        "943 476 5919",  # an NHS number
        "07700900123",  # a phone number
        "01/02/2010" * 5,  # too long to be one value
    ],
)
def test_values_that_might_be_personal_data_are_only_described(text: str) -> None:
    assert quoted(text) is None
    assert described(text) == f"the value ({NOT_SHOWN})"


def test_personal_headings_are_known_so_that_they_can_be_skipped() -> None:
    assert {"forename", "surname", "address", "postcode", "nhs number"} <= PERSONAL
    assert {"date of birth", "dob", "d o b"} == BIRTH
