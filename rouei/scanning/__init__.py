"""The leak scanner: which personal data of how many distinct people is in leaked files.

No Django: `rouei scan` runs on an isolated forensic machine with no database. The column work
is polars and a few compiled kernels (_kernels.c).
"""

import os

# The scanner uses numpy for integer arrays only, never its BLAS; OpenBLAS would otherwise start
# a thread per core at import that spins, taking ~0.1 CPU s from a 1-second scan on 2 cores.
# Set before numpy is first imported (a process that imported it earlier keeps its own).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
