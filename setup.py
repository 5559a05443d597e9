"""The compiled kernels: the scanner's rouei/scanning/_kernels.c, the person-name frames' anchor
scanner _names.c, the anchored free-text patterns' _anchored.c, the findings writer _cellwriter.c and the item columns' _itemkeys.c; the
import's blind indexes
rouei/people/_rowkeys.c; everything else is in pyproject.toml."""

from setuptools import Extension, setup

# The scanner's extensions include the Arrow column reader and view writer they share (each is
# rebuilt when one of them changes).
SHARED = {"extra_compile_args": ["-O3", "-std=c11", "-Wall", "-Wextra",
                                 "-Werror=implicit-function-declaration"],
          "depends": ["rouei/scanning/_arrow_columns.h", "rouei/scanning/_arrow_views.h"]}
# The two scanners that ask a pattern only where its anchors put a possible start share their
# find loop (rouei/scanning/_anchor_find.h).
ANCHOR_FIND = {**SHARED, "depends": [*SHARED["depends"], "rouei/scanning/_anchor_find.h"]}

setup(ext_modules=[
    Extension("rouei.scanning._kernels", ["rouei/scanning/_kernels.c"], **SHARED),
    # the person-name frames' anchor scanner (rouei/scanning/detectors/person_name.py)
    Extension("rouei.scanning._names", ["rouei/scanning/_names.c"], **ANCHOR_FIND),
    # free-text patterns asked only where their anchor words put a possible start
    # (rouei/scanning/detectors/_anchors.py: health, address)
    Extension("rouei.scanning._anchored", ["rouei/scanning/_anchored.c"], **ANCHOR_FIND),
    # whole-cell and free-text findings, masked and written as JSON lines (scanning/engine.py)
    Extension("rouei.scanning._cellwriter", ["rouei/scanning/_cellwriter.c"], **SHARED),
    # a table's item columns: the normal form of plain cells, the name readings' keys
    Extension("rouei.scanning._itemkeys", ["rouei/scanning/_itemkeys.c"], **SHARED),
    # an import's blind indexes, a chunk of rows at a time (rouei/people/preparing.py)
    # HMAC-SHA256 from OpenSSL's libcrypto (the one Python's hashlib links)
    Extension("rouei.people._rowkeys", ["rouei/people/_rowkeys.c"],
              extra_compile_args=SHARED["extra_compile_args"], libraries=["crypto"]),
])
