"""取締役会報告: where the incident stands, for the board — status, deadlines met and coming,
people affected, the cost estimate beside the spend (missing while no spend is recorded), open
risks and the prevention plan (response-practice.md §7: regular board reports)."""

from pathlib import Path

from rouei.documents.kinds import DocumentKind
from rouei.documents.kinds.board_report import context

KIND = DocumentKind(
    slug="board-report",
    label="取締役会報告",
    label_en="Report to the board",
    formats=("json", "docx", "pdf"),
    stages=(),
    build=context.build,
    default_stage=lambda incident: None,
    page_template=Path(__file__).with_name("page.html"),
)
