#!/usr/bin/python3
"""A Hexium device client in Python, written only from the documentation.

Sources (the only ones): docs/devices.md, docs/protocol.md, docs/api.md, docs/asyncapi.yaml and
docs/harness.md (example cells and distances). Needs Python 3 with paho-mqtt 1.6 and PyNaCl
(Debian: `apt-get install python3-paho-mqtt python3-nacl`, then run with /usr/bin/python3).

What it does (docs/devices.md §1–§5):
  1. makes (or takes) three ed25519 hotspot keys and onboards them with signed `POST /api/v1/hotspots`
     at three res-12 H3 cells;
  2. connects each over MQTT 3.1.1 (TCP `mqtt://`, or WebSocket `ws://host:port/mqtt`) with a fresh
     connect token on every (re)connect and a retained QoS 1 `OFFLINE` last will; publishes `ONLINE`;
  3. runs one PoC round per hotspot: it builds the Helium beacon from the latest entropy (SHA-256 seed,
     ChaCha12, 51 bytes), publishes the signed BeaconReport, the two others publish signed
     WitnessReports; then it finds the round's PocResult on `{prefix}/poc/{beaconer}/result` by
     recomputing `pocId` (or by `dataHex` when the result carries it), falling back to
     `GET /api/v1/rounds`;
  4. prints a JSON summary of the verdicts on stdout (logs go to stderr).

`--self-test` reproduces the worked examples of docs/protocol.md byte for byte and exits 1 on a mismatch.
"""

import argparse
import base64
import hashlib
import json
import math
import os
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

PROTOCOL_VERSION = 1  # docs/protocol.md: every message carries v = 1
BEACON_PAYLOAD_SIZE = 51  # docs/protocol.md BeaconReport.dataHex: 51 bytes
LOCAL_ENTROPY_SIZE = 4  # docs/protocol.md BeaconReport.localEntropyHex: 4 bytes

# Three res-12 cells in Amsterdam (EU868) from docs/harness.md "Worked example": the beaconer
# 8c1969c9b2743ff, a witness 1989 m north (8c1969c9865c7ff, res-11 grid distance 51) and one 3007 m east
# (u64 630950990108428799 = 0x8c19695241809ff, grid distance 72). All three pairs are more than 8 res-11
# cells apart and less than 100 km apart, so every witness passes the distance checks.
DEFAULT_CELLS = ['8c1969c9b2743ff', '8c1969c9865c7ff', '8c19695241809ff']


def log(*parts):
    print(time.strftime('%H:%M:%S'), *parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------
# Canonical JSON (RFC 8785 / JCS): keys sorted by UTF-16 code units, no whitespace, ECMAScript numbers.
# ---------------------------------------------------------------------------------------------------

def _js_number(x):
    """Number::toString of ECMAScript (RFC 8785 §3.2.2.3)."""
    if isinstance(x, bool):
        raise TypeError('bool is not a number')
    if isinstance(x, int):
        return str(x)
    if math.isnan(x) or math.isinf(x):
        raise ValueError('NaN and Infinity have no JSON form')
    if x == 0:
        return '0'
    if x < 0:
        return '-' + _js_number(-x)
    # Shortest round-trip digits (Python repr gives the same digits as ECMAScript), as k digits s and
    # exponent n with value = 0.s × 10^n, then ECMA-262 Number::toString's layout rules.
    mantissa, _, exp = repr(x).partition('e')
    int_part, _, frac_part = mantissa.partition('.')
    digits = (int_part + frac_part).lstrip('0')
    n = len(int_part.lstrip('0')) + (int(exp) if exp else 0)
    if not int_part.lstrip('0'):  # 0.000ddd
        n = -(len(frac_part) - len(frac_part.lstrip('0'))) + (int(exp) if exp else 0)
    digits = digits.rstrip('0') or '0'
    k = len(digits)
    if k <= n <= 21:
        return digits + '0' * (n - k)
    if 0 < n <= 21:
        return digits[:n] + '.' + digits[n:]
    if -6 < n <= 0:
        return '0.' + '0' * (-n) + digits
    e = n - 1
    sign = '+' if e >= 0 else '-'
    if k == 1:
        return digits + 'e' + sign + str(abs(e))
    return digits[0] + '.' + digits[1:] + 'e' + sign + str(abs(e))


_ESCAPES = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}


def _js_string(s):
    out = ['"']
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append('\\u%04x' % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


def _utf16_key(s):
    return s.encode('utf-16-be')


def canonical_json(value):
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, (int, float)):
        return _js_number(value)
    if isinstance(value, str):
        return _js_string(value)
    if isinstance(value, (list, tuple)):
        return '[' + ','.join(canonical_json(v) for v in value) + ']'
    if isinstance(value, dict):
        keys = sorted(value.keys(), key=_utf16_key)
        return '{' + ','.join(_js_string(k) + ':' + canonical_json(value[k]) for k in keys) + '}'
    raise TypeError('cannot serialise %r' % (value,))


# ---------------------------------------------------------------------------------------------------
# Keys, addresses and signatures (docs/devices.md §1, docs/protocol.md "Signing")
# ---------------------------------------------------------------------------------------------------

_B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'


def base58(data):
    n = int.from_bytes(data, 'big')
    out = ''
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return '1' * (len(data) - len(data.lstrip(b'\0'))) + out


def base58_decode(text):
    n = 0
    for ch in text:
        n = n * 58 + _B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, 'big') if n else b''
    return b'\0' * (len(text) - len(text.lstrip('1'))) + body


def base58check(payload):
    return base58(payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4])


def helium_address(public_key):
    """docs/devices.md §1: base58check([0x00 version, 0x01 mainnet ed25519, pubkey32])."""
    return base58check(bytes([0x00, 0x01]) + public_key)


def public_key_of_address(address):
    raw = base58_decode(address)
    body, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] != check or body[:2] != b'\x00\x01':
        raise ValueError('not a Helium ed25519 address: ' + address)
    return body[2:]


class Key:
    def __init__(self, seed):
        import nacl.signing
        self.seed = seed
        self.signing = nacl.signing.SigningKey(seed)
        self.public_key = bytes(self.signing.verify_key)
        self.address = helium_address(self.public_key)

    def sign_bytes(self, data):
        return base64.b64encode(self.signing.sign(data).signature).decode()

    def sign_message(self, message):
        """docs/protocol.md "Signing": base64 ed25519 over the canonical JSON without `signature`."""
        body = {k: v for k, v in message.items() if k != 'signature'}
        return dict(body, signature=self.sign_bytes(canonical_json(body).encode()))


def verify_message(message, address):
    import nacl.signing
    body = {k: v for k, v in message.items() if k != 'signature'}
    try:
        nacl.signing.VerifyKey(public_key_of_address(address)).verify(
            canonical_json(body).encode(), base64.b64decode(message['signature']))
        return True
    except Exception:  # noqa: BLE001 - any failure is "does not verify"
        return False


class TokenClock:
    """docs/protocol.md "Authentication": a fresh token per connection, its timestamp strictly newer."""

    def __init__(self, key):
        self.key = key
        self.last_ms = 0
        self.lock = threading.Lock()

    def token(self):
        with self.lock:
            self.last_ms = max(int(time.time() * 1000), self.last_ms + 1)
            ts = self.last_ms
        return '%d.%s' % (ts, self.key.sign_bytes(('hexium-connect:%s:%d' % (self.key.address, ts)).encode()))


# ---------------------------------------------------------------------------------------------------
# The beacon (docs/protocol.md BeaconReport; docs/devices.md §4 "The beacon")
# ---------------------------------------------------------------------------------------------------

def _rotl(v, c):
    return ((v << c) & 0xffffffff) | (v >> (32 - c))


def _quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xffffffff; s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xffffffff; s[b] = _rotl(s[b] ^ s[c], 7)


def chacha_block(key, counter, nonce, rounds=12):
    """The ChaCha block function (RFC 8439 §2.3) with `rounds` rounds: 16 little-endian u32 words.
    State: "expand 32-byte k", the 8 key words, a 64-bit block counter (words 12-13) and a 64-bit
    stream id (words 14-15), as in rand_chacha 0.3 which Helium's beacon uses."""
    const = struct.unpack('<4I', b'expand 32-byte k')
    init = list(const) + list(struct.unpack('<8I', key)) + [counter & 0xffffffff, counter >> 32,
                                                         nonce & 0xffffffff, nonce >> 32]
    return _chacha_block_state(init, rounds)


def chacha12_words(key, count):
    words, block = [], 0
    while len(words) < count:
        words += chacha_block(key, block, 0, 12)
        block += 1
    return words[:count]


def beacon_seed(remote_entropy, remote_timestamp_s, local_entropy):
    """SHA-256(remote ‖ i64_le(remote ts) ‖ local ‖ i64_le(0)) (docs/protocol.md BeaconReport.dataHex)."""
    return hashlib.sha256(remote_entropy + struct.pack('<q', remote_timestamp_s) + local_entropy
                          + struct.pack('<q', 0)).digest()


def beacon_payload(remote_entropy, remote_timestamp_s, local_entropy):
    """Low byte of each of the first 51 ChaCha12 words of the seed."""
    seed = beacon_seed(remote_entropy, remote_timestamp_s, local_entropy)
    return bytes(w & 0xff for w in chacha12_words(seed, BEACON_PAYLOAD_SIZE))


def beacon_radio(payload, channels, gain_dbi):
    """Frequency, data rate and conducted power of a beacon (docs/devices.md §4, docs/protocol.md).
    `channels` is the region's list from `GET /api/v1/params` → `regions.<region>`."""
    ch = channels[struct.unpack('<H', payload[0:2])[0] % len(channels)]
    first = channels[0]
    sf = next(s['sf'] for s in first['spreading'] if s['maxPacketSize'] >= BEACON_PAYLOAD_SIZE)
    data_rate = 'SF%dBW%d' % (sf, first['bandwidthHz'] // 1000)
    max_eirp = max(c['maxEirpDbm'] for c in channels)
    return ch['channelFrequencyHz'], data_rate, math.trunc(max_eirp - gain_dbi)


def poc_id(data, received_at_ms, public_key):
    """docs/protocol.md PocResult.pocId: SHA-256(beacon data ‖ u64_be(receivedAtMs) ‖ beaconer public key)."""
    return hashlib.sha256(data + struct.pack('>Q', received_at_ms) + public_key).hexdigest()


def tmst_now():
    return int(time.monotonic() * 1e6) & 0xffffffff  # a concentrator-like µs counter (uint32, wraps)


# ---------------------------------------------------------------------------------------------------
# --self-test: every worked example of docs/protocol.md
# ---------------------------------------------------------------------------------------------------

# docs/protocol.md "Messages": the examples are signed by the keys of seeds 0x01…01 (hotspot 13zk…u2j),
# 0x02…02 (witness) and 0x03…03 (oracle). Copied verbatim from that file.
DOC_EXAMPLES = {
    'BeaconReport': ('01', {
        'v': 1, 'hotspot': '13zkrtJaTur9oZhCWgJFs9nWZBpP91oKoJm718SycV3EPLUEu2j', 'localEntropyHex': '01020304',
        'remoteEntropyHex': '5f' * 32,
        'dataHex': '4309bce213526abb111e65fa90437da1c32ae275ba9ea92d5db722ecf54d05f0fdd9296068e01540972bb69409ecc167384864',
        'frequencyHz': 867700000, 'channel': 0, 'dataRate': 'SF12BW125', 'txPowerDbm': 14, 'tmst': 3512348611,
        'timestampMs': 1764000012345,
        'signature': 'Pwq6zCGZc/xzhVZfVC/53gnUAuNFIYIf9zRSceFT5mFV7fYnsELeA6wJffFN3YvydnPDwO8l4CCQlZps1U96CA=='}),
    'WitnessReport': ('02', {
        'v': 1, 'hotspot': '13vf3Sk1MmJPfuEVzPNvuAWYmtAk1KPpfEL6jdppp4BrXUfSpfe',
        'dataHex': '4309bce213526abb111e65fa90437da1c32ae275ba9ea92d5db722ecf54d05f0fdd9296068e01540972bb69409ecc167384864',
        'rssiDbm': -112.5, 'snrDb': -6.2, 'frequencyHz': 867700000, 'dataRate': 'SF12BW125', 'tmst': 88123456,
        'timestampMs': 1764000014800,
        'signature': 'x0KiDY6VH8RbfL0DDrC0VjnhlupYxLV0UZCCA8gvHYcrwm+CEiWMXVQMV7bmXaXcK14XDrIOESq/OkL5NxqiBQ=='}),
    'UplinkFrame': ('02', {
        'v': 1, 'hotspot': '13vf3Sk1MmJPfuEVzPNvuAWYmtAk1KPpfEL6jdppp4BrXUfSpfe', 'phyPayload': 'QPF9vkkAAgABlUN4disR/w0=',
        'txInfo': {'frequency': 868100000, 'modulation': {'lora': {'bandwidth': 125000, 'spreadingFactor': 7,
                                                                   'codeRate': 'CR_4_5'}}},
        'rxInfo': {'gatewayId': '13vf3Sk1MmJPfuEVzPNvuAWYmtAk1KPpfEL6jdppp4BrXUfSpfe', 'uplinkId': 4021,
                   'gwTime': '2025-11-24T16:00:14.800Z', 'rssi': -97, 'snr': 7.5, 'channel': 0, 'rfChain': 0,
                   'context': 'AAAAAA==', 'crcStatus': 'CRC_OK', 'location': {'latitude': 52.52, 'longitude': 13.405}},
        'signature': 'CFqUbNQ+kNxIR5RCcaqShE3+yPqmF4TOYdG/oLE5KwcAZcTzX7tq5DNoA9DBbrSSjIcS73Ucqt59ZmoB5cddDg=='}),
    'DownlinkTxAck': ('02', {
        'v': 1, 'gatewayId': '13vf3Sk1MmJPfuEVzPNvuAWYmtAk1KPpfEL6jdppp4BrXUfSpfe', 'downlinkId': 77,
        'items': [{'status': 'OK'}],
        'signature': 'zOu4tJ84kdIGrfivcVPU4UmZvwbwFE5NX3p5YfhhhDkDWOwu/mvoUaANflI3y3sM+Xr7GIF+/3rLmyYMynkHCg=='}),
    'HotspotStats': ('01', {
        'v': 1, 'hotspot': '13zkrtJaTur9oZhCWgJFs9nWZBpP91oKoJm718SycV3EPLUEu2j', 'timeMs': 1764000060000,
        'rxPacketsReceived': 12, 'rxPacketsReceivedOk': 11, 'txPacketsReceived': 2, 'txPacketsEmitted': 2,
        'beaconsSent': 1, 'witnessesSent': 3, 'dutyCycleUsedPercent': 0.4,
        'signature': 'GJKxn7TN1cTdclIXoMoSYBbsm4v0eVt4mngxlvKBlI1tBvrjOytFgNM/pTv9HQVguS44W5f+rNflcJ8vCKynCQ=='}),
    'RewardManifest': ('03', {
        'v': 1, 'epoch': 20416, 'startS': 1763942400, 'endS': 1764028800, 'epochEmissionsBones': '205479452054',
        'hntPrice': 359000000, 'hntPriceDecimals': 8,
        'perShare': {'beacon': '12.5', 'witness': '3.25', 'dc': '0.00028'},
        'rewards': [{'hotspot': '13zkrtJaTur9oZhCWgJFs9nWZBpP91oKoJm718SycV3EPLUEu2j', 'beaconAmount': '1200',
                     'witnessAmount': '0', 'dcTransferAmount': '0'}],
        'operations': '14383561643', 'oracles': '14383561643', 'unallocatedPoc': '0', 'prevHash': None,
        'hash': '0c' * 32, 'oracle': '14kFKk5StG9nX5sQQz4VpyVNGvQkUyHfiS6WwbF8eVGfNqfPLcu',
        'signature': 'UJVgLrOj4q/UPdeI126+qGu/NwwmAMOdA3mLJ/seYm63Qc0DD8uNVYBYUSL1iGx/7gcu+ara8ZN7vScO2uJaDA=='}),
}

# docs/harness.md (worked example) and docs/api.md: EU868 is 8 channels from 867.1 MHz in 0.2 MHz steps
# (harness.md: "867.1 + 4 × 0.2 = 867.9 MHz"), SF12 carries 65 bytes, max EIRP 16.1 dBm.
EU868_FOR_SELF_TEST = [{'channelFrequencyHz': 867100000 + 200000 * i, 'bandwidthHz': 125000, 'maxEirpDbm': 16.1,
                        'spreading': [{'sf': 12, 'maxPacketSize': 65}, {'sf': 9, 'maxPacketSize': 129}]}
                       for i in range(8)]


def self_test():
    failures = []

    def check(what, got, want):
        ok = got == want
        print('%s %s' % ('ok  ' if ok else 'FAIL', what) + ('' if ok else ': got %r, want %r' % (got, want)))
        if not ok:
            failures.append(what)

    keys = {s: Key(bytes.fromhex(s * 32)) for s in ('01', '02', '03')}
    # Addresses (docs/protocol.md: seeds 0x01…01, 0x02…02, 0x03…03)
    check('address of seed 01', keys['01'].address, '13zkrtJaTur9oZhCWgJFs9nWZBpP91oKoJm718SycV3EPLUEu2j')
    check('address of seed 02', keys['02'].address, '13vf3Sk1MmJPfuEVzPNvuAWYmtAk1KPpfEL6jdppp4BrXUfSpfe')
    check('address of seed 03', keys['03'].address, '14kFKk5StG9nX5sQQz4VpyVNGvQkUyHfiS6WwbF8eVGfNqfPLcu')
    check('address round trip', public_key_of_address(keys['01'].address), keys['01'].public_key)

    # Canonical JSON (RFC 8785 Appendix B number examples and key order by UTF-16 code units)
    for num, text in [(0.0, '0'), (-0.0, '0'), (1e21, '1e+21'), (1e20, '100000000000000000000'),
                      (1e-7, '1e-7'), (0.000001, '0.000001'), (123.456, '123.456'), (-6.2, '-6.2'),
                      (5e-324, '5e-324'), (1.7976931348623157e308, '1.7976931348623157e+308'),
                      (333333333.3333333, '333333333.3333333'), (9007199254740994.0, '9007199254740994'),
                      (295147905179352830000.0, '295147905179352830000'), (4.5e-10, '4.5e-10'),
                      (0.1 + 0.2, '0.30000000000000004'), (7.0, '7')]:
        check('canonical number %r' % num, canonical_json(num), text)
    check('canonical key order', canonical_json({'b': 1, 'a': [True, None, 'é\n'], '\u20ac': 0, '\U0001f600': 1, 'A': {}}),
          '{"A":{},"a":[true,null,"é\\n"],"b":1,"\u20ac":0,"\U0001f600":1}')  # U+20AC < surrogate D83D

    # Signatures: re-sign every signed example of docs/protocol.md and compare byte for byte
    for name, (seed, example) in sorted(DOC_EXAMPLES.items()):
        signer = keys[seed]
        check('%s signature (re-signed)' % name, signer.sign_message(example)['signature'], example['signature'])
        check('%s signature verifies' % name, verify_message(example, signer.address), True)

    # The beacon of the BeaconReport example
    beacon = DOC_EXAMPLES['BeaconReport'][1]
    payload = beacon_payload(bytes.fromhex(beacon['remoteEntropyHex']), 1764000000,
                             bytes.fromhex(beacon['localEntropyHex']))
    check('beacon payload (ChaCha12)', payload.hex(), beacon['dataHex'])
    freq, data_rate, power = beacon_radio(payload, EU868_FOR_SELF_TEST, 1.2)
    check('beacon frequency', freq, beacon['frequencyHz'])
    check('beacon data rate', data_rate, beacon['dataRate'])
    check('beacon power trunc(16.1 - 1.2)', power, beacon['txPowerDbm'])
    # pocId of the PocResult example
    check('pocId', poc_id(payload, 1764000012400, keys['01'].public_key),
          '431b7ddbe379ea148b1f8ed1a4e59cc8d26fb78bca6f9cb528fa2fac8cbedc02')

    # The connect token's signed string (docs/protocol.md "Authentication")
    clock = TokenClock(keys['01'])
    token = clock.token()
    ts, sig = token.split('.', 1)
    import nacl.signing
    nacl.signing.VerifyKey(keys['01'].public_key).verify(
        ('hexium-connect:13zkrtJaTur9oZhCWgJFs9nWZBpP91oKoJm718SycV3EPLUEu2j:%s' % ts).encode(), base64.b64decode(sig))
    check('connect token: 88-character signature ending in ==', (len(sig), sig.endswith('==')), (88, True))
    check('connect tokens strictly newer', int(clock.token().split('.')[0]) > int(ts), True)

    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


def _chacha_block_state(init, rounds):
    s = list(init)
    for _ in range(rounds // 2):
        _quarter(s, 0, 4, 8, 12); _quarter(s, 1, 5, 9, 13); _quarter(s, 2, 6, 10, 14); _quarter(s, 3, 7, 11, 15)
        _quarter(s, 0, 5, 10, 15); _quarter(s, 1, 6, 11, 12); _quarter(s, 2, 7, 8, 13); _quarter(s, 3, 4, 9, 14)
    return [(x + y) & 0xffffffff for x, y in zip(s, init)]


# ---------------------------------------------------------------------------------------------------
# HTTP (docs/api.md)
# ---------------------------------------------------------------------------------------------------

class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__('HTTP %d %s' % (status, body))
        self.status, self.body = status, body


def http_json(method, url, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={'content-type': 'application/json'} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, json.loads(res.read() or b'null')
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw.decode(errors='replace')
        raise ApiError(e.code, parsed) from None


def onboarding_body(key, location, gain_dbi, elevation_m, region=None):
    """docs/api.md "Onboarding body", signed by the hotspot key (docs/devices.md §2)."""
    body = {'v': PROTOCOL_VERSION, 'address': key.address, 'location': location, 'gainDbi': gain_dbi,
            'elevationM': elevation_m, 'fullHotspot': True, 'timestampMs': int(time.time() * 1000)}
    if region:
        body['region'] = region
    return key.sign_message(body)


# ---------------------------------------------------------------------------------------------------
# MQTT (docs/protocol.md "Topics", "Authentication"; docs/devices.md §3–§4)
# ---------------------------------------------------------------------------------------------------

class Hotspot:
    def __init__(self, key, location, mqtt_url, prefix, gain_dbi, connect_timeout_s):
        self.key, self.location, self.prefix, self.gain_dbi = key, location, prefix, gain_dbi
        self.address = key.address
        self.tokens = TokenClock(key)
        self.cond = threading.Condition()
        self.entropy = None  # latest Entropy message
        self.entropy_seen = 0  # how many entropy messages arrived
        self.results = []  # PocResult messages heard
        self.challenges = []
        self.connected = False
        self.connects = 0
        self.connect_timeout_s = connect_timeout_s
        self._open(mqtt_url)

    def topic(self, *parts):
        return '/'.join((self.prefix,) + parts)

    def _open(self, mqtt_url):
        import paho.mqtt.client as mqtt
        url = urllib.parse.urlsplit(mqtt_url)
        websocket = url.scheme in ('ws', 'wss')
        # The client id must be the hotspot address: the broker binds it to the key (docs/protocol.md
        # "Authentication"); reconnecting with it replaces this hotspot's own old session.
        self.client = mqtt.Client(client_id=self.address,
                                  clean_session=True, protocol=mqtt.MQTTv311,
                                  transport='websockets' if websocket else 'tcp')
        if websocket:
            # docs/asyncapi.yaml `embeddedWebSocket` gives no path; /mqtt is the usual one (see report).
            self.client.ws_set_options(path=url.path or '/mqtt')
        if url.scheme in ('mqtts', 'wss'):
            self.client.tls_set()
        # The retained QoS 1 OFFLINE last will (docs/protocol.md HotspotState; no atMs in the will).
        self.client.will_set(self.topic('hotspot', self.address, 'state', 'conn'),
                             json.dumps({'v': PROTOCOL_VERSION, 'hotspot': self.address, 'state': 'OFFLINE'}),
                             qos=1, retain=True)
        self.client.username_pw_set(self.address, self.tokens.token())
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(1, 10)
        port = url.port or (1883 if url.scheme == 'mqtt' else 8883 if url.scheme == 'mqtts'
                            else 80 if url.scheme == 'ws' else 443)
        self.client.connect_async(url.hostname, port, keepalive=30)
        self.client.loop_start()

    def _on_connect(self, client, _userdata, _flags, rc):
        if rc != 0:
            log(self.address[:8], 'connection refused, CONNACK', rc)
            client.username_pw_set(self.address, self.tokens.token())
            return
        self.connects += 1
        client.publish(self.topic('hotspot', self.address, 'state', 'conn'),
                       json.dumps({'v': PROTOCOL_VERSION, 'hotspot': self.address, 'state': 'ONLINE',
                                   'atMs': int(time.time() * 1000)}), qos=1, retain=True)
        # What a hotspot may subscribe to (docs/protocol.md "Authorization").
        client.subscribe([(self.topic('entropy'), 1), (self.topic('hotspot', self.address, 'command', '+'), 1),
                          (self.topic('poc', '+', 'result'), 0)])
        with self.cond:
            self.connected = True
            self.cond.notify_all()

    def _on_disconnect(self, client, _userdata, rc):
        # A fresh token for the automatic reconnect: a reused one is refused as a replay.
        client.username_pw_set(self.address, self.tokens.token())
        with self.cond:
            self.connected = False
        if rc != 0:
            log(self.address[:8], 'disconnected (rc %d), reconnecting with a fresh token' % rc)

    def _on_message(self, _client, _userdata, msg):
        try:
            payload = json.loads(msg.payload)
        except ValueError:
            return
        with self.cond:
            if msg.topic == self.topic('entropy'):
                self.entropy = payload
                self.entropy_seen += 1
            elif msg.topic.startswith(self.topic('poc') + '/'):
                self.results.append(payload)
            elif msg.topic.endswith('/command/challenge'):
                self.challenges.append(payload)
            self.cond.notify_all()

    def wait_for(self, predicate, timeout_s, what):
        deadline = time.monotonic() + timeout_s
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError('%s: no %s within %d s' % (self.address[:8], what, timeout_s))
                self.cond.wait(min(left, 1.0))

    def publish_acked(self, suffix, message, timeout_s):
        """Publish QoS 1 and wait for the PUBACK (docs/protocol.md: acknowledged once durable)."""
        self.wait_puback(self.publish_event(suffix, message), suffix, timeout_s)

    def publish_event(self, suffix, message):
        return self.client.publish(self.topic('hotspot', self.address, 'event', suffix), json.dumps(message), qos=1)

    def wait_puback(self, info, suffix, timeout_s):
        deadline = time.monotonic() + timeout_s
        while not info.is_published():
            if time.monotonic() > deadline:
                raise TimeoutError('%s: no PUBACK for %s within %d s' % (self.address[:8], suffix, timeout_s))
            info.wait_for_publish(1.0)

    def close(self):
        # A clean DISCONNECT does not fire the will: publish OFFLINE ourselves first.
        try:
            self.client.publish(self.topic('hotspot', self.address, 'state', 'conn'),
                                json.dumps({'v': PROTOCOL_VERSION, 'hotspot': self.address, 'state': 'OFFLINE',
                                            'atMs': int(time.time() * 1000)}), qos=1, retain=True).wait_for_publish(5)
        except (RuntimeError, ValueError):
            pass
        self.client.disconnect()
        self.client.loop_stop()


def build_beacon_report(hotspot, entropy, channels):
    local = os.urandom(LOCAL_ENTROPY_SIZE)
    payload = beacon_payload(bytes.fromhex(entropy['dataHex']), entropy['timestampS'], local)
    freq, data_rate, power = beacon_radio(payload, channels, hotspot.gain_dbi)
    return hotspot.key.sign_message({
        'v': PROTOCOL_VERSION, 'hotspot': hotspot.address, 'localEntropyHex': local.hex(),
        'remoteEntropyHex': entropy['dataHex'], 'dataHex': payload.hex(), 'frequencyHz': freq,
        'channel': 0,  # Helium reports channel 0 (docs/protocol.md BeaconReport.channel)
        'dataRate': data_rate, 'txPowerDbm': power, 'tmst': tmst_now(), 'timestampMs': int(time.time() * 1000)})


def build_witness_report(hotspot, beacon, rssi_dbm, snr_db):
    return hotspot.key.sign_message({
        'v': PROTOCOL_VERSION, 'hotspot': hotspot.address, 'dataHex': beacon['dataHex'], 'rssiDbm': rssi_dbm,
        'snrDb': snr_db, 'frequencyHz': beacon['frequencyHz'], 'dataRate': beacon['dataRate'], 'tmst': tmst_now(),
        'timestampMs': int(time.time() * 1000)})


def is_our_round(result, beacon, beaconer_key):
    """Match a PocResult to our beacon: by `dataHex` when the result carries it, else by recomputing the
    documented pocId from our payload, the result's receivedAtMs and our public key."""
    if result.get('beaconer') != beaconer_key.address:
        return False
    if 'dataHex' in result:
        return result['dataHex'] == beacon['dataHex']
    try:
        return result.get('pocId') == poc_id(bytes.fromhex(beacon['dataHex']), int(result['receivedAtMs']),
                                             beaconer_key.public_key)
    except (KeyError, TypeError, ValueError):
        return False


def find_verdict(api, hotspot, beacon, timeout_s, fallback_after_s, poll_s=5.0):
    """The round's PocResult from MQTT (QoS 0, a live feed); after `fallback_after_s` also from
    GET /api/v1/rounds (the authoritative copy, docs/protocol.md "QoS decisions")."""
    deadline = time.monotonic() + timeout_s
    next_poll = time.monotonic() + fallback_after_s
    while True:
        with hotspot.cond:
            for r in hotspot.results:
                if is_our_round(r, beacon, hotspot.key):
                    return r, 'mqtt'
        if time.monotonic() >= next_poll:
            next_poll = time.monotonic() + poll_s
            try:
                _, body = http_json('GET', '%s/api/v1/rounds?hotspot=%s&limit=20' % (api, hotspot.address))
                for r in body.get('rounds', []):
                    if is_our_round(r, beacon, hotspot.key):
                        return r, 'api'
            except (ApiError, OSError) as e:
                log('GET /api/v1/rounds failed:', e)
        if time.monotonic() > deadline:
            raise TimeoutError('no verdict for %s within %d s' % (hotspot.address[:8], timeout_s))
        with hotspot.cond:
            hotspot.cond.wait(1.0)


def summarise(result, source):
    return {
        'pocId': result['pocId'], 'beaconer': result['beaconer'], 'receivedAtMs': result['receivedAtMs'],
        'source': source,
        'beacon': {'status': result['beacon']['status'], 'reason': result['beacon']['reason'],
                   'location': result['beacon'].get('location'), 'frequencyHz': result['beacon'].get('frequencyHz'),
                   'dataRate': result['beacon'].get('dataRate'), 'txPowerDbm': result['beacon'].get('txPowerDbm')},
        'witnesses': sorted(({'hotspot': w['hotspot'], 'status': w['status'], 'reason': w['reason'],
                              'selected': w.get('selected'), 'location': w.get('location'),
                              'distanceM': w.get('distanceM'), 'rssiDbm': w.get('rssiDbm')}
                             for w in result.get('witnesses', [])), key=lambda w: w['hotspot']),
    }


def run(args):
    api = args.api.rstrip('/')
    cells = args.cells.split(',')
    seeds = args.seeds.split(',') if args.seeds else [os.urandom(32).hex() for _ in cells]
    if len(cells) < 2 or len(seeds) != len(cells):
        raise SystemExit('need at least two cells and one seed per cell')
    keys = [Key(bytes.fromhex(s)) for s in seeds]

    _, params = http_json('GET', api + '/api/v1/params')
    hotspots, summary = [], {'api': api, 'mqtt': args.mqtt, 'hotspots': [], 'rounds': []}
    try:
        for key, cell in zip(keys, cells):
            status, body = http_json('POST', api + '/api/v1/hotspots',
                                     onboarding_body(key, cell, args.gain, args.elevation, args.region))
            detail = body['hotspot']
            log('onboarded %s (%s) at %s, %s: HTTP %d' % (key.address, detail.get('name'), cell,
                                                          detail.get('region'), status))
            summary['hotspots'].append({'address': key.address, 'name': detail.get('name'), 'location': cell,
                                        'region': detail.get('region')})
            hotspots.append(Hotspot(key, cell, args.mqtt, args.prefix, args.gain, args.timeout_s))
        for h in hotspots:
            h.wait_for(lambda h=h: h.connected, args.timeout_s, 'CONNACK')
            log('%s connected over %s' % (h.address[:8], urllib.parse.urlsplit(args.mqtt).scheme))

        # One round per hotspot, in order; the next round starts once the previous verdict is known, so
        # the HIP-106 reciprocity bookkeeping of one round is there for the next (docs/devices.md §4).
        for i, beaconer in enumerate(hotspots):
            region = summary['hotspots'][i]['region']
            channels = params['regions'][region]
            # A fresh entropy (the next one published) leaves the whole lifespan for the round.
            seen = beaconer.wait_for(lambda: beaconer.entropy_seen, args.timeout_s, 'entropy')
            beaconer.wait_for(lambda: beaconer.entropy_seen > seen, args.timeout_s, 'fresh entropy')
            with beaconer.cond:
                entropy = dict(beaconer.entropy)
            beacon = build_beacon_report(beaconer, entropy, channels)
            beaconer.publish_acked('beacon', beacon, args.timeout_s)
            log('%s beacons: entropy %s…, %d Hz %s %d dBm' % (beaconer.address[:8], entropy['dataHex'][:8],
                                                           beacon['frequencyHz'], beacon['dataRate'],
                                                           beacon['txPowerDbm']))
            # The witnesses heard it on air: they report at once, side by side (a witness must reach the
            # oracle within 4 s of the beacon report, spec poc-and-rewards.md witness check 7).
            witnesses = [w for w in hotspots if w is not beaconer]
            sent = [(w, w.publish_event('witness', build_witness_report(w, beacon, args.rssi, args.snr)))
                    for w in witnesses]
            for w, info in sent:
                w.wait_puback(info, 'witness', args.timeout_s)
                log('%s witnesses it at %s dBm' % (w.address[:8], args.rssi))
            # The verdict comes once the entropy expired (entropyLifespanS) and the verifier polled.
            fallback_after_s = 2 * params.get('entropyLifespanS', 180) + params.get('verifierPollMs', 30000) / 1000
            result, source = find_verdict(api, beaconer, beacon, args.timeout_s, fallback_after_s)
            log('round %s (%s): beacon %s%s' % (result['pocId'][:8], source, result['beacon']['status'],
                                                 ' (%s)' % result['beacon']['reason'] if result['beacon']['reason'] else ''))
            for w in sorted(result.get('witnesses', []), key=lambda w: w['hotspot']):
                log('  witness %s: %s%s' % (w['hotspot'][:8], w['status'],
                                            ' (%s)' % w['reason'] if w['reason'] else ''))
            summary['rounds'].append(summarise(result, source))
    finally:
        for h in hotspots:
            h.close()
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(
        description='A Hexium device client written from the docs: onboards hotspots, connects them over MQTT '
                    '(TCP or WebSocket), beacons, witnesses and prints the verdicts as JSON.')
    p.add_argument('--self-test', action='store_true',
                   help='reproduce the worked examples of docs/protocol.md byte for byte (exit 1 on a mismatch)')
    p.add_argument('--api', default='http://127.0.0.1:8080', help='oracle HTTP base URL (default %(default)s)')
    p.add_argument('--mqtt', default='mqtt://127.0.0.1:1883',
                   help='broker URL: mqtt://host:port (TCP) or ws://host:port/mqtt (WebSocket) (default %(default)s)')
    p.add_argument('--prefix', default='hexium', help='MQTT topic prefix (default %(default)s)')
    p.add_argument('--cells', default=','.join(DEFAULT_CELLS),
                   help='comma-separated res-12 H3 cells, one hotspot each; hotspot i beacons in round i '
                        '(default: three Amsterdam cells from docs/harness.md)')
    p.add_argument('--seeds', default=None, help='comma-separated 32-byte hex seeds, one per cell (default: fresh keys)')
    p.add_argument('--region', default=None, help='region to assert (default: derived by the oracle from the cell)')
    p.add_argument('--gain', type=float, default=1.2, help='antenna gain in dBi (default %(default)s)')
    p.add_argument('--elevation', type=float, default=10, help='antenna elevation in m (default %(default)s)')
    p.add_argument('--rssi', type=float, default=-100.0, help='RSSI the witnesses report, dBm (default %(default)s)')
    p.add_argument('--snr', type=float, default=5.0, help='SNR the witnesses report, dB (default %(default)s)')
    p.add_argument('--timeout-s', type=float, default=120, help='wait at most this long for each step (default %(default)s)')
    args = p.parse_args(argv)
    if args.self_test:
        return self_test()
    return run(args)


if __name__ == '__main__':
    sys.exit(main())
