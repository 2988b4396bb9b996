"""Who may do what: accounts and passwords (auth), roles and page rules (policy), the re-check at every click
(guard), the audit log, API keys and tokens (api_keys), derived keys, encrypted secrets and signed links.
"""
