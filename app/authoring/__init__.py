"""Journeys as marketers and teams write them: the journey use cases (service: import, save, publish, pause,
archive; a published version is never changed), one tab's draft editing session with undo (draft_editor), journeys
as code (apply, cli) and the skip estimate before publish (reach). The builder's UI lives in app/pages/builder/.
"""
