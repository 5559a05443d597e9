"""Meta-test: every detector module declares the full contract and has its own test file."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from rouei.domain.items import ITEMS
from rouei.scanning.detectors import REQUIRED, all_detectors, detector_modules

TESTS = Path(__file__).parent
MODULES = detector_modules()


def test_detectors_discovered_by_folder():
    names = {m.__name__.rsplit(".", 1)[-1] for m in MODULES}
    assert {"credit_card", "my_number", "corporate_number", "phone", "postal_code", "email",
            "birth_date", "drivers_license", "passport", "bank_account", "person_name",
            "name_kana", "address", "health"} <= names
    assert len(all_detectors()) == len(MODULES)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_detector_module_declares_contract(module):
    name = module.__name__.rsplit(".", 1)[-1]
    for attr in REQUIRED:
        assert hasattr(module, attr), f"{name} lacks {attr}"
    assert module.CATEGORY is None or module.CATEGORY in ITEMS
    assert module.__doc__ and len(module.__doc__) > 80, f"{name} needs a docstring with sources"
    assert isinstance(module.CONTEXT_WORDS, tuple) and module.CONTEXT_WORDS
    assert any(not w.isascii() for w in module.CONTEXT_WORDS), "Japanese context words"
    assert isinstance(module.REQUIRES_CONTEXT, bool)
    assert callable(module.validate) and callable(module.normalise_value)
    re.compile(module.TEXT_PATTERN)
    assert (TESTS / f"test_{name}.py").is_file(), f"{name} has no test file"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_column_pattern_is_anchored_and_compiles_in_rust_and_python(module):
    pattern = module.COLUMN_PATTERN
    assert pattern.removeprefix("(?s)").startswith("^") and pattern.endswith("$")
    assert "(?<" not in pattern.replace("(?<name>", "") and "(?=" not in pattern
    assert "(?!" not in pattern
    re.compile(pattern)
    pl.Series(["x"]).str.contains(pattern)  # raises if Rust's regex rejects it


def test_unknown_category_rejected():
    from types import ModuleType

    from rouei.scanning.detectors import Detector

    fake = ModuleType("fake")
    for attr in REQUIRED:
        setattr(fake, attr, None)
    fake.CATEGORY, fake.TEXT_PATTERN, fake.CONTEXT_WORDS = "no_such_item", "x", ()
    with pytest.raises(ValueError):
        Detector.from_module(fake)
