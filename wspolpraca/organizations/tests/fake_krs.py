"""A local stand-in for the KRS open API, for unit and browser tests.

It listens on 127.0.0.1 (a free port) in a background thread and answers the paths the real
API has, with the same shapes::

    GET {url}/OdpisAktualny/{krs}?rejestr=S&format=json   200 extract | 404 problem | 204
    GET {url}/Biuletyn/{YYYY-MM-DD}                         200 list of numbers as strings

Use it as a context manager or with start()/stop()::

    from wspolpraca.organizations.tests.fake_krs import FakeKrs, sample_extract

    with FakeKrs() as krs:                       # or: krs = FakeKrs().start(); ...; krs.stop()
        settings.KRS_API_URL = krs.url
        krs.add_extract("123456", sample_extract("123456", "FUNDACJA NOWA"))
        krs.add_extract("777", "odpis-P-0000000777-spolka.json", register="P")
        krs.add_bulletin("2026-03-02", ["123456", "777"])
        krs.set_status("OdpisAktualny/0000123456", 429, times=1)   # then 200
        krs.set_status("*", 500)                                   # the register is down
        krs.set_delay("Biuletyn/2026-03-02", 2.0)                  # slow answer
        krs.requests                                               # what was asked, in order

A path in set_status/set_delay is relative to the API root, with or without a leading "/";
"OdpisAktualny/0000123456" matches both registers, "OdpisAktualny/0000123456?rejestr=S" only
register S, "*" every request. KRS numbers may be given without leading zeros. Rules added
later win; with `times` a rule applies that many times and then the normal answer returns.

In pytest, the `fake_krs` fixture (tests/conftest.py) starts one and points the settings at it.
"""

import json
import threading
import time
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from stdnum.pl import nip as nip_number
from stdnum.pl import regon as regon_number

FIXTURES = Path(__file__).resolve().parent / "krs_fixtures"
API_ROOT = "/api/krs"

NOT_FOUND_BODY = {
    "type": "https://tools.ietf.org/html/rfc7231#section-6.5.4",
    "title": "Not Found",
    "status": 404,
    "traceId": "00-00000000000000000000000000000000-0000000000000000-00",
}


def _krs(number):
    return str(number).strip().zfill(10)


def _load(data_or_path):
    if isinstance(data_or_path, dict | list):
        return data_or_path
    path = Path(data_or_path)
    if not path.is_absolute() and not path.exists():
        path = FIXTURES / path
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class _Rule:
    path: str
    status: int | None  # None: answer normally, after the delay
    times: int | None
    delay: float = 0.0
    body: object = None
    headers: dict | None = None

    def matches(self, keys):
        return self.path == "*" or self.path in keys


def _normalise_rule_path(path):
    path = path.strip()
    if path == "*":
        return path
    path = path.removeprefix(API_ROOT).lstrip("/")
    base, _, query = path.partition("?")
    parts = base.split("/")
    if len(parts) == 2 and parts[0] == "OdpisAktualny":
        parts[1] = _krs(parts[1])
    base = "/".join(parts)
    register = parse_qs(query).get("rejestr", [""])[0]
    return f"{base}?rejestr={register}" if register else base


class FakeKrs:
    """The fake register. Not thread-safe to configure while requests are in flight, which
    tests never need."""

    def __init__(self):
        self.extracts = {}  # (krs, register) -> dict
        self.bulletins = {}  # "YYYY-MM-DD" -> list of str
        self.rules = []
        self.requests = []  # relative paths with query, in the order received
        self._server = None
        self._thread = None
        self._lock = threading.Lock()

    # Life cycle.

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                fake._answer(self)

            def log_message(self, format, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        """The value for settings.KRS_API_URL."""
        return f"http://127.0.0.1:{self.port}{API_ROOT}"

    # Configuration.

    def add_extract(self, krs, data_or_path, register="S"):
        """Serve `data_or_path` (a dict, or a JSON file; a bare name is looked up in
        tests/krs_fixtures/) as the current extract of `krs` in `register`."""
        self.extracts[(_krs(krs), register)] = _load(data_or_path)
        return self

    def add_bulletin(self, day, numbers):
        """Serve the bulletin of `day` (a date or "YYYY-MM-DD"): numbers as the register
        writes them, i.e. strings without leading zeros."""
        key = day.isoformat() if isinstance(day, date) else str(day)
        self.bulletins[key] = [str(int(str(n))) for n in numbers]
        return self

    def set_status(self, path, status, times=None, *, body=None, headers=None, delay=0.0):
        """Answer `path` with `status` (e.g. 404, 204, 429, 500), `times` times or forever.
        `headers` e.g. {"Retry-After": "3"}; `body` a dict/list sent as JSON."""
        with self._lock:
            self.rules.append(
                _Rule(_normalise_rule_path(path), status, times, delay, body, headers)
            )
        return self

    def set_delay(self, path, seconds, times=None):
        """Wait `seconds` before answering `path` normally (for timeouts)."""
        with self._lock:
            self.rules.append(_Rule(_normalise_rule_path(path), None, times, seconds))
        return self

    def reset(self):
        self.extracts.clear()
        self.bulletins.clear()
        self.rules.clear()
        self.requests.clear()

    def count(self, fragment):
        """How many requests contained `fragment` (e.g. a KRS number or "Biuletyn")."""
        return sum(1 for r in self.requests if fragment in r)

    # Answering.

    def _take_rule(self, keys):
        with self._lock:
            for rule in reversed(self.rules):
                if rule.matches(keys):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self.rules.remove(rule)
                    return rule
        return None

    def _answer(self, handler):
        parts = urlsplit(handler.path)
        relative = parts.path.removeprefix(API_ROOT).lstrip("/")
        query = parse_qs(parts.query)
        register = query.get("rejestr", [""])[0]
        self.requests.append(relative + (f"?{parts.query}" if parts.query else ""))
        keys = {relative}
        if register:
            keys.add(f"{relative}?rejestr={register}")
        rule = self._take_rule(keys)
        if rule is not None and rule.delay:
            time.sleep(rule.delay)
        if rule is not None and rule.status is not None:
            return self._send(handler, rule.status, rule.body, rule.headers)

        segments = relative.split("/")
        if not parts.path.startswith(API_ROOT + "/"):
            return self._send(handler, 404, NOT_FOUND_BODY)
        if len(segments) == 2 and segments[0] == "OdpisAktualny":
            extract = self.extracts.get((_krs(segments[1]), register or "S"))
            if extract is None:
                return self._send(handler, 404, NOT_FOUND_BODY)
            return self._send(handler, 200, extract)
        if len(segments) == 2 and segments[0] == "Biuletyn":
            if segments[1] not in self.bulletins:
                return self._send(handler, 200, [])
            return self._send(handler, 200, self.bulletins[segments[1]])
        return self._send(handler, 404, NOT_FOUND_BODY)

    @staticmethod
    def _send(handler, status, body=None, headers=None):
        if status == 404 and body is None:
            body = NOT_FOUND_BODY
        payload = b"" if status == 204 or body is None else json.dumps(body).encode()
        try:
            handler.send_response(status)
            if payload:
                content_type = "application/problem+json" if status >= 400 else "application/json"
                handler.send_header("Content-Type", f"{content_type}; charset=utf-8")
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                handler.send_header(name, str(value))
            handler.end_headers()
            if payload:
                handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)


# Building extracts.


def _valid_nip(seed):
    base = int(seed) % 10**9
    for step in range(100):
        digits = f"{(base + step) % 10**9:09d}"
        if digits[:3] == "000":
            digits = "1" + digits[1:]
        for check in "0123456789":
            if nip_number.is_valid(digits + check):
                return digits + check
    raise ValueError("no NIP found")  # pragma: no cover


def _valid_regon(seed):
    digits = f"{(int(seed) * 7 + 12345678) % 10**8:08d}"
    return digits + regon_number.calc_check_digit(digits) + "00000"


def sample_extract(krs, name, kind="FUNDACJA", city="KRAKÓW", email=None, opp=False):
    """A current extract (`OdpisAktualny`) in the shape of the register's, with made-up data:
    `kind` is the register's formaPrawna, `city` the seat (town and gmina), `email` the
    adresPocztyElektronicznej (left out when None), `opp` the public benefit status. NIP and
    REGON are valid numbers derived from `krs`."""
    number = _krs(krs)
    city = city.upper()
    in_krakow = city == "KRAKÓW"
    seat_block = {
        "siedziba": {
            "kraj": "POLSKA",
            "wojewodztwo": "MAŁOPOLSKIE",
            "powiat": city if in_krakow else f"POWIAT {city}",
            "gmina": city,
            "miejscowosc": city,
        },
        "adres": {
            "ulica": "UL. PRZYKŁADOWA",
            "nrDomu": str(int(number) % 90 + 1),
            "nrLokalu": "2",
            "miejscowosc": city,
            "kodPocztowy": "31-000" if in_krakow else "33-100",
            "poczta": city,
            "kraj": "POLSKA",
        },
        "adresStronyInternetowej": f"WWW.ORGANIZACJA-{int(number)}.EXAMPLE.ORG",
    }
    if email:
        seat_block["adresPocztyElektronicznej"] = email.upper()
    return {
        "odpis": {
            "rodzaj": "Aktualny",
            "naglowekA": {
                "rejestr": "RejS",
                "numerKRS": number,
                "dataCzasOdpisu": "02.03.2026 08:00:00",
                "stanZDnia": "01.03.2026",
                "dataRejestracjiWKRS": "15.01.2024",
                "numerOstatniegoWpisu": 1,
                "dataOstatniegoWpisu": "15.01.2024",
                "sygnaturaAktSprawyDotyczacejOstatniegoWpisu": "KR.XII NS-REJ.KRS/1/24/1",
                "oznaczenieSaduDokonujacegoOstatniegoWpisu": "SĄD REJONOWY (FIKCYJNY)",
                "stanPozycji": 1,
            },
            "dane": {
                "dzial1": {
                    "danePodmiotu": {
                        "formaPrawna": kind,
                        "identyfikatory": {
                            "nip": _valid_nip(number),
                            "regon": _valid_regon(number),
                        },
                        "nazwa": name,
                        "czyPosiadaStatusOPP": bool(opp),
                    },
                    "siedzibaIAdres": seat_block,
                },
                "dzial2": {
                    "reprezentacja": {
                        "nazwaOrganu": "ZARZĄD",
                        "sposobReprezentacji": "DO REPREZENTACJI UPRAWNIONY JEST KAŻDY CZŁONEK "
                        "ZARZĄDU SAMODZIELNIE.",
                        "sklad": [
                            {
                                "nazwisko": {"nazwiskoICzlon": "K*******"},
                                "imiona": {"imie": "A***"},
                                "identyfikator": {"pesel": "9**********"},
                                "funkcjaWOrganie": "PREZES ZARZĄDU",
                            }
                        ],
                    }
                },
                "dzial3": {
                    "celDzialaniaOrganizacji": {
                        "celDzialania": "1. WSPIERANIE AKTYWNOŚCI MIESZKAŃCÓW.\n"
                        "2. DZIAŁANIA NA RZECZ SĄSIEDZTWA."
                    }
                },
                "dzial4": {},
                "dzial5": {},
                "dzial6": {},
            },
        }
    }
