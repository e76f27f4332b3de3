"""Reference central platform of a certification body: the server side of FieldAudit sync.

Imports only ``sync.protocol`` (the wire models) from the rest of the repository.
"""
