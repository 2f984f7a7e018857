"""Whether a sentence is a whole English sentence, by the Link Grammar parser the system provides.

Carnegie Mellon's Link Grammar (Debian's ``liblink-grammar5`` and ``link-grammar-dictionaries-en``;
LGPL library, BSD-style dictionary, nothing of either is copied into this project) links every word
of a sentence to the words it needs: a verb to its subject and object, a stranded preposition to the
relative clause it belongs to ("the customers I used to chat with."), a particle to its phrasal verb
even with the object between ("I put the new padding on."). A sentence it links completely, with no
word left out, is grammatical as it stands; a fragment that waits for its next word ("... the
migration to.", "... opened a new") always leaves a word unlinked.

:func:`parses_whole` asks exactly that, through the library's C interface (``ctypes``), with a time
and length bound. Without the library or its English dictionary nothing is known and every answer is
None, so a caller keeps its own rule.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import threading

log = logging.getLogger(__name__)

# The longest sentence parsed (words): Link Grammar's time grows with the cube of the length, and a
# spoken sentence this long is a recogniser's run-on whose grammar says little. A bound, not fitted.
MAX_WORDS = 40
MAX_PARSE_SECONDS = 1
DICTIONARY_DIR = os.environ.get("LINK_GRAMMAR_DICT", "/usr/share/link-grammar")

_lock = threading.Lock()  # one parse at a time: the dictionary is shared, the options are ours


class _ErrInfo(ctypes.Structure):
    _fields_ = [("severity", ctypes.c_int), ("severity_label", ctypes.c_char_p), ("text", ctypes.c_char_p)]


_HANDLER_TYPE = ctypes.CFUNCTYPE(None, ctypes.POINTER(_ErrInfo), ctypes.c_void_p)


@_HANDLER_TYPE
def _to_log(info, _data) -> None:  # the library's messages go to our log, not to the terminal
    text = (info.contents.text or b"").decode("utf-8", "replace").strip()
    log.log(logging.WARNING if info.contents.severity <= 3 else logging.DEBUG, "Link Grammar: %s", text)


class _Parser:
    def __init__(self, lib: ctypes.CDLL) -> None:
        vp, ci, cs = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
        for name, restype, argtypes in (
                ("dictionary_create_lang", vp, [cs]), ("dictionary_set_data_dir", None, [cs]),
                ("parse_options_create", vp, []), ("parse_options_set_verbosity", None, [vp, ci]),
                ("parse_options_set_min_null_count", None, [vp, ci]),
                ("parse_options_set_max_null_count", None, [vp, ci]),
                ("parse_options_set_max_parse_time", None, [vp, ci]),
                ("parse_options_set_linkage_limit", None, [vp, ci]),
                ("parse_options_set_spell_guess", None, [vp, ci]),
                ("parse_options_set_islands_ok", None, [vp, ctypes.c_bool]),
                ("parse_options_timer_expired", ctypes.c_bool, [vp]),
                ("parse_options_reset_resources", None, [vp]),
                ("sentence_create", vp, [cs, vp]), ("sentence_delete", None, [vp]),
                ("sentence_split", ci, [vp, vp]), ("sentence_parse", ci, [vp, vp]),
                ("sentence_num_valid_linkages", ci, [vp]), ("sentence_null_count", ci, [vp]),
                ("lg_error_set_handler", vp, [_HANDLER_TYPE, vp])):
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
        self.lib = lib
        lib.lg_error_set_handler(_to_log, None)  # per thread: set again before each parse
        opts = lib.parse_options_create()
        lib.parse_options_set_verbosity(opts, 0)
        lib.parse_options_set_min_null_count(opts, 0)
        lib.parse_options_set_max_null_count(opts, 0)  # a complete linkage or nothing
        lib.parse_options_set_max_parse_time(opts, MAX_PARSE_SECONDS)
        lib.parse_options_set_linkage_limit(opts, 100)
        lib.parse_options_set_spell_guess(opts, 0)  # a word it does not know is not "corrected"
        lib.parse_options_set_islands_ok(opts, False)
        self.opts = opts
        lib.dictionary_set_data_dir(DICTIONARY_DIR.encode())
        self.dictionary = lib.dictionary_create_lang(b"en")
        if not self.dictionary:
            raise OSError("no English Link Grammar dictionary")

    def whole(self, sentence: str) -> bool | None:
        lib = self.lib
        lib.lg_error_set_handler(_to_log, None)
        sent = lib.sentence_create(sentence.encode("utf-8"), self.dictionary)
        if not sent:
            return None
        try:
            lib.parse_options_reset_resources(self.opts)
            if lib.sentence_split(sent, self.opts) < 0:
                return None
            lib.sentence_parse(sent, self.opts)
            if lib.parse_options_timer_expired(self.opts):
                return None  # out of time: no answer, not a "no"
            return lib.sentence_num_valid_linkages(sent) > 0
        finally:
            lib.sentence_delete(sent)


@functools.lru_cache(maxsize=1)
def _parser() -> _Parser | None:
    name = ctypes.util.find_library("link-grammar") or "liblink-grammar.so.5"
    try:
        return _Parser(ctypes.CDLL(name))
    except (OSError, AttributeError) as exc:
        log.info("Link Grammar is not available (%s): the end-of-turn cues parse nothing", exc)
        return None


def available() -> bool:
    """Whether the parser and its English dictionary load (loads them; about 0.1 s, once)."""
    with _lock:
        return _parser() is not None


@functools.lru_cache(maxsize=512)
def parses_whole(sentence: str) -> bool | None:
    """True when ``sentence`` (one sentence, with its final punctuation) has a complete linkage with no
    word left out; False when it has none; None when nothing is known (no parser, an empty or too long
    sentence, or out of time)."""
    sentence = " ".join((sentence or "").split())
    if not sentence or len(sentence.split()) > MAX_WORDS:
        return None
    with _lock:
        parser = _parser()
        return parser.whole(sentence) if parser is not None else None
