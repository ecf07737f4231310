"""Notifications (and, with their issue, digest mail). Listens to the features' events."""
