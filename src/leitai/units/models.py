"""Units (the tree of city, counties, zones, departments, sections, towns) and the people who head them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.audit.kept import KeptManager, NeverDeleted


class UnitKind(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县市区")
    ZONE = "zone", _("功能区")
    DEPARTMENT = "department", _("市直部门")
    SECTION = "section", _("科室")
    TOWN = "town", _("乡镇街道")


class Unit(models.Model):
    """A unit that is ranked, contests at the arena and owns pledges: a county, department, town…"""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.IntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["name"], name="unit_name_unique")]

    def __str__(self):
        return self.name

    def ancestors(self):
        node, out = self.parent, []
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def is_within(self, other: "Unit") -> bool:
        """True when this unit is `other` or lies below it in the tree."""
        return self.pk == other.pk or any(a.pk == other.pk for a in self.ancestors())


class Person(models.Model):
    """A cadre whose record follows them from post to post."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=4, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # The record (履历: ranks, arena, pledges, items, reviews, awards) is the organizers' unless the office
    # publishes it; who switched it and when is in the audit log.
    record_public = models.BooleanField(_("公开履历"), default=False)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Post(NeverDeleted, models.Model):
    """Who held which post at which unit, from when to when (end empty: still in post)."""

    objects = KeptManager()

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("职务"), max_length=50)
    is_head = models.BooleanField(_("一把手"), default=True)
    start = models.DateField(_("任职起始"))
    end = models.DateField(_("任职截止"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["unit", "-start"]

    def __str__(self):
        return f"{self.unit} {self.title} {self.person}"
