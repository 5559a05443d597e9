"""Refusing passwords that only look long (パスワードの強度).

Django's own validators (settings.AUTH_PASSWORD_VALIDATORS) count characters, compare with the
user's name and e-mail, and look the password up in a list of 20,000 common ones. They accept
twelve spaces, ``aaaaaaaaaaaa``, ``abcdefghijkl``, ``qwertyuiopas`` or the user name typed twice,
which an attacker guesses first. The rules here refuse a password whose characters, once
normalised (NFKC: full-width letters count as the ASCII ones; case-folded), are

- only white space;
- one short piece repeated (``aaaaaaaaaaaa``, ``abababababab``, ``tanakatanaka``);
- a plain sequence: characters at a constant step (``abcdefghijkl``, ``123456789012`` read as
  the digit row, ``zyxwvutsrqpo``, ``acegikmoqsuw``) or a walk along a keyboard row
  (``qwertyuiop``, ``asdfghjkl``, forwards or backwards, rows run together);
- the user's name (or e-mail name, first or last name) with only such a weak remainder
  (``tanaka123456``, ``tanaka tanaka``).

``weakness(password, names)`` is pure (no Django): it returns the rule a password breaks, or
``None``. ``WeakPatternValidator`` is the Django validator that applies it, listed in
settings so that every path that sets a password (the password-change page, ``rouei manage
createsuperuser`` and ``changepassword``, the demo users) goes through it.
"""

from __future__ import annotations

import itertools
import unicodedata

# Keyboard rows (JIS and US share these letters and digits), and the letter rows run together,
# as typed by sweeping the keyboard. Each is also read backwards.
KEYBOARD_WALKS = (
    "1234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "1234567890-^\\",
    "1234567890-=",
    "qwertyuiop@[",
    "qwertyuiop[]",
    "asdfghjkl;:]",
    "asdfghjkl;'",
    "zxcvbnm,./\\",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "!@#$%^&*()_+",
)
_WALKS = KEYBOARD_WALKS + tuple(walk[::-1] for walk in KEYBOARD_WALKS)
MIN_REMAINDER = 6  # with the user's name taken out, at least this much that is not weak
MIN_NAME = 3  # shorter names are not looked for inside passwords


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password).casefold()


def is_whitespace_only(text: str) -> bool:
    return not text.strip()


def is_repetition(text: str) -> bool:
    """``text`` is one shorter piece repeated whole (``aaaa``, ``abab``, ``tanakatanaka``)."""
    if len(text) < 2:
        return False
    # A string is periodic exactly when it occurs inside itself doubled, not at the start.
    return (text + text).find(text, 1) < len(text)


def is_constant_step(text: str) -> bool:
    """Every character is the previous one moved by the same step (``abcd``, ``9753``)."""
    if len(text) < 3:
        return False
    step = ord(text[1]) - ord(text[0])
    return all(ord(b) - ord(a) == step for a, b in itertools.pairwise(text))


def is_keyboard_walk(text: str) -> bool:
    """Along a row, forwards or backwards; a walk may wrap around (…890123…) and go on."""
    return len(text) >= 3 and any(text in walk * (len(text) // len(walk) + 2)
                                  for walk in _WALKS)


def is_sequence(text: str) -> bool:
    return is_constant_step(text) or is_keyboard_walk(text)


def _is_weak_remainder(text: str) -> bool:
    stripped = "".join(text.split())
    return (len(stripped) < MIN_REMAINDER or is_repetition(stripped)
            or is_sequence(stripped))


def weakness(password: str, names: tuple[str, ...] | list[str] = ()) -> str | None:
    """The first rule ``password`` breaks: ``"whitespace"``, ``"repeated"``, ``"sequence"``
    or ``"user_name"``; ``None`` when it breaks none of them."""
    text = normalise(password)
    if is_whitespace_only(text):
        return "whitespace"
    if is_repetition(text):
        return "repeated"
    if is_sequence(text):
        return "sequence"
    rest = text
    found = False
    for name in names:
        name = normalise(name or "").strip()
        if len(name) >= MIN_NAME and name in rest:
            rest = rest.replace(name, "")
            found = True
    if found and _is_weak_remainder(rest):
        return "user_name"
    return None


class WeakPatternValidator:
    """Django password validator: refuses what ``weakness`` finds (see the module)."""

    def _names(self, user) -> tuple[str, ...]:
        if user is None:
            return ()
        names = []
        for attribute in ("username", "first_name", "last_name", "email"):
            value = getattr(user, attribute, None)
            if isinstance(value, str) and value:
                names.append(value)
                if attribute == "email" and "@" in value:
                    names.append(value.split("@", 1)[0])
        return tuple(names)

    def validate(self, password: str, user=None) -> None:
        from django.core.exceptions import ValidationError

        rule = weakness(password, self._names(user))
        if rule is not None:
            raise ValidationError(self._message(rule), code=f"password_{rule}")

    def _message(self, rule: str) -> str:
        from django.utils.translation import gettext as _

        return {
            "whitespace": _("This password is only spaces."),
            "repeated": _("This password is one short piece repeated (such as aaaa or "
                          "abab)."),
            "sequence": _("This password is a plain sequence (such as abcdef, 123456 or a "
                          "row of the keyboard)."),
            "user_name": _("This password is mostly your user name."),
        }[rule]

    def get_help_text(self) -> str:
        from django.utils.translation import gettext as _

        return _("Your password cannot be only spaces, a repeated piece, a plain sequence "
                 "(abcdef, 123456, a keyboard row) or mostly your user name.")
