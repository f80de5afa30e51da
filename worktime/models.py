from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """An admin's correction of the published calendar: an extra holiday or an extra working day."""

    day = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("is a working day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self) -> str:
        return f"{self.day} {'+' if self.is_working_day else '-'}"


class CoveredYear(models.Model):
    """A year an admin has entered completely through overrides, before the calendar library knows it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("year entered by hand")
        verbose_name_plural = _("years entered by hand")

    def __str__(self) -> str:
        return str(self.year)


class CalendarGap(models.Model):
    """A date a deadline needed that neither the published calendar nor an admin knows.

    Deadlines over it used the conservative Monday-to-Friday rule; admins see it until they enter
    the year (overrides and a covered year).
    """

    day = models.DateField(_("date"), unique=True)
    first_needed_at = models.DateTimeField(_("first needed at"), auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("date outside the known calendar")
        verbose_name_plural = _("dates outside the known calendar")

    def __str__(self) -> str:
        return str(self.day)
