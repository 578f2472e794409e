"""A settings file's bytes as text: UTF-8, checked the same way on every machine."""

from thruway.routes import SETTINGS_FILE, SettingsError


def decode(data, filename=SETTINGS_FILE):
    """The text of a settings file's bytes, or SettingsError naming the first line that is not
    UTF-8 (a file saved as Latin-1 or Windows-1252 by an old editor). The board and `thruway
    check` both read a file as bytes and give them to decode(), then load(): one answer."""
    try:
        text = data.decode("utf-8")
    except UnicodeError:  # CPython raises its subclass UnicodeDecodeError, the boards UnicodeError
        text = None
    # An all-ASCII file decodes to as many characters as it has bytes: nothing more to check.
    if text is not None and (len(text) == len(data) or _utf8(data)):
        return text
    line = 1
    for row in data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"):
        if not _utf8(row):
            break
        line += 1
    raise SettingsError(["%s:%d: this line is not UTF-8 text: save the file as plain text (UTF-8)" % (filename, line)])


# The bytes that may follow each lead byte of well-formed UTF-8 (The Unicode Standard, table 3-7):
# lead byte range, how many follow, range of the first one. The boards' decode() lets overlong
# forms, surrogates and numbers past U+10FFFF through, where CPython refuses them, so the file's
# bytes are checked here, to give one answer on every machine.
_UTF8_LEADS = (
    (0xC2, 0xDF, 1, 0x80, 0xBF),
    (0xE0, 0xE0, 2, 0xA0, 0xBF),
    (0xE1, 0xEC, 2, 0x80, 0xBF),
    (0xED, 0xED, 2, 0x80, 0x9F),
    (0xEE, 0xEF, 2, 0x80, 0xBF),
    (0xF0, 0xF0, 3, 0x90, 0xBF),
    (0xF1, 0xF3, 3, 0x80, 0xBF),
    (0xF4, 0xF4, 3, 0x80, 0x8F),
)


def _utf8(data):
    """Whether `data` is well-formed UTF-8."""
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        i += 1
        if b < 0x80:
            continue
        for lead_low, lead_high, follow, low, high in _UTF8_LEADS:
            if lead_low <= b <= lead_high:
                break
        else:
            return False
        if i + follow > n or not low <= data[i] <= high:
            return False
        for j in range(i + 1, i + follow):
            if not 0x80 <= data[j] <= 0xBF:
                return False
        i += follow
    return True
