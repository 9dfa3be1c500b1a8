"""Both catalogues hold the same keys and the same placeholders."""

from ui.render.i18n import LANGS, catalogue, placeholders, translate


def test_catalogues_have_the_same_keys() -> None:
    en, zh = set(catalogue("en")), set(catalogue("zh-CN"))
    assert en, "empty catalogue"
    assert sorted(en - zh) == [], "keys missing in zh-CN"
    assert sorted(zh - en) == [], "keys missing in en"


def test_catalogues_have_the_same_placeholders() -> None:
    en, zh = catalogue("en"), catalogue("zh-CN")
    diff = {
        k: (placeholders(en[k]), placeholders(zh[k]))
        for k in en
        if placeholders(en[k]) != placeholders(zh.get(k, ""))
    }
    assert diff == {}


def test_translate_fills_parameters_and_missing_key_raises() -> None:
    assert translate("en", "app.title") == "GreenTemp"
    for lang in LANGS:
        try:
            translate(lang, "no.such.key")
        except KeyError:
            pass
        else:  # pragma: no cover
            raise AssertionError("missing key must raise")
