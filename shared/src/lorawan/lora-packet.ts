/**
 * The one place lora-packet (CommonJS) is imported. Its type declarations claim an ES default export;
 * at run time the functions sit on `module.exports` (and `.default`), so take `mod.default ?? mod`
 * (../shared/specs/stack.md, "lora-packet").
 */
import loraPacketModule from 'lora-packet';

type LoraPacketApi = typeof loraPacketModule;

export const loraPacket: LoraPacketApi =
  (loraPacketModule as unknown as { default?: LoraPacketApi }).default ?? loraPacketModule;
