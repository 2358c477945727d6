import { describe, expect, it } from 'vitest';
import {
  CODEC_VERSION,
  encodeHandoff,
  encodeInputs,
  encodeReliable,
  encodeSnapshot,
  handoffSnapshot,
} from '../../lib/game/codec';
import { createMatch } from '../../lib/game/sim';
import { decodeGameMessage, GameDispatcher } from '../../lib/game/session/dispatcher';
import type { GameMessageHandler, GameTransport } from '../../lib/game/session/transport';

/** A transport whose messages the test delivers by hand, counting subscriptions. */
function handTransport() {
  const handlers = new Set<GameMessageHandler>();
  let subscriptions = 0;
  const transport: GameTransport = {
    selfId: 'me',
    send: () => {},
    broadcast: () => {},
    onMessage: (fn) => {
      subscriptions++;
      handlers.add(fn);
      return () => void handlers.delete(fn);
    },
  };
  const deliver = (...args: Parameters<GameMessageHandler>) => [...handlers].forEach((fn) => fn(...args));
  return { transport, deliver, subscriptions: () => subscriptions, listening: () => handlers.size };
}

const snapshot = {
  state: createMatch({ seed: 3, slots: [0, 1] }),
  acks: new Map([
    [0, 5],
    [1, 9],
  ]),
};

describe('decodeGameMessage', () => {
  it('types each message by its channel and kind', () => {
    expect(decodeGameMessage('unreliable', encodeInputs([{ seq: 4, x: 1, y: 0, dash: true }]))).toMatchObject(
      {
        ok: true,
        value: { t: 'inputs', inputs: [{ seq: 4, x: 1, y: 0, dash: true }] },
      },
    );
    const snap = decodeGameMessage('unreliable', encodeSnapshot(snapshot));
    expect(snap.ok && snap.value.t === 'snapshot' && snap.value.snapshot.acks.get(1)).toBe(9);
    expect(decodeGameMessage('reliable', encodeReliable({ t: 'handoff-request', v: CODEC_VERSION }))).toEqual(
      {
        ok: true,
        value: { t: 'handoff-request', v: CODEC_VERSION },
      },
    );
  });

  it('a message on the wrong channel, an unknown kind or garbage is a typed error', () => {
    expect(decodeGameMessage('reliable', encodeSnapshot(snapshot))).toMatchObject({
      ok: false,
      error: { code: 'BAD_KIND' },
    });
    expect(decodeGameMessage('unreliable', encodeReliable({ t: 'hello', v: CODEC_VERSION }))).toMatchObject({
      ok: false,
    });
    expect(decodeGameMessage('unreliable', new Uint8Array([9, 1, 2]))).toEqual({
      ok: false,
      error: { code: 'BAD_KIND', kind: 9 },
    });
    expect(decodeGameMessage('unreliable', new Uint8Array())).toEqual({
      ok: false,
      error: { code: 'EMPTY' },
    });
    expect(
      decodeGameMessage('reliable', '{"t":"handoff","v":1,"to":"b","roster":[],"snapshot":"%%%"}'),
    ).toMatchObject({ ok: true });
  });

  it('a handoff carries roster and snapshot in one message; a bad snapshot inside is a typed error', () => {
    const roster = [
      { slot: 0, id: 'a', nickname: 'A' },
      { slot: 1, id: 'b', nickname: 'B' },
    ];
    const msg = decodeGameMessage('reliable', encodeHandoff('b', snapshot, roster));
    if (!msg.ok || msg.value.t !== 'handoff') throw new Error('not a handoff');
    expect(msg.value).toMatchObject({ to: 'b', roster });
    const inner = handoffSnapshot(msg.value);
    expect(inner.ok && inner.value.state).toEqual(snapshot.state);
    expect(handoffSnapshot({ ...msg.value, snapshot: '%%%' })).toMatchObject({ ok: false });
    expect(handoffSnapshot({ ...msg.value, snapshot: btoa('\u0002\u0001') })).toMatchObject({
      ok: false,
      error: { code: 'BAD_LENGTH' },
    });
  });
});

describe('GameDispatcher', () => {
  it('subscribes once, decodes each message once and gives every listener of its type the same value', () => {
    const t = handTransport();
    const d = new GameDispatcher(t.transport);
    const seen: unknown[] = [];
    d.on('snapshot', (from, msg) => seen.push(['a', from, msg]));
    d.on('snapshot', (from, msg) => seen.push(['b', from, msg]));
    const rosters: string[] = [];
    d.on('roster', (from) => rosters.push(from));
    expect(t.subscriptions()).toBe(1);
    t.deliver('host', 'unreliable', encodeSnapshot(snapshot));
    expect(d.counts).toEqual({ decoded: 1, dropped: 0 });
    expect(seen).toHaveLength(2);
    expect((seen[0] as unknown[])[2]).toBe((seen[1] as unknown[])[2]);
    expect(rosters).toEqual([]);
    t.deliver('host', 'reliable', encodeReliable({ t: 'roster', v: CODEC_VERSION, players: [] }));
    expect(rosters).toEqual(['host']);
    expect(seen).toHaveLength(2);
  });

  it('drops garbage without calling anyone; a removed listener hears nothing; close unsubscribes', () => {
    const t = handTransport();
    const d = new GameDispatcher(t.transport);
    const heard: string[] = [];
    const off = d.on('inputs', (from) => heard.push(from));
    for (const junk of ['{', 'null', '{"t":"hello","v":2}', new Uint8Array([1, 1, 0])])
      t.deliver('x', 'unreliable', junk);
    t.deliver('x', 'reliable', encodeInputs([{ seq: 1, x: 0, y: 0, dash: false }]));
    expect(heard).toEqual([]);
    expect(d.counts).toEqual({ decoded: 0, dropped: 5 });
    t.deliver('x', 'unreliable', encodeInputs([{ seq: 1, x: 0, y: 0, dash: false }]));
    expect(heard).toEqual(['x']);
    off();
    t.deliver('x', 'unreliable', encodeInputs([{ seq: 2, x: 0, y: 0, dash: false }]));
    expect(heard).toEqual(['x']);
    d.close();
    expect(t.listening()).toBe(0);
    d.on('inputs', (from) => heard.push(from));
    expect(t.listening()).toBe(0);
  });
});
