"""Summary tables of the dashboard (驾驶舱).

The dashboard never aggregates ``KeyProject`` itself: it reads these tables, which
``chainlead.dashboard.summary`` keeps equal to a fresh query over the projects (see its module
docstring for the design). They are derived data: ``chainlead dashboard_rebuild`` drops and
rebuilds them from the projects and their history at any time, so they carry no foreign keys
(a deleted project simply loses its rows) and no change log.

Amounts are integers in 0.01万元 ("cents of 万元") so that sums are exact on SQLite as well as on
PostgreSQL; ``summary.cents_to_wan`` turns them back into ``Decimal`` 万元.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

#: ``month``/``month2`` of rows that have no month (states such as 在建, and unused ``month2``).
NO_MONTH = datetime.date(1900, 1, 1)


class EventKind(models.TextChoices):
    """What a row counts. Each project has at most one row of each kind."""

    ATTRACTED = "att", _("洽谈和招引")  # month of 开始洽谈日期
    SIGNED = "sgn", _("签约")  # month of 签约日期
    REGISTERED = "reg", _("注册")  # month of 注册日期
    #: Signed *and* registered: month = signing month, month2 = registration month. "签约和注册"
    #: counts a project once, so landed(P) = signed(P) + registered(P) − both-in(P).
    SIGNED_AND_REGISTERED = "s+r", _("签约且注册")
    STARTED = "sta", _("开工")
    COMPLETED = "cmp", _("竣工")
    IN_PRODUCTION = "prd", _("投产")
    FAI = "fai", _("入库纳统")  # month of 入库月份 (fai_in_db)
    ENTERPRISE_IN_STATS = "ent", _("企业纳统")  # month of 企业纳统月份; counted per enterprise
    IN_CONSTRUCTION = "bld", _("在建")  # state: the stage is 开工 (month = NO_MONTH)
    DUE = "due", _("计划节点")  # live only: the next planned date not yet reached (month = that date)
    PROJECT = "prj", _("项目")  # live only: the project itself (sub = its stage), for counts per unit


class EventBase(models.Model):
    """One counted fact about one project: the project's milestone in a month, with the keys the
    dashboard slices by. Filtered views (an area, a unit's scope) aggregate these rows."""

    project_id = models.BigIntegerField(_("项目"))
    kind = models.CharField(_("类型"), max_length=4, choices=EventKind.choices)
    month = models.DateField(_("月份"))
    month2 = models.DateField(_("第二月份"), default=NO_MONTH)
    area_id = models.BigIntegerField(_("片区/战区"), default=0)
    unit_id = models.BigIntegerField(_("责任单位"), default=0)
    chain_id = models.BigIntegerField(_("产业链"), default=0)
    enterprise_id = models.BigIntegerField(_("企业"), default=0)
    band = models.SmallIntegerField(_("投资规模档"), default=0)
    tags = models.IntegerField(_("来源标签位"), default=0)
    sub = models.CharField(_("子类"), max_length=16, blank=True)
    n = models.SmallIntegerField(default=1)
    investment = models.BigIntegerField(_("总投资（0.01万元）"), default=0)
    output = models.BigIntegerField(_("达产后年产值（0.01万元）"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"#{self.project_id} {self.kind} {self.month:%Y-%m}"


class ProjectEvent(EventBase):
    """Today's facts, one row per (project, kind); maintained incrementally."""

    class Meta:
        verbose_name = _("项目统计事实")
        verbose_name_plural = _("项目统计事实")
        constraints = [
            models.UniqueConstraint(fields=["project_id", "kind"], name="dash_event_project_kind"),
        ]
        # (kind, month, enterprise): the zone's events of a kind and its distinct enterprises from
        # the index alone; (kind, area, month): an area's events; (kind, unit, month, area): a
        # unit's projects outside its own areas, filtered on the index before any row is read.
        indexes = [
            models.Index(fields=["kind", "month", "enterprise_id"], name="dash_event_kind_month"),
            models.Index(fields=["kind", "area_id", "month"], name="dash_event_kind_area"),
            models.Index(fields=["kind", "unit_id", "month", "area_id"], name="dash_event_kind_unit"),
        ]


class EventSnapshot(EventBase):
    """The facts as they stood at the end of ``as_of`` (a month-end), rebuilt from the history
    tables. Only the months an "as of" view can show are kept: January of the previous year up to
    ``as_of`` (the period, its 同比 and the two trend years), plus the 在建 state."""

    as_of = models.DateField(_("截至日期"))

    class Meta:
        verbose_name = _("历史统计事实")
        verbose_name_plural = _("历史统计事实")
        constraints = [
            models.UniqueConstraint(fields=["as_of", "project_id", "kind"], name="dash_snap_project_kind"),
        ]
        indexes = [
            models.Index(fields=["as_of", "kind", "month", "enterprise_id"], name="dash_snap_kind_month"),
            models.Index(fields=["as_of", "kind", "area_id", "month"], name="dash_snap_kind_area"),
            models.Index(fields=["as_of", "kind", "unit_id", "month", "area_id"], name="dash_snap_kind_unit"),
        ]


class Grain(models.IntegerChoices):
    """The rollups of the whole zone (``dim`` is what each is keyed by)."""

    CHAIN = 1, _("按产业链")  # dim = chain id (0: none); summing over dim gives the zone
    AREA = 2, _("按片区/战区")  # dim = area id (0: none)
    BAND = 3, _("按投资规模")  # dim = band 0–4; 洽谈和招引 only
    TAG = 4, _("按来源标签")  # dim = tag index; 洽谈和招引 only; a project counts under each tag


class FactBase(models.Model):
    """A rollup row: the sum of the events of one kind, month (and month2) and key."""

    grain = models.SmallIntegerField(_("粒度"), choices=Grain.choices)
    kind = models.CharField(_("类型"), max_length=4, choices=EventKind.choices)
    month = models.DateField(_("月份"))
    month2 = models.DateField(_("第二月份"), default=NO_MONTH)
    dim = models.BigIntegerField(_("维度值"), default=0)
    n = models.BigIntegerField(default=0)
    investment = models.BigIntegerField(_("总投资（0.01万元）"), default=0)
    output = models.BigIntegerField(_("达产后年产值（0.01万元）"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_grain_display()} {self.kind} {self.month:%Y-%m} {self.dim}: {self.n}"


class ProjectFact(FactBase):
    """Today's zone rollups; the leaders' whole-zone dashboard reads only these."""

    class Meta:
        verbose_name = _("驾驶舱汇总")
        verbose_name_plural = _("驾驶舱汇总")
        constraints = [
            models.UniqueConstraint(fields=["grain", "kind", "month", "month2", "dim"], name="dash_fact_key"),
        ]
        # some areas' rows (an area filter, a unit's own areas) without walking every area
        indexes = [models.Index(fields=["grain", "dim", "kind", "month"], name="dash_fact_dim")]


class FactSnapshot(FactBase):
    """The zone rollups as they stood at the end of ``as_of``."""

    as_of = models.DateField(_("截至日期"))

    class Meta:
        verbose_name = _("驾驶舱历史汇总")
        verbose_name_plural = _("驾驶舱历史汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "grain", "kind", "month", "month2", "dim"], name="dash_factsnap_key"
            ),
        ]
        indexes = [models.Index(fields=["as_of", "grain", "dim", "kind", "month"], name="dash_factsnap_dim")]


class SummaryState(models.Model):
    """Where the incremental maintenance stands (one row).

    ``*_frontier`` is the highest history id such that every history row up to it has been
    applied; ``*_seen`` lists the ids above it already applied (rows of a transaction that
    committed before an older one did)."""

    key = models.CharField(max_length=10, unique=True, default="live")
    built_at = models.DateTimeField(_("重建时间"), null=True, blank=True)
    build_seconds = models.FloatField(_("重建用时（秒）"), default=0)
    synced_at = models.DateTimeField(_("最近同步"), null=True, blank=True)
    project_frontier = models.BigIntegerField(default=0)
    project_seen = models.JSONField(default=list, blank=True)
    enterprise_frontier = models.BigIntegerField(default=0)
    enterprise_seen = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("汇总表状态")
        verbose_name_plural = _("汇总表状态")

    def __str__(self):
        return self.key


class SnapshotState(models.Model):
    """A month-end snapshot that has been built from the history tables."""

    as_of = models.DateField(_("截至日期"), unique=True)
    built_at = models.DateTimeField(_("生成时间"))
    build_seconds = models.FloatField(_("生成用时（秒）"), default=0)
    projects = models.IntegerField(_("项目数"), default=0)
    events = models.IntegerField(_("事实行数"), default=0)

    class Meta:
        verbose_name = _("月末快照")
        verbose_name_plural = _("月末快照")
        ordering = ["-as_of"]

    def __str__(self):
        return f"{self.as_of:%Y-%m-%d}"


class UnitFreshness(models.Model):
    """When each responsible unit last changed one of its projects (数据更新情况)."""

    unit_id = models.BigIntegerField(unique=True)
    last_change = models.DateTimeField(_("最近更新"))
    projects = models.IntegerField(_("项目数"), default=0)

    class Meta:
        verbose_name = _("单位数据更新")
        verbose_name_plural = _("单位数据更新")

    def __str__(self):
        return f"{self.unit_id}: {self.last_change:%Y-%m-%d %H:%M}"
