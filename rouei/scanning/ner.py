"""Optional Japanese named-entity recognition (GiNZA) for names and addresses in prose.

Issue 4: "an optional Japanese NER model (GiNZA, installed as an extra, used only when present)
for names and addresses in prose". The rule detectors find a name only in a frame (a label, an
honorific, a mail header, a self-introduction); a bare name in a sentence (青木修平から電話があり)
or alone on a signature line has none. A statistical model does.

- Off unless asked for: ``ROUEI_SCAN_NER=ginza`` (or ``configure("ginza")``), and only when the
  ``ner`` extra is installed (``pip install 'rouei[ner]'``: ``ginza`` and ``ja-ginza``, whose
  model ships in the wheel, so nothing is downloaded). Asked for but not installed: a warning
  once, then the rules alone.
- The model is loaded lazily, once per process, with only the pipes NER needs (the dependency
  parser and the bunsetu/compound pipes are excluded).
- It runs on text parts (plain text, mail bodies, documents), never on table cells (far too
  slow: GiNZA handles a few hundred lines a second); ``detect_text(line, ner=True)`` is the only
  caller.
- GiNZA's labels are Sekine's extended named entities: ``Person`` → ``person_name``; a
  ``Province``/``City``/``County`` entity that starts a run with block numbers and passes the
  address detector's ``validate`` → ``address``. Spans are in the normalised text, mapped back
  through its offset map by ``detect_text``; a span overlapping any rule match is dropped (the
  rules win), so nothing is counted twice.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from rouei.scanning.detectors._common import HIRAGANA, KANJI, KATAKANA, PROLONGED

ENV = "ROUEI_SCAN_NER"
BACKENDS = ("ginza",)
PERSON_LABELS = frozenset({"Person"})
LOCATION_LABELS = frozenset({"Province", "City", "County"})
MAX_CHARS = 2000  # longer text is cut into pieces this long (GiNZA's cost grows with length)
BATCH = 64  # texts per spaCy batch (``prefetch``)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity in the text given to the backend: [start, end) and the model's label."""

    start: int
    end: int
    label: str


class Backend(Protocol):
    def entities(self, text: str) -> list[Entity]: ...

    # Optional: ``entities`` of many texts at once (a model runs faster on batches).
    # def entities_many(self, texts: list[str]) -> list[list[Entity]]: ...


class GinzaBackend:
    """spaCy with ``ja_ginza``, loaded on first use."""

    def __init__(self) -> None:
        self._nlp = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._nlp is None:
                import spacy
                # NER needs only the tokenizer (Sudachi), tok2vec and ner: the others cost
                # a third of the time and change no entity
                self._nlp = spacy.load("ja_ginza", exclude=[
                    "parser", "attribute_ruler", "compound_splitter", "bunsetu_recognizer",
                    "morphologizer"])
        return self._nlp

    def entities(self, text: str) -> list[Entity]:
        return self.entities_many([text])[0]

    def entities_many(self, texts: list[str]) -> list[list[Entity]]:
        """``entities`` of each text, the pieces of all texts run through spaCy's ``pipe`` in
        batches (2–3× faster than one call per line)."""
        nlp = self._load()
        pieces = [(i, offset) for i, text in enumerate(texts)
                  for offset in range(0, len(text), MAX_CHARS)]
        docs = nlp.pipe((texts[i][offset:offset + MAX_CHARS] for i, offset in pieces),
                        batch_size=BATCH)
        out: list[list[Entity]] = [[] for _ in texts]
        for (i, offset), doc in zip(pieces, docs, strict=True):
            out[i].extend(Entity(e.start_char + offset, e.end_char + offset, e.label_)
                          for e in doc.ents)
        return out


_backend: Backend | None = None
_configured: str | None = None  # None: read ENV
_warned = False


def available(name: str = "ginza") -> bool:
    """Whether the backend's packages are installed (without importing the model)."""
    import importlib.util
    return name == "ginza" and all(importlib.util.find_spec(m) is not None
                                   for m in ("spacy", "ginza", "ja_ginza"))


def configure(backend: str | Backend | None) -> None:
    """Choose the NER for this process: "ginza", a ``Backend`` object (tests), or None (off;
    the environment is not read any more). ``configure("env")`` goes back to ``ROUEI_SCAN_NER``."""
    global _backend, _configured
    if isinstance(backend, str) and backend == _configured:
        return  # already so: keep the loaded model (the engine calls this for every file)
    if backend is None or isinstance(backend, str):
        _backend = None
        _configured = "off" if backend is None else backend
    else:
        _backend = backend
        _configured = "object"


def backend() -> Backend | None:
    """The active backend, or None when NER is off or not installed."""
    global _backend, _warned
    if _backend is not None:
        return _backend
    name = _configured if _configured not in (None, "env") else (
        os.environ.get(ENV, "").strip().lower() or "off")
    if name in ("off", "", "0", "none", "false"):
        return None
    if name not in BACKENDS:
        if not _warned:
            log.warning("%s=%s: unknown NER backend (known: %s); scanning without NER", ENV,
                        name, ", ".join(BACKENDS))
            _warned = True
        return None
    if not available(name):
        if not _warned:
            log.warning("%s=%s but GiNZA is not installed (pip install 'rouei[ner]'); scanning "
                        "without NER", ENV, name)
            _warned = True
        return None
    _backend = GinzaBackend()
    return _backend


# Entities found ahead by ``prefetch`` for the texts about to be scanned, taken by ``find``.
_prefetched: dict[str, list[Entity]] = {}


def prefetch(texts: list[str]) -> None:
    """Run the model on the texts ``find`` is about to be asked about (normalised), in one
    batch; replaces what an earlier call left. A no-op when NER is off or the backend has no
    ``entities_many``."""
    _prefetched.clear()
    active = backend()
    many = getattr(active, "entities_many", None)
    if many is None:
        return
    wanted = list(dict.fromkeys(t for t in texts if _HAS_KANJI.search(t)))
    if wanted:
        _prefetched.update(zip(wanted, many(wanted), strict=True))


_HAS_KANJI = re.compile(f"[{KANJI}]")
_NAME_CHARS = re.compile(f"[{KANJI}{HIRAGANA} ]+")
_KATAKANA = re.compile(f"[{KATAKANA}{PROLONGED}]")
_HONORIFIC_TAIL = re.compile(" ?(?:様|さん|さま|殿|氏|君|くん|ちゃん)$")
# An address runs on from its prefecture or municipality to the block numbers (no spaces in
# between except before a building name).
_ADDRESS_RUN = re.compile(r"[^\s、。,，「」『』()（）:：]+(?: [^\s、。,，「」『』()（）:：]+)?")
_BLOCK = re.compile(r"[0-9]+(?:丁目|番地|番|号|-[0-9])")


def find(text: str, validate_name: Callable[[str], bool],
         validate_address: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(start, end, category) of the names and addresses the active backend finds in ``text``
    (normalised), checked with the detectors' own ``validate``; [] when NER is off."""
    active = backend()
    if active is None or not _HAS_KANJI.search(text):
        return []  # a name or an address in Japanese has kanji: skip the model
    entities = _prefetched.get(text)
    if entities is None:
        entities = active.entities(text)
    out: list[tuple[int, int, str]] = []
    for entity in entities:
        if entity.label in PERSON_LABELS:
            span = _person_span(text, entity.start, entity.end, validate_name)
            if span:
                out.append((*span, "person_name"))
        elif entity.label in LOCATION_LABELS:
            span = _address_span(text, entity.start, validate_address)
            if span:
                out.append((*span, "address"))
    return out


def _person_span(text: str, start: int, end: int,
                 validate: Callable[[str], bool]) -> tuple[int, int] | None:
    # Glued to katakana, the "name" is part of a longer proper noun (藤金コート, 山田ビル)
    if (end < len(text) and _KATAKANA.match(text, end)) or (
            start > 0 and _KATAKANA.match(text, start - 1)):
        return None
    value = text[start:end]
    tail = _HONORIFIC_TAIL.search(value)
    if tail:
        end -= len(tail.group())
        value = text[start:end]
    value = value.strip()
    # Japanese names written in kanji (with a kana given name at most): a katakana-only
    # "Person" is almost always a reading (フリガナ), which name_kana reports.
    if not value or not _HAS_KANJI.search(value) or not _NAME_CHARS.fullmatch(value):
        return None
    if not validate(value):
        return None
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    return start + lead, start + lead + len(value)


def _address_span(text: str, start: int,
                  validate: Callable[[str], bool]) -> tuple[int, int] | None:
    run = _ADDRESS_RUN.match(text, start)
    if not run or not _BLOCK.search(run.group()):
        return None
    value = run.group()
    if not _BLOCK.search(value.split(" ")[0]):
        return None  # the block numbers are in the words after a space: not this address
    return (start, start + len(value)) if validate(value) else None
