"""govuk-frontend-wtf's widgets, rendered straight from GOV.UK's macros.

The library renders each field through Flask's `render_template` of a two-line template that imports
the component's macro and calls it: every field of every page ran all the context processors and
template signals and imported the macro again (a 40-field audit form, 40 times a request). These
widgets call the same macro with the same parameters, so the markup is the library's own.

A macro's markup depends on nothing but its parameters, and GOV.UK's macros import others on every
call, which costs more than the markup itself. So each field's markup is kept (most recently used
first) by its parameters: a blank box, or a box whose text has not changed since the page was last
shown, is not rendered again."""

import functools
import re

from flask import current_app
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup

# The one line each of the library's templates holds besides the call: the macro it imports, and from where.
IMPORT = re.compile(r"""\{%\s*from\s+['"]([^'"]+)['"]\s+import\s+(\w+)\s*%\}""")


@functools.lru_cache(maxsize=64)
def component(environment, template_name):
    """The GOV.UK macro the library's template `template_name` calls, loaded once for `environment`."""
    source, _, _ = environment.loader.get_source(environment, template_name)
    path, name = IMPORT.search(source).groups()
    return getattr(environment.get_template(path).module, name)


@functools.lru_cache(maxsize=2048)
def rendered(environment, template_name, key):
    """The markup of a component for the parameters `key` holds (see `frozen`)."""
    return component(environment, template_name)(thawed(key))


def frozen(value):
    """Parameters as a key for the cache: the same parameters make the same key, and markup
    (already escaped) a different key from the same text to escape."""
    if isinstance(value, dict):
        return ("dict", tuple((name, frozen(item)) for name, item in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(frozen(item) for item in value))
    if isinstance(value, Markup):
        return ("markup", str(value))
    return ("value", value)


def thawed(key):
    kind, content = key
    if kind == "dict":
        return {name: thawed(item) for name, item in content}
    if kind == "list":
        return [thawed(item) for item in content]
    return Markup(content) if kind == "markup" else content  # noqa: S704 - it was markup before it was a key


class Component:
    """Mixed into a library widget: render its macro directly, or reuse its markup."""

    def render(self, params):
        environment = current_app.jinja_env
        try:
            return rendered(environment, self.template, frozen(params))  # Markup, escaped by the macro
        except TypeError:  # a parameter that cannot be a key (none of ours): render it afresh
            return component(environment, self.template)(params)


class TextInput(Component, gov.GovTextInput):
    pass


class PasswordInput(Component, gov.GovPasswordInput):
    pass


class Select(Component, gov.GovSelect):
    pass


class CheckboxesInput(Component, gov.GovCheckboxesInput):
    pass


class CheckboxInput(Component, gov.GovCheckboxInput):
    pass


class DateInput(Component, gov.GovDateInput):
    pass


class RadioInput(Component, gov.GovRadioInput):
    pass


class CharacterCountInput(Component, gov.GovCharacterCount):
    pass


class SubmitInput(Component, gov.GovSubmitInput):
    pass
