"""Shop integrations: Shopify and WooCommerce webhooks turned into contacts and Segment e-commerce events.

``receiver`` checks, de-duplicates and logs a delivery; ``shopify`` and ``woocommerce`` map each topic's
payload to Segment-shaped identify/track messages (``people`` names the contact); the messages go through the
tracking API's own ingestion, so consent, segments and the engine's wake-up behave as for SDK events.
"""
