/**
 * Live events over Server-Sent Events (docs/api.md "Events"): `event: <type>` + `data: <json>`. A
 * comment line every 15 s keeps proxies from closing the stream (transport keep-alive, not oracle
 * logic, so it runs on a plain unref'd timer). A client that stops reading is dropped.
 */
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import { ORACLE_EVENT_TYPES, OracleEventSchemas } from '@hexium/shared/protocol/index';
import type { ApiContext } from './api-context.ts';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

/** For /docs only (the reply is hijacked, never serialized): each message's `event:` and its `data:` JSON. */
const EventMessageSchema = Type.Union(
  ORACLE_EVENT_TYPES.map((type) => Type.Object({ event: Type.Literal(type), data: OracleEventSchemas[type] })),
  { description: 'one SSE message: `event: <type>` and `data: <JSON of data>`' },
);

export async function eventStream(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });
  app.get('/api/v1/events', {
    schema: {
      summary: `Server-Sent Events: ${ORACLE_EVENT_TYPES.join(', ')}`,
      tags: ['events'],
      response: { 200: { description: 'an endless event stream', content: { 'text/event-stream': { schema: EventMessageSchema } } } },
    },
  }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': hexium events\nretry: 2000\n\n');
    ctx.metrics.sseClients.inc();
    const off = ctx.events.on((e) => {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        close();
        return;
      }
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    let closed = false;
    function close() {
      if (closed) return;
      closed = true;
      open.delete(close);
      off();
      clearInterval(keepalive);
      ctx.metrics.sseClients.dec();
      res.end();
    }
    open.add(close);
    req.raw.on('close', close);
  });
}
