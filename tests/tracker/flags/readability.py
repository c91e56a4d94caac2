"""A plain Flesch-Kincaid grade, good enough to keep patient-facing wording simple.

Grade = 0.39 x (words per sentence) + 11.8 x (syllables per word) - 15.59.
Syllables are counted as groups of vowels, less a silent final "e"; a number
counts as two syllables. It is an estimate, as every readability formula is.
"""

import re

WORD = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+(?:['\u2019][a-z]+)?")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def syllables(word: str) -> int:
    if word[0].isdigit():
        return 2
    word = word.lower().replace("\u2019", "'").split("'")[0]
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if WORD.search(part)]


def grade(text: str) -> float:
    words = WORD.findall(text)
    if not words:
        return 0.0
    sentence_count = max(1, len(sentences(text)))
    syllable_count = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentence_count + 11.8 * syllable_count / len(words) - 15.59
