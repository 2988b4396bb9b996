"""The metric vocabulary shared by the step log and the buckets, and derived rates."""

from journeys.metrics import channel_of, period_start, rates, step_metric


def test_entry_node_entry_counts_as_enrolment_and_other_nodes_as_reached() -> None:
    assert step_metric("entered", "", "entry.event") == ("enrolled", "")
    assert step_metric("entered", "", "message.push") == ("entered", "")


def test_queued_is_messaged_and_exit_node_completion_is_completed() -> None:
    assert step_metric("queued", "", "message.sms") == ("messaged", "")
    assert step_metric("exited", "completed", "exit") == ("completed", "")
    assert step_metric("exited", "goal", "wait.event") == ("exited", "goal")


def test_skips_keep_their_reason() -> None:
    assert step_metric("skipped", "quiet_hours", "message.push") == ("skipped", "quiet_hours")
    assert step_metric("updated", "ignored", "update_attribute") == ("updated", "")


def test_channels_come_from_node_types() -> None:
    assert [channel_of(t) for t in ("message.in_app", "webhook", "split")] == ["in_app", "webhook", ""]


def test_rates_use_the_right_denominators_and_none_without_data() -> None:
    r = rates({"enrolled": 200, "sent": 100, "delivered": 80, "opened": 40, "clicked": 8, "converted": 10})
    assert (r.delivery, r.open, r.click, r.conversion) == (0.8, 0.5, 0.1, 0.05)
    assert rates({}).conversion is None


def test_buckets_start_on_the_hour_and_the_utc_day() -> None:
    assert period_start(7_205, 3_600) == 7_200
    assert period_start(90_000, 86_400) == 86_400
