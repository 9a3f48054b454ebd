"""A realistic demo workspace: a checkout team one sprint after a retro, mid-way through the next.

The story follows the seed document: shoppers abandon a long checkout form,
engineering offers options with effort and risk, social login raises a security
flag, a third-party API turns out to be rate-limited, and a launched feature
misses its adoption target while mobile load time sits at 3 seconds.

Everything is written through the store's repository functions, and every date
is derived from `today`, so the same `today` always gives the same workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from planner_tui.domain.enums import (
    ActionStatus,
    Confidence,
    ItemKind,
    ItemStatus,
    Level,
    RiskCategory,
    RiskStatus,
    Role,
    SessionKind,
    SprintStatus,
)
from planner_tui.domain.estimation import PokerSettings
from planner_tui.domain.models import (
    CapacityEntry,
    NewAction,
    NewCard,
    NewItem,
    NewRetroBoard,
    NewRisk,
    NewSession,
    NewSprint,
    Option,
    Person,
    SuccessMetric,
)
from planner_tui.domain.poker import DEFAULT_DECK
from planner_tui.domain.sprint import ClosePlan
from planner_tui.store import estimation, meetings, poker_rounds, sprint_items, sprints
from planner_tui.store.items import add_item, add_items, item_key, set_key_prefix
from planner_tui.store.people import ensure_person
from planner_tui.store.risks import raise_risk
from planner_tui.store.workspace import Workspace

KEY_PREFIX = "CHK"

TEAM = (
    Person(name="maya", display_name="Maya Okafor", role=Role.PRODUCT),
    Person(name="lena", display_name="Lena Fischer", role=Role.DESIGN),
    Person(name="raj", display_name="Raj Patel", role=Role.ENGINEERING),
    Person(name="sam", display_name="Sam Novak", role=Role.ENGINEERING),
    Person(name="ines", display_name="Inês Carvalho", role=Role.ENGINEERING),
)
"""The demo team: a product manager, a designer and three engineers."""

PRODUCT_MANAGER = "maya"
VOTERS = ("lena", "raj", "sam", "ines")
"""Who votes in planning poker; the product manager facilitates and does not vote."""

RETRO_TEMPLATE = "Went well / To improve / Actions"
RETRO_COLUMNS = ("Went well", "To improve", "Actions")

PREVIOUS_SPRINT = "Sprint 13"
CURRENT_SPRINT = "Sprint 14"
POINTS_PER_DAY = 1.25
SPRINT_DAYS = 10

FOCUS_FACTORS = {"maya": 0.3, "lena": 0.6, "raj": 0.7, "sam": 0.7, "ines": 0.7}
"""Share of a working day each person spends on sprint work."""


@dataclass(frozen=True)
class Timeline:
    """Every date of the demo, derived from `today`."""

    today: date

    @property
    def previous_end(self) -> date:
        """The last day of the closed sprint, two weeks ago."""
        return self.today - timedelta(days=14)

    @property
    def previous_start(self) -> date:
        """The first day of the closed sprint."""
        return self.previous_end - timedelta(days=13)

    @property
    def current_start(self) -> date:
        """The first day of the active sprint, a few days ago."""
        return self.today - timedelta(days=4)

    @property
    def current_end(self) -> date:
        """The last day of the active sprint."""
        return self.today + timedelta(days=9)

    @property
    def estimation_day(self) -> date:
        """When the team estimated the new checkout work."""
        return self.current_start - timedelta(days=2)

    def days_from_today(self, days: int) -> date:
        """The date `days` after today (negative: before)."""
        return self.today + timedelta(days=days)


@dataclass
class DemoState:
    """What later steps of the build need from earlier ones."""

    ws: Workspace
    timeline: Timeline
    item_ids: dict[str, int] = field(default_factory=dict)
    sprint_ids: dict[str, int] = field(default_factory=dict)

    def key(self, handle: str) -> str:
        """The key (e.g. CHK-3) of the item known as `handle`."""
        return item_key(self.ws, self.item_ids[handle])


def build_demo(ws: Workspace, today: date) -> None:
    """Write the demo team's backlog, sprints, risks and meetings into an empty workspace.

    Args:
        ws: A freshly created workspace with no items, sprints or meetings.
        today: The date the demo is seen from; all dates are derived from it.
    """
    state = DemoState(ws=ws, timeline=Timeline(today))
    set_key_prefix(ws, KEY_PREFIX)
    for person in TEAM:
        ensure_person(ws, person)
    _add_backlog(state)
    _run_previous_sprint(state)
    _plan_current_sprint(state)
    _close_previous_sprint(state)
    _run_previous_retro(state)
    _run_estimation(state)
    _start_current_sprint(state)
    _raise_risks(state)


@contextmanager
def acting_as(ws: Workspace, name: str) -> Iterator[None]:
    """Record the writes inside the block as made by `name`, then restore the actor."""
    previous_actor = ws.actor
    ws.actor = name
    try:
        yield
    finally:
        ws.actor = previous_actor


def stamp(day: date, hour: int, minute: int = 0) -> str:
    """An ISO timestamp in UTC, as the store keeps them."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC).isoformat(timespec="seconds")


def _lines(*lines: str) -> str:
    return "\n".join(lines)


# --- backlog ---------------------------------------------------------------------------


def _add_backlog(state: DemoState) -> None:
    ws = state.ws
    with acting_as(ws, "maya"):
        checkout_epic = add_item(ws, _checkout_epic())
        state.item_ids["checkout_epic"] = checkout_epic
        _add_group(state, _checkout_items(item_key(ws, checkout_epic)))
    with acting_as(ws, "raj"):
        performance_epic = add_item(ws, _performance_epic())
        state.item_ids["performance_epic"] = performance_epic
        _add_group(state, _performance_items(item_key(ws, performance_epic)))
    with acting_as(ws, "sam"):
        _add_group(state, _integration_items())
    with acting_as(ws, "raj"):
        _add_group(state, _tech_debt_items())
    with acting_as(ws, "ines"):
        _add_group(state, _bug_items())
    with acting_as(ws, "lena"):
        _add_group(state, _research_items())


def _add_group(state: DemoState, items_by_handle: dict[str, NewItem]) -> None:
    new_ids = add_items(state.ws, list(items_by_handle.values()))
    state.item_ids.update(zip(items_by_handle, new_ids, strict=True))


def _checkout_epic() -> NewItem:
    return NewItem(
        title="Checkout conversion",
        kind=ItemKind.EPIC,
        status=ItemStatus.IN_PROGRESS,
        value=9,
        impact="+15% checkout conversion",
        problem=(
            "Mobile shoppers start checkout but do not finish it: "
            "only 32% of started checkouts end in an order."
        ),
        description="Everything this quarter that removes friction between the cart and a paid order.",
        tags=("checkout", "okr"),
        metric=SuccessMetric(name="Checkout conversion", unit="%", target=40, actual=32),
    )


def _checkout_items(epic_key: str) -> dict[str, NewItem]:
    return {
        "long_form": _long_form_problem(epic_key),
        "save_for_later": NewItem(
            title="Save partial checkout forms for later",
            status=ItemStatus.READY,
            value=8,
            impact="+6% checkout completion for returning shoppers",
            problem="Shoppers interrupted mid-checkout lose everything they typed and rarely start again.",
            acceptance=_lines(
                "Fields are saved as the shopper types, at most every 2 seconds",
                "A returning shopper on the same device finds the form prefilled",
                "Card numbers are never saved; only the last four digits are shown",
                "Saved drafts expire after 7 days",
            ),
            tags=("checkout", "mobile"),
            parent_key=epic_key,
        ),
        "social_login": NewItem(
            title="Social login via OAuth (Google, Apple)",
            value=7,
            impact="+4% conversion for first-time shoppers",
            problem="First-time shoppers give up when checkout asks them to create yet another account.",
            description=(
                "OAuth integration: about 2 weeks, and it widens the security surface. "
                "Held back until the security review is done."
            ),
            acceptance=_lines(
                "Shoppers can sign in with Google or Apple on the first checkout step",
                "Name and email are prefilled from the provider",
                "Tokens are short-lived and never kept in the browser's local storage",
                "Logins are capped at 100 per hour until monitoring is in place",
            ),
            tags=("checkout", "auth", "security"),
            parent_key=epic_key,
        ),
        "login_cap": NewItem(
            title="Cap social logins at 100 per hour and monitor before scaling",
            kind=ItemKind.CHORE,
            value=4,
            estimate=2,
            tags=("auth", "ops"),
            parent_key=epic_key,
        ),
        "autofill_hints": NewItem(
            title="Add autocomplete hints to every checkout field",
            kind=ItemKind.CHORE,
            status=ItemStatus.READY,
            value=6,
            estimate=2,
            impact="Browsers fill 9 of the 14 fields for returning shoppers",
            acceptance=_lines(
                "Every field carries the right autocomplete attribute",
                "Chrome, Safari and Firefox autofill the address in one tap",
            ),
            tags=("checkout", "accessibility"),
            parent_key=epic_key,
        ),
        "reduce_fields": NewItem(
            title="Cut the checkout form from 14 to 8 fields",
            value=7,
            estimate=5,
            impact="+3% checkout conversion",
            problem=(
                "Company name, a second address line and a phone number are asked of everyone "
                "but used for 3% of orders."
            ),
            acceptance=_lines(
                "Company and second address line sit behind 'Add more details'",
                "Phone is asked only for courier deliveries",
                "Finance confirms invoices still carry what they need",
            ),
            tags=("checkout", "design"),
            parent_key=epic_key,
        ),
        "saved_cards": NewItem(
            title="Saved cards at checkout",
            status=ItemStatus.READY,
            value=8,
            estimate=8,
            impact="+5% repeat-purchase conversion",
            problem="Returning shoppers type their card details again on every order.",
            acceptance=_lines(
                "Shoppers can save a card with the payment provider's vault",
                "A saved card is offered first on the payment step",
                "Shoppers can remove a saved card from their account",
            ),
            tags=("checkout", "payments"),
            parent_key=epic_key,
            metric=SuccessMetric(name="Feature adoption", unit="%", target=50, actual=30),
        ),
        "adoption_spike": NewItem(
            title="Find out why saved-card adoption is 30%, not 50%",
            kind=ItemKind.SPIKE,
            status=ItemStatus.IN_PROGRESS,
            value=7,
            estimate=3,
            problem=(
                "Saved cards launched in Sprint 13, but only 30% of returning shoppers use them "
                "against a 50% target."
            ),
            acceptance=_lines(
                "Funnel of the saved-card prompt broken down by device",
                "Load time of the payment step measured on mobile",
                "Three hypotheses ranked, each with a cheap test",
            ),
            tags=("payments", "metrics"),
            parent_key=epic_key,
        ),
        "order_summary": NewItem(
            title="Show the order summary on the payment step",
            value=5,
            estimate=3,
            problem="Shoppers go back to the cart to check what they are paying for, and some never return.",
            tags=("checkout", "design"),
            parent_key=epic_key,
        ),
        "guest_checkout": NewItem(
            title="Guest checkout without an account",
            value=6,
            impact="+5% conversion for first-time shoppers",
            problem="First-time shoppers must register before they can pay.",
            tags=("checkout",),
            parent_key=epic_key,
        ),
        "postcode_lookup": NewItem(
            title="Address lookup by postcode",
            value=5,
            estimate=5,
            tags=("checkout", "third-party"),
            parent_key=epic_key,
        ),
        "wallets": NewItem(
            title="Apple Pay and Google Pay buttons",
            value=6,
            estimate=13,
            impact="+8% mobile conversion (industry benchmark)",
            tags=("checkout", "payments", "mobile"),
            parent_key=epic_key,
        ),
        "progress_indicator": NewItem(
            title="Checkout progress indicator",
            status=ItemStatus.READY,
            value=4,
            estimate=3,
            acceptance=_lines(
                "Shows the current step and how many remain",
                "Readable by screen readers as 'step 2 of 4'",
            ),
            tags=("checkout", "design"),
            parent_key=epic_key,
        ),
        "promo_collapsed": NewItem(
            title="Collapse the promo-code field by default",
            status=ItemStatus.WONT_DO,
            value=3,
            estimate=1,
            description="Dropped: the A/B test showed no effect on completion.",
            tags=("checkout", "experiment"),
            parent_key=epic_key,
        ),
    }


def _long_form_problem(epic_key: str) -> NewItem:
    return NewItem(
        title="Users abandon checkout due to long form",
        status=ItemStatus.READY,
        value=9,
        impact="+15% checkout conversion",
        problem="Returning mobile shoppers must retype 14 fields; 41% of them leave on the address step.",
        description=(
            "From the funnel data and five interviews. Engineering offered four ways out; "
            "we start with the cheapest one that keeps risk low and revisit social login "
            "after the security review."
        ),
        acceptance=_lines(
            "Address-step drop-off falls below 30% on mobile",
            "A returning shopper reaches the payment step in under 60 seconds",
            "No new personal data is stored without consent",
        ),
        tags=("checkout", "mobile", "discovery"),
        parent_key=epic_key,
        options=(
            Option(
                description="Social login via OAuth to prefill name and email",
                effort="2 weeks",
                risk=Level.HIGH,
            ),
            Option(
                description="Save partial forms so shoppers can finish later",
                effort="1 week",
                risk=Level.LOW,
                chosen=True,
            ),
            Option(description="Autofill hints on every field", effort="2 days", risk=Level.LOW),
            Option(
                description="Reduce the form from 14 to 8 fields",
                effort="1 week",
                risk=Level.MEDIUM,
            ),
        ),
    )


def _performance_epic() -> NewItem:
    return NewItem(
        title="Mobile performance",
        kind=ItemKind.EPIC,
        status=ItemStatus.IN_PROGRESS,
        value=8,
        impact="Checkout interactive in under 1.5 s on 4G",
        problem="Checkout takes 3 s to respond on mid-range phones; slow pages lose shoppers.",
        tags=("performance", "mobile"),
        metric=SuccessMetric(name="Mobile checkout load time", unit="s", target=1.5, actual=3.0),
    )


def _performance_items(epic_key: str) -> dict[str, NewItem]:
    return {
        "mobile_load": NewItem(
            title="Checkout takes 3 s to load on mobile",
            kind=ItemKind.BUG,
            status=ItemStatus.IN_PROGRESS,
            value=9,
            estimate=5,
            impact="+2% mobile conversion per second saved",
            problem="Shoppers on mid-range Android phones wait 3 s before the checkout form responds.",
            acceptance=_lines(
                "Time to interactive under 1.5 s on a throttled 4G profile",
                "No layout shift when the payment form appears",
                "Real-user monitoring shows the p75 after release",
            ),
            tags=("performance", "mobile"),
            parent_key=epic_key,
        ),
        "lazy_images": NewItem(
            title="Lazy-load product images below the fold",
            status=ItemStatus.READY,
            value=6,
            acceptance=_lines(
                "Only images in the first viewport load with the page",
                "Images keep their space so nothing jumps",
            ),
            tags=("performance", "mobile"),
            parent_key=epic_key,
        ),
        "split_bundle": NewItem(
            title="Split the checkout JavaScript bundle",
            status=ItemStatus.READY,
            value=6,
            estimate=8,
            tags=("performance",),
            parent_key=epic_key,
        ),
        "cache_shipping": NewItem(
            title="Cache shipping-rate lookups for ten minutes",
            value=5,
            estimate=5,
            tags=("performance", "third-party"),
            parent_key=epic_key,
        ),
        "rum": NewItem(
            title="Add real-user monitoring for mobile load time",
            kind=ItemKind.CHORE,
            status=ItemStatus.READY,
            value=5,
            estimate=3,
            tags=("performance", "metrics"),
            parent_key=epic_key,
        ),
        "ssr_spike": NewItem(
            title="Spike: server-render the payment step",
            kind=ItemKind.SPIKE,
            value=4,
            estimate=3,
            description="Timebox of two days: does server rendering get us under 1.5 s on its own?",
            tags=("performance",),
            parent_key=epic_key,
        ),
    }


def _integration_items() -> dict[str, NewItem]:
    return {
        "rate_limit": NewItem(
            title="Orders fail when the fraud-check API rate-limits us",
            kind=ItemKind.BUG,
            status=ItemStatus.IN_PROGRESS,
            value=9,
            estimate=3,
            problem=(
                "At peak, the fraud-check provider answers HTTP 429 above 100 requests a minute, "
                "and the shopper's order fails."
            ),
            acceptance=_lines(
                "No order fails because of a 429 from the fraud-check API",
                "Fraud checks are capped at 100 a minute and queued beyond that",
                "An alert fires when the queue is older than 30 seconds",
            ),
            tags=("payments", "third-party"),
        ),
        "fraud_backoff": NewItem(
            title="Queue fraud checks and retry with backoff on HTTP 429",
            value=7,
            estimate=5,
            tags=("payments", "third-party"),
        ),
        "address_build_buy": NewItem(
            title="Spike: build or buy address autocomplete",
            kind=ItemKind.SPIKE,
            value=4,
            estimate=2,
            description="Compare two vendors with our own postcode data: cost, accuracy, rate limits.",
            tags=("checkout", "third-party"),
        ),
        "rotate_keys": NewItem(
            title="Rotate the payment-provider API keys",
            kind=ItemKind.CHORE,
            status=ItemStatus.READY,
            estimate=1,
            tags=("payments", "ops", "security"),
        ),
        "event_schema": NewItem(
            title="Document the checkout analytics event schema",
            kind=ItemKind.CHORE,
            value=3,
            estimate=1,
            tags=("metrics",),
        ),
    }


def _tech_debt_items() -> dict[str, NewItem]:
    return {
        "form_validator": NewItem(
            title="Replace the hand-rolled form validator with the shared schema library",
            kind=ItemKind.CHORE,
            value=5,
            estimate=8,
            problem="Every checkout change touches three copies of the same validation rules.",
            tags=("tech-debt", "checkout"),
        ),
        "sdk_upgrade": NewItem(
            title="Upgrade the payment SDK from v3 to v5",
            kind=ItemKind.CHORE,
            status=ItemStatus.READY,
            value=7,
            estimate=5,
            description="v3 reaches end of life next quarter and blocks saved cards.",
            tags=("tech-debt", "payments"),
        ),
        "feature_flags": NewItem(
            title="Remove the legacy checkout feature flags",
            kind=ItemKind.CHORE,
            status=ItemStatus.READY,
            value=4,
            estimate=2,
            tags=("tech-debt",),
        ),
        "flaky_tests": NewItem(
            title="Fix the flaky end-to-end checkout tests",
            kind=ItemKind.CHORE,
            status=ItemStatus.READY,
            value=5,
            estimate=3,
            tags=("tech-debt", "testing"),
        ),
        "session_storage": NewItem(
            title="Move session storage off the monolith database",
            kind=ItemKind.CHORE,
            value=5,
            estimate=13,
            tags=("tech-debt", "performance"),
        ),
    }


def _bug_items() -> dict[str, NewItem]:
    return {
        "double_charge": NewItem(
            title="Double charge when a shopper taps Pay twice",
            kind=ItemKind.BUG,
            status=ItemStatus.READY,
            value=10,
            estimate=3,
            acceptance=_lines(
                "The Pay button is disabled while a payment is in flight",
                "The payment request carries an idempotency key",
            ),
            tags=("payments",),
        ),
        "eircode": NewItem(
            title="Postcode field rejects Irish Eircodes",
            kind=ItemKind.BUG,
            status=ItemStatus.READY,
            value=5,
            estimate=1,
            tags=("checkout",),
        ),
        "coupon_lost": NewItem(
            title="Coupon discount disappears after changing the shipping method",
            kind=ItemKind.BUG,
            status=ItemStatus.READY,
            value=6,
            estimate=2,
            tags=("checkout",),
        ),
        "screen_reader": NewItem(
            title="Screen reader skips the card-expiry field",
            kind=ItemKind.BUG,
            value=6,
            tags=("accessibility", "payments"),
        ),
        "email_utc": NewItem(
            title="Order confirmation email shows the time in UTC",
            kind=ItemKind.BUG,
            value=3,
            estimate=1,
            tags=("email",),
        ),
        "ios_autofill_crash": NewItem(
            title="Checkout crashes on iOS 15 Safari when autofill fills the card name",
            kind=ItemKind.BUG,
            status=ItemStatus.IN_PROGRESS,
            value=8,
            estimate=3,
            tags=("checkout", "mobile"),
        ),
    }


def _research_items() -> dict[str, NewItem]:
    return {
        "user_interviews": NewItem(
            title="Five checkout interviews, with an engineer at each",
            kind=ItemKind.SPIKE,
            status=ItemStatus.READY,
            value=6,
            estimate=2,
            tags=("research",),
        ),
        "field_dropoff": NewItem(
            title="Measure drop-off per checkout field",
            kind=ItemKind.SPIKE,
            status=ItemStatus.READY,
            value=6,
            estimate=2,
            tags=("research", "metrics"),
        ),
        "accessibility_audit": NewItem(
            title="Accessibility audit of the checkout flow",
            kind=ItemKind.CHORE,
            value=5,
            tags=("accessibility",),
        ),
    }


# --- sprints ---------------------------------------------------------------------------

PREVIOUS_SPRINT_WORK = (
    ("rotate_keys", 1, "sam"),
    ("autofill_hints", 2, "lena"),
    ("double_charge", 3, "ines"),
    ("field_dropoff", 4, "lena"),
    ("user_interviews", 5, "maya"),
    ("sdk_upgrade", 8, "raj"),
    ("rum", 9, "raj"),
    ("progress_indicator", 11, "ines"),
    ("saved_cards", 12, "sam"),
    ("ios_autofill_crash", None, "raj"),
)
"""Sprint 13's items: (handle, day of the sprint it was done or None, who owns it)."""

CURRENT_SPRINT_WORK = (
    ("save_for_later", None, "sam"),
    ("mobile_load", None, "raj"),
    ("lazy_images", None, "raj"),
    ("rate_limit", None, "sam"),
    ("feature_flags", None, "ines"),
    ("eircode", 1, "ines"),
    ("ios_autofill_crash", 2, "ines"),
)
"""Sprint 14's items, as in `PREVIOUS_SPRINT_WORK`; the crash carried over from Sprint 13."""

CARRIED_OVER = frozenset({"ios_autofill_crash"})
"""Sprint 13's unfinished items, put into Sprint 14 when Sprint 13 closed."""

CURRENT_SPRINT_ADDED = (("adoption_spike", 1, "maya"),)
"""Added to Sprint 14 after it started (scope change): (handle, day, who added it)."""

DAYS_OFF = {
    PREVIOUS_SPRINT: {"lena": 1, "sam": 2},
    CURRENT_SPRINT: {"lena": 3, "sam": 1},
}


def _run_previous_sprint(state: DemoState) -> None:
    timeline = state.timeline
    sprint_id = _create_sprint(
        state,
        NewSprint(
            name=PREVIOUS_SPRINT,
            goal="Ship saved cards and stop double charges",
            start=timeline.previous_start,
            end=timeline.previous_end,
            points_per_day=POINTS_PER_DAY,
        ),
    )
    _commit(state, sprint_id, timeline.previous_start, PREVIOUS_SPRINT_WORK)
    started_at = stamp(timeline.previous_start, 9, 50)
    sprints.set_status(state.ws, sprint_id, SprintStatus.ACTIVE, at=started_at)
    _finish(state, sprint_id, timeline.previous_start, PREVIOUS_SPRINT_WORK)


def _close_previous_sprint(state: DemoState) -> None:
    """Close Sprint 13; its unfinished crash fix carries over into the planned Sprint 14."""
    sprint_id = state.sprint_ids[PREVIOUS_SPRINT]
    done = frozenset(
        state.item_ids[handle] for handle, day, _ in PREVIOUS_SPRINT_WORK if day is not None
    )
    plan = ClosePlan(done=done, carry_to=state.sprint_ids[CURRENT_SPRINT])
    sprints.close_sprint(state.ws, sprint_id, plan, at=stamp(state.timeline.previous_end, 17))


def _plan_current_sprint(state: DemoState) -> None:
    timeline = state.timeline
    _create_sprint(
        state,
        NewSprint(
            name=CURRENT_SPRINT,
            goal="Lift checkout conversion: fewer fields to retype, faster on mobile",
            start=timeline.current_start,
            end=timeline.current_end,
            points_per_day=POINTS_PER_DAY,
            reserve_percent=10,
            velocity_guess=29,
        ),
    )


def _start_current_sprint(state: DemoState) -> None:
    timeline = state.timeline
    ws = state.ws
    sprint_id = state.sprint_ids[CURRENT_SPRINT]
    planning_id = meetings.start_session(
        ws,
        NewSession(
            kind=SessionKind.PLANNING,
            title=f"{CURRENT_SPRINT} planning",
            facilitator=PRODUCT_MANAGER,
            sprint_name=CURRENT_SPRINT,
        ),
        at=stamp(timeline.current_start, 9),
    )
    meetings.close_session(
        ws,
        planning_id,
        "Product presented the checkout priorities; engineering estimated and flagged risks. "
        "Committed seven items toward the conversion goal with a 10% reserve for the "
        "fraud-check rate limits. Social login stays out until the OAuth security review "
        "is done.",
        at=stamp(timeline.current_start, 9, 45),
    )
    _commit(state, sprint_id, timeline.current_start, CURRENT_SPRINT_WORK, CARRIED_OVER)
    sprints.set_status(ws, sprint_id, SprintStatus.ACTIVE, at=stamp(timeline.current_start, 9, 50))
    for handle, day, who in CURRENT_SPRINT_ADDED:
        with acting_as(ws, who):
            added_at = stamp(timeline.current_start + timedelta(days=day), 11)
            sprint_items.commit_item(ws, sprint_id, state.item_ids[handle], at=added_at)
            sprint_items.set_owner(ws, sprint_id, state.item_ids[handle], who)
    _finish(state, sprint_id, timeline.current_start, CURRENT_SPRINT_WORK)


def _create_sprint(state: DemoState, sprint: NewSprint) -> int:
    ws = state.ws
    sprint_id = sprints.add_sprint(ws, sprint)
    state.sprint_ids[sprint.name] = sprint_id
    days_off = DAYS_OFF.get(sprint.name, {})
    for person in TEAM:
        entry = CapacityEntry(
            person=person.name,
            days_available=SPRINT_DAYS,
            days_off=days_off.get(person.name, 0),
            focus_factor=FOCUS_FACTORS[person.name],
        )
        sprint_items.set_capacity(ws, sprint_id, entry)
    return sprint_id


def _commit(
    state: DemoState,
    sprint_id: int,
    first_day: date,
    work: tuple[tuple[str, int | None, str], ...],
    carried: frozenset[str] = frozenset(),
) -> None:
    """Commit the sprint's planned items, each with its owner, before the sprint starts.

    Items in `carried` came over from the sprint before and are in already.
    """
    ws = state.ws
    committed_at = stamp(first_day, 9, 45)
    for handle, _, owner in work:
        if handle not in carried:
            sprint_items.commit_item(ws, sprint_id, state.item_ids[handle], at=committed_at)
        sprint_items.set_owner(ws, sprint_id, state.item_ids[handle], owner)


def _finish(
    state: DemoState,
    sprint_id: int,
    first_day: date,
    work: tuple[tuple[str, int | None, str], ...],
) -> None:
    """Mark done the items finished so far, each by its owner."""
    ws = state.ws
    for handle, done_day, finisher in work:
        if done_day is None:
            continue
        with acting_as(ws, finisher):
            done_at = stamp(first_day + timedelta(days=done_day), 16)
            sprint_items.mark_done(ws, sprint_id, state.item_ids[handle], at=done_at)


# --- retro -----------------------------------------------------------------------------

RETRO_CARDS = (
    (
        "went_calm",
        "Went well",
        "Double-charge fix shipped and support has had zero complaints since",
    ),
    (
        "went_interviews",
        "Went well",
        "Engineers sat in on the checkout interviews; the drop-off data finally made sense",
    ),
    ("went_sdk", "Went well", "Payment SDK upgrade landed days earlier than planned"),
    ("went_flag", "Went well", "Saved cards went out behind a flag; we never needed the rollback"),
    (
        "improve_adoption",
        "To improve",
        "Saved-card adoption is 30% against a 50% target and we only noticed at the review",
    ),
    (
        "improve_handoff",
        "To improve",
        "Saved-card requirements arrived late; design and engineering were guessing for days",
    ),
    (
        "improve_crash",
        "To improve",
        "The iOS autofill crash was found on the last day and carried over",
    ),
    ("improve_scope", "To improve", "The progress indicator grew a third variant mid-sprint"),
    ("improve_flaky", "To improve", "Flaky end-to-end checkout tests cost us most of a day"),
    ("act_metrics", "Actions", "Look at launch metrics together two days after every release"),
    ("act_discovery", "Actions", "Bring an engineer into discovery before a story is Ready"),
)
"""(handle, column, text) of the Sprint 13 retro cards."""

RETRO_DOTS = {
    "maya": ("improve_adoption", "improve_handoff", "went_interviews"),
    "lena": ("improve_handoff", "improve_scope", "act_discovery"),
    "raj": ("improve_adoption", "improve_flaky", "act_metrics"),
    "sam": ("improve_adoption", "improve_flaky", "improve_handoff"),
    "ines": ("improve_crash", "improve_flaky", "improve_adoption"),
}
"""Each person's three dots on the Sprint 13 board."""


def _run_previous_retro(state: DemoState) -> None:
    ws = state.ws
    retro_day = state.timeline.previous_end
    with acting_as(ws, "raj"):
        session_id = meetings.start_session(
            ws,
            NewSession(
                kind=SessionKind.RETRO,
                title=f"{PREVIOUS_SPRINT} retro",
                facilitator="raj",
                sprint_name=PREVIOUS_SPRINT,
            ),
            at=stamp(retro_day, 14),
        )
        board_id = meetings.add_retro_board(
            ws,
            session_id,
            NewRetroBoard(
                template=RETRO_TEMPLATE, columns=RETRO_COLUMNS, anonymous=True, phase="close"
            ),
            sprint_id=state.sprint_ids[PREVIOUS_SPRINT],
        )
    card_ids = _add_retro_cards(state, board_id, retro_day)
    for voter, handles in RETRO_DOTS.items():
        with acting_as(ws, voter):
            for handle in handles:
                meetings.add_dot_vote(ws, board_id, voter, card_ids[handle])
    with acting_as(ws, "raj"):
        _add_retro_actions(state, board_id, card_ids)
        meetings.close_session(
            ws,
            session_id,
            "Saved cards shipped but adoption sits at 30% against 50%, and we only saw it at "
            "the review. Late requirements and mid-sprint scope growth hurt; engineers in "
            "discovery helped. Four actions, each with an owner.",
            at=stamp(retro_day, 15, 30),
        )


def _add_retro_cards(state: DemoState, board_id: int, retro_day: date) -> dict[str, int]:
    ws = state.ws
    card_ids: dict[str, int] = {}
    authors = [person.name for person in TEAM]
    for position, (handle, column, text) in enumerate(RETRO_CARDS):
        author = authors[position % len(authors)]
        with acting_as(ws, author):
            card_ids[handle] = meetings.add_card(
                ws,
                board_id,
                NewCard(column=column, text=text, author=author),
                at=stamp(retro_day, 14, 5 + position),
            )
    return card_ids


def _add_retro_actions(state: DemoState, board_id: int, card_ids: dict[str, int]) -> None:
    timeline = state.timeline
    retro_day = timeline.previous_end
    actions = (
        (
            "improve_adoption",
            NewAction(
                text="Add an adoption-vs-target check to the launch checklist, two days after release",
                owner="maya",
                due=retro_day + timedelta(days=7),
            ),
        ),
        (
            "improve_flaky",
            NewAction(
                text="Quarantine the flaky checkout end-to-end tests and fix the worst three",
                owner="ines",
                due=timeline.days_from_today(2),
                status=ActionStatus.IN_PROGRESS,
            ),
        ),
        (
            "act_discovery",
            NewAction(
                text="Invite an engineer to every discovery interview for the checkout epic",
                owner="lena",
                due=retro_day + timedelta(days=5),
                status=ActionStatus.DONE,
            ),
        ),
        (
            "improve_scope",
            NewAction(
                text="Re-estimate any story whose scope changes after the sprint starts",
                owner="sam",
                due=timeline.current_end,
            ),
        ),
    )
    for position, (handle, action) in enumerate(actions):
        meetings.add_action(
            state.ws,
            action,
            board_id=board_id,
            card_id=card_ids[handle],
            at=stamp(retro_day, 15, 10 + position),
        )


# --- estimation ------------------------------------------------------------------------


@dataclass(frozen=True)
class PokerItem:
    """One item of the estimation session: its rounds of votes and the agreed card."""

    handle: str
    rounds: tuple[dict[str, str], ...]
    card: str
    rationale: str
    unsure: tuple[str, ...] = ()


POKER_ITEMS = (
    PokerItem(
        handle="social_login",
        rounds=(
            {"lena": "5", "raj": "13", "sam": "8", "ines": "3"},
            {"lena": "8", "raj": "8", "sam": "8", "ines": "5"},
        ),
        card="8",
        rationale=(
            "OAuth adds security surface: threat model, PKCE and a security review are in the 8. "
            "Ines's 3 assumed the provider SDK does the token handling."
        ),
        unsure=("ines",),
    ),
    PokerItem(
        handle="save_for_later",
        rounds=({"lena": "5", "raj": "5", "sam": "5", "ines": "3"},),
        card="5",
        rationale="Drafts reuse the cart table; the expiry job is the main unknown.",
    ),
    PokerItem(
        handle="lazy_images",
        rounds=({"lena": "3", "raj": "2", "sam": "3", "ines": "3"},),
        card="3",
        rationale="Native lazy loading plus placeholders; testing on old Safari is most of it.",
    ),
)
"""What the team estimated before Sprint 14; social login needed a re-vote."""


def _run_estimation(state: DemoState) -> None:
    ws = state.ws
    day = state.timeline.estimation_day
    voters = sorted({voter for item in POKER_ITEMS for votes in item.rounds for voter in votes})
    with acting_as(ws, PRODUCT_MANAGER):
        session_id = estimation.create_session(
            ws,
            "Checkout backlog estimation",
            PokerSettings(deck=DEFAULT_DECK, auto_reveal=False),
            [state.item_ids[poker_item.handle] for poker_item in POKER_ITEMS],
            facilitator_votes=False,
            voters=voters,
            at=stamp(day, 14),
        )
    minute = 5
    for poker_item in POKER_ITEMS:
        minute = _estimate_item(state, session_id, poker_item, day, minute)
    with acting_as(ws, PRODUCT_MANAGER):
        estimation.close_session(
            ws,
            session_id,
            "Estimated three checkout items. Social login took a re-vote (3 to 13, then 8): "
            "the OAuth security work was the gap. Save-for-later is 5 and ready for Sprint 14.",
            at=stamp(day, 14, minute),
        )


def _estimate_item(
    state: DemoState, session_id: int, poker_item: PokerItem, day: date, minute: int
) -> int:
    """Play every round of one item and accept its card; returns the minute after it."""
    ws = state.ws
    for number, votes in enumerate(poker_item.rounds):
        if number:
            with acting_as(ws, PRODUCT_MANAGER):
                poker_rounds.revote(ws, session_id, at=stamp(day, 14, minute))
        for voter, card in votes.items():
            confidence = Confidence.UNSURE if voter in poker_item.unsure else Confidence.NORMAL
            with acting_as(ws, voter):
                poker_rounds.cast_vote(
                    ws, session_id, voter, card, confidence, at=stamp(day, 14, minute + 1)
                )
        with acting_as(ws, PRODUCT_MANAGER):
            poker_rounds.reveal(ws, session_id, at=stamp(day, 14, minute + 2))
        minute += 3
    with acting_as(ws, PRODUCT_MANAGER):
        poker_rounds.accept(
            ws,
            session_id,
            poker_item.card,
            float(poker_item.card),
            poker_item.rationale,
            at=stamp(day, 14, minute),
        )
    return minute + 1


# --- risks -----------------------------------------------------------------------------


def _raise_risks(state: DemoState) -> None:
    for raiser, raised_on, risk in _demo_risks(state):
        with acting_as(state.ws, raiser):
            raise_risk(state.ws, risk, at=stamp(raised_on, 11))


def _demo_risks(state: DemoState) -> list[tuple[str, date, NewRisk]]:
    """(who raised it, when, the risk) for each demo risk."""
    timeline = state.timeline
    return [
        (
            "raj",
            timeline.estimation_day,
            NewRisk(
                title="OAuth login widens the security surface",
                description="Token handling, account linking and provider outages are all new to us.",
                category=RiskCategory.SECURITY,
                likelihood=3,
                impact=5,
                owner="raj",
                mitigation="Threat-model the flow, use PKCE and short-lived tokens, security review first.",
                follow_up=timeline.days_from_today(3),
                item_key=state.key("social_login"),
            ),
        ),
        (
            "maya",
            timeline.estimation_day,
            NewRisk(
                title="Social login could take three sprints and delay the performance work",
                category=RiskCategory.SCOPE,
                likelihood=3,
                impact=4,
                owner="maya",
                mitigation="Minimum viable version: Google only, behind a flag; Apple later.",
                follow_up=timeline.current_end,
                item_key=state.key("social_login"),
            ),
        ),
        (
            "sam",
            timeline.days_from_today(-2),
            NewRisk(
                title="Fraud-check API rate limits we did not account for",
                description="The provider allows 100 requests a minute; last Friday's peak reached 140.",
                category=RiskCategory.DEPENDENCY,
                likelihood=4,
                impact=4,
                owner="sam",
                mitigation="Cap at 100 checks a minute and queue the rest; ask the vendor for a higher tier.",
                follow_up=timeline.days_from_today(-1),
                item_key=state.key("rate_limit"),
                sprint_name=CURRENT_SPRINT,
            ),
        ),
        (
            "ines",
            timeline.days_from_today(-3),
            NewRisk(
                title="A 3 s mobile load time may eat the conversion gain",
                category=RiskCategory.TECHNICAL,
                likelihood=4,
                impact=3,
                owner="ines",
                mitigation="Lazy-load images and split the bundle this sprint; measure with RUM.",
                follow_up=timeline.days_from_today(5),
                item_key=state.key("mobile_load"),
            ),
        ),
        (
            "maya",
            timeline.current_start,
            NewRisk(
                title="Design capacity is thin in Sprint 14",
                description="Lena is at a conference for three days of the sprint.",
                category=RiskCategory.CAPACITY,
                likelihood=3,
                impact=3,
                owner="lena",
                sprint_name=CURRENT_SPRINT,
                status=RiskStatus.ACCEPTED,
                decision_note="Accepted: Lena pairs with Sam on the form changes before she leaves.",
            ),
        ),
        (
            "raj",
            timeline.previous_start,
            NewRisk(
                title="Payment SDK v3 reaches end of life",
                category=RiskCategory.TECH_DEBT,
                likelihood=2,
                impact=4,
                owner="raj",
                item_key=state.key("sdk_upgrade"),
                status=RiskStatus.MITIGATED,
                decision_note="Upgrade to v5 committed to Sprint 13.",
            ),
        ),
    ]
