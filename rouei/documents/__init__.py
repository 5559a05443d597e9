"""Documents rouei produces. For now only the renderers that other parts share (pure Python:
no Django)."""
