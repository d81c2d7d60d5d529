"""Tagging an audit's domains with learning themes (the QA team keeps the list of them: forms/admin.py)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField

from forms.fields import CheckboxesField, SubmitButton


def tags_form(judgements, themes, tags, formdata=None):
    """A form with a group of checkboxes for each of the audit's `judgements` (DomainJudgement, with its domain),
    the `themes` ((id, name) each) to tick, ticked as `tags` ({judgement id: theme ids}) has them unless posted; and
    the tags as the page showed them, to refuse a save over someone else's."""

    class TagsForm(FlaskForm):
        seen = HiddenField()
        submit = SubmitButton("Save the themes")

    for judgement in judgements:
        field = CheckboxesField(judgement.domain.name, coerce=int)
        setattr(TagsForm, f"domain_{judgement.id}", field)
    form = TagsForm(formdata)
    for judgement in judgements:
        form[f"domain_{judgement.id}"].set_choices(themes)
        if formdata is None:
            form[f"domain_{judgement.id}"].data = sorted(tags.get(judgement.id, ()))
    return form


def chosen(form, judgements):
    """{judgement id: the theme ids ticked} from a posted form."""
    return {judgement.id: set(form[f"domain_{judgement.id}"].data or ()) for judgement in judgements}
