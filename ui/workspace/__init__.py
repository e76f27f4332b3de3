"""One audit's workspace: overview, checklist and findings (evidence, plan, sync as they land)."""
