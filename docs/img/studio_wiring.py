"""The studio's wiring drawing (docs/img/studio-wiring.svg), made from the shipped thruway.toml: python docs/img/studio_wiring.py [--check]."""

import os
import sys

import schemdraw
import schemdraw.elements as elm
from schemdraw import flow

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SVG = os.path.join(HERE, "studio-wiring.svg")
SETTINGS = os.path.join(ROOT, "thruway.toml")
FONT = 12
PITCH = 1.6  # between sockets
DEVICE_W, DEVICE_H = 4.6, 1.1
GAP = 3.6  # cable length between a device and the box

schemdraw.use("svg")

# The sockets on the box: DIN inputs on the left, DIN outputs on the right, top to bottom;
# USB underneath.
INPUTS = (("in1", "DIN IN 1"), ("in2", "DIN IN 2"))
OUTPUTS = (("out1", "DIN OUT 1"), ("out2", "DIN OUT 2"), ("out3", "DIN OUT 3"), ("out4", "DIN OUT 4"))


def port_names(settings_path=SETTINGS):
    """{id: name} for the inputs and the outputs, as the settings file names them."""
    from thruway.midi import INPUT_IDS, OUTPUT_IDS
    from thruway.settings import load

    with open(settings_path, encoding="utf-8") as f:
        settings = load(f.read(), settings_path)
    return dict(zip(INPUT_IDS, settings.input_names)), dict(zip(OUTPUT_IDS, settings.output_names))


def drawing(settings_path=SETTINGS):
    """The SVG text: each device's MIDI OUT cabled to an input, each output to a device's
    MIDI IN, the computer on USB (MIDI both ways)."""
    inputs, outputs = port_names(settings_path)
    rows = len(OUTPUTS)
    pins = [elm.IcPin(name=label, side="left", slot="%d/%d" % (rows - i, rows), anchorname=pid) for i, (pid, label) in enumerate(INPUTS)]
    pins += [elm.IcPin(name=label, side="right", slot="%d/%d" % (rows - i, rows), anchorname=pid) for i, (pid, label) in enumerate(OUTPUTS)]
    pins.append(elm.IcPin(name="USB", side="bottom", anchorname="usb"))
    d = schemdraw.Drawing(show=False)
    d.config(fontsize=FONT, unit=2.0, margin=0.5)
    box = d.add(elm.Ic(pins=pins, size=(4.4, PITCH * (rows + 0.5)), pinspacing=PITCH, plblsize=FONT))
    top = getattr(box, INPUTS[0][0])
    d.add(elm.Label().at((top[0] + 2.2, top[1] + 2.1)).label("Thruway", fontsize=FONT + 4))
    for pid, _ in INPUTS:
        anchor = getattr(box, pid)
        d.add(elm.Arrow().at((anchor[0] - GAP, anchor[1])).right(GAP).label("MIDI cable", loc="top", fontsize=FONT - 2))
        d.add(flow.Box(w=DEVICE_W, h=DEVICE_H).anchor("E").at((anchor[0] - GAP, anchor[1])).label("%s\nMIDI OUT" % inputs[pid], fontsize=FONT))
    for pid, _ in OUTPUTS:
        anchor = getattr(box, pid)
        d.add(elm.Arrow().at(anchor).right(GAP).label("MIDI cable", loc="top", fontsize=FONT - 2))
        d.add(flow.Box(w=DEVICE_W, h=DEVICE_H).anchor("W").at((anchor[0] + GAP, anchor[1])).label("%s\nMIDI IN" % outputs[pid], fontsize=FONT))
    usb = box.usb
    d.add(elm.Arrow(double=True).at(usb).down(GAP * 0.6).label("USB cable: MIDI both ways", loc="bottom", fontsize=FONT - 2))
    name = inputs["usb"] if inputs["usb"] == outputs["usb"] else "%s / %s" % (inputs["usb"], outputs["usb"])
    d.add(flow.Box(w=DEVICE_W + 2.6, h=DEVICE_H).anchor("N").at((usb[0], usb[1] - GAP * 0.6)).label("%s\nsees the box as the MIDI port \"Thruway\"" % name, fontsize=FONT))
    svg = d.get_imagedata("svg")
    return svg.decode("utf-8") if isinstance(svg, bytes) else svg


def main(argv):
    svg = drawing()
    if "--check" in argv:
        with open(SVG, encoding="utf-8") as f:
            if f.read() != svg:
                print("%s is stale: run python docs/img/studio_wiring.py" % SVG)
                return 1
        return 0
    with open(SVG, "w", encoding="utf-8", newline="\n") as f:
        f.write(svg)
    print("wrote " + SVG)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
