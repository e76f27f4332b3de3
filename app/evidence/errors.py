"""Errors a user can meet while capturing, reading or exporting evidence."""

from __future__ import annotations

from app.errors import FieldAuditError, SecurityError
from app.i18n import N_, gettext


class _DetailTranslated(FieldAuditError):
    """``detail`` is itself a message id (which check failed): it is translated when shown too."""

    def __str__(self) -> str:
        params = dict(self.params)
        if "detail" in params:
            params["detail"] = gettext(str(params["detail"]))
        try:
            return gettext(self.template).format(**params)
        except (KeyError, IndexError, ValueError):
            return gettext(self.template)


class EvidenceError(_DetailTranslated):
    message = N_("The evidence could not be processed.")


class BadEvidencePath(EvidenceError):
    message = N_("{path}: the path contains '..'; give the file's own path without '..'.")


class BadFileName(EvidenceError):
    message = N_("{path}: the file name is not valid UTF-8 text; rename the file and try again.")


class NotAFile(EvidenceError):
    message = N_("{path}: there is no readable file at this path.")


class EmptyFile(EvidenceError):
    message = N_("{path}: the file is empty (0 bytes); nothing was imported.")


class FileTooLarge(EvidenceError):
    message = N_("{path}: the file is too large ({size} MB; at most {limit} MB).")


class UnsupportedType(EvidenceError):
    message = N_("{path}: this kind of file ({detail}) cannot be used as evidence. Supported: photos "
                 "(JPEG, PNG, HEIC), PDF, Word and Excel documents, plain text, audio and video.")


class DisguisedFile(EvidenceError):
    message = N_("{path}: the name ends in .{extension} but the content is {detail}; "
                 "this file cannot be used as evidence.")


class CorruptFile(EvidenceError):
    message = N_("{path}: the file is damaged or incomplete ({detail}); nothing was imported.")


class ImageTooLarge(EvidenceError):
    message = N_("{path}: the image is too large ({width} × {height} pixels; at most {limit} megapixels). "
                 "It may be a decompression bomb; nothing was imported.")


class DiskFull(EvidenceError):
    message = N_("The disk is full: the evidence was not saved. Free some space and try again.")


class VaultDamaged(_DetailTranslated, SecurityError):
    message = N_("Evidence file {sha256} in the vault was changed or damaged ({detail}).")


class BlobMissing(EvidenceError):
    message = N_("The evidence file {sha256} is not on this device.")
    exit_code = 1


class BadAnnotation(EvidenceError):
    message = N_("The annotation cannot be drawn: {detail}")


class NotAnImage(EvidenceError):
    message = N_("Only photos can be annotated; {sha256} is {media_type}.")


class UnknownEvidence(EvidenceError):
    message = N_("No evidence with hash or id {ident} in this profile.")
    exit_code = 1


class OutputExists(EvidenceError):
    message = N_("{path} already exists; choose another file name.")
