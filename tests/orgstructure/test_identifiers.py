import pytest
from django.core.exceptions import ValidationError

from orgstructure.identifiers import inn_is_valid, snils_from_number, validate_snils
from tests.factories import snils_with_checksum


@pytest.mark.parametrize("number", [1_001_999, 112_233_445, 987_654_321, 100_000_123])
def test_app_and_independent_oracle_agree_on_the_control_number(number):
    assert snils_from_number(number) == snils_with_checksum(number)


def test_validate_snils():
    validate_snils("112-233-445 95")
    validate_snils("001-001-998 00")  # below the checked range: any control number
    with pytest.raises(ValidationError, match="контрольная сумма"):
        validate_snils("112-233-445 96")
    with pytest.raises(ValidationError, match="XXX-XXX-XXX YY"):
        validate_snils("11223344595")


def test_inn():
    assert inn_is_valid("7707083893")  # a well-known published organization INN
    assert not inn_is_valid("7707083894")
    assert not inn_is_valid("123")
