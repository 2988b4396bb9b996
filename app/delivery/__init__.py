"""How messages leave: the dispatcher (batching, rate limits, retries), the providers, their credentials, the
workspace's delivery policy (quiet hours, frequency caps: workspace, settings_form), webhooks' address checks and
signing key, and tracked links.
"""
