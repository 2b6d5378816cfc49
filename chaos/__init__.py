"""The fault-tolerance lab: break a running stack on a schedule, then audit it.

``python -m chaos --help`` says how to run it; docs/reliability.md says what each
fault does and what each invariant means.
"""
