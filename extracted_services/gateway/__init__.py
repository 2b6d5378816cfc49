"""The gateway (port 8100): users and their tokens, routing, the API schema."""
