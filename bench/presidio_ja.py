"""Presidio's AnalyzerEngine as a competent user would set it up for Japanese data.

- NLP engine: spaCy with GiNZA (``ja_ginza``, installed as a PyPI package, so nothing is
  downloaded at run time), ``lang_code: ja``, GiNZA's extended-named-entity labels mapped to
  Presidio's entities (Person → PERSON; Province, City, County, GPE_Other,
  Domestic_Region, Location_Other → LOCATION; Date → DATE_TIME).
- Pattern recognizers with Japanese context words for phone numbers (mobile, fixed, +81),
  postal codes (〒, with and without hyphen) and My Number (12 digits); Presidio's own
  CreditCardRecognizer (Luhn) and its phonenumbers-based PhoneRecognizer for region JP, both
  registered for ``ja`` with Japanese context words; the language-neutral defaults (e-mail, URL,
  IP …) as Presidio loads them.
- tldextract (used by the e-mail recognizer) is kept offline: its bundled suffix-list snapshot.

``CATEGORY`` maps Presidio entity types to rouei's catalogue ids for scoring; other entity types
(URL, IP_ADDRESS, NRP …) are not scored.
"""

from __future__ import annotations

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # no fetch: use the snapshot

CATEGORY = {
    "PERSON": "person_name", "LOCATION": "address", "PHONE_NUMBER": "phone",
    "JP_PHONE_NUMBER": "phone", "JP_POSTAL_CODE": "postal_code", "JP_MY_NUMBER": "my_number",
    "EMAIL_ADDRESS": "email", "CREDIT_CARD": "credit_card", "DATE_TIME": "birth_date",
}

GINZA_MAPPING = {
    "Person": "PERSON", "Province": "LOCATION", "City": "LOCATION", "County": "LOCATION",
    "GPE_Other": "LOCATION", "Domestic_Region": "LOCATION",
    "Location_Other": "LOCATION", "Date": "DATE_TIME",
}

# Not inside a longer run of digits and hyphens (a postal code inside a phone number, a My
# Number inside a card number).
_DIGIT_EDGE_L = r"(?<![0-9０-９])(?<![0-9０-９][-－ ])"
_DIGIT_EDGE_R = r"(?![0-9０-９])(?![-－ ][0-9０-９])"
_SEP = r"[-－ー‐ ]?"


def build_analyzer():
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, PhoneRecognizer

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "ja", "model_name": "ja_ginza"}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": GINZA_MAPPING,
            "low_confidence_score_multiplier": 0.4,
            "low_score_entity_names": [],
            "labels_to_ignore": [],
        },
    })
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["ja"])
    registry = analyzer.registry
    # Replace the default (US/UK/…) phonenumbers recognizer with one for Japan.
    for rec in list(registry.recognizers):
        if rec.name == "PhoneRecognizer":
            registry.remove_recognizer("PhoneRecognizer")
    phone_context = ["電話", "電話番号", "TEL", "携帯", "連絡先", "自宅", "phone", "tel"]
    registry.add_recognizer(PhoneRecognizer(supported_language="ja", supported_regions=["JP"],
                                            context=phone_context))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="JP_PHONE_NUMBER", supported_language="ja", name="JpPhoneRecognizer",
        patterns=[
            Pattern("mobile", _DIGIT_EDGE_L + r"0[789]0" + _SEP + r"\d{4}" + _SEP + r"\d{4}"
                    + _DIGIT_EDGE_R, 0.6),
            Pattern("fixed", _DIGIT_EDGE_L + r"\(?0\d{1,4}\)?" + _SEP + r"\(?\d{1,4}\)?" + _SEP
                    + r"\d{4}" + _DIGIT_EDGE_R, 0.4),
            Pattern("intl", r"\+81[- ]?\(?0?\)?\d{1,4}[- ]?\d{1,4}[- ]?\d{4}" + _DIGIT_EDGE_R,
                    0.6),
        ],
        context=phone_context))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="JP_POSTAL_CODE", supported_language="ja", name="JpPostalRecognizer",
        patterns=[Pattern("hyphen", _DIGIT_EDGE_L + r"〒?\s?\d{3}[-－]\d{4}" + _DIGIT_EDGE_R,
                          0.5),
                  Pattern("bare", _DIGIT_EDGE_L + r"\d{7}" + _DIGIT_EDGE_R, 0.1)],
        context=["〒", "郵便番号", "郵便", "住所", "postal", "zip"]))
    registry.add_recognizer(PatternRecognizer(
        supported_entity="JP_MY_NUMBER", supported_language="ja", name="JpMyNumberRecognizer",
        patterns=[Pattern("12 digits", _DIGIT_EDGE_L + r"\d{4}[- ]?\d{4}[- ]?\d{4}"
                          + _DIGIT_EDGE_R, 0.3)],
        context=["マイナンバー", "個人番号", "通知カード", "my number"]))
    registry.add_recognizer(CreditCardRecognizer(
        supported_language="ja",
        context=["カード", "クレジット", "カード番号", "有効期限", "card", "credit", "visa"]))
    return analyzer


def categories(results, threshold: float) -> list[tuple[str, int, int, float]]:
    """(category, start, end, score) of Presidio results mapped to catalogue ids."""
    out = []
    for r in results:
        category = CATEGORY.get(r.entity_type)
        if category and r.score >= threshold:
            out.append((category, r.start, r.end, r.score))
    return out
