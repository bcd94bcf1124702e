"""Russian grammar for official documents: names and positions in the case each slot needs,
initials, dates with the month in the genitive, numbers in words.

A slot in a приказ asks a question: «назначить кого?» (винительный), «объявить благодарность
кому?» (дательный), «справка дана кому?» (дательный). Context builders put each ФИО and position
into that case here, so that templates only place ready text.

ФИО are declined with pytrovich (rules of petrovich: surnames in -ых/-их and in a vowel other than
-а/-я do not decline, a woman's surname in a consonant does not decline, each part of a double
surname declines on its own). Positions and other noun phrases are declined with pymorphy3: only
the head noun and the adjectives that agree with it change, the genitive tail stays
(«учитель математики» → «учителю математики»).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as PetrovichCase
from pytrovich.enums import Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from common.plural import plural_form, quantity  # noqa: F401  (one helper for pages and documents)

from .errors import DeclensionError


class Case(enum.StrEnum):
    """Grammatical cases, valued by pymorphy's OpenCorpora tags."""

    NOMINATIVE = "nomn"  # именительный: кто? что?
    GENITIVE = "gent"  # родительный: кого? чего?
    DATIVE = "datv"  # дательный: кому? чему?
    ACCUSATIVE = "accs"  # винительный: кого? что?
    INSTRUMENTAL = "ablt"  # творительный: кем? чем?
    PREPOSITIONAL = "loct"  # предложный: о ком? о чём?

    @classmethod
    def parse(cls, value: Case | str) -> Case:
        """Accept a Case, its tag («datv») or a Russian name («дательный», «д»)."""
        if isinstance(value, Case):
            return value
        key = str(value).strip().lower()
        try:
            return cls(key)
        except ValueError:
            pass
        for case, aliases in _CASE_ALIASES.items():
            if key in aliases:
                return case
        raise DeclensionError(f"Неизвестный падеж: «{value}»")


_CASE_ALIASES = {
    Case.NOMINATIVE: {"и", "им", "именительный", "nominative"},
    Case.GENITIVE: {"р", "род", "родительный", "genitive"},
    Case.DATIVE: {"д", "дат", "дательный", "dative"},
    Case.ACCUSATIVE: {"в", "вин", "винительный", "accusative"},
    Case.INSTRUMENTAL: {"т", "тв", "творительный", "instrumental"},
    Case.PREPOSITIONAL: {"п", "пр", "предложный", "prepositional"},
}

_PETROVICH_CASES = {
    Case.NOMINATIVE: PetrovichCase.NOMINATIVE,
    Case.GENITIVE: PetrovichCase.GENITIVE,
    Case.DATIVE: PetrovichCase.DATIVE,
    Case.ACCUSATIVE: PetrovichCase.ACCUSATIVE,
    Case.INSTRUMENTAL: PetrovichCase.INSTRUMENTAL,
    Case.PREPOSITIONAL: PetrovichCase.PREPOSITIONAL,
}

MALE = "m"
FEMALE = "f"

# Foreign surnames in a stressed -а/-я do not decline («Дюма», «Золя»), but petrovich cannot hear
# the stress and declines them like «Глинка». Those we know are listed here (lower case).
INDECLINABLE_SURNAMES = frozenset({"дюма", "золя", "тома", "петипа", "гамсахурдиа", "дега", "фуа"})


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def detect_sex(last: str = "", first: str = "", middle: str = "") -> str | None:
    """«m», «f» or None when the name does not tell (e.g. «Саша Белых» without a patronymic)."""
    gender = _detector().detect(firstname=first or None, lastname=last or None, middlename=middle or None)
    return {Gender.MALE: MALE, Gender.FEMALE: FEMALE}.get(gender)


@dataclass(frozen=True)
class PersonName:
    """A person's name as the document needs it. `sex` is «m»/«f» (orgstructure.Sex values);
    when unknown it is guessed from the name, and a name that does not tell is an error."""

    last: str
    first: str
    middle: str = ""
    sex: str | None = None

    def __post_init__(self):
        for attr in ("last", "first", "middle"):
            object.__setattr__(self, attr, " ".join((getattr(self, attr) or "").split()))
        if not self.last or not self.first:
            raise DeclensionError("В ФИО должны быть указаны как минимум фамилия и имя")
        sex = self.sex or detect_sex(self.last, self.first, self.middle)
        if sex not in (MALE, FEMALE):
            raise DeclensionError(f"Не удаётся определить пол по ФИО «{self.full()}»: укажите пол, чтобы склонять ФИО")
        object.__setattr__(self, "sex", sex)

    @classmethod
    def parse(cls, full_name: str, sex: str | None = None) -> PersonName:
        """«Фамилия Имя Отчество» in the nominative; a patronymic of several words
        («Оглы», «Кызы») stays with the patronymic."""
        parts = full_name.split()
        if len(parts) < 2:
            raise DeclensionError(f"ФИО «{full_name}» должно содержать фамилию и имя")
        return cls(last=parts[0], first=parts[1], middle=" ".join(parts[2:]), sex=sex)

    @classmethod
    def from_person(cls, person) -> PersonName:
        """From anything with last_name/first_name/middle_name/sex (orgstructure.Person)."""
        return cls(
            last=person.last_name,
            first=person.first_name,
            middle=getattr(person, "middle_name", "") or "",
            sex=getattr(person, "sex", None) or None,
        )

    def inflect(self, case: Case | str) -> PersonName:
        case = Case.parse(case)
        if case == Case.NOMINATIVE:
            return self
        gender = Gender.MALE if self.sex == MALE else Gender.FEMALE
        target = _PETROVICH_CASES[case]
        maker = _maker()
        last = self.last
        if not _is_indeclinable_surname(last):
            last = maker.make(NamePart.LASTNAME, gender, target, last)
        first = maker.make(NamePart.FIRSTNAME, gender, target, self.first)
        middle = _inflect_middle(self.middle, gender, target) if self.middle else ""
        return replace(self, last=last, first=first, middle=middle)

    def full(self, case: Case | str = Case.NOMINATIVE) -> str:
        """«Петровой Анне Сергеевне»."""
        name = self.inflect(case)
        return " ".join(part for part in (name.last, name.first, name.middle) if part)

    def initials(self) -> str:
        """«А.С.», «А.-М.» for a double first name, «А.» without a patronymic."""
        parts = [self.first] + ([self.middle.split()[0]] if self.middle else [])
        return "".join(_initial(part) for part in parts)

    def initials_surname(self, case: Case | str = Case.NOMINATIVE) -> str:
        """«А.С. Петрова» — in signature blocks and after a position."""
        return f"{self.initials()} {self.inflect(case).last}"

    def surname_initials(self, case: Case | str = Case.NOMINATIVE) -> str:
        """«Петрова А.С.» — in lists and tables."""
        return f"{self.inflect(case).last} {self.initials()}"

    def __str__(self):
        return self.full()


def _initial(name_part: str) -> str:
    return "-".join(f"{piece[:1].upper()}." for piece in name_part.split("-") if piece)


def _is_indeclinable_surname(last: str) -> bool:
    return all(piece.lower() in INDECLINABLE_SURNAMES for piece in last.split("-"))


def _inflect_middle(middle: str, gender: Gender, case: PetrovichCase) -> str:
    """Decline the patronymic proper; Turkic «оглы»/«кызы» after it stay as they are."""
    words = middle.split()
    words[0] = _maker().make(NamePart.MIDDLENAME, gender, case, words[0])
    return " ".join(words)


def full_name(name: PersonName | str, case: Case | str = Case.NOMINATIVE, sex: str | None = None) -> str:
    return _as_name(name, sex).full(case)


def initials_surname(name: PersonName | str, case: Case | str = Case.NOMINATIVE, sex: str | None = None) -> str:
    return _as_name(name, sex).initials_surname(case)


def surname_initials(name: PersonName | str, case: Case | str = Case.NOMINATIVE, sex: str | None = None) -> str:
    return _as_name(name, sex).surname_initials(case)


def _as_name(name, sex=None) -> PersonName:
    if isinstance(name, PersonName):
        return name
    if hasattr(name, "last_name"):
        return PersonName.from_person(name)
    return PersonName.parse(str(name), sex=sex)


# --- positions and other noun phrases --------------------------------------------------------

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
# «Заместитель начальника управления – начальник отдела»: each part around a spaced dash is a
# position of its own and declines on its own.
_COMPOUND_SEPARATOR = re.compile(r"(\s+[–—-]\s+)")
_MODIFIER_POS = {"ADJF", "PRTF"}


def inflect_phrase(phrase: str, case: Case | str) -> str:
    """Put a position or noun phrase given in the nominative into `case`.

    «учитель математики» → «учителю математики», «старший методист» → «старшему методисту»,
    «педагог-психолог» → «педагогу-психологу», «руководители образовательных организаций» →
    «руководителям образовательных организаций», «заведующая методическим кабинетом» →
    «заведующей методическим кабинетом», «исполняющий обязанности директора» →
    «исполняющему обязанности директора». Abbreviations, quoted names and the dependent tail
    are left as written. A phrase that does not start with a nominative noun group is returned
    unchanged (e.g. «и.о. директора»)."""
    case = Case.parse(case)
    if case == Case.NOMINATIVE or not phrase:
        return phrase
    pieces = _COMPOUND_SEPARATOR.split(phrase)
    return "".join(piece if i % 2 else _inflect_segment(piece, case) for i, piece in enumerate(pieces))


def _inflect_segment(text: str, case: Case) -> str:
    words = []
    position = 0
    for match in _WORD.finditer(text):
        if text[position : match.start()].strip():
            break  # punctuation, a quote, a digit: the noun group ended before it
        word = match.group()
        if len(word) > 1 and word.isupper() and _is_abbreviation(word):
            break
        words.append(match)
        position = match.end()
        if match.end() < len(text) and text[match.end()] == ".":
            break  # «и.о.», «зам.»: an abbreviation; what follows is not our group
    group = _head_group(words, case)
    if not group:
        return text
    result = []
    cursor = 0
    for match, parse, grammemes in group:
        inflected = parse.inflect(grammemes)
        if inflected is None:
            return text
        result.append(text[cursor : match.start()])
        result.append(_match_letter_case(match.group(), inflected.word))
        cursor = match.end()
    result.append(text[cursor:])
    return "".join(result)


def _is_abbreviation(word: str) -> bool:
    return any("Abbr" in parse.tag for parse in _morph().parse(word)) or not _morph().word_is_known(word.lower())


def _is_adverb(word: str) -> bool:
    return _morph().parse(word.lower())[0].tag.POS == "ADVB"


def _nominative_parses(word: str):
    return [parse for parse in _morph().parse(word.lower()) if parse.tag.case == "nomn"]


def _agrees(modifier, parses) -> bool:
    for parse in parses:
        if parse.tag.number != modifier.tag.number:
            continue
        if modifier.tag.number == "plur" or parse.tag.gender in (None, modifier.tag.gender):
            return True
    return False


def _head_group(words, case: Case):
    """[(match, parse, grammemes)] for the modifiers and the head noun, or [] when the phrase
    does not start with a nominative noun group."""
    modifiers = []
    head = None
    for index, match in enumerate(words):
        if not modifiers and _is_adverb(match.group()):
            continue  # «временно исполняющий обязанности …»
        parses = _nominative_parses(match.group())
        if not parses:
            break
        nouns = [p for p in parses if p.tag.POS == "NOUN"]
        # A position names a person: prefer the animate reading («тьютора», not «тьютор»).
        noun = next((p for p in nouns if p.tag.animacy == "anim"), nouns[0] if nouns else None)
        adjective = next((p for p in parses if p.tag.POS in _MODIFIER_POS), None)
        following = _nominative_parses(words[index + 1].group()) if index + 1 < len(words) else []
        if adjective is not None and following and _agrees(adjective, following):
            modifiers.append((match, adjective))
            continue
        if noun is not None:
            head = (match, noun)
        elif adjective is not None:
            head = (match, adjective)  # a substantivised adjective: «заведующая», «ответственный»
        break
    if head is None:
        if not modifiers:
            return []
        head, modifiers = modifiers[-1], modifiers[:-1]
    return _with_grammemes(modifiers, head, case.value)


def _with_grammemes(modifiers, head, case: str):
    head_match, head_parse = head
    tag = head_parse.tag
    group = []
    for match, parse in modifiers:
        grammemes = {case, tag.number or "sing"}
        if tag.number != "plur" and tag.gender:
            grammemes.add(tag.gender)
        if case == "accs" and tag.animacy and (tag.number == "plur" or tag.gender == "masc"):
            grammemes.add(tag.animacy)
        group.append((match, parse, grammemes))
    head_grammemes = {case}
    if head_parse.tag.POS in _MODIFIER_POS:
        head_grammemes |= {g for g in (tag.number, tag.gender) if g}
        if case == "accs" and (tag.number == "plur" or tag.gender == "masc"):
            head_grammemes.add("anim")
    group.append((head_match, head_parse, head_grammemes))
    return group


def head_gender(phrase: str) -> str:
    """Gender (or «plur») of the head noun of a nominative phrase: «Доля педагогов» → «femn»,
    «Количество организаций» → «neut», «Педагоги» → «plur». Masculine when unknown."""
    words = [match for match in _WORD.finditer(phrase)]
    group = _head_group(words, Case.GENITIVE)
    if not group:
        return "masc"
    tag = group[-1][1].tag
    if tag.number == "plur":
        return "plur"
    return tag.gender or "masc"


_PAST_ENDINGS = {"masc": "", "femn": "а", "neut": "о", "plur": "и"}


def past_agreeing(subject: str, verb_masculine: str) -> str:
    """A past-tense verb agreeing with the subject: («Доля …», «составил») → «составила»."""
    return verb_masculine + _PAST_ENDINGS[head_gender(subject)]


def _match_letter_case(original: str, inflected: str) -> str:
    if len(original) > 1 and original.isupper():
        return inflected.upper()
    pieces_original = original.split("-")
    pieces = inflected.split("-")
    if len(pieces_original) == len(pieces):
        return "-".join(
            (p[:1].upper() + p[1:]) if o[:1].isupper() else p for o, p in zip(pieces_original, pieces, strict=True)
        )
    return (inflected[:1].upper() + inflected[1:]) if original[:1].isupper() else inflected


# --- dates -----------------------------------------------------------------------------------

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def month_genitive(month: int) -> str:
    return MONTHS_GENITIVE[month - 1]


def date_quoted(value: dt.date) -> str:
    """«22» июля 2021 г. — the date line of a приказ (seed 002:L12)."""
    return f"«{value.day:02d}» {month_genitive(value.month)} {value.year} г."


def date_words(value: dt.date) -> str:
    """22 июля 2021 г. — in running text: «приказ от 22 июля 2021 г. № 692»."""
    return f"{value.day} {month_genitive(value.month)} {value.year} г."


def date_numeric(value: dt.date) -> str:
    """22.07.2021 — letters, tables, «от 10.06.2022 № 26-01-06-545»."""
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


# --- numbers ---------------------------------------------------------------------------------

_UNITS = {
    MALE: ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"),
    FEMALE: ("", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"),
    "n": ("", "одно", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"),
}
_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто")
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот")
_SCALES = (
    (("тысяча", "тысячи", "тысяч"), FEMALE),
    (("миллион", "миллиона", "миллионов"), MALE),
    (("миллиард", "миллиарда", "миллиардов"), MALE),
)


# Noun forms for quantity() that several documents count in.
HOURS = ("час", "часа", "часов")
DAYS = ("день", "дня", "дней")


def number_in_words(number: int, gender: str = MALE) -> str:
    """A cardinal number in the nominative: 22 → «двадцать два», 21 (f) → «двадцать одна»,
    1 000 000 → «один миллион». `gender` is that of the counted noun («m», «f» or «n»)."""
    if not isinstance(number, int):
        raise DeclensionError(f"Число прописью: ожидалось целое число, получено «{number}»")
    if number == 0:
        return "ноль"
    if number < 0:
        return "минус " + number_in_words(-number, gender)
    if number >= 10**12:
        raise DeclensionError("Число прописью: поддерживаются числа до триллиона")
    words = []
    triads = []
    while number:
        number, triad = divmod(number, 1000)
        triads.append(triad)
    for scale in range(len(triads) - 1, -1, -1):
        triad = triads[scale]
        if not triad:
            continue
        triad_gender = gender if scale == 0 else _SCALES[scale - 1][1]
        words.extend(_triad_words(triad, triad_gender))
        if scale:
            words.append(plural_form(triad, _SCALES[scale - 1][0]))
    return " ".join(words)


def _triad_words(triad: int, gender: str) -> list[str]:
    hundreds, rest = divmod(triad, 100)
    tens, units = divmod(rest, 10)
    words = [_HUNDREDS[hundreds]] if hundreds else []
    if tens == 1:
        words.append(_TEENS[units])
        return words
    if tens:
        words.append(_TENS[tens])
    if units:
        words.append(_UNITS[gender][units])
    return words


def number_with_words(number: int, gender: str = MALE) -> str:
    """«22 (двадцать два)» — counts that must not be misread or altered."""
    return f"{number} ({number_in_words(number, gender)})"
