"""A client of the KRS open API of the Ministry of Justice (data under CC0, no key).

`find_organization(krs)` is what registration uses: it reads the current extract from the
register of associations and foundations (S) and, when the number is not there, looks in the
register of entrepreneurs (P) to tell the user the number belongs to a company.
`fetch_extract(krs, register)` reads one register; `fetch_bulletin(day)` lists the numbers
with entries on a day (the nightly watch uses it). `parse_extract(data)` turns an extract
into a plain `KrsEntity`.

Every failure is a `KrsError` whose message is shown to the user as it is. The register is
polite to us only if we are polite to it: timeouts always, exponential back-off on 429 and
5xx (honouring Retry-After), and a clear "register unavailable" after the last retry.
"""

import logging
import re
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .forms import clean_krs_number
from .models import Organization

logger = logging.getLogger(__name__)

# Patched by tests that check the back-off without waiting.
_sleep = time.sleep

# Longest pause we accept from a Retry-After header, in seconds.
MAX_RETRY_AFTER = 60

USER_AGENT = "Wspolpraca/1.0 (platform of a municipality and its NGOs)"


class KrsError(Exception):
    """Reading the register failed; `str(error)` is a message for the user."""

    default_message = _("The register could not be read.")

    def __init__(self, message=None, *, krs=""):
        self.krs = krs
        super().__init__(message or self.default_message)

    def __str__(self):
        return str(self.args[0])


class KrsNotFound(KrsError):
    default_message = _(
        "There is no organization with this number in the KRS. Check the number, or register "
        "without the KRS if your organization is not in it."
    )


class KrsStruckOff(KrsError):
    default_message = _(
        "This organization has been struck off the KRS, so it cannot be registered here."
    )


class KrsNotAnNgo(KrsError):
    default_message = _(
        "This KRS number belongs to a company in the register of entrepreneurs, not to an "
        "NGO. A non-profit company can register by filling in the data by hand."
    )


class KrsUnavailable(KrsError):
    default_message = _("The register is not answering right now — fill in the data by hand.")


# formaPrawna → Organization.Kind. Exact names first, then prefixes; anything else is OTHER.
LEGAL_FORMS = {
    "FUNDACJA": Organization.Kind.FOUNDATION,
    "STOWARZYSZENIE": Organization.Kind.ASSOCIATION,
    "STOWARZYSZENIE KULTURY FIZYCZNEJ": Organization.Kind.ASSOCIATION,
    "ZWIĄZEK STOWARZYSZEŃ": Organization.Kind.ASSOCIATION,
    "ZWIĄZEK SPORTOWY": Organization.Kind.ASSOCIATION,
    "SPÓŁDZIELNIA SOCJALNA": Organization.Kind.SOCIAL_COOPERATIVE,
    "SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ": Organization.Kind.NONPROFIT_COMPANY,
    "SPÓŁKA AKCYJNA": Organization.Kind.NONPROFIT_COMPANY,
}
LEGAL_FORM_PREFIXES = [
    ("FUNDACJA", Organization.Kind.FOUNDATION),
    ("STOWARZYSZENIE", Organization.Kind.ASSOCIATION),
    ("ZWIĄZEK STOWARZYSZEŃ", Organization.Kind.ASSOCIATION),
]


def kind_for(legal_form):
    form = " ".join((legal_form or "").upper().split())
    if form in LEGAL_FORMS:
        return LEGAL_FORMS[form].value
    for prefix, kind in LEGAL_FORM_PREFIXES:
        if form.startswith(prefix):
            return kind.value
    return Organization.Kind.OTHER.value


@dataclass
class KrsEntity:
    """What the platform takes from a current extract. People are never stored: the register
    masks their names and PESEL numbers anyway."""

    krs: str
    register: str = "S"
    name: str = ""
    legal_form: str = ""
    kind: str = Organization.Kind.OTHER
    nip: str = ""
    regon: str = ""
    registration_date: date | None = None
    street: str = ""
    postal_code: str = ""
    city: str = ""
    seat_voivodeship: str = ""
    seat_county: str = ""
    seat_municipality: str = ""
    seat_town: str = ""
    email: str = ""
    website: str = ""
    is_public_benefit: bool = False
    statutory_goals: str = ""
    representation: str = ""

    def organization_fields(self):
        """Values for the Organization model (and the registration form's initial data)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "krs": self.krs,
            "nip": self.nip,
            "regon": self.regon,
            "registration_date": self.registration_date,
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "email": self.email,
            "website": self.website,
            "is_public_benefit": self.is_public_benefit,
            "statutory_goals": self.statutory_goals,
        }

    def is_seated_in(self, municipalities, town):
        """True when the seat is in the municipality (gmina from a list, or the town)."""
        wanted = {" ".join(m.split()).casefold() for m in municipalities}
        if " ".join(self.seat_municipality.split()).casefold() in wanted:
            return True
        return bool(town) and self.seat_town.casefold() == town.casefold()

    def to_dict(self):
        """JSON-safe (for the session)."""
        data = asdict(self)
        data["registration_date"] = (
            self.registration_date.isoformat() if self.registration_date else None
        )
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        if data.get("registration_date"):
            data["registration_date"] = date.fromisoformat(data["registration_date"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


# Parsing.


def _get(data, *path, default=""):
    for key in path:
        if not isinstance(data, dict):
            return default
        data = data.get(key)
    return default if data is None else data


def _text(value):
    return " ".join(str(value or "").split())


def _lines(value):
    """Tidy spaces and tabs, keep the line breaks."""
    lines = (" ".join(line.split()) for line in str(value or "").splitlines())
    return "\n".join(line for line in lines if line)


def _date(value):
    try:
        return datetime.strptime(_text(value), "%d.%m.%Y").date()
    except ValueError:
        return None


STREET_PREFIXES = re.compile(r"^(Ul|Al|Os|Pl|Rondo|Skwer|Bulw)\.?\s", re.IGNORECASE)


def tidy_place(value):
    """ "AL. 29 LISTOPADA" → "al. 29 Listopada": the register writes addresses in capitals."""
    value = _text(value).title()
    return STREET_PREFIXES.sub(lambda m: m.group(0).lower(), value)


def _street(address, town):
    street = _text(address.get("ulica")) or _text(address.get("miejscowosc")) or town
    number = _text(address.get("nrDomu"))
    flat = _text(address.get("nrLokalu"))
    line = " ".join(part for part in (street, number) if part)
    if flat:
        line = f"{line}/{flat}" if number else f"{line} {flat}"
    return tidy_place(line)


def normalise_website(value):
    value = _text(value).lower()
    if not value:
        return ""
    if not re.match(r"^https?://", value):
        value = "https://" + value
    return value


def _regon(value):
    digits = re.sub(r"\D", "", str(value or ""))
    return digits[:9] if len(digits) in (9, 14) else digits


def _representation(dzial2):
    rep = _get(dzial2, "reprezentacja", default={})
    if not isinstance(rep, dict):
        return ""
    parts = [_text(rep.get("nazwaOrganu")), _text(rep.get("sposobReprezentacji"))]
    return "\n".join(p for p in parts if p)


def parse_extract(data, register="S"):
    """Turn an `OdpisAktualny` JSON document into a KrsEntity."""
    odpis = _get(data, "odpis", default={})
    if not isinstance(odpis, dict) or not odpis:
        raise ValueError("not a KRS extract: no 'odpis'")
    header = _get(odpis, "naglowekA", default={})
    dane = _get(odpis, "dane", default={})
    dzial1 = _get(dane, "dzial1", default={})
    subject = _get(dzial1, "danePodmiotu", default={})
    ids = _get(subject, "identyfikatory", default={})
    seat_block = _get(dzial1, "siedzibaIAdres", default={})
    seat = _get(seat_block, "siedziba", default={})
    address = _get(seat_block, "adres", default={})
    register_name = _text(header.get("rejestr")).upper()
    if register_name in ("REJS", "REJP"):
        register = register_name[-1]
    legal_form = _text(subject.get("formaPrawna"))
    town = _text(address.get("miejscowosc")) or _text(seat.get("miejscowosc"))
    krs_number = _text(header.get("numerKRS"))
    return KrsEntity(
        krs=krs_number.zfill(10) if krs_number.isdigit() else krs_number,
        register=register,
        name=_text(subject.get("nazwa")),
        legal_form=legal_form,
        kind=kind_for(legal_form),
        nip=re.sub(r"\D", "", str(ids.get("nip") or "")),
        regon=_regon(ids.get("regon")),
        registration_date=_date(header.get("dataRejestracjiWKRS")),
        street=_street(address, town),
        postal_code=_text(address.get("kodPocztowy")),
        city=tidy_place(town),
        seat_voivodeship=_text(seat.get("wojewodztwo")),
        seat_county=_text(seat.get("powiat")),
        seat_municipality=_text(seat.get("gmina")),
        seat_town=_text(seat.get("miejscowosc")),
        email=_text(seat_block.get("adresPocztyElektronicznej")).lower(),
        website=normalise_website(seat_block.get("adresStronyInternetowej")),
        is_public_benefit=subject.get("czyPosiadaStatusOPP") is True,
        statutory_goals=_lines(_get(dane, "dzial3", "celDzialaniaOrganizacji", "celDzialania")),
        representation=_representation(_get(dane, "dzial2", default={})),
    )


def is_not_found_body(data):
    """The register answers 404 with an RFC 7807 problem document."""
    return isinstance(data, dict) and (
        data.get("status") == 404 or data.get("title") == "Not Found"
    )


def parse_bulletin(data):
    """A bulletin is a list of KRS numbers without leading zeros, some repeated."""
    if not isinstance(data, list):
        raise ValueError("not a KRS bulletin: expected a list")
    numbers = set()
    for item in data:
        text = str(item).strip()
        if text.isdigit() and 0 < len(text) <= 10 and int(text):
            numbers.add(text.zfill(10))
    return sorted(numbers)


# HTTP.


def _retry_after(response):
    value = response.headers.get("Retry-After", "")
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return None


def _request(path, params=None, *, krs="", interactive=False):
    """GET `path` under KRS_API_URL; returns the response for 200, 204 and 404.

    `interactive` requests serve a person waiting for a page: they give up sooner
    (KRS_INTERACTIVE_*), since the form can still be filled in by hand."""
    url = settings.KRS_API_URL.rstrip("/") + "/" + path.lstrip("/")
    retries = max(int(settings.KRS_INTERACTIVE_RETRIES if interactive else settings.KRS_RETRIES), 0)
    timeout = settings.KRS_INTERACTIVE_TIMEOUT if interactive else settings.KRS_TIMEOUT
    backoff = float(settings.KRS_BACKOFF)
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    for attempt in range(retries + 1):
        delay = backoff * (2**attempt)
        try:
            response = requests.get(url, params=params, headers=headers, timeout=timeout)
        except (requests.ConnectionError, requests.Timeout) as error:
            logger.warning("KRS %s: %s (attempt %d)", url, error.__class__.__name__, attempt + 1)
        else:
            if response.status_code in (200, 204, 404):
                return response
            logger.warning(
                "KRS %s answered %s (attempt %d)", url, response.status_code, attempt + 1
            )
            if response.status_code != 429 and response.status_code < 500:
                break
            retry_after = _retry_after(response)
            if retry_after is not None:
                delay = retry_after
        if attempt < retries:
            _sleep(delay)
    raise KrsUnavailable(krs=krs)


def _json(response, krs=""):
    try:
        return response.json()
    except ValueError as error:
        logger.warning("KRS answered with something that is not JSON: %s", error)
        raise KrsUnavailable(krs=krs) from error


def fetch_extract(krs, register="S", *, interactive=False):
    """The current extract of `krs` in one register (S: associations, foundations; P:
    entrepreneurs). Raises KrsNotFound (404), KrsStruckOff (204) or KrsUnavailable."""
    number = clean_krs_number(krs)
    response = _request(
        f"OdpisAktualny/{number}",
        {"rejestr": register, "format": "json"},
        krs=number,
        interactive=interactive,
    )
    if response.status_code == 404:
        raise KrsNotFound(krs=number)
    if response.status_code == 204:
        raise KrsStruckOff(krs=number)
    try:
        return parse_extract(_json(response, number), register=register)
    except ValueError as error:
        raise KrsUnavailable(krs=number) from error


def find_organization(krs, *, ngo_only=True, interactive=False):
    """Read an NGO's data for registration: register S first, then P.

    In P only social cooperatives and public benefit (hence non-profit) companies count as
    NGOs; any other company raises KrsNotAnNgo (unless `ngo_only` is False, as when the
    watch refreshes a record already on the platform)."""
    try:
        return fetch_extract(krs, "S", interactive=interactive)
    except KrsNotFound:
        pass
    try:
        entity = fetch_extract(krs, "P", interactive=interactive)
    except KrsStruckOff:
        if ngo_only:
            raise KrsNotAnNgo(krs=clean_krs_number(krs)) from None
        raise
    if ngo_only and entity.kind != Organization.Kind.SOCIAL_COOPERATIVE:
        if not entity.is_public_benefit:
            raise KrsNotAnNgo(krs=entity.krs)
        entity.kind = Organization.Kind.NONPROFIT_COMPANY.value
    return entity


def fetch_bulletin(day):
    """Sorted, distinct, zero-padded KRS numbers with entries on `day` (a date)."""
    response = _request(f"Biuletyn/{day:%Y-%m-%d}")
    if response.status_code in (204, 404):
        return []
    try:
        return parse_bulletin(_json(response))
    except ValueError as error:
        raise KrsUnavailable() from error
