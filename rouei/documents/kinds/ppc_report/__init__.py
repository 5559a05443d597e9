"""個人情報保護委員会への漏えい等報告（速報・確報・追完）: 個人情報保護法26条1項, 施行規則8条
(items: 1項1–9号; 確報: 2項). The report is filed on the PPC's online form; the Word file is for
internal drafts and the PDF for the file (notices-and-victims.md §1)."""

from pathlib import Path

from rouei.documents.kinds import DocumentKind
from rouei.documents.kinds.ppc_report import context

KIND = DocumentKind(
    slug="ppc-report",
    label="個人情報保護委員会への報告",
    label_en="Report to the PPC",
    formats=("json", "docx", "pdf"),
    stages=context.STAGES,
    build=context.build,
    default_stage=context.default_stage,
    page_template=Path(__file__).with_name("page.html"),
)
