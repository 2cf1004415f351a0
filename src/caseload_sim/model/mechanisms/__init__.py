"""The workforce mechanisms, one module each (see :mod:`.base` for what a mechanism is).

:data:`ORDER` is the order in which the front door builds them and calls their hooks. It matters
where two take part at the same point: training is booked with the practitioners in post before
workforce flow leaves some posts vacant at the start; the record of a piece of work is owed
before the assessment is rated; supervisees are dealt to the managers before posts turn over.
"""

from caseload_sim.model.mechanisms import (  # noqa: F401  (imported to register them)
    absence,
    flow,
    quality,
    recording,
    sign_off,
    supervision,
    training,
)
from caseload_sim.model.mechanisms.base import Factory, Mechanism, factories, mechanism

#: The mechanisms in the order they are built and their hooks called.
ORDER = ("absence", "sign_off", "recording", "training", "quality", "supervision", "flow")


def in_order() -> list[tuple[str, Factory]]:
    """Every registered mechanism's factory by name: those of :data:`ORDER` in that order, then
    any registered since (by an example or a test), as they were registered."""
    registered = factories()
    named = [name for name in ORDER if name in registered]
    return [
        (name, registered[name]) for name in [*named, *(n for n in registered if n not in ORDER)]
    ]


__all__ = ["ORDER", "Factory", "Mechanism", "factories", "in_order", "mechanism"]
