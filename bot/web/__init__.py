"""The web dashboard: HTML pages, JSON API, /metrics and /healthz."""
