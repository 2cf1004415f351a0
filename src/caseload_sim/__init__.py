"""caseload_sim."""
