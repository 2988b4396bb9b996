"""What steps share: the data a step sees and decides (``types``) and the message sender (``message``).

Each node type's own step function lives in its module under ``journeys/nodes`` (``NodeSpec.step``); the runner
finds it through the node registry. Steps are pure and deterministic: same inputs, same decision.
"""
