"""The bench's corpus: N varied reports mixed from the seed and the fixture texts (benchmarks.bench)."""
import hashlib
import random
import re
from pathlib import Path

from pipeline.slug import slugify

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "raw_reports").glob("*.txt")) + sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))

# City stems and substitutes that decline the same way (Омск/Омска/Омске/омский -> Томск/Томска/...).
CITY_STEMS = {
    "Омск": ["Томск", "Курск", "Иркутск", "Мурманск", "Смоленск"],
    "Томск": ["Омск", "Курск", "Иркутск", "Красноярск"],
    "Новосибирск": ["Красноярск", "Мурманск", "Смоленск", "Курск"],
    "Казан": ["Рязан", "Тюмен"],
    "Екатеринбург": ["Оренбург"],
    "Краснодар": ["Сыктывкар"],
}


def build_corpus(n: int, folder: Path, seed: int = 7) -> dict:
    """N reports mixed from the fixture texts: another city of the same declension, paragraphs
    dropped, swapped and borrowed from other reports, numbers and years changed. All texts differ."""
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    bodies = [[p for p in _paragraphs(t)[2:] if len(p) > 200] for t in texts]
    folder.mkdir(parents=True, exist_ok=True)
    shas, chars = set(), 0
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        k = i % len(texts)
        paras = _paragraphs(texts[k])
        head, body = paras[:2], paras[2:]
        body = [p for p in body if rng.random() > 0.12] or body
        for j in range(len(body) - 1):
            if rng.random() < 0.15:
                body[j], body[j + 1] = body[j + 1], body[j]
        for _ in range(rng.randint(1, 3)):
            other = rng.choice([b for idx, b in enumerate(bodies) if idx != k and b])
            body.insert(rng.randint(0, len(body)), rng.choice(other))
        text = "\n\n".join(head + body) + "\n"
        stem = max(CITY_STEMS, key=lambda c: len(re.findall(rf"(?<![А-Яа-яЁё]){c}", texts[k])))
        city = stem
        if rng.random() < 0.75:
            city = rng.choice(CITY_STEMS[stem])
            text = _replace_stem(text, stem, city)
        shift = rng.randint(-2, 2)
        text = _vary_numbers(text, rng, shift)
        _, year, topic = re.match(r"(.+?)-(\d{4})-(.+)", SOURCES[k].stem).groups()
        name = f"{i:04d}-{slugify(city.lower())}-{int(year) + shift}-{topic}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        shas.add(hashlib.sha256(text.encode()).hexdigest())
        chars += len(text)
    return {"files": n, "distinct": len(shas), "chars": chars, "sources": len(texts)}


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]


LATIN_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


def _replace_stem(text: str, old: str, new: str) -> str:
    first, _, rest = text.partition("\n")
    if first.isupper():  # an upper-case title, maybe typed with Latin look-alikes ("OMCK")
        first = first.translate(LATIN_LOOKALIKES).replace(old.upper(), new.upper())
    text = first + "\n" + rest
    text = re.sub(rf"(?<![А-Яа-яЁё]){old}", new, text)
    return re.sub(rf"(?<![А-Яа-яЁё]){old.lower()}", new.lower(), text)


def _vary_numbers(text: str, rng: random.Random, shift: int) -> str:

    def number(m: re.Match) -> str:
        s = m.group(0)
        if len(s) == 4 and s[:2] in ("19", "20"):
            return str(int(s) + shift)
        if len(s) <= 2 and rng.random() < 0.5:
            return s  # day numbers, section numbers: often kept
        return str(rng.randint(10 ** (len(s) - 1) if len(s) > 1 else 1, 10 ** len(s) - 1))

    return re.sub(r"(?<![\d.,])\d+(?![\d.,]\d)", number, text)
