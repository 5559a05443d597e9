"""The documents rouei drafts from an incident (issue 13): one folder per kind under
``kinds/`` (context builder, form-order layout, page template, declared formats), the shared
renderers (``renderers/``: Word, PDF with embedded Japanese fonts, and the CP932 CSV other
parts use), the page under ``/incidents/<id>/documents/`` and ``rouei documents render``."""
