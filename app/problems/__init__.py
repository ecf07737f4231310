"""Problem areas (G01-G07), their challenges, and the coverage matrix."""
