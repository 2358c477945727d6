import type { LobbySource } from '../../lib/protocol';
import type { LobbyView, MemberView } from '../../lib/protocol';

/** Every page sees the same lobby view, as the server broadcasts it. */
export class FakeLobby {
  view: LobbyView;
  private readonly pages = new Map<string, Set<(lobby: LobbyView | null, selfId: string | null) => void>>();

  constructor(ids: string[]) {
    this.view = {
      id: 'L',
      game: 'ring-out',
      meta: {},
      code: 'ABCDEF',
      inviteToken: 't',
      name: 'Test',
      visibility: 'private',
      maxPlayers: 8,
      locked: false,
      phase: 'waiting',
      hostId: ids[0]!,
      members: ids.map((id, i): MemberView => ({
        id,
        nickname: `nick-${id}`,
        ready: true,
        presence: 'present',
        joinedAt: i,
        meta: {},
      })),
      version: 1,
    };
  }

  source(selfId: string): LobbySource {
    const fns = new Set<(lobby: LobbyView | null, selfId: string | null) => void>();
    this.pages.set(selfId, fns);
    const current = () => this.view;
    return {
      get currentLobby() {
        return current();
      },
      playerId: selfId,
      on: (_event, fn) => {
        fns.add(fn);
        return () => void fns.delete(fn);
      },
    };
  }

  update(change: (v: LobbyView) => Partial<LobbyView>): void {
    this.view = { ...this.view, ...change(this.view), version: this.view.version + 1 };
    for (const [id, fns] of this.pages) for (const fn of [...fns]) fn(this.view, id);
  }

  member(id: string, change: Partial<MemberView>): void {
    this.update((v) => ({ members: v.members.map((m) => (m.id === id ? { ...m, ...change } : m)) }));
  }
}
