"""Russian declension, initials, dates and numbers — with the names that break naive rules."""

import datetime as dt

import pytest

from documents.errors import DeclensionError
from documents.grammar import (
    Case,
    PersonName,
    date_numeric,
    date_quoted,
    date_words,
    full_name,
    inflect_phrase,
    initials_surname,
    month_genitive,
    number_in_words,
    number_with_words,
    past_agreeing,
    plural_form,
    quantity,
    surname_initials,
)


class TestPersonNames:
    @pytest.mark.parametrize(
        ("name", "sex", "case", "expected"),
        [
            # «назначить кого?» / «объявить кому?»
            ("Иванова Мария Петровна", "f", Case.ACCUSATIVE, "Иванову Марию Петровну"),
            ("Петров Сергей Алексеевич", "m", Case.DATIVE, "Петрову Сергею Алексеевичу"),
            # surnames in -ых/-их never decline, for men and women alike
            ("Белых Илья Ильич", "m", Case.DATIVE, "Белых Илье Ильичу"),
            ("Белых Анна Кузьминична", "f", Case.GENITIVE, "Белых Анны Кузьминичны"),
            ("Долгих Пётр Кузьмич", "m", Case.INSTRUMENTAL, "Долгих Петром Кузьмичом"),
            # double surnames: each part declines on its own
            ("Петрова-Водкина Мария Ильинична", "f", Case.DATIVE, "Петровой-Водкиной Марии Ильиничне"),
            ("Петров-Водкин Кузьма Сергеевич", "m", Case.GENITIVE, "Петрова-Водкина Кузьмы Сергеевича"),
            ("Иванова-Шевченко Ольга Ивановна", "f", Case.DATIVE, "Ивановой-Шевченко Ольге Ивановне"),
            # -ич patronymics without -ов-/-ев-
            ("Зайцев Лев Ильич", "m", Case.DATIVE, "Зайцеву Льву Ильичу"),
            ("Орлов Фома Кузьмич", "m", Case.ACCUSATIVE, "Орлова Фому Кузьмича"),
            ("Орлов Фома Кузьмич", "m", Case.PREPOSITIONAL, "Орлове Фоме Кузьмиче"),
            # foreign names that do not decline; «Ким» declines for a man only
            ("Дюма Александр", "m", Case.DATIVE, "Дюма Александру"),
            ("Золя Эмиль", "m", Case.GENITIVE, "Золя Эмиля"),
            ("Гёте Иоганн", "m", Case.INSTRUMENTAL, "Гёте Иоганном"),
            ("Кюри Мария", "f", Case.DATIVE, "Кюри Марии"),
            ("Ким Виктор Андреевич", "m", Case.DATIVE, "Киму Виктору Андреевичу"),
            ("Ким Ольга Сергеевна", "f", Case.DATIVE, "Ким Ольге Сергеевне"),
            ("Шевченко Анна Павловна", "f", Case.GENITIVE, "Шевченко Анны Павловны"),
            # a woman's surname in a consonant does not decline
            ("Мельник Любовь Петровна", "f", Case.INSTRUMENTAL, "Мельник Любовью Петровной"),
            # Turkic patronymic: «оглы» stays
            ("Мамедов Эльчин Рашид оглы", "m", Case.DATIVE, "Мамедову Эльчину Рашид оглы"),
        ],
    )
    def test_declension(self, name, sex, case, expected):
        assert full_name(name, case, sex=sex) == expected

    def test_nominative_is_unchanged(self):
        assert full_name("Белых Илья Ильич", Case.NOMINATIVE) == "Белых Илья Ильич"

    def test_sex_is_detected_from_the_patronymic(self):
        assert PersonName.parse("Белых Саша Ильинична").sex == "f"
        assert full_name("Белых Саша Ильич", "дательный") == "Белых Саше Ильичу"

    def test_undetectable_sex_is_a_clear_error(self):
        with pytest.raises(DeclensionError, match="Не удаётся определить пол"):
            PersonName.parse("Белых Саша")

    def test_from_person_like_object(self):
        class Teacher:
            last_name, first_name, middle_name, sex = "Петрова-Водкина", "Мария", "Ильинична", "f"

        assert PersonName.from_person(Teacher()).full(Case.DATIVE) == "Петровой-Водкиной Марии Ильиничне"

    @pytest.mark.parametrize("alias", ["datv", "дательный", "Д", Case.DATIVE])
    def test_case_aliases(self, alias):
        assert full_name("Иванов Иван Иванович", alias) == "Иванову Ивану Ивановичу"

    def test_unknown_case(self):
        with pytest.raises(DeclensionError, match="Неизвестный падеж"):
            Case.parse("звательный")


class TestInitials:
    def test_initials_before_and_after(self):
        name = PersonName.parse("Петрова-Водкина Мария Ильинична")
        assert name.initials_surname() == "М.И. Петрова-Водкина"
        assert name.surname_initials() == "Петрова-Водкина М.И."
        assert name.initials_surname(Case.ACCUSATIVE) == "М.И. Петрову-Водкину"

    def test_double_first_name_and_no_patronymic(self):
        assert initials_surname("Дюма Жан-Поль", sex="m") == "Ж.-П. Дюма"
        assert surname_initials("Ким Ольга", sex="f") == "Ким О."

    def test_indeclinable_surname_in_initials(self):
        assert initials_surname("Белых Илья Кузьмич", Case.DATIVE) == "И.К. Белых"


class TestPhrases:
    @pytest.mark.parametrize(
        ("phrase", "case", "expected"),
        [
            ("учитель математики", Case.DATIVE, "учителю математики"),
            ("учитель математики", Case.ACCUSATIVE, "учителя математики"),
            ("учитель начальных классов", Case.INSTRUMENTAL, "учителем начальных классов"),
            ("старший методист", Case.DATIVE, "старшему методисту"),
            ("главный специалист-эксперт отдела", Case.GENITIVE, "главного специалиста-эксперта отдела"),
            ("педагог-психолог", Case.DATIVE, "педагогу-психологу"),
            (
                "заместитель директора по учебно-воспитательной работе",
                Case.DATIVE,
                "заместителю директора по учебно-воспитательной работе",
            ),
            (
                "Министр образования и науки Пермского края",
                Case.GENITIVE,
                "Министра образования и науки Пермского края",
            ),
            ("Директор МБОУ «СОШ № 5»", Case.DATIVE, "Директору МБОУ «СОШ № 5»"),
            ("Руководители образовательных организаций", Case.DATIVE, "Руководителям образовательных организаций"),
            ("заведующая методическим кабинетом", Case.DATIVE, "заведующей методическим кабинетом"),
            ("заведующая методическим кабинетом", Case.ACCUSATIVE, "заведующую методическим кабинетом"),
            ("исполняющий обязанности директора", Case.DATIVE, "исполняющему обязанности директора"),
            (
                "временно исполняющий обязанности директора",
                Case.GENITIVE,
                "временно исполняющего обязанности директора",
            ),
            ("тьютор", Case.ACCUSATIVE, "тьютора"),
            ("и.о. директора", Case.DATIVE, "и.о. директора"),
            (
                "Заместитель начальника управления – начальник организационно-контрольного отдела",
                Case.DATIVE,
                "Заместителю начальника управления – начальнику организационно-контрольного отдела",
            ),
            (
                "Муниципальное автономное общеобразовательное учреждение «Средняя школа № 3»",
                Case.GENITIVE,
                "Муниципального автономного общеобразовательного учреждения «Средняя школа № 3»",
            ),
            ("Пермский край", Case.GENITIVE, "Пермского края"),
            ("Республика Коми", Case.PREPOSITIONAL, "Республике Коми"),
        ],
    )
    def test_only_the_head_group_changes(self, phrase, case, expected):
        assert inflect_phrase(phrase, case) == expected

    def test_past_tense_agrees_with_the_subject(self):
        assert past_agreeing("Доля педагогических работников с ИОМ", "составил") == "составила"
        assert past_agreeing("Количество организаций", "составил") == "составило"
        assert past_agreeing("Средний балл", "составил") == "составил"


class TestDates:
    def test_forms(self):
        day = dt.date(2021, 7, 22)
        assert date_quoted(day) == "«22» июля 2021 г."
        assert date_words(day) == "22 июля 2021 г."
        assert date_numeric(day) == "22.07.2021"
        assert date_quoted(dt.date(2022, 6, 5)) == "«05» июня 2022 г."
        assert date_numeric(dt.date(2022, 6, 5)) == "05.06.2022"

    def test_every_month_in_the_genitive(self):
        assert [month_genitive(m) for m in range(1, 13)] == [
            "января", "февраля", "марта", "апреля", "мая", "июня",
            "июля", "августа", "сентября", "октября", "ноября", "декабря",
        ]  # fmt: skip


class TestNumbers:
    @pytest.mark.parametrize(
        ("number", "gender", "expected"),
        [
            (0, "m", "ноль"),
            (1, "m", "один"),
            (1, "f", "одна"),
            (2, "f", "две"),
            (12, "m", "двенадцать"),
            (22, "m", "двадцать два"),
            (21, "f", "двадцать одна"),
            (40, "m", "сорок"),
            (111, "m", "сто одиннадцать"),
            (1000, "m", "одна тысяча"),
            (2022, "m", "две тысячи двадцать два"),
            (45_000, "m", "сорок пять тысяч"),
            (1_234_567, "m", "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь"),
            (-3, "m", "минус три"),
        ],
    )
    def test_in_words(self, number, gender, expected):
        assert number_in_words(number, gender) == expected

    def test_with_words(self):
        assert number_with_words(22) == "22 (двадцать два)"

    @pytest.mark.parametrize(
        ("number", "expected"),
        [
            (1, "час"),
            (2, "часа"),
            (4, "часа"),
            (5, "часов"),
            (11, "часов"),
            (14, "часов"),
            (21, "час"),
            (22, "часа"),
            (111, "часов"),
            (101, "час"),
        ],
    )
    def test_plural_forms(self, number, expected):
        assert plural_form(number, ("час", "часа", "часов")) == expected

    def test_quantity(self):
        assert quantity(36, ("час", "часа", "часов")) == "36 часов"
