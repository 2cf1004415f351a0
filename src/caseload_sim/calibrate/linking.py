"""Linking one child's records across lists: an assessment or an enquiry to the referral that
began it.

Annex A lists share only the child's id, so an assessment (list 4) or a section 47 enquiry
(list 5) is linked to the latest referral (list 3) of the same child on or before it, within 12
months.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def link_to_referral(
    referrals: pd.DataFrame, later: pd.DataFrame, referral_date: str, later_date: str
) -> pd.DataFrame:
    """Each row of ``later`` (assessments or enquiries) joined to the latest row of
    ``referrals`` of the same child on or before it, within 12 months; rows with no such
    referral are left out.

    Both tables have ``child_id`` and their own date column (``referral_date``, ``later_date``).
    """
    import pandas as pd

    later = later.dropna(subset=[later_date]).sort_values(later_date)
    referrals = referrals.dropna(subset=[referral_date]).sort_values(referral_date)
    joined = pd.merge_asof(
        later,
        referrals,
        left_on=later_date,
        right_on=referral_date,
        by="child_id",
        direction="backward",
        tolerance=pd.Timedelta(days=365),
    )
    return joined.dropna(subset=[referral_date])
