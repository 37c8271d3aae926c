"""Keep wide (CJK) characters whole where an overlay lies over other widgets.

Textual issue #6357 (open upstream): the compositor cuts every screen line at the left and
right edges of *all* visible widgets on that line, renders each widget, divides the
widget's line at those cuts and gives every piece ("chop") to the front-most widget that
covers it. `Strip.divide` cannot split a double-width character, so a character that
straddles a cut becomes two spaces. A cut belonging to a widget *underneath* a toast, a
modal dialog or a tooltip therefore punches holes in the overlay's own text, even though
the overlay wins the chops on both sides of the cut: a toast "已退出登录" shows as
"已  出登录".

`apply()` replaces two methods of `textual._compositor.Compositor`:

* `_render_chops`: for each line of a widget, consecutive chops that the widget wins (those
  still unclaimed, as painting goes from front to back) are merged into one strip placed at
  the first cut of the run; the other cuts of the run get an empty `Strip([], 0)` so lower
  widgets cannot claim them. The line is divided only at the edges of such runs, i.e.
  where another widget really is in front. A partial update renders only the widgets that
  overlap its crop region; runs never extend under the others (what this widget "wins"
  there may be hidden by them), so every merged chop is what the screen shows.
* `render_partial_update`: `ChopsUpdate` crops each chop at its end, which Textual takes to
  be the next cut. A merged chop ends further right, so the end given to `ChopsUpdate` is
  the real one, `x + strip.cell_length`. `ChopsUpdate.render_segments` also crops a chop at
  the right end of the dirty span; a span ending inside a merged chop (a widget under a
  toast refreshed) would cut the toast's characters again, so such a span is widened to the
  end of the chop.

Full updates (`render_full_update`, used by screenshots too) and `render_strips` join the
chops of a line in order; the empty strips add nothing, so they need no change.

The patch is written against textual 8.2.8 (pinned exactly). `apply()` does nothing
unless the installed Textual is that version; a test checks that the source of the replaced
methods and of `ChopsUpdate` is exactly what the patch was written for (`source_matches()`,
too slow to run at every start: reading the source costs ~30 ms); `is_applied()` tells
whether it took effect. After upgrading Textual, check whether #6357 is fixed upstream; if not,
re-read `_render_chops`, `render_partial_update` and `ChopsUpdate`, port this patch and
update the version and the hash.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import textual
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

__all__ = ["PATCHED_TEXTUAL_VERSION", "apply", "is_applied", "is_supported", "source_matches"]

PATCHED_TEXTUAL_VERSION = "8.2.8"
"""The only Textual version `apply()` patches."""

_SOURCE_SHA256 = "6b21a069a99aed598e3789471aa575768a4c975641746f43155a03043a98dffb"
"""SHA-256 of the sources of the replaced methods and of `ChopsUpdate` in that version."""

_ORIGINAL_RENDER_CHOPS = Compositor._render_chops
_ORIGINAL_RENDER_PARTIAL_UPDATE = Compositor.render_partial_update

_EMPTY = Strip([], 0)
"""Fills the cuts of a merged run after the first one."""


def source_matches() -> bool:
    """Whether Textual's code is exactly what the patch was written for (tests check it)."""
    return _source_sha256() == _SOURCE_SHA256


def _source_sha256() -> str | None:
    """The fingerprint of the Textual code the patch depends on, or `None` without source."""
    digest = hashlib.sha256()
    try:
        for obj in (_ORIGINAL_RENDER_CHOPS, _ORIGINAL_RENDER_PARTIAL_UPDATE, ChopsUpdate):
            digest.update(inspect.getsource(obj).encode())
    except (OSError, TypeError):
        return None
    return digest.hexdigest()


def is_supported() -> bool:
    """Whether the installed Textual is the version this patch was written for.

    Looks for the installed distribution's metadata directory: one `stat`, where
    `textual.__version__` would load `importlib.metadata` (~18 ms at every start).
    """
    site = Path(textual.__file__).parent.parent
    return (site / f"textual-{PATCHED_TEXTUAL_VERSION}.dist-info").is_dir()


def is_applied() -> bool:
    """Whether the compositor currently uses the patched methods."""
    return (
        Compositor._render_chops is _render_chops
        and Compositor.render_partial_update is _render_partial_update
    )


def apply() -> None:
    """Patch Textual's compositor so overlays keep their wide characters whole.

    Idempotent. Does nothing (the bug stays) if the installed Textual is not
    `PATCHED_TEXTUAL_VERSION`.
    """
    if is_applied() or not is_supported():
        return
    # mypy: assigning to a method is deliberate here.
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
    Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]


_TAKEN, _WON, _ALONE = range(3)
"""How a bucket (the cells between two cuts) of a widget's line is grouped."""


def _unrendered_spans(compositor: Compositor, crop: Region) -> dict[int, list[tuple[int, int]]]:
    """Where, on each line of `crop`, are visible widgets that `_get_renders(crop)` skips.

    A partial update renders only the widgets that overlap the crop region (the same test
    as in `Compositor._get_renders`). The others may lie in front of a rendered widget on
    the same lines, left or right of the crop; no run may extend under them.

    Returns:
        Line number to the `(x1, x2)` spans of skipped widgets on that line.
    """
    spans: dict[int, list[tuple[int, int]]] = {}
    if not crop:
        return spans  # `_get_renders` renders every widget
    crop_overlaps = crop.overlaps
    crop_y1, crop_y2 = crop.line_span
    for region, clip in compositor.visible_widgets.values():
        if crop_overlaps(clip):
            continue
        x, y, width, height = region.intersection(clip)
        if width and height:
            for line in range(max(y, crop_y1), min(y + height, crop_y2)):
                spans.setdefault(line, []).append((x, x + width))
    return spans


def _render_chops(
    self: Compositor,
    crop: Region,
    is_rendered_line: Callable[[int], bool],
) -> Sequence[Mapping[int, Strip]]:
    """`Compositor._render_chops` that divides a widget's line only where it loses a chop.

    Args:
        crop: Region to crop to.
        is_rendered_line: Callable to check if line should be rendered.

    Returns:
        Chops structure: per line, the cut offsets mapped to the strip starting there (an
        empty strip for cuts inside a merged chop; `None` on lines that were not rendered).
    """
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    hidden = _unrendered_spans(self, crop)

    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span

        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue

            chops_line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            hidden_line = hidden.get(y, ())

            # Group the buckets between the cuts into pieces: a run of buckets this widget
            # wins, a run of buckets a widget in front of it has already won, or a single
            # bucket under a widget that was not rendered (kept apart as in Textual: what
            # this widget "wins" there may not be what is on screen).
            piece_ends: list[int] = []
            piece_buckets: list[list[int]] = []
            previous_kind = _ALONE
            for start, end in zip(final_cuts, final_cuts[1:], strict=False):
                if chops_line[start] is not None:
                    kind = _TAKEN
                elif any(x1 <= start < x2 for x1, x2 in hidden_line):
                    kind = _ALONE
                else:
                    kind = _WON
                if kind == previous_kind and kind != _ALONE:
                    piece_ends[-1] = end
                    piece_buckets[-1].append(start)
                else:
                    piece_ends.append(end)
                    piece_buckets.append([start])
                previous_kind = kind

            pieces = strip.divide([end - render_x for end in piece_ends])
            for buckets, piece in zip(piece_buckets, pieces, strict=False):
                first = buckets[0]
                if chops_line[first] is not None:
                    continue
                chops_line[first] = piece
                for cut in buckets[1:]:
                    chops_line[cut] = _EMPTY

    # As in Textual: lines that were not rendered keep their `None` chops.
    return chops  # type: ignore[return-value]


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """`Compositor.render_partial_update` for merged chops.

    As in Textual, the dirty regions become spans and the chops of the lines they touch
    are rendered. Then, for the `ChopsUpdate`:

    * each chop ends at its real end, `x + strip.cell_length`, not at the next cut;
    * the empty strips that fill the cuts inside a merged chop become `None` (skipped);
    * a span that ends inside a chop is widened to the end of that chop, so the chop is
      never cropped in the middle of a wide character (say, the span of a widget under a
      toast that refreshed). What the wider span writes is right: that chop overlaps the
      crop, so every widget covering it was rendered, and it is either a single bucket (as
      in Textual) or a merged run, which by construction is what the screen shows.

    Returns:
        A ChopsUpdate if there is anything to update, otherwise `None`.
    """
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    # Create a crop region that surrounds all updates.
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    rendered_lines = {y for y, _, _ in spans}
    chops = self._render_chops(crop, rendered_lines.__contains__)
    # Dirty regions are clipped to the screen; should one not be, leave its lines as Textual
    # would (it would fail in `ChopsUpdate` all the same).
    on_screen = range(len(chops)).__contains__

    update_chops: list[Mapping[int, Strip | None]] = list(chops)
    chop_ends = [cut_set[1:] for cut_set in self.cuts]
    for y in filter(on_screen, rendered_lines):
        line = {
            x: strip if strip is not None and strip.cell_length else None
            for x, strip in chops[y].items()
        }
        update_chops[y] = line
        chop_ends[y] = [x if strip is None else x + strip.cell_length for x, strip in line.items()]

    update_spans: list[tuple[int, int, int]] = []
    for y, x1, span_end in spans:
        x2 = span_end
        for x, strip in update_chops[y].items() if on_screen(y) else ():
            if strip is not None and x < x2 < x + strip.cell_length:
                x2 = x + strip.cell_length
                break
        if update_spans and update_spans[-1][0] == y and x1 <= update_spans[-1][2]:
            _, previous_x1, previous_x2 = update_spans[-1]
            update_spans[-1] = (y, previous_x1, max(previous_x2, x2))
        else:
            update_spans.append((y, x1, x2))
    return ChopsUpdate(update_chops, update_spans, chop_ends)
