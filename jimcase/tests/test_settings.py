import pytest
from django.core.exceptions import ImproperlyConfigured

from jimcase.settings import envbool, envint, envlist


def test_envbool_understands_common_spellings(monkeypatch):
    monkeypatch.setenv("JIM_FLAG", "Yes")
    assert envbool("JIM_FLAG") is True
    monkeypatch.setenv("JIM_FLAG", "0")
    assert envbool("JIM_FLAG") is False


@pytest.mark.parametrize(("helper", "value"), [(envbool, "misschien"), (envint, "negentig")])
def test_settings_helpers_fail_loudly_on_a_bad_value(monkeypatch, helper, value):
    monkeypatch.setenv("JIM_VALUE", value)
    with pytest.raises(ImproperlyConfigured, match="JIM_VALUE"):
        helper("JIM_VALUE", "1" if helper is envbool else 1)


def test_envlist_splits_and_trims(monkeypatch):
    monkeypatch.setenv("JIM_HOSTS", " a.example , b.example,,")
    assert envlist("JIM_HOSTS") == ["a.example", "b.example"]
