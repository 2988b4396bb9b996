"""The demo workspace: seeded sample data (data), loading every template with contacts and events (workspace),
and the live demo's simulated traffic (live).
"""
