"""Who has room: the least-loaded eligible worker, found without walking every worker.

Allocation asks, at every attempt, for the worker with the lowest caseload relative to their cap
(then the lowest post number) among those who may hold a tier and have room for a case. The
workers of one team and grade with the same cap may hold the same tiers, and among them the
least loaded is the one with the most room: if they have no room, nobody in the group has. So
each such group keeps its members in a heap by relative load, and a question looks only at the
top of each group that may hold the tier (a handful, however many workers there are).

A heap is brought up to date lazily: a change of load adds the worker's new entry, and an entry
whose load is no longer the worker's is dropped when it reaches the top. The groups are made
again whenever the board takes up new rules or posts (a change of cap, grade, team or holder).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseload_sim.model.worktime import Worker

ROOM_TOLERANCE = 1e-9

#: (relative load, post number, load, worker): the order of "least loaded", and what the entry
#: was made from
_Entry = tuple[float, int, float, "Worker"]


class CapGroup:
    """Workers of one team and grade with the same cap, least loaded first."""

    __slots__ = ("cap", "members", "_heap")

    def __init__(self, cap: float, members: list[Worker]) -> None:
        self.cap = cap
        self.members = members
        self._heap: list[_Entry] = [(w.load / cap, w.index, w.load, w) for w in members]
        heapq.heapify(self._heap)

    def load_changed(self, worker: Worker) -> None:
        heap = self._heap
        load = worker.load
        heapq.heappush(heap, (load / self.cap, worker.index, load, worker))
        if len(heap) > 4 * len(self.members) + 16:
            # Most entries are out of date: keep one per member.
            self._heap = [(w.load / self.cap, w.index, w.load, w) for w in self.members]
            heapq.heapify(self._heap)

    def least_loaded(self, other_than: Worker | None) -> Worker | None:
        """The member with the lowest relative load (then post number), but ``other_than``."""
        heap = self._heap
        while heap:
            top = heap[0]
            worker = top[3]
            if top[2] != worker.load:
                heapq.heappop(heap)  # an entry from before the worker's load changed
                continue
            if worker is other_than:
                return _least_of(self.members, other_than)
            return worker
        return None


def _least_of(members: list[Worker], other_than: Worker) -> Worker | None:
    others = [worker for worker in members if worker is not other_than]
    if not others:
        return None
    return min(others, key=lambda worker: (worker.load / worker.caseload_cap, worker.index))


class Eligible(list["Worker"]):
    """The workers who may lead (or co-work) a tier, as a list, and the groups they form."""

    def __init__(self, groups: list[CapGroup]) -> None:
        super().__init__(worker for group in groups for worker in group.members)
        self.groups = groups


def least_loaded_with_room(
    workers: list[Worker], weight: float, cap_factor: float, other_than: Worker | None = None
) -> Worker | None:
    """The least-loaded of ``workers`` (but ``other_than``) with room for ``weight`` under
    ``cap_factor`` times their cap, if any: from the groups' heaps when ``workers`` is the
    board's :class:`Eligible` list, else by looking at each."""
    groups = getattr(workers, "groups", None)
    if groups is None:
        return _scan(workers, weight, cap_factor, other_than)
    # The least loaded of each group is the one of them with the most room (one cap).
    firsts = [first for group in groups if (first := group.least_loaded(other_than)) is not None]
    return _scan(firsts, weight, cap_factor, None)


def _scan(
    workers: list[Worker], weight: float, cap_factor: float, other_than: Worker | None
) -> Worker | None:
    best = None
    best_share = 0.0
    # has_room and relative_load, written out: this loop runs at every attempt to allocate.
    for worker in workers:
        if worker is other_than:
            continue
        load = worker.load
        cap = worker.caseload_cap
        if load + weight <= cap * cap_factor + ROOM_TOLERANCE:
            share = load / cap
            if (
                best is None
                or share < best_share
                or (share == best_share and worker.index < best.index)
            ):
                best, best_share = worker, share
    return best
