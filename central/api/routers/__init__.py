"""One router per resource.

A platform countersignature endpoint (``POST /sync/countersign``: the platform signs a report hash
and returns a ``Signature`` with method ``platform_countersign``) belongs in its own module here.
"""
