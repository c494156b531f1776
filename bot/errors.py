"""The project's own exception tree. Third-party errors are translated at the boundary.

::

    BotError                      base of everything the bot raises on purpose
    ├── ConfigError               bad config.toml or environment (names the key)
    ├── UserInputError            something a user typed that we cannot act on
    │   ├── UnknownSymbolError    symbol neither configured nor listed (suggestion, venue)
    │   └── BadArgumentError      malformed argument (schedule, timeframe, time…)
    ├── DataError                 data we were given is unusable
    │   ├── ReplayDataError       replay folder missing / malformed file
    │   │   └── NoDataError       the source has nothing for a coin (``reason``, ``where``)
    │   └── OutOfRangeError       requested time outside the data's range
    ├── VenueError                a venue failed to give us a value (``code``: see below)
    │   ├── TemporaryVenueError   retry makes sense                     UNREACHABLE
    │   │   ├── VenueTimeoutError                                       TIMEOUT
    │   │   ├── VenueNetworkError                                       UNREACHABLE
    │   │   └── VenueRateLimitedError  (``retry_after`` seconds)        RATE_LIMITED
    │   └── PermanentVenueError   retry is pointless                    REJECTED
    │       ├── VenueSymbolError  the venue does not list the market    NOT_LISTED
    │       ├── VenueNotSupportedError  capability missing at that venue NOT_OFFERED
    │       └── VenueBadResponseError   garbage or unparseable answer   BAD_RESPONSE
    ├── StorageError              the database refused an operation
    ├── DeliveryError             the transport could not deliver a message (``detail``)
    │   ├── ChatMovedError        the chat has a new id (``new_chat_id``): send there
    │   └── ChatBlockedError      the chat blocked or removed the bot: stop sending
    └── TelegramUnreachableError  the Bot API could not be reached at start
"""

from __future__ import annotations

from enum import StrEnum


class MissingReason(StrEnum):
    """Why a value (or a whole venue) is missing: a stable code crossing out of
    ``bot.market``, worded only by ``templates/_macros/coverage.j2``."""

    TIMEOUT = "TIMEOUT"
    UNREACHABLE = "UNREACHABLE"
    RATE_LIMITED = "RATE_LIMITED"
    BAD_RESPONSE = "BAD_RESPONSE"
    NOT_LISTED = "NOT_LISTED"
    NOT_OFFERED = "NOT_OFFERED"
    REJECTED = "REJECTED"
    NO_DATA = "NO_DATA"
    NOT_CONFIGURED = "NOT_CONFIGURED"
    NO_HISTORY_YET = "NO_HISTORY_YET"
    TOO_FEW_CANDLES = "TOO_FEW_CANDLES"
    NOT_IN_REPLAY = "NOT_IN_REPLAY"
    NO_WHALE_SNAPSHOT = "NO_WHALE_SNAPSHOT"
    NOT_SIMULATED = "NOT_SIMULATED"
    FAILED = "FAILED"


class BotError(Exception):
    """Base of the bot's own errors.

    ``subject`` names what the failure is about (a symbol), set by the layer that knows it
    while the error propagates, so the one error handler can say it in the reply.
    """

    subject: str | None = None

    def about(self, subject: str) -> BotError:
        """Set the subject unless a lower layer already did; return the error."""
        if self.subject is None:
            self.subject = subject
        return self


class ConfigError(BotError):
    """Configuration is invalid; the message names the key and what is expected."""


class UserInputError(BotError):
    """Input from a user that cannot be acted on."""


class UnknownSymbolError(UserInputError):
    """The symbol is not one the bot knows; ``venue`` names the venue whose market list
    was searched (``None``: only the configured symbols were)."""

    def __init__(self, symbol: str, suggestion: str | None = None,
                 venue: str | None = None) -> None:
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        super().__init__(f"unknown symbol {symbol!r}{hint}")
        self.symbol = symbol
        self.suggestion = suggestion
        self.venue = venue


class BadArgumentError(UserInputError):
    """A malformed argument, with structured fields a reply template can explain.

    ``kind`` names the argument ("schedule", "timezone", …), ``reason`` is a short machine
    code for what is wrong, ``value`` what the user typed, ``suggestion`` a likely intended
    value, ``examples`` valid values to show. The message itself is for developers.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str = "argument",
        reason: str = "invalid",
        value: str = "",
        suggestion: str | None = None,
        examples: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.reason = reason
        self.value = value
        self.suggestion = suggestion
        self.examples = examples


class DataError(BotError):
    """Data handed to the bot is unusable."""


class ReplayDataError(DataError):
    """Replay folder missing or a file malformed."""


class NoDataError(ReplayDataError):
    """The source holds nothing for ``symbol``, for good: ``reason`` is a ``MissingReason``
    (``NOT_IN_REPLAY``: no files in ``where``; ``NOT_SIMULATED``: the demo's ``offered``)."""

    def __init__(self, symbol: str, reason: MissingReason, where: str = "",
                 offered: tuple[str, ...] = (), detail: str = "") -> None:
        super().__init__(detail or f"no data for {symbol} ({reason}) {where}".rstrip())
        self.symbol = symbol
        self.reason = reason
        self.where = where
        self.offered = offered
        self.subject = symbol


class OutOfRangeError(DataError):
    """A requested time lies outside the data's range."""


class VenueError(BotError):
    """A venue could not provide a value.

    ``reason`` is a ``MissingReason`` (``TIMEOUT``, ``BAD_RESPONSE``…) that crosses layers
    up to ``templates/``, which alone turn it into words; ``detail`` is for logs.
    """

    temporary = False
    code = MissingReason.FAILED

    def __init__(self, venue: str, message: str, code: MissingReason | None = None) -> None:
        super().__init__(f"{venue}: {message}")
        self.venue = venue
        self.detail = message
        self.reason = code or self.code


class TemporaryVenueError(VenueError):
    """A failure that may go away on retry."""

    temporary = True
    code = MissingReason.UNREACHABLE


class VenueTimeoutError(TemporaryVenueError):
    """The venue did not answer in time."""

    code = MissingReason.TIMEOUT


class VenueNetworkError(TemporaryVenueError):
    """Connection failed or the venue answered 5xx."""

    code = MissingReason.UNREACHABLE


class VenueRateLimitedError(TemporaryVenueError):
    """The venue rate-limited us; ``retry_after`` is its Retry-After in seconds, if given."""

    code = MissingReason.RATE_LIMITED

    def __init__(
        self, venue: str, message: str, code: MissingReason | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(venue, message, code)
        self.retry_after = retry_after


class PermanentVenueError(VenueError):
    """A failure a retry will not fix."""

    code = MissingReason.REJECTED


class VenueSymbolError(PermanentVenueError):
    """The venue does not list this market."""

    code = MissingReason.NOT_LISTED


class VenueNotSupportedError(PermanentVenueError):
    """The venue lacks this capability."""

    code = MissingReason.NOT_OFFERED


class VenueBadResponseError(PermanentVenueError):
    """The venue's answer could not be parsed into valid values."""

    code = MissingReason.BAD_RESPONSE


class StorageError(BotError):
    """The database refused an operation."""


class DeliveryError(BotError):
    """The transport refused a message for good (after its own retries)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ChatMovedError(DeliveryError):
    """The chat moved to ``new_chat_id`` (a group became a supergroup)."""

    def __init__(self, detail: str, new_chat_id: int) -> None:
        super().__init__(detail)
        self.new_chat_id = new_chat_id


class ChatBlockedError(DeliveryError):
    """The chat blocked the bot or removed it."""


class TelegramUnreachableError(BotError):
    """The Telegram Bot API did not answer when the bot started."""
