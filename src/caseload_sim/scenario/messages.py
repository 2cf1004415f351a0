"""Pydantic's validation messages in the project's words, for errors a planner can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

# Problems raised by the schema's own checks, whose messages already say what is wrong.
_SELF_EXPLAINED = frozenset({"value_error", "assertion_error"})


def plain_message(message: str) -> str:
    """Pydantic's message without its prefixes, in the project's words."""
    return message.removeprefix("Value error, ").replace("Input should be", "allowed:")


def plain_problem(problem: ErrorDetails) -> str:
    """One problem's plain message, with the value given where the message does not say it."""
    message = plain_message(problem["msg"])
    if "input" in problem and problem["type"] not in _SELF_EXPLAINED:
        message += f" (got {problem['input']!r})"
    return message


def problems_in_words(error: ValidationError) -> str:
    """Pydantic's problems as 'field: message' phrases (the field omitted at the top level)."""
    phrases = []
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem["loc"])
        message = plain_problem(problem)
        phrases.append(f"{field}: {message}" if field else message)
    return "; ".join(phrases)
