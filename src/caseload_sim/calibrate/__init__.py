"""Calibration from a council's own data: Ofsted ILACS Annex A lists to a runnable scenario."""
