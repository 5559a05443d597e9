"""`rouei assess`, `rouei estimate`, `rouei items`: the duty engine from the command line."""
