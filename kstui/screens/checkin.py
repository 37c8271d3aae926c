"""每日签到: this month as a calendar (Monday first, days checked in marked, today
highlighted), the streak, the week of rewards with the next one highlighted, and 签到."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static

from kstui.screens.place import PlaceScreen
from kstui.services.errors import DomainError
from kstui.services.ordering import checkin
from kstui.services.ordering.checkin import WEEK, CheckedIn, CheckinCalendar
from kstui.store.errors import StoreError
from kstui.widgets.coupon_text import coupon_label
from kstui.widgets.key_bar import KeyBar

CHECKED_MARK = "✓"


class CheckinScreen(PlaceScreen[None]):
    """The daily check-in of the logged-in shopper."""

    CSS_PATH = "checkin.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "check_in", "ordering.key.check_in", id="check-in"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.calendar: CheckinCalendar | None = None
        """The month, streak and rewards as last loaded (None until then)."""
        self._checking_in = False

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(t("ordering.checkin.title"), id="checkin-title", markup=False)
        with Horizontal(id="checkin-body"):
            with Vertical(id="calendar-box"):
                yield Grid(id="calendar")
            with Vertical(id="checkin-side"):
                yield Static("", id="streak")
                yield Static("", id="next-reward")
                yield Button(
                    t("ordering.checkin.button"), id="check-in", variant="primary", disabled=True
                )
                yield Static(t("ordering.checkin.legend"), id="checkin-legend", markup=False)
        yield Static(t("ordering.checkin.rewards", days=WEEK), id="rewards-title", markup=False)
        yield Horizontal(id="reward-track")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    def load(self) -> None:
        """Read this month's check-ins again and show them."""
        store, token, clock = self.shop.store, self.token, self.shop.clock
        self.run_call(
            lambda: checkin.checkin_calendar(store, token, clock=clock),
            self._show,
            group="calendar",
        )

    # -- what is shown ---------------------------------------------------------------------

    async def _show(self, calendar: CheckinCalendar) -> None:
        self.calendar = calendar
        t = self.t
        today = calendar.today
        months = t("ordering.checkin.month_names").split()
        box = self.query_one("#calendar-box")
        box.border_title = t(
            "ordering.checkin.month", year=today.year, month=months[today.month - 1]
        )
        grid = self.query_one("#calendar", Grid)
        await grid.remove_children()
        await grid.mount_all(self._calendar_cells(calendar))

        if calendar.streak:
            streak = t("ordering.checkin.streak", days=calendar.streak)
        else:
            streak = t("ordering.checkin.no_streak")
        self.query_one("#streak", Static).update(Content(streak))
        rewards = {reward.day: reward for reward in calendar.rewards}
        upcoming = rewards.get(calendar.next_day)
        key = (
            "ordering.checkin.tomorrow_reward"
            if calendar.checked_today
            else "ordering.checkin.today_reward"
        )
        self.query_one("#next-reward", Static).update(
            Content(t(key, coupon=coupon_label(t, upcoming.terms)) if upcoming else "")
        )
        button = self.query_one("#check-in", Button)
        button.label = Content(
            t(
                "ordering.checkin.done_today"
                if calendar.checked_today
                else "ordering.checkin.button"
            )
        )
        button.disabled = calendar.checked_today or self._checking_in
        button.variant = "default" if calendar.checked_today else "primary"
        if not button.disabled and self.focused is None:
            button.focus()

        track = self.query_one("#reward-track", Horizontal)
        await track.remove_children()
        await track.mount_all(self._reward_boxes(calendar))

    def _calendar_cells(self, calendar: CheckinCalendar) -> list[Widget]:
        cells: list[Widget] = [
            Static(Content(f" {name} "), classes="weekday")
            for name in self.t("ordering.checkin.weekdays").split()
        ]
        for week in calendar.weeks:
            for day in week:
                if day == 0:
                    cells.append(Static("", classes="day blank"))
                    continue
                checked = day in calendar.checked_days
                classes = ["day"]
                if checked:
                    classes.append("checked")
                if day == calendar.today.day:
                    classes.append("today")
                mark = CHECKED_MARK if checked else " "
                cells.append(
                    Static(Content(f" {day:>2}{mark}"), classes=" ".join(classes), id=f"day-{day}")
                )
        return cells

    def _reward_boxes(self, calendar: CheckinCalendar) -> list[Widget]:
        """Day 1…7 of the cycle: those won in this cycle ticked, the next one highlighted."""
        t = self.t
        done = calendar.streak % WEEK
        if calendar.checked_today and done == 0:  # today finished a cycle: all won
            done = WEEK
        rewards = {reward.day: reward for reward in calendar.rewards}
        boxes: list[Widget] = []
        for day in range(1, WEEK + 1):
            reward = rewards.get(day)
            box = Static(
                Content(coupon_label(t, reward.terms) if reward else "—"),
                classes="reward",
                id=f"reward-{day}",
            )
            box.border_title = t("ordering.checkin.day", day=day)
            if day <= done:
                box.add_class("won")
                box.border_subtitle = CHECKED_MARK
            elif day == done + 1:
                box.add_class("next")
                box.border_subtitle = t(
                    "ordering.checkin.reward_tomorrow"
                    if calendar.checked_today
                    else "ordering.checkin.reward_today"
                )
            boxes.append(box)
        return boxes

    # -- checking in -----------------------------------------------------------------------

    @on(Button.Pressed, "#check-in")
    def action_check_in(self) -> None:
        """签到 for today (the store refuses a second time)."""
        if self._checking_in:
            return
        self._checking_in = True
        self.query_one("#check-in", Button).disabled = True
        store, token, clock = self.shop.store, self.token, self.shop.clock

        def failed(_error: DomainError | StoreError) -> bool:
            self._checking_in = False
            self.load()  # 今日已签到, if it was that
            return False  # and the error as a notification

        self.run_call(
            lambda: checkin.check_in(store, token, clock=clock),
            self._checked_in,
            group="check-in",
            on_error=failed,
        )

    def _checked_in(self, result: CheckedIn) -> None:
        t = self.t
        self._checking_in = False
        if result.coupon is not None:
            text = t(
                "ordering.checkin.success",
                days=result.streak,
                coupon=coupon_label(t, result.coupon.terms),
            )
        else:  # no reward that day (or the rewards ran out)
            text = t("ordering.checkin.success_plain", days=result.streak)
        self.notify(text, markup=False)
        self.load()
