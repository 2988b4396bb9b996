"""Conversations: two-way SMS and in-app chat between contacts and journeys, the FAQ bot or people.

``inbound`` receives a contact's message (webhooks, the chat API) and turns it into a ``message.received``
event; ``outbound`` answers on the conversation's channel under the consent rules; ``intent`` asks the FAQ
matcher what a message is about; ``webhooks`` checks the providers' signatures.
"""
