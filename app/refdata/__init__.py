"""Reference data and automatic code checks (USCC, regions, industries, scope codes, clauses).

Datasets load lazily on first use (see ``app.refdata.data``); importing this
package reads no file.
"""

from app.refdata.catalogues import (
    Clause,
    canonical_standard,
    catalogue,
    check_clause,
    clause,
    clause_title,
    corresponding,
    format_ref,
    leaf_clauses,
    parse_ref,
    standards,
)
from app.refdata.checklists import (
    ChecklistDraft,
    ChecklistTemplate,
    build_checklist_items,
    covered_pairs,
    install_template,
    instantiate_checklist,
    load_template,
    missing_items,
)
from app.refdata.industries import Industry, check_industry, industry, industry_name
from app.refdata.regions import Region, check_region, region, region_name
from app.refdata.scope_codes import check_iaf, extend_finer_codes, iaf_name
from app.refdata.search import SearchHit, search
from app.refdata.uscc import check_uscc
from app.refdata.verdict import CodeVerdict, Reason

CHECKS = {"uscc": check_uscc, "region": check_region, "industry": check_industry, "iaf": check_iaf}

__all__ = [
    "CHECKS",
    "ChecklistDraft",
    "ChecklistTemplate",
    "Clause",
    "CodeVerdict",
    "Industry",
    "Reason",
    "Region",
    "SearchHit",
    "build_checklist_items",
    "canonical_standard",
    "catalogue",
    "check_clause",
    "check_iaf",
    "check_industry",
    "check_region",
    "check_uscc",
    "clause",
    "clause_title",
    "corresponding",
    "covered_pairs",
    "extend_finer_codes",
    "format_ref",
    "iaf_name",
    "industry",
    "industry_name",
    "install_template",
    "instantiate_checklist",
    "leaf_clauses",
    "load_template",
    "missing_items",
    "parse_ref",
    "region",
    "region_name",
    "search",
    "standards",
]
