"""Seeded, named random streams: one per purpose, for common random numbers.

Each stream is a PCG64 generator whose ``SeedSequence`` is derived from the scenario seed, the
replication index and the stream's fixed number below, never from the order in which streams are
requested or from the process that runs the replication. Two scenarios run on one seed therefore
see the same contacts and the same case attributes even when their staffing differs, and a
replication gives the same numbers whatever ``--jobs`` is.
"""

from __future__ import annotations

import numpy as np

#: Fixed stream numbers. Append new purposes; never renumber, or old results stop reproducing.
STREAMS: dict[str, int] = {
    "arrivals": 0,  # contact arrival counts and times
    "attributes": 1,  # conversion, tier, complexity, re-referral of each contact
    "effort": 2,  # worker hours each piece of work needs
    "outcomes": 3,  # what each assessment and enquiry leads to
    "partners": 4,  # police availability
    "re_referrals": 5,  # attributes of a closed case that comes back
    "history": 6,  # re-referrals of children whose earlier case closed before the run began
    "initial": 7,  # cases already open when the run starts
    "absence": 8,  # each worker's leave and sickness (keyed by worker)
    "quality": 9,  # whether each assessment is adequate
    "workforce": 10,  # vacancies at the start, leavers, agency cover, the newly qualified
}

SEED_SCHEME = "numpy PCG64; SeedSequence(seed, spawn_key=(replication, stream[, child, episode]))"


def seed_sequence(seed: int, replication: int, stream: str, *key: int) -> np.random.SeedSequence:
    """The seed sequence of one named stream of one replication (optionally sub-keyed)."""
    if stream not in STREAMS:
        raise KeyError(f"unknown random stream {stream!r}; known: {', '.join(STREAMS)}")
    return np.random.SeedSequence(seed, spawn_key=(replication, STREAMS[stream], *key))


def generator(seed: int, replication: int, stream: str, *key: int) -> np.random.Generator:
    """A PCG64 generator for one named stream of one replication."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, stream, *key)))


class RandomStreams:
    """The named generators of one replication."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication
        self._generators: dict[str, np.random.Generator] = {}

    def __getitem__(self, stream: str) -> np.random.Generator:
        found = self._generators.get(stream)
        if found is None:
            found = self._generators[stream] = generator(self.seed, self.replication, stream)
        return found

    def keyed(self, stream: str, *key: int) -> np.random.Generator:
        """A generator for one item of a stream (for example one child's later episode)."""
        return generator(self.seed, self.replication, stream, *key)
