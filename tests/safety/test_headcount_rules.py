"""The pure headcount rules (safety/headcount.py, docs/headcounts.md), by example and by
property: shuffled, duplicated and interleaved logs of several phones give one state."""

import datetime
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from zaireen.safety.headcount import Action, Event, Ignored, Scan, derive

MEMBERS = [f"m{n}" for n in range(1, 7)]
T0 = datetime.datetime(2025, 8, 20, 6, 0, tzinfo=datetime.UTC)


def mark(id_, device, seq, member, scan=Scan.OK):
    return Event(id=id_, device=device, seq=seq, action=Action.MARK, member=member, scan=scan)


def unmark(id_, device, seq, target):
    return Event(id=id_, device=device, seq=seq, action=Action.UNMARK, target=target)


def close(id_, device, seq, depart_anyway=True, missing=()):
    return Event(
        id=id_,
        device=device,
        seq=seq,
        action=Action.CLOSE,
        depart_anyway=depart_anyway,
        missing=tuple(missing),
    )


def test_an_open_headcount_has_not_yet_seen_members_and_no_missing_ones():
    state = derive(MEMBERS[:3], [mark("a1", "A", 1, "m1")])
    assert state.present == {"m1"}
    assert state.not_yet_seen == {"m2", "m3"}
    assert state.missing == set()
    assert not state.closed


def test_once_closed_the_members_not_seen_are_missing():
    state = derive(MEMBERS[:3], [mark("a1", "A", 1, "m1"), close("a2", "A", 2, missing=["m2"])])
    assert state.closed
    assert state.missing == {"m2", "m3"}
    assert state.not_yet_seen == set()
    assert state.closures[0].missing == ("m2",)


def test_an_unmark_undoes_its_mark_and_a_new_tick_marks_again():
    events = [mark("a1", "A", 1, "m1"), unmark("a2", "A", 2, "a1")]
    assert derive(MEMBERS, events).present == set()
    assert derive(MEMBERS, [*events, mark("a3", "A", 3, "m1")]).present == {"m1"}


def test_an_unmark_may_undo_another_phones_mark_and_may_arrive_first():
    events = [unmark("b1", "B", 1, "a1"), mark("a1", "A", 1, "m1")]
    assert derive(MEMBERS, events).present == set()


def test_a_member_ticked_on_two_phones_stays_present_until_both_marks_are_undone():
    events = [mark("a1", "A", 1, "m1"), mark("b1", "B", 1, "m1"), unmark("a2", "A", 2, "a1")]
    state = derive(MEMBERS, events)
    assert state.present == {"m1"}
    assert state.marks_of("m1") == ("b1",)
    assert derive(MEMBERS, [*events, unmark("a3", "A", 3, "b1")]).present == set()


def test_a_revoked_card_never_marks_present_and_an_unknown_one_neither():
    state = derive(
        MEMBERS,
        [mark("a1", "A", 1, "m1", Scan.REVOKED), mark("a2", "A", 2, None, Scan.UNKNOWN)],
    )
    assert state.present == set()
    assert state.revoked_scans == ("a1",)
    assert state.unknown_scans == ("a2",)


def test_a_phones_own_marks_after_its_close_are_ignored():
    events = [close("a1", "A", 1), mark("a2", "A", 2, "m1"), unmark("a3", "A", 3, "x")]
    state = derive(MEMBERS, events)
    assert state.present == set()
    assert dict(state.ignored) == {"a2": Ignored.AFTER_OWN_CLOSE, "a3": Ignored.AFTER_OWN_CLOSE}


def test_another_phone_still_scanning_after_a_close_is_counted():
    events = [close("a1", "A", 1, missing=["m1", "m2"]), mark("b1", "B", 5, "m1")]
    state = derive(MEMBERS[:2], events)
    assert state.closed
    assert state.present == {"m1"}
    assert state.missing == {"m2"}
    assert state.closures[0].missing == ("m1", "m2")  # what the closing leader agreed to


def test_no_to_depart_anyway_keeps_the_headcount_open_as_a_hold():
    state = derive(MEMBERS[:2], [close("a1", "A", 1, depart_anyway=False, missing=MEMBERS[:2])])
    assert not state.closed
    assert [h.event for h in state.holds] == ["a1"]
    assert state.not_yet_seen == set(MEMBERS[:2])
    assert derive(MEMBERS[:2], [close("a1", "A", 1, False), mark("a2", "A", 2, "m1")]).present


def test_the_phones_clock_and_the_receipt_time_change_nothing():
    def at(event, minutes):
        return Event(
            **{
                **event.__dict__,
                "device_time": T0 + datetime.timedelta(minutes=minutes),
                "received_at": T0 - datetime.timedelta(minutes=minutes),
            }
        )

    events = [mark("a1", "A", 1, "m1"), unmark("a2", "A", 2, "a1"), mark("a3", "A", 3, "m2")]
    wrong_clock = [at(events[0], 500), at(events[1], -9000), at(events[2], 3)]
    assert derive(MEMBERS, wrong_clock) == derive(MEMBERS, events)


def test_sequence_numbers_not_arrival_order_decide_a_close():
    events = [mark("a3", "A", 3, "m1"), close("a2", "A", 2), mark("a1", "A", 1, "m2")]
    state = derive(MEMBERS, events)
    assert state.present == {"m2"}  # m1 was ticked after this phone had closed


def test_marks_of_members_not_expected_are_extra():
    state = derive(["m1"], [mark("a1", "A", 1, "m1"), mark("a2", "A", 2, "m9")])
    assert state.present == {"m1"}
    assert state.extra == {"m9"}


def test_an_unmark_of_something_that_is_not_a_mark_does_nothing():
    events = [mark("a1", "A", 1, "m1", Scan.REVOKED), unmark("a2", "A", 2, "a1")]
    assert dict(derive(MEMBERS, events).ignored) == {"a2": Ignored.NOT_A_MARK}


# --- Properties -------------------------------------------------------------------------------


@st.composite
def logs(draw):
    """The logs of up to three phones counting one headcount: each ticks, scans cards
    (some revoked or unknown), unmarks its own marks or ones it learnt from other phones,
    and may close (yes, or no to "depart anyway?") and even act after closing."""
    devices = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3, unique=True))
    seqs = dict.fromkeys(devices, 0)
    events: list[Event] = []
    marks: list[str] = []
    for step in range(draw(st.integers(0, 30))):
        device = draw(st.sampled_from(devices))
        seqs[device] += draw(st.integers(1, 3))  # gaps: events still in a queue elsewhere
        id_ = f"{device}-{step}"
        kind = draw(st.sampled_from(["mark", "mark", "mark", "unmark", "close"]))
        if kind == "unmark" and marks:
            events.append(unmark(id_, device, seqs[device], draw(st.sampled_from(marks))))
        elif kind == "close":
            events.append(
                close(id_, device, seqs[device], draw(st.sampled_from([True, False, None])))
            )
        else:
            member = draw(st.sampled_from([*MEMBERS, "m9"]))
            scan = draw(st.sampled_from([Scan.OK, Scan.OK, Scan.OK, Scan.REVOKED, Scan.UNKNOWN]))
            events.append(mark(id_, device, seqs[device], member, scan))
            marks.append(id_)
    return events


@settings(max_examples=300, deadline=None)
@given(log=logs(), data=st.data())
def test_any_arrival_order_with_any_duplicates_gives_the_same_state(log, data):
    arrived = data.draw(st.permutations(log))
    repeats = data.draw(st.lists(st.sampled_from(log), max_size=10)) if log else []
    shuffled = data.draw(st.permutations([*arrived, *repeats]))
    assert derive(MEMBERS, shuffled) == derive(MEMBERS, log)


@settings(max_examples=200, deadline=None)
@given(log=logs(), data=st.data())
def test_syncing_in_pieces_in_any_order_gives_the_same_final_state(log, data):
    """Each phone sends its queue in batches that may cross on the network: the server ends
    with the union of the batches, whatever came first, and resent batches change nothing."""
    cuts = data.draw(st.lists(st.integers(0, len(log)), max_size=4))
    bounds = sorted({0, len(log), *cuts})
    batches = [log[a:b] for a, b in itertools.pairwise(bounds)]
    order = data.draw(st.permutations(batches + batches[: data.draw(st.integers(0, 2))]))
    received: list[Event] = []
    for batch in order:
        received.extend(batch)
    assert derive(MEMBERS, received) == derive(MEMBERS, log)


@settings(max_examples=200, deadline=None)
@given(log=logs(), data=st.data())
def test_the_phones_clocks_never_matter(log, data):
    minutes = data.draw(
        st.lists(st.integers(-(10**6), 10**6), min_size=len(log), max_size=len(log))
    )
    skewed = [
        Event(**{**e.__dict__, "device_time": T0 + datetime.timedelta(minutes=m)})
        for e, m in zip(log, minutes, strict=True)
    ]
    assert derive(MEMBERS, skewed) == derive(MEMBERS, log)


@settings(max_examples=200, deadline=None)
@given(log=logs())
def test_one_phone_shows_what_its_leader_did_in_order(log):
    """For a single phone the rules are the plain sequence of its actions: tick adds, unmark
    removes that tick, close ("yes" or nobody missing) ends the count."""
    device = log[0].device if log else "A"
    own = [e for e in log if e.device == device]
    own_marks = {e.id for e in own if e.action is Action.MARK}
    own = [e for e in own if e.action is not Action.UNMARK or e.target in own_marks]
    live: dict[str, str] = {}
    closed = False
    for e in sorted(own, key=lambda e: e.seq):
        if closed and e.action is not Action.CLOSE:
            continue
        if e.action is Action.MARK and e.scan is Scan.OK and e.member:
            live[e.id] = e.member
        elif e.action is Action.UNMARK:
            live.pop(e.target, None)
        elif e.action is Action.CLOSE and e.depart_anyway is not False:
            closed = True
    state = derive(MEMBERS, own)
    assert state.present | state.extra == set(live.values())
    assert state.closed == closed


@settings(max_examples=100, deadline=None)
@given(log=logs())
def test_present_missing_and_not_yet_seen_split_the_expected_members(log):
    state = derive(MEMBERS, log)
    parts = [state.present, state.missing, state.not_yet_seen]
    assert set().union(*parts) == set(MEMBERS)
    assert sum(len(p) for p in parts) == len(MEMBERS)
    assert not (state.missing and state.not_yet_seen)
