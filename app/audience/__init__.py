"""Who the contacts are: field validation (contact_fields), consent per channel, CSV import, segments (the
builder's model and the periodic refresh) and the ``contacts``/``segments``/``apikey`` commands (cli).
"""
