/**
 * `hotspot-sim decode`: parse a LoRaWAN 1.0.x PHYPayload (hex or base64); with keys, check the MIC and
 * decrypt. Public contract (issue 4): JSON keys mType, devAddr, fCnt, fCnt32 (with --fcnt-msb), fPort,
 * fOptsHex, adr, ack, micHex, micValid (when a key allows), payloadHex (decrypted when a key allows);
 * join request: joinEui, devEui, devNonce; join accept with --appkey: joinNonce, netId, devAddr,
 * micHex, micValid. Core: shared/src/lorawan/parse-frame.ts.
 */
import { formatTable, numberFlag, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { FrameError, isPotentialBeacon, parseFrame, type ParsedFrame } from '@hexium/shared/lorawan/index';

const help = `Usage: hotspot-sim decode <PHYPayload> [options]

Decode a LoRaWAN 1.0.x frame. <PHYPayload> is hex (e.g. 40F17DBE49…, optional 0x) or base64
(e.g. QPF9vkkAAgABlUN4disR/w0=); a string that is valid hex is read as hex.

Options:
  --nwkskey HEX    network session key (32 hex): checks a data frame's MIC, decrypts FPort 0
  --appskey HEX    application session key (32 hex): decrypts FPort 1..255 payloads
  --appkey HEX     AppKey (32 hex): checks a join request's MIC, decrypts a join accept
  --fcnt-msb N     upper 16 bits of the 32-bit frame counter (0..65535), used for MIC and decryption
  --json           print one JSON object:
                     data frames:   { "mType", "dir", "devAddr", "fCnt", "fCnt32"?, "fPort", "fOptsHex",
                                      "adr", "adrAckReq" | "fPending", "ack", "micHex", "micValid"?,
                                      "payloadHex", "payloadDecrypted" }
                     join request:  { "mType", "joinEui", "devEui", "devNonce", "micHex", "micValid"? }
                     join accept:   { "mType", "joinNonce", "netId", "devAddr", "dlSettings", "rxDelay",
                                      "cfListHex", "micHex", "micValid" } with --appkey,
                                    { "mType", "encrypted": true, "payloadHex", "micHex" } without
                     proprietary:   { "mType", "payloadHex", "potentialBeacon" }
  --help           this text

Examples (lora-packet README frame):
  hotspot-sim decode 40F17DBE4900020001954378762B11FF0D \\
    --nwkskey 44024241ed4ce9a68c6a8bc055233fd3 --appskey ec925802ae430ca77fd3dd73cb2cc588
  → UnconfirmedDataUp, devAddr 49be7df1, fCnt 2, fPort 1, payload 74657374 ("test"), MIC valid
`;

const KEY = /^[0-9a-fA-F]{32}$/;

/** PHYPayload bytes from hex (preferred when valid) or base64. */
export function phyPayloadFromText(text: string): Uint8Array {
  const s = text.trim();
  const hex = s.replace(/^0x/i, '');
  if (hex.length > 0 && hex.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(hex)) return new Uint8Array(Buffer.from(hex, 'hex'));
  if (s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s)) return new Uint8Array(Buffer.from(s, 'base64'));
  throw new UsageError(`PHYPayload must be hex or base64, got "${text}"`);
}

function key(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!KEY.test(raw)) throw new UsageError(`--${name} must be 32 hex characters (16 bytes), got "${raw}"`);
  return raw.toLowerCase();
}

/** The JSON object for a parsed frame (keys depend on the frame type). */
export function frameJson(f: ParsedFrame, phy: Uint8Array): Record<string, unknown> {
  switch (f.mType) {
    case 'Proprietary':
      return { mType: f.mType, payloadHex: f.payloadHex, potentialBeacon: isPotentialBeacon(phy) };
    case 'JoinRequest':
      return { mType: f.mType, joinEui: f.joinEui, devEui: f.devEui, devNonce: f.devNonce, micHex: f.micHex, micValid: f.micValid };
    case 'JoinAccept':
      if (f.joinNonce === undefined) return { mType: f.mType, encrypted: true, payloadHex: f.payloadHex, micHex: f.micHex };
      return {
        mType: f.mType, joinNonce: f.joinNonce, netId: f.netId, devAddr: f.devAddr, dlSettings: f.dlSettings, rxDelay: f.rxDelay,
        cfListHex: f.cfListHex, micHex: f.micHex, micValid: f.micValid,
      };
    default: {
      const flags = f.dir === 'down' ? { fPending: f.fPending } : { adrAckReq: f.adrAckReq };
      return {
        mType: f.mType, dir: f.dir, devAddr: f.devAddr, fCnt: f.fCnt, fCnt32: f.fCnt32, fPort: f.fPort, fOptsHex: f.fOptsHex,
        adr: f.adr, ...flags, ack: f.ack, micHex: f.micHex, micValid: f.micValid, payloadHex: f.payloadHex, payloadDecrypted: f.payloadDecrypted,
      };
    }
  }
}

const command: Command = {
  name: 'decode',
  summary: 'Decode a LoRaWAN 1.0.x PHYPayload (hex/base64); check MIC and decrypt with keys',
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        nwkskey: { type: 'string' },
        appskey: { type: 'string' },
        appkey: { type: 'string' },
        'fcnt-msb': { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    );
    if (positionals.length !== 1) throw new UsageError(`expected one PHYPayload argument, got ${positionals.length}`);
    const phy = phyPayloadFromText(positionals[0]);
    const fCntMsb = values['fcnt-msb'] === undefined ? undefined : numberFlag('fcnt-msb', values['fcnt-msb'], { integer: true, min: 0, max: 0xffff });
    let parsed: ParsedFrame;
    try {
      parsed = parseFrame(phy, { nwkSKey: key('nwkskey', values.nwkskey), appSKey: key('appskey', values.appskey), appKey: key('appkey', values.appkey), fCntMsb });
    } catch (e) {
      if (e instanceof FrameError) throw new UsageError(`not a LoRaWAN frame: ${e.message}`);
      throw e;
    }
    const obj = frameJson(parsed, phy);
    if (values.json) {
      io.stdout(JSON.stringify(obj) + '\n');
      return 0;
    }
    const rows = Object.entries(obj)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v === null ? '-' : v === '' ? '(empty)' : String(v)]);
    io.stdout(formatTable(rows, ['field', 'value']));
    return 0;
  },
};

export default command;
