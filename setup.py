"""The scanner's compiled kernels (rouei/scanning/_kernels.c, and the findings writer
rouei/scanning/_cellwriter.c); everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "rouei.scanning._kernels", ["rouei/scanning/_kernels.c"],
    extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"]),
    Extension(
    "rouei.scanning._cellwriter", ["rouei/scanning/_cellwriter.c"],
    extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"])])
