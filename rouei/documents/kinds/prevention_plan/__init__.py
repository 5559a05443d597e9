"""再発防止策実施計画: the incident's recurrence-prevention plan (rouei/prevention) as a document —
the measures by group (response-practice.md §7) with owner, due date, KPI and status, what is
overdue, and what a measure still lacks (an owner, a due date, a KPI: a vague promise is one
of the classic mistakes, §8)."""

from pathlib import Path

from rouei.documents.kinds import DocumentKind
from rouei.documents.kinds.prevention_plan import context

KIND = DocumentKind(
    slug="prevention-plan",
    label="再発防止策実施計画",
    label_en="Recurrence-prevention plan",
    formats=("json", "docx", "pdf"),
    stages=(),
    build=context.build,
    default_stage=lambda incident: None,
    page_template=Path(__file__).with_name("page.html"),
)
