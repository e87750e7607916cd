"""The batch journal: what a restarted batch run finds on disk, whatever instant the last one died."""
from datetime import datetime, timezone

import pytest

from core.batch_journal import (
    BatchJournal,
    JournaledResult,
    JournalError,
    discard_journal,
    params_hash,
)


def succeeded(text):
    return {"type": "succeeded", "message": {"content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
                                             "usage": {"input_tokens": 10, "output_tokens": 2}}}


def reopened(journal):
    journal.close()
    return BatchJournal(journal.directory.parent)


def test_a_result_is_found_again_after_a_restart_only_for_the_same_request(tmp_path):
    journal = BatchJournal(tmp_path)
    journal.append([JournaledResult("i1-a0", "h1", succeeded("hello"))])

    journal = reopened(journal)

    assert journal.answer("i1-a0", "h1") == succeeded("hello")
    assert journal.answer("i1-a0", "other-params") is None and journal.answer("i2-a0", "h1") is None
    journal.close()


def test_failures_are_counted_and_the_last_one_kept(tmp_path):
    journal = BatchJournal(tmp_path)
    journal.append([JournaledResult("i1-a0", "h1", {"type": "errored", "error": {"n": 1}}),
                    JournaledResult("i1-a0", "h1", {"type": "expired"})])

    journal = reopened(journal)

    assert journal.failures("i1-a0", "h1") == (2, {"type": "expired"})
    assert journal.failures("i9-a0", "h1") == (0, None)
    journal.close()


def test_a_line_cut_short_by_a_crash_is_dropped_and_appends_continue_after_it(tmp_path):
    journal = BatchJournal(tmp_path)
    journal.append([JournaledResult("i1-a0", "h1", succeeded("kept"))])
    journal.close()
    results = tmp_path / "batch" / "results.jsonl"
    results.write_bytes(results.read_bytes() + b'{"custom_id": "i2-a0", "params_ha')

    journal = BatchJournal(tmp_path)
    assert journal.answer("i2-a0", "h2") is None
    journal.append([JournaledResult("i2-a0", "h2", succeeded("after"))])
    journal = reopened(journal)

    assert journal.answer("i1-a0", "h1") == succeeded("kept") and journal.answer("i2-a0", "h2") == succeeded("after")
    journal.close()


def test_a_corrupt_line_names_the_file_and_the_way_out(tmp_path):
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "results.jsonl").write_bytes(b"not json\n")
    with pytest.raises(JournalError, match="results.jsonl: the line at byte 0.*delete"):
        BatchJournal(tmp_path)


def test_a_submitted_batch_is_recorded_until_its_results_are_journaled(tmp_path):
    journal = BatchJournal(tmp_path)
    journal.batch_submitted("msgbatch_1", {"i1-a0": "h1", "i2-u0": "h2"})

    journal = reopened(journal)
    assert journal.recorded_batch("i2-u0", "h2") == "msgbatch_1"
    assert journal.recorded_batch("i2-u0", "changed") is None
    assert journal.batch_requests("msgbatch_1") == {"i1-a0": "h1", "i2-u0": "h2"}

    journal.batch_journaled("msgbatch_1")
    journal = reopened(journal)
    assert journal.recorded_batch("i2-u0", "h2") is None
    journal.close()


def test_a_submission_note_outlives_a_restart_until_it_is_settled(tmp_path):
    journal = BatchJournal(tmp_path)
    since = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    journal.batch_submitting({"i1-a0": "h1", "i2-a0": "h2"}, since)
    journal = reopened(journal)
    assert journal.submission().since == since and journal.submission().requests == {"i1-a0": "h1", "i2-a0": "h2"}
    journal.submission_settled()
    assert reopened(journal).submission() is None


def test_a_corrupt_submission_note_names_the_file_and_the_way_out(tmp_path):
    BatchJournal(tmp_path).close()
    (tmp_path / "batch" / "submitting.json").write_text("{torn")
    with pytest.raises(JournalError, match="submitting.json is not a batch submission note; delete it"):
        BatchJournal(tmp_path).submission()


def test_the_params_hash_ignores_key_order_but_not_values():
    assert params_hash({"a": 1, "b": [1, 2]}) == params_hash({"b": [1, 2], "a": 1})
    assert params_hash({"a": 1}) != params_hash({"a": 2})


def test_discarding_forgets_everything(tmp_path):
    journal = BatchJournal(tmp_path)
    journal.append([JournaledResult("i1-a0", "h1", succeeded("hello"))])
    journal.close()

    discard_journal(tmp_path)

    assert not (tmp_path / "batch").exists()
    fresh = BatchJournal(tmp_path)
    assert fresh.answer("i1-a0", "h1") is None
    fresh.close()
