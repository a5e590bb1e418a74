"""Text placed inside CSS by the PDF templates (page headers of WeasyPrint's @page margin boxes)."""


def css_string(text: str) -> str:
    """`text` as the inside of a double-quoted CSS string (safe inside <style>, which is raw text)."""
    out = []
    for ch in text:
        if ch in '\\"<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)
