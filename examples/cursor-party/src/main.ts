import { ERROR_MESSAGES, LobbyClient, Mesh, topicChannel, type LobbyView, type Route } from '@peerlobby/sdk';
import { parseWire, type Wire } from './wire';

/** This game's slug on the PeerLobby server: its lobbies are apart from every other game's. */
const GAME = 'cursor-party';
const MAX_PLAYERS = 4;

declare global {
  interface Window {
    /** Set by /config.js (serve.ts): the PeerLobby server this page plays on. */
    PEERLOBBY_URL?: string;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const board = $<HTMLDivElement>('board');
const playersList = $<HTMLUListElement>('players');
const status = $<HTMLParagraphElement>('status');
const form = $<HTMLFormElement>('join');
const nicknameInput = $<HTMLInputElement>('nickname');

const client = new LobbyClient({ url: window.PEERLOBBY_URL ?? 'http://localhost:3000', game: GAME });
const mesh = new Mesh({ signaling: client, RTCPeerConnection: window.RTCPeerConnection });
const game = topicChannel(mesh, 'game');

const boops = new Map<string, number>();
const routes = new Map<string, Route>();
const cursors = new Map<string, HTMLDivElement>();

const hue = (id: string) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
const nicknameOf = (id: string) => client.currentLobby?.members.find((m) => m.id === id)?.nickname ?? '?';

client.on('status', (s) => {
  if (s === 'outdated') status.textContent = client.protocolError?.message ?? 'Protocol mismatch';
  else if (s === 'reconnecting') status.textContent = 'Reconnecting…';
});
client.on('lobby', (lobby) => render(lobby));
mesh.on('route', (id, route) => {
  routes.set(id, route);
  render(client.currentLobby);
});
mesh.on('peerDisconnected', (id) => {
  routes.delete(id);
  cursors.get(id)?.remove();
  cursors.delete(id);
});

/**
 * Quick play: the server seats us in the fullest open public party of this game and size, or opens one;
 * atomically, so players pressing Play at the same moment fill one party rather than open two.
 */
const quickPlay = (nickname: string) =>
  client.joinOrCreate({ nickname, name: `${nickname}'s party`, maxPlayers: MAX_PLAYERS });

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void (async () => {
    form.querySelector('button')!.disabled = true;
    status.textContent = 'Finding a party…';
    const result = await quickPlay(nicknameInput.value);
    if (!result.ok) {
      status.textContent = ERROR_MESSAGES[result.error];
      form.querySelector('button')!.disabled = false;
      return;
    }
    form.hidden = true;
    status.textContent = `In party ${result.data.lobby.code}. Move your mouse; click to boop.`;
  })();
});

function send(message: Wire, channel: 'reliable' | 'unreliable-ordered') {
  game.broadcast(channel, JSON.stringify(message));
}

function at(event: PointerEvent) {
  const box = board.getBoundingClientRect();
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    x: clamp((event.clientX - box.left) / box.width),
    y: clamp((event.clientY - box.top) / box.height),
  };
}

// At most one cursor message per frame, the latest position.
let pending: { x: number; y: number } | null = null;
board.addEventListener('pointermove', (event) => {
  if (!client.playerId) return;
  const first = pending === null;
  pending = at(event);
  if (first) {
    requestAnimationFrame(() => {
      if (pending) send({ t: 'cursor', ...pending }, 'unreliable-ordered');
      pending = null;
    });
  }
});
board.addEventListener('pointerdown', (event) => {
  const self = client.playerId;
  if (!self) return;
  const { x, y } = at(event);
  boop(self, x, y);
  send({ t: 'boop', x, y }, 'reliable');
});

game.onMessage((from, _channel, data) => {
  if (typeof data !== 'string') return;
  const message = parseWire(data);
  if (!message) return;
  if (message.t === 'cursor') moveCursor(from, message.x, message.y);
  else boop(from, message.x, message.y);
});

function moveCursor(id: string, x: number, y: number) {
  let el = cursors.get(id);
  if (!el) {
    el = document.createElement('div');
    el.className = 'cursor';
    el.style.background = `hsl(${hue(id)} 80% 60%)`;
    el.append(Object.assign(document.createElement('span'), { textContent: nicknameOf(id) }));
    el.dataset.player = nicknameOf(id);
    board.append(el);
    cursors.set(id, el);
  }
  el.style.left = `${x * 100}%`;
  el.style.top = `${y * 100}%`;
}

function boop(id: string, x: number, y: number) {
  boops.set(id, (boops.get(id) ?? 0) + 1);
  const ring = document.createElement('div');
  ring.className = 'boop';
  ring.style.cssText = `left:${x * 100}%;top:${y * 100}%;border-color:hsl(${hue(id)} 80% 60%)`;
  ring.addEventListener('animationend', () => ring.remove());
  board.append(ring);
  render(client.currentLobby);
}

function render(lobby: LobbyView | null) {
  playersList.replaceChildren(
    ...(lobby?.members ?? []).map((m) => {
      const li = document.createElement('li');
      const self = m.id === client.playerId;
      const count = boops.get(m.id) ?? 0;
      const route = self ? 'you' : (routes.get(m.id) ?? 'connecting');
      li.dataset.player = m.nickname;
      li.dataset.boops = String(count);
      li.dataset.route = route;
      li.style.color = `hsl(${hue(m.id)} 80% 70%)`;
      li.textContent = `${m.nickname} · ${count} boop${count === 1 ? '' : 's'} · ${route}`;
      return li;
    }),
  );
}

addEventListener('pagehide', () => {
  mesh.close();
  client.close();
});
