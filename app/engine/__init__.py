"""The journey engine: walking contacts through published graphs (engine), its use cases for the API and the
builder (service), scheduled and date entries (entries), A/B winners (experiments) and the quarantine of rows that
cannot be processed.
"""
