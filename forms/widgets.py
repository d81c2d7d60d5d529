"""GOV.UK components rendered straight from their macros, and govuk-frontend-wtf's widgets through them.

The library renders each field through Flask's `render_template` of a two-line template that imports
the component's macro and calls it: every field of every page ran all the context processors and
template signals and imported the macro again (a 40-field audit form, 40 times a request). These
widgets call the same macro with the same parameters, so the markup is the library's own.

A macro's markup depends on nothing but its parameters, and GOV.UK's macros import others on every
call, which costs more than the markup itself. So a component's markup is kept (the most recently
used first) by its parameters: a blank box, a box whose text has not changed since the page was last
shown, the layout's header, are not rendered again. Templates call `govuk(name, params)` for the same."""

import collections
import functools
import pickle
import re
import threading

from flask import current_app
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup

# The line each of the library's templates holds besides the call: the macro it imports, and from where.
IMPORT = re.compile(r"""\{%\s*from\s+['"]([^'"]+)['"]\s+import\s+(\w+)\s*%\}""")


@functools.lru_cache(maxsize=128)
def macro(environment, path, name):
    """The macro `name` of the template at `path`, loaded once for `environment`."""
    return getattr(environment.get_template(path).module, name)


class Kept:
    """The markup of the components most recently rendered, by their parameters, shared by every
    request's thread: no more than `budget` characters of markup and keys in all, so the memory it
    holds stays small however long the texts in it (the least recently used go first)."""

    def __init__(self, budget):
        self.budget = budget
        self.size = 0
        self.items = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, render):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        markup = render()
        cost = len(key[-1]) + len(markup)
        if cost > self.budget // 100:  # one long text would push out a hundred others: not kept
            return markup
        with self.lock:
            if key not in self.items:
                self.items[key] = markup
                self.size += cost
            while self.size > self.budget:
                old_key, old_markup = self.items.popitem(last=False)
                self.size -= len(old_key[-1]) + len(old_markup)
        return markup


kept = Kept(budget=20_000_000)  # characters: at most about 40 MB a process


def render_macro(path, name, params, keep=True):
    """The markup of the macro `name` at `path` for `params`, kept for the next time they are the same
    unless not to `keep` (parameters that are never the same twice, such as a form token).
    The parameters' pickle is their key: the same parameters give the same bytes, markup (already
    escaped) different bytes from the same text to escape, and different parameters never the same."""
    environment = current_app.jinja_env
    render = functools.partial(macro(environment, path, name), params)  # Markup, escaped by the macro
    if not keep:
        return render()
    try:
        key = (id(environment), path, name, pickle.dumps(params, pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):  # a parameter that cannot be a key (none of ours)
        return render()
    return kept.get(key, render)


def govuk(component, params, keep=True):
    """GOV.UK's `component` ("details", "service-navigation") for `params`, as govukDetails or
    govukServiceNavigation renders it: a template global (see `render_macro` for `keep`)."""
    name = "govuk" + "".join(part.capitalize() for part in component.split("-"))
    return render_macro(f"govuk_frontend_jinja/components/{component}/macro.html", name, params, keep)


@functools.cache
def wtf_macro(template_name):
    """The GOV.UK macro (path, name) that the library's template `template_name` calls."""
    source, _, _ = current_app.jinja_env.loader.get_source(current_app.jinja_env, template_name)
    return IMPORT.search(source).groups()


class Component:
    """Mixed into a library widget: render its macro directly, or reuse its markup."""

    def render(self, params):
        return render_macro(*wtf_macro(self.template), params)


class TextInput(Component, gov.GovTextInput):
    pass


class PasswordInput(Component, gov.GovPasswordInput):
    pass


class FileInput(Component, gov.GovFileInput):
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
    """GOV.UK radios. A field's `reveals` ({answer: names of other fields of its form}) puts those fields under
    the answer that needs them, as GOV.UK's conditional reveal: they open when it is chosen, and without
    JavaScript every one is shown. The form's page leaves them out of its own list (`revealed`)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        reveals = getattr(field, "reveals", {})
        for item in params["items"]:
            if item["value"] in reveals:
                item["conditional"] = {"html": Markup("").join(field._form[name]() for name in reveals[item["value"]])}
        return params


def revealed(form):
    """The names of the fields of `form` that its radios show under an answer (RadioInput), not on their own."""
    return {name for field in form for names in getattr(field, "reveals", {}).values() for name in names}


class CharacterCountInput(Component, gov.GovCharacterCount):
    pass


class SubmitInput(Component, gov.GovSubmitInput):
    pass
