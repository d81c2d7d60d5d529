"""A long form its author fills in over hours and saves as they go (an audit, a moderation): one page flow for
every such form, so each keeps what was typed and never overwrites another's work in the same way.

Saved every few seconds with JavaScript (an htmx post answered with out-of-band pieces only, so typing and
focus are left alone) or with the Save button; what cannot be saved (a half-typed date, text over a limit) is
kept as a draft and put back next time; a save based on an older version is refused and both versions are
shown, after which one press of Save replaces the other version and autosaves never do; a save from a page
opened before the record was submitted saves nothing and shows what was typed."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, request
from werkzeug.datastructures import MultiDict

from blueprints.web import htmx, labelled, render, show_problems
from services.errors import RuleBroken
from services.records import Stale

# Posted by a page showing a conflict (audits/_conflict.html).
HELD = "autosave_held"
SIGNED_IN_AGAIN = (
    "Your changes have not been saved yet, because this page was opened before you last signed in. "
    "Check what is below, then select Save."
)


@dataclass
class LongForm:
    record: object  # what the form saves: it has `is_submitted`
    page: str  # the template of the whole page
    saved: str  # the template answering an htmx save
    url: str  # the page's own address
    name: str  # what it is called in messages: "Audit", "Moderation"
    build: Callable  # build(**kwargs): the form, from `formdata` when given, else from the post or the record
    save: Callable  # save(form): save it, and submit it if asked; raises Stale or RuleBroken
    keep_draft: Callable  # keep_draft(posted form data): keep what could not be saved
    pending_draft: Callable  # pending_draft(): form data kept from before, or None
    differences: Callable  # differences(form): (field id, saved, typed) against what is saved now
    parts: Callable  # parts(): what the page shows besides the form


def show(long_form):
    """The page, or (posted) the form saved: answered in place with htmx, else redirected back."""
    posted = request.method == "POST"
    if posted and long_form.record.is_submitted:
        return unsaved_after_submission(long_form)
    draft = None if posted else long_form.pending_draft()
    form = long_form.build(**({"formdata": MultiDict(draft)} if draft else {}))
    refused, conflict = save(long_form, form) if posted else (False, [])
    if posted and not refused:
        if htmx:
            return render(long_form.saved, form=form, **long_form.parts())
        flash(f"{long_form.name} {'submitted' if long_form.record.is_submitted else 'saved'}")
        return redirect(long_form.url, 303)
    partial = long_form.saved if posted else None
    context = {"conflict": conflict, "restored": bool(draft)}
    return render(long_form.page, partial, form=form, **context, **long_form.parts())


def save(long_form, form):
    """Save the form (and submit it, if asked). Returns (refused, conflict): a refusal is shown on the form;
    a save based on an older version also returns where the versions differ, labelled."""
    if htmx and HELD in request.form:
        # After a conflict the page holds the saved version's number, so that one press of Save replaces it;
        # its autosaves are refused meanwhile, so typing never does.
        conflict = labelled(form, long_form.differences(form))
        if conflict:
            return True, conflict
    if not form.validate():
        # Nothing is saved: what was typed is kept all the same.
        long_form.keep_draft(request.form)
        return True, []
    try:
        long_form.save(form)
    except Stale as error:
        show_problems(form, error)
        return True, labelled(form, long_form.differences(form))
    except RuleBroken as error:
        show_problems(form, error)
        return True, []
    return False, []


def unsaved_after_submission(long_form):
    """A save from a page opened before the record was submitted: nothing is saved, and what was typed that
    differs from the submitted record is shown, to copy."""
    form = long_form.build()
    context = {"conflict": labelled(form, long_form.differences(form)), "submitted_meanwhile": True}
    partial = long_form.saved if htmx else None
    return render(long_form.page, partial, form=form, restored=False, **context, **long_form.parts())


def shown_again(long_form):
    """The page again with what was posted, nothing saved: the post's form token was no longer valid, so it
    may not have come from this person's own page (see blueprints/web.py csrf_refused)."""
    form = long_form.build(formdata=request.form)
    form.form_errors.append(SIGNED_IN_AGAIN)
    return render(long_form.page, None, form=form, conflict=[], restored=False, **long_form.parts())
