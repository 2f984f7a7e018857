"""The password policy: what a password must not be, each refusal with a reason the user can act on.

Beyond the length bounds, a password is refused when it is guessable by the first rules any
cracking tool applies: a single repeated unit (``aaaaaaaa``, ``abcabcabc``), a run of
neighbouring characters (``abcdefgh``, ``87654321``), a keyboard walk (``qwertyui``,
``1qaz2wsx``, ``zxcvbnm,``), digits only (dates and years such as ``20242025``), a word from the
project's own list of obvious choices with digits or symbols around it (``Summer2024!``,
``P@ssw0rd1``), or the person's own email, name or company name.

Two word lists are used. The 30,000 passwords seen most often in public password leaks, and the
most frequent English words, first names, surnames and film/TV words, come from the ``zxcvbn``
package (its ranked frequency lists, a general resource installed from PyPI; the project ships
the dependency, not a copy): a password that is one of those leaked passwords, or whose core is
a single such word or name (``Jennifer1!``, ``liverpool``), is refused - cracking tools try those
first. The short list below was written for this project: words people reach for when asked for
a password on this product (its own vocabulary, seasons, greetings, keyboard rows).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

MIN_LENGTH = 8
MAX_BYTES = 72  # bcrypt ignores everything after 72 bytes; refuse rather than truncate
MIN_DISTINCT = 5
DIGITS_ONLY_MIN = 16  # a digits-only password must be at least this long (dates and years are not)

OBVIOUS_WORDS = frozenset("""
    password passwort passe contrasena senha parola wachtwoord salasana haslo
    pass passw0rd letmein welcome hello hallo hola bonjour ciao goodbye
    admin administrator root user guest login logon signin account access default temp temporary
    changeme change secret private master super superuser system manager owner test testing demo
    qwerty qwertz azerty asdf asdfgh zxcv zxcvbn
    iloveyou love lover loveme baby angel princess prince sunshine flower freedom friend friends
    monkey dragon tiger lion eagle shadow ninja pirate killer batman superman spiderman starwars pokemon
    football soccer baseball basketball hockey tennis golf
    summer winter spring autumn fall
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    interview interviewer interviews recruiter recruiting recruitment hiring hire candidate candidates
    career careers resume job jobs talent company office work employee staff team
    computer internet laptop google apple microsoft linux windows github python java coffee
    abc abcd abcdef xyz
    """.split())

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                       "@": "a", "$": "s", "!": "i", "+": "t", "|": "i"})

# QWERTY rows with their horizontal offsets (in key widths) for the neighbour test.
_ROWS = [("`1234567890-=", 0.0), ("qwertyuiop[]\\", 0.5), ("asdfghjkl;'", 0.75), ("zxcvbnm,./", 1.25)]
_SHIFTED = dict(zip("~!@#$%^&*()_+{}|:\"<>?", "`1234567890-=[]\\;',./"))


def _key_positions() -> dict[str, tuple[int, float]]:
    positions: dict[str, tuple[int, float]] = {}
    for row, (keys, offset) in enumerate(_ROWS):
        for col, key in enumerate(keys):
            positions[key] = (row, col + offset)
    return positions


_KEYS = _key_positions()


def _key(ch: str) -> str:
    ch = ch.lower()
    return _SHIFTED.get(ch, ch)


def _keyboard_neighbours(a: str, b: str) -> bool:
    pa, pb = _KEYS.get(_key(a)), _KEYS.get(_key(b))
    if pa is None or pb is None:
        return False
    return abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1.0 and pa != pb


def _predictable_step(a: str, b: str) -> bool:
    """The next character follows from the previous one: same key, next/previous in the
    alphabet or digits, or a neighbouring key on the keyboard."""
    la, lb = a.lower(), b.lower()
    return la == lb or abs(ord(la) - ord(lb)) == 1 or _keyboard_neighbours(la, lb)


MIN_WORD = 4  # shorter cores ("abc1234!") are left to the pattern and length rules


@functools.cache
def _leaked_and_dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(the 30,000 most common leaked passwords, dictionary words and names), lower case, loaded
    on first use from zxcvbn's ranked frequency lists."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    leaked = frozenset(w.lower() for w in FREQUENCY_LISTS["passwords"])
    words = frozenset(w.lower() for name, ranked in FREQUENCY_LISTS.items() if name != "passwords"
                      for w in ranked if len(w) >= MIN_WORD and w.isalpha())
    return leaked, words


def _is_repeated_unit(text: str) -> bool:
    n = len(text)
    for size in range(1, n // 2 + 1):
        unit = text[:size]
        if (unit * (n // size + 1))[:n] == text:
            return True
    return False


def _is_pattern(text: str) -> bool:
    steps = list(zip(text, text[1:]))
    if not steps:
        return True
    predictable = sum(_predictable_step(a, b) for a, b in steps)
    return predictable / len(steps) >= 0.75


def _core_word(text: str) -> str:
    """The password with leetspeak undone and leading/trailing digits and symbols removed."""
    stripped = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text.lower())
    return stripped.translate(_LEET)


def _personal_parts(email: str | None, names: Iterable[str | None]) -> set[str]:
    parts: set[str] = set()
    if email:
        local, _, domain = email.strip().lower().partition("@")
        parts.update([local, domain.split(".")[0]])
        parts.update(re.split(r"[._+\-]+", local))
    for name in names:
        if name:
            lowered = name.strip().lower()
            parts.add(re.sub(r"\W+", "", lowered))
            parts.update(re.split(r"\W+", lowered))
    return {p for p in parts if len(p) >= 3}


def password_problems(password: str, *, email: str | None = None,
                      names: Iterable[str | None] = ()) -> list[str]:
    """Every reason ``password`` is refused, as phrases completing "Password must be ..."."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"at least {MIN_LENGTH} characters")
    if len(password.encode()) > MAX_BYTES:
        problems.append(f"at most {MAX_BYTES} bytes")
    if problems:
        return problems
    lowered = password.strip().lower()
    compact = re.sub(r"\s+", "", lowered)
    if _is_repeated_unit(compact):
        problems.append("more than a character or chunk repeated (like 'aaaaaaaa' or 'abcabcabc')")
    elif compact.isdigit() and len(compact) < DIGITS_ONLY_MIN:
        problems.append("more than digits (dates, years and numbers are guessed first)")
    elif _is_pattern(compact):
        problems.append("something other than a sequence or keyboard pattern (like 'abcdefgh', '87654321' or "
                        "'qwertyui')")
    elif len(set(compact)) < MIN_DISTINCT:
        problems.append(f"made of at least {MIN_DISTINCT} different characters")
    core = _core_word(compact)
    if compact in OBVIOUS_WORDS or core in OBVIOUS_WORDS or _core_word(lowered.replace(" ", "")) in OBVIOUS_WORDS:
        problems.append("not a common word with digits or symbols added (like 'Summer2024!' or 'P@ssw0rd1')")
    elif "password" in compact.translate(_LEET) or "passw" in compact:
        problems.append("without the word 'password'")
    else:
        leaked, words = _leaked_and_dictionary()
        if compact in leaked or (len(core) >= MIN_WORD and core in leaked):
            problems.append("not one of the passwords most often seen in leaks (like 'trustno1' or 'liverpool')")
        elif core.isalpha() and core in words:
            problems.append("more than a single dictionary word or name with digits or symbols added "
                            "(like 'Jennifer1!'); a few unrelated words together are strong")
    personal = _personal_parts(email, names)
    plain = re.sub(r"[\W_]+", "", compact)
    own_email = bool(email) and compact in {email.strip().lower(), email.strip().lower().partition("@")[0]}
    if own_email or any(part in (core, plain) or (part in plain and not re.search(r"[a-z]", plain.replace(part, "")))
                        for part in personal):
        problems.append("different from your email address, your name and your company's name")
    return problems
