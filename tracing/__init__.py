"""Read the traces that every process of both stacks writes under var/traces/.

``python -m tracing show <trace-id>`` (or ``--last``) prints one as a timeline.
"""
