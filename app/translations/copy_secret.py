"""Strings of the copy button next to a new API key or management token."""

EN = {
    "copysecret.button": "Copy",
    "copysecret.done": "Copied to the clipboard.",
}

FR = {
    "copysecret.button": "Copier",
    "copysecret.done": "Copié dans le presse-papiers.",
}
