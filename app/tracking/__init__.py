"""The tracking API's work: Segment-shaped request bodies (payloads), per-message validation and time rules
(intake), storing accepted messages (service), the live debugger's memory (debug) and the ingestion role's
processes (ingest_server).
"""
