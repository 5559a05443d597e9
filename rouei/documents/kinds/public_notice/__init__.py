"""公表（お詫びとお知らせ）: the public notice, published in versions (第一報, 第二報, … 最終報)
and drafted from the incident (notices-and-victims.md §3). 公表 is how a company tells everyone
affected at once and a substitute where notice to each person is difficult (法26条2項ただし書,
GL 3-5-4-5). Versions, the draft and the public page: ``rouei.documents.models`` and
``rouei.documents.notices``."""

from pathlib import Path

from rouei.documents.kinds import DocumentKind
from rouei.documents.kinds.public_notice import context

KIND = DocumentKind(
    slug="public-notice",
    label="公表文（お詫びとお知らせ）",
    label_en="Public notice",
    formats=("json", "docx", "pdf"),
    stages=(),
    build=context.build,
    default_stage=context.default_stage,
    page_template=Path(__file__).with_name("page.html"),
)
