"""Expenses: who spent what, on which project, for which department, and when.

Plain Python: the rules of money (positive, two decimals, ISO 4217), of the source file's
writing ("1,200.00€", M/D/YYYY) and of the fiscal calendar. No SQLAlchemy, Flask or marshmallow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

AMOUNT_TEXT = re.compile(r"\d{1,10}(\.\d{1,2})?")
TOO_PRECISE = re.compile(r"-?\d{1,10}\.\d{3,}")
MAX_AMOUNT = Decimal("9999999999.99")  # NUMERIC(12,2)
DEFAULT_CURRENCY = "EUR"
SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
# Active ISO 4217 codes (2024): a currency must be one of them.
ISO_4217_CODES = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
    "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP "
    "MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR "
    "RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT "
    "TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW "
    "ZWL"
)
ISO_4217 = frozenset(ISO_4217_CODES.split())
MAX_NAME_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 2000


class InvalidExpense(ValueError):
    """A business rule refused a field; `field` is the attribute's name."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


def parse_amount(text: str, *, field: str = "amount") -> Decimal:
    """An amount written plainly ("1200.50"): positive, at most two decimals, never a float."""
    text = text.strip()
    if TOO_PRECISE.fullmatch(text):
        raise InvalidExpense(field, "An amount has at most two decimals (cents).")
    if text.startswith("-") or re.fullmatch(r"0+(\.0{1,2})?", text):
        raise InvalidExpense(field, "An amount must be greater than zero.")
    if not AMOUNT_TEXT.fullmatch(text):
        raise InvalidExpense(field, f"{text!r} is not an amount; write it like 1200.50.")
    return Decimal(text)


def parse_localized_amount(text: str) -> tuple[Decimal, str]:
    """The source file's writing, "1,200.00€": grouping commas and a trailing symbol."""
    raw = text.strip()
    currency = DEFAULT_CURRENCY
    for symbol, code in SYMBOLS.items():
        if raw.endswith(symbol):
            raw, currency = raw[: -len(symbol)].strip(), code
    if not re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?", raw):
        raise InvalidExpense("amount", f"{text!r} is not an amount like 1,200.00€.")
    return parse_amount(raw.replace(",", "")), currency


def parse_us_date(text: str) -> date:
    """M/D/YYYY (the source file's dates) -> a date; impossible dates are refused."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError as error:
        raise InvalidExpense("date", f"{text!r} is not a date written M/D/YYYY.") from error


def parse_currency(text: str) -> str:
    code = SYMBOLS.get(text.strip(), text.strip().upper())
    if code not in ISO_4217:
        raise InvalidExpense("currency", f"{text!r} is not an ISO 4217 currency code like EUR.")
    return code


def parse_name(text: str, *, field: str = "name") -> str:
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidExpense(field, f"A name has 1 to {MAX_NAME_LENGTH} characters.")
    return name


def fiscal_quarter(day: date) -> str:
    """Finance reviews by calendar quarter: 2021-05-01 -> "2021-Q2"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def format_amount(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


@dataclass(frozen=True)
class Register:
    """A department, a project or a member: a named thing expenses point at."""

    name: str
    id: int | None = None
    version: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", parse_name(self.name))

    @property
    def etag(self) -> str:
        return f"r-{self.id}-v{self.version}"


@dataclass(frozen=True)
class Expense:
    """One expense as stored: the three dimensions by id, and the money."""

    department_id: int
    project_id: int
    member_id: int
    amount: Decimal
    spent_on: date
    currency: str = DEFAULT_CURRENCY
    description: str = ""
    id: int | None = None
    version: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise InvalidExpense("amount", "An amount is a decimal, never a float.")
        object.__setattr__(self, "amount", parse_amount(str(self.amount)))
        if self.amount > MAX_AMOUNT:
            raise InvalidExpense("amount", f"An amount is at most {MAX_AMOUNT}.")
        object.__setattr__(self, "currency", parse_currency(self.currency))
        if len(self.description) > MAX_DESCRIPTION_LENGTH:
            raise InvalidExpense("description", "A description has at most 2000 characters.")

    @property
    def etag(self) -> str:
        return f"e-{self.id}-v{self.version}"

    @property
    def quarter(self) -> str:
        return fiscal_quarter(self.spent_on)

    @property
    def natural_key(self) -> tuple[Any, ...]:
        """What makes two expenses the same spending (an import skips a row already stored)."""
        return (
            self.department_id,
            self.project_id,
            self.member_id,
            self.spent_on,
            self.amount,
            self.currency,
        )

    def with_changes(self, changes: Mapping[str, Any]) -> Expense:
        return replace(self, **changes)


@dataclass(frozen=True)
class ExpenseView:
    """An expense as finance reads it: denormalized names and the fiscal quarter."""

    id: int
    department_id: int
    department: str
    project_id: int
    project: str
    member_id: int
    member: str
    amount: Decimal
    currency: str
    spent_on: date
    description: str
    version: int

    @property
    def quarter(self) -> str:
        return fiscal_quarter(self.spent_on)

    @property
    def etag(self) -> str:
        return f"e-{self.id}-v{self.version}"


@dataclass(frozen=True)
class SourceExpense:
    """A row of the source file (expanses.csv): names instead of ids."""

    department: str
    project: str
    member: str
    amount: Decimal
    currency: str
    spent_on: date


SOURCE_COLUMNS = ("departments", "project_name", "amount", "date", "member_name")


def source_expense(row: Mapping[str, str]) -> SourceExpense:
    """departments,project_name,amount,date,member_name -> a SourceExpense (or InvalidExpense)."""
    amount, currency = parse_localized_amount(row.get("amount") or "")
    return SourceExpense(
        department=parse_name(row.get("departments") or "", field="departments"),
        project=parse_name(row.get("project_name") or "", field="project_name"),
        member=parse_name(row.get("member_name") or "", field="member_name"),
        amount=amount,
        currency=currency,
        spent_on=parse_us_date(row.get("date") or ""),
    )
