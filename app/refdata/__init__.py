"""Reference data and automatic code checks (USCC, regions, industries, scope codes, clauses)."""

from app.refdata.simple_codes import check_iaf, check_industry, check_region
from app.refdata.uscc import check_uscc
from app.refdata.verdict import CodeVerdict, Reason

__all__ = ["CodeVerdict", "Reason", "check_iaf", "check_industry", "check_region", "check_uscc"]
