"""Update mixes for the soak test and benchmark: real commands, fuzzed text, args and buttons.

``update_spec()`` is a hypothesis strategy; ``push`` turns a spec into updates on the
fake Bot API and returns what must hold once the bot is done with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fakes.fake_bot_api import FakeBotApi

COMMANDS = ("/start", "/help", "/btc", "/eth", "/sol", "/xbt", "/price", "/digest", "/whales",
            "/levels", "/chart", "/status", "/unknowncmd")
WORDS = ("btc", "eth", "sol", "xyz", "etherium", "4h", "1h", "1d", "5m", "doge", "", "BTC")
_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/"),
                min_size=1, max_size=60).filter(lambda t: t.strip() != "")
_DATA = st.one_of(
    st.sampled_from(["r:1:q", "r:2:d", "c:1:4h", "c:2:1d", "r:999:q", "c:1:9h", "r:x:q"]),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=64),
)


@dataclass(frozen=True)
class UpdateSpec:
    """One user action: kind, the text typed or the button data tapped."""

    kind: str  # "command", "text", "group_noise", "group_command", "tap", "edit"
    text: str


def update_spec() -> st.SearchStrategy[UpdateSpec]:
    """A random user action (biased towards real commands)."""
    command = st.builds(lambda c, a: f"{c} {a}".strip(), st.sampled_from(COMMANDS),
                        st.one_of(st.sampled_from(WORDS), _TEXT))
    return st.one_of(
        st.builds(UpdateSpec, st.just("command"), command),
        st.builds(UpdateSpec, st.just("command"), st.sampled_from(COMMANDS)),
        st.builds(UpdateSpec, st.just("text"), _TEXT),
        st.builds(UpdateSpec, st.just("group_noise"), _TEXT),
        st.builds(UpdateSpec, st.just("group_command"), command),
        st.builds(UpdateSpec, st.just("tap"), _DATA),
        st.builds(UpdateSpec, st.just("edit"), command),
    )


def push(api: FakeBotApi, spec: UpdateSpec, chat: int) -> Callable[[], bool]:
    """Inject ``spec`` in its own chat ``chat`` (> 0); return "the bot has dealt with it"."""
    group = -chat
    if spec.kind in ("command", "text"):
        api.send_text(chat, spec.text)
        return lambda: bool(api.sent_to(chat))
    if spec.kind == "group_noise":
        api.add_chat(group, "supergroup", "Noise")
        update_id = api.send_text(group, spec.text)
        return lambda: api.polled_past(update_id) and not api.sent_to(group)
    if spec.kind == "group_command":
        api.add_chat(group, "supergroup", "Commands")
        update_id = api.send_text(group, spec.text)
        return lambda: api.polled_past(update_id)
    if spec.kind == "edit":
        update_id = api.edit_text(chat, 1, spec.text)
        return lambda: api.polled_past(update_id) and not api.sent_to(chat)
    api.send_text(chat, "/btc")
    state: dict[str, str] = {}

    def tapped() -> bool:
        sent = api.sent_to(chat)
        if not sent:
            return False
        if "query" not in state:
            state["query"] = api.tap_button(sent[-1], spec.text)
        return state["query"] in api.callback_answers

    return tapped
