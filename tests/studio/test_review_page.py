"""Review: decisions are stored per reviewer, survive a rerun, and never overwrite each other."""
from core.review_store import ReviewStore
from studio_factories import make_record, make_run, studio

PERSONAS = ("neutral", "twain", "franklin", "neutral", "twain", "neutral")


def make_review_run(data_root) -> None:
    records = [make_record(i, persona=persona) for i, persona in enumerate(PERSONAS)]
    rejected = [make_record(9, passed=False, groundedness=0.2)]
    make_run(data_root, "run-review", records, rejected)


def open_review(data_root, monkeypatch, reviewer: str | None = None):
    app = studio(data_root, monkeypatch, "views/review.py")
    if reviewer:
        app.text_input(key="reviewer").set_value(reviewer).run()
    return app


def shown_record(app) -> str:
    return next(header.value for header in app.subheader if header.value.startswith("Record "))


def decide(app, decision: str, note: str = "") -> None:
    if note:
        next(box for box in app.text_input if box.key.startswith("note_")).set_value(note).run()
    app.button(key=f"review_{decision}").click().run()
    assert not app.exception, [exception.message for exception in app.exception]


def stored(data_root) -> list[tuple[str, str, str, str]]:
    return [(d.example_id[-2:], d.reviewer, d.decision, d.note)
            for d in ReviewStore(data_root / "studio.sqlite").decisions(["run-review"])]


def test_the_page_asks_for_a_reviewer_name_before_showing_records(tmp_path, monkeypatch):
    make_review_run(tmp_path)
    app = open_review(tmp_path, monkeypatch)
    assert any("Enter your name" in info.value for info in app.info)
    assert not [header for header in app.subheader if header.value.startswith("Record ")]


def test_a_decision_is_stored_and_read_back_when_returning_to_the_record(tmp_path, monkeypatch):
    make_review_run(tmp_path)
    app = open_review(tmp_path, monkeypatch, "ana")
    first = shown_record(app)
    decide(app, "reject", note="temperature looks off")
    assert shown_record(app) != first
    assert "1 of 6 decided by ana" in app.get("progress")[0].proto.text
    example, reviewer, decision, note = stored(tmp_path)[0]
    assert (reviewer, decision, note) == ("ana", "reject", "temperature looks off")
    app.button(key="review_prev").click().run()
    assert shown_record(app) == first
    assert any("your decision: reject" in caption.value for caption in app.caption)
    assert next(box for box in app.text_input if box.key.startswith("note_")).value == "temperature looks off"


def test_two_sessions_deciding_the_same_record_are_both_recorded(tmp_path, monkeypatch):
    make_review_run(tmp_path)
    ana, ben = open_review(tmp_path, monkeypatch, "ana"), open_review(tmp_path, monkeypatch, "ben")
    assert shown_record(ana) == shown_record(ben)  # same seed, same sample
    decide(ana, "accept")
    decide(ben, "reject")
    assert sorted((reviewer, decision) for _, reviewer, decision, _ in stored(tmp_path)) == \
        [("ana", "accept"), ("ben", "reject")]
    ben.run()
    metrics = {metric.label: metric.value for metric in ben.metric}
    assert (metrics["Accepted"], metrics["Rejected"], metrics["Reviewers"]) == ("1", "1", "2")
    agreement = ben.dataframe[0].value
    assert agreement["shared records"].tolist() == [1] and agreement["agreement"].tolist() == [0.0]


def test_a_reviewer_who_changes_their_mind_updates_only_their_own_decision(tmp_path, monkeypatch):
    make_review_run(tmp_path)
    ana, ben = open_review(tmp_path, monkeypatch, "ana"), open_review(tmp_path, monkeypatch, "ben")
    decide(ana, "accept")
    decide(ben, "accept")
    ana.button(key="review_prev").click().run()
    decide(ana, "skip", note="not sure")
    assert sorted((reviewer, decision, note) for _, reviewer, decision, note in stored(tmp_path)) == \
        [("ana", "skip", "not sure"), ("ben", "accept", "")]


def test_the_failed_checks_queue_starts_with_the_rejected_record(tmp_path, monkeypatch):
    make_review_run(tmp_path)
    app = open_review(tmp_path, monkeypatch, "ana")
    app.segmented_control(key="review_queue").set_value("failed").run()
    assert shown_record(app) == "Record 9"
    app.segmented_control(key="review_queue").set_value("groundedness").run()
    assert shown_record(app) == "Record 9"


def test_the_sample_size_bounds_the_queue_and_its_end_is_announced(tmp_path, monkeypatch):
    make_review_run(tmp_path)
    app = open_review(tmp_path, monkeypatch, "ana")
    app.number_input(key="review_size").set_value(2).run()
    decide(app, "accept")
    decide(app, "skip")
    assert any("end of this queue" in success.value for success in app.success)
    assert "2 of 2 decided by ana" in app.get("progress")[0].proto.text


def test_without_a_run_the_page_offers_a_first_run(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch, "views/review.py")
    assert app.button(key="quick_start").label == "Generate 50 offline examples"
