"""What a leak may cost (損害額の試算): the JNSA JO model, court awards and response costs.

Three separate views, never added together:
- the JNSA JO model (想定損害賠償額), a mechanical estimate from the leaked items (appi.md §8.1);
- per-person amounts that courts awarded to plaintiffs (appi.md §9) and the JNSA survey
  averages (appi.md §8.3), for comparison;
- the company's own response costs (forensics, letters, call centre, 見舞金 …) from unit
  prices that the user can edit; the defaults are labelled assumptions, not law.

Money is integer yen; every amount is a product of integers that a finance officer can redo
by hand. The only rounding is upward, for counts of letters and calls.

The three live in their own modules (``jo_model``, ``court_cases``, ``response_costs``); this
package re-exports their public names.
"""

from rouei.domain.damage.court_cases import (
    CASES_NOTE,
    COURT_CASES,
    SURVEY_AVERAGES,
    CourtCase,
    SurveyAverage,
)
from rouei.domain.damage.jo_model import (
    JO_SOURCE,
    MODEL_NOTE,
    CaseComparison,
    Estimate,
    Factor,
    Note,
    estimate,
    sensitivity,
)
from rouei.domain.damage.response_costs import (
    COST_NOTE,
    COST_ROUNDING,
    PRICE_INFO,
    CostLine,
    GoodwillOption,
    PriceInfo,
    PricesError,
    ResponseCosts,
    ResponsePrices,
    load_prices,
    response_costs,
)

__all__ = [
    "CASES_NOTE", "COST_NOTE", "COST_ROUNDING", "COURT_CASES", "JO_SOURCE", "MODEL_NOTE",
    "PRICE_INFO", "SURVEY_AVERAGES", "CaseComparison", "CostLine", "CourtCase", "Estimate",
    "Factor", "GoodwillOption", "Note", "PriceInfo", "PricesError", "ResponseCosts",
    "ResponsePrices", "SurveyAverage", "estimate", "load_prices", "response_costs",
    "sensitivity",
]
