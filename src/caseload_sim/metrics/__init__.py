"""Measuring a run: the event log, KPIs and time series."""
