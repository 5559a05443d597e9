"""Meta-test: every document kind is a folder under rouei/documents/kinds/ with its page
template and its own test file, and renders for the demo incident in every format and stage it
declares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rouei.documents import services
from rouei.documents.kinds import FORMATS, all_kinds, kind_modules

pytestmark = pytest.mark.django_db
TESTS = Path(__file__).parent
KINDS = all_kinds()
CASES = [(k, f, s) for k in KINDS for f in k.formats for s in (k.stages or (None,))]


def test_kinds_are_found_by_folder():
    assert "ppc-report" in {k.slug for k in KINDS}


def test_every_kind_module_declares_one_kind():
    assert len(KINDS) == len(kind_modules())


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_every_kind_has_a_page_template_in_its_folder(kind):
    assert kind.page_template.is_file()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_every_kind_has_its_own_test_file(kind):
    assert (TESTS / f"test_{kind.slug.replace('-', '_')}.py").is_file()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_every_kind_declares_known_formats(kind):
    assert set(kind.formats) <= set(FORMATS)


@pytest.mark.parametrize(("kind", "fmt", "stage"), CASES,
                         ids=lambda v: getattr(v, "slug", v) or "-")
def test_every_kind_renders_for_the_demo_in_every_format(demo, kind, fmt, stage):
    rendered = services.render(kind, demo, stage=stage, fmt=fmt)
    magic = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "json": b"{"}[fmt]
    assert rendered.content.startswith(magic)
    if fmt == "json":
        assert json.loads(rendered.content)
