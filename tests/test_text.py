"""The one is_cjk: CJK script in every block that holds it, punctuation only when asked."""

from __future__ import annotations

import pytest

from cvrender.text import is_cjk


@pytest.mark.parametrize("text", [
    "许润昕", "林美", "ひらがな", "カタカナ", "한국어", "ㄅㄆㄇ",  # ideographs, kana, hangul, bopomofo
    "\u3400", "\U00020000", "\U0002a700", "\U00030000", "\U00031350",  # extensions A, B, C, G, H
    "\uf900", "\U0001b000", "\u1100", "\ua960",  # compatibility ideographs, kana supplement, jamo
    "Zoë 林",  # one character is enough
])
def test_cjk_script_is_found(text: str) -> None:
    assert is_cjk(text)
    assert is_cjk(text, punctuation=False)


@pytest.mark.parametrize("text", ["，", "。", "「", "（", "Ａ", "︵", "㈱"])
def test_cjk_punctuation_and_fullwidth_forms_count_only_when_asked(text: str) -> None:
    assert is_cjk(text)
    assert not is_cjk(text, punctuation=False)


@pytest.mark.parametrize("text", ["", "Zoë – “quoted” ǔ", "Ærøskøbing", "Москва", "مرحبا", "🎉", "\u2e7f", "\ua4d0"])
def test_other_scripts_are_not_cjk(text: str) -> None:
    assert not is_cjk(text)
