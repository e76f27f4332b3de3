"""Errors a user can meet while moving a finding through its lifecycle."""

from __future__ import annotations

from app.errors import FieldAuditError
from app.i18n import N_, gettext


class FindingsError(FieldAuditError):
    message = N_("The finding cannot be changed.")

    def __str__(self) -> str:
        # Parameters named *_label are message ids themselves (a state, a role, a field): translate them too.
        params = {key: gettext(str(value)) if key.endswith("_label") else value
                  for key, value in self.params.items()}
        try:
            return gettext(self.template).format(**params)
        except (KeyError, IndexError, ValueError):
            return gettext(self.template)


class TransitionNotAllowed(FindingsError):
    message = N_("A finding in the state “{state_label}” cannot be moved with “{action_label}”.")


class WrongRole(FindingsError):
    message = N_("Only the {allowed_label} may “{action_label}” a finding.")


class NotOnTeam(FindingsError):
    message = N_("{actor} is a {team_label} on this audit and cannot act as {role_label}.")


class FieldRequired(FindingsError):
    message = N_("“{action_label}” needs: {field_label}.")


class FieldNotOwned(FindingsError):
    message = N_("The field “{field_label}” belongs to the {owner_label}; the {role_label} cannot change it.")


class StateFieldProtected(FindingsError):
    message = N_("The state of a finding changes only through its lifecycle actions.")


class ContentLocked(FindingsError):
    message = N_("The finding is “{state_label}”: its statement and evidence can only be revised after the "
                 "lead auditor reopens it.")


class BadDueDate(FindingsError):
    message = N_("The due date {value} is not a date in the form YYYY-MM-DD.")


class UnknownAction(FindingsError):
    message = N_("{action} is not a finding action. Known actions: {known}.")


class UnknownRole(FindingsError):
    message = N_("{role} is not a role for findings. Known roles: {known}.")


class PolicyInvalid(FindingsError):
    message = N_("The deadline settings are not valid: {detail}")
