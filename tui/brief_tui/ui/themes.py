"""brief-tui's themes: dark, light and monochrome. Entity and mark colours are theme
variables (see palette.DARK_VARIABLES for their names)."""

from __future__ import annotations

from textual.theme import Theme

from brief_tui.ui.palette import DARK_VARIABLES, LIGHT_VARIABLES

MONO = "brief-mono"

THEMES: tuple[Theme, ...] = (
    Theme(
        name="brief-dark",
        primary="#5fb3f2",
        secondary="#c792ea",
        accent="#f2b134",
        warning="#f2b134",
        error="#ff6b6b",
        success="#6fcf73",
        foreground="#e6e6e6",
        background="#15181c",
        surface="#1d2126",
        panel="#262b31",
        dark=True,
        variables=dict(DARK_VARIABLES),
    ),
    Theme(
        name="brief-light",
        primary="#0b5fa5",
        secondary="#7b3fa0",
        accent="#9a5b00",
        warning="#9a5b00",
        error="#c0001a",
        success="#1e7a24",
        foreground="#1b1b1b",
        background="#fbfbf8",
        surface="#f1f1ec",
        panel="#e4e4dc",
        dark=False,
        variables=dict(LIGHT_VARIABLES),
    ),
    Theme(
        name=MONO,
        primary="#ffffff",
        secondary="#c0c0c0",
        accent="#ffffff",
        warning="#ffffff",
        error="#ffffff",
        success="#ffffff",
        foreground="#ffffff",
        background="#000000",
        surface="#000000",
        panel="#202020",
        dark=True,
        # a list's selected row: white on the grey of a list without the focus (Textual's
        # default is white on white here), black on white with it
        variables={
            **DARK_VARIABLES,
            "block-cursor-blurred-background": "#444444",
            "block-cursor-blurred-foreground": "#ffffff",
            "block-cursor-background": "#ffffff",
            "block-cursor-foreground": "#000000",
        },
    ),
)

THEME_NAMES = tuple(t.name for t in THEMES)
