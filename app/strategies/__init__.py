"""The V4 smart-strategy portal: strategies, their classification, suggestions."""
