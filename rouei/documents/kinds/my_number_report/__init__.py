"""特定個人情報の漏えい等に関する報告（番号法29条の4第1項）: the report to the PPC under the My Number
Act, with the items of 「…第29条の4第1項及び第2項に基づく特定個人情報の漏えい等に関する報告等に関する
規則」3条1項 (the same nine items as the APPI report, for 特定個人情報), filled from the incident.
Offered only where the duty engine's My Number rules (rouei/domain/rules/my_number, 規則2条) say
the report is owed; elsewhere the page says why not (appi.md §6)."""

from pathlib import Path

from rouei.documents.kinds import DocumentKind
from rouei.documents.kinds.my_number_report import context

KIND = DocumentKind(
    slug="my-number-report",
    label="特定個人情報の漏えい等に関する報告（番号法）",
    label_en="Report under the My Number Act",
    formats=("json", "docx", "pdf"),
    stages=context.STAGES,
    build=context.build,
    default_stage=context.default_stage,
    page_template=Path(__file__).with_name("page.html"),
    availability=context.availability,
)
