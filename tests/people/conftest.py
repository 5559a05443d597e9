"""An incident led by ``user`` (tanaka), people lists written as companies export them, and a
local SMTP server for the notices."""

from __future__ import annotations

import pytest

from rouei.incidents import actions
from rouei.people import actions as people_actions
from tests.people.smtp import LocalSMTP

FACTS = {"items": ["person_name", "email", "phone"], "people_confirmed": 5,
         "knew_at": "2026-11-24", "cause": "misconfiguration", "malicious": False}

HEADER = "氏名,フリガナ,郵便番号,住所,電話番号,メールアドレス,生年月日,クレジットカード番号\n"
ROWS = [
    "山田 太郎,ヤマダ タロウ,100-0001,東京都千代田区千代田1-1,090-1234-5678,taro@example.jp,1985-04-01,4111111111111111",
    "佐藤 花子,サトウ ハナコ,530-0001,大阪府大阪市北区梅田1-2-3,080-2222-3333,hanako@example.jp,1990-12-24,",
    "鈴木 一郎,スズキ イチロウ,,,03-1234-5678,,1970-01-15,",
]


@pytest.fixture(autouse=True)
def _data_dir_per_test(settings, tmp_path):
    """Uploads waiting for confirmation go to this test's own folder (never the checkout's
    var/people-uploads), so no test sees another's."""
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def incident(user):
    return actions.do_create_incident(title="顧客情報の漏えい", summary="", organisation="",
                                      facts=FACTS, actor=user)


@pytest.fixture
def people_csv(tmp_path):
    def write(rows=ROWS, header=HEADER, encoding="utf-8", name="people.csv"):
        path = tmp_path / name
        path.write_bytes((header + "\n".join(rows) + "\n").encode(encoding))
        return path
    return write


# What a notice cannot go out without, as a company fills it in.
SETTINGS = {"sender_name": "株式会社サンプル商事", "from_address": "notice@sample.example",
            "window_phone": "0120-000-000", "window_hours": "毎日 9:00〜18:00（土日祝日も受付）",
            "secondary_damage": "none_confirmed"}


@pytest.fixture
def server(settings):
    """A local SMTP server the notices are sent to (``.received``, ``.to(address)``)."""
    local = LocalSMTP()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", local.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.ROUEI_NOTICE_EMAILS_PER_MINUTE = 60_000
    with local as handler:
        yield handler


@pytest.fixture
def notice_registry(incident, user, people_csv):
    """The incident with the people list imported and the notice settings filled in."""
    people_actions.do_import_people(user, incident, people_csv())
    people_actions.do_update_notice_settings(user, incident, SETTINGS)
    return incident
