"""Measuring a run: the KPIs (declared once in a registry), the periods between dated changes
and the individual waits, all read from the plain run results."""
