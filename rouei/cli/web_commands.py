"""`rouei serve`, `rouei demo`, `rouei manage`: the web application from the command line."""
