"""The pure domain core of Parcours: journey documents, node types, validation, conditions, Liquid.

Nothing in this package touches the UI, a database or the network.
"""
