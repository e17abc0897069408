"""Slack surfaces around an Answer: the message with its buttons, the case and report modals, App Home.

Ids that listeners match on (action_id, callback_id, block_id) are constants here, so the renderer
and the listeners cannot drift apart.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

from bot.render.blocks import LIMITS, escape, fallback_text, has_details, to_blocks
from handlers.answer import Answer
from handlers.case import FORM_CHOICES, FORM_INPUTS
from knowledge import Knowledge
from knowledge.schema import CaseFormInput

SHARE = "share_answer"
HELPFUL = "feedback_helpful"
REPORT = "feedback_report"
OPEN_CASE = "open_case_modal"
CASE_VIEW = "case_modal"
REPORT_VIEW = "report_modal"
PLAN_SHORTCUT = "plan_this_case"
BOARD_SHORTCUT = "prepare_board_card"
BOARD_POST = "board_post"
BOARD_EXPORT = "board_export"
DETAILS = "plan_details"
BUTTON_VALUE_MAX = 2000
VIEW_METADATA_MAX = 3000


def pack(data: dict[str, Any]) -> str:
    """A dict -> a compact string for a button value: JSON, zlib, URL-safe base64."""
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode()


def unpack(value: str) -> dict[str, Any]:
    """The reverse of pack(); ValueError on anything else, so a forged value is refused, not crashed on."""
    try:
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(value.encode())))
    except (ValueError, zlib.error, TypeError) as exc:
        raise ValueError("not a packed value") from exc
    if not isinstance(data, dict):
        raise ValueError("not a packed value")
    return data


def _button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button = {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, "value": value}
    if style:
        button["style"] = style
    return button


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def answer_message(
    answer: Answer,
    answer_id: str,
    share: dict[str, Any] | None = None,
    shared_by: str | None = None,
    board: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An answer as a Slack message: blocks, feedback buttons, answer id, and the plain-text fallback.

    details: what the "Details" button needs to re-create a plan's details (the question, or the form, or
    the question and the earlier messages of its thread). A plan's main message is short; its details are
    shown on request, privately, to whoever clicks. When the button cannot carry the input (too long, or
    none given), the details are in the message itself.

    share: what the "Share in channel" button needs to re-create this answer (omitted when not offered).
    shared_by: the user id who shared it into the channel.
    board: a tumour-board card's case and thread ({"c": text, "t": thread ts}); with "post", the card is
    still private and offers "Post in thread" besides "Export for the minutes".
    """
    blocks: list[dict[str, Any]] = []
    if shared_by:
        blocks.append(context(f"Shared by <@{shared_by}>"))
    detail_value = pack(details) if details is not None and has_details(answer) else None
    inline = has_details(answer) and (detail_value is None or len(detail_value) > BUTTON_VALUE_MAX)
    blocks += to_blocks(answer, part="all" if inline else "main")
    feedback = pack({"id": answer_id, "intent": answer.intent, "v": answer.knowledge_version})
    buttons = []
    if has_details(answer) and not inline and detail_value is not None:
        buttons.append(_button("Details", DETAILS, detail_value))
    note = f"Answer id `{answer_id}`"
    if share is not None:
        value = pack(share)
        if len(value) <= BUTTON_VALUE_MAX:
            buttons.append(_button("Share in channel", SHARE, value, "primary"))
        else:
            note += " · too long to share with the button: mention me in the channel instead"
    if board is not None:
        value = pack({"c": board["c"], "t": board.get("t")})
        if len(value) <= BUTTON_VALUE_MAX:
            if board.get("post"):
                where = "Post in thread" if board.get("t") else "Post in channel"
                buttons.append(_button(where, BOARD_POST, value, "primary"))
            buttons.append(_button("Export for the minutes", BOARD_EXPORT, value))
        else:
            note += " · the case is too long for the card's buttons: mention me in the thread instead"
    buttons += [_button("Helpful", HELPFUL, feedback), _button("Report a problem", REPORT, feedback)]
    blocks += [{"type": "actions", "block_id": "answer_actions", "elements": buttons}, context(note)]
    return {"text": fallback_text(answer), "blocks": blocks}


def details_message(answer: Answer) -> dict[str, Any]:
    """A plan's details, sent privately to whoever clicked "Details"."""
    return {"text": escape(f"Details: {answer.title}"), "blocks": to_blocks(answer, part="details")}


def notice(text: str) -> dict[str, Any]:
    """A short message of our own (errors, confirmations); `text` is ours, user text must be escaped first."""
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def error_notice(answer_id: str) -> dict[str, Any]:
    return notice(
        f"Sorry, something went wrong on my side and I could not answer. Answer id `{answer_id}`: "
        "your admin can trace it with this id. Please try again in a moment."
    )


# --- the case modal --------------------------------------------------------------------------------

CASE_FIELDS = (*(i.id for i in FORM_INPUTS), "notes")  # the inputs are declared with the case fields


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


def _input(
    block_id: str, label: str, element: dict[str, Any], hint: str | None = None, optional: bool = True
) -> dict[str, Any]:
    block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": block_id},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _select(options: list[tuple[str, str]], multi: bool = False) -> dict[str, Any]:
    return {
        "type": "multi_static_select" if multi else "static_select",
        "placeholder": {"type": "plain_text", "text": "Choose"},
        "options": [_option(v, label) for v, label in options],
    }


def _number(low: str, high: str | None = None) -> dict[str, Any]:
    element = {"type": "number_input", "is_decimal_allowed": True, "min_value": low}
    if high:
        element["max_value"] = high
    return element


def _modal(
    title: str, blocks: list[dict[str, Any]], callback_id: str | None = None, metadata=None, submit: str | None = None
) -> dict[str, Any]:
    """A modal view; with a callback_id it can be submitted, and metadata comes back with the submission."""
    view: dict[str, Any] = {"type": "modal", "title": {"type": "plain_text", "text": title}}
    if callback_id:
        view["callback_id"] = callback_id
        view["private_metadata"] = json.dumps(metadata)[:VIEW_METADATA_MAX]
    if submit:
        view["submit"] = {"type": "plain_text", "text": submit}
    view["close"] = {"type": "plain_text", "text": "Cancel" if submit else "Close"}
    view["blocks"] = blocks
    return view


def _widget(i: CaseFormInput) -> dict[str, Any]:
    if i.widget == "number":
        return _number(i.min or "0", i.max)
    return _select(FORM_CHOICES[i.id], multi=i.widget == "multi_select")


def case_modal(metadata: dict[str, Any]) -> dict[str, Any]:
    """The structured case form. metadata (channel, response_url) comes back with the submission."""
    return _modal(
        "Plan a PNET case",
        callback_id=CASE_VIEW,
        metadata=metadata,
        submit="Get plan",
        blocks=[
            context("Fill in what you know; every field is optional. Do not enter names or record numbers."),
            *(_input(i.id, i.label, _widget(i)) for i in FORM_INPUTS),
            _input(
                "notes",
                "Anything else",
                {"type": "plain_text_input", "multiline": True, "max_length": 1000},
                hint="e.g. progressed on lanreotide, stopped everolimus for pneumonitis, splenic vein encased, s/p Whipple 2021",
            ),
        ],
    )


def form_values(state: dict[str, Any], fields: tuple[str, ...] = CASE_FIELDS) -> dict[str, Any]:
    """A view_submission's state.values -> {field: value or list of values} for the fields that were filled.

    Every input block of our modals uses its field name as both block_id and action_id.
    """
    out: dict[str, Any] = {}
    for name in fields:
        element = state.get(name, {}).get(name, {})
        if element.get("selected_options"):
            out[name] = [o["value"] for o in element["selected_options"]]
        elif element.get("selected_option"):
            out[name] = element["selected_option"]["value"]
        elif element.get("value") not in (None, ""):
            out[name] = element["value"]
    return out


# --- the report modal ------------------------------------------------------------------------------

REPORT_FIELDS = ("category", "details")
REPORT_CATEGORIES = [
    ("figure", "A figure is wrong or outdated"),
    ("topic", "It answered a different question"),
    ("missing", "Something important is missing"),
    ("unsafe", "It could mislead or harm a patient"),
    ("other", "Something else"),
]


def report_modal(metadata: dict[str, Any]) -> dict[str, Any]:
    """metadata: answer id, intent, knowledge version. It is all the curators get besides the form."""
    return _modal(
        "Report a problem",
        callback_id=REPORT_VIEW,
        metadata=metadata,
        submit="Send to curators",
        blocks=[
            context(
                f"About answer `{escape(str(metadata.get('id', '')))}`. The curators see this form, the answer id, "
                "its topic and knowledge version; not your question. Do not enter patient details."
            ),
            _input("category", "What is wrong?", _select(REPORT_CATEGORIES), optional=False),
            _input(
                "details",
                "Details",
                {"type": "plain_text_input", "multiline": True, "max_length": 1000},
                hint="Which figure or step, and what your source says",
            ),
        ],
    )


def report_message(meta: dict[str, Any], reporter: str, category: str, details: str | None) -> dict[str, Any]:
    label = dict(REPORT_CATEGORIES).get(category, "Something else")
    lines = [
        f"*Problem report* from <@{reporter}>: {escape(label)}",
        f"Answer id `{escape(str(meta.get('id', '?')))}` · intent `{escape(str(meta.get('intent', '?')))}` · "
        f"knowledge `{escape(str(meta.get('v', '?')))}`",
    ]
    if details:
        lines.append(">" + escape(details[:1000]).replace("\n", "\n>"))
    text = "\n".join(lines)
    return {
        "text": f"Problem report on answer {meta.get('id', '?')}",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text[: LIMITS["section"]]}}],
    }


def thanks_view(text: str) -> dict[str, Any]:
    return _modal("Thank you", [{"type": "section", "text": {"type": "mrkdwn", "text": text}}])


# --- App Home --------------------------------------------------------------------------------------


def home_view(help_answer: Answer, knowledge: Knowledge, command: str) -> dict[str, Any]:
    """What the bot can do, how to ask, the sources with their dates, and the knowledge version."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": help_answer.title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(help_answer.summary)}},
        {
            "type": "actions",
            "elements": [_button("Describe a case", OPEN_CASE, "home", "primary")],
        },
    ]
    for section in help_answer.sections:
        lines = "\n".join(f"• {escape(item.text)}" for item in section.items)
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{escape(section.title)}*\n{lines}"[: LIMITS["section"]]},
            }
        )
    articles = "\n".join(
        f"• Article {escape(a.file[:3])}: {escape(a.title)} (updated {a.updated.isoformat()})"
        for a in knowledge.sources.articles
    )
    blocks += [
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Sources*\n{articles}"[: LIMITS["section"]]}},
        context(
            f"Knowledge version `{escape(knowledge.version)}` · `{escape(command)} sources` lists every reference · "
            f"{escape(knowledge.meta.disclaimer)}"
        ),
    ]
    return {"type": "home", "blocks": blocks}
