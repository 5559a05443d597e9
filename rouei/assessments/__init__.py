"""The assessment page: incident facts in, duties, deadlines, exposure and damage estimate out.

No models: everything lives in services.py and forms.py so that the incident app can reuse them.
"""
