/**
 * `hotspot-sim session-keys`: LoRaWAN 1.0.x session keys from an OTAA join
 * (shared/src/lorawan/join.ts `deriveSessionKeys`). Public contract (issue 4): JSON { nwkSKey, appSKey }.
 */
import { formatTable, numberFlag, parseFlags, UsageError, type Command } from '@hexium/shared/cli/args';
import { deriveSessionKeys } from '@hexium/shared/lorawan/index';

const help = `Usage: hotspot-sim session-keys --appkey HEX --netid HEX --join-nonce N --dev-nonce N [--json]

LoRaWAN 1.0.x session keys (LoRaWAN 1.0.4 §6.2.5):
  NwkSKey = aes128_encrypt(AppKey, 01 ‖ JoinNonce ‖ NetID ‖ DevNonce ‖ pad16)
  AppSKey = aes128_encrypt(AppKey, 02 ‖ JoinNonce ‖ NetID ‖ DevNonce ‖ pad16)
(the nonces and NetID little-endian on the wire; give them here as numbers / big-endian hex).

Options:
  --appkey HEX       AppKey, 32 hex characters                                   (required)
  --netid HEX        NetID, 6 hex characters as written (e.g. 000013)            (required)
  --join-nonce N     JoinNonce (AppNonce in 1.0.x), 0..16777215; 0x… accepted    (required)
  --dev-nonce N      DevNonce, 0..65535; 0x… accepted                            (required)
  --json             print one JSON object: { "nwkSKey", "appSKey" }
  --help             this text

Example (ChirpStack lrwn keys.rs test vector):
  hotspot-sim session-keys --appkey 01020304050607080102030405060708 --netid 010203 \\
    --join-nonce 65536 --dev-nonce 258
  → nwkSKey df53c35f3034ccced0ff354c70de04df, appSKey 927b9c911183cffe4cb2ff4b75545f6d
`;

const command: Command = {
  name: 'session-keys',
  summary: 'LoRaWAN 1.0.x NwkSKey/AppSKey from AppKey, NetID, JoinNonce, DevNonce',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      appkey: { type: 'string' },
      netid: { type: 'string' },
      'join-nonce': { type: 'string' },
      'dev-nonce': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.appkey === undefined) throw new UsageError('--appkey is required');
    if (!/^[0-9a-fA-F]{32}$/.test(values.appkey)) throw new UsageError(`--appkey must be 32 hex characters, got "${values.appkey}"`);
    if (values.netid === undefined) throw new UsageError('--netid is required');
    if (!/^[0-9a-fA-F]{6}$/.test(values.netid)) throw new UsageError(`--netid must be 6 hex characters, got "${values.netid}"`);
    const joinNonce = numberFlag('join-nonce', values['join-nonce'], { required: true, integer: true, min: 0, max: 0xffffff });
    const devNonce = numberFlag('dev-nonce', values['dev-nonce'], { required: true, integer: true, min: 0, max: 0xffff });
    const keys = deriveSessionKeys({ appKey: values.appkey.toLowerCase(), netId: values.netid.toLowerCase(), joinNonce, devNonce });
    if (values.json) {
      io.stdout(JSON.stringify({ nwkSKey: keys.nwkSKey, appSKey: keys.appSKey }) + '\n');
      return 0;
    }
    io.stdout(formatTable([['NwkSKey', keys.nwkSKey], ['AppSKey', keys.appSKey]], ['key', 'value']));
    return 0;
  },
};

export default command;
