"""The scanner's compiled kernels (rouei/scanning/_kernels.c, _names.c); everything else is in
pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "rouei.scanning._kernels", ["rouei/scanning/_kernels.c"],
    extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"]),
    # the person-name frames' anchor scanner (rouei/scanning/detectors/person_name.py)
    Extension("rouei.scanning._names", ["rouei/scanning/_names.c"],
              extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra",
                                  "-Werror=implicit-function-declaration"])])
