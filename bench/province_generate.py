"""Province-scale data for the dashboard benchmark: ~1,000,000 key projects, ~12,000,000 progress
reports and 200 zones, in a database of its own (never the test or dev database).

    .venv/bin/python bench/province_generate.py                 # SQLite and PostgreSQL
    .venv/bin/python bench/province_generate.py --db sqlite --projects 100000 --reports 1200000

- SQLite: a separate file, ``$CHAINLEAD_PROVINCE_DIR/province.sqlite3`` (default
  ``/tmp/chainlead_province``), filled with ``executemany`` in big transactions.
- PostgreSQL: a database ``chainlead_province`` it creates (and drops first) on the server of
  ``CHAINLEAD_PROVINCE_PG`` (default ``postgres://root@127.0.0.1:5432``), filled with ``COPY``.
- ``bench/province_dashboard.py --cleanup`` (or ``--drop`` here) removes both afterwards.

The schema comes from the project's migrations. Units, users and chains are made with the ORM;
enterprises, projects and reports are written as plain rows (the change log is not involved: this
is a data load, not edits); the history of every project (one row per milestone: lead, 洽谈, 签约,
注册, 开工, 竣工, 投产, 暂缓/终止, holding the project as it stood after it) is written with one
``INSERT … SELECT`` per milestone, so "as of" a month-end can be rebuilt from it. The progress
reports go into the dispatch app's ``ProgressReport`` table when that app is installed (monthly
reports of the landed projects up to November 2021, the most recent months of each, to about
``--reports`` in all), otherwise into a stand-in table ``bench_progress_report`` of the same shape.

Each backend runs in its own process (Django settings are per process); the sizes and timings go
to ``$CHAINLEAD_PROVINCE_DIR/<backend>-generate.json`` for ``province_dashboard.py``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("CHAINLEAD_PROVINCE_DIR", "/tmp/chainlead_province"))
PG_SERVER = os.environ.get("CHAINLEAD_PROVINCE_PG", "postgres://root@127.0.0.1:5432").rstrip("/")
PG_DB = "chainlead_province"
STORY_END = datetime.date(2021, 11, 30)
FIRST_DAY = datetime.date(2012, 1, 1)
SEED = 20211130

CITIES = [
    "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海",
    "日照", "临沂", "德州", "聊城", "滨州", "菏泽", "胶州", "即墨", "龙口", "寿光",
]  # fmt: skip
CHAINS = [
    "新一代信息技术", "高端装备", "新能源汽车", "现代海洋", "医养健康", "高端化工", "现代高效农业",
    "文化创意", "精品旅游", "现代金融", "新材料", "节能环保", "集成电路", "工业母机", "生物医药",
    "轨道交通装备", "航空航天", "氢能", "智能家电", "纺织服装", "食品饮料", "现代物流", "新一代半导体",
    "船舶海工",
]  # fmt: skip
DEPARTMENTS = [
    "发展和改革委员会", "工业和信息化局", "商务局", "投资促进局", "自然资源和规划局", "住房和城乡建设局",
    "生态环境局", "统计局", "财政局", "科学技术局", "行政审批服务局", "交通运输局", "水务局",
    "应急管理局", "市场监督管理局", "人力资源和社会保障局", "农业农村局", "文化和旅游局", "卫生健康委员会",
    "海洋发展局", "能源局", "金融工作办公室", "国有资产监督管理委员会", "地方金融监督管理局",
    "大数据局", "税务局", "供电公司", "城市管理局", "教育局", "民营经济发展局",
]  # fmt: skip
SOURCE_TAGS = [
    "fortune500",
    "china500",
    "private500",
    "central_soe",
    "local_soe",
    "listed",
    "unicorn",
    "foreign",
]


def database_url(backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{WORK / 'province.sqlite3'}"
    return f"{PG_SERVER}/{PG_DB}"


def child_env(backend: str) -> dict:
    env = dict(os.environ)
    env.pop("CHAINLEAD_TESTING", None)
    env.update(
        DATABASE_URL=database_url(backend),
        CHAINLEAD_DATA_DIR=str(WORK / f"data-{backend}"),
        CHAINLEAD_TODAY=STORY_END.isoformat(),
        DJANGO_SETTINGS_MODULE=env.get("DJANGO_SETTINGS_MODULE", "chainlead.settings"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    return env


def drop_databases() -> None:
    """Remove both benchmark databases."""
    import psycopg

    path = WORK / "province.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable ({exc}); nothing dropped there")


def create_pg_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')


# --- inside the child process (Django set up on the benchmark database) ----------------------------
class Writer:
    """Plain-row inserts: COPY on PostgreSQL, executemany in big transactions on SQLite."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.utc = datetime.UTC

    def dt(self, value: datetime.datetime):
        """A timestamp as the backend stores it (SQLite: naive UTC text)."""
        if self.vendor == "sqlite":
            return value.astimezone(self.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    def bool(self, value: bool):
        return value

    def columns(self, model, values: dict) -> tuple[list[str], list]:
        """All concrete columns of ``model`` but the auto id, with a template row of defaults."""
        from django.db import models

        names, template = [], []
        now = datetime.datetime(2021, 11, 30, 10, 0, tzinfo=self.utc)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.AutoField):
                continue
            names.append(field.column)
            if field.attname in values:
                template.append(values[field.attname])
            elif isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                template.append(self.dt(now))
            elif isinstance(field, models.JSONField):
                default = field.get_default()
                template.append(json.dumps(default if default is not None else None, ensure_ascii=False))
            elif field.has_default():
                default = field.get_default()
                if isinstance(default, datetime.datetime):
                    default = self.dt(default)
                template.append(default)
            elif field.null:
                template.append(None)
            elif isinstance(field, (models.CharField, models.TextField)):
                template.append("")
            elif isinstance(field, models.BooleanField):
                template.append(False)
            elif field.is_relation:
                template.append(None)  # the row sets it
            else:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
        return names, template

    def insert(self, table: str, columns: list[str], rows) -> int:
        q = self.connection.ops.quote_name
        n = 0
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {q(table)} ({', '.join(q(c) for c in columns)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
                        n += 1
            else:
                sql = f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 50000:
                        cursor.executemany(sql, batch)
                        n += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        return n


def month_add(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def generate(backend: str, n_projects: int, n_reports: int, n_zones: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from chainlead.chains.models import ChainNode, KeyChain
    from chainlead.core.context import change_context
    from chainlead.organization.choices import Role, UnitKind
    from chainlead.organization.models import RoleGrant, Unit, User

    timings: dict[str, float] = {}
    counts: dict[str, int] = {}

    def step(name):
        class Timer:
            def __enter__(self):
                self.t = time.monotonic()
                print(f"[{backend}] {name}…", flush=True)

            def __exit__(self, *exc):
                timings[name] = round(time.monotonic() - self.t, 1)
                print(f"[{backend}] {name}: {timings[name]} s", flush=True)

        return Timer()

    with step("migrate"):
        call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    rng = random.Random(SEED)
    w = Writer()

    # --- organisation, users, chains (ORM) -----------------------------------------------------------
    with step("units, users, chains"), change_context(source="bench:province"), transaction.atomic():
        office = Unit.objects.create(name="省重点产业链工作领导小组办公室", kind=UnitKind.OFFICE)
        departments = [
            Unit.objects.create(name=f"省{name}", kind=UnitKind.DEPARTMENT, sort_order=i)
            for i, name in enumerate(DEPARTMENTS)
        ]
        n_areas = max(1, round(n_zones / 10))
        per_area = max(0, n_zones // n_areas - 1)
        areas, zones = [], []
        for i in range(n_areas):
            area = Unit.objects.create(
                name=f"{CITIES[i % len(CITIES)]}{'高新区' if i % 2 else '经济开发区'}{'' if i < len(CITIES) else i}",
                kind=UnitKind.AREA,
                sort_order=i,
            )
            areas.append(area)
            for k in range(per_area):
                zones.append(
                    Unit.objects.create(
                        name=f"{area.name}第{k + 1}战区", kind=UnitKind.BATTLE_ZONE, parent=area, sort_order=k
                    )
                )
        leader = User.objects.create(username="leader", name="省领导")
        leader.set_password("Chainlead@2026")
        leader.save()
        RoleGrant.objects.create(user=leader, role=Role.LEADER, unit=office)
        area_user = User.objects.create(username="area_head", name="片区负责人", unit=areas[0])
        RoleGrant.objects.create(user=area_user, role=Role.UNIT_HEAD, unit=areas[0])
        chains, nodes = [], {}
        for i, name in enumerate(CHAINS):
            chain = KeyChain.objects.create(
                name=f"{name}产业链",
                short_name=name,
                code=f"p{i:02d}",
                lead_department=departments[i % 30],
                sort_order=i,
            )
            chains.append(chain)
            batch = []
            for j in range(40):
                segment = ("upstream", "midstream", "downstream")[min(2, j * 3 // 40)]
                r = rng.random()
                strength = "present" if r < 0.6 else "weak" if r < 0.85 else "missing"
                batch.append(
                    ChainNode(
                        chain=chain,
                        segment=segment,
                        name=f"{name}环节{j + 1}",
                        strength=strength,
                        sort_order=j,
                    )
                )
            nodes[chain.pk] = [n.pk for n in ChainNode.objects.bulk_create(batch)]
    counts.update(units=Unit.objects.count(), zones=len(areas) + len(zones), chains=len(chains))
    territorial = [z.pk for z in zones] or [a.pk for a in areas]
    zone_area = {z.pk: z.parent_id for z in zones}
    dept_ids = [d.pk for d in departments]

    # --- enterprises ----------------------------------------------------------------------------------
    from chainlead.enterprises.models import Enterprise

    n_enterprises = max(1000, n_projects // 5)
    with step("enterprises"), transaction.atomic():
        cols, template = w.columns(Enterprise, {"comments": ""})
        pos = {c: i for i, c in enumerate(cols)}

        def enterprise_rows():
            for i in range(n_enterprises):
                row = list(template)
                row[pos["name"]] = f"山东省第{i + 1:06d}号实业有限公司"
                row[pos["credit_code"]] = f"91370{i + 1:012d}X"
                row[pos["registered_capital"]] = Decimal(rng.randint(100, 100000))
                tags = [t for t in SOURCE_TAGS if rng.random() < 0.04]
                row[pos["source_tags"]] = json.dumps(tags)
                yield row

        counts["enterprises"] = w.insert(Enterprise._meta.db_table, cols, enterprise_rows())
    first_enterprise = Enterprise.objects.order_by("pk").values_list("pk", flat=True).first()

    # --- projects -------------------------------------------------------------------------------------
    from chainlead.projects.models import KeyProject

    days = (STORY_END - FIRST_DAY).days
    with step("projects"), transaction.atomic():
        cols, template = w.columns(KeyProject, {"comments": "", "version": 1})
        pos = {c: i for i, c in enumerate(cols)}

        def d(day):
            return day if day is None or day <= STORY_END else None

        def project_rows():
            for i in range(n_projects):
                row = list(template)
                # more projects in recent years (a growing pipeline)
                nego = FIRST_DAY + datetime.timedelta(days=int(days * math.sqrt(rng.random())))
                lead = nego - datetime.timedelta(days=rng.randint(7, 90))
                zone = rng.choice(territorial)
                r = rng.random()
                unit = zone if r < 0.5 else zone_area.get(zone, zone) if r < 0.7 else rng.choice(dept_ids)
                chain = rng.choice(chains) if rng.random() < 0.85 else None
                total = (
                    Decimal(max(500, int(rng.lognormvariate(10.3, 1.2)))) + Decimal(rng.randint(0, 99)) / 100
                )
                stage = "negotiating"
                signed = registered = started = completed = production = terminated = hold = None
                planned_start = planned_completion = planned_production = None
                fai = stats = False
                fai_month = stats_month = None
                output = None
                roll = rng.random()
                if roll < 0.7:
                    output = (total * Decimal(rng.uniform(0.5, 2.0))).quantize(Decimal("0.01"))
                    landed = nego + datetime.timedelta(days=rng.randint(10, 240))
                    if rng.random() < 0.85:
                        signed, stage = d(landed), "signed"
                    if rng.random() < 0.7:
                        registered = d(landed + datetime.timedelta(days=rng.randint(0, 60)))
                        if registered:
                            stage = "registered"
                    if signed is None and registered is None:
                        stage = "negotiating"
                    if registered and rng.random() < 0.6:
                        started = d(registered + datetime.timedelta(days=rng.randint(20, 300)))
                        planned_start = registered + datetime.timedelta(days=rng.randint(10, 200))
                        if started:
                            stage = "started"
                            planned_completion = started + datetime.timedelta(days=rng.randint(200, 900))
                            planned_production = planned_completion + datetime.timedelta(days=60)
                            if rng.random() < 0.8:
                                fai, fai_month = True, month_add(started, rng.randint(0, 2))
                                if fai_month > STORY_END:
                                    fai, fai_month = False, None
                            if rng.random() < 0.45:
                                completed = d(started + datetime.timedelta(days=rng.randint(200, 900)))
                                if completed:
                                    stage = "completed"
                                    if rng.random() < 0.7:
                                        production = d(
                                            completed + datetime.timedelta(days=rng.randint(15, 120))
                                        )
                                        if production:
                                            stage = "in_production"
                                            if rng.random() < 0.5:
                                                stats_month = month_add(production, rng.randint(1, 4))
                                                stats = stats_month <= STORY_END
                                                stats_month = stats_month if stats else None
                elif roll < 0.8:
                    terminated = d(nego + datetime.timedelta(days=rng.randint(30, 300)))
                    if terminated:
                        stage = "terminated"
                elif roll < 0.85:
                    hold = d(nego + datetime.timedelta(days=rng.randint(30, 300)))
                    if hold:
                        stage = "on_hold"
                        row[pos["stage_before_hold"]] = "negotiating"
                        row[pos["hold_reason"]] = "用地指标待落实"
                if nego > STORY_END:
                    nego, stage = None, "lead"
                enterprise = first_enterprise + rng.randrange(n_enterprises) if rng.random() < 0.8 else None
                row[pos["name"]] = f"省重点项目{i + 1:07d}"
                row[pos["enterprise_id"]] = enterprise
                row[pos["chain_id"]] = chain.pk if chain else None
                row[pos["chain_node_id"]] = rng.choice(nodes[chain.pk]) if chain else None
                row[pos["purpose"]] = rng.choice(["fill", "strengthen", "extend"]) if chain else ""
                row[pos["area_id"]] = zone
                row[pos["responsible_unit_id"]] = unit
                row[pos["responsible_leader"]] = "分管副市长"
                row[pos["level"]] = rng.choice(["province", "city", "district", "district"])
                row[pos["total_investment"]] = total
                row[pos["annual_plan"]] = (total * Decimal("0.3")).quantize(Decimal("0.01"))
                row[pos["intended_investment"]] = total
                row[pos["expected_output"]] = output
                row[pos["stage"]] = stage
                row[pos["lead_on"]] = lead if lead <= STORY_END else None
                row[pos["negotiating_on"]] = nego
                row[pos["signed_on"]] = signed
                row[pos["registered_on"]] = registered
                row[pos["started_on"]] = started
                row[pos["completed_on"]] = completed
                row[pos["production_on"]] = production
                row[pos["terminated_on"]] = terminated
                row[pos["on_hold_on"]] = hold
                row[pos["planned_start_on"]] = planned_start
                row[pos["planned_completion_on"]] = planned_completion
                row[pos["planned_production_on"]] = planned_production
                row[pos["fai_in_db"]] = fai
                row[pos["fai_month"]] = fai_month
                row[pos["enterprise_in_stats"]] = bool(stats and enterprise)
                row[pos["stats_month"]] = stats_month if stats and enterprise else None
                row[pos["stats_category"]] = "industry" if stats and enterprise else ""
                last = max(
                    x
                    for x in (
                        lead,
                        nego,
                        signed,
                        registered,
                        started,
                        completed,
                        production,
                        terminated,
                        hold,
                    )
                    if x
                )
                stamp = datetime.datetime.combine(last, datetime.time(10, 0), tzinfo=datetime.UTC)
                row[pos["created"]] = w.dt(stamp)
                row[pos["last_updated"]] = w.dt(stamp)
                yield row

        counts["projects"] = w.insert(KeyProject._meta.db_table, cols, project_rows())

    # --- the projects' history: one row per milestone, as the project stood after it -----------------
    with step("project history"), transaction.atomic():
        counts["history_rows"] = write_history(KeyProject)

    # --- progress reports ---------------------------------------------------------------------------------
    with step("progress reports"), transaction.atomic():
        counts["progress_reports"], counts["report_table"] = write_reports(w, rng, n_reports)

    with step("analyze"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        else:
            size = sum(
                Path(str(WORK / "province.sqlite3") + s).stat().st_size
                for s in ("", "-wal")
                if Path(str(WORK / "province.sqlite3") + s).exists()
            )
    counts["database_bytes"] = size
    return {"backend": backend, "timings": timings, "counts": counts}


STAGE_DATES = [
    "lead_on", "negotiating_on", "signed_on", "registered_on", "started_on", "completed_on",
    "production_on", "capacity_on", "on_hold_on", "terminated_on",
]  # fmt: skip


def write_history(KeyProject) -> int:
    """``INSERT INTO historical … SELECT … FROM keyproject`` once per milestone: the row holds the
    project as it stood at the end of that day (later dates empty, the stage reached by then)."""
    from django.db import connection

    q = connection.ops.quote_name
    H = KeyProject.history.model
    source = q(KeyProject._meta.db_table)
    pg = connection.vendor == "postgresql"
    true, false = ("TRUE", "FALSE") if pg else ("1", "0")
    total = 0
    milestones = ["lead_on", "negotiating_on", "signed_on", "registered_on", "started_on", "completed_on",
                  "production_on", "on_hold_on", "terminated_on"]  # fmt: skip
    for k, m in enumerate(milestones):
        M = q(m)

        def at(col, M=M):
            return f"CASE WHEN {q(col)} <= {M} THEN {q(col)} END"

        stage = (
            f"CASE WHEN {at('terminated_on')} IS NOT NULL THEN 'terminated' "
            f"WHEN {at('on_hold_on')} IS NOT NULL THEN 'on_hold' "
            f"WHEN {at('production_on')} IS NOT NULL THEN 'in_production' "
            f"WHEN {at('completed_on')} IS NOT NULL THEN 'completed' "
            f"WHEN {at('started_on')} IS NOT NULL THEN 'started' "
            f"WHEN {at('registered_on')} IS NOT NULL AND ({at('signed_on')} IS NULL OR {q('registered_on')} >= {q('signed_on')}) THEN 'registered' "
            f"WHEN {at('signed_on')} IS NOT NULL THEN 'signed' "
            f"WHEN {at('negotiating_on')} IS NOT NULL THEN 'negotiating' ELSE 'lead' END"
        )
        if pg:
            stamp = f"(({M})::timestamp + interval '10 hours {k} seconds') AT TIME ZONE 'UTC'"
        else:
            stamp = f"{M} || ' 10:00:0{k}'"
        overrides = {
            "stage": stage,
            "fai_in_db": f"CASE WHEN {q('fai_in_db')} = {true} AND {q('fai_month')} <= {M} THEN {true} ELSE {false} END",
            "fai_month": f"CASE WHEN {q('fai_in_db')} = {true} AND {q('fai_month')} <= {M} THEN {q('fai_month')} END",
            "enterprise_in_stats": f"CASE WHEN {q('enterprise_in_stats')} = {true} AND {q('stats_month')} <= {M} THEN {true} ELSE {false} END",
            "stats_month": f"CASE WHEN {q('enterprise_in_stats')} = {true} AND {q('stats_month')} <= {M} THEN {q('stats_month')} END",
            "stats_category": f"CASE WHEN {q('enterprise_in_stats')} = {true} AND {q('stats_month')} <= {M} THEN {q('stats_category')} ELSE '' END",
            "stage_before_hold": f"CASE WHEN {at('on_hold_on')} IS NOT NULL THEN {q('stage_before_hold')} ELSE '' END",
            "hold_reason": f"CASE WHEN {at('on_hold_on')} IS NOT NULL THEN {q('hold_reason')} ELSE '' END",
            "last_updated": stamp,
            **{col: at(col) for col in STAGE_DATES},
        }
        cols, exprs = [], []
        for field in H._meta.concrete_fields:
            if field.attname == "history_id":
                continue
            cols.append(field.column)
            if field.attname == "history_date":
                exprs.append(stamp)
            elif field.attname == "history_type":
                exprs.append("'+'" if m == "lead_on" else "'~'")
            elif field.attname == "history_change_reason":
                exprs.append("'bench'")
            elif field.attname == "history_user_id":
                exprs.append("NULL")
            else:
                exprs.append(overrides.get(field.attname, q(field.column)))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {q(H._meta.db_table)} ({', '.join(q(c) for c in cols)}) "
                f"SELECT {', '.join(exprs)} FROM {source} WHERE {M} IS NOT NULL"
            )
            total += cursor.rowcount
        print(f"    history at {m}: {total} rows so far", flush=True)
    return total


def write_reports(w: Writer, rng: random.Random, n_reports: int) -> tuple[int, str]:
    """Monthly progress reports of the landed projects, up to November 2021 (see below)."""
    from django.apps import apps
    from django.db import connection
    from django.db.models import Q

    from chainlead.projects.models import KeyProject

    first_month = datetime.date(2012, 1, 1)
    months = []
    m = first_month
    while m <= STORY_END:
        months.append(m)
        m = month_add(m, 1)
    # Landed projects report monthly from the month they landed (前期 included) to November 2021;
    # to land near ``n_reports`` each keeps its most recent share of those months.
    landed = []
    for pk, signed, registered, unit, total in (
        KeyProject._base_manager.filter(Q(signed_on__isnull=False) | Q(registered_on__isnull=False))
        .order_by("pk")
        .values_list("pk", "signed_on", "registered_on", "responsible_unit_id", "total_investment")
        .iterator(chunk_size=50000)
    ):
        start = min(d for d in (signed, registered) if d).replace(day=1)
        span = (STORY_END.year - start.year) * 12 + STORY_END.month - start.month + 1
        landed.append((pk, start, span, unit, total))
    share = min(1.0, n_reports / max(1, sum(p[2] for p in landed)))
    if apps.is_installed("chainlead.dispatch"):
        from chainlead.core.context import change_context
        from chainlead.dispatch.models import Period, ProgressReport, ReportingCycle

        with change_context(source="bench:province"):
            cycle = ReportingCycle.objects.create(
                name="月调度（基准数据）", item_kind="project", frequency="monthly", starts_on=first_month
            )
            periods = Period.objects.bulk_create(
                [
                    Period(
                        cycle=cycle,
                        start=m,
                        end=month_add(m, 1) - datetime.timedelta(days=1),
                        due_at=datetime.datetime.combine(
                            month_add(m, 1) + datetime.timedelta(days=6),
                            datetime.time(9),
                            tzinfo=datetime.UTC,
                        ),
                        status="closed",
                    )
                    for m in months
                ]
            )
        period_of = {p.start: p.pk for p in periods}
        model, table = ProgressReport, ProgressReport._meta.db_table
        cols, template = w.columns(
            model, {"comments": "", "version": 1, "status": "approved", "target_id": None}
        )
    else:
        table = "bench_progress_report"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            id_type = "BIGSERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY"
            cursor.execute(
                f"CREATE TABLE {table} (id {id_type}, period_start date NOT NULL, project_id bigint NOT NULL, "
                "responsible_unit_id bigint NOT NULL, period_completed numeric(18,2) NOT NULL, "
                "ytd_completed numeric(18,2) NOT NULL, since_start_completed numeric(18,2) NOT NULL, "
                "annual_plan numeric(18,2) NOT NULL, progress_text text NOT NULL, progress_percent smallint, "
                "status varchar(10) NOT NULL, submitted_at timestamp, is_late boolean NOT NULL)"
            )
        period_of = {m: m for m in months}
        cols = ["period_start", "project_id", "responsible_unit_id", "period_completed", "ytd_completed",
                "since_start_completed", "annual_plan", "progress_text", "progress_percent", "status",
                "submitted_at", "is_late"]  # fmt: skip
        template = [None, None, None, 0, 0, 0, 0, "", None, "approved", None, False]
    pos = {c: i for i, c in enumerate(cols)}

    def rows():
        n = 0
        for pk, start, span, unit, total in landed:
            keep = max(1, round(span * share))
            since = Decimal(0)
            ytd = Decimal(0)
            m = month_add(start, span - keep)
            while m <= STORY_END and n < n_reports:
                if m.month == 1:
                    ytd = Decimal(0)
                done = (total * Decimal(rng.randint(1, 40)) / 1000).quantize(Decimal("0.01"))
                since += done
                ytd += done
                row = list(template)
                row[pos["period_id" if "period_id" in pos else "period_start"]] = period_of[m]
                row[pos["project_id"]] = pk
                row[pos["responsible_unit_id"]] = unit
                row[pos["period_completed"]] = done
                row[pos["ytd_completed"]] = ytd
                row[pos["since_start_completed"]] = since
                row[pos["annual_plan"]] = (total * Decimal("0.3")).quantize(Decimal("0.01"))
                row[pos["progress_percent"]] = min(100, int(since * 100 / total)) if total else 0
                late = rng.random() < 0.08
                row[pos["is_late"]] = late
                stamp = w.dt(
                    datetime.datetime.combine(
                        month_add(m, 1) + datetime.timedelta(days=8 if late else 3),
                        datetime.time(2),
                        tzinfo=datetime.UTC,
                    )
                )
                row[pos["submitted_at"]] = stamp
                if "first_submitted_at" in pos:
                    row[pos["first_submitted_at"]] = stamp
                yield row
                n += 1
                m = month_add(m, 1)
            if n >= n_reports:
                return

    return w.insert(table, cols, rows()), table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=12_000_000)
    parser.add_argument("--zones", type=int, default=200)
    parser.add_argument("--drop", action="store_true", help="remove both benchmark databases and stop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.drop:
        drop_databases()
        return
    if args.child:
        result = generate(args.child, args.projects, args.reports, args.zones)
        result.update(
            projects_requested=args.projects, reports_requested=args.reports, zones_requested=args.zones
        )
        (WORK / f"{args.child}-generate.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(json.dumps(result, ensure_ascii=False))
        return
    backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for backend in backends:
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                p = Path(str(WORK / "province.sqlite3") + suffix)
                if p.exists():
                    p.unlink()
        else:
            create_pg_database()
        started = time.monotonic()
        subprocess.run(
            [sys.executable, __file__, "--child", backend, "--projects", str(args.projects),
             "--reports", str(args.reports), "--zones", str(args.zones)],
            env=child_env(backend),
            check=True,
        )  # fmt: skip
        print(f"{backend}: generated in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
