"""catalog/images.py: deterministic, well-formed, escaped SVG."""

from xml.etree import ElementTree

from catalog.images import PALETTES, palette_for, render_product_image

SVG = "{http://www.w3.org/2000/svg}"


def _render(**overrides) -> str:
    arguments = {
        "name": "Brass Table Lamp",
        "sku": "LMP-0001",
        "department_slug": "home",
        "department_name": "Home",
        "number": 1,
        "total": 3,
        **overrides,
    }
    return render_product_image(**arguments)


def test_same_inputs_same_bytes():
    assert _render() == _render()


def test_each_image_of_a_product_differs():
    assert len({_render(number=n) for n in (1, 2, 3)}) == 3


def test_well_formed_svg_showing_name_and_department():
    root = ElementTree.fromstring(_render())

    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 800 800"
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert texts[0] == "Brass Table Lamp"
    assert texts[-1] == "HOME · 1/3"


def test_department_colours():
    assert PALETTES["home"].background[0] in _render(department_slug="home")
    assert PALETTES["kitchen"].background[0] in _render(department_slug="kitchen")
    assert palette_for("unheard-of") == palette_for("unheard-of")


def test_names_are_escaped_not_injected():
    svg = _render(name='<script>alert("x")</script> & "quotes"')

    root = ElementTree.fromstring(svg)
    assert "<script" not in svg
    assert not list(root.iter(f"{SVG}script"))


def test_long_names_wrap_onto_two_lines_at_most():
    root = ElementTree.fromstring(
        _render(name="Extra Large Hand Thrown Speckled Stoneware Serving Platter With Handles")
    )

    name_lines = [element.text for element in root.iter(f"{SVG}text")][:-1]
    assert len(name_lines) == 2
    assert name_lines[-1].endswith("…")


def test_no_external_references():
    svg = _render()

    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "href" not in svg
