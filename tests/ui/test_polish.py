"""Issue 15 frame polish: tariff metadata as words, Streamlit's texts replaced, the sidebar's
company field and reset button."""

from streamlit.testing.v1 import AppTest

from analytics.tou import get_tariff
from tests.conftest import ROOT
from ui.polish import streamlit_texts_css
from ui.tariffs import meta_table, meta_values, price_frame, version_label

NAMES = {"sharp": "尖峰", "peak": "高峰", "flat": "平段", "valley": "低谷", "deep_valley": "深谷"}


def test_tariff_ids_enums_and_confidence_as_words() -> None:
    tariff = get_tariff("jiangsu_large_industrial_1_10kv_pre2025")
    zh = meta_values(tariff, "zh-CN")
    assert zh["class"] == "两部制大工业"
    assert zh["province"] == "江苏"
    assert zh["confidence"] == "未确认 (U)"
    assert "jiangsu_large_industrial" not in " ".join(meta_table(tariff, "zh-CN").iloc[:, 0])
    assert meta_values(tariff, "en")["confidence"] == "Unconfirmed (U)"
    assert version_label(tariff, "zh-CN").startswith(tariff.meta.name_zh)


def test_price_table_has_chinese_months_and_units() -> None:
    tariff = get_tariff("jiangsu_large_industrial_1_10kv_2025_426")
    table = price_frame(tariff, "zh-CN", NAMES)
    assert table.columns[0] == "月份"
    assert table.iloc[0, 0] == "1月" and table.iloc[11, 0] == "12月"
    assert all(c.endswith("[元/kWh]") for c in table.columns[1:])
    # four decimals with the point: e.g. "0.6400"
    assert all(len(v.split(".")[1]) == 4 for v in table.iloc[:, 1] if v != "–")


def test_streamlit_own_texts_replaced_in_chinese() -> None:
    css = streamlit_texts_css("zh-CN")
    assert '"选择文件"' in css and '"将文件拖到此处"' in css
    assert "stFileUploaderDropzoneInstructions" in css and "placeholder" in css
    assert "stMetricValue" in css


def _app(**state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def test_company_field_defaults_to_the_sample_name_in_each_language() -> None:
    assert _app(lang="zh-CN").sidebar.text_input(key="company").value == "苏南精密制造有限公司"
    assert _app(lang="en").sidebar.text_input(key="company").value == (
        "Sunan Precision Manufacturing Co."
    )
    # the zh default left in the session follows a switch to English
    at = _app(lang="en", company="苏南精密制造有限公司")
    assert at.sidebar.text_input(key="company").value == "Sunan Precision Manufacturing Co."


def test_reset_clears_the_session_but_keeps_the_language() -> None:
    at = _app(lang="en", tz="UTC", company="Acme Steel")
    assert at.sidebar.text_input(key="company").value == "Acme Steel"
    at.sidebar.button(key="polish.reset").click().run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert at.sidebar.selectbox(key="tz").value == "Asia/Shanghai"
    assert at.sidebar.text_input(key="company").value == "Sunan Precision Manufacturing Co."


def test_override_banner_names_the_active_tariff_edits() -> None:
    script = (
        "import streamlit as st\n"
        "from ui.polish import tariff_overrides\n"
        "from ui.state import override_banner\n"
        "override_banner(tariff_overrides())\n"
    )
    at = AppTest.from_string(script)
    at.session_state["lang"] = "zh-CN"
    at.run()
    assert len(at.info) == 0  # nothing adjusted: no banner
    at.session_state["tariff.edits"] = {"peak": 1.2, "demand": 40.0}
    at.run()
    assert at.info[0].value == "已启用的调整：已修改 2 项电价。本页数字已按此计算。"
