"""Product recommendations: the catalogue (from shop events and CSV imports) and each contact's list."""
