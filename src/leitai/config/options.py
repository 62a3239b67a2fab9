"""Every `LEITAI_*` setting (and DATABASE_URL, REDIS_URL), declared once as data: its type, default, allowed
values and what it does in Chinese and English. `config/settings.py` reads each through `read`, which refuses
a bad value with a message naming the variable; docs/configuration.md is generated from this table
(`python -m leitai.config.options > docs/configuration.md`; a test fails when it is out of date).

Free of Django: the command line reads its own options (LEITAI_LANG) through it before Django starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    name: str
    kind: str  # str, bool, int, float, list, choice, path, time (HH:MM or empty)
    default: str
    zh: str
    en: str
    choices: tuple[str, ...] = ()
    dotted: bool = False  # a choice may also be a dotted path to a class


OPTIONS: tuple[Option, ...] = (
    Option("LEITAI_DATA_DIR", "path", "./leitai-data", "数据目录：SQLite 数据库、上传文件、自动生成的密钥、静态文件",
           "the data folder: the SQLite database, uploads, the generated secret key, collected static files"),
    Option("DATABASE_URL", "str", "", "如 `postgres://user@host:5432/leitai`；不设则用数据目录中的 SQLite",
           "e.g. `postgres://user@host:5432/leitai`; SQLite in the data folder when unset"),
    Option("LEITAI_SECRET_KEY", "str", "", "密钥；不设时在数据目录中生成一个并保存（`secret.key`）",
           "the secret key; when unset one is made and kept in the data folder (`secret.key`)"),
    Option("LEITAI_DEBUG", "bool", "false", "调试模式", "debug mode"),
    Option("LEITAI_ALLOWED_HOSTS", "list", "127.0.0.1,localhost,testserver", "允许的主机名，逗号分隔",
           "host names served, comma-separated"),
    Option("LEITAI_CSRF_TRUSTED_ORIGINS", "list", "http://127.0.0.1,http://localhost", "可信来源，逗号分隔",
           "trusted origins, comma-separated"),
    Option("LEITAI_LANGUAGE", "choice", "zh-hans", "默认界面语言；用户可在页面右上角切换",
           "the default interface language; users switch at the top right", ("zh-hans", "en")),
    Option("LEITAI_LANG", "str", "", "命令行消息语言：以 en 开头为英文，否则中文；不设时跟随 LEITAI_LANGUAGE",
           "the command line's message language: English when it starts with en, else Chinese; LEITAI_LANGUAGE when unset"),
    Option("LEITAI_TIME_ZONE", "str", "Asia/Shanghai", "时区", "the time zone"),
    Option("LEITAI_LOGIN_FAILURE_LIMIT", "int", "5",
           "同一用户名在同一地址连续登录失败多少次后，该用户名在该地址锁定 15 分钟（从不只按地址锁定）",
           "failed sign-ins of one user name from one address before that name is locked out there for "
           "15 minutes (never by the address alone)"),
    Option("LEITAI_LOGIN_FAILURE_LIMIT_USER", "int", "20",
           "同一用户名（不论来自哪些地址）登录失败多少次后锁定该用户名 15 分钟；0 为不按用户名单独锁定",
           "failed sign-ins of one user name, from any addresses, before the name is locked out for 15 minutes; "
           "0: no lock-out by the name alone"),
    Option("LEITAI_PASSWORD_MIN_LENGTH", "int", "10",
           "密码最短长度（另须含小写字母、大写字母、数字、其他字符中的至少三类，不能是常见密码，不能与用户名、姓名相近）",
           "the shortest password accepted (it must also mix three of lower-case letters, upper-case letters, digits "
           "and other characters, not be a common password, not resemble the user name or name)"),
    Option("LEITAI_SESSION_BROWSER", "choice", "organizers",
           "哪些用户的登录在关闭浏览器时结束：organizers（考核办）、all（所有人）、none（都保持两周）",
           "whose sign-in ends when the browser closes: organizers, all, or none (all stay signed in two weeks)",
           ("organizers", "all", "none")),
    Option("LEITAI_HTTPS", "bool", "false",
           "经 HTTPS 提供服务（前置代理须传 X-Forwarded-Proto）：Cookie 加 Secure，发送 HSTS",
           "served over HTTPS (the proxy must send X-Forwarded-Proto): Secure cookies and HSTS"),
    Option("LEITAI_HSTS_SECONDS", "int", "31536000", "LEITAI_HTTPS=true 时 HSTS 的有效秒数",
           "how long browsers keep to HTTPS (HSTS max-age) when LEITAI_HTTPS=true"),
    Option("LEITAI_LOG_LEVEL", "choice", "WARNING", "日志级别", "the log level",
           ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    Option("REDIS_URL", "str", "", "Redis 地址，如 `redis://127.0.0.1:6379/0`：多个服务进程时擂台赛的实时推送经它分发",
           "Redis, e.g. `redis://127.0.0.1:6379/0`: the arena's live updates reach every server process through it"),
    Option("LEITAI_LIVE_BACKEND", "choice", "auto", "实时推送方式：auto（设了 REDIS_URL 用 Redis，否则进程内）",
           "live updates: auto (Redis when REDIS_URL is set, else in-process)", ("auto", "inprocess", "redis", "postgres")),
    Option("LEITAI_LIVE_COUNTS_INTERVAL", "float", "0.5", "提交计数推送到大屏的最短间隔（秒）",
           "the shortest interval between sheet-count updates to the screens (seconds)"),
    Option("LEITAI_SUBMIT_CONCURRENCY", "int", "0", "每个进程同时处理的评分提交数（0：SQLite 为 1，PostgreSQL 为 4）",
           "submissions handled at once per process (0: 1 on SQLite, 4 on PostgreSQL)"),
    Option("LEITAI_STREAMS_PER_ADDRESS", "int", "200",
           "每个客户端地址（IPv6 按 /64）最多打开的公众实时连接数（大屏事件流）；0 为不限",
           "public live streams (the big screen's event stream) one client address may hold open (IPv6: per /64); 0: no limit"),
    Option("LEITAI_STREAMS_MAX", "int", "0",
           "每个服务进程的公众实时连接总数上限；0 为按打开文件数上限自动确定（最多 10000）。评委和考核办不计入、不受限",
           "public live streams per server process in all; 0: from the open-file limit (at most 10,000). Judges "
           "and organizers are not counted and never refused"),
    Option("LEITAI_STREAMS_PER_JUDGE", "int", "4",
           "每条评委链接同时保持的实时连接数；超过时关闭最早的一条（评委从不被拒绝）",
           "live streams one judge's link holds at once; a new one closes the oldest (a judge is never refused)"),
    Option("LEITAI_HEADER_TIMEOUT", "float", "10",
           "客户端发送请求头的最长秒数，超时即断开（防慢速连接攻击）",
           "seconds a client has to send a request's headers before the connection is closed (slowloris)"),
    Option("LEITAI_UPLOAD_MAX_MB", "int", "200",
           "一次上传（含文件的请求）的最大 MB 数，在接收过程中即检查；各类文件另有更小的上限",
           "the largest request carrying files, in MB, checked while the body comes in; each kind of file has "
           "its own smaller limit"),
    Option("LEITAI_GC_THRESHOLDS", "str", "50000,20,100", "服务进程的垃圾回收阈值", "the server's garbage-collector thresholds"),
    Option("LEITAI_DB_CONN_MAX_AGE", "int", "60", "使用 DATABASE_URL 时数据库连接保持的秒数",
           "seconds a DATABASE_URL connection is kept"),
    Option("LEITAI_NOTIFIER", "choice", "email", "督办提醒的发送方式，或本单位自建类的点分路径",
           "how reminders go out, or the dotted path of a site's own class", ("email", "webhook", "none"), dotted=True),
    Option("LEITAI_WEBHOOK_URL", "str", "", "内网群机器人地址（LEITAI_NOTIFIER=webhook）",
           "the intranet chat robot's address (LEITAI_NOTIFIER=webhook)"),
    Option("LEITAI_SMS_GATEWAY", "str", "", "短信网关地址（本单位继承 SmsNotifier 的类使用）",
           "an SMS gateway's address (for a site's SmsNotifier subclass)"),
    # imports (leitai.spreadsheets reads every imported .xlsx and .csv within these bounds)
    Option("LEITAI_IMPORT_MAX_ROWS", "int", "1000000", "导入文件每个工作表的最大行号",
           "the highest row number an imported sheet may use"),
    Option("LEITAI_IMPORT_MAX_COLUMNS", "int", "1000", "导入文件的最大列数", "the most columns an imported sheet may use"),
    Option("LEITAI_IMPORT_MAX_CELLS", "int", "3000000", "导入文件的单元格总数上限（30 万个数值的长表约 120 万个）",
           "the most cells in an imported file (a 300,000-value long table has about 1.2 million)"),
    Option("LEITAI_IMPORT_MAX_UNZIPPED_MB", "float", "256", "导入的 .xlsx 解压后的大小上限（MB）",
           "the most an imported .xlsx may unzip to (MB)"),
    Option("LEITAI_IMPORT_MAX_RATIO", "float", "100", "导入的 .xlsx 中大部件的压缩比上限（正常文件为 5–20 倍）",
           "the highest compression ratio of a large part of an imported .xlsx (real files: 5–20)"),
    Option("LEITAI_IMPORT_MAX_SECONDS", "float", "120", "读取一个导入文件的时间上限（秒）",
           "the longest an imported file may take to read (seconds)"),
    # the task queue (leitai.queue): imports and the daily jobs run in the worker `leitai serve` starts
    Option("LEITAI_QUEUE", "choice", "auto", "任务队列：auto（设了 REDIS_URL 用 Redis，否则用数据目录中的 SQLite）",
           "the task queue: auto (Redis when REDIS_URL is set, else SQLite in the data folder)",
           ("auto", "sqlite", "redis")),
    Option("LEITAI_SUPERVISION_AT", "time", "08:00", "每日督办（提醒、升级、承诺核验）的运行时间；留空则不自动运行",
           "when the daily supervision job (reminders, escalations, pledge verdicts) runs; empty: never on its own"),
)
BY_NAME = {o.name: o for o in OPTIONS}


class OptionError(ValueError):
    pass


def read(name: str, environ: Mapping[str, str] | None = None):
    """The typed value of option `name` from the environment (its default when unset or empty)."""
    o = BY_NAME[name]
    env = os.environ if environ is None else environ
    raw = (env.get(name) or "").strip() or o.default
    if o.kind in ("str", "path"):
        return raw
    if o.kind == "time":
        raw = (env.get(name) if name in env else o.default) or ""
        raw = raw.strip()
        hour, _, minute = raw.partition(":")
        if raw and not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise OptionError(f"{name} must be a time of day such as 08:00 (or empty), got {raw!r}")
        return f"{int(hour):02d}:{int(minute):02d}" if raw else ""
    if o.kind == "bool":
        if raw.lower() not in ("true", "false"):
            raise OptionError(f"{name} must be 'true' or 'false', got {raw!r}")
        return raw.lower() == "true"
    if o.kind in ("int", "float"):
        try:
            value = int(raw) if o.kind == "int" else float(raw)
        except ValueError:
            raise OptionError(f"{name} must be a{'n integer' if o.kind == 'int' else ' number'}, got {raw!r}")
        if value < 0:
            raise OptionError(f"{name} must not be negative, got {raw!r}")
        return value
    if o.kind == "list":
        return [item.strip() for item in raw.split(",") if item.strip()]
    if o.kind == "choice":
        if raw in o.choices or (o.dotted and "." in raw):
            return raw
        shown = ", ".join(c for c in o.choices if c)
        raise OptionError(f"{name} must be one of {shown}{' or a dotted path' if o.dotted else ''}, got {raw!r}")
    raise AssertionError(o.kind)


def markdown() -> str:
    """docs/configuration.md."""
    lines = ["# 配置 · configuration", "",
             "擂台的全部设置都是环境变量，在 `src/leitai/config/options.py` 中声明；本页由它生成"
             "（`python -m leitai.config.options > docs/configuration.md`）。取值不合法时拒绝启动并指出变量名。",
             "Every setting is an environment variable declared in `src/leitai/config/options.py`; this page is "
             "generated from it. A bad value stops the start with a message naming the variable.", "",
             "| 变量 / variable | 默认 / default | 取值 / values | 作用 | what it does |", "|---|---|---|---|---|"]
    for o in OPTIONS:
        values = " / ".join(f"`{c}`" for c in o.choices if c) + (" / a dotted path" if o.dotted else "")
        values = values or {"bool": "`true` / `false`", "int": "integer ≥ 0", "float": "number ≥ 0",
                            "list": "comma-separated", "path": "a folder",
                            "time": "HH:MM, or empty"}.get(o.kind, "text")
        default = f"`{o.default}`" if o.default else "—"
        lines.append(f"| `{o.name}` | {default} | {values} | {o.zh} | {o.en} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(markdown())
