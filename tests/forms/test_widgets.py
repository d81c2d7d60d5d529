"""The markup kept for GOV.UK components: reused for the same parameters, and bounded in size."""

from forms.widgets import Kept


def key(number, length=10):
    return ("environment", "path", "macro", bytes([number % 256]) * length)


def test_the_same_parameters_render_once():
    kept, renders = Kept(budget=100_000), []
    for _ in range(3):
        assert kept.get(key(1), lambda: renders.append(1) or "<p>markup</p>") == "<p>markup</p>"
    assert renders == [1]


def test_it_never_holds_more_than_its_budget_dropping_the_least_recently_used_first():
    kept = Kept(budget=10_000)
    for number in range(200):
        kept.get(key(number), lambda: "m" * 50)
        kept.get(key(0), lambda: "m" * 50)  # used every time, so kept
    assert kept.size <= 10_000 and key(0) in kept.items and key(1) not in kept.items
    assert kept.size == sum(len(k[-1]) + len(markup) for k, markup in kept.items.items())


def test_a_long_text_is_rendered_each_time_rather_than_push_out_a_hundred_others():
    kept = Kept(budget=10_000)
    assert kept.get(key(7, length=150), lambda: "x" * 100) == "x" * 100
    assert kept.items == {} and kept.size == 0
