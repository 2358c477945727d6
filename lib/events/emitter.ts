/**
 * The one typed event emitter of lib/ (client, mesh, chat, connection check): `on` returns its own
 * remover; a listener added or removed during an emit takes effect from the next emit. Its own folder, a
 * leaf, so that everything may import it and the graph still reads downward.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class Emitter<Events extends { [K in keyof Events]: (...args: any[]) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<K extends keyof Events>(event: K, fn: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>) {
    for (const fn of [...(this.listeners.get(event) ?? [])])
      (fn as (...a: Parameters<Events[K]>) => void)(...args);
  }

  clear() {
    this.listeners.clear();
  }
}
