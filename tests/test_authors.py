"""Who is the profile owner in an author list: spellings that match, and near misses that must not."""

from __future__ import annotations

import pytest

from cvrender.context.authors import AuthorMatcher, readings, same_person

OWNER = AuthorMatcher(["Runxin Xu", "许润昕"])


@pytest.mark.parametrize("written", [
    "Runxin Xu", "Xu, Runxin", "runxin xu", "RUNXIN XU", "XU Runxin", "Xu Runxin",
    "R. Xu", "R Xu", "Xu, R.", "Xu R.", "R. X. Xu", "Run-Xin Xu", "Run Xin Xu", "Runxin J. Xu",
    "{Runxin} {Xu}", "Runxín Xú", "Xu, Runxin, Jr.", "许润昕", "许 润昕",
])
def test_the_owner_is_found_however_the_name_is_written(written: str) -> None:
    assert OWNER.is_me(written)


@pytest.mark.parametrize("written", [
    "Rui Xu", "Ziyun Xu", "Xu, Rui", "Xu Rui", "RUI XU", "Z. Xu", "Run Xu", "Xu",
    "Runxin Li", "R. Li", "Lei Xu", "许润", "徐润昕", "Runxin",
])
def test_a_co_author_with_the_same_surname_is_not_the_owner(written: str) -> None:
    assert not OWNER.is_me(written)


def test_an_abbreviated_alias_does_not_claim_a_spelled_out_first_name() -> None:
    # "R. Xu" in the aliases says how the owner's name appears; it says nothing about "Rui Xu"
    matcher = AuthorMatcher(["Runxin Xu", "R. Xu"])
    assert matcher.is_me("R. Xu")
    assert matcher.is_me("Xu, R.")
    assert not matcher.is_me("Rui Xu")
    assert not matcher.is_me("Xu, Rui")
    only_initials = AuthorMatcher(["R. Xu"])
    assert only_initials.is_me("R. Xu")
    assert not only_initials.is_me("Runxin Xu")
    assert not only_initials.is_me("Rui Xu")


def test_an_alias_with_the_other_first_name_is_how_a_user_asks_for_it() -> None:
    assert AuthorMatcher(["Runxin Xu", "Rui Xu"]).is_me("Rui Xu")


def test_hyphenated_given_names_are_one_name_not_a_first_and_a_middle_name() -> None:
    matcher = AuthorMatcher(["Run-Xin Xu"])
    assert matcher.is_me("Runxin Xu")
    assert matcher.is_me("R.-X. Xu")
    assert matcher.is_me("R. Xu")
    assert not matcher.is_me("Run Xu")
    assert not matcher.is_me("R. J. Xu")


def test_middle_names_may_be_missing_but_must_not_disagree() -> None:
    matcher = AuthorMatcher(["Anna M. Kowalski"])
    assert matcher.is_me("Anna Kowalski")
    assert matcher.is_me("Anna Maria Kowalski")
    assert matcher.is_me("A. M. Kowalski")
    assert not matcher.is_me("Anna B. Kowalski")
    assert not matcher.is_me("A. B. Kowalski")


@pytest.mark.parametrize(("owner", "written"), [
    ("José García-Márquez", "Jose Garcia-Marquez"),
    ("José García-Márquez", "García-Márquez, J."),
    ("José García-Márquez", "GARCÍA-MÁRQUEZ, José"),
    ("Søren Østergaard", "Soren Ostergaard"),
    ("Ludwig van Beethoven", "Beethoven, Ludwig van"),
    ("Ludwig van Beethoven", "L. van Beethoven"),
    ("Jean de la Fontaine", "de la Fontaine, Jean"),
    ("Martin Luther King Jr.", "King, Jr., Martin Luther"),
    ("Sean O'Neil", "Sean ONeil"),
])
def test_diacritics_hyphens_particles_and_suffixes_do_not_matter(owner: str, written: str) -> None:
    assert AuthorMatcher([owner]).is_me(written)


def test_names_in_cjk_script_compare_as_whole_names_and_never_with_latin_ones() -> None:
    matcher = AuthorMatcher(["许润昕"])
    assert matcher.is_me("许润昕")
    assert not matcher.is_me("许润")
    assert not matcher.is_me("Runxin Xu")


def test_a_name_without_a_comma_is_read_in_both_orders() -> None:
    keys = {(r.family, r.given) for r in readings("Xu Runxin")}
    assert ("xu", ("runxin",)) in keys and ("runxin", ("xu",)) in keys
    assert same_person("Runxin Xu", "Xu Runxin")


def test_empty_names_in_the_alias_list_are_ignored() -> None:
    matcher = AuthorMatcher(["Runxin Xu", "", "  "])
    assert matcher.names == ["Runxin Xu"]
    assert not matcher.is_me("")
