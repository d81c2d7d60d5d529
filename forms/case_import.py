"""Importing the open-case list: the file, which column holds what, and the decisions that applying it needs."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.validators import ValidationError

from forms.audits import answered, radios
from forms.fields import ChoiceField, SubmitButton, TextField, VersionField
from forms.widgets import FileInput
from models import ServiceArea, Team
from services.case_rows import FIELDS


class UploadForm(FlaskForm):
    file = FileField(
        "Upload the open-case list",
        widget=FileInput(),
        description="A CSV file or an Excel workbook (.xlsx) exported from the case management system, up to 10 MB",
    )
    submit = SubmitButton("Upload")

    def validate_file(self, field):
        if not field.data or not field.data.filename:
            raise ValidationError("Select the file of open cases")


class ColumnsForm(FlaskForm):
    """A list of the file's headings for each thing the import reads. Built for each file's headings."""

    version = VersionField()
    save_as = TextField(
        "Save these columns as",
        optional=True,
        description="Optional: a name to choose them by next month, like Mosaic open cases",
    )
    submit = SubmitButton("Preview the import")

    @classmethod
    def for_headings(cls, headings, *args, **kwargs):
        fields = {}
        for name, field in FIELDS.items():
            message = f"Select the column that holds the {field.label.lower()}"
            choice = ChoiceField(field.label, message, coerce=str, optional=True)
            fields[name] = choice
        form_class = type("ColumnsFormForFile", (cls,), fields)
        form = form_class(*args, **kwargs)
        for name, field in FIELDS.items():
            form[name].set_choices([(heading, heading) for heading in headings], blank="Not in the file")
            if not field.required:
                form[name].description = "Optional"
        return form

    def mapping(self):
        return {name: self[name].data for name in FIELDS if self[name].data}


class ApplyForm(FlaskForm):
    """What to do with each team and service area the file names that the service does not know, and with
    cases to close that have work open. Built for each preview."""

    version = VersionField()
    submit = SubmitButton("Apply the import")

    @classmethod
    def for_preview(cls, counts, *args, **kwargs):
        fields = {}
        areas = list(ServiceArea.select().order_by(ServiceArea.name))
        teams = list(Team.select(Team, ServiceArea).join(ServiceArea).order_by(ServiceArea.name, Team.name))
        area_names = [area.name for area in areas] + list(counts["new_areas"])
        for number, name in enumerate(counts["new_areas"]):
            field = ChoiceField(
                f"Service area {name!r}", f"Select what to do with the service area {name!r}", coerce=str
            )
            fields[f"area_{number}"] = field
        for number, name in enumerate(counts["new_teams"]):
            fields[f"team_{number}"] = ChoiceField(
                f"Team {name!r}", f"Select what to do with the team {name!r}", coerce=str
            )
        if counts.get("blocked"):
            fields["close_blocked"] = radios(
                "Cases to close that have work open",
                {"keep": "Leave them open", "close": "Close them anyway"},
                "Select whether to close the cases that have work open",
            )
        form = type("ApplyFormForPreview", (cls,), fields)(*args, **kwargs)
        for number, name in enumerate(counts["new_areas"]):
            form[f"area_{number}"].set_choices(
                [("new", "Add it as a new service area")] + [(str(a.id), f"The same as {a.name}") for a in areas]
            )
            form[f"area_{number}"].name_in_file = name
            if not form.is_submitted():
                form[f"area_{number}"].data = "new"
        for number, (name, area) in enumerate(counts["new_teams"].items()):
            form[f"team_{number}"].set_choices(
                [(f"new:{area_name}", f"Add it as a new team in {area_name}") for area_name in area_names]
                + [(str(team.id), f"The same as {team.name} ({team.service_area.name})") for team in teams]
            )
            form[f"team_{number}"].name_in_file = name
            if not form.is_submitted() and area:
                form[f"team_{number}"].data = f"new:{area}"
        return form

    def validate_close_blocked(self, field):
        answered(field)

    def decisions(self):
        """({team name: an existing team's id, or the service area to add it to}, {area name: id or None}, whether
        to close cases with work open)."""
        teams, areas = {}, {}
        for field in self:
            if field.name.startswith("area_"):
                areas[field.name_in_file] = None if field.data == "new" else int(field.data)
            elif field.name.startswith("team_"):
                teams[field.name_in_file] = field.data[4:] if field.data.startswith("new:") else int(field.data)
        close = "close_blocked" in self and self.close_blocked.data == "close"
        return teams, areas, close
