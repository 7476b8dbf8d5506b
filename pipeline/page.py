"""Page furniture: the parts of a scraped news page that are not the article's prose.

A user of scraped news expects names from headlines, captions and bylines, and nothing from
the page's machinery. The rules here are about the page, not about a language:

- URLs, e-mail addresses and social-media handles hold no mention (`furniture_ranges`);
  a hashtag's word does (*#Niger* gives *Niger*: the tokenizer splits the ``#``);
- a "read also" line is a link to another article (*Lire aussi*, *À lire aussi*, *Voir
  aussi*, *Read also*), and a share or follow line is the page's buttons (*Partager sur
  Facebook*, *Suivez-nous*), and a paywall or login prompt is the site's (*Ce contenu est
  réservé aux abonnés*, *Mot de passe oublié*): nothing on them is a mention of the article;
- an embedded post ends with a signature line, ``— Display Name (@handle) Month D, YYYY``:
  the display name is the account's owner, an organisation unless it is a known person
  (`signature_names`);
- a photo credit or source line names its outlet or photographer: ``© Name``,
  ``Crédit photo : Name``, ``Source : Name`` (`credit_names`).
"""

from __future__ import annotations

import re

URL = re.compile(
    r"(?:https?://|www\.)\S+"  # links
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w@])@\w+"  # handles
    r"|\b[\w-]+(?:\.[\w-]+)+/\S*"  # a domain with a path (pic.twitter.com/abc)
)
READ_ALSO = re.compile(
    r"^[ \t]*(?:[ÀA]\s+lire\s+(?:aussi|également)|Lire\s+(?:aussi|également|la\s+suite)"
    r"|Voir\s+aussi|Read\s+(?:also|more)|Related|LIRE\s+AUSSI|À\s+LIRE"
    r"|Partager|Partagez|Share|Suivez-nous|Follow\s+us|Abonnez-vous|Imprimer)\b.*$",
    re.MULTILINE | re.IGNORECASE,
)
SIGNATURE = re.compile(r"[—–]\s*(?P<name>[^\n()@—–]{2,60}?)[\s\W]*\(@\w+\)", re.UNICODE)
CREDIT = re.compile(
    r"(?:©|\(c\)|[Cc]r[ée]dits?\s+photos?\s*:?\s*©?|Photo\s*:\s*©|Source\s*:)\s*"
    r"(?P<name>[A-ZÀ-Ý][\w.’'&-]*(?:[ \t]+[A-ZÀ-Ý][\w.’'&-]*){0,3})"
)


# A paywall or login prompt (*Ce contenu est réservé aux abonnés*, *Mot de passe oublié*).
ACCOUNT = re.compile(
    r"^[^\n]*(?:réservé\s+aux\s+(?:membres|abonnés)|Mot\s+de\s+passe|Se\s+connecter"
    r"|Nouvel\s+utilisateur|Champs?\s+(?:requis|obligatoires?)|Créer\s+un\s+compte"
    r"|S'abonner|S’abonner)[^\n]*$",
    re.MULTILINE | re.IGNORECASE,
)


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges where no mention can be: URLs, addresses, handles, read-also and
    share lines, paywall and login prompts."""
    ranges = [m.span() for m in URL.finditer(text)]
    ranges += [m.span() for m in READ_ALSO.finditer(text)]
    ranges += [m.span() for m in ACCOUNT.finditer(text)]
    return sorted(ranges)


def overlaps_any(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in ranges)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without surrounding spaces, symbols or emoji."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".’'"):
        end -= 1
    return start, end


def signature_names(text: str) -> list[tuple[int, int]]:
    """Character ranges of the display names in embedded posts' signature lines."""
    found = []
    for m in SIGNATURE.finditer(text):
        start, end = _trimmed(text, *m.span("name"))
        if end - start >= 2 and text[start].isupper():
            found.append((start, end))
    return found


def credit_names(text: str) -> list[tuple[int, int]]:
    """Character ranges of the names after a credit or source mark (``©``, ``Source :``)."""
    found = []
    for m in CREDIT.finditer(text):
        start, end = _trimmed(text, *m.span("name"))
        name = text[start:end]
        # "© Le Journal Par Jean Dupont": the byline after the outlet is not part of it
        cut = re.search(r"\s+(?:Par|By|par)(?:\s|$)", name)
        if cut:
            end = start + cut.start()
        if end - start >= 2:
            found.append((start, end))
    return found
