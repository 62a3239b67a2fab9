"""`leitai arena tally`: score a live arena offline from SCORES.csv and RUBRIC.json (no database).

Deliberately free of Django so it starts fast and runs on the organiser's laptop beside the stage;
exit code 2 and a message naming the file (and line) on any problem with the inputs.
"""

from __future__ import annotations

import os

import click

from leitai.commands.offline import fail as _fail
from leitai.commands.offline import lang_of as _lang
from leitai.commands.offline import read_text as _read
from leitai.commands.offline import write_text as _write
from leitai.core.errors import LeitaiError
from leitai.core.io.arena import format_tally_csv, parse_rubric_json, parse_scores_csv
from leitai.core.io.arena_audit import format_audit_csv, parse_links_csv
from leitai.core.judging.audit import FLAG_NAMES_ZH, audit
from leitai.core.judging.tally import Rubric, Sheet, TallyResult, tally


@click.group("arena")
def arena() -> None:
    """擂台赛：离线计分 / arena contest tools."""


@arena.command("tally")
@click.option("--scores", "scores_path", required=True, metavar="SCORES.csv",
              help="judge,group,contestant,criterion,score")
@click.option("--rubric", "rubric_path", required=True, metavar="RUBRIC.json", help="评分规则 / the rubric")
@click.option("--links", "links_path", default=None, metavar="LINKS.csv",
              help="评委与选手的关联（校准规则 drop_flagged 用）/ judge,contestant,relation (for drop_flagged)")
@click.option("--out", "out_path", required=True, metavar="OUT.csv", help="结果 / result: contestant,score,rank,group:…")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def tally_command(scores_path: str, rubric_path: str, links_path: str | None, out_path: str, lang: str | None) -> None:
    """按 RUBRIC.json 汇总 SCORES.csv 中的评委打分，写入 OUT.csv / tally the judges' scores."""
    lang = _lang(lang)
    rubric, sheets, links = _inputs(lang, scores_path, rubric_path, links_path)
    try:
        result = tally(sheets, rubric, links=links)
    except LeitaiError as e:
        _fail(lang, scores_path, e.zh, e.en)
    _write(lang, out_path, format_tally_csv(result, rubric))
    click.echo(_summary(result, out_path, lang), err=True)


def _inputs(lang: str, scores_path: str, rubric_path: str, links_path: str | None
            ) -> tuple[Rubric, list[Sheet], dict[tuple[str, str], str] | None]:
    """RUBRIC.json, SCORES.csv (checked against it) and LINKS.csv when given, as `tally`, `audit` and
    `uncertainty` read them; a problem exits naming its file."""
    rubric_text = _read(lang, rubric_path)
    scores_text = _read(lang, scores_path)
    links = _links(lang, links_path)
    try:
        rubric = parse_rubric_json(rubric_text)
    except LeitaiError as e:
        _fail(lang, rubric_path, e.zh, e.en)
    try:
        sheets = parse_scores_csv(scores_text, rubric)
    except LeitaiError as e:
        _fail(lang, scores_path, e.zh, e.en)
    return rubric, sheets, links


def _links(lang: str, path: str | None) -> dict[tuple[str, str], str] | None:
    if path is None:
        return None
    text = _read(lang, path)
    try:
        return parse_links_csv(text)
    except LeitaiError as e:
        _fail(lang, path, e.zh, e.en)
    return None  # unreachable: _fail exits


@arena.command("audit")
@click.option("--scores", "scores_path", required=True, metavar="SCORES.csv",
              help="judge,group,contestant,criterion,score")
@click.option("--rubric", "rubric_path", required=True, metavar="RUBRIC.json", help="评分规则 / the rubric")
@click.option("--links", "links_path", default=None, metavar="LINKS.csv",
              help="评委与选手的关联 / judge,contestant,relation")
@click.option("--threshold", type=float, default=None, metavar="T",
              help="阈值，默认为最高可能总分的 5% / T, default 5% of the highest possible total")
@click.option("--out", "out_path", required=True, metavar="AUDIT.csv",
              help="judge,group,sheets,leniency,leniency_lo,leniency_hi,consistency,favour,favour_lo,favour_hi,flags")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def audit_command(scores_path: str, rubric_path: str, links_path: str | None, threshold: float | None,
                  out_path: str, lang: str | None) -> None:
    """审计评委：偏宽、偏严、不稳定、偏向关联单位，写入 AUDIT.csv / audit the judges."""
    lang = _lang(lang)
    if threshold is not None and not (threshold >= 0 and threshold < float("inf")):
        _fail(lang, "--threshold", f"应为不小于 0 的数，实为 {threshold}", f"must be a number ≥ 0, got {threshold}")
    rubric, sheets, links = _inputs(lang, scores_path, rubric_path, links_path)
    try:
        result = audit(sheets, rubric, links, threshold)
    except LeitaiError as e:
        _fail(lang, scores_path, e.zh, e.en)
    _write(lang, out_path, format_audit_csv(result))
    en = lang == "en"
    lines = [f"audited {len(result.rows)} judges (T = {result.threshold:g}) -> {out_path}" if en
             else f"已审计 {len(result.rows)} 名评委（阈值 T = {result.threshold:g}）→ {out_path}"]
    for row in result.rows:
        if row.flags:
            lines.append(f"  {row.judge} ({row.group}): {', '.join(row.flags)}" if en
                         else f"  {row.judge}（{row.group}）：{'、'.join(FLAG_NAMES_ZH[f] for f in row.flags)}")
    click.echo("\n".join(lines), err=True)


def _summary(result: TallyResult, out_path: str, lang: str) -> str:
    ranked = sum(1 for r in result.rows if r.rank)
    total = len(result.rows)
    en = lang == "en"
    lines = [f"ranked {ranked} of {total} contestants -> {out_path}" if en
             else f"已排名 {ranked} 名选手（共 {total} 名）→ {out_path}"]
    for d in result.dropped:
        lines.append(f"dropped judge {d.judge} ({d.group}): {', '.join(d.flags)}" if en
                     else f"已剔除评委 {d.judge}（{d.group}）：{'、'.join(FLAG_NAMES_ZH[f] for f in d.flags)}")
    if result.incomplete:
        lines.append(f"incomplete sheets left out ({len(result.incomplete)}):" if en
                     else f"不完整的评分表未计入（{len(result.incomplete)} 份）：")
        for s in result.incomplete:
            lines.append(f"  judge {s.judge}, contestant {s.contestant}: missing {', '.join(s.missing)}" if en
                         else f"  评委 {s.judge}，选手 {s.contestant}：缺少 {'、'.join(s.missing)}")
    return "\n".join(lines)


@arena.command("uncertainty")
@click.option("--scores", "scores_path", required=True, metavar="SCORES.csv",
              help="judge,group,contestant,criterion,score")
@click.option("--rubric", "rubric_path", required=True, metavar="RUBRIC.json", help="评分规则 / the rubric")
@click.option("--draws", type=click.IntRange(min=1), default=1000, show_default=True, metavar="N",
              help="评委重抽样次数 / bootstrap draws")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, metavar="S",
              help="随机种子 / numpy.random.default_rng seed")
@click.option("--links", "links_path", default=None, metavar="LINKS.csv",
              help="评委与选手的关联，drop_flagged 校准用 / judge,contestant,relation (for a drop_flagged calibration)")
@click.option("--out", "out_path", required=True, metavar="OUT.csv",
              help="名次区间 / contestant,rank,median_rank,rank_lo,rank_hi")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def uncertainty_command(scores_path: str, rubric_path: str, draws: int, seed: int, links_path: str | None,
                        out_path: str, lang: str | None) -> None:
    """名次的 90% 区间：每个评委组内有放回地重抽评委后按计分规则重排名次 / rank intervals by resampling judges.

    See docs/uncertainty.md; the rows are in the order of `arena tally`'s OUT.csv."""
    from leitai.core.io.arena_intervals import format_intervals_csv
    from leitai.core.judging.bootstrap import bootstrap_ranks

    lang = _lang(lang)
    rubric, sheets, links = _inputs(lang, scores_path, rubric_path, links_path)
    try:
        result = tally(sheets, rubric, links=links)
    except LeitaiError as e:
        _fail(lang, scores_path, e.zh, e.en)
    boot = bootstrap_ranks(result, rubric, draws=draws, seed=seed)
    _write(lang, out_path, format_intervals_csv(result, boot))
    ranked = int((boot.rank > 0).sum())
    click.echo(f"{ranked} ranked contestants, {draws} draws (seed {seed}) -> {out_path}" if lang == "en"
               else f"{ranked} 名选手，重抽样 {draws} 次（种子 {seed}）→ {out_path}", err=True)


@arena.command("export")
@click.argument("arena_id", type=int)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="输出目录 / folder for scores.csv, rubric.json, result.csv, README.txt")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def export_command(arena_id: int, out_dir: str, lang: str | None) -> None:
    """导出已发布擂台赛的匿名评分表、评分规则和结果 / export a published arena's anonymised sheets.

    `leitai arena tally` on the exported scores.csv and rubric.json reproduces result.csv exactly."""
    lang = _lang(lang)
    # Django is set up here only: `tally` above stays free of it (fast, no database needed).
    from leitai.commands.offline import setup_django

    setup_django()
    from leitai.arena.models import Arena
    from leitai.arena.services import export_arena

    arena_obj = Arena.objects.filter(pk=arena_id).first()
    if arena_obj is None:
        _fail(lang, str(arena_id), "擂台赛不存在", "no such arena")
    try:
        files = export_arena(arena_obj)
    except LeitaiError as e:
        _fail(lang, str(arena_id), e.zh, e.en)
    try:
        os.makedirs(out_dir, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(data)
    except OSError as e:
        _fail(lang, out_dir, f"无法写入：{e.strerror}", f"cannot write: {e.strerror}")
    click.echo(f"exported {len(files)} files -> {out_dir}" if lang == "en"
               else f"已导出 {len(files)} 个文件 → {out_dir}", err=True)


@arena.command("minutes")
@click.argument("arena_id", type=int)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), metavar="FILE.docx|FILE.pdf",
              help="输出文件，按扩展名生成 Word 或 PDF / the file to write: Word or PDF by its extension")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def minutes_command(arena_id: int, out_path: str, lang: str | None) -> None:
    """生成已发布擂台赛的纪要（.docx 或 .pdf）/ write a published arena's minutes (.docx or .pdf)."""
    lang = _lang(lang)
    ext = os.path.splitext(out_path)[1].lower()
    if ext not in (".docx", ".pdf"):
        _fail(lang, out_path, "文件扩展名应为 .docx 或 .pdf", "the file name must end in .docx or .pdf")
    from leitai.commands.offline import setup_django

    setup_django()
    from leitai.arena.models import Arena
    from leitai.arena.services import minutes_docx, minutes_pdf

    arena_obj = Arena.objects.filter(pk=arena_id).first()
    if arena_obj is None:
        _fail(lang, str(arena_id), "擂台赛不存在", "no such arena")
    try:
        data = minutes_docx(arena_obj) if ext == ".docx" else minutes_pdf(arena_obj)
    except LeitaiError as e:
        _fail(lang, str(arena_id), e.zh, e.en)
    try:
        with open(out_path, "wb") as f:
            f.write(data)
    except OSError as e:
        _fail(lang, out_path, f"无法写入：{e.strerror}", f"cannot write: {e.strerror}")
    click.echo(f"minutes -> {out_path}" if lang == "en" else f"已生成纪要 → {out_path}", err=True)


@arena.command("verify")
@click.argument("bundle", type=click.Path(file_okay=False), metavar="DIR")
@click.option("--head", default=None, metavar="HEAD",
              help="结果页显示的链头（至少 8 位）/ the chain head shown on the results page (8 digits or more)")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def verify_command(bundle: str, head: str | None, lang: str | None) -> None:
    """核对导出的数据包：哈希链、链头、回执、链与评分表（或排序）、复算结果 / check an exported bundle.

    No database. A ranking arena's bundle (ranks.csv, rules.json, no scores.csv) gets the same checks on its
    rankings. Exit 0 with a summary when every check passes; 2 naming the first failure (file and line)."""
    from leitai.core.io.verify import FILES, OPTIONAL, RANK_FILES, VerifyFailed, verify_bundle

    lang = _lang(lang)
    files: dict[str, str | None] = {}
    ranking = not os.path.exists(os.path.join(bundle, "scores.csv")) and any(
        os.path.exists(os.path.join(bundle, name)) for name in ("ranks.csv", "rules.json"))
    for name in RANK_FILES if ranking else FILES + OPTIONAL:
        path = os.path.join(bundle, name)
        if not os.path.exists(path):
            files[name] = None
            continue
        try:
            with open(path, "rb") as f:
                files[name] = f.read().decode("utf-8")
        except UnicodeDecodeError as e:
            _fail(lang, path, f"不是 UTF-8 编码（第 {e.start} 字节）", f"not UTF-8 text (byte {e.start})")
        except OSError as e:
            _fail(lang, path, f"无法读取：{e.strerror}", f"cannot read: {e.strerror}")
    try:
        done = verify_bundle(files, head)
    except VerifyFailed as e:
        _fail(lang, os.path.join(bundle, e.file), e.zh, e.en)
    if done.ranking:
        click.echo(f"all 5 checks passed: arena {done.arena}, {done.entries} chain entries, head {done.head}, "
                   f"{done.sheets} ranking receipts recomputed, the points tally equals result.csv and detail.csv"
                   if lang == "en" else
                   f"5 项检查全部通过：擂台赛 {done.arena}，哈希链 {done.entries} 条，链头 {done.head}，"
                   f"{done.sheets} 份排序的回执复算一致，积分复算与 result.csv、detail.csv 一致")
        return
    click.echo(f"all 5 checks passed: arena {done.arena}, {done.entries} chain entries, head {done.head}, "
               f"{done.sheets} receipts recomputed, the tally equals result.csv" if lang == "en" else
               f"5 项检查全部通过：擂台赛 {done.arena}，哈希链 {done.entries} 条，链头 {done.head}，"
               f"{done.sheets} 个回执复算一致，复算结果与 result.csv 一致")
