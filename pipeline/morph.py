"""One pymorphy3 analyser for the whole process.

Natasha 1.6 and yargy 0.16 import `pymorphy2`, which no longer works on Python 3.11+
(pkg_resources, inspect.getargspec). pymorphy3 is its maintained fork with the same API, so the
old name is pointed at it before either library is imported.
"""
import sys
from functools import lru_cache

import pymorphy3
import pymorphy3.analyzer
import pymorphy3.units
import pymorphy3.units.base

for _name, _module in {
    "pymorphy2": pymorphy3,
    "pymorphy2.analyzer": pymorphy3.analyzer,
    "pymorphy2.units": pymorphy3.units,
    "pymorphy2.units.base": pymorphy3.units.base,
}.items():
    sys.modules.setdefault(_name, _module)


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parse(word: str):
    return analyzer().parse(word)


def lemma(word: str) -> str:
    return parse(word)[0].normal_form
