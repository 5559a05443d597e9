"""Signals before an incident (苦情・シグナル): complaints, system alerts and internal reports,
recorded with the hearing items of response-practice.md §9, linked to others like them, and
turned into (or joined to) an incident in one step."""
