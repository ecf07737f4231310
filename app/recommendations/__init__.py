"""Recommendations: drafting, revisions, amendments, discussion, support and the workflow."""
