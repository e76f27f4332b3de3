"""Standalone verifier of exported audit trails: ``python -m app.verify PACKAGE``.

Imports only the standard library, ``cryptography`` and ``gmssl`` — plus ``asn1crypto`` for packages that
carry RFC 3161 time-stamps (:mod:`app.verify.timestamp`) — never another part of ``app``, so a third
party can check a trail package with these few files; see docs/trail-verification.md.
"""
