"""The scanner's compiled kernels: rouei/scanning/_kernels.c, the person-name frames' anchor
scanner _names.c and the findings writer _cellwriter.c; everything else is in pyproject.toml."""

from setuptools import Extension, setup

FLAGS = ["-O3", "-std=c11", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"]

setup(ext_modules=[
    Extension("rouei.scanning._kernels", ["rouei/scanning/_kernels.c"], extra_compile_args=FLAGS),
    # the person-name frames' anchor scanner (rouei/scanning/detectors/person_name.py)
    Extension("rouei.scanning._names", ["rouei/scanning/_names.c"], extra_compile_args=FLAGS),
    # whole-cell and free-text findings, masked and written as JSON lines (scanning/engine.py)
    Extension("rouei.scanning._cellwriter", ["rouei/scanning/_cellwriter.c"], extra_compile_args=FLAGS),
])
