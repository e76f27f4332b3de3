"""Adjustment factors of IAF MD 5:2019 (Annex C for QMS/EMS, Annex D for OH&S) and their labels.

A certification body adjusts the table time up or down for documented reasons; each factor
carries a translatable label so the explanation reads in the user's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from app.errors import ValidationFailed
from app.i18n import N_
from app.planning.md5_tables import System


class Factor(StrEnum):
    COMPLEX_LOGISTICS = "complex_logistics"
    LANGUAGES = "languages"
    LARGE_SITE = "large_site"
    REGULATION = "regulation"
    WIDE_SCOPE = "wide_scope"
    TEMPORARY_SITES = "temporary_sites"
    SENSITIVE_ENVIRONMENT = "sensitive_environment"
    HIGH_RISK = "high_risk"
    NO_DESIGN = "no_design"
    SMALL_SITE = "small_site"
    MATURITY = "maturity"
    PRIOR_KNOWLEDGE = "prior_knowledge"
    AUTOMATION = "automation"
    OFF_SITE_STAFF = "off_site_staff"
    LOW_RISK = "low_risk"
    OTHER = "other"


FACTOR_LABELS = {
    Factor.COMPLEX_LOGISTICS: N_("complicated logistics (more than one building or location)"),
    Factor.LANGUAGES: N_("personnel speak more than one language (interpreters needed)"),
    Factor.LARGE_SITE: N_("a very large site for the number of personnel"),
    Factor.REGULATION: N_("a high degree of regulation"),
    Factor.WIDE_SCOPE: N_("many, very different activities in the scope"),
    Factor.TEMPORARY_SITES: N_("activities that need visits to temporary sites"),
    Factor.SENSITIVE_ENVIRONMENT: N_("a sensitive receiving environment"),
    Factor.HIGH_RISK: N_("high-risk processes or hazards"),
    Factor.NO_DESIGN: N_("no design responsibility or other requirements outside the scope"),
    Factor.SMALL_SITE: N_("a very small site for the number of personnel"),
    Factor.MATURITY: N_("a mature management system"),
    Factor.PRIOR_KNOWLEDGE: N_("prior knowledge of the client's management system"),
    Factor.AUTOMATION: N_("a high level of automation"),
    Factor.OFF_SITE_STAFF: N_("most personnel work off-site (e.g. drivers, sales)"),
    Factor.LOW_RISK: N_("low-risk processes or products"),
    Factor.OTHER: N_("another documented reason"),
}

MAX_ABS_PERCENT = 100.0


@dataclass(frozen=True)
class Adjustment:
    """``percent`` > 0 adds time, < 0 removes it; ``system`` None applies to every system."""

    percent: float
    factor: Factor = Factor.OTHER
    reason: str = ""
    system: System | None = None

    def validated(self) -> Adjustment:
        if not math.isfinite(self.percent) or abs(self.percent) > MAX_ABS_PERCENT or self.percent == 0:
            raise ValidationFailed(
                N_("An adjustment must be a non-zero percentage between −100% and +100%, not {percent}."),
                percent=self.percent)
        if self.factor is Factor.OTHER and not self.reason.strip():
            raise ValidationFailed(N_("An adjustment of {percent}% needs a reason."), percent=self.percent)
        return self
