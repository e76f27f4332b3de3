"""Texts of the ``fieldaudit evidence`` commands.

They live here, in the evidence area, so they are extracted into ``evidence.po`` with the
rest of the evidence messages (``app/cli`` belongs to the core catalogue).
"""

from __future__ import annotations

from app.i18n import N_

GROUP = N_("photos, documents and audio notes of an audit")
ADD = N_("import files as evidence (encrypted on this device)")
AUDIT_ID = N_("audit id")
ITEM = N_("checklist item the evidence supports")
FINDING = N_("finding the evidence supports")
CAPTION = N_("caption for every imported file")
SENSITIVE = N_("mark as sensitive (personal data)")
LIST = N_("list the evidence of an audit")
EXPORT = N_("write a decrypted, re-verified copy of an evidence file")
IDENT = N_("content hash (or evidence id)")
OUT = N_("where to write the copy")
STRIP = N_("remove location (gps) or all photo metadata from the copy")
FORCE = N_("replace FILE if it exists")
ANNOTATE = N_("draw on a photo; the result is new evidence")
PHOTO = N_("evidence id or content hash of the photo")
SHAPES = N_("annotation file (shapes)")
ANNOTATED_CAPTION = N_("caption of the annotated copy")
IMPORTED = N_("Imported {count} of {total} files.")
CANCELLED = N_("Cancelled: files not yet imported were left out completely.")
NONE_YET = N_("No evidence in this audit yet.")
WROTE = N_("Wrote {path} ({size}); its content matches the recorded hash.")
CREATED = N_("Created annotated evidence {ident} ({sha256}).")
