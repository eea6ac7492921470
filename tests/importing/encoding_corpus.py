"""A corpus of encoded survey/CRM text files for measuring encoding detection (SPEC 3.2).

Each case is (label, bytes, the text a correct reader gives). Texts are CSV exports with names,
comments and amounts in the Latin-script languages Windows-1252 covers, in UTF-8 (with and
without BOM), UTF-16, Windows-1252, a mix of UTF-8 and Windows-1252 lines, and Windows-1252 with
a few of the bytes it leaves undefined.
"""

from __future__ import annotations

import random

NAMES = (
    "Müller & Söhne GmbH", "Société Générale d'Électricité", "Sørlandet Shipping AS",
    "Peña Hermanos S.L.", "João Gonçalves Lda", "Ålesund Fiskeri", "Brasserie Chez Zoë",
    "Straße & Partner", "Café Olé", "Þórður ehf", "Łódź Trading", "Acme Corp", "Beta Labs",
)  # fmt: skip
COMMENTS = (
    "Très satisfait du support – merci !", "Sehr gut, aber die Lieferung dauerte zu lange.",
    "Great “onboarding”, the team’s answers were quick…", "Precio: 20.000,00 € al año",
    "Funktioniert – größtenteils", "No complaints", "Muy bien • rápido", "Ça marche très bien",
    "Good value for £ and €", "Needs work", "Fantastisk service, tusen takk",
)  # fmt: skip
_STRAY = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def _text(seed: int, rows: int) -> str:
    pick = random.Random(seed)
    lines = ["Response ID,Account Name,Date,NPS,Comment"]
    for n in range(rows):
        name = pick.choice(NAMES)
        comment = pick.choice(COMMENTS)
        lines.append(f'R_{seed}{n:03d},"{name}",2026-11-{1 + n % 28:02d},{pick.randint(0, 10)},'
                     f'"{comment}"')  # fmt: skip
    return "\r\n".join(lines) + "\r\n"


def _cp1252_safe(text: str) -> str:
    """The text with characters Windows-1252 cannot hold replaced (Þ, Ł)."""
    return text.encode("cp1252", errors="replace").decode("cp1252")


def corpus() -> list[tuple[str, bytes, str]]:
    """Every case: label, the file's bytes, the text a correct reader gives."""
    cases: list[tuple[str, bytes, str]] = []
    for seed in range(12):
        text = _text(seed, 8 + 4 * seed)
        legacy = _cp1252_safe(text)
        cases.append((f"utf-8 #{seed}", text.encode("utf-8"), text))
        cases.append((f"utf-8-sig #{seed}", text.encode("utf-8-sig"), text))
        cases.append((f"utf-16 #{seed}", text.encode("utf-16"), text))
        cases.append((f"cp1252 #{seed}", legacy.encode("cp1252"), legacy))
        lines = legacy.split("\r\n")
        mixed = b"\r\n".join(
            line.encode("utf-8" if i % 3 else "cp1252") for i, line in enumerate(lines)
        )
        cases.append((f"mixed #{seed}", mixed, legacy))
        pick = random.Random(seed)
        stray_lines = []
        expected_lines = []
        for i, line in enumerate(lines):
            data = line.encode("cp1252")
            if i and i % 4 == 0 and line:
                at = pick.randrange(len(line))
                data = line[:at].encode("cp1252") + pick.choice(_STRAY) + line[at:].encode("cp1252")
                line = line[:at] + "\ufffd" + line[at:]
            stray_lines.append(data)
            expected_lines.append(line)
        cases.append(
            (f"cp1252+stray #{seed}", b"\r\n".join(stray_lines), "\r\n".join(expected_lines))
        )
    # Central European files (Windows-1250): outside what csdesk promises to read, kept in the
    # measurement so that it does not favour the reader under test.
    for seed in range(4):
        pick = random.Random(100 + seed)
        rows = ["Account Name,Comment"] + [
            f'"{pick.choice(CENTRAL)}","{pick.choice(CENTRAL_COMMENTS)}"' for _ in range(20)
        ]
        text = "\r\n".join(rows) + "\r\n"
        cases.append((f"cp1250 #{seed}", text.encode("cp1250"), text))
    return cases


CENTRAL = ("Łódź Trading Sp. z o.o.", "Škoda Dílna s.r.o.", "Zürich Węgiel", "Górnik Śląsk",
           "Příbram Železárny", "Győr Kft.")  # fmt: skip
CENTRAL_COMMENTS = ("Bardzo dobra obsługa", "Děkujeme za rychlou odpověď", "Świetny produkt",
                    "Všechno funguje", "Żadnych problemów")  # fmt: skip
