/** A seat's connection, `<instance>/<socket id>`: the janitor reads which instance holds it. */
export const connectionIdOf = (instanceId: string, socketId: string) => `${instanceId}/${socketId}`;

export function instanceOf(connectionId: string): string | null {
  const slash = connectionId.indexOf('/');
  return slash > 0 ? connectionId.slice(0, slash) : null;
}
