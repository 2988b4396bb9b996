"""GDPR rights for one contact: export, erasure and blocking re-creation (gdpr), and the ``gdpr`` commands (cli)."""
