"""Settings from the environment, run-mode choice, start-up failures, and the app manifest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.slack_stub import SECRET, SlackStub
from bot.manifest import manifest
from bot.render.slack import BOARD_SHORTCUT, PLAN_SHORTCUT
from bot.settings import DEFAULT_API_URL, SettingsError, from_env

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"SLACK_BOT_TOKEN": "xoxb-1-abc", "SLACK_APP_TOKEN": "xapp-1-abc", "SLACK_SIGNING_SECRET": SECRET}


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as exc:
        from_env(env).mode()
    return exc.value.problems


def test_defaults():
    s = from_env({})
    assert (s.mode(), s.api_url, s.slash_command, s.log_level, s.allowed_channels) == (
        "console",
        DEFAULT_API_URL,
        "/pnet",
        "INFO",
        frozenset(),
    )


@pytest.mark.parametrize(
    "env, mode",
    [
        (GOOD, "socket"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": SECRET}, "http"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, "socket"),
        ({}, "console"),
    ],
)
def test_mode_follows_the_tokens_that_are_set(env, mode):
    assert from_env(env).mode() == mode


@pytest.mark.parametrize(
    "env, named",
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "neither SLACK_APP_TOKEN"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN is not set"),
        ({**GOOD, "SLACK_BOT_TOKEN": "xoxp-user-token-secret"}, "SLACK_BOT_TOKEN should start with 'xoxb-'"),
        ({**GOOD, "SLACK_APP_TOKEN": "xoxb-wrong-secret"}, "SLACK_APP_TOKEN should start with 'xapp-'"),
        ({**GOOD, "SLACK_SIGNING_SECRET": "not-hex-secret"}, "SLACK_SIGNING_SECRET should be"),
        ({**GOOD, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL should be an http(s) URL"),
        ({**GOOD, "PNET_SLASH_COMMAND": "pnet"}, "PNET_SLASH_COMMAND should look like /pnet"),
        ({**GOOD, "FEEDBACK_CHANNEL": "#curators"}, "FEEDBACK_CHANNEL should be a channel id"),
        ({**GOOD, "PNET_ALLOWED_CHANNELS": "C0123ABCD, general"}, "PNET_ALLOWED_CHANNELS should list channel ids"),
        ({**GOOD, "LOG_LEVEL": "chatty"}, "LOG_LEVEL should be one of"),
        ({**GOOD, "PORT": "http"}, "PORT should be a number"),
        ({**GOOD, "WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY should be a number from 1"),
        ({**GOOD, "WEB_THREADS": "²"}, "WEB_THREADS should be a number"),
        ({**GOOD, "LISTENER_THREADS": "0"}, "LISTENER_THREADS should be a number from 1"),
        ({**GOOD, "REDIS_URL": "http://user:not-hex-secret@host"}, "REDIS_URL should be a redis://"),
    ],
)
def test_a_bad_setting_is_named_and_no_secret_is_echoed(env, named):
    found = problems(env)
    assert any(named in p for p in found), found
    for value in ("xoxp-user-token-secret", "xoxb-wrong-secret", "not-hex-secret"):
        assert all(value not in p for p in found)


def test_settings_repr_hides_tokens():
    assert "xoxb" not in repr(from_env(GOOD)) and SECRET not in repr(from_env(GOOD))


def test_every_bad_setting_is_named_at_once():
    env = {**GOOD, "PORT": "http", "LOG_LEVEL": "chatty", "SLACK_BOT_TOKEN": "xoxp-user-token-secret"}
    assert [p.split()[0] for p in problems(env)] == ["SLACK_BOT_TOKEN", "LOG_LEVEL", "PORT"]


def test_blank_is_unset_and_paths_follow_the_data_directory():
    s = from_env({"PORT": " ", "SLACK_BOT_TOKEN": "", "PNET_DATA_DIR": "/srv/pnet", "WEB_THREADS": " 4 "})
    assert (s.port, s.bot_token, s.web_threads, s.listener_threads) == (3000, None, 4, 16)
    assert s.heartbeat_file == "/srv/pnet/socket-heartbeat"
    assert from_env({"PNET_HEARTBEAT_FILE": "/run/pnet/beat"}).heartbeat_file == "/run/pnet/beat"
    assert from_env({}).data_dir == ".pnet-data"  # relative: the working directory decides where it is


def test_allow_list_and_direct_messages():
    s = from_env({**GOOD, "PNET_ALLOWED_CHANNELS": "C0BOARD,G0PRIV"})
    assert s.allows("C0BOARD") and s.allows("G0PRIV") and s.allows("D0ANY")
    assert not s.allows("C0RANDOM")
    assert from_env(GOOD).allows("C0RANDOM")


def run_bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("SLACK_", "PNET_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_start_up_stops_with_the_setting_named():
    r = run_bot("run", env={"SLACK_BOT_TOKEN": "xoxb-1-hush", "LOG_LEVEL": "chatty"})
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "LOG_LEVEL should be one of" in r.stderr and "xoxb-1-hush" not in r.stderr


def test_start_up_stops_when_slack_rejects_the_token(tmp_path):
    stub = SlackStub()
    stub.fail("auth.test", 200, {"ok": False, "error": "invalid_auth"})
    env = {"SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": stub.api_url, "PNET_DATA_DIR": str(tmp_path)}
    try:
        r = run_bot("run", env={"SLACK_BOT_TOKEN": "xoxb-1-hush", **env})
    finally:
        stub.close()
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Slack did not accept SLACK_BOT_TOKEN (invalid_auth)" in r.stderr and "xoxb-1-hush" not in r.stderr


def test_start_up_stops_on_broken_knowledge(tmp_path):
    (tmp_path / "meta.yaml").write_text("edition_date: [unclosed\n")
    r = run_bot("run", "--mode", "socket", env={**GOOD, "PNET_KNOWLEDGE_DIR": str(tmp_path)})
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "the knowledge files are invalid" in r.stderr


# --- manifest -------------------------------------------------------------------------------------


def test_manifest_matches_what_the_app_listens_for():
    m = manifest()
    assert m["features"]["slash_commands"][0]["command"] == from_env({}).slash_command
    assert [s["callback_id"] for s in m["features"]["shortcuts"]] == [PLAN_SHORTCUT, BOARD_SHORTCUT]
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
        "assistant_thread_started",
        "assistant_thread_context_changed",
    }
    assert m["features"]["assistant_view"]["assistant_description"]
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    # the Web API methods the bot calls, and the scope each needs
    assert {
        "chat:write",
        "commands",
        "app_mentions:read",
        "im:history",
        "channels:history",
        "groups:history",
        "files:write",
        "assistant:write",
    } <= scopes
    assert m["settings"]["socket_mode_enabled"] is True and m["settings"]["interactivity"]["is_enabled"] is True
    assert m["features"]["app_home"]["home_tab_enabled"] is True


def test_http_manifest_points_every_request_at_the_events_path():
    r = run_bot("manifest", "--http", "https://pnet.example.org/", env={"PNET_SLASH_COMMAND": "/net"})
    assert r.returncode == 0, r.stderr
    m = yaml.safe_load(r.stdout)
    url = "https://pnet.example.org/slack/events"
    assert m["settings"]["socket_mode_enabled"] is False
    assert m["settings"]["event_subscriptions"]["request_url"] == url
    assert m["settings"]["interactivity"]["request_url"] == url
    assert m["features"]["slash_commands"][0] == {**m["features"]["slash_commands"][0], "command": "/net", "url": url}


def test_http_manifest_needs_https():
    r = run_bot("manifest", "--http", "http://pnet.example.org", env={})
    assert r.returncode == 1 and "https://" in r.stderr
