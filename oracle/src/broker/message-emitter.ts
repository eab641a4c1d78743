/**
 * The message emitter under the embedded broker: aedes' own (mqemitter), with its queue drained without
 * deep recursion.
 *
 * mqemitter handles at most `concurrency` messages at a time and queues the rest. When a message is done
 * it starts the next queued one in the same call stack, and a message nobody subscribes to (every hotspot
 * report) is done synchronously, its callback reading the publisher's next packets. So when deliveries to
 * slow subscribers hold the slots while publishers keep sending, the queue grows, and the first freed slot
 * unwinds it as one nested call per queued message: "Maximum call stack size exceeded" and the oracle
 * process is gone (seen with `npm start` on a busy machine, and a hostile subscriber that stops reading its
 * socket can cause it on purpose). Here at most `MAX_NESTED` queued messages start within one stack; the
 * next one keeps its slot and starts from `setImmediate`, so the queue keeps its order.
 */
import mqemitter from 'mqemitter';

/** Queued messages started in one call stack before the rest go to `setImmediate`. */
export const MAX_NESTED = 64;

/** aedes' default mqemitter concurrency (aedes.js `defaultOptions.concurrency`). */
export const EMITTER_CONCURRENCY = 100;

/** mqemitter's internals this module relies on (mqemitter 7: `_do` starts a message, `current` counts slots). */
interface EmitterInternals {
  current: number;
  _do(message: mqemitter.Message, callback: (error?: Error) => void): unknown;
}

export function createMessageEmitter(concurrency = EMITTER_CONCURRENCY): mqemitter.MQEmitter {
  const mq = mqemitter({ concurrency, matchEmptyLevels: true }); // matchEmptyLevels: MQTT-4.7.1-3, as aedes sets it
  const inner = mq as unknown as EmitterInternals;
  const start = inner._do.bind(mq);
  let depth = 0;
  inner._do = (message, callback) => {
    if (depth >= MAX_NESTED) {
      inner.current++; // keep the slot: later emits queue behind this message, in order
      setImmediate(() => {
        inner.current--;
        inner._do(message, callback);
      });
      return mq;
    }
    depth++;
    try {
      return start(message, callback);
    } finally {
      depth--;
    }
  };
  return mq;
}
