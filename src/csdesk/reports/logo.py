"""The vendor's logo in the exports: a PNG as it is, an SVG drawn as vectors or as a PNG.

An SVG logo is checked with defusedxml first (no DTD, no entities, no external references,
a size limit), then turned into a reportlab drawing by svglib: the PDF draws it as vectors.
python-pptx takes only raster pictures, so the deck gets a PNG drawn from the same shapes with
matplotlib's Agg renderer (reportlab's own bitmap renderer needs cairo, which the desktop
bundle does not carry). Anything wrong with a logo is one :class:`LogoError` line.
"""

from __future__ import annotations

import functools
import io
import math
from typing import Any

__all__ = ["MAX_SVG_BYTES", "LogoError", "logo_png", "svg_drawing", "svg_png"]

MAX_SVG_BYTES = 1_000_000
"""The largest SVG logo read (a logo is a small mark, not an illustration)."""
_MAX_SHAPES = 20_000
_DPI = 100
_MOVE, _LINE, _CURVE, _CLOSE = 1, 2, 4, 79
"""matplotlib's path codes (``Path.MOVETO`` …), as plain ints."""
_DEPTH = 60


class LogoError(ValueError):
    """A logo that cannot be drawn; the message is one line that says why."""


def _checked_svg(data: bytes) -> None:
    """Refuse what is not a small, plain SVG document (raises :class:`LogoError`)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if len(data) > MAX_SVG_BYTES:
        raise LogoError(
            f"the SVG logo is {len(data) / 1_000_000:.1f} MB; at most "
            f"{MAX_SVG_BYTES // 1_000_000} MB is read"
        )
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise LogoError(
            "the SVG logo declares a DTD or entities (refused: they can read files or "
            "expand without end)"
        ) from None
    except (ParseError, ValueError):
        raise LogoError("the SVG logo is not well-formed XML") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise LogoError("the logo is an XML document but not an SVG image")
    if sum(1 for _ in root.iter()) > _MAX_SHAPES:
        raise LogoError(f"the SVG logo has more than {_MAX_SHAPES:,} elements")
    level: list[tuple[Any, int]] = [(root, 1)]
    while level:  # iteratively: a hostile nesting must not exhaust the stack here either
        node, depth = level.pop()
        if depth > _DEPTH:
            raise LogoError(f"the SVG logo nests more than {_DEPTH} levels deep")
        level.extend((child, depth + 1) for child in node)


@functools.lru_cache(maxsize=8)
def svg_drawing(data: bytes) -> Any:
    """The SVG logo as a reportlab ``Drawing`` (vectors), sized as the SVG says.

    Raises:
        LogoError: The SVG is refused or draws nothing.
    """
    _checked_svg(data)
    import logging

    from svglib.svglib import svg2rlg

    quiet = logging.getLogger("svglib.svglib")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # svglib logs each unsupported feature it skips
    try:
        drawing = svg2rlg(io.BytesIO(data), resolve_entities=False)
    except (RecursionError, MemoryError):
        raise LogoError("the SVG logo nests too deeply to draw") from None
    except Exception as exc:  # svglib raises many kinds for SVGs it cannot read
        raise LogoError(f"the SVG logo cannot be drawn ({type(exc).__name__})") from None
    finally:
        quiet.setLevel(level)
    if drawing is None:
        raise LogoError("the SVG logo cannot be drawn")
    width, height = float(drawing.width or 0), float(drawing.height or 0)
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        raise LogoError("the SVG logo has no width or height")
    return drawing


def _rgba(colour: Any, opacity: Any) -> tuple[float, float, float, float] | None:
    if colour is None:
        return None
    try:
        alpha = float(getattr(colour, "alpha", 1.0))
        if opacity is not None:
            alpha *= float(opacity)
        return (float(colour.red), float(colour.green), float(colour.blue), alpha)
    except (AttributeError, TypeError, ValueError):
        return None  # gradients and patterns: drawn as their outline only


def _path_codes(shape: Any) -> tuple[list[tuple[float, float]], list[int]]:
    """A reportlab path as matplotlib vertices and codes."""

    pts, ops = list(shape.points), list(shape.operators)
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    at, start = 0, (0.0, 0.0)
    for op in ops:
        if op == 0:  # move to
            start = (pts[at], pts[at + 1])
            vertices.append(start)
            codes.append(_MOVE)
            at += 2
        elif op == 1:  # line to
            vertices.append((pts[at], pts[at + 1]))
            codes.append(_LINE)
            at += 2
        elif op == 2:  # cubic curve to
            vertices += [(pts[at + i], pts[at + i + 1]) for i in (0, 2, 4)]
            codes += [_CURVE] * 3
            at += 6
        elif op == 3:  # close
            vertices.append(start)
            codes.append(_CLOSE)
    return vertices, codes


def _rect(shape: Any) -> tuple[list[tuple[float, float]], list[int], bool]:
    """A rectangle's outline, its corners rounded by cubic arcs where ``rx``/``ry`` say so."""

    x, y, w, h = float(shape.x), float(shape.y), float(shape.width), float(shape.height)
    rx = min(float(getattr(shape, "rx", 0) or 0), w / 2)
    ry = min(float(getattr(shape, "ry", 0) or rx), h / 2)
    if rx <= 0 or ry <= 0:
        box = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
        return box, [_MOVE] + [_LINE] * 3 + [_CLOSE], True
    k = 0.5523  # a quarter circle's control-point distance
    kx, ky = rx * k, ry * k
    right, top = x + w, y + h
    vertices = [
        (x + rx, y),
        (right - rx, y),
        (right - rx + kx, y),
        (right, y + ry - ky),
        (right, y + ry),
        (right, top - ry),
        (right, top - ry + ky),
        (right - rx + kx, top),
        (right - rx, top),
        (x + rx, top),
        (x + rx - kx, top),
        (x, top - ry + ky),
        (x, top - ry),
        (x, y + ry),
        (x, y + ry - ky),
        (x + rx - kx, y),
        (x + rx, y),
        (x + rx, y),
    ]
    curve = [_CURVE] * 3
    codes = [_MOVE, _LINE, *curve, _LINE, *curve, _LINE, *curve]
    codes += [_LINE, *curve, _CLOSE]
    return vertices, codes, True


def _points_per_unit(transform: Any) -> float:
    """How many of the figure's points one drawing unit spans under ``transform``."""
    a, b, c, d = (float(v) for v in transform.get_matrix()[:2, :2].ravel())
    return math.sqrt(abs(a * d - b * c)) * 72 / _DPI


def _outline(shape: Any) -> tuple[list[tuple[float, float]], list[int], bool] | None:
    """The vertices, codes and closedness of a drawable reportlab shape."""
    from matplotlib.path import Path as MPath
    from reportlab.graphics import shapes as rl

    if isinstance(shape, rl.Path):
        vertices, codes = _path_codes(shape)
        return vertices, codes, True
    if isinstance(shape, rl.Rect):
        return _rect(shape)
    if isinstance(shape, rl.Circle | rl.Ellipse):
        cx, cy = float(shape.cx), float(shape.cy)
        rx = float(shape.r) if isinstance(shape, rl.Circle) else float(shape.rx)
        ry = float(shape.r) if isinstance(shape, rl.Circle) else float(shape.ry)
        circle: Any = MPath.unit_circle()
        ring = [(cx + rx * vx, cy + ry * vy) for vx, vy in circle.vertices.tolist()]
        return ring, [int(code) for code in circle.codes.tolist()], True
    if isinstance(shape, rl.Line):
        line = [(float(shape.x1), float(shape.y1)), (float(shape.x2), float(shape.y2))]
        return line, [_MOVE, _LINE], False
    if isinstance(shape, rl.PolyLine | rl.Polygon):
        pts = list(shape.points)
        ring = [(pts[i], pts[i + 1]) for i in range(0, len(pts) - 1, 2)]
        if not ring:
            return None
        closed = isinstance(shape, rl.Polygon)
        codes = [_MOVE] + [_LINE] * (len(ring) - 1)
        if closed:
            ring.append(ring[0])
            codes.append(_CLOSE)
        return ring, codes, closed
    return None


def _draw(ax: Any, node: Any, transform: Any, depth: int) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath
    from matplotlib.transforms import Affine2D
    from reportlab.graphics import shapes as rl

    if depth > _DEPTH:
        raise LogoError("the SVG logo nests too deeply to draw")
    if isinstance(node, rl.Group):
        a, b, c, d, e, f = (float(v) for v in getattr(node, "transform", (1, 0, 0, 1, 0, 0)))
        inner = Affine2D.from_values(a, b, c, d, e, f) + transform
        for child in node.contents:
            _draw(ax, child, inner, depth + 1)
        return
    if isinstance(node, rl.String):
        fill = _rgba(node.fillColor, getattr(node, "fillOpacity", None))
        anchor = {"start": "left", "middle": "center", "end": "right"}.get(
            str(getattr(node, "textAnchor", "start")), "left"
        )
        ax.text(
            float(node.x),
            float(node.y),
            str(node.text),
            fontsize=float(node.fontSize) * _points_per_unit(transform),
            fontweight="bold" if "Bold" in str(getattr(node, "fontName", "")) else "normal",
            color=fill or (0, 0, 0, 1),
            ha=anchor,
            va="baseline",
            transform=transform,
        )
        return
    outline = _outline(node)
    if outline is None or getattr(node, "isClipPath", False):
        return
    vertices, codes, closed = outline
    if not vertices:
        return
    fill = _rgba(getattr(node, "fillColor", None), getattr(node, "fillOpacity", None))
    stroke = _rgba(getattr(node, "strokeColor", None), getattr(node, "strokeOpacity", None))
    width = float(getattr(node, "strokeWidth", 1) or 0)
    ax.add_patch(
        PathPatch(
            MPath(vertices, codes),
            facecolor=fill if (closed and fill) else "none",
            edgecolor=stroke if (stroke and width > 0) else "none",
            linewidth=width * _points_per_unit(transform) if stroke else 0,
            transform=transform,
        )
    )


@functools.lru_cache(maxsize=8)
def svg_png(data: bytes, height_px: int = 240) -> bytes:
    """The SVG logo drawn as a PNG ``height_px`` tall with a transparent background.

    Raises:
        LogoError: The SVG is refused or draws nothing.
    """
    drawing = svg_drawing(data)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.transforms import Affine2D

    width, height = float(drawing.width), float(drawing.height)
    scale = height_px / height
    width_px = max(1, min(4000, round(width * scale)))
    dpi = _DPI
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.patch.set_alpha(0)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width_px)
    ax.set_ylim(0, height_px)

    # Drawing units (points, y up) to pixels; the axes are laid over the whole figure.
    to_pixels = Affine2D().scale(scale) + ax.transData
    try:
        _draw(ax, drawing, to_pixels, 0)
    except LogoError:
        raise
    except Exception as exc:  # an unusual shape svglib made: refuse the logo, not the export
        raise LogoError(f"the SVG logo cannot be drawn ({type(exc).__name__})") from None
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, transparent=True)
    return buffer.getvalue()


def logo_png(logo: bytes | None, kind: str | None) -> bytes | None:
    """The logo as PNG bytes for a picture (the deck): a PNG as it is, an SVG drawn.

    Raises:
        LogoError: An SVG logo that cannot be drawn.
    """
    if not logo:
        return None
    if kind == "svg":
        return svg_png(logo)
    return logo if kind == "png" else None
