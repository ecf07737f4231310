"""The dashboard, health checks and the language switch."""
