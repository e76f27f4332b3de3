"""What the verifier says, in plain words (English and Simplified Chinese; no gettext needed).

The signature texts are the same English ids as ``app.signing.messages`` (a test keeps them equal), so
``fieldaudit verify`` and the standalone verifier say the same thing.
"""

from __future__ import annotations

import os
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    "unreadable": (
        'Signature {signature} cannot be read: it is not in a known format.',
        '签名 {signature} 无法读取：格式无法识别。',
    ),
    "envelope_mismatch": (
        'Signature {signature} ({signer}, {time}): the signed content stored with it does not '
        'match its hash — the signature record was altered.',
        '签名 {signature}（{signer}，{time}）：随附的签署内容与其哈希不符——签名记录已被篡改。',
    ),
    "record_mismatch": (
        'Signature {signature} ({signer}, {time}): the signer, role, time or key in the record '
        'differ from what was signed — the record was altered.',
        '签名 {signature}（{signer}，{time}）：记录中的签署人、角色、时间或密钥与签'
        '署内容不一致——记录已被篡改。',
    ),
    "bad_signature": (
        'Signature {signature} ({signer}, {time}) is not valid for its key: the signed content or '
        'the signature was altered.',
        '签名 {signature}（{signer}，{time}）与其密钥不符：签署内容或签名已被篡改。',
    ),
    "handwritten_missing": (
        'Signature {signature} ({signer}) includes the handwritten signature {handwritten}, which '
        'is missing or was changed.',
        '签名 {signature}（{signer}）所包含的手写签名 {handwritten} 缺失或已被更改。',
    ),
    "handwritten_unbound": (
        "The handwritten signature {signature} of {signer} is not covered by any auditor's device "
        'signature.',
        '{signer} 的手写签名 {signature} 未被任何审核员的设备签名所覆盖。',
    ),
    "strokes_changed": (
        'The handwritten signature {signature} of {signer} was altered after it was signed.',
        '{signer} 的手写签名 {signature} 在签署后被改动。',
    ),
    "countersign_invalid": (
        'The platform countersignature {signature} is not valid: it was altered or not made by the '
        'platform.',
        '平台副署 {signature} 无效：已被篡改或并非平台所签。',
    ),
    "platform_key_unknown": (
        "Countersignature {signature} was made with the key {key}, which is not the platform's "
        'known key.',
        '副署 {signature} 使用的密钥 {key} 不是已知的平台密钥。',
    ),
    "countersign_orphan": (
        'A platform countersignature refers to signature {target}, which is missing or has '
        'different content.',
        '某平台副署所指向的签名 {target} 缺失或内容不同。',
    ),
    "key_copied": (
        'The signing key {key} was used on more than one device ({devices}): the key was copied to '
        'another device, so its signatures cannot be attributed to one signer.',
        '签名密钥 {key} 在多台设备上被使用（{devices}）：该密钥已被复制到其他设备，其签名无法归属于唯一签署人。',
    ),
    "clock_ahead": (
        'Signature {signature} ({signer}) claims the time {time}, but the platform countersigned '
        "it earlier, at {platform_time}: the signing device's clock was wrong.",
        '签名 {signature}（{signer}）声称的时间为 {time}，但平台在更早的 {pla'
        'tform_time} 已副署：签署设备的时钟有误。',
    ),
    "clock_skewed": (
        "Signature {signature} ({signer}) was made while the device's clock differed from the "
        "platform's by {minutes} minutes.",
        '签名 {signature}（{signer}）签署时设备时钟与平台相差 {minutes} 分钟。',
    ),
    "finding_changed": (
        'Finding {finding} was changed after {signer} signed it at {time}: the signature no longer '
        'covers its current content.',
        '发现项 {finding} 在 {signer} 于 {time} 签署后被修改：该签名已不再覆盖其当前内容。',
    ),
    "finding_missing": (
        'Finding {finding}, signed by {signer} at {time}, is missing.',
        '{signer} 于 {time} 签署的发现项 {finding} 已缺失。',
    ),
    "report_changed": (
        'The report file {path} no longer has the content {signer} signed at {time}.',
        '报告文件 {path} 已不是 {signer} 于 {time} 签署时的内容。',
    ),
    "timestamp_invalid": (
        "The time-stamping authority's token kept with countersignature {signature} is not valid "
        '({detail}): it was altered, dates other content or was not made by that authority.',
        '平台副署 {signature} 所附的时间戳机构时间戳无效（{detail}）：已被篡改、所证明的内容不同，'
        '或并非该机构所签发。',
    ),
    "timestamp_time": (
        'The time-stamping authority dated countersignature {signature} at {tsa_time}, too far from '
        "the platform's time {platform_time}, or without the request's nonce.",
        '时间戳机构为平台副署 {signature} 标注的时间 {tsa_time} 与平台时间 {platform_time} 相差过大，'
        '或缺少请求的随机数。',
    ),
    "timestamp_pending": (
        "Signature {signature} ({signer}, {time}) has no time-stamp from the certification body's "
        'time-stamping authority yet: the authority did not answer; the next sync asks again.',
        '签名 {signature}（{signer}，{time}）尚无认证机构时间戳服务的时间戳：该服务未响应，'
        '下次同步时将再次申请。',
    ),
    "not_countersigned": (
        'Signature {signature} ({signer}, {time}) has no platform countersignature yet: the device '
        'has not synced it.',
        '签名 {signature}（{signer}，{time}）尚无平台副署：设备尚未同步该签名。',
    ),
    "zip_damaged": (
        'The package is damaged or is not a trail package ({detail}).',
        '数据包已损坏或不是追溯数据包（{detail}）。',
    ),
    "part_missing": (
        'The part {part} listed in the manifest is missing from the package.',
        '清单中列出的部分 {part} 在数据包中缺失。',
    ),
    "part_changed": (
        'The part {part} of the package was changed after export: its hash does not match the '
        'manifest.',
        '数据包中的部分 {part} 在导出后被改动：其哈希与清单不符。',
    ),
    "part_extra": (
        'The package contains {part}, which the manifest does not list.',
        '数据包中含有清单未列出的 {part}。',
    ),
    "manifest_changed": (
        'The manifest was changed after export: its own hash does not match.',
        '清单在导出后被改动：其自身哈希不符。',
    ),
    "manifest_signature": (
        "The manifest's signature by device {device} is not valid: the package was altered.",
        '设备 {device} 对清单的签名无效：数据包已被篡改。',
    ),
    "manifest_key_unattested": (
        "The package was exported by device {device} with a key the platform has not countersigned: the "
        "manifest proves the package is unchanged since export, not who exported it.",
        "数据包由设备 {device} 导出，其密钥未经平台副署：清单只能证明导出后未被改动，不能证明导出者身份。",
    ),
    "checkin_unlisted": (
        "The meeting check-in {part} does not match any evidence record of the audit.",
        "会议签到 {part} 与审核的任何证据记录都不相符。",
    ),
    "journal_changed": (
        'Journal entry #{seq} in the package was changed: its hash does not match its content.',
        '数据包中的日志条目 #{seq} 被改动：其哈希与内容不符。',
    ),
    "journal_link": (
        'Journal entry #{seq} does not follow entry #{previous}: an entry between them was removed '
        'or changed.',
        '日志条目 #{seq} 未接续条目 #{previous}：二者之间的条目被删除或改动。',
    ),
    "not_journalled": (
        'Finding {finding} differs from what the journal recorded: it was changed outside '
        'FieldAudit.',
        '发现项 {finding} 与日志记录不一致：它在 FieldAudit 之外被修改。',
    ),
}


def language(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    value = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    return "en" if value.startswith("en") else "zh"


def say(code: str, params: dict[str, Any], lang: str = "zh") -> str:
    english, chinese = MESSAGES.get(code, (code, code))
    text = english if lang == "en" else chinese
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
