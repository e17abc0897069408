"""Environment -> Settings, through pydantic-settings. Every missing or malformed value is named; no secret
is ever echoed (tokens, the signing secret and REDIS_URL are SecretStr).

SLACK_BOT_TOKEN       xoxb-...   needed for Slack (both modes)
SLACK_APP_TOKEN       xapp-...   Socket Mode
SLACK_SIGNING_SECRET  hex        HTTP mode
SLACK_API_URL         base URL of the Web API (default https://slack.com/api/): proxies, GovSlack, tests
PNET_SLASH_COMMAND    default /pnet
FEEDBACK_CHANNEL      channel id (C.../G...) where "Report a problem" posts go; unset = reports are declined
PNET_ALLOWED_CHANNELS comma-separated channel ids where the bot answers; unset = everywhere it is invited.
                      Direct messages are always answered.
LOG_LEVEL             DEBUG, INFO (default), WARNING or ERROR
PORT                  HTTP port of the web process (default 3000)
BIND_ADDRESS          address the web process listens on (default 0.0.0.0; 127.0.0.1 behind a local proxy)
WEB_CONCURRENCY       web worker processes (default: the number of cores, at least 2)
WEB_THREADS           threads per web worker that take verified requests through Bolt (default 8)
LISTENER_THREADS      threads per process that run Bolt's lazy listeners, the work that calls Slack (default 16)
REDIS_URL             redis://... : the event and replay store shared by several machines (default: SQLite)
PNET_DATA_DIR         directory of the SQLite store, shared by the processes of one machine (default .pnet-data,
                      relative to the working directory)
PNET_HEARTBEAT_FILE   file the Socket Mode worker touches while connected, read by `python -m bot health`
                      (default PNET_DATA_DIR/socket-heartbeat; give each worker on a machine its own)
SLACK_API_TIMEOUT     seconds to wait for one Web API call (default 10)

PNET_KNOWLEDGE_DIR (another knowledge directory) is read by bot/startup.py, with `--knowledge`.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import BeforeValidator, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

Mode = Literal["socket", "http", "console"]

DEFAULT_API_URL = "https://slack.com/api/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_COMMAND = re.compile(r"^/[a-z0-9_\-]{1,31}$")
_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_SIGNING_SECRET = r"[0-9a-f]{16,}$"


class SettingsError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def default_workers() -> int:
    """One web worker per core, and at least two, so that one busy or restarting worker is not the whole service."""
    return max(2, os.cpu_count() or 1)


def _number(low: int, high: int) -> BeforeValidator:
    """A whole number from low to high, written in ASCII digits."""

    def check(value: Any) -> int:
        text = str(value)
        number = int(text) if text.isascii() and text.isdigit() else 0
        if not low <= number <= high:
            raise ValueError(f"should be a number from {low} to {high}, got {text!r}")
        return number

    return BeforeValidator(check)


def _matches(pattern: str, should: str) -> BeforeValidator:
    """A secret whose form is checked and never shown: `should` says what it should be."""

    def check(value: Any) -> Any:
        if value is not None and not re.match(
            pattern, value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        ):
            raise ValueError(should)
        return value

    return BeforeValidator(check)


def _channels(value: Any) -> frozenset[str]:
    channels = [c.strip() for c in value.split(",") if c.strip()] if isinstance(value, str) else list(value)
    bad = [c for c in channels if not _CHANNEL.match(c)]
    if bad:
        raise ValueError(f"should list channel ids such as C0123ABCD, got {', '.join(bad)}")
    return frozenset(channels)


def _env(name: str, **kwargs: Any) -> Any:
    return Field(validation_alias=name, **kwargs)


class Settings(BaseSettings):
    """The deployment's settings. Built from the environment by from_env; tests build it by field name."""

    model_config = SettingsConfigDict(frozen=True, case_sensitive=True, env_ignore_empty=True, validate_by_name=True)

    bot_token: Annotated[SecretStr | None, _matches("xoxb-", "should start with 'xoxb-' (the value is not shown)")] = (
        _env("SLACK_BOT_TOKEN", default=None)
    )
    app_token: Annotated[SecretStr | None, _matches("xapp-", "should start with 'xapp-' (the value is not shown)")] = (
        _env("SLACK_APP_TOKEN", default=None)
    )
    signing_secret: Annotated[
        SecretStr | None,
        _matches(_SIGNING_SECRET, "should be the hexadecimal secret from Basic Information (not shown)"),
    ] = _env("SLACK_SIGNING_SECRET", default=None)
    api_url: str = _env("SLACK_API_URL", default=DEFAULT_API_URL)
    slash_command: str = _env("PNET_SLASH_COMMAND", default="/pnet")
    feedback_channel: str | None = _env("FEEDBACK_CHANNEL", default=None)
    allowed_channels: Annotated[frozenset[str], NoDecode, BeforeValidator(_channels)] = _env(
        "PNET_ALLOWED_CHANNELS", default=frozenset()
    )
    log_level: str = _env("LOG_LEVEL", default="INFO")
    port: Annotated[int, _number(1, 65535)] = _env("PORT", default=3000)
    bind_address: str = _env("BIND_ADDRESS", default="0.0.0.0")
    web_concurrency: Annotated[int, _number(1, 64)] = _env("WEB_CONCURRENCY", default_factory=default_workers)
    web_threads: Annotated[int, _number(1, 256)] = _env("WEB_THREADS", default=8)
    listener_threads: Annotated[int, _number(1, 256)] = _env("LISTENER_THREADS", default=16)
    redis_url: Annotated[  # may carry a password
        SecretStr | None,
        _matches(r"(redis|rediss|unix)://", "should be a redis://, rediss:// or unix:// URL (the value is not shown)"),
    ] = _env("REDIS_URL", default=None)
    data_dir: str = _env("PNET_DATA_DIR", default=".pnet-data")
    heartbeat: str | None = _env("PNET_HEARTBEAT_FILE", default=None)
    api_timeout: Annotated[int, _number(1, 120)] = _env("SLACK_API_TIMEOUT", default=10)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what the constructor is given: from_env passes the environment, so a test's values are all there is."""
        return (init_settings,)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        stripped = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
        return {k: v for k, v in stripped.items() if v != ""}

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"should be an http(s) URL such as {DEFAULT_API_URL}, got {value!r}")
        return value if value.endswith("/") else value + "/"

    @field_validator("slash_command")
    @classmethod
    def _command(cls, value: str) -> str:
        if not _COMMAND.match(value):
            raise ValueError(f"should look like /pnet (lower case, at most 32 characters), got {value!r}")
        return value

    @field_validator("feedback_channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value is not None and not _CHANNEL.match(value):
            raise ValueError(f"should be a channel id such as C0123ABCD, got {value!r}")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"should be one of {', '.join(LOG_LEVELS)}, got {value.upper()!r}")
        return value.upper()

    @field_validator("bind_address")
    @classmethod
    def _address(cls, value: str) -> str:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise ValueError(f"should be an IP address such as 127.0.0.1 or 0.0.0.0, got {value[:40]!r}") from None
        return value

    @property
    def heartbeat_file(self) -> str:
        return self.heartbeat or os.path.join(self.data_dir, "socket-heartbeat")

    def mode(self) -> Mode:
        """What `python -m bot` runs: Socket Mode if its tokens are set, else HTTP if its are, else the console.

        A half-configured deployment stops with what is missing rather than quietly opening a console.
        """
        if self.bot_token and self.app_token:
            return "socket"
        if self.bot_token and self.signing_secret:
            return "http"
        if self.bot_token:
            raise SettingsError(
                ["SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP)"]
            )
        if self.app_token or self.signing_secret:
            raise SettingsError(["SLACK_BOT_TOKEN is not set; Slack needs it in both modes"])
        return "console"

    def require(self, mode: Mode) -> Settings:
        """Stop with the names of the settings a run mode needs and does not have."""
        needed = {
            "socket": [("SLACK_BOT_TOKEN", self.bot_token), ("SLACK_APP_TOKEN", self.app_token)],
            "http": [("SLACK_BOT_TOKEN", self.bot_token), ("SLACK_SIGNING_SECRET", self.signing_secret)],
            "console": [],
        }[mode]
        missing = [name for name, value in needed if not value]
        if missing:
            raise SettingsError([f"{name} is not set; {mode} mode needs it" for name in missing])
        return self

    def allows(self, channel_id: str | None) -> bool:
        """Direct messages always; channels only if on the allow-list (when there is one)."""
        if not self.allowed_channels or not channel_id or channel_id.startswith("D"):
            return True
        return channel_id in self.allowed_channels


def secret(value: SecretStr | None) -> str:
    """A secret setting's value, for the one call that needs it ("" when unset)."""
    return value.get_secret_value() if value is not None else ""


class _Environment(EnvSettingsSource):
    """pydantic-settings' environment source, over the mapping given (os.environ in every entry point)."""

    def __init__(self, env: Mapping[str, str]):
        self._env = env
        super().__init__(Settings)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._env, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def from_env(env: Mapping[str, str]) -> Settings:
    """Settings from the environment `env`; SettingsError names each bad variable, never echoing a secret."""
    try:
        return Settings(**_Environment(env)())
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            name = str(error["loc"][0]) if error["loc"] else "settings"
            if error["type"] == "value_error":
                problems.append(f"{name} {error['ctx']['error']}")
            else:  # pydantic's own wording, without the value
                problems.append(f"{name}: {error['msg']}")
        raise SettingsError(problems) from None
