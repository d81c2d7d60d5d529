"""The calibration page's filters, read from the query string: a period of months drawn, a service area, a template."""

from wtforms import Form
from wtforms.validators import ValidationError

from forms.fields import ChoiceField, MonthField, SubmitButton
from models import AuditTemplate, ServiceArea
from services.audits import months_before
from services.calibration import Filters, twelve_months_to
from services.dates import month_code, parse_month, period_name


class CalibrationFilterForm(Form):
    """A filter changes nothing, so it needs no CSRF token. A refused filter is shown beside its field and the
    figures use its default instead (the whole period, if the months are the wrong way round)."""

    from_month = MonthField("From month")
    to_month = MonthField("To month")
    service_area = ChoiceField("Service area", "Select a service area from the list", optional=True)
    template = ChoiceField("Audit template", "Select an audit template from the list", optional=True)
    submit = SubmitButton("Show the figures")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        # The last whole month: a month is moderated after it ends.
        self.last_month = months_before(today.replace(day=1), 1)
        self.service_area.set_choices(ServiceArea.names(), "All service areas")
        self.template.set_choices(AuditTemplate.names(), "All templates")

    def validate_to_month(self, field):
        first, last = parse_month(self.from_month.data), parse_month(field.data)
        if first and last and last < first:
            raise ValidationError("To month must be the same as or after the from month")

    def filters(self):
        """The filters to apply, a refused one left at its default; the months as the form shows them."""
        self.validate()
        refused = self.from_month.errors or self.to_month.errors
        first, last = (None, None) if refused else (parse_month(self.from_month.data), parse_month(self.to_month.data))
        # Without a "to" month, up to last month (or the "from" month, if later); without a "from", 12 months.
        last = last or max(self.last_month, first or self.last_month)
        first = first or twelve_months_to(last)
        if not refused:  # what was typed stays beside its message
            self.from_month.data, self.to_month.data = month_code(first), month_code(last)
        return Filters(
            first,
            last,
            None if self.service_area.errors else self.service_area.data,
            None if self.template.errors else self.template.data,
        )

    def described(self, filters):
        """What the figures are of, for the page's title and heading: "January to December 2026, Fostering"."""
        period = period_name(filters.first_month, filters.last_month)
        chosen = [
            choice.label
            for field, value in self.chosen_fields(filters)
            for choice in field.choices
            if value and choice.value == value
        ]
        return ", ".join([period, *chosen])

    def chosen_fields(self, filters):
        """(field, the value chosen) for each filter besides the months."""
        return [(self.service_area, filters.service_area_id), (self.template, filters.template_id)]
