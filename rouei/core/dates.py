"""Times that record what already happened cannot lie in the future (issue 11, guard rail 2).

The rule is the domain's (``rouei.domain.facts.is_in_future``: after now plus ``CLOCK_SKEW``);
this gives it the server's clock and the words for forms and actions: the evidence collection
time, a signal's receipt and a timeline entry's time (the facts' dates are refused by
``parse_facts`` itself).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.domain.facts import is_in_future

FUTURE_DATE = "future_date"  # the code of the refusal, as the domain's FactsError has it


def in_future(value: dt.datetime | None) -> bool:
    """Whether ``value`` (aware) lies in the future of the server's clock, skew allowed."""
    return value is not None and is_in_future(value, timezone.now())


def future_date_message(label) -> str:
    """「収集日時は未来の日時にできません」: the refusal, naming the field."""
    return _("%(field)s cannot lie in the future") % {"field": label}


class NotInFuture:
    """A form field validator: ``validators=[NotInFuture(_("Collected at"))]``."""

    def __init__(self, label):
        self.label = label

    def __call__(self, value: dt.datetime | None) -> None:
        if in_future(value):
            raise ValidationError(future_date_message(self.label), code=FUTURE_DATE)
