"""Application services: flows that combine domain, store and security (no Qt)."""
