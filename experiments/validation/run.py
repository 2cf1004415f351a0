"""Validation of caseload_sim against queueing theory; writes docs/validation.md.

    .venv/bin/python experiments/validation/run.py [--replications 20] [--jobs 2]

The M/M/c reduction of the model (scenarios/validation/mmc.toml) is run at several loads and
compared with Erlang C, the non-preemptive priority M/M/c formulas (Cobham 1954), the M/M/1 time
in system and Little's law, each against a 95% confidence interval over independent replications.
"""

from __future__ import annotations

import argparse
import math
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from caseload_sim.analytic import (
    erlang_c,
    mm1_mean_sojourn,
    mmc_mean_wait,
    mmc_priority_mean_waits,
)
from caseload_sim.experiment.statistics import t_interval
from caseload_sim.metrics.catalogue import compute_kpis
from caseload_sim.model.frontdoor import simulate
from caseload_sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
MMC = ROOT / "scenarios" / "validation" / "mmc.toml"
SEED = 2010


def measure(overrides: list[str], replication: int) -> dict[str, float]:
    """KPIs of one replication, plus the share of referrals that waited at all."""
    scenario = load_scenario(MMC, overrides)
    result = simulate(scenario, SEED, replication)
    kpis = compute_kpis(result)
    start, end = result.measured_from, result.measured_to
    cases = result.cases
    allocated = (cases.allocated_at >= start) & (cases.allocated_at <= end)
    waits = cases.allocated_at[allocated] - cases.queued_at[allocated]
    kpis["waited_share"] = float((waits > 1e-12).sum() / allocated.sum())
    arrivals = float(((cases.queued_at >= start) & (cases.queued_at <= end)).sum()) / (end - start)
    waited = arrivals * kpis["referral_to_allocation_days_mean"]
    kpis["little_ratio"] = kpis["unallocated_referrals_mean"] / waited if waited else math.nan
    return kpis


CASES = [
    # (label, overrides, [(quantity, kpi, analytic value)])
    (
        "M/M/10, rho 0.9 (lambda 9/day, mu 1/day)",
        [
            "demand.contacts_per_working_day=9",
            "workforce.teams.validation.staff.sw=10",
            "simulation.horizon_days=10000",
            "simulation.warmup_days=500",
        ],
        [
            (
                "mean wait in queue (days), Erlang C",
                "referral_to_allocation_days_mean",
                mmc_mean_wait(9, 1, 10),
            ),
            ("probability of waiting, Erlang C", "waited_share", erlang_c(10, 9.0)),
            ("worker utilisation (%)", "worker_utilisation_pct", 90.0),
            ("L / (lambda W), Little's law", "little_ratio", 1.0),
        ],
    ),
    (
        "M/M/5, rho 0.8 (lambda 4/day, mu 1/day)",
        [
            "demand.contacts_per_working_day=4",
            "workforce.teams.validation.staff.sw=5",
            "simulation.horizon_days=10000",
            "simulation.warmup_days=500",
        ],
        [
            (
                "mean wait in queue (days), Erlang C",
                "referral_to_allocation_days_mean",
                mmc_mean_wait(4, 1, 5),
            ),
            ("probability of waiting, Erlang C", "waited_share", erlang_c(5, 4.0)),
            ("L / (lambda W), Little's law", "little_ratio", 1.0),
        ],
    ),
    (
        "priority M/M/10, rho 0.9, two tiers of 4.5/day",
        [
            "demand.contacts_per_working_day=9",
            "workforce.teams.validation.staff.sw=10",
            "demand.tier_mix.child_protection=0.5",
            "demand.tier_mix.child_in_need=0.5",
            "simulation.horizon_days=10000",
            "simulation.warmup_days=500",
        ],
        [
            (
                "wait, child protection (class 1), Cobham",
                "referral_to_allocation_child_protection_days_mean",
                mmc_priority_mean_waits([4.5, 4.5], 1, 10)[0],
            ),
            (
                "wait, child in need (class 2), Cobham",
                "referral_to_allocation_child_in_need_days_mean",
                mmc_priority_mean_waits([4.5, 4.5], 1, 10)[1],
            ),
        ],
    ),
    (
        "M/M/1 through the effort mechanism, rho 0.8 (one worker, cap far above the queue)",
        [
            "demand.contacts_per_working_day=0.8",
            "workforce.teams.validation.staff.sw=1",
            "workforce.grades.sw.caseload_cap=100000",
            "simulation.horizon_days=20000",
            "simulation.warmup_days=1000",
        ],
        [
            (
                "time in system (days), 1/(mu - lambda)",
                "referral_to_assessment_days_mean",
                mm1_mean_sojourn(0.8, 1),
            )
        ],
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "validation.md")
    args = parser.parse_args()
    began = time.perf_counter()
    rows = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for label, overrides, checks in CASES:
            runs = list(
                pool.map(measure, [overrides] * args.replications, range(args.replications))
            )
            for quantity, kpi, analytic in checks:
                ci = t_interval([run[kpi] for run in runs])
                inside = ci["ci95_low"] <= analytic <= ci["ci95_high"]
                error = 100 * (ci["mean"] - analytic) / analytic
                rows.append(
                    f"| {label} | {quantity} | {analytic:.4f} | {ci['mean']:.4f} | "
                    f"{ci['ci95_low']:.4f} to {ci['ci95_high']:.4f} | {error:+.2f}% | "
                    f"{'yes' if inside else 'NO'} |"
                )
                print(rows[-1], flush=True)
    elapsed = time.perf_counter() - began
    text = (
        f"""# Validation against queueing theory

Generated by `.venv/bin/python experiments/validation/run.py --replications {args.replications}
--jobs {args.jobs}` ({elapsed:.0f} s on {platform.python_implementation()}
{platform.python_version()}, {platform.machine()}); do not edit by hand.

Stripped down to one stage (the initial assessment), one grade, caseload cap 1, exponential
effort and a 24/7 continuous calendar (`scenarios/validation/mmc.toml`), the model is an M/M/c
queue: the wait for allocation is the wait in queue and the worker's effort is the service. With
two risk tiers it is a non-preemptive priority M/M/c queue, because waiting referrals are
allocated by tier and then by waiting time. With one worker and a cap far above the queue, the
worker holds every referral at once and works on the most urgent (earliest deadline, which keeps
arrival order), so the time from referral to completed assessment is the M/M/1 time in system:
a direct check of how the model spends effort.

Each row compares the analytic value with the mean over {args.replications} independent
replications (seed {SEED}, replications 0 to {args.replications - 1}) and its Student-t 95%
confidence interval; KPIs are measured after the warm-up. The formulas are those of
`src/caseload_sim/analytic.py` (Erlang B by the stable recursion, Erlang C, Cobham's
non-preemptive priority waits, M/M/1) and the probability of waiting is the share of referrals
allocated in the measured period that waited at all. Little's law is checked as the ratio of the
time-average unallocated queue to the arrival rate times the mean wait. The test suite
(`tests/validation/`) repeats shorter versions of these checks against 99% intervals.

| queue | quantity | analytic | simulated mean | 95% CI | error | inside CI |
|---|---|---|---|---|---|---|
"""
        + "\n".join(rows)
        + "\n"
    )
    args.out.write_text(text)
    print(f"wrote {args.out} in {elapsed:.0f} s")


if __name__ == "__main__":
    main()
