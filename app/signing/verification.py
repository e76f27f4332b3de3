"""``fieldaudit verify``: every signature and countersignature, signed content and signed report files."""

from __future__ import annotations

from app.i18n import N_
from app.services.session import Session
from app.services.verification import CheckResult, register_check
from app.signing.keys import foreign_keys
from app.signing.messages import describe
from app.signing.status import signature_problems

COPIED_KEY = N_("The signing key {key} in this profile belongs to device {owner}, not to this device "
                "({device}): it was copied here.")
SIGNATURE_PROBLEM = N_("{detail}")


@register_check
def check_signatures(session: Session) -> CheckResult:
    store = session.store
    copied = foreign_keys(store)
    if copied:
        return CheckResult("signatures", False, problem=COPIED_KEY,
                           problem_params={"key": copied[0].key_id, "owner": copied[0].device_id,
                                           "device": store.device_id})
    count = store.signatures.count()
    errors = [problem for problem in signature_problems(store) if not problem.warning]
    if not errors:
        return CheckResult("signatures", True, checked=count)
    first = errors[0]
    return CheckResult("signatures", False, checked=count, problem=SIGNATURE_PROBLEM,
                       problem_params={"detail": describe(first.code, first.params)})
