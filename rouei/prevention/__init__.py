"""The recurrence-prevention plan (再発防止策) of an incident: measures with an owner, a due
date and a KPI, their progress, the summary a company publishes, and item 8 of the PPC report."""
