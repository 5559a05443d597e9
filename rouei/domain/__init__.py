"""rouei's pure domain code: no Django, no I/O beyond reading a facts file."""
