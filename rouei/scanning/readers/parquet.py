"""Apache Parquet: one ``TablePart``, every column as a string.

Struct columns are unnested into dotted columns (``contact.tel``), lists of plain values joined
with spaces, other nested values written as JSON, binary decoded as UTF-8 (bad bytes replaced).
Records are numbered from 1 (``first_row`` 1: the file has no header row).

Streaming: polars' streaming engine reads row group by row group and hands on batches of
``Limits.batch_rows``; memory is bounded by the largest row group, not the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from rouei.scanning.model import Part, TablePart
from rouei.scanning.readers._base import ReadContext, corrupt

_MAX_STRUCT_DEPTH = 5


def read(path: Path, name: str, ctx: ReadContext, kind: str = "parquet") -> Iterator[Part]:
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as exc:
        yield corrupt(name, exc)
        return
    expressions: list[pl.Expr] = []
    for column, dtype in schema.items():
        expressions.extend(_as_strings(pl.col(column), column, dtype, 0))
    columns = tuple(expr.meta.output_name() for expr in expressions)
    yield TablePart(name=name, columns=columns, has_header=True, first_row=1,
                    batches=_batches(path, expressions, ctx))


def _batches(path: Path, expressions: list[pl.Expr], ctx: ReadContext) -> Iterator[pl.DataFrame]:
    if not expressions:
        return
    frame = pl.scan_parquet(path, glob=False).select(expressions)
    yield from frame.collect_batches(chunk_size=ctx.limits.batch_rows, lazy=True)


def _as_strings(expr: pl.Expr, name: str, dtype: pl.DataType, depth: int) -> list[pl.Expr]:
    if isinstance(dtype, pl.Struct) and depth < _MAX_STRUCT_DEPTH:
        out: list[pl.Expr] = []
        for field in dtype.fields:
            out.extend(_as_strings(expr.struct.field(field.name), f"{name}.{field.name}",
                                   field.dtype, depth + 1))
        return out
    if isinstance(dtype, (pl.List, pl.Array)) and not dtype.inner.is_nested() and \
            dtype.inner != pl.Binary:
        if isinstance(dtype, pl.Array):
            expr = expr.arr.to_list()
        return [expr.cast(pl.List(pl.String)).list.join(" ").alias(name)]
    if dtype.is_nested():
        return [pl.struct(expr.alias("value")).struct.json_encode()
                .str.slice(9).str.head(-1).alias(name)]
    if dtype == pl.Binary:
        return [expr.map_elements(lambda b: b.decode("utf-8", errors="replace"),
                                  return_dtype=pl.String).alias(name)]
    return [expr.cast(pl.String, strict=False).alias(name)]
