"""委託先から委託元への通知 (a processor's notice to its controller): 個人情報保護法26条1項ただし書,
施行規則9条. The nine items of 規則8条1項 as far as known, promptly (guide: about 3–5 days from
when the processor knew); it releases the processor from its own report and notices
(GL 3-5-3-5). No prescribed form: the PPC report's content, addressed to the controller."""

from pathlib import Path

from rouei.documents.kinds import DocumentKind
from rouei.documents.kinds.controller_notice import context

KIND = DocumentKind(
    slug="controller-notice",
    label="委託元への通知",
    label_en="Notice to the controller",
    formats=("json", "docx", "pdf"),
    stages=(),
    build=context.build,
    default_stage=lambda incident: None,
    page_template=Path(__file__).with_name("page.html"),
)
