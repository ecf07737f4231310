"""Meetings of the subgroup: list and detail (planning and live mode come with their issue)."""
